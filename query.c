/* query.c: the iterative resolution of one client query (SPEC 2.5).
   Guarantees: every step is bounded (QUERY_MAXLOOP steps, QUERY_MAXLEVEL
   levels, QUERY_MAXALIAS aliases, QUERY_MAXNS NS names, 16 servers); every
   read from a reply is bounds-checked (a malformed reply drops the query
   with EPROTO); a query that ends (1 or -1) or is forgotten holds no
   memory, socket or in-flight entry; identical outgoing queries are never
   in flight twice (decision 5).  The engine (query_begin/packet/failed/
   resume) never touches a socket; query_start/io/get/forget drive it with
   dns_transmit.  Replies are read by reply.c, cached by query_cache.c, the
   cache read through cachedata.c, local names answered by local.c.

   Each state is a st_* function returning a step (below); the arrows are
   the assignments to q->state, all made in the st_* functions.  "pop"
   means level > 0 (an NS name's address) is finished: back to the parent
   level's HAVENS; at level 0 the same event ends the query.

     query_begin -> NEWNAME
     NEWNAME  st_newname = st_local, then st_cache, then st_findservers:
              local name, cached answer ........ answer (ends) | pop
              cached NXDOMAIN .................. NXDOMAIN (ends) | pop
              cached CNAME ..................... NEWNAME (the target)
              servers/ entry or cached NS set .. HAVENS
              cached DNAME above the name ...... NEWNAME (the synthesized target)
              level 0, $SERVESTALE, expired data
              and a recent failure ............. stale answer (ends); else
                                                 the client timer starts
     HAVENS   st_havens:
              an NS name without its address ... NEWNAME one level down
              no server address at all ......... GLUE
              an identical query in flight ..... WAIT
              otherwise ........................ SEND (the driver transmits)
     SEND     st_packet (a reply):
              lame server / forwarder referral . HAVENS (without that server)
              DNAME above the name, CNAME ...... NEWNAME (the target)
              NXDOMAIN ......................... NXDOMAIN (ends) | pop
              answer, NODATA, AA NODATA with
              the zone's NS set and no SOA ..... answer (ends) | pop
              referral ......................... HAVENS (the new zone's servers)
              st_failed (transmission failed) .. GLUE
     WAIT     st_resume (the leader finished):
              the leader failed ................ GLUE
              otherwise ........................ NEWNAME (now from the cache)
     GLUE     st_glue (no server of the zone answered):
              parent's glue not yet asked ...... HAVENS (those addresses)
              otherwise ........................ STALE | pop
     STALE    st_stale (level 0: every server failed; the failure is
              remembered for the recheck):
              the client has its stale answer .. ends (-1)
              expired data allowed, cached ..... answer with TTL 30 (ends)
              otherwise ........................ SERVFAIL (ends)
   The client timer (query_staletimer, in SEND or WAIT): the stale answer
   for the client (2), the query resolving on in the background; at level
   0 in WAIT the query ends (1) instead: the identical query refreshes.
   Every state may also die (errno; the query ends with -1): NEWNAME and
   st_packet do after QUERY_MAXLOOP steps.  A query that ends is IDLE again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "query.h"
#include "cachedata.h"
#include "query_cache.h"
#include "clock.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "dns_random.h"
#include "local.h"
#include "log.h"
#include "reply.h"
#include "response.h"
#include "roots.h"
#include "uint.h"
#include "ip6.h"

/* What every st_* function returns. */
enum step {
  STEP_NEXT,     /* q->state was set: run that state now */
  STEP_WAIT,     /* state SEND or WAIT: a reply or a leader is awaited */
  STEP_ANSWER,   /* the response is ready: the query ends (1) */
  STEP_DIE,      /* give up, errno says why: the query ends (-1) */
  STEP_PASS      /* not handled here (not a local name, not cached): st_newname
                    goes on with its next check */
};

static int flagforwardonly, flaghidettl, flagloopback, flagnoipv6;
static uint32_t servestale;
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

void query_init(int forwardonly, int hidettl)
{
  flagforwardonly = forwardonly;
  flaghidettl = hidettl;
}

void query_queryloopback(int allowed)
{
  flagloopback = allowed;
}

void query_disableipv6(int disabled)
{
  flagnoipv6 = disabled;
}

void query_servestale(uint32_t seconds)
{
  servestale = seconds;
}

/* May an address learned from the network (glue, an NS name's A or AAAA
   record, a dotted-quad NS name; 16 bytes, IPv4 mapped) be queried?
   Never 0.0.0.0/8 or :: ("this host"), 127.0.0.0/8 and ::1 only with
   $QUERYLOOPBACK: a remote zone must not make the cache query the host
   it runs on (SPEC 4.3); no IPv6 at all with $DISABLEIPV6.  servers/
   addresses never come through here. */
static int learnedok(const char *ip)
{
  static const char loop6[16] = { 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,1 };
  const unsigned char *u = (const unsigned char *)ip;
  if (ip6_isv4mapped(u)) {
    if (u[12] == 0) return 0;
    if (u[12] == 127) return flagloopback;
    return 1;
  }
  if (flagnoipv6 || ip6_isempty(u)) return 0;
  if (!memcmp(ip, loop6, 16)) return flagloopback;
  return 1;
}

static uint32_t outttl(uint32_t ttl) { return flaghidettl ? 0 : ttl; }
static int typematch(uint16_t rtype, uint16_t qtype) { return qtype == DNS_T_ANY || rtype == qtype; }
/* What name[level] is asked for: the client's type, or at a name
   server's level its A, then its AAAA once no usable A was found. */
