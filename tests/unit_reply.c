/* unit_reply.c: the reply scanner (reply.c) on hand-built packets: what
   reply_scan reports, how reply_rrsets groups records, and malformed
   replies refused with EPROTO. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit.h"
#include "tests/wire.h"
#include "reply.h"
#include "dns_domain.h"
#include "uint.h"

static unsigned int soardata(char rd[600], uint32_t minimum)
{
  const char *m = W("ns.x"), *r = W("hostmaster.x");
  unsigned int n = 0, l;
  l = dns_domain_length(m); memcpy(rd, m, l); n += l;
  l = dns_domain_length(r); memcpy(rd + n, r, l); n += l;
  memset(rd + n, 0, 16);
  uint32_pack_big(rd + n + 16, minimum);
  return n + 20;
}

static void t_answer(void)
{
  struct pkt p;
  struct reply r;
  p_init(&p, 0, 0x8400, W("www.test"), DNS_T_A);
  p_rrclass(&p, 0, W("www.test"), DNS_T_A, 3 /* CHAOS */, 60, "\1\2\3\4", 4);   /* not IN: ignored */
  p_rr(&p, 0, W("other.test"), DNS_T_A, 60, "\1\2\3\4", 4);   /* not d: ignored */
  CHECK(reply_scan(&r, p.b, p.len, W("www.test"), DNS_T_A));
  CHECK(!r.out && !r.cname && !r.soa && !r.referral);
  CHECK_EQ_INT(r.posanswer, 12 + 10 + 4);
  CHECK_EQ_INT(r.h.ancount, 2);
  p_rr(&p, 0, W("WWW.Test"), DNS_T_A, 60, "\1\2\3\4", 4);
  CHECK(reply_scan(&r, p.b, p.len, W("www.test"), DNS_T_A));
  CHECK(r.out);
  CHECK_EQ_INT(r.rcode, 0);
  CHECK(reply_scan(&r, p.b, p.len, W("www.test"), DNS_T_ANY));
  CHECK(r.out);
  CHECK(reply_scan(&r, p.b, p.len, W("www.test"), DNS_T_MX));
  CHECK(!r.out);
}

static void t_cname(void)
{
  struct pkt p;
  struct reply r;
  p_init(&p, 0, 0x8400, W("a.test"), DNS_T_A);
  p_name(&p, 0, W("a.test"), DNS_T_CNAME, 100, W("b.test"));
  p_name(&p, 0, W("a.test"), DNS_T_CNAME, 4000000000u, W("c.test"));
  CHECK(reply_scan(&r, p.b, p.len, W("a.test"), DNS_T_A));
  CHECK(r.cname && !r.out);
  CHECK(dns_domain_equal(r.cnametarget, W("c.test")));   /* the last one */
  CHECK_EQ_INT(r.cnamettl, 4000000000u);                  /* raw: no caching rule here */
  CHECK(reply_scan(&r, p.b, p.len, W("a.test"), DNS_T_CNAME));
  CHECK(r.out && !r.cname);
}

static void t_authority(void)
{
  struct pkt p;
  struct reply r;
  char rd[600];
  unsigned int n = soardata(rd, 30);
  p_init(&p, 0, 0x8403, W("nx.test"), DNS_T_A);
  p_rr(&p, 1, W("test"), DNS_T_SOA, 4000000000u, rd, n);
  CHECK(reply_scan(&r, p.b, p.len, W("nx.test"), DNS_T_A));
  CHECK_EQ_INT(r.rcode, DNS_R_NXDOMAIN);
  CHECK(r.soa && r.soaminimumok);
  CHECK_EQ_INT(r.soattl, 4000000000u);
  CHECK_EQ_INT(r.soaminimum, 30);
  CHECK(!r.referral);

  p_init(&p, 0, 0x8000, W("www.sub.test"), DNS_T_A);
  p_name(&p, 1, W("test"), DNS_T_NS, 100, W("ns1.test"));
  p_name(&p, 1, W("sub.test"), DNS_T_NS, 100, W("ns2.test"));
  p_rr(&p, 1, W("test"), DNS_T_SOA, 50, rd, n - 1);   /* numbers cut short */
  CHECK(reply_scan(&r, p.b, p.len, W("www.sub.test"), DNS_T_A));
  CHECK(r.referral);
  CHECK(dns_domain_equal(r.refname, W("sub.test")));   /* the last NS owner */
  CHECK(r.soa && !r.soaminimumok);
  CHECK_EQ_INT(r.soattl, 50);
}

static void t_soa_rdata(void)
{
  struct pkt p;
  struct dns_rr rr;
  char rd[600], m[DNS_NAME_MAX], n[DNS_NAME_MAX], numbers[20];
  unsigned int len = soardata(rd, 7), pos;
  p_init(&p, 0, 0x8400, W("test"), DNS_T_SOA);
  pos = p.len;
  p_rr(&p, 0, W("test"), DNS_T_SOA, 50, rd, len);
  CHECK(dns_packet_rr(p.b, p.len, pos, m, &rr));
  CHECK(reply_soa(p.b, p.len, &rr, m, n, numbers));
  CHECK(dns_domain_equal(m, W("ns.x")) && dns_domain_equal(n, W("hostmaster.x")));
  CHECK_EQ_INT(uint32_unpack_big(numbers + 16), 7);
  rr.rdlength = (uint16_t)(rr.rdlength - 1);   /* the numbers run past RDATA */
  CHECK(!reply_soa(p.b, p.len, &rr, m, n, numbers));
  rr.rdlength = 3;                              /* mname runs past RDATA */
  CHECK(!reply_soa(p.b, p.len, &rr, m, n, numbers));
}

