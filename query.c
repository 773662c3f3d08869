/* query.c: the iterative resolution of one client query (SPEC 2.5).
   Guarantees: every step is bounded (QUERY_MAXLOOP steps, QUERY_MAXLEVEL
   levels, QUERY_MAXALIAS aliases, QUERY_MAXNS NS names, 16 servers); every
   read from a reply is bounds-checked (a malformed reply drops the query
   with EPROTO); a query that ends (1 or -1) or is forgotten holds no
   memory, socket or in-flight entry; identical outgoing queries are never
   in flight twice (decision 5).  The engine (query_begin/packet/failed/
   resume) never touches a socket; query_start/io/get/forget drive it with
   dns_transmit.  Caching of replies lives in query_cache.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"
#include "query_cache.h"
#include "cache.h"
#include "clock.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "dns_random.h"
#include "local.h"
#include "log.h"
#include "response.h"
#include "roots.h"
#include "uint.h"
#include "ip6.h"

enum { STEP_NEXT, STEP_WAIT, STEP_ANSWER, STEP_DIE };

static unsigned char ipsend[4];
static int flagforwardonly, flaghidettl, flagloopback;
static struct query *inflight;   /* queries in QUERY_SEND, newest first */
static uint64_t serials;
/* Serials of recent transmissions that failed: their waiters fail too
   rather than repeat the same 11-60 s of retries (if a serial has left
   this ring, its waiters just send their own query). */
#define FAILED_RING 256
static uint64_t failed[FAILED_RING];
static unsigned int failedpos;

static int leader_failed(uint64_t serial)
{
  unsigned int i;
  for (i = 0; i < FAILED_RING; ++i)
    if (failed[i] == serial) return 1;
  return 0;
}

void query_init(const unsigned char ip[4], int forwardonly, int hidettl)
{
  memcpy(ipsend, ip, 4);
  flagforwardonly = forwardonly;
  flaghidettl = hidettl;
}

void query_queryloopback(int allowed)
{
  flagloopback = allowed;
}

/* May an address learned from the network (glue, an NS name's A record,
   a dotted-quad NS name) be queried?  Never 0.0.0.0/8 ("this host"),
   127.0.0.0/8 only with $QUERYLOOPBACK: a remote zone must not make the
   cache query the host it runs on (SPEC 4.3).  servers/ addresses never
   come through here. */
static int learnedok(const char *ip)
{
  unsigned char first = (unsigned char)ip[0];
  if (first == 0) return 0;
  if (first == 127) return flagloopback;
  return 1;
}

uint32_t query_ttlget(uint32_t ttl)
{
  if (ttl > 2147483647u) return 0;
  if (ttl > CACHE_MAXTTL) return CACHE_MAXTTL;
  return ttl;
}

static uint32_t outttl(uint32_t ttl) { return flaghidettl ? 0 : ttl; }
static int typematch(uint16_t rtype, uint16_t qtype) { return qtype == DNS_T_ANY || rtype == qtype; }
static uint16_t dtype(const struct query *q) { return q->level ? DNS_T_A : q->type; }

static char *namedup(const char *d)
{
  unsigned int n = dns_domain_length(d);
  char *x = malloc(n);
  if (x) memcpy(x, d, n);
  return x;
}

/* Replaces a name slot's name; the client's name (qname) is not on the heap. */
static void setname(struct query *q, char **slot, char *d)
{
  if (*slot && *slot != q->qname) free(*slot);
  *slot = d;
}

static int die(int e) { errno = e; return STEP_DIE; }

/* ------------------------------------------------------------ in flight */

static void unlink_inflight(struct query *q)
{
  if (!q->serial) return;
  if (q->prev) q->prev->next = q->next; else inflight = q->next;
  if (q->next) q->next->prev = q->prev;
  q->prev = q->next = NULL;
  q->serial = 0;
}

static struct query *find_inflight(const char *name, uint16_t type, const char *control)
{
  struct query *x;
  for (x = inflight; x; x = x->next)
    if (dtype(x) == type && dns_domain_equal(x->name[x->level], name)
        && dns_domain_equal(x->control[x->level], control))
      return x;
  return NULL;
}

int query_leader_done(const struct query *q)
{
  const struct query *x;
  for (x = inflight; x; x = x->next)
    if (x->serial == q->waitfor) return 0;
  return 1;
}

