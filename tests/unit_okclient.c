/* unit_okclient.c: okclient6, the ip/ check for IPv6 clients (SPEC 4.1):
   the names looked at (compressed full form, then 7..1 leading groups),
   IPv4-mapped clients checked as IPv4, names in any other spelling
   ignored, and the in-memory table giving the answers stat() gives,
   live edits included. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests/unit.h"
#include "okclient.h"
#include "ip6.h"

static int64_t now = 1000000;

static void touch(const char *fn)
{
  int fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd != -1) close(fd);
}

static int ok6(const char *text)
{
  unsigned char ip[16];
  size_t n = ip6_scan(text, ip);
  if (n != strlen(text)) { printf("  bad address %s\n", text); return -1; }
  return okclient6(ip);
}

/* each case as (client, expected): checked through stat(), then through
   the table */
static const struct { const char *ip; int ok; } cases[] = {
  { "::1", 1 }, { "::2", 0 },
  { "2001:db8::53", 1 }, { "2001:db8:0:0:1::53", 1 }, { "2001:db8:1::53", 0 },
  { "fd00:53::1", 1 }, { "fd01::1", 0 },
  { "fe80::1", 1 }, { "fe80:0:0:1::1", 0 },
  { "::ffff:127.0.0.1", 1 }, { "::ffff:10.0.0.1", 0 },
  { "127::1", 1 },            /* ip/127 is also the one-group name 0127 */
  { "3fff:db8::1", 0 },       /* ip/3fff:DB8::1: upper case is not looked at */
  { "3fff:db8::2", 0 },       /* ip/3fff:0db8::2: leading zeros */
  { "3fff:db8::3", 0 },       /* ip/3fff:db8:0:0:0:0:0:3: not compressed */
  { "3fff::4", 1 },
  { "3fff:0:0:0:0:0:5:6", 0 },   /* ip/3fff::5:6:0 is another address */
};

static void all(const char *how)
{
  for (unsigned int i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int r = ok6(cases[i].ip);
    if (r != cases[i].ok) printf("  %s: %s gave %d\n", how, cases[i].ip, r);
    CHECK_EQ_INT(r, cases[i].ok);
  }
}

static void t_names(void)
{
  all("stat");               /* before any refresh: stat() per check */
  okclient_refresh(now);
  all("table");
  all("table, memo");
}

static void t_ipv4(void)
{
  static const unsigned char lo[4] = { 127, 0, 0, 1 }, ten[4] = { 10, 0, 0, 1 };
  CHECK_EQ_INT(okclient(lo), 1);
  CHECK_EQ_INT(okclient(ten), 0);
}

static void t_live(void)
{
  CHECK_EQ_INT(ok6("3fff::7"), 0);
  touch("ip/3fff::7");
  now += 5000;
  okclient_refresh(now);
  CHECK_EQ_INT(ok6("3fff::7"), 1);
  unlink("ip/3fff::7");
  now += 5000;
  okclient_refresh(now);
  CHECK_EQ_INT(ok6("3fff::7"), 0);
  touch("ip/3fff:0:0:0:0:0:0");   /* seven groups */
  now += 5000;
  okclient_refresh(now);
  CHECK_EQ_INT(ok6("3fff::7"), 1);
  CHECK_EQ_INT(ok6("3fff:0:0:0:0:0:1:7"), 0);
  unlink("ip/3fff:0:0:0:0:0:0");
  now += 5000;
  okclient_refresh(now);
  CHECK_EQ_INT(ok6("3fff::7"), 0);
}

int main(void)
{
  static const char *files[] = { "ip/::1", "ip/2001:db8:0:0", "ip/fd00", "ip/fe80:0:0:0:0:0:0",
                                 "ip/127", "ip/3fff:DB8::1", "ip/3fff:0db8::2",
                                 "ip/3fff:db8:0:0:0:0:0:3", "ip/3fff::4", "ip/3fff::5:6:0", 0 };
  char dir[] = "/tmp/unit_okclient.XXXXXX";
  unsigned int i;
  if (!mkdtemp(dir) || chdir(dir) == -1 || mkdir("ip", 0755) == -1) {
    printf("FAIL: setup\n0 passed, 1 failed\n");
    return 1;
  }
  for (i = 0; files[i]; i++) touch(files[i]);
  RUN(t_names);
  RUN(t_ipv4);
  RUN(t_live);
  for (i = 0; files[i]; i++) unlink(files[i]);
  rmdir("ip");
  if (chdir("/") == 0) rmdir(dir);
  return unit_done();
}
