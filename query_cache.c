/* query_cache.c: what the resolver learns from a reply (SPEC 2.5,
   "Processing a response packet" and "Caching").  Guarantees: every read
   from the reply is bounds-checked; a set is cached only if its owner is
   under the zone whose servers were asked and has the same nearest
   servers/ entry (roots_same); SOA sets only when asked for directly
   (decision 6); a zone's own NS set only when the zone has a servers/
   entry (decision 7); sets over 8192 bytes and TTL 0 are not cached. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "query_cache.h"
#include "query.h"
#include "cache.h"
#include "clock.h"
#include "dns_domain.h"
#include "log.h"
#include "response.h"
#include "roots.h"
#include "uint.h"

#define SAVE_MAX 8192

static unsigned int makekey(char key[2 + DNS_NAME_MAX], uint16_t type, const char *d)
{
  unsigned int n = dns_domain_length(d);
  uint16_pack_big(key, type);
  memcpy(key + 2, d, n);
  dns_domain_lower(key + 2);
  return n + 2;
}

const char *query_cache_get(uint16_t type, const char *d, unsigned int *len, uint32_t *ttl)
{
  char key[2 + DNS_NAME_MAX];
  unsigned int n = makekey(key, type, d);
  return cache_get(key, n, len, ttl, clock_sec());
}

void query_cache_set(uint16_t type, const char *d, const char *data, unsigned int len,
                     uint32_t ttl)
{
  char key[2 + DNS_NAME_MAX];
  unsigned int n = makekey(key, type, d);
  cache_set(key, n, data, len, ttl, clock_sec());
}

/* Reads the SOA RDATA at rr: mname, rname and the 20 bytes of numbers.
   1 ok, 0 malformed. */
static int soa_read(const char *buf, unsigned int len, const struct dns_rr *rr,
                    char mname[DNS_NAME_MAX], char rname[DNS_NAME_MAX], char numbers[20])
{
  unsigned int end = rr->rdpos + rr->rdlength;
  unsigned int pos = dns_packet_getname(buf, len, rr->rdpos, mname);
  if (!pos || pos > end) return 0;
  pos = dns_packet_getname(buf, len, pos, rname);
  if (!pos || pos > end || end - pos < 20) return 0;
  memcpy(numbers, buf + pos, 20);
  return 1;
}

int query_cache_scan(struct query_reply *r, const char *buf, unsigned int len,
                     const char *d, uint16_t dtype)
{
  char owner[DNS_NAME_MAX], q[DNS_NAME_MAX];
  struct dns_rr rr;
  uint16_t qt, qc;
  unsigned int pos, i;

  memset(r, 0, sizeof *r);
  pos = dns_packet_header(buf, len, &r->h);
  if (!pos) return 0;
  r->rcode = r->h.flags & DNS_F_RCODE;
  for (i = 0; i < r->h.qdcount; ++i) {
    pos = dns_packet_question(buf, len, pos, q, &qt, &qc);
    if (!pos) return 0;
  }
  r->posanswer = pos;
  for (i = 0; i < r->h.ancount; ++i) {
    pos = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!pos) return 0;
    if (rr.class != DNS_C_IN || !dns_domain_equal(owner, d)) continue;
    if (dtype == DNS_T_ANY || rr.type == dtype) r->out = 1;
    else if (rr.type == DNS_T_CNAME) {
      if (!dns_packet_getname(buf, len, rr.rdpos, r->cnametarget)) return 0;
      r->cname = 1;
      r->cnamettl = rr.ttl;
    }
  }
  for (i = 0; i < r->h.nscount; ++i) {
    pos = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!pos) return 0;
    if (rr.type == DNS_T_SOA) {
      char m[DNS_NAME_MAX], n[DNS_NAME_MAX], numbers[20];
      uint32_t ttl = query_ttlget(rr.ttl);
      if (soa_read(buf, len, &rr, m, n, numbers)) {
        uint32_t minimum = uint32_unpack_big(numbers + 16);
        if (minimum < ttl) ttl = minimum;
      }
      if (ttl > 3600) ttl = 3600;
      r->soa = 1;
      r->soattl = ttl;
    } else if (rr.type == DNS_T_NS) {
      r->referral = 1;
      dns_domain_copy(r->refname, owner);
    }
  }
  return 1;
}

/* ------------------------------------------------------------ caching */

struct rec {
  unsigned int pos;        /* start of the record (its owner) */
  unsigned int index;      /* order in the packet */
  unsigned int ownerlen;   /* uncompressed owner length */
  struct dns_rr rr;
};