/* ------------------------------------------------------------- cleanup */

static void freelevel(struct query *q, unsigned int l)
{
  unsigned int j;
  /* most levels of most queries were never used: skip them cheaply */
  if (q->name[l] || q->control[l]) {
    setname(q, &q->name[l], NULL);
    setname(q, &q->control[l], NULL);
  }
  for (j = 0; j < QUERY_MAXNS; ++j)
    if (q->ns[l][j]) setname(q, &q->ns[l][j], NULL);
  memset(q->servers[l], 0, 64);
}

static void cleanup(struct query *q)
{
  unsigned int l, j;
  unlink_inflight(q);
  if (q->transmitting) dns_transmit_free(&q->dt);
  q->transmitting = 0;
  /* only what this query used: a cache hit touches level 0 alone */
  for (l = 0; l < q->deepest && l < QUERY_MAXLEVEL; ++l) freelevel(q, l);
  for (j = 0; j < q->nalias && j < QUERY_MAXALIAS; ++j) setname(q, &q->alias[j], NULL);
  q->nalias = 0;
  q->deepest = 0;
  q->level = 0;
  q->state = QUERY_IDLE;
}

/* ------------------------------------------------------------- answers */

/* The response's question and the CNAME chain followed so far. */
static int rqa(struct query *q)
{
  unsigned int j;
  const char *first = q->nalias ? q->alias[0] : q->name[0];
  if (!response_query(first, q->type, q->class)) return 0;
  for (j = 0; j < q->nalias; ++j) {
    const char *target = j + 1 < q->nalias ? q->alias[j + 1] : q->name[0];
    if (!response_rstart(q->alias[j], DNS_T_CNAME, outttl(q->aliasttl[j]))) return 0;
    if (!response_addname(target)) return 0;
    response_rfinish();
  }
  return 1;
}

static void addservers(char servers[64], const char *ips, unsigned int n)
{
  static const char zero[4];
  unsigned int i, k;
  for (i = 0; i + 4 <= n; i += 4)
    for (k = 0; k < 16 && learnedok(ips + i); ++k)
      if (!memcmp(servers + 4 * k, zero, 4)) { memcpy(servers + 4 * k, ips + i, 4); break; }
}

/* Level > 0 is finished (answered or given up): back to the parent. */
static int lowerlevel(struct query *q)
{
  freelevel(q, q->level);
  --q->level;
  q->state = QUERY_HAVENS;
  return STEP_NEXT;
}

static int servfail(struct query *q)
{
  if (q->level) return lowerlevel(q);
  if (!rqa(q)) return die(EIO);
  response_servfail();
  return STEP_ANSWER;
}

static int nxdomain(struct query *q)
{
  if (q->level) return lowerlevel(q);
  if (!rqa(q)) return die(EIO);
  response_nxdomain();
  return STEP_ANSWER;
}

/* Continue with target after a CNAME for name[level] (ttl as received). */
static int follow_cname(struct query *q, const char *target, uint32_t ttl)
{
  char *t = namedup(target);
  if (!t) return die(ENOMEM);
  if (!q->level) {
    if (q->nalias >= QUERY_MAXALIAS) { free(t); return die(EIO); }
    q->alias[q->nalias] = q->name[0];
    q->aliasttl[q->nalias++] = ttl;
    q->name[0] = t;
  } else
    setname(q, &q->name[q->level], t);
  q->state = QUERY_NEWNAME;
  return STEP_NEXT;
}

/* --------------------------------------------------------- local names */

static const char loopback_ptr[] = "\0011\0010\0010\003127\007in-addr\004arpa";

