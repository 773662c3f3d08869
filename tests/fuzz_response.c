/* fuzz_response.c: libFuzzer target for the resolver's handling of an
   upstream reply, set up as tests/unit_query.c does (query_begin stops
   where a transmission would start; query_packet feeds the reply; no
   socket is ever opened).  Input:
     byte 0      options: bit 0 FORWARDONLY, bit 1 HIDETTL, bits 2-3 the
                 scenario (0: the client asks the reply's question and the
                 root is asked; 1: a canned glued referral to the reply's
                 TLD comes first; 2: a glueless referral comes first, so
                 the reply answers the level-1 lookup of an NS name (the
                 reply's question name); 3: as 0, asked for type ANY);
                 bit 4: $QUERYLOOPBACK unset (the canned servers are on
                 127.53.x, so it is set otherwise)
     bytes 1-2   the cache size (big endian, + 100): small sizes make the
                 FIFO evict while the reply is being cached
     the rest    the reply, fed up to 4 times while the engine keeps
                 asking (so referrals chain), from the server it asked.
   Checked: no crash, leak or undefined behaviour; every cache entry
   afterwards for the names in the reply, its question, the TLD and the
   root has the format cachedata.h promises (A: 4n bytes; NS/PTR/CNAME:
   well-formed wire names end to end; MX: preference + name; SOA:
   two names + 20 bytes; others: length + RDATA end to end) and a TTL of at most 604800; asking the
   question again (from the cache) gives a response that parses.
   Build: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cache.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "ip6.h"
#include "log.h"
#include "query.h"
#include "cachedata.h"
#include "response.h"
#include "roots.h"
#include "uint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const unsigned char zero4[4];
static const unsigned char ROOT1[4] = { 127, 53, 0, 1 };
static const unsigned char ROOT1_16[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 53, 0, 1 };
static const unsigned char TLD1[4] = { 127, 53, 1, 1 };
static const unsigned char key[16] = { 1, 2, 3 };

#define MAXNAMES 32

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  char servers[64], d[DNS_NAME_MAX];
  (void)argc; (void)argv;
  cache_setkey(key);
  memset(servers, 0, sizeof servers);
  memcpy(servers, ROOT1, 4);
  roots_add("", servers);
  /* a configured zone (servers/fwd.test): bailiwick and ghost-domain rules */
  memset(servers, 0, sizeof servers);
  servers[0] = 127; servers[1] = 53; servers[2] = 7; servers[3] = 7;
  dns_domain_fromdot(d, "fwd.test", 8);
  roots_add(d, servers);
  return 0;
}

/* Length of a well-formed wire name at d (at most max bytes), or 0. */
static unsigned int wirename(const char *d, unsigned int max)
{
  const unsigned char *u = (const unsigned char *)d;
  unsigned int pos = 0;
  for (;;) {
    if (pos >= max || pos >= DNS_NAME_MAX || u[pos] > DNS_LABEL_MAX) return 0;
    if (!u[pos]) return pos + 1;
    pos += u[pos] + 1u;
  }
}

static void check_entry(uint16_t type, const char *d)
{
  unsigned int len, pos = 0, n;
  uint32_t ttl;
  const char *x = cachedata_get(type, d, &len, &ttl);
  if (!x) return;
  if (ttl > CACHE_MAXTTL) bad("ttl over the cap");
  switch (type) {
    case DNS_T_A:
      if (len % 4) bad("A entry");
      break;
    case DNS_T_NS: case DNS_T_PTR: case DNS_T_CNAME:
      while (pos < len) {
        if (!(n = wirename(x + pos, len - pos))) bad("name entry");
        pos += n;
      }
      if (type == DNS_T_CNAME && len && wirename(x, len) != len) bad("CNAME entry");
      break;
    case DNS_T_MX:
      while (pos < len) {
        if (len - pos < 3 || !(n = wirename(x + pos + 2, len - pos - 2))) bad("MX entry");
        pos += 2 + n;
      }
      break;
    case DNS_T_SOA:   /* mname, rname (uncompressed), 20 bytes of numbers */
      while (pos < len) {
        unsigned int m;
        if (!(n = wirename(x + pos, len - pos))) bad("SOA mname");
        if (!(m = wirename(x + pos + n, len - pos - n))) bad("SOA rname");
        if (len - pos - n - m < 20) bad("SOA numbers");
        pos += n + m + 20;
      }
      break;
    case DNS_T_ANY:
      if (len) bad("NXDOMAIN entry not empty");
      break;
    default:
      while (pos < len) {
        if (len - pos < 2) bad("RDATA entry length");
        n = uint16_unpack_big(x + pos);
        if (n > len - pos - 2) bad("RDATA entry past end");
        pos += 2 + n;
      }
      break;
  }
}

