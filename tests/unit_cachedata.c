/* unit_cachedata.c: the cached RRset format (cachedata.c): each type
   encoded, stored, read back and written as answer records (round trip),
   case-folded keys, the size limit, and malformed data refused. */
#include <stdlib.h>
#include "tests/unit.h"
#include "tests/wire.h"
#include "cachedata.h"
#include "cache.h"
#include "clock.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "response.h"
#include "uint.h"

/* Decodes data of type as answers for d into a fresh response; returns
   cachedata_answer's result, and the number of records written. */
static int decode(const char *d, uint16_t type, const char *data, unsigned int len,
                  unsigned int *count)
{
  int r;
  response_query(d, type, DNS_C_IN);
  r = cachedata_answer(d, type, data, len, 77);
  *count = uint16_unpack_big(response_data() + 6);
  return r;
}

/* The k-th answer record of the response: its RDATA read back (names
   decompressed) into out; returns its length, 0 if absent. */
static unsigned int rdata(unsigned int k, uint16_t type, char *out)
{
  const char *b = response_data();
  unsigned int len = response_len(), pos, i, n = 0, p;
  char owner[DNS_NAME_MAX], name[DNS_NAME_MAX];
  struct dns_rr rr;
  uint16_t qt, qc;
  pos = dns_packet_question(b, len, 12, owner, &qt, &qc);
  for (i = 0; pos && i <= k; ++i) {
    p = pos;
    pos = dns_packet_rr(b, len, pos, owner, &rr);
  }
  if (!pos || rr.type != type || rr.ttl != 77) return 0;
  p = rr.rdpos;
  if (type == DNS_T_MX) { memcpy(out, b + p, 2); n = 2; p += 2; }
  if (type == DNS_T_MX || type == DNS_T_NS || type == DNS_T_CNAME || type == DNS_T_SOA) {
    p = dns_packet_getname(b, len, p, name);
    memcpy(out + n, name, dns_domain_length(name));
    n += dns_domain_length(name);
    if (type == DNS_T_SOA) {
      p = dns_packet_getname(b, len, p, name);
      memcpy(out + n, name, dns_domain_length(name));
      n += dns_domain_length(name);
      memcpy(out + n, b + p, 20);
      n += 20;
    }
    return n;
  }
  memcpy(out, b + rr.rdpos, rr.rdlength);
  return rr.rdlength;
}

static void t_ttl(void)
{
  CHECK_EQ_INT(cachedata_ttl(0), 0);
  CHECK_EQ_INT(cachedata_ttl(300), 300);
  CHECK_EQ_INT(cachedata_ttl(604801), 604800);
  CHECK_EQ_INT(cachedata_ttl(2147483647u), 604800);
  CHECK_EQ_INT(cachedata_ttl(2147483648u), 0);
}

static void t_roundtrip(void)
{
  struct cachedata c;
  char out[600], soa[600];
  const char *data;
  unsigned int len, count, n;
  uint32_t ttl;
  static const char numbers[20] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5 };

  cachedata_start(&c);
  cachedata_adda(&c, "\1\2\3\4");
  cachedata_adda(&c, "\5\6\7\10");
  CHECK(c.ok && c.len == 8);
  cachedata_set(DNS_T_A, W("WWW.Test"), c.data, c.len, 300);
  data = cachedata_get(DNS_T_A, W("www.tEST"), &len, &ttl);   /* any spelling */
  CHECK(data && len == 8 && ttl == 300);
  CHECK(!cachedata_get(DNS_T_MX, W("www.test"), &len, &ttl));   /* type is part of the key */
  CHECK(decode(W("www.test"), DNS_T_A, data, len, &count));
  CHECK_EQ_INT(count, 2);
  CHECK(rdata(0, DNS_T_A, out) == 4 && !memcmp(out, "\1\2\3\4", 4));
  CHECK(rdata(1, DNS_T_A, out) == 4 && !memcmp(out, "\5\6\7\10", 4));

  cachedata_start(&c);
  cachedata_addmx(&c, "\0\12", W("mx1.test"));
  cachedata_addmx(&c, "\1\0", W("mx2.test"));
  CHECK(decode(W("test"), DNS_T_MX, c.data, c.len, &count));
  CHECK_EQ_INT(count, 2);
  n = rdata(1, DNS_T_MX, out);
  CHECK(n == 2 + 10 && !memcmp(out, "\1\0\3mx2\4test", n));

  cachedata_start(&c);
  cachedata_addname(&c, W("ns1.test"));
  cachedata_addname(&c, W("ns2.test"));
  CHECK(decode(W("test"), DNS_T_NS, c.data, c.len, &count));
  CHECK_EQ_INT(count, 2);
  CHECK(rdata(1, DNS_T_NS, out) == 10 && dns_domain_equal(out, W("ns2.test")));
  CHECK_EQ_INT(cachedata_name(c.data, c.len, 0, out), 10);
  CHECK(dns_domain_equal(out, W("ns1.test")));
  CHECK_EQ_INT(cachedata_name(c.data, c.len, 10, out), 20);
  CHECK(dns_domain_equal(out, W("ns2.test")));

  cachedata_start(&c);
  cachedata_addsoa(&c, W("ns.test"), W("hostmaster.test"), numbers);
  CHECK(decode(W("test"), DNS_T_SOA, c.data, c.len, &count));
  CHECK_EQ_INT(count, 1);
  n = rdata(0, DNS_T_SOA, out);
  memcpy(soa, "\2ns\4test\0\12hostmaster\4test\0", 26);
  memcpy(soa + 26, numbers, 20);
  CHECK(n == 46 && !memcmp(out, soa, 46));

  cachedata_start(&c);
  cachedata_addrdata(&c, "\5hello", 6);
  cachedata_addrdata(&c, "", 0);
  CHECK_EQ_INT(c.len, 2 + 6 + 2);
  CHECK(decode(W("test"), DNS_T_TXT, c.data, c.len, &count));
  CHECK_EQ_INT(count, 2);
  CHECK(rdata(0, DNS_T_TXT, out) == 6 && !memcmp(out, "\5hello", 6));

  CHECK(decode(W("test"), DNS_T_A, "", 0, &count));   /* NODATA: no record */
  CHECK_EQ_INT(count, 0);
}