static int st_local(struct query *q)
{
  const char *d = q->name[q->level];
  unsigned char ip[4];
  if (q->level) {
    if (!local_address(d, ip)) return STEP_WAIT;   /* not local */
    addservers(q->servers[q->level - 1], (const char *)ip, 4);
    return lowerlevel(q);
  }
  if (!q->nalias) return local_respond(d, q->type, q->class, flaghidettl) ? STEP_ANSWER : STEP_WAIT;
  /* reached through a CNAME: the same answers after the chain */
  if (local_address(d, ip)) {
    if (!rqa(q)) return die(EIO);
    if (typematch(DNS_T_A, q->type)) {
      if (!response_rstart(d, DNS_T_A, outttl(655360))) return die(EIO);
      if (!response_addbytes((const char *)ip, 4)) return die(EIO);
      response_rfinish();
    }
    return STEP_ANSWER;
  }
  if (dns_domain_equal(d, loopback_ptr)) {
    if (!rqa(q)) return die(EIO);
    if (typematch(DNS_T_PTR, q->type)) {
      if (!response_rstart(d, DNS_T_PTR, outttl(655360))) return die(EIO);
      if (!response_addname("\011localhost")) return die(EIO);
      response_rfinish();
    }
    log_stats();
    return STEP_ANSWER;
  }
  return STEP_WAIT;
}

/* --------------------------------------------------------- cache lookup */

/* Writes cached set data of type as answer records for d.  0 on overflow
   or if the data does not parse. */
static int answer_cached(const char *d, uint16_t type, const char *data,
                         unsigned int len, uint32_t ttl)
{
  char name[DNS_NAME_MAX];
  unsigned int pos = 0, next;
  ttl = outttl(ttl);
  while (pos < len) {
    if (!response_rstart(d, type, ttl)) return 0;
    switch (type) {
      case DNS_T_A:
        if (len - pos < 4 || !response_addbytes(data + pos, 4)) return 0;
        pos += 4;
        break;
      case DNS_T_MX:
        if (len - pos < 2 || !response_addbytes(data + pos, 2)) return 0;
        pos += 2;
        __attribute__((fallthrough));
      case DNS_T_NS: case DNS_T_PTR: case DNS_T_CNAME:
        pos = dns_packet_getname(data, len, pos, name);
        if (!pos || !response_addname(name)) return 0;
        break;
      case DNS_T_SOA:
        if (!query_cache_writesoa(data, len, &pos)) return 0;
        break;
      default:
        if (len - pos < 2) return 0;
        next = uint16_unpack_big(data + pos);
        pos += 2;
        if (len - pos < next || !response_addbytes(data + pos, next)) return 0;
        pos += next;
    }
    response_rfinish();
  }
  return 1;
}

/* 1 answered (or finished this level), 0 miss, -1 die, 2 continue (CNAME). */
static int st_cache(struct query *q, int *step)
{
  const char *d = q->name[q->level];
  uint16_t t = dtype(q);
  const char *data;
  unsigned int len;
  uint32_t ttl;
  static const uint16_t order[4] = { DNS_T_NS, DNS_T_PTR, DNS_T_MX, DNS_T_A };
  unsigned int i;

  if (query_cache_get(DNS_T_ANY, d, &len, &ttl)) {
    log_nxdomain_cached(d);
    *step = nxdomain(q);
    return 1;
  }
  data = query_cache_get(DNS_T_CNAME, d, &len, &ttl);
  if (data && len) {
    char target[DNS_NAME_MAX];
    if (t == DNS_T_CNAME || t == DNS_T_ANY) {
      log_cachedanswer(d, DNS_T_CNAME);
      *step = (rqa(q) && answer_cached(d, DNS_T_CNAME, data, len, ttl)) ? STEP_ANSWER : die(EIO);
      return 1;
    }
    if (dns_packet_getname(data, len, 0, target)) {
      log_cachedcname(d, target);
      *step = follow_cname(q, target, ttl);
      return 1;
    }
  }
  for (i = 0; i < 4; ++i) {
    if (!typematch(order[i], t)) continue;
    data = query_cache_get(order[i], d, &len, &ttl);
    if (!data || (!len && t == DNS_T_ANY)) continue;
    log_cachedanswer(d, order[i]);
    if (q->level) {
      addservers(q->servers[q->level - 1], data, len);
      *step = lowerlevel(q);
      return 1;
    }
    *step = (rqa(q) && answer_cached(d, order[i], data, len, ttl)) ? STEP_ANSWER : die(EIO);
    return 1;
  }
  switch (t) {
    case DNS_T_ANY: case DNS_T_AXFR: case DNS_T_CNAME: case DNS_T_NS:
    case DNS_T_PTR: case DNS_T_A: case DNS_T_MX:
      return 0;
  }
  data = query_cache_get(t, d, &len, &ttl);
  if (!data) return 0;
  log_cachedanswer(d, t);
  *step = (rqa(q) && answer_cached(d, t, data, len, ttl)) ? STEP_ANSWER : die(EIO);
  return 1;
}