static uint16_t dtype(const struct query *q)
{
  if (!q->level) return q->type;
  return (q->aaaa >> q->level) & 1 ? DNS_T_AAAA : DNS_T_A;
}

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

/* The one way a state function moves the query on. */
static int go(struct query *q, enum query_state s)
{
  q->state = s;
  return STEP_NEXT;
}

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

/* Server lists of ended queries are kept (up to SPARE_MAX) for the next
   ones: resolutions do not malloc and free 5 KB each, which a
   sanitizer's quarantine would hold on to. */
#define SPARE_MAX 256
static struct query_servers *spare[SPARE_MAX];
static unsigned int nspare;

static struct query_servers *sv_get(void)
{
  struct query_servers *s;
  if (!nspare) return calloc(1, sizeof *s);
  s = spare[--nspare];
  memset(s, 0, sizeof *s);
  return s;
}

static void sv_put(struct query_servers *s)
{
  if (!s) return;
  if (nspare < SPARE_MAX) spare[nspare++] = s;
  else free(s);
}

/* Level l asks a new zone: none of its servers asked yet, its glue unused. */
static void newzone(struct query *q, unsigned int l)
{
  if (q->sv) memset(q->sv->tried[l], 0, DNS_SERVERS_LEN);
  q->gluetried &= ~(1u << l);
}

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
  if (q->sv) memset(q->sv->servers[l], 0, DNS_SERVERS_LEN);
  q->aaaa &= ~(1u << l);
  newzone(q, l);
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
  sv_put(q->sv);
  q->sv = NULL;
  q->nalias = 0;
  q->deepest = 0;
  q->level = 0;
  q->staleat = 0;
  q->background = 0;
  q->state = QUERY_IDLE;
}

/* ------------------------------------------------------------- helpers */

/* The response's question and the CNAME chain followed so far. */
static int rqa(struct query *q)
{
  unsigned int j;
  const char *first = q->nalias ? q->alias[0] : q->name[0];
  if (!response_query(first, q->type, q->class)) return 0;
  for (j = 0; j < q->nalias; ++j) {
    const char *target = j + 1 < q->nalias ? q->alias[j + 1] : q->name[0];
    unsigned int k = q->aliasdname[j];
    if (k) {   /* the DNAME first, its target uncompressed (RFC 6672) */
      if (!response_rstart(q->alias[j] + k, DNS_T_DNAME, outttl(q->aliasttl[j]))) return 0;
      if (!response_addbytes(target + k, dns_domain_length(target + k))) return 0;
      response_rfinish();
    }
    if (!response_rstart(q->alias[j], DNS_T_CNAME, outttl(q->aliasttl[j]))) return 0;
    if (!response_addname(target)) return 0;
    response_rfinish();
  }
  return 1;
}

/* Server lists: DNS_SERVERS slots of 16 bytes (IPv4 mapped); a slot
   that ip6_isempty is free. */
static int emptyslot(const char *ip) { return ip6_isempty((const unsigned char *)ip); }

static int hasserver(const char servers[DNS_SERVERS_LEN], const char *ip)
{
  unsigned int k;
  for (k = 0; k < DNS_SERVERS_LEN; k += 16)
    if (!memcmp(servers + k, ip, 16)) return 1;
  return 0;
}

static int noservers(const char servers[DNS_SERVERS_LEN])
{
  unsigned int k;
  for (k = 0; k < DNS_SERVERS_LEN; k += 16)
    if (!emptyslot(servers + k)) return 0;
  return 1;
}

/* ip (16 bytes) into the first free slot of servers, unless 16 of its
   family are there already (then dropped, as 1.05 drops a 17th). */
static void addip(char servers[DNS_SERVERS_LEN], const char *ip)
{
  int v4 = ip6_isv4mapped((const unsigned char *)ip);
  unsigned int k, n = 0, at = DNS_SERVERS_LEN;
  if (emptyslot(ip)) return;
  for (k = 0; k < DNS_SERVERS_LEN; k += 16) {
    if (emptyslot(servers + k)) { if (at == DNS_SERVERS_LEN) at = k; }
    else if (ip6_isv4mapped((const unsigned char *)servers + k) == v4) ++n;
  }
  if (n < 16 && at < DNS_SERVERS_LEN) memcpy(servers + at, ip, 16);
}

/* Addresses learned from the network (ips: n bytes of width 4, IPv4, or
   16, IPv6): only those that may be asked. */
static void addservers(char servers[DNS_SERVERS_LEN], const char *ips,
                       unsigned int n, unsigned int width)
{
  unsigned int i;
  char ip[16];
  for (i = 0; i + width <= n; i += width) {
    if (width == 4) ip6_from4((unsigned char *)ip, (const unsigned char *)ips + i);
    else memcpy(ip, ips + i, 16);
    if (learnedok(ip)) addip(servers, ip);
  }
}

/* servers/ addresses are used as written, but none of IPv6 with
   $DISABLEIPV6. */
static void dropipv6(char servers[DNS_SERVERS_LEN])
{
  unsigned int k;
  if (!flagnoipv6) return;
  for (k = 0; k < DNS_SERVERS_LEN; k += 16)
    if (!ip6_isv4mapped((const unsigned char *)servers + k)) memset(servers + k, 0, 16);
}

/* Level > 0 is finished (answered or given up); the caller goes back to
   the parent's HAVENS. */
static void pop(struct query *q)
{
  freelevel(q, q->level);
  --q->level;
}

