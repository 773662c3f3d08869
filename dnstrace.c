/* dnstrace: asks every server that could take part in resolving one name
   (starting from the root addresses given), following every referral,
   every name server's own address and every CNAME, and prints what each
   server said, one line per fact, as djbdns 1.05's dnstrace does:
     TYPE:NAME:CONTROL:SERVER:EVENT
   (README "dnstrace"; output meant for dnstracesort).

   Guarantees: each (name, type, zone, server) is asked at most once, one
   query at a time, through dns_transmit (dns_resolve_with, non-recursive);
   every read from a reply goes through dns_packet.c's bounds-checked
   readers; a reply that cannot be read is reported as an ALERT line and
   changes nothing.  Output is flushed before each query, so a trace
   written to a file can be read while it runs.  Usage errors exit 100;
   an argument that cannot be turned into a name or addresses, or a
   failed write, exits 111 (with 1.05's wording).  Otherwise exit 0. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buffer.h"
#include "clock.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "dns_resolve.h"
#include "error.h"
#include "ip4.h"
#include "ip6.h"
#include "local.h"
#include "parsetype.h"
#include "printpacket.h"
#include "strerr.h"
#include "uint.h"

#define PROG "dnstrace"

/* What has been learnt so far.  A (name, type) asked about is a "query";
   every NS record seen is an "ns", every A record an "addr"; a query
   becomes a "qt" (a question to one server) for each ns whose zone holds
   the query's name and each address of that ns's target. */
struct ns { char owner[DNS_NAME_MAX], target[DNS_NAME_MAX]; };
struct addr { char owner[DNS_NAME_MAX]; unsigned char ip[4]; };
struct query { char name[DNS_NAME_MAX]; uint16_t type; };
struct qt { char name[DNS_NAME_MAX], control[DNS_NAME_MAX]; uint16_t type; unsigned char ip[4]; };

static struct ns *nss;
static unsigned int nns, cns;
static struct addr *addrs;
static unsigned int naddrs, caddrs;
static struct query *queries;
static unsigned int nqueries, cqueries;
static struct qt *qts;
static unsigned int nqts, cqts;

static struct dns_buf out;   /* lines not yet written to fd 1 */
static int sent;             /* a query has been sent: output is due */

static _Noreturn void usage(void)
{
  strerr_usage(PROG, "dnstrace type name rootip ...");
}

/* 1.05 reports every failure to prepare its work as lack of memory. */
static _Noreturn void nomem(void)
{
  errno = ENOMEM;
  strerr_die(STRERR_TEMP, PROG, "out of memory", 0, 0, 0);
}

static void *grow(void *p, unsigned int *cap, unsigned int n, size_t size)
{
  unsigned int c;
  void *q;
  if (n < *cap) return p;
  c = *cap ? *cap * 2 : 16;
  if (c <= n || (size_t)c > (size_t)-1 / size) nomem();
  q = realloc(p, (size_t)c * size);
  if (!q) nomem();
  *cap = c;
  return q;
}

static void flush(void)
{
  if (!out.len) return;
  if (buffer_putflush(buffer_1, out.s, out.len) == -1)
    strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
  out.len = 0;
}

static void put(const char *s, size_t n)
{
  if (dns_buf_cat(&out, s, n) == -1) nomem();
}
static void puts_(const char *s) { put(s, strlen(s)); }
static void putname(const char *d)
{
  char text[DNS_DOMAIN_TODOT_MAX];
  put(text, dns_domain_todot(text, d));
}
static void putip(const unsigned char ip[4])
{
  char text[IP4_FMT];
  put(text, ip4_fmt(text, ip));
}
static void putulong(unsigned long u)
{
  if (dns_buf_catulong(&out, u) == -1) nomem();
}

/* "TYPE:NAME:CONTROL:SERVER:" for one question; the start pseudo-answer
   when q is NULL. */
static void prefix(const struct qt *q)
{
  if (!q) { puts_("0:.:.:start:"); return; }
  putulong(q->type);
  puts_(":");
  putname(q->name);
  puts_(":");
  putname(q->control);
  puts_(":");
  putip(q->ip);
  puts_(":");
}

