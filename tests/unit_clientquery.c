/* unit_clientquery.c: the checks a client's packet passes (clientquery.c):
   the packet rules, the size and port rules, the TCP prefix, AXFR. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests/unit.h"
#include "clientquery.h"
#include "dns.h"
#include "response.h"

/* 16-byte addresses, IPv4 mapped: 127.0.0.1 and 10.1.2.3 */
static const unsigned char client[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
static const unsigned char stranger[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3 };

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
  CHECK(clientquery_udp6(p, len, client, 53, &q));
  CHECK(clientquery_udp6(p, len, client, 1024, &q));
  CHECK(clientquery_udp6(p, len, client, 65535, &q));
  CHECK(!clientquery_udp6(p, len, client, 1023, &q));
  CHECK(!clientquery_udp6(p, len, client, 0, &q));
  CHECK(!clientquery_udp6(p, len, stranger, 5353, &q));
  memset(p + len, 0, sizeof p - len);      /* trailing bytes are ignored ... */
  CHECK(clientquery_udp6(p, CLIENTQUERY_UDP_MAX - 1, client, 5353, &q));
  CHECK(!clientquery_udp6(p, CLIENTQUERY_UDP_MAX, client, 5353, &q));   /* ... up to the size limit */
  CHECK(clientquery_okpeer6(client, 53));
  CHECK(!clientquery_okpeer6(stranger, 53));
  CHECK(!clientquery_okpeer6(client, 1));
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

/* Appends an OPT (root owner unless owner is given) to mkquery's query
   and sets ARCOUNT to ar. */
static void addopt(char *p, unsigned int *len, uint16_t size, uint32_t ttl, unsigned int ar)
{
  char *o = p + *len;
  o[0] = 0;
  o[1] = 0; o[2] = 41;
  o[3] = (char)(size >> 8); o[4] = (char)size;
  o[5] = (char)(ttl >> 24); o[6] = (char)(ttl >> 16); o[7] = (char)(ttl >> 8); o[8] = (char)ttl;
  o[9] = 0; o[10] = 0;
  *len += 11;
  p[11] = (char)ar;
}

static void t_edns(void)
{
  char p[2048];
  unsigned int len;
  struct clientquery q;
  static const unsigned int sizes[][2] = { { 0, 512 }, { 100, 512 }, { 512, 512 }, { 600, 600 },
                                           { 1232, 1232 }, { 1233, 1232 }, { 65535, 1232 } };
  /* without: as 1.05 */
  mkquery(p, &len);
  memset(&q, 0xff, sizeof q);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 0);
  CHECK_EQ_INT(q.edns.udpmax, 512);
  CHECK_EQ_INT(q.edns.rcode, 0);
  /* one OPT: the size the reply may have */
  for (unsigned int i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    mkquery(p, &len);
    addopt(p, &len, (uint16_t)sizes[i][0], 0, 1);
    CHECK(clientquery_parse(p, len, &q));
    CHECK_EQ_INT(q.edns.on, 1);
    CHECK_EQ_INT(q.edns.udpmax, sizes[i][1]);
    CHECK_EQ_INT(q.edns.rcode, 0);
    CHECK(clientquery_udp6(p, len, client, 5353, &q));
    CHECK_EQ_INT(q.edns.udpmax, sizes[i][1]);
    CHECK(clientquery_tcp(p, len, &q));
    CHECK_EQ_INT(q.edns.on, 1);
  }
  /* DO set: the same (not honoured) */
  mkquery(p, &len);
  addopt(p, &len, 1232, 0x8000, 1);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 1);
  CHECK_EQ_INT(q.edns.rcode, 0);
  /* version 1..255: BADVERS */
  for (unsigned int v = 1; v <= 255; v++) {
    mkquery(p, &len);
    addopt(p, &len, 1232, v << 16, 1);
    CHECK(clientquery_parse(p, len, &q));
    CHECK_EQ_INT(q.edns.on, 1);
    CHECK_EQ_INT(q.edns.rcode, DNS_R_BADVERS);
  }
  /* two OPTs (even with a version 1 among them): FORMERR */
  mkquery(p, &len);
  addopt(p, &len, 1232, 0, 1);
  addopt(p, &len, 1232, 0x10000, 2);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 1);
  CHECK_EQ_INT(q.edns.rcode, DNS_R_FORMERR);
  CHECK_EQ_INT(q.edns.udpmax, 512);
  /* non-root owner: FORMERR */
  mkquery(p, &len);
  p[len++] = 1; p[len++] = 'x';
  addopt(p, &len, 1232, 0, 1);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.rcode, DNS_R_FORMERR);
  /* in the answer section: FORMERR */
  mkquery(p, &len);
  addopt(p, &len, 1232, 0, 0);
  p[7] = 1;
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.rcode, DNS_R_FORMERR);
  /* cut short, or more records counted than sent: as 1.05 (no EDNS) */
  mkquery(p, &len);
  addopt(p, &len, 1232, 0x10000, 1);
  for (unsigned int n = len - 11; n < len; n++) {
    CHECK(clientquery_parse(p, n, &q));
    CHECK_EQ_INT(q.edns.on, 0);
    CHECK_EQ_INT(q.edns.udpmax, 512);
    CHECK_EQ_INT(q.edns.rcode, 0);
  }
  p[11] = 2;
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 0);
  /* a TCP frame is judged on its first CLIENTQUERY_TCP_KEEP bytes: an OPT
     after them is not seen */
  mkquery(p, &len);
  p[11] = 1;
  p[len] = 0; p[len + 1] = 0; p[len + 2] = 16;              /* a TXT record of 1000 bytes */
  p[len + 3] = 0; p[len + 4] = 1; memset(p + len + 5, 0, 4);
  p[len + 9] = (char)(1000 >> 8); p[len + 10] = (char)(1000 & 255);
  memset(p + len + 11, 'x', 1000);
  len += 1011;
  addopt(p, &len, 1232, 0, 2);
  CHECK(clientquery_parse(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 1);
  CHECK(clientquery_tcp(p, len, &q));
  CHECK_EQ_INT(q.edns.on, 0);
}