/* The client's answer at level 0: STEP_ANSWER, or STEP_DIE. */
static int answer_servfail(struct query *q)
{
  if (!rqa(q)) return die(EIO);
  response_servfail();
  return STEP_ANSWER;
}

static int answer_nxdomain(struct query *q)
{
  if (!rqa(q)) return die(EIO);
  response_nxdomain();
  return STEP_ANSWER;
}

static int answer_cached(struct query *q, const char *d, uint16_t type, const char *data,
                         unsigned int len, uint32_t ttl)
{
  if (!rqa(q) || !cachedata_answer(d, type, data, len, outttl(ttl))) return die(EIO);
  return STEP_ANSWER;
}

/* name[level] is an alias of target (ttl as received; dname: the bytes
   of name[level] before the DNAME owner that redirected it, else 0):
   resolve target instead.  1, or 0 with errno. */
static int alias(struct query *q, const char *target, uint32_t ttl, unsigned int dname)
{
  char *t = namedup(target);
  if (!t) { errno = ENOMEM; return 0; }
  if (!q->level) {
    if (q->nalias >= QUERY_MAXALIAS) { free(t); errno = EIO; return 0; }
    q->alias[q->nalias] = q->name[0];
    q->aliasdname[q->nalias] = (unsigned char)dname;
    q->aliasttl[q->nalias++] = ttl;
    q->name[0] = t;
  } else
    setname(q, &q->name[q->level], t);
  return 1;
}

/* --------------------------------------------------------- NEWNAME */

static int st_local(struct query *q)
{
  const char *d = q->name[q->level];
  unsigned char ip[4];
  if (q->level) {
    if (!local_address(d, ip)) return STEP_PASS;
    addservers(q->sv->servers[q->level - 1], (const char *)ip, 4, 4);
    pop(q);
    return go(q, QUERY_HAVENS);
  }
  if (!local_is(d)) return STEP_PASS;
  /* after the question and any CNAME chain that led here */
  if (!rqa(q) || !local_answer(d, q->type, flaghidettl)) return die(EIO);
  return STEP_ANSWER;
}

/* A name server's address from the cache (level > 0): its A set first,
   as 1.05; its AAAA set when its A set is not cached or known empty
   (SPEC 4.1: a zone served only over IPv6 resolves, IPv4 traffic does not
   double).  An A set whose addresses are all unusable (SPEC 4.3) is used
   as 1.05 does: no server.  STEP_PASS: ask (A, or AAAA once level's aaaa
   bit is set). */
static int cache_nsaddr(struct query *q, const char *d)
{
  unsigned int l = q->level, len, len6;
  uint32_t ttl;
  const char *data = NULL, *data6;
  if (!((q->aaaa >> l) & 1)) {
    data = cachedata_get(DNS_T_A, d, &len, &ttl);
    if (data && (len || flagnoipv6)) {
      log_cachedanswer(d, DNS_T_A);   /* as 1.05 */
      addservers(q->sv->servers[l - 1], data, len, 4);
      pop(q);
      return go(q, QUERY_HAVENS);
    }
    if (flagnoipv6) return STEP_PASS;
  }
  data6 = cachedata_get(DNS_T_AAAA, d, &len6, &ttl);
  if (data6 && (len6 || (q->aaaa >> l) & 1)) {
    unsigned int i;
    log_cachedanswer(d, DNS_T_AAAA);
    for (i = 0; i + 2 <= len6; ) {   /* 2-byte length + RDATA each */
      unsigned int n = ((unsigned int)(unsigned char)data6[i] << 8) | (unsigned char)data6[i + 1];
      if (n > len6 - i - 2) break;
      if (n == 16) addservers(q->sv->servers[l - 1], data6 + i + 2, 16, 16);
      i += 2 + n;
    }
    pop(q);
    return go(q, QUERY_HAVENS);
  }
  if (data) {   /* A known empty, AAAA not cached: ask for it */
    if (data6) {   /* AAAA known empty too */
      log_cachedanswer(d, DNS_T_A);
      pop(q);
      return go(q, QUERY_HAVENS);
    }
    q->aaaa |= 1u << l;
  }
  return STEP_PASS;
}

static int st_cache(struct query *q)
{
  const char *d = q->name[q->level];
  uint16_t t = dtype(q);
  const char *data;
  unsigned int len;
  uint32_t ttl;
  static const uint16_t order[4] = { DNS_T_NS, DNS_T_PTR, DNS_T_MX, DNS_T_A };
  unsigned int i;

  if (cachedata_get(DNS_T_ANY, d, &len, &ttl)) {
    log_nxdomain_cached(d);
    if (!q->level) return answer_nxdomain(q);
    pop(q);
    return go(q, QUERY_HAVENS);
  }
  data = cachedata_get(DNS_T_CNAME, d, &len, &ttl);
  if (data && len) {
    char target[DNS_NAME_MAX];
    if (t == DNS_T_CNAME || t == DNS_T_ANY) {
      log_cachedanswer(d, DNS_T_CNAME);
      return answer_cached(q, d, DNS_T_CNAME, data, len, ttl);
    }
    if (cachedata_name(data, len, 0, target)) {
      log_cachedcname(d, target);
      if (!alias(q, target, ttl, 0)) return STEP_DIE;
      return go(q, QUERY_NEWNAME);
    }
  }
  if (q->level) return cache_nsaddr(q, d);
  for (i = 0; i < 4; ++i) {
    if (!typematch(order[i], t)) continue;
    data = cachedata_get(order[i], d, &len, &ttl);
    if (!data || (!len && t == DNS_T_ANY)) continue;
    log_cachedanswer(d, order[i]);
    return answer_cached(q, d, order[i], data, len, ttl);
  }
  switch (t) {
    case DNS_T_ANY: case DNS_T_AXFR: case DNS_T_CNAME: case DNS_T_NS:
    case DNS_T_PTR: case DNS_T_A: case DNS_T_MX:
      return STEP_PASS;
  }
  data = cachedata_get(t, d, &len, &ttl);
  if (!data) return STEP_PASS;
  log_cachedanswer(d, t);
  return answer_cached(q, d, t, data, len, ttl);
}