static void qt_add(const char *name, uint16_t type, const char *control, const unsigned char ip[4])
{
  unsigned int i;
  for (i = 0; i < nqts; ++i)
    if (qts[i].type == type && !memcmp(qts[i].ip, ip, 4) &&
        dns_domain_equal(qts[i].name, name) && dns_domain_equal(qts[i].control, control))
      return;
  qts = grow(qts, &cqts, nqts, sizeof *qts);
  dns_domain_copy(qts[nqts].name, name);
  dns_domain_copy(qts[nqts].control, control);
  qts[nqts].type = type;
  memcpy(qts[nqts].ip, ip, 4);
  ++nqts;
}

/* A new query is asked of every known server of every zone holding it.
   The root name is never asked about. */
static void query_add(const char *name, uint16_t type)
{
  unsigned int i, j;
  if (!*name) return;
  for (i = 0; i < nqueries; ++i)
    if (queries[i].type == type && dns_domain_equal(queries[i].name, name)) return;
  queries = grow(queries, &cqueries, nqueries, sizeof *queries);
  dns_domain_copy(queries[nqueries].name, name);
  queries[nqueries].type = type;
  ++nqueries;
  for (i = 0; i < nns; ++i) {
    if (!dns_domain_suffix(name, nss[i].owner)) continue;
    for (j = 0; j < naddrs; ++j)
      if (dns_domain_equal(addrs[j].owner, nss[i].target))
        qt_add(name, type, nss[i].owner, addrs[j].ip);
  }
}

/* A new server name for a zone: its address is looked for, and the zone's
   queries go to whatever addresses it already has. */
static void ns_add(const char *owner, const char *target)
{
  unsigned int i, j, n;
  for (i = 0; i < nns; ++i)
    if (dns_domain_equal(nss[i].owner, owner) && dns_domain_equal(nss[i].target, target)) return;
  nss = grow(nss, &cns, nns, sizeof *nss);
  dns_domain_copy(nss[nns].owner, owner);
  dns_domain_copy(nss[nns].target, target);
  n = nns++;
  query_add(target, DNS_T_A);
  for (i = 0; i < nqueries; ++i) {
    if (!dns_domain_suffix(queries[i].name, nss[n].owner)) continue;
    for (j = 0; j < naddrs; ++j)
      if (dns_domain_equal(addrs[j].owner, nss[n].target))
        qt_add(queries[i].name, queries[i].type, nss[n].owner, addrs[j].ip);
  }
}

/* A new address: every zone served by that name asks it its queries. */
static void addr_add(const char *owner, const unsigned char ip[4])
{
  unsigned int i, j, n;
  for (i = 0; i < naddrs; ++i)
    if (!memcmp(addrs[i].ip, ip, 4) && dns_domain_equal(addrs[i].owner, owner)) return;
  addrs = grow(addrs, &caddrs, naddrs, sizeof *addrs);
  dns_domain_copy(addrs[naddrs].owner, owner);
  memcpy(addrs[naddrs].ip, ip, 4);
  n = naddrs++;
  for (i = 0; i < nns; ++i) {
    if (!dns_domain_equal(nss[i].target, addrs[n].owner)) continue;
    for (j = 0; j < nqueries; ++j)
      if (dns_domain_suffix(queries[j].name, nss[i].owner))
        qt_add(queries[j].name, queries[j].type, nss[i].owner, addrs[n].ip);
  }
}

/* One record's fixed part, as far as this tool needs it.  RDATA is only
   checked to fit when it is read. */
struct rec {
  char owner[DNS_NAME_MAX];
  uint16_t type, class;
  unsigned int rdpos, rdlength, start, next;
};

static unsigned int readrec(const char *buf, unsigned int len, unsigned int pos, struct rec *r)
{
  r->start = pos;
  pos = dns_packet_getname(buf, len, pos, r->owner);
  if (!pos) return 0;
  if (pos + 10 > len) { errno = EPROTO; return 0; }
  r->type = uint16_unpack_big(buf + pos);
  r->class = uint16_unpack_big(buf + pos + 2);
  r->rdlength = uint16_unpack_big(buf + pos + 8);
  r->rdpos = pos + 10;
  r->next = r->rdpos + r->rdlength;
  return r->next;
}