static const char *sortbuf;   /* the packet being sorted (qsort has no context) */
static unsigned int sortlen;

static int samename(const struct rec *a, const struct rec *b)
{
  char x[DNS_NAME_MAX], y[DNS_NAME_MAX];
  if (a->ownerlen != b->ownerlen) return 0;
  if (!dns_packet_getname(sortbuf, sortlen, a->pos, x)) return 0;
  if (!dns_packet_getname(sortbuf, sortlen, b->pos, y)) return 0;
  return dns_domain_equal(x, y);
}

/* (type, class), owner length, owner ignoring case, packet order */
static int reccmp(const void *va, const void *vb)
{
  const struct rec *a = va, *b = vb;
  char x[DNS_NAME_MAX], y[DNS_NAME_MAX];
  unsigned int i;
  if (a->rr.type != b->rr.type) return a->rr.type < b->rr.type ? -1 : 1;
  if (a->rr.class != b->rr.class) return a->rr.class < b->rr.class ? -1 : 1;
  if (a->ownerlen != b->ownerlen) return a->ownerlen < b->ownerlen ? -1 : 1;
  if (dns_packet_getname(sortbuf, sortlen, a->pos, x)
      && dns_packet_getname(sortbuf, sortlen, b->pos, y))
    for (i = 0; i < a->ownerlen; ++i) {
      int ca = (unsigned char)x[i], cb = (unsigned char)y[i];
      if (ca >= 'A' && ca <= 'Z') ca += 32;
      if (cb >= 'A' && cb <= 'Z') cb += 32;
      if (ca != cb) return ca < cb ? -1 : 1;
    }
  return a->index < b->index ? -1 : a->index > b->index;
}

static char save[SAVE_MAX];
static unsigned int savelen;
static int saveok;

static void saveadd(const char *s, unsigned int n)
{
  if (!saveok) return;
  if (n > SAVE_MAX - savelen) { saveok = 0; return; }
  memcpy(save + savelen, s, n);
  savelen += n;
}

static void saveadd2(unsigned int u)
{
  char b[2];
  uint16_pack_big(b, (uint16_t)u);
  saveadd(b, 2);
}

/* One RRset: records set[0..n-1] share type, class and owner.  -1 on a
   malformed record. */
static int saveset(const char *buf, unsigned int len, const struct rec *set, unsigned int n,
                   const unsigned char server[4], const char *control, const char *d,
                   uint16_t dtype, unsigned int posauthority)
{
  char owner[DNS_NAME_MAX], name[DNS_NAME_MAX], name2[DNS_NAME_MAX], numbers[20];
  uint16_t type = set[0].rr.type;
  uint32_t ttl = query_ttlget(set[0].rr.ttl);
  unsigned int i, cachesoa = 0;

  if (set[0].rr.class != DNS_C_IN) return 0;
  if (type == DNS_T_ANY || type == DNS_T_AXFR) return 0;
  if (!dns_packet_getname(buf, len, set[0].pos, owner)) return -1;
  if (!dns_domain_suffix(owner, control) || !roots_same(owner, control)) return 0;
  if (type == DNS_T_NS && dns_domain_equal(owner, control) && !roots_exact(control))
    return 0;   /* decision 7: the zone's own NS set (ghost domains) */
  if (type == DNS_T_SOA) {
    cachesoa = dtype == DNS_T_SOA && d && dns_domain_equal(owner, d);
    for (i = 0; i < n; ++i)
      if (set[i].pos < posauthority) {
        if (!soa_read(buf, len, &set[i].rr, name, name2, numbers)) return -1;
        log_rrsoa(server, owner, name, name2, numbers, ttl);
      }
    if (!cachesoa) return 0;
  }

  savelen = 0;
  saveok = 1;
  if (type == DNS_T_CNAME) {
    const struct dns_rr *rr = &set[n - 1].rr;
    if (!dns_packet_getname(buf, len, rr->rdpos, name)) return -1;
    log_rrcname(server, owner, name, ttl);
    saveadd(name, dns_domain_length(name));
  } else
    for (i = 0; i < n; ++i) {
      const struct dns_rr *rr = &set[i].rr;
      switch (type) {
        case DNS_T_NS: case DNS_T_PTR:
          if (!dns_packet_getname(buf, len, rr->rdpos, name)) return -1;
          if (type == DNS_T_NS) log_rrns(server, owner, name, ttl);
          else log_rrptr(server, owner, name, ttl);
          saveadd(name, dns_domain_length(name));
          break;
        case DNS_T_MX:
          if (rr->rdlength < 3 || !dns_packet_getname(buf, len, rr->rdpos + 2, name)) return -1;
          log_rrmx(server, owner, uint16_unpack_big(buf + rr->rdpos), name, ttl);
          saveadd(buf + rr->rdpos, 2);
          saveadd(name, dns_domain_length(name));
          break;
        case DNS_T_A:
          if (rr->rdlength != 4) break;
          log_rr(server, owner, type, buf + rr->rdpos, 4, ttl);
          saveadd(buf + rr->rdpos, 4);
          break;
        case DNS_T_SOA:
          if (!soa_read(buf, len, rr, name, name2, numbers)) return -1;
          saveadd(name, dns_domain_length(name));
          saveadd(name2, dns_domain_length(name2));
          saveadd(numbers, 20);
          break;
        default:
          log_rr(server, owner, type, buf + rr->rdpos, rr->rdlength, ttl);
          saveadd2(rr->rdlength);
          saveadd(buf + rr->rdpos, rr->rdlength);
      }
    }
  if (saveok) query_cache_set(type, owner, save, savelen, ttl);
  return 0;
}