/* d is under the DNAME owner: the name it redirects to (the labels of d
   above owner, then target) in out.  The bytes of d before owner, or 0
   if the result would be longer than a name may be. */
static unsigned int dname_synth(const char *d, const char *owner, const char *target,
                                char out[DNS_NAME_MAX])
{
  unsigned int k = dns_domain_suffixpos(d, owner);
  unsigned int n = dns_domain_length(target);
  if (!k || k + n > 255) return 0;
  memcpy(out, d, k);
  memcpy(out + k, target, n);
  return k;
}

/* A cached DNAME (RFC 6672) owned by an ancestor of the name redirects
   it: the synthesized CNAME, then the target (decision 20). */
static int st_dname(struct query *q)
{
  const char *d = q->name[q->level], *p = d;
  char target[DNS_NAME_MAX], synth[DNS_NAME_MAX];
  const char *data;
  unsigned int len, k;
  uint32_t ttl;
  while (*p && *(p = dns_domain_parent(p))) {
    data = cachedata_get(DNS_T_DNAME, p, &len, &ttl);
    if (!data || len < 2) continue;
    if (cachedata_name(data, len, 2, target) != len) continue;
    if (!(k = dname_synth(d, p, target, synth))) continue;
    log_cachedcname(d, synth);
    if (!alias(q, synth, ttl, k)) return STEP_DIE;
    return go(q, QUERY_NEWNAME);
  }
  return STEP_PASS;
}

static int st_findservers(struct query *q)
{
  unsigned int l = q->level, j;
  const char *d = q->name[l];
  const char *p = d;
  char *c;
  if (!q->sv && !(q->sv = sv_get())) return die(ENOMEM);
  for (j = 0; j < QUERY_MAXNS; ++j) setname(q, &q->ns[l][j], NULL);
  for (;;) {
    if (roots_servers6(q->sv->servers[l], p)) { dropipv6(q->sv->servers[l]); break; }
    if (!flagforwardonly && l < 2) {
      const char *data;
      unsigned int len, pos = 0, k = 0;
      uint32_t ttl;
      data = cachedata_get(DNS_T_NS, p, &len, &ttl);
      if (data && len) {
        char ns[DNS_NAME_MAX];
        memset(q->sv->servers[l], 0, DNS_SERVERS_LEN);
        while (pos < len && k < QUERY_MAXNS) {
          pos = cachedata_name(data, len, pos, ns);
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
  c = namedup(p);
  if (!c) return die(ENOMEM);
  setname(q, &q->control[l], c);
  newzone(q, l);
  return go(q, QUERY_HAVENS);
}

static int st_stalecheck(struct query *q);   /* STALE, below */

static int st_newname(struct query *q)
{
  int step;
  if (++q->loop >= QUERY_MAXLOOP) return die(EIO);
  step = st_local(q);
  if (step != STEP_PASS) return step;
  step = st_cache(q);
  if (step != STEP_PASS) return step;
  step = st_dname(q);
  if (step != STEP_PASS) return step;
  step = st_stalecheck(q);
  if (step != STEP_PASS) return step;
  return st_findservers(q);
}

/* ------------------------------------------------------------- HAVENS */

/* The parent's glue answered for control[l] lately where the child's
   addresses for its servers had failed (the mark kept by glueworked):
   the glue's addresses are put first in servers[l], the others after
   them, so a new name of the zone does not wait for the child's failing
   servers again (decision 18).  Returns how many come first (0: as
   1.05, one shuffled list). */
static unsigned int glueip(struct query *q, unsigned int l, const char *ip)
{
  if (!learnedok(ip) || hasserver(q->sv->servers[l], ip)) return 0;
  addip(q->sv->servers[l], ip);
  if (!hasserver(q->sv->servers[l], ip)) return 0;   /* 16 of its family already */
  if (!hasserver(q->sv->tried[l], ip)) addip(q->sv->tried[l], ip);
  return 1;
}

static unsigned int gluefirst(struct query *q, unsigned int l)
{
  char rest[DNS_SERVERS_LEN], ip[16];
  const char *data, *data6;
  unsigned int len, len6 = 0, i, n = 0;
  uint32_t ttl;
  if (flagforwardonly || (q->gluetried & (1u << l))) return 0;
  if (!cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, q->control[l])) return 0;
  data = cachedata_getglue(q->control[l], &len, &ttl);
  data6 = flagnoipv6 ? NULL : cachedata_getglue6(q->control[l], &len6, &ttl);
  if (!data && !data6) return 0;
  q->gluetried |= 1u << l;   /* st_glue has nothing more to add */
  memcpy(rest, q->sv->servers[l], DNS_SERVERS_LEN);
  memset(q->sv->servers[l], 0, DNS_SERVERS_LEN);
  for (i = 0; data && i + 4 <= len; i += 4) {
    ip6_from4((unsigned char *)ip, (const unsigned char *)data + i);
    n += glueip(q, l, ip);
  }
  for (i = 0; data6 && i + 16 <= len6; i += 16) n += glueip(q, l, data6 + i);
  for (i = 0; i < DNS_SERVERS_LEN; i += 16)
    if (!emptyslot(rest + i) && !hasserver(q->sv->servers[l], rest + i))
      addip(q->sv->servers[l], rest + i);
  return n;
}

/* A useful reply from server (16 bytes) for control[l] while its glue is
   in use: from the glue (A or AAAA), the zone is marked glue first
   (GLUEFIRST_TTL s, no longer than the glue); from another address (the
   child's came back), the mark is cleared. */
#define GLUEFIRST_TTL 900
static void glueworked(struct query *q, const unsigned char server[16])
{
  unsigned int l = q->level, len, i;
  uint32_t ttl;
  const char *data;
  unsigned char ip[16];
  if (!(q->gluetried & (1u << l))) return;
  data = cachedata_getglue(q->control[l], &len, &ttl);
  for (i = 0; data && i + 4 <= len; i += 4) {
    ip6_from4(ip, (const unsigned char *)data + i);
    if (!memcmp(ip, server, 16)) break;
  }
  if (!data || i + 4 > len) {
    data = cachedata_getglue6(q->control[l], &len, &ttl);
    for (i = 0; data && i + 16 <= len; i += 16)
      if (!memcmp(data + i, server, 16)) break;
    if (data && i + 16 > len) data = NULL;
  }
  if (data) {
    cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, q->control[l], 1,
                      ttl < GLUEFIRST_TTL ? ttl : GLUEFIRST_TTL);
    return;
  }
  if (cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, q->control[l]))
    cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, q->control[l], 0, GLUEFIRST_TTL);
}

