/* unit_clientquery.c: the checks a client's packet passes (clientquery.c):
   the packet rules, the size and port rules, the TCP prefix, AXFR. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests/unit.h"
#include "clientquery.h"
#include "dns.h"

static const unsigned char client[4] = { 127, 0, 0, 1 };
static const unsigned char stranger[4] = { 10, 1, 2, 3 };

/* A query for www.test, type A, class IN, ID 0x1234, RD set; *len bytes. */
static void mkquery(char *p, unsigned int *len)
{
  static const char q[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                          "\x03www\x04test\x00\x00\x01\x00\x01";
  memcpy(p, q, sizeof q - 1);
  *len = sizeof q - 1;
}

static void t_plain(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  mkquery(p, &len);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.id, 0x1234);
  CHECK_EQ_INT(q.qtype, DNS_T_A);
  CHECK_EQ_INT(q.qclass, DNS_C_IN);
  CHECK_MEM(q.name, "\x03www\x04test", 10);
  p[len - 1] = (char)255;                  /* class ANY is served too */
  CHECK(clientquery_parse(p, len, &q));
  p[len - 1] = 3;                          /* CHAOS is not */
  CHECK(!clientquery_parse(p, len, &q));
}

static void t_flags(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  static const unsigned char bad2[] = { 0x80 | 1, 0x08 | 1, 0x02 | 1, 0 };
  for (unsigned int i = 0; i < sizeof bad2; i++) {
    mkquery(p, &len);
    p[2] = (char)bad2[i];                  /* QR, opcode 1, TC, no RD */
    CHECK(!clientquery_parse(p, len, &q));
  }
  mkquery(p, &len);
  p[5] = 2;                                /* two questions */
  CHECK(!clientquery_parse(p, len, &q));
  mkquery(p, &len);
  p[5] = 0;                                /* none */
  CHECK(!clientquery_parse(p, len, &q));
  mkquery(p, &len);
  for (unsigned int n = 0; n < len; n++)   /* every truncation */
    CHECK(!clientquery_parse(p, n, &q));
  mkquery(p, &len);
  p[3] = (char)0x80;                       /* RA, Z and rcode bits are not looked at */
  CHECK(clientquery_parse(p, len, &q));
}

static void t_udp_rules(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  mkquery(p, &len);
  CHECK(clientquery_udp(p, len, client, 53, &q));
  CHECK(clientquery_udp(p, len, client, 1024, &q));
  CHECK(clientquery_udp(p, len, client, 65535, &q));
  CHECK(!clientquery_udp(p, len, client, 1023, &q));
  CHECK(!clientquery_udp(p, len, client, 0, &q));
  CHECK(!clientquery_udp(p, len, stranger, 5353, &q));
  memset(p + len, 0, sizeof p - len);      /* trailing bytes are ignored ... */
  CHECK(clientquery_udp(p, CLIENTQUERY_UDP_MAX - 1, client, 5353, &q));
  CHECK(!clientquery_udp(p, CLIENTQUERY_UDP_MAX, client, 5353, &q));   /* ... up to the size limit */
  CHECK(clientquery_okpeer(client, 53));
  CHECK(!clientquery_okpeer(stranger, 53));
  CHECK(!clientquery_okpeer(client, 1));
}

static void t_tcp_prefix(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  mkquery(p, &len);
  CHECK(clientquery_tcp(p, len, &q));
  /* a frame longer than the prefix kept is judged on that prefix */
  CHECK(clientquery_tcp(p, 60000, &q));
  CHECK_EQ_INT(q.id, 0x1234);
  CHECK(!clientquery_tcp(p, len - 1, &q));
}

static void t_axfr(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  static struct query job;
  static const unsigned char ipsend[4] = { 127, 0, 0, 1 };
  mkquery(p, &len);
  p[len - 3] = (char)252;                  /* AXFR */
  CHECK(clientquery_parse(p, len, &q));
  errno = 0;
  CHECK_EQ_INT(clientquery_start(&job, &q, ipsend), -1);
  CHECK_EQ_INT(errno, EPERM);
}

int main(void)
{
  /* okclient looks at ip/ in the current directory: ip/127 as dnscache-conf makes */
  char dir[] = "/tmp/unit_clientquery.XXXXXX";
  FILE *f;
  if (!mkdtemp(dir) || chdir(dir) == -1 || mkdir("ip", 0755) == -1 || !(f = fopen("ip/127", "w"))) {
    printf("FAIL: setup\n0 passed, 1 failed\n");
    return 1;
  }
  fclose(f);
  RUN(t_plain);
  RUN(t_flags);
  RUN(t_udp_rules);
  RUN(t_tcp_prefix);
  RUN(t_axfr);
  unlink("ip/127");
  rmdir("ip");
  if (chdir("/") == 0) rmdir(dir);
  return unit_done();
}