static void t_malformed(void)
{
  struct pkt p;
  struct reply r;
  unsigned int full;
  p_init(&p, 0, 0x8400, W("www.test"), DNS_T_A);
  p_name(&p, 0, W("www.test"), DNS_T_CNAME, 100, W("b.test"));
  full = p.len;
  errno = 0;
  CHECK(!reply_scan(&r, p.b, 11, W("www.test"), DNS_T_A));   /* short header */
  CHECK_EQ_INT(errno, EPROTO);
  errno = 0;
  CHECK(!reply_scan(&r, p.b, full - 1, W("www.test"), DNS_T_A));   /* RDATA cut */
  CHECK_EQ_INT(errno, EPROTO);
  p.b[full - 8] = (char)0xc0;   /* the CNAME target: a pointer at itself */
  p.b[full - 7] = (char)(full - 8);
  errno = 0;
  CHECK(!reply_scan(&r, p.b, full, W("www.test"), DNS_T_A));
  CHECK_EQ_INT(errno, EPROTO);
  uint16_pack_big(p.b + 8, 1);   /* an authority record that is not there */
  p.b[full - 8] = 1;
  errno = 0;
  CHECK(!reply_scan(&r, p.b, full, W("www.test"), DNS_T_MX));
  CHECK_EQ_INT(errno, EPROTO);
}

/* ------------------------------------------------------------ RRsets */

struct seen { unsigned int sets; char what[16][64]; unsigned int posauthority; int fail; };

static int collect(void *ctx, const char *buf, unsigned int len,
                   const struct reply_rec *set, unsigned int n, unsigned int posauthority)
{
  struct seen *s = ctx;
  char owner[DNS_NAME_MAX], *w = s->what[s->sets++ % 16];
  unsigned int i;
  if (!dns_packet_getname(buf, len, set[0].pos, owner)) return -1;
  w += sprintf(w, "%u %.*s", set[0].rr.type, (int)owner[0], owner + 1);
  for (i = 0; i < n; ++i) w += sprintf(w, " %u", set[i].index);
  s->posauthority = posauthority;
  return s->fail ? -1 : 0;
}

static void t_rrsets(void)
{
  struct pkt p;
  struct seen s;
  unsigned int auth;
  p_init(&p, 0, 0x8400, W("x.test"), DNS_T_A);
  p_rr(&p, 0, W("x.test"), DNS_T_A, 60, "\1\1\1\1", 4);      /* 0 */
  p_name(&p, 0, W("x.test"), DNS_T_NS, 60, W("ns.test"));               /* 1 */
  p_rr(&p, 0, W("X.TEST"), DNS_T_A, 60, "\2\2\2\2", 4);      /* 2 */
  auth = p.len;
  p_rr(&p, 1, W("y.test"), DNS_T_A, 60, "\3\3\3\3", 4);      /* 3 */
  p_rrclass(&p, 2, W("x.test"), DNS_T_A, 3 /* CHAOS */, 60, "\4\4\4\4", 4);   /* 4 */
  memset(&s, 0, sizeof s);
  CHECK(reply_rrsets(p.b, p.len, collect, &s));
  CHECK_EQ_INT(s.sets, 4);
  CHECK(!strcmp(s.what[0], "1 x 0 2"));   /* A IN, owner ignoring case, packet order */
  CHECK(!strcmp(s.what[1], "1 y 3"));
  CHECK(!strcmp(s.what[2], "1 x 4"));     /* class CHAOS after IN */
  CHECK(!strcmp(s.what[3], "2 x 1"));     /* then NS */
  CHECK_EQ_INT(s.posauthority, auth);

  memset(&s, 0, sizeof s);
  s.fail = 1;
  errno = 0;
  CHECK(!reply_rrsets(p.b, p.len, collect, &s));   /* a set the caller refuses */
  CHECK_EQ_INT(errno, EPROTO);
  CHECK_EQ_INT(s.sets, 1);

  memset(&s, 0, sizeof s);
  errno = 0;
  CHECK(!reply_rrsets(p.b, p.len - 1, collect, &s));   /* last record cut */
  CHECK_EQ_INT(errno, EPROTO);
  CHECK_EQ_INT(s.sets, 0);
  uint16_pack_big(p.b + 10, 60000);   /* more records than the packet can hold */
  errno = 0;
  CHECK(!reply_rrsets(p.b, p.len, collect, &s));
  CHECK_EQ_INT(errno, EPROTO);

  p_init(&p, 0, 0x8400, W("x.test"), DNS_T_A);   /* no records: no set */
  memset(&s, 0, sizeof s);
  CHECK(reply_rrsets(p.b, p.len, collect, &s));
  CHECK_EQ_INT(s.sets, 0);
}

int main(void)
{
  RUN(t_answer);
  RUN(t_cname);
  RUN(t_authority);
  RUN(t_soa_rdata);
  RUN(t_malformed);
  RUN(t_rrsets);
  return unit_done();
}