static int st_havens(struct query *q)
{
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
      return go(q, QUERY_NEWNAME);
    }
    setname(q, &q->ns[l][j], NULL);
  }
  if (noservers(q->sv->servers[l])) return go(q, QUERY_GLUE);
  for (j = 0; j < DNS_SERVERS_LEN; j += 16)   /* asked now, or by the leader waited for */
    if (!hasserver(q->sv->tried[l], q->sv->servers[l] + j)) addip(q->sv->tried[l], q->sv->servers[l] + j);
  leader = find_inflight(q->name[l], dtype(q), q->control[l]);
  if (leader) {
    q->waitfor = leader->serial;
    q->state = QUERY_WAIT;
    return STEP_WAIT;
  }
  j = gluefirst(q, l);   /* both families shuffled together, the glue's first */
  dns_random_shuffle_ip6(q->sv->servers[l], j);
  dns_random_shuffle_ip6(q->sv->servers[l] + 16 * j, DNS_SERVERS - j);
  log_tx(q->name[l], dtype(q), q->control[l], q->sv->servers[l], l);
  q->serial = ++serials;
  q->prev = NULL;
  q->next = inflight;
  if (inflight) inflight->prev = q;
  inflight = q;
  q->state = QUERY_SEND;
  return STEP_WAIT;
}

/* --------------------------------------------------------------- SEND */

/* Adds the reply's answer records for the client's name (matching its
   type) to the response: STEP_ANSWER or STEP_DIE. */
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
      if (!response_rstart(owner, rr.type, outttl(cachedata_ttl(rr.ttl)))) return die(EIO);
      switch (response_rdata(buf, len, &rr)) {
        case -1: return die(EPROTO);
        case 0: return die(EIO);
      }
      response_rfinish();
    }
    pos = next;
  }
  return STEP_ANSWER;
}

/* The referral's glue for ref's servers (names ns[level]), as the parent
   (the zone control) gave it: addresses with the same bailiwick rules as
   any cached record, kept apart from the child's own records for those
   names for as long as the delegation (the NS set's TTL, nsttl), for
   st_glue (decision 18).  Glue with TTL 0 is not kept. */
static void keepglue(struct query *q, const char *buf, unsigned int len, unsigned int pos,
                     unsigned int count, const char *ref, const char *control, uint32_t nsttl)
{
  char owner[DNS_NAME_MAX], ips[16 * 4], ips6[16 * 16];
  struct dns_rr rr;
  unsigned int i, j, k, n = 0, n6 = 0;
  uint32_t ttl = cachedata_ttl(nsttl);
  for (i = 0; i < count; ++i) {
    if (!(pos = dns_packet_rr(buf, len, pos, owner, &rr))) return;
    if (rr.class != DNS_C_IN) continue;
    if (!(rr.type == DNS_T_A && rr.rdlength == 4)
        && !(rr.type == DNS_T_AAAA && rr.rdlength == 16 && !flagnoipv6)) continue;
    if (!cachedata_ttl(rr.ttl)) continue;
    if (!dns_domain_suffix(owner, control) || !roots_same(owner, control)) continue;
    for (j = 0; j < QUERY_MAXNS && q->ns[q->level][j]; ++j)
      if (dns_domain_equal(owner, q->ns[q->level][j])) break;
    if (j == QUERY_MAXNS || !q->ns[q->level][j]) continue;
    if (rr.rdlength == 4) {
      for (k = 0; k < n; ++k) if (!memcmp(ips + 4 * k, buf + rr.rdpos, 4)) break;
      if (k < n || n == 16) continue;
      memcpy(ips + 4 * n++, buf + rr.rdpos, 4);
    } else {
      for (k = 0; k < n6; ++k) if (!memcmp(ips6 + 16 * k, buf + rr.rdpos, 16)) break;
      if (k < n6 || n6 == 16) continue;
      memcpy(ips6 + 16 * n6++, buf + rr.rdpos, 16);
    }
  }
  if (n) cachedata_setglue(ref, ips, 4 * n, ttl);
  if (n6) cachedata_setglue6(ref, ips6, 16 * n6, ttl);
}