/* A response for www.test TXT with n records of 100 bytes of RDATA: 26 +
   n * 112 bytes. */
static void mkresponse(unsigned int n)
{
  static const char rdata[100] = { 99 };
  CHECK(response_query("\003www\004test", DNS_T_TXT, DNS_C_IN));
  for (unsigned int i = 0; i < n; i++) {
    CHECK(response_rstart("\003www\004test", DNS_T_TXT, 300));
    CHECK(response_addbytes(rdata, sizeof rdata));
    response_rfinish();
  }
  response_id(0x1234);
}

static unsigned int u16(const char *p) { return (unsigned int)((unsigned char)p[0] << 8 | (unsigned char)p[1]); }

static void t_reply(void)
{
  static const struct clientedns none = { 0, 512, 0 }, e1232 = { 1, 1232, 0 }, e600 = { 1, 600, 0 }, e590 = { 1, 590, 0 };
  static const struct clientedns badvers = { 1, 512, DNS_R_BADVERS }, formerr = { 1, 512, DNS_R_FORMERR };
  const char *r;
  /* without EDNS: exactly as before (512, decision 4), over TCP untouched */
  mkresponse(4);                                   /* 474 bytes */
  clientquery_reply(&none, 1);
  CHECK_EQ_INT(response_len(), 474);
  mkresponse(5);                                   /* 586 bytes */
  clientquery_reply(&none, 1);
  r = response_data();
  CHECK_EQ_INT(response_len(), 26);
  CHECK_EQ_INT(u16(r + 2), 0x8380);                /* TC */
  CHECK_EQ_INT(u16(r + 6), 0);
  CHECK_EQ_INT(u16(r + 10), 0);
  mkresponse(5);
  clientquery_reply(&none, 0);
  CHECK_EQ_INT(response_len(), 586);
  /* EDNS: the OPT is added; 5 records fit in 1232 and 600 (586 + 11), not in 590 */
  mkresponse(5);
  clientquery_reply(&e1232, 1);
  r = response_data();
  CHECK_EQ_INT(response_len(), 597);
  CHECK_EQ_INT(u16(r + 2), 0x8180);
  CHECK_EQ_INT(u16(r + 6), 5);
  CHECK_EQ_INT(u16(r + 10), 1);
  CHECK_MEM(r + 586, "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);
  mkresponse(5);
  clientquery_reply(&e600, 1);
  CHECK_EQ_INT(response_len(), 597);
  mkresponse(5);
  clientquery_reply(&e590, 1);
  r = response_data();
  CHECK_EQ_INT(response_len(), 37);                /* truncated, OPT kept */
  CHECK_EQ_INT(u16(r + 2), 0x8380);
  CHECK_EQ_INT(u16(r + 6), 0);
  CHECK_EQ_INT(u16(r + 10), 1);
  CHECK_MEM(r + 26, "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);
  mkresponse(10);                                  /* 1146 + 11 fits 1232 */
  clientquery_reply(&e1232, 1);
  CHECK_EQ_INT(response_len(), 1157);
  mkresponse(11);                                  /* 1258 + 11: truncated */
  clientquery_reply(&e1232, 1);
  CHECK_EQ_INT(response_len(), 37);
  mkresponse(11);                                  /* over TCP: whole, with the OPT */
  clientquery_reply(&e1232, 0);
  CHECK_EQ_INT(response_len(), 1269);
  CHECK_EQ_INT(u16(response_data() + 6), 11);
  CHECK_EQ_INT(u16(response_data() + 10), 1);
  /* the errors: the question, the RCODE split between header and OPT */
  {
    struct clientquery q;
    static struct query job;
    static const unsigned char ipsend[4] = { 127, 0, 0, 1 };
    char p[2048];
    unsigned int len;
    mkquery(p, &len);
    addopt(p, &len, 1232, 0x10000, 1);
    CHECK(clientquery_parse(p, len, &q));
    CHECK_EQ_INT(clientquery_start(&job, &q, ipsend), 1);
    response_id(q.id);
    clientquery_reply(&q.edns, 1);
    r = response_data();
    CHECK_EQ_INT(response_len(), 12 + 14 + 11);
    CHECK_EQ_INT(u16(r + 2), 0x8180);              /* BADVERS: 0 in the header ... */
    CHECK_EQ_INT(u16(r + 6), 0);
    CHECK_EQ_INT(u16(r + 10), 1);
    CHECK_MEM(r + 26, "\x00\x00\x29\x04\xd0\x01\x00\x00\x00\x00\x00", 11);  /* ... 1 in the OPT */
    mkresponse(0);
    response_rcode(DNS_R_FORMERR & 15);
    clientquery_reply(&formerr, 1);
    r = response_data();
    CHECK_EQ_INT(u16(r + 2), 0x8181);
    CHECK_MEM(r + 26, "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);
    mkresponse(0);
    clientquery_reply(&badvers, 0);
    CHECK_EQ_INT(response_len(), 37);
  }
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
  RUN(t_edns);
  RUN(t_reply);
  unlink("ip/127");
  rmdir("ip");
  if (chdir("/") == 0) rmdir(dir);
  return unit_done();
}