static void check_cache(char names[][DNS_NAME_MAX], unsigned int n)
{
  static const uint16_t types[] = {
    DNS_T_A, DNS_T_NS, DNS_T_CNAME, DNS_T_SOA, DNS_T_PTR, DNS_T_MX,
    DNS_T_TXT, DNS_T_AAAA, DNS_T_ANY, 99
  };
  for (unsigned int i = 0; i < n; i++)
    for (unsigned int k = 0; k < sizeof types / sizeof types[0]; k++) {
      char low[DNS_NAME_MAX];
      check_entry(types[k], names[i]);
      dns_domain_copy(low, names[i]);
      dns_domain_lower(low);
      check_entry(types[k], low);
    }
}

static void check_response(void)
{
  const char *r = response_data();
  unsigned int rlen = response_len(), pos, i;
  struct dns_header h;
  char d[DNS_NAME_MAX];
  uint16_t t, c;
  pos = dns_packet_header(r, rlen, &h);
  if (!pos) bad("response header");
  for (i = 0; pos && i < h.qdcount; i++) pos = dns_packet_question(r, rlen, pos, d, &t, &c);
  for (i = 0; pos && i < (unsigned int)h.ancount + h.nscount + h.arcount; i++)
    pos = dns_packet_rr(r, rlen, pos, d, NULL);
  if (pos != rlen) bad("response does not parse");
}

/* The server the engine would send to now. */
static const unsigned char *server_of(const struct query *q)
{
  if (!q->sv) return ROOT1_16;
  for (unsigned int k = 0; k < DNS_SERVERS; k++) {
    const unsigned char *s = (const unsigned char *)q->sv->servers[q->level] + 16 * k;
    if (!ip6_isempty(s)) return s;
  }
  return ROOT1_16;
}

/* A canned referral for the question qname/qtype: zone NS nsname, with
   glue A glue if glue is not NULL. */