/* ------------------------------------------------------- find servers */

static int st_findservers(struct query *q)
{
  unsigned int l = q->level, j;
  const char *d = q->name[l];
  const char *p = d;
  for (j = 0; j < QUERY_MAXNS; ++j) setname(q, &q->ns[l][j], NULL);
  for (;;) {
    if (roots_servers(q->servers[l], p)) break;
    if (!flagforwardonly && l < 2) {
      const char *data;
      unsigned int len, pos = 0, k = 0;
      uint32_t ttl;
      data = query_cache_get(DNS_T_NS, p, &len, &ttl);
      if (data && len) {
        char ns[DNS_NAME_MAX];
        memset(q->servers[l], 0, 64);
        while (pos < len && k < QUERY_MAXNS) {
          pos = dns_packet_getname(data, len, pos, ns);
          if (!pos) break;
          log_cachedns(p, ns);
          if (!(q->ns[l][k++] = namedup(ns))) return die(ENOMEM);
        }
        break;
      }
    }
    if (!*p) return die(EIO);   /* no servers/@: dropped, as the original */
    p = dns_domain_parent(p);
  }
  {
    char *c = namedup(p);
    if (!c) return die(ENOMEM);
    setname(q, &q->control[l], c);
  }
  q->state = QUERY_HAVENS;
  return STEP_NEXT;
}

static int st_newname(struct query *q)
{
  int r, step;
  if (++q->loop >= QUERY_MAXLOOP) return die(EIO);
  r = st_local(q);
  if (r != STEP_WAIT) return r;
  if (st_cache(q, &step)) return step;
  return st_findservers(q);
}

/* ------------------------------------------------------------- havens */

static int st_havens(struct query *q)
{
  static const char zero[64];
  unsigned int l = q->level, j;
  struct query *leader;
  for (j = 0; j < QUERY_MAXNS; ++j) {
    if (!q->ns[l][j]) continue;
    if (l + 1 < QUERY_MAXLEVEL) {
      freelevel(q, l + 1);
      q->name[l + 1] = q->ns[l][j];
      q->ns[l][j] = NULL;
      q->level = l + 1;
      if (q->deepest < l + 2) q->deepest = l + 2;
      q->state = QUERY_NEWNAME;
      return STEP_NEXT;
    }
    setname(q, &q->ns[l][j], NULL);
  }
  if (!memcmp(q->servers[l], zero, 64)) return servfail(q);
  leader = find_inflight(q->name[l], dtype(q), q->control[l]);
  if (leader) {
    q->waitfor = leader->serial;
    q->state = QUERY_WAIT;
    return STEP_WAIT;
  }
  dns_random_shuffle_ip4(q->servers[l], 16);
  log_tx(q->name[l], dtype(q), q->control[l], q->servers[l], l);
  q->serial = ++serials;
  q->prev = NULL;
  q->next = inflight;
  if (inflight) inflight->prev = q;
  inflight = q;
  q->state = QUERY_SEND;
  return STEP_WAIT;
}

/* ------------------------------------------------------------- replies */

/* Adds the reply's answer records for d (matching dtype) to the response. */
static int answer_packet(struct query *q, const char *buf, unsigned int len,
                         const struct dns_header *h, unsigned int pos)
{
  const char *d = q->name[0];
  unsigned int i;
  char owner[DNS_NAME_MAX];
  struct dns_rr rr;
  if (!rqa(q)) return die(EIO);
  for (i = 0; i < h->ancount; ++i) {
    unsigned int next = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!next) return die(EPROTO);
    if (rr.class == DNS_C_IN && typematch(rr.type, q->type) && dns_domain_equal(owner, d)) {
      if (!response_rstart(owner, rr.type, outttl(query_ttlget(rr.ttl)))) return die(EIO);
      switch (query_cache_writerecord(buf, len, &rr)) {
        case -1: return die(EPROTO);
        case 0: return die(EIO);
      }
      response_rfinish();
    }
    pos = next;
  }
  return STEP_ANSWER;
}