int query_cache_save(const char *buf, unsigned int len, const unsigned char server[4],
                     const char *control, const char *d, uint16_t dtype)
{
  struct dns_header h;
  struct rec *recs;
  char q[DNS_NAME_MAX], owner[DNS_NAME_MAX];
  uint16_t qt, qc;
  unsigned int pos, i, j, n, total, posauthority = 0;

  pos = dns_packet_header(buf, len, &h);
  if (!pos) return 0;
  for (i = 0; i < h.qdcount; ++i)
    if (!(pos = dns_packet_question(buf, len, pos, q, &qt, &qc))) return 0;
  total = (unsigned int)h.ancount + h.nscount + h.arcount;
  if (total > len / 11) { errno = EPROTO; return 0; }   /* a record takes 11 bytes or more */
  recs = malloc((total ? total : 1) * sizeof *recs);
  if (!recs) { errno = ENOMEM; return 0; }
  for (i = 0; i < total; ++i) {
    if (i == h.ancount) posauthority = pos;
    recs[i].pos = pos;
    recs[i].index = i;
    pos = dns_packet_rr(buf, len, pos, owner, &recs[i].rr);
    if (!pos) { free(recs); errno = EPROTO; return 0; }
    recs[i].ownerlen = dns_domain_length(owner);
  }
  if (total == h.ancount) posauthority = pos;

  sortbuf = buf;
  sortlen = len;
  qsort(recs, total, sizeof *recs, reccmp);
  for (i = 0; i < total; i = j) {
    for (j = i + 1; j < total; ++j)
      if (recs[j].rr.type != recs[i].rr.type || recs[j].rr.class != recs[i].rr.class
          || !samename(&recs[i], &recs[j]))
        break;
    n = j - i;
    if (saveset(buf, len, recs + i, n, server, control, d, dtype, posauthority) == -1) {
      free(recs);
      errno = EPROTO;
      return 0;
    }
  }
  free(recs);
  return 1;
}

/* ------------------------------------------------------------ writing */

int query_cache_writerecord(const char *buf, unsigned int len, const struct dns_rr *rr)
{
  char name[DNS_NAME_MAX], name2[DNS_NAME_MAX], numbers[20];
  unsigned int end = rr->rdpos + rr->rdlength, pos;
  switch (rr->type) {
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
      pos = dns_packet_getname(buf, len, rr->rdpos, name);
      if (!pos || pos > end) return -1;
      return response_addname(name);
    case DNS_T_MX:
      if (rr->rdlength < 3) return -1;
      pos = dns_packet_getname(buf, len, rr->rdpos + 2, name);
      if (!pos || pos > end) return -1;
      return response_addbytes(buf + rr->rdpos, 2) && response_addname(name);
    case DNS_T_SOA:
      if (!soa_read(buf, len, rr, name, name2, numbers)) return -1;
      return response_addname(name) && response_addname(name2)
             && response_addbytes(numbers, 20);
    default:
      return response_addbytes(buf + rr->rdpos, rr->rdlength);
  }
}

int query_cache_writesoa(const char *data, unsigned int len, unsigned int *pos)
{
  char name[DNS_NAME_MAX], name2[DNS_NAME_MAX];
  unsigned int p = dns_packet_getname(data, len, *pos, name);
  if (!p) return 0;
  p = dns_packet_getname(data, len, p, name2);
  if (!p || len - p < 20) return 0;
  *pos = p + 20;
  return response_addname(name) && response_addname(name2)
         && response_addbytes(data + p, 20);
}