/* The reply delegates name[level] to ref: ask ref's servers (their names
   go to ns[level]).  1, or 0 with errno. */
static int referral(struct query *q, const char *buf, unsigned int len,
                    const struct dns_header *h, unsigned int pos, const char *ref)
{
  unsigned int l = q->level, i, k = 0;
  const char *d = q->name[l];
  char owner[DNS_NAME_MAX], ns[DNS_NAME_MAX], parent[DNS_NAME_MAX];
  uint32_t nsttl = 0;
  struct dns_rr rr;
  char *c;
  if (!dns_domain_suffix(d, ref)) { errno = EIO; return 0; }
  c = namedup(d + dns_domain_suffixpos(d, ref));
  if (!c) { errno = ENOMEM; return 0; }
  dns_domain_copy(parent, q->control[l]);
  setname(q, &q->control[l], c);
  newzone(q, l);
  memset(q->sv->servers[l], 0, DNS_SERVERS_LEN);
  for (i = 0; i < QUERY_MAXNS; ++i) setname(q, &q->ns[l][i], NULL);
  pos = dns_packet_skiprrs(buf, len, pos, h->ancount);
  for (i = 0; pos && i < h->nscount; ++i) {
    unsigned int next = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!next) break;
    if (rr.type == DNS_T_NS && dns_domain_equal(owner, ref) && k < QUERY_MAXNS) {
      if (!dns_packet_getname(buf, len, rr.rdpos, ns)) { errno = EPROTO; return 0; }
      if (!k) nsttl = rr.ttl;
      if (!(q->ns[l][k++] = namedup(ns))) { errno = ENOMEM; return 0; }
    }
    pos = next;
  }
  if (!pos) { errno = EPROTO; return 0; }
  keepglue(q, buf, len, pos, h->arcount, c, parent, nsttl);
  return 1;
}

/* An authoritative reply with no answer, no SOA and the zone's own NS
   set in the authority section is NODATA for the name, not a lame
   referral (decision 19); with no SOA nothing negative is cached. */
static int aa_nodata(const struct reply *r, const char *control)
{
  return !r->cname && !r->dname && r->rcode == DNS_R_NOERROR && !r->out && !r->soa
         && r->referral && (r->h.flags & DNS_F_AA) && dns_domain_equal(r->refname, control);
}

/* The reply's DNAME above the name (RFC 6672), if usable: no answer of
   the type asked (a CNAME asked for is answered as 1.05 does), owned
   inside the zone asked (the bailiwick rule of any cached record) and
   agreeing with the reply's CNAME for the name if there is one.  The synthesized name
   in synth; the bytes of the name before the owner, or 0. */
static unsigned int dname_reply(const struct reply *r, const char *d, const char *control,
                                char synth[DNS_NAME_MAX])
{
  unsigned int k;
  if (!r->dname || r->out || !dns_domain_suffix(r->dnameowner, control)
      || !roots_same(r->dnameowner, control))
    return 0;
  k = dname_synth(d, r->dnameowner, r->dnametarget, synth);
  if (k && r->cname && !dns_domain_equal(r->cnametarget, synth)) return 0;
  return k;
}

static int st_packet(struct query *q, const char *buf, unsigned int len,
                     const unsigned char server[16])
{
  struct reply r;
  unsigned int l = q->level, dk;
  const char *d = q->name[l];
  uint16_t t = dtype(q);
  uint32_t negttl;
  char synth[DNS_NAME_MAX];
  int nodata;

  if (++q->loop >= QUERY_MAXLOOP) return die(EIO);
  if (!reply_scan(&r, buf, len, d, t)) return die(EPROTO);
  negttl = query_cache_negttl(&r);
  nodata = aa_nodata(&r, q->control[l]);

  /* lame server, or (strict FORWARDONLY, decision 3) a forwarder's referral */
  if (!r.cname && r.rcode == DNS_R_NOERROR && !r.out && r.referral && !r.soa && !nodata)
    if (flagforwardonly || dns_domain_equal(r.refname, q->control[l])
        || !dns_domain_suffix(r.refname, q->control[l])) {
      unsigned int k;
      log_lame(server, q->control[l], r.refname);
      for (k = 0; k < DNS_SERVERS_LEN; k += 16)
        if (!memcmp(q->sv->servers[l] + k, server, 16)) memset(q->sv->servers[l] + k, 0, 16);
      return go(q, QUERY_HAVENS);
    }

  glueworked(q, server);
  if (!query_cache_save(buf, len, server, q->control[l], l ? NULL : d, t)) return die(errno);

  if ((dk = dname_reply(&r, d, q->control[l], synth))) {
    if (!alias(q, synth, cachedata_ttl(r.dnamettl), dk)) return STEP_DIE;
    return go(q, QUERY_NEWNAME);
  }
  if (r.cname) {
    if (!alias(q, r.cnametarget, cachedata_ttl(r.cnamettl), 0)) return STEP_DIE;
    return go(q, QUERY_NEWNAME);
  }

  if (r.rcode == DNS_R_NXDOMAIN) {
    log_nxdomain(server, d, negttl);
    if (negttl) cachedata_set(DNS_T_ANY, d, "", 0, negttl);
    if (!l) return answer_nxdomain(q);
    pop(q);
    return go(q, QUERY_HAVENS);
  }
  if (!r.out && r.soa && t != DNS_T_ANY && t != DNS_T_AXFR && t != DNS_T_CNAME) {
    cachedata_set(t, d, "", 0, negttl);
    log_nodata(server, d, t, negttl);
  }
  log_stats();

  if (r.out || r.soa || !r.referral || nodata) {
    char owner[DNS_NAME_MAX];
    struct dns_rr rr;
    unsigned int i, pos = r.posanswer;
    unsigned int w = t == DNS_T_A ? 4 : 16, found = 0;
    if (!l) return answer_packet(q, buf, len, &r.h, r.posanswer);
    for (i = 0; i < r.h.ancount; ++i) {
      pos = dns_packet_rr(buf, len, pos, owner, &rr);
      if (!pos) return die(EPROTO);
      if (rr.type == t && rr.class == DNS_C_IN && rr.rdlength == w
          && dns_domain_equal(owner, d)) {
        addservers(q->sv->servers[l - 1], buf + rr.rdpos, w, w);
        ++found;
      }
    }
    if (!found && t == DNS_T_A && !flagnoipv6) {   /* no A: its AAAA */
      q->aaaa |= 1u << l;
      return go(q, QUERY_NEWNAME);
    }
    pop(q);
    return go(q, QUERY_HAVENS);
  }
  if (!referral(q, buf, len, &r.h, r.posanswer, r.refname)) return STEP_DIE;
  return go(q, QUERY_HAVENS);
}