static void t_limit(void)
{
  struct cachedata c;
  char big[4000];
  memset(big, 'x', sizeof big);
  cachedata_start(&c);
  cachedata_addrdata(&c, big, sizeof big);
  cachedata_addrdata(&c, big, sizeof big);
  CHECK(c.ok && c.len == 8004);
  cachedata_addrdata(&c, big, 200);   /* 8004 + 202 > CACHEDATA_MAX */
  CHECK(!c.ok);
  cachedata_adda(&c, "\1\2\3\4");     /* stays refused */
  CHECK(!c.ok && c.len <= CACHEDATA_MAX);
}

static void t_malformed(void)
{
  unsigned int count;
  char out[DNS_NAME_MAX];
  CHECK(!decode(W("t"), DNS_T_A, "\1\2\3\4\5", 5, &count));          /* 4n + 1 bytes */
  CHECK_EQ_INT(count, 1);                                            /* the good one only */
  CHECK(!decode(W("t"), DNS_T_NS, "\3ns1\4te", 7, &count));          /* name cut */
  CHECK_EQ_INT(count, 0);
  CHECK(!decode(W("t"), DNS_T_NS, "\300\0", 2, &count));             /* no pointers here */
  CHECK(!decode(W("t"), DNS_T_MX, "\0", 1, &count));                 /* preference cut */
  CHECK(!decode(W("t"), DNS_T_SOA, "\2ns\0\2hm\0\0\0\0", 11, &count));   /* numbers cut */
  CHECK(!decode(W("t"), DNS_T_SOA, "\2ns\0", 4, &count));            /* rname missing */
  CHECK(!decode(W("t"), DNS_T_TXT, "\0", 1, &count));                /* length cut */
  CHECK(!decode(W("t"), DNS_T_TXT, "\0\7abc", 5, &count));           /* length past the end */
  CHECK_EQ_INT(cachedata_name("\3ns1\4te", 7, 0, out), 0);
  CHECK_EQ_INT(cachedata_name("\3ns1\0", 5, 5, out), 0);             /* at the end */
}

/* The marks (glue first, stale recheck): apart from the records and the
   glue of the same name, case-folded, cleared by storing 0, gone when
   their TTL has run out. */
static int64_t fakenow = 5000;
static int fakeclock(clockid_t id, struct timespec *ts)
{
  (void)id;
  ts->tv_sec = (time_t)fakenow;
  ts->tv_nsec = 0;
  return 0;
}

static void t_marks(void)
{
  unsigned int len;
  uint32_t ttl;
  const char *z = W("z.test");
  clock_setsource(fakeclock);
  CHECK(!cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, z));
  cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, z, 1, 900);
  CHECK(cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("Z.TEST")));
  CHECK(!cachedata_getmark(DNS_T_A, CACHEDATA_RECHECK, z));
  CHECK(!cachedata_getmark(DNS_T_MX, CACHEDATA_GLUEFIRST, z));
  CHECK(!cachedata_get(DNS_T_A, z, &len, &ttl));   /* not a record */
  CHECK(!cachedata_getglue(z, &len, &ttl));        /* not the glue */
  cachedata_setglue(z, "\300\0\2\1", 4, 300);
  cachedata_set(DNS_T_A, z, "\300\0\2\2", 4, 300);
  CHECK(cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, z));
  cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, z, 0, 900);   /* cleared */
  CHECK(!cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, z));
  cachedata_setmark(DNS_T_MX, CACHEDATA_RECHECK, z, 1, 30);
  CHECK(cachedata_getmark(DNS_T_MX, CACHEDATA_RECHECK, z));
  fakenow += 29;
  CHECK(cachedata_getmark(DNS_T_MX, CACHEDATA_RECHECK, z));
  fakenow += 2;   /* an entry lives through its last second */
  CHECK(!cachedata_getmark(DNS_T_MX, CACHEDATA_RECHECK, z));
  clock_setsource(NULL);
}

int main(void)
{
  if (!cache_init(100000)) return 1;
  RUN(t_marks);
  RUN(t_ttl);
  RUN(t_roundtrip);
  RUN(t_limit);
  RUN(t_malformed);
  return unit_done();
}
