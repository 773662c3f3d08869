/* Unit tests for roots.c: reading servers/ from a temp directory, and the
   lookups (longest zone, exact, bailiwick). */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests/unit.h"
#include "roots.h"
#include "dns_domain.h"

static char dir[64];

static char *W(const char *dot)
{
  static char bufs[4][DNS_NAME_MAX];
  static unsigned int k;
  char *b = bufs[k++ % 4];
  if (!dns_domain_fromdot(b, dot, strlen(dot))) abort();
  return b;
}

static void put(const char *name, const char *text)
{
  char path[256];
  FILE *f;
  snprintf(path, sizeof path, "%s/servers/%s", dir, name);
  f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

static void t_read(void)
{
  char s[64];
  static const unsigned char r1[4] = { 127, 53, 0, 1 }, r2[4] = { 127, 53, 0, 2 };
  static const unsigned char m1[4] = { 10, 0, 0, 1 }, x16[4] = { 10, 0, 0, 16 };
  put("@", "127.53.0.1\n\njunk\n127.53.0.2\n");
  put("Moon.AF.mil", "10.0.0.1\n");
  put(".hidden", "9.9.9.9\n");
  {
    char big[1024] = "";
    for (int i = 1; i <= 20; ++i) {
      char line[32];
      snprintf(line, sizeof line, "10.0.0.%d\n", i);
      strcat(big, line);
    }
    put("many.test", big);
  }
  put("esc\\056aped", "10.0.0.3");   /* no final newline; name with an escaped dot */
  CHECK_EQ_INT(roots_init(), 1);

  CHECK_EQ_INT(roots(s, W("www.example")), 1);
  CHECK(!memcmp(s, r1, 4) && !memcmp(s + 4, r2, 4));
  for (int k = 2; k < 16; ++k) CHECK(!memcmp(s + 4 * k, "\0\0\0\0", 4));
  memset(s, 0, sizeof s);
  CHECK_EQ_INT(roots(s, W("a.b.MOON.af.mil")), 1);   /* case ignored */
  CHECK(!memcmp(s, m1, 4));
  CHECK_EQ_INT(roots(s, W("a.b.moon.af.mil")), 1);
  CHECK(!memcmp(s, m1, 4));
  CHECK_EQ_INT(roots_exact(W("moon.af.mil")), 1);
  CHECK_EQ_INT(roots_exact(W("af.mil")), 0);
  CHECK_EQ_INT(roots_exact(W("")), 1);
  CHECK_EQ_INT(roots_exact(W("hidden")), 0);
  CHECK_EQ_INT(roots_servers(s, W("many.test")), 1);
  CHECK(!memcmp(s + 60, x16, 4));   /* at most 16 */
  CHECK_EQ_INT(roots_servers(s, W("x.many.test")), 0);
  CHECK_EQ_INT(roots_exact("\010esc.aped"), 1);   /* one label, with a dot in it */
  CHECK_EQ_INT(roots_same(W("a.moon.af.mil"), W("moon.af.mil")), 1);
  CHECK_EQ_INT(roots_same(W("a.moon.af.mil"), W("af.mil")), 0);
  CHECK_EQ_INT(roots_same(W("a.example"), W("")), 1);
}

static void t_errors(void)
{
  char path[256];
  snprintf(path, sizeof path, "%s/servers/sub", dir);
  mkdir(path, 0755);
  errno = 0;
  CHECK_EQ_INT(roots_init(), 0);
  CHECK_EQ_INT(errno, EISDIR);
  rmdir(path);
  CHECK_EQ_INT(roots_init(), 1);
  if (chdir("/") == 0) {
    errno = 0;
    CHECK_EQ_INT(roots_init(), 0);
    CHECK_EQ_INT(errno, ENOENT);
  }
  CHECK_EQ_INT(chdir(dir), 0);
}

static void t_no_root(void)
{
  char s[64];
  memset(s, 0, sizeof s);
  roots_clear();
  CHECK_EQ_INT(roots(s, W("www.example")), 0);
  s[0] = 1;
  CHECK_EQ_INT(roots_add(W("Example"), s), 1);
  CHECK_EQ_INT(roots_exact(W("EXAMPLE")), 1);
  s[0] = 2;
  CHECK_EQ_INT(roots_add(W("example"), s), 1);   /* replaces */
  CHECK_EQ_INT(roots_servers(s, W("example")), 1);
  CHECK_EQ_INT(s[0], 2);
  roots_clear();
}

/* SPEC 4.1: IPv6 lines, 16 of each family, junk ignored; the 64-byte
   calls keep giving the IPv4 ones alone, as before */
static void t_ipv6(void)
{
  char s[64], s6[DNS_SERVERS_LEN];
  unsigned int k;
  static const unsigned char v4[4] = { 127, 53, 0, 1 };
  static const unsigned char one[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  static const unsigned char m1[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 53, 0, 1 };
  static const unsigned char fd[16] = { 0xfd, 0, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
  put("@", "::1\n127.53.0.1\nfd00:53::10 # a comment\nfd00:53::1::2\n1:2:3\nfe80::zz\n:::\n::\n::2junk\n");
  {
    char big[4096] = "";
    for (int i = 1; i <= 20; ++i) {
      char line[64];
      snprintf(line, sizeof line, "fd00::%x\n10.0.0.%d\n", i, i);
      strcat(big, line);
    }
    put("many.test", big);
  }
  CHECK_EQ_INT(roots_init(), 1);
  CHECK_EQ_INT(roots6(s6, W("www.example")), 1);
  CHECK_MEM(s6, one, 16);
  CHECK_MEM(s6 + 16, m1, 16);
  CHECK_MEM(s6 + 32, fd, 16);
  for (k = 3; k < DNS_SERVERS; ++k) CHECK(!memcmp(s6 + 16 * k, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));
  CHECK_EQ_INT(roots(s, W("www.example")), 1);
  CHECK_MEM(s, v4, 4);
  for (k = 1; k < 16; ++k) CHECK(!memcmp(s + 4 * k, "\0\0\0\0", 4));
  CHECK_EQ_INT(roots_servers6(s6, W("many.test")), 1);
  {
    unsigned int n4 = 0, n6 = 0;
    for (k = 0; k < DNS_SERVERS; ++k) {
      const unsigned char *p = (const unsigned char *)s6 + 16 * k;
      if (p[0] == 0xfd) ++n6;
      else if (p[10] == 0xff) ++n4;
    }
    CHECK_EQ_INT(n4, 16);
    CHECK_EQ_INT(n6, 16);
  }
  CHECK_EQ_INT(roots_servers(s, W("many.test")), 1);
  CHECK_EQ_INT((unsigned char)s[60 + 3], 16);   /* the 16th IPv4 is 10.0.0.16 */
  /* roots_add (IPv4 lists) fills the full list, IPv4-mapped */
  memset(s, 0, sizeof s);
  memcpy(s + 8, v4, 4);
  CHECK_EQ_INT(roots_add(W("x.test"), s), 1);
  CHECK_EQ_INT(roots_servers6(s6, W("x.test")), 1);
  CHECK_MEM(s6 + 32, m1, 16);
  CHECK(!memcmp(s6, "\0\0\0\0\0\0\0\0\0\0\xff\xff\0\0\0\0", 16));   /* 0.0.0.0: empty */
  unlink("servers/many.test");
}

int main(void)
{
  char path[256];
  snprintf(dir, sizeof dir, "/tmp/unit_roots.XXXXXX");
  if (!mkdtemp(dir)) return 111;
  snprintf(path, sizeof path, "%s/servers", dir);
  mkdir(path, 0755);
  if (chdir(dir)) return 111;
  RUN(t_read);
  RUN(t_errors);
  RUN(t_no_root);
  RUN(t_ipv6);
  if (chdir("/") == 0) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) { /* leave it */ }
  }
  return unit_done();
}
