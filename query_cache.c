/* query_cache.c: which of a reply's RRsets the resolver caches (SPEC 2.5,
   "Caching").  Guarantees: a set is cached only if its owner is under the
   zone whose servers were asked and has the same nearest servers/ entry
   (roots_same); SOA sets only when asked for directly (decision 6); a
   zone's own NS set only when the zone has a servers/ entry (decision 7);
   sets over CACHEDATA_MAX bytes and TTL 0 are not cached; every cached
   record is logged as an rr line, as the original.  Walking the reply is
   reply.c's job, the stored format cachedata.c's. */
#include <string.h>
#include "query_cache.h"
#include "cachedata.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "log.h"
#include "roots.h"
#include "uint.h"

#define DNAMES 4

struct savectx {
  const unsigned char *server;
  const char *control, *d;
  uint16_t dtype;
  unsigned int ndname;                  /* the reply's cacheable DNAMEs (the first few) */
  char dname[DNAMES][DNS_NAME_MAX];     /*   owners */
  char dnametarget[DNAMES][DNS_NAME_MAX];
};

/* A CNAME (owner -> target) synthesized from a DNAME of the same reply is
   not cached: the DNAME is, and the client must get it too (difference
   20). */
static int synthesized(const struct savectx *x, const char *owner, const char *target)
{
  char synth[DNS_NAME_MAX];
  unsigned int i, k, n;
  for (i = 0; i < x->ndname; ++i) {
    if (!dns_domain_suffix(owner, x->dname[i]) || dns_domain_equal(owner, x->dname[i])) continue;
    k = dns_domain_suffixpos(owner, x->dname[i]);
    n = dns_domain_length(x->dnametarget[i]);
    if (k + n > 255) continue;
    memcpy(synth, owner, k);
    memcpy(synth + k, x->dnametarget[i], n);
    if (dns_domain_equal(target, synth)) return 1;
  }
  return 0;
}

static struct cachedata save;

/* One RRset: records set[0..n-1] share type, class and owner.  -1 on a
   malformed record. */
static int saveset(void *vctx, const char *buf, unsigned int len,
                   const struct reply_rec *set, unsigned int n, unsigned int posauthority)
{
  const struct savectx *x = vctx;
  const unsigned char *server = x->server;
  char owner[DNS_NAME_MAX], name[DNS_NAME_MAX], name2[DNS_NAME_MAX], numbers[20];
  uint16_t type = set[0].rr.type;
  uint32_t ttl = cachedata_ttl(set[0].rr.ttl);
  unsigned int i;

  if (set[0].rr.class != DNS_C_IN) return 0;
  if (type == DNS_T_ANY || type == DNS_T_AXFR) return 0;
  if (!dns_packet_getname(buf, len, set[0].pos, owner)) return -1;
  if (!dns_domain_suffix(owner, x->control) || !roots_same(owner, x->control)) return 0;
  if (type == DNS_T_NS && dns_domain_equal(owner, x->control) && !roots_exact(x->control))
    return 0;   /* decision 7: the zone's own NS set (ghost domains) */
  if (type == DNS_T_SOA) {
    for (i = 0; i < n; ++i)
      if (set[i].pos < posauthority) {
        if (!reply_soa(buf, len, &set[i].rr, name, name2, numbers)) return -1;
        log_rrsoa(server, owner, name, name2, numbers, ttl);
      }
    if (x->dtype != DNS_T_SOA || !x->d || !dns_domain_equal(owner, x->d)) return 0;
  }

  cachedata_start(&save);
  if (type == DNS_T_CNAME) {
    const struct dns_rr *rr = &set[n - 1].rr;
    if (!dns_packet_getname(buf, len, rr->rdpos, name)) return -1;
    if (synthesized(x, owner, name)) return 0;
    log_rrcname(server, owner, name, ttl);
    cachedata_addname(&save, name);
  } else
    for (i = 0; i < n; ++i) {
      const struct dns_rr *rr = &set[i].rr;
      switch (type) {
        case DNS_T_NS: case DNS_T_PTR:
          if (!dns_packet_getname(buf, len, rr->rdpos, name)) return -1;
          if (type == DNS_T_NS) log_rrns(server, owner, name, ttl);
          else log_rrptr(server, owner, name, ttl);
          cachedata_addname(&save, name);
          break;
        case DNS_T_MX:
          if (rr->rdlength < 3 || !dns_packet_getname(buf, len, rr->rdpos + 2, name)) return -1;
          log_rrmx(server, owner, uint16_unpack_big(buf + rr->rdpos), name, ttl);
          cachedata_addmx(&save, buf + rr->rdpos, name);
          break;
        case DNS_T_A:
          if (rr->rdlength != 4) break;
          log_rr(server, owner, type, buf + rr->rdpos, 4, ttl);
          cachedata_adda(&save, buf + rr->rdpos);
          break;
        case DNS_T_SOA:
          if (!reply_soa(buf, len, rr, name, name2, numbers)) return -1;
          cachedata_addsoa(&save, name, name2, numbers);
          break;
        case DNS_T_DNAME:   /* kept as RDATA, its target uncompressed */
          if (dns_packet_getname(buf, len, rr->rdpos, name) != rr->rdpos + rr->rdlength) return -1;
          log_rr(server, owner, type, name, dns_domain_length(name), ttl);
          cachedata_addrdata(&save, name, dns_domain_length(name));
          break;
        default:
          log_rr(server, owner, type, buf + rr->rdpos, rr->rdlength, ttl);
          cachedata_addrdata(&save, buf + rr->rdpos, rr->rdlength);
      }
    }
  if (save.ok) cachedata_set(type, owner, save.data, save.len, ttl);
  return 0;
}

int query_cache_save(const char *buf, unsigned int len, const unsigned char server[16],
                     const char *control, const char *d, uint16_t dtype)
{
  struct savectx x;
  x.server = server;
  x.control = control;
  x.d = d;
  x.dtype = dtype;
  x.ndname = 0;
  {   /* the answer section's DNAME owners */
    struct dns_header h;
    struct dns_rr rr;
    char q[DNS_NAME_MAX];
    uint16_t qt, qc;
    unsigned int pos = dns_packet_header(buf, len, &h), i;
    for (i = 0; pos && i < h.qdcount; ++i) pos = dns_packet_question(buf, len, pos, q, &qt, &qc);
    for (i = 0; pos && i < h.ancount; ++i) {
      pos = dns_packet_rr(buf, len, pos, q, &rr);
      if (pos && rr.type == DNS_T_DNAME && rr.class == DNS_C_IN && x.ndname < DNAMES
          && dns_domain_suffix(q, control) && roots_same(q, control)
          && dns_packet_getname(buf, len, rr.rdpos, x.dnametarget[x.ndname]))
        dns_domain_copy(x.dname[x.ndname++], q);
    }
  }
  return reply_rrsets(buf, len, saveset, &x);
}

uint32_t query_cache_negttl(const struct reply *r)
{
  uint32_t ttl;
  if (!r->soa) return 0;
  ttl = cachedata_ttl(r->soattl);
  if (r->soaminimumok && r->soaminimum < ttl) ttl = r->soaminimum;
  if (ttl > 3600) ttl = 3600;
  return ttl;
}