static unsigned int referral(char *out, const char *qname, uint16_t qtype, const char *zone,
                             const char *nsname, const unsigned char *glue)
{
  unsigned int len = dns_packet_query(out, 1024, qname, qtype, 1, 0), n;
  uint16_pack_big(out + 2, 0x8000);
  uint16_pack_big(out + 8, 1);
  n = dns_domain_length(zone);
  memcpy(out + len, zone, n); len += n;
  uint16_pack_big(out + len, DNS_T_NS); uint16_pack_big(out + len + 2, DNS_C_IN);
  uint32_pack_big(out + len + 4, 3000);
  n = dns_domain_length(nsname);
  uint16_pack_big(out + len + 8, (uint16_t)n);
  memcpy(out + len + 10, nsname, n); len += 10 + n;
  if (glue) {
    uint16_pack_big(out + 10, 1);
    memcpy(out + len, nsname, n); len += n;
    uint16_pack_big(out + len, DNS_T_A); uint16_pack_big(out + len + 2, DNS_C_IN);
    uint32_pack_big(out + len + 4, 3000);
    uint16_pack_big(out + len + 8, 4);
    memcpy(out + len + 10, glue, 4); len += 14;
  }
  return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct query q;
  static char names[MAXNAMES][DNS_NAME_MAX];
  char qname[DNS_NAME_MAX], client[DNS_NAME_MAX], canned[1024], d[DNS_NAME_MAX];
  uint16_t qtype = DNS_T_A, qclass;
  unsigned int len, n = 0, pos, i, clen;
  unsigned int opts, scenario;
  char *p;
  int r, rounds;
  struct dns_header h;

  if (size < 3 || size > 3 + DNS_TCP_MAX) return 0;
  opts = data[0];
  scenario = (opts >> 2) & 3;
  len = (unsigned int)size - 3;
  p = malloc(len ? len : 1);
  if (!p) return 0;
  memcpy(p, data + 3, len);
  if (!cache_init(100 + (unsigned int)(data[1] << 8 | data[2]))) bad("cache_init");
  query_init(opts & 1, (opts >> 1) & 1);
  query_queryloopback(!((opts >> 4) & 1));

  /* the question the reply answers; a fixed one if it has none */
  if (!dns_packet_header(p, len, &h) || !dns_packet_question(p, len, 12, qname, &qtype, &qclass))
    dns_domain_fromdot(qname, "www.test", 8);
  dns_domain_copy(names[n++], qname);
  dns_domain_copy(names[n++], "");
  {
    const char *tld = qname;
    while (*tld && *dns_domain_parent(tld)) tld = dns_domain_parent(tld);
    dns_domain_copy(names[n++], tld);
  }
  /* the names in the reply */
  pos = dns_packet_header(p, len, &h) ? 12 : 0;
  for (i = 0; pos && i < h.qdcount; i++) pos = dns_packet_question(p, len, pos, d, NULL, NULL);
  for (i = 0; pos && n < MAXNAMES && i < (unsigned int)h.ancount + h.nscount + h.arcount; i++) {
    struct dns_rr rr;
    pos = dns_packet_rr(p, len, pos, d, &rr);
    if (!pos) break;
    dns_domain_copy(names[n++], d);
    if ((rr.type == DNS_T_NS || rr.type == DNS_T_CNAME) && n < MAXNAMES
        && dns_packet_getname(p, len, rr.rdpos, d))
      dns_domain_copy(names[n++], d);
  }

  /* the client's query, and what comes before the reply */
  dns_domain_copy(client, qname);
  if (scenario == 2) dns_domain_fromdot(client, "www.glueless.test", 17);
  if (scenario == 3) qtype = DNS_T_ANY;
  if (scenario == 2) qtype = DNS_T_A;
  r = query_begin(&q, client, qtype, DNS_C_IN, zero4);
  if (r == 0 && q.state == QUERY_SEND && scenario == 1 && *qname) {
    const char *tld = qname;
    static const char nsname[] = "\1a\3nic\4test";   /* test.'s NS in the fakenet */
    while (*dns_domain_parent(tld)) tld = dns_domain_parent(tld);
    clen = referral(canned, client, qtype, tld, nsname, TLD1);
    r = query_packet(&q, canned, clen, server_of(&q));
  }
  if (r == 0 && q.state == QUERY_SEND && scenario == 2) {
    /* glueless: the NS name is the reply's question name */
    char zone[DNS_NAME_MAX];
    dns_domain_fromdot(zone, "glueless.test", 13);
    clen = referral(canned, client, qtype, zone, qname, NULL);
    r = query_packet(&q, canned, clen, server_of(&q));
  }

  /* the fuzzed reply, as often as the engine asks again */
  for (rounds = 0; r == 0 && q.state == QUERY_SEND && rounds < 4; rounds++)
    r = query_packet(&q, p, len, server_of(&q));
  if (r == 1) check_response();
  if (r == 0 && q.state != QUERY_SEND && q.state != QUERY_WAIT) bad("engine state");
  query_forget(&q);
  if (q.state != QUERY_IDLE) bad("forget");

  check_cache(names, n);

  /* the same question again: now partly from the cache */
  r = query_begin(&q, client, qtype, DNS_C_IN, zero4);
  if (r == 1) check_response();
  query_forget(&q);
  log_flush();
  free(p);
  return 0;
}