static int referral(struct query *q, const char *buf, unsigned int len,
                    const struct dns_header *h, unsigned int pos, const char *ref)
{
  unsigned int l = q->level, i, k = 0;
  const char *d = q->name[l];
  char owner[DNS_NAME_MAX], ns[DNS_NAME_MAX];
  struct dns_rr rr;
  char *c;
  if (!dns_domain_suffix(d, ref)) return die(EIO);
  c = namedup(d + dns_domain_suffixpos(d, ref));
  if (!c) return die(ENOMEM);
  setname(q, &q->control[l], c);
  memset(q->servers[l], 0, 64);
  for (i = 0; i < QUERY_MAXNS; ++i) setname(q, &q->ns[l][i], NULL);
  pos = dns_packet_skiprrs(buf, len, pos, h->ancount);
  for (i = 0; pos && i < h->nscount; ++i) {
    unsigned int next = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!next) break;
    if (rr.type == DNS_T_NS && dns_domain_equal(owner, ref) && k < QUERY_MAXNS) {
      if (!dns_packet_getname(buf, len, rr.rdpos, ns)) return die(EPROTO);
      if (!(q->ns[l][k++] = namedup(ns))) return die(ENOMEM);
    }
    pos = next;
  }
  if (!pos) return die(EPROTO);
  q->state = QUERY_HAVENS;
  return STEP_NEXT;
}

static int st_packet(struct query *q, const char *buf, unsigned int len,
                     const unsigned char server[4])
{
  struct query_reply r;
  unsigned int l = q->level;
  const char *d = q->name[l];
  uint16_t t = dtype(q);

  if (++q->loop >= QUERY_MAXLOOP) return die(EIO);
  if (!query_cache_scan(&r, buf, len, d, t)) return die(EPROTO);

  /* lame server, or (strict FORWARDONLY, decision 3) a forwarder's referral */
  if (!r.cname && r.rcode == DNS_R_NOERROR && !r.out && r.referral && !r.soa)
    if (flagforwardonly || dns_domain_equal(r.refname, q->control[l])
        || !dns_domain_suffix(r.refname, q->control[l])) {
      unsigned int k;
      log_lame(server, q->control[l], r.refname);
      for (k = 0; k < 16; ++k)
        if (!memcmp(q->servers[l] + 4 * k, server, 4)) memset(q->servers[l] + 4 * k, 0, 4);
      q->state = QUERY_HAVENS;
      return STEP_NEXT;
    }

  if (!query_cache_save(buf, len, server, q->control[l], l ? NULL : d, t)) return die(errno);

  if (r.cname) return follow_cname(q, r.cnametarget, query_ttlget(r.cnamettl));

  if (r.rcode == DNS_R_NXDOMAIN) {
    log_nxdomain(server, d, r.soattl);
    if (r.soattl) query_cache_set(DNS_T_ANY, d, "", 0, r.soattl);
    return nxdomain(q);
  }
  if (!r.out && r.soa && t != DNS_T_ANY && t != DNS_T_AXFR && t != DNS_T_CNAME) {
    query_cache_set(t, d, "", 0, r.soattl);
    log_nodata(server, d, t, r.soattl);
  }
  log_stats();

  if (r.out || r.soa || !r.referral) {
    if (l) {
      char owner[DNS_NAME_MAX];
      struct dns_rr rr;
      unsigned int i, pos = r.posanswer;
      for (i = 0; i < r.h.ancount; ++i) {
        pos = dns_packet_rr(buf, len, pos, owner, &rr);
        if (!pos) return die(EPROTO);
        if (rr.type == DNS_T_A && rr.class == DNS_C_IN && rr.rdlength == 4
            && dns_domain_equal(owner, d))
          addservers(q->servers[l - 1], buf + rr.rdpos, 4);
      }
      return lowerlevel(q);
    }
    return answer_packet(q, buf, len, &r.h, r.posanswer);
  }
  return referral(q, buf, len, &r.h, r.posanswer, r.refname);
}

/* ------------------------------------------------------------ driver */

static int run(struct query *q, int step)
{
  while (step == STEP_NEXT) {
    switch (q->state) {
      case QUERY_NEWNAME: step = st_newname(q); break;
      case QUERY_HAVENS: step = st_havens(q); break;
      default: step = die(EIO); break;
    }
  }
  if (step == STEP_WAIT) return 0;
  cleanup(q);
  return step == STEP_ANSWER ? 1 : -1;
}