/* SEND: the transmission failed. */
static int st_failed(struct query *q)
{
  failed[failedpos++ % FAILED_RING] = q->serial;
  unlink_inflight(q);
  log_servfail(q->name[q->level], EIO);
  return go(q, QUERY_GLUE);
}

/* --------------------------------------------------------------- WAIT */

static int st_resume(struct query *q)
{
  if (leader_failed(q->waitfor)) {   /* the same failure, at once */
    log_servfail(q->name[q->level], EIO);
    return go(q, QUERY_GLUE);
  }
  return go(q, QUERY_NEWNAME);
}

/* --------------------------------------------------------------- GLUE */

/* No server of control[level] answered usefully, or none had an address:
   before giving up, the addresses the parent's referral gave as glue for
   the zone (keepglue), once, if any of them was not asked yet: the
   child's own records for its servers (which replaced the glue in the
   cache) may be wrong (decision 18). */
static int st_glue(struct query *q)
{
  unsigned int l = q->level, i, len;
  const char *data;
  uint32_t ttl;
  memset(q->sv->servers[l], 0, DNS_SERVERS_LEN);
  if (!flagforwardonly && !(q->gluetried & (1u << l))) {
    char ip[16];
    q->gluetried |= 1u << l;
    data = cachedata_getglue(q->control[l], &len, &ttl);
    for (i = 0; data && i + 4 <= len; i += 4) {
      ip6_from4((unsigned char *)ip, (const unsigned char *)data + i);
      if (!hasserver(q->sv->tried[l], ip)) addservers(q->sv->servers[l], ip, 16, 16);
    }
    data = flagnoipv6 ? NULL : cachedata_getglue6(q->control[l], &len, &ttl);
    for (i = 0; data && i + 16 <= len; i += 16)
      if (!hasserver(q->sv->tried[l], data + i)) addservers(q->sv->servers[l], data + i, 16, 16);
    if (!noservers(q->sv->servers[l])) return go(q, QUERY_HAVENS);
  }
  if (!q->level) return go(q, QUERY_STALE);
  pop(q);
  return go(q, QUERY_HAVENS);
}

/* -------------------------------------------------------------- STALE */

/* The client's question answered from records that expired at most
   $SERVESTALE seconds ago (or are live): the question and the CNAME
   chain so far (rqa), then from name[0] the cached CNAMEs and the
   record, all with TTL 30; q itself is not changed.  build 0: only
   whether there is such a record; build 1: the response, logged
   "stale TYPE NAME".  1, or 0 (none; or no room: the response is junk). */
static int stale(struct query *q, int build)
{
  const char *d = q->name[0], *data;
  char target[2][DNS_NAME_MAX];
  unsigned int len, j;
  uint32_t ttl;
  if (!servestale || q->type == DNS_T_ANY || q->type == DNS_T_AXFR) return 0;
  if (build && !rqa(q)) return 0;
  for (j = 0; j <= QUERY_MAXALIAS; ++j) {
    data = cachedata_getstale(q->type, d, &len, &ttl, servestale);
    if (data && len) {
      if (!build) return 1;
      log_stale(d, q->type);
      return cachedata_answer(d, q->type, data, len, outttl(30));
    }
    if (q->type == DNS_T_CNAME) return 0;
    data = cachedata_getstale(DNS_T_CNAME, d, &len, &ttl, servestale);
    if (!data || !len || !cachedata_name(data, len, 0, target[j & 1])) return 0;
    if (build) {
      if (!response_rstart(d, DNS_T_CNAME, outttl(30))) return 0;
      if (!response_addname(target[j & 1])) return 0;
      response_rfinish();
    }
    d = target[j & 1];
  }
  return 0;
}

/* Level 0 has to ask the network, with $SERVESTALE and expired data at
   hand (RFC 8767 section 5): if this question failed less than
   QUERY_STALE_RECHECK s ago, the client gets the stale answer at once,
   nothing is sent; otherwise the client timer starts (query_staletimer). */