/* What a reply says about q, decided before anything is printed. */
struct verdict {
  int rcode, out, cname, soa, referral;
  char cnametarget[DNS_NAME_MAX], referralname[DNS_NAME_MAX];
  unsigned int records, first;   /* record count and the first one's position */
};

static int answers(uint16_t type, uint16_t qtype)
{
  return type == qtype || qtype == DNS_T_ANY;
}

static int judge(const struct qt *q, const char *buf, unsigned int len, struct verdict *v)
{
  struct dns_header h;
  struct rec r;
  char name[DNS_NAME_MAX];
  unsigned int pos, i;
  memset(v, 0, sizeof *v);
  pos = dns_packet_header(buf, len, &h);
  if (!pos) return -1;
  for (i = 0; i < h.qdcount; ++i) {
    pos = dns_packet_skipname(buf, len, pos);
    if (!pos || pos + 4 > len) { errno = EPROTO; return -1; }
    pos += 4;
  }
  v->rcode = h.flags & DNS_F_RCODE;
  v->first = pos;
  v->records = (unsigned int)h.ancount + h.nscount + h.arcount;
  for (i = 0; i < v->records; ++i) {
    pos = readrec(buf, len, pos, &r);
    if (!pos) return -1;
    if (r.class != DNS_C_IN) continue;
    if (r.type == DNS_T_A && (r.rdlength != 4 || r.rdpos + 4 > len)) { errno = EPROTO; return -1; }
    if (r.type == DNS_T_NS && !dns_packet_getname(buf, len, r.rdpos, name)) return -1;
    if (i < h.ancount) {
      if (!dns_domain_equal(r.owner, q->name)) continue;
      if (answers(r.type, q->type)) v->out = 1;
      else if (r.type == DNS_T_CNAME) {
        if (!dns_packet_getname(buf, len, r.rdpos, v->cnametarget)) return -1;
        v->cname = 1;
      }
    } else if (i < (unsigned int)h.ancount + h.nscount) {
      if (r.type == DNS_T_SOA) v->soa = 1;
      if (r.type == DNS_T_NS) {
        v->referral = 1;
        dns_domain_copy(v->referralname, r.owner);
      }
    }
  }
  /* the answer lines must all be printable before any line is */
  if (v->out && !v->cname && v->rcode != DNS_R_NXDOMAIN) {
    struct dns_buf scratch = { 0, 0, 0 };
    int ok = 1;
    pos = v->first;
    for (i = 0; i < h.ancount && ok; ++i) {
      pos = readrec(buf, len, pos, &r);
      if (r.class == DNS_C_IN && answers(r.type, q->type) && dns_domain_equal(r.owner, q->name))
        if (!printrecord_cat(&scratch, buf, len, r.start)) ok = 0;
    }
    dns_buf_free(&scratch);
    if (!ok) return -1;
  }
  return 0;
}

static void line(const struct qt *q, const char *event)
{
  prefix(q);
  puts_(event);
}