int query_begin(struct query *q, const char *name, uint16_t qtype,
                uint16_t qclass, const unsigned char localip[4])
{
  unsigned int namelen = dns_domain_length(name);
  cleanup(q);
  memset(q, 0, sizeof *q);
  q->type = qtype;
  q->class = qclass;
  memcpy(q->localip, localip, 4);
  if (namelen > DNS_NAME_MAX) { errno = EPROTO; return -1; }
  memcpy(q->qname, name, namelen);
  q->name[0] = q->qname;
  q->deepest = 1;
  q->state = QUERY_NEWNAME;
  return run(q, STEP_NEXT);
}

int query_packet(struct query *q, const char *buf, unsigned int len,
                 const unsigned char server[4])
{
  int e;
  unsigned char s[4];
  if (q->state != QUERY_SEND) { errno = EIO; return -1; }
  memcpy(s, server, 4);   /* server may point into q->dt, which is freed below */
  unlink_inflight(q);
  e = st_packet(q, buf, len, s);
  return run(q, e);
}

int query_failed(struct query *q)
{
  if (q->state != QUERY_SEND) { errno = EIO; return -1; }
  failed[failedpos++ % FAILED_RING] = q->serial;
  unlink_inflight(q);
  log_servfail(q->name[q->level], EIO);
  return run(q, servfail(q));
}

int query_resume(struct query *q)
{
  if (q->state != QUERY_WAIT) { errno = EIO; return -1; }
  if (leader_failed(q->waitfor)) {   /* the same failure, at once */
    log_servfail(q->name[q->level], EIO);
    return run(q, servfail(q));
  }
  q->state = QUERY_NEWNAME;
  return run(q, STEP_NEXT);
}

/* ------------------------------------------------------- with sockets */

/* After the engine returned: start the transmission it asks for (its
   IPv4 lists as dns_transmit's 16-byte slots, IPv4-mapped). */
static int transmit(struct query *q, int r)
{
  char list[DNS_SERVERS_LEN];
  unsigned char local[16];
  unsigned int k;
  if (r != 0 || q->state != QUERY_SEND) return r;
  q->transmitting = 1;
  memset(list, 0, sizeof list);
  for (k = 0; k < 16; ++k)
    ip6_from4((unsigned char *)list + 16 * k, (const unsigned char *)q->servers[q->level] + 4 * k);
  ip6_from4(local, q->localip);
  if (dns_transmit_start(&q->dt, list, flagforwardonly,
                         q->name[q->level], dtype(q), local) == -1) {
    int e = errno;
    cleanup(q);
    errno = e;
    return -1;
  }
  return 0;
}

int query_start(struct query *q, const char *name, uint16_t qtype,
                uint16_t qclass, const unsigned char localip[4])
{
  static const unsigned char zero[4];
  return transmit(q, query_begin(q, name, qtype, qclass, localip ? localip : zero));
}

void query_io(struct query *q, struct pollfd *x, int64_t *deadline)
{
  x->fd = -1;
  x->events = 0;
  x->revents = 0;
  if (q->state == QUERY_SEND && q->transmitting)
    dns_transmit_io(&q->dt, x, deadline);
  else if (q->state == QUERY_WAIT && query_leader_done(q))
    *deadline = 0;   /* wake at once: query_get resumes it */
}

int query_get(struct query *q, const struct pollfd *x, int64_t now)
{
  int r;
  if (q->state == QUERY_WAIT)
    return query_leader_done(q) ? transmit(q, query_resume(q)) : 0;
  if (q->state != QUERY_SEND || !q->transmitting) { errno = EIO; return -1; }
  r = dns_transmit_get(&q->dt, x, now);
  if (r == 0) return 0;
  if (r == -1) {
    dns_transmit_free(&q->dt);
    q->transmitting = 0;
    return transmit(q, query_failed(q));
  } else {
    unsigned int len;
    const char *buf = dns_transmit_packet(&q->dt, &len);
    q->transmitting = 0;
    r = query_packet(q, buf, len, dns_transmit_server(&q->dt) + 12);   /* IPv4-mapped */
    dns_transmit_free(&q->dt);
    return transmit(q, r);
  }
}

void query_forget(struct query *q)
{
  cleanup(q);
}