static int st_stalecheck(struct query *q)
{
  if (q->level || !servestale || q->background || q->staleat || !stale(q, 0))
    return STEP_PASS;
  if (cachedata_getmark(q->type, CACHEDATA_RECHECK, q->qname)) {
    if (!stale(q, 1)) return die(EIO);
    return STEP_ANSWER;
  }
  q->staleat = clock_ms() + QUERY_STALE_CLIENT_MS;
  return STEP_PASS;
}

/* Every server for the client's name failed: with $SERVESTALE, a record
   (or a CNAME chain to one) that expired at most that long ago is
   answered with TTL 30 and logged "stale TYPE NAME" (RFC 8767; difference
   21), and the failure is remembered for QUERY_STALE_RECHECK s;
   otherwise, or if there is none, SERVFAIL as 1.05.  A query whose
   client already got its stale answer just ends. */
static int st_stale(struct query *q)
{
  if (servestale)
    cachedata_setmark(q->type, CACHEDATA_RECHECK, q->qname, 1, QUERY_STALE_RECHECK);
  if (q->background) return die(EIO);
  if (stale(q, 1)) return STEP_ANSWER;
  return answer_servfail(q);
}

int query_staletimer(struct query *q)
{
  q->staleat = 0;
  if ((q->state != QUERY_SEND && q->state != QUERY_WAIT) || q->background) return 0;
  if (!stale(q, 1)) return 0;
  if (q->state == QUERY_WAIT && !q->level) {   /* the identical query refreshes */
    cleanup(q);
    return 1;
  }
  q->background = 1;
  return 2;
}

/* ------------------------------------------------------------ driver */

static int run(struct query *q, int step)
{
  while (step == STEP_NEXT) {
    switch (q->state) {
      case QUERY_NEWNAME: step = st_newname(q); break;
      case QUERY_HAVENS: step = st_havens(q); break;
      case QUERY_GLUE: step = st_glue(q); break;
      case QUERY_STALE: step = st_stale(q); break;
      default: step = die(EIO); break;
    }
  }
  if (step == STEP_WAIT) return 0;
  if (step == STEP_PASS) die(EIO);   /* cannot happen: st_newname always decides */
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
  return run(q, go(q, QUERY_NEWNAME));
}

int query_packet(struct query *q, const char *buf, unsigned int len,
                 const unsigned char server[16])
{
  unsigned char s[16];
  if (q->state != QUERY_SEND) { errno = EIO; return -1; }
  memcpy(s, server, 16);   /* server may point into q->dt, which is freed below */
  unlink_inflight(q);
  return run(q, st_packet(q, buf, len, s));
}

int query_failed(struct query *q)
{
  if (q->state != QUERY_SEND) { errno = EIO; return -1; }
  return run(q, st_failed(q));
}

int query_resume(struct query *q)
{
  if (q->state != QUERY_WAIT) { errno = EIO; return -1; }
  return run(q, st_resume(q));
}
/* ------------------------------------------------------- with sockets */

/* After the engine returned: start the transmission it asks for.  If
   no server of a list with an IPv6 server could even be sent to (a host
   without IPv6: no route, no source), that is the transmission's failure
   at once (SPEC 4.1), as if every server had timed out; an IPv4 list that
   cannot be sent drops the query, as 1.05. */
static int transmit(struct query *q, int r)
{
  unsigned char local[16];
  unsigned int k;
  while (r == 0 && q->state == QUERY_SEND) {
    int e, v6 = 0;
    q->transmitting = 1;
    ip6_from4(local, q->localip);
    if (dns_transmit_start(&q->dt, q->sv->servers[q->level], flagforwardonly,
                           q->name[q->level], dtype(q), local) == 0)
      return 0;
    e = errno;
    dns_transmit_free(&q->dt);
    q->transmitting = 0;
    for (k = 0; k < DNS_SERVERS_LEN; k += 16)
      if (!emptyslot(q->sv->servers[q->level] + k)
          && !ip6_isv4mapped((const unsigned char *)q->sv->servers[q->level] + k)) v6 = 1;
    if (!v6 || e == ENOMEM) {
      cleanup(q);
      errno = e;
      return -1;
    }
    r = query_failed(q);
  }
  return r;
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
  if (q->staleat && q->staleat < *deadline) *deadline = q->staleat;
}

/* $SERVESTALE's client timer, once nothing else happened to q this pass. */
static int staledue(struct query *q, int64_t now)
{
  return q->staleat && now >= q->staleat ? query_staletimer(q) : 0;
}

int query_get(struct query *q, const struct pollfd *x, int64_t now)
{
  int r;
  if (q->state == QUERY_WAIT)
    return query_leader_done(q) ? transmit(q, query_resume(q)) : staledue(q, now);
  if (q->state != QUERY_SEND || !q->transmitting) { errno = EIO; return -1; }
  r = dns_transmit_get(&q->dt, x, now);
  if (r == 0) return staledue(q, now);
  if (r == -1) {
    dns_transmit_free(&q->dt);
    q->transmitting = 0;
    return transmit(q, query_failed(q));
  } else {
    unsigned int len;
    const char *buf = dns_transmit_packet(&q->dt, &len);
    q->transmitting = 0;
    r = query_packet(q, buf, len, dns_transmit_server(&q->dt));
    dns_transmit_free(&q->dt);
    return transmit(q, r);
  }
}

void query_forget(struct query *q)
{
  cleanup(q);
}