static void report(const struct qt *q, const char *buf, unsigned int len)
{
  struct verdict v;
  struct rec r;
  char name[DNS_NAME_MAX];
  unsigned int pos, i;

  if (judge(q, buf, len, &v) == -1) {
    line(q, "ALERT:unable to parse response packet; ");
    puts_(error_str(errno));
    puts_("\n");
    return;
  }
  if (!v.cname && v.rcode != DNS_R_NXDOMAIN && !v.out && !v.soa && v.referral &&
      (dns_domain_equal(v.referralname, q->control) ||
       !dns_domain_suffix(v.referralname, q->control))) {
    line(q, "ALERT:lame server; refers to ");
    putname(v.referralname);
    puts_("\n");
    return;
  }

  /* what the server says about names outside its zone is not used */
  pos = v.first;
  for (i = 0; i < v.records; ++i) {
    pos = readrec(buf, len, pos, &r);
    if (r.class != DNS_C_IN || !dns_domain_suffix(r.owner, q->control)) continue;
    if (r.type == DNS_T_NS) {
      dns_packet_getname(buf, len, r.rdpos, name);
      line(q, "NS:");
      putname(r.owner);
      puts_(":");
      putname(name);
      puts_("\n");
      ns_add(r.owner, name);
    } else if (r.type == DNS_T_A) {
      line(q, "A:");
      putname(r.owner);
      puts_(":");
      putip((const unsigned char *)buf + r.rdpos);
      puts_("\n");
      addr_add(r.owner, (const unsigned char *)buf + r.rdpos);
    }
  }

  if (v.cname) {
    line(q, "CNAME:");
    putname(v.cnametarget);
    puts_("\n");
    query_add(v.cnametarget, q->type);
  } else if (v.rcode == DNS_R_NXDOMAIN) {
    line(q, "NXDOMAIN\n");
  } else if (v.out) {
    struct dns_header h;
    dns_packet_header(buf, len, &h);
    pos = v.first;
    for (i = 0; i < h.ancount; ++i) {
      pos = readrec(buf, len, pos, &r);
      if (r.class != DNS_C_IN || !answers(r.type, q->type) || !dns_domain_equal(r.owner, q->name))
        continue;
      line(q, "answer:");
      if (!printrecord_cat(&out, buf, len, r.start)) nomem();
      puts_("\n");
    }
  } else if (v.soa || !v.referral) {
    line(q, "NODATA\n");
  } else {
    line(q, "see:");
    putname(v.referralname);
    puts_("\n");
  }
}

/* Asks one server; q is copied because the lists move as they grow. */
static void ask(struct qt q)
{
  static const char localhost[] = "\011localhost";
  static const unsigned char loopback[4] = { 127, 0, 0, 1 };
  char servers[DNS_SERVERS_LEN];
  unsigned char ip[4];
  int64_t start;

  line(&q, "tx\n");
  flush();
  sent = 1;
  memset(servers, 0, sizeof servers);
  ip6_from4((unsigned char *)servers, q.ip);
  start = clock_ms();
  if (dns_resolve_with(servers, 0, q.name, q.type) == -1) {
    line(&q, "ALERT:query failed; ");
    puts_(error_str(errno));
    puts_("\n");
  } else {
    unsigned int len;
    const char *buf = dns_resolve_packet(&len);
    if (clock_ms() - start > 1000) line(&q, "ALERT:took more than 1 second\n");
    report(&q, buf, len);
  }

  if (dns_domain_equal(q.name, localhost)) {
    line(&q, "ALERT:some caches do not handle localhost internally\n");
    line(&q, "A:localhost:127.0.0.1\n");
    addr_add(q.name, loopback);
  } else if (local_address(q.name, ip)) {
    line(&q, "ALERT:some caches do not handle IP addresses internally\n");
    line(&q, "A:");
    putname(q.name);
    puts_(":");
    putip(ip);
    puts_("\n");
    addr_add(q.name, ip);
  }
}

int main(int argc, char **argv)
{
  static const char root[1] = { 0 };
  static struct dns_buf ips = { 0, 0, 0 }, fqdn = { 0, 0, 0 };
  char name[DNS_NAME_MAX];
  uint16_t type;
  unsigned int i;
  (void)argc;

  if (!argv[1] || !parsetype(argv[1], &type)) usage();
  if (!argv[2]) usage();
  if (!dns_domain_fromdot(name, argv[2], strlen(argv[2]))) nomem();

  /* the start: the root zone, served by a nameless server at each root
     address (no query is ever made for the root name itself) */
  line(0, "NS:.:.\n");
  nss = grow(nss, &cns, nns, sizeof *nss);
  nss[0].owner[0] = 0;
  nss[0].target[0] = 0;
  nns = 1;
  query_add(name, type);
  for (i = 3; argv[i]; ++i) {
    size_t j;
    if (dns_resolve_qualify(&ips, &fqdn, argv[i], strlen(argv[i])) == -1) nomem();
    for (j = 0; j + 4 <= ips.len; j += 4) {
      line(0, "A:.:");
      putip((const unsigned char *)ips.s + j);
      puts_("\n");
      addr_add(root, (const unsigned char *)ips.s + j);
    }
  }

  for (i = 0; i < nqts; ++i) ask(qts[i]);
  /* nothing was ever asked: 1.05 writes nothing at all */
  if (sent) flush();
  return 0;
}
