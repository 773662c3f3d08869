#ifndef TESTS_WIRE_H
#define TESTS_WIRE_H
/* Hand-built DNS packets for the unit suites (include after tests/unit.h):
   W("a.test") gives a wire name, struct pkt a reply built up with p_init
   and then p_rr/p_name record by record, section by section, in order. */
#include <stdlib.h>
#include <string.h>
#include "dns.h"
#include "dns_domain.h"
#include "uint.h"

static inline char *W(const char *dot)   /* wire name (a few rotating buffers) */
{
  static char bufs[8][DNS_NAME_MAX];
  static unsigned int k;
  char *b = bufs[k++ % 8];
  if (!dns_domain_fromdot(b, dot, strlen(dot))) abort();
  return b;
}

/* the number of labels of a wire name (the root has 0): the tests' own
   count, to check what the readers made of a name */
static inline unsigned int wire_labels(const char *d)
{
  const unsigned char *u = (const unsigned char *)d;
  unsigned int pos = 0, n = 0;
  while (u[pos]) { pos += u[pos] + 1u; n++; }
  return n;
}

struct pkt { char b[4096]; unsigned int len; };

/* header (id, flags, QDCOUNT 1) and the question, class IN */
static inline void p_init(struct pkt *p, uint16_t id, uint16_t flags, const char *qname,
                          uint16_t qtype)
{
  unsigned int n = dns_domain_length(qname);
  memset(p->b, 0, 12);
  uint16_pack_big(p->b, id);
  uint16_pack_big(p->b + 2, flags);
  uint16_pack_big(p->b + 4, 1);
  memcpy(p->b + 12, qname, n);
  uint16_pack_big(p->b + 12 + n, qtype);
  uint16_pack_big(p->b + 14 + n, DNS_C_IN);
  p->len = 16 + n;
}

/* section: 0 answer, 1 authority, 2 additional (add them in order) */
static inline void p_rrclass(struct pkt *p, int section, const char *owner, uint16_t type,
                             uint16_t class, uint32_t ttl, const char *rdata, unsigned int rdlen)
{
  unsigned int n = dns_domain_length(owner);
  memcpy(p->b + p->len, owner, n);
  p->len += n;
  uint16_pack_big(p->b + p->len, type);
  uint16_pack_big(p->b + p->len + 2, class);
  uint32_pack_big(p->b + p->len + 4, ttl);
  uint16_pack_big(p->b + p->len + 8, (uint16_t)rdlen);
  memcpy(p->b + p->len + 10, rdata, rdlen);
  p->len += 10 + rdlen;
  uint16_pack_big(p->b + 6 + 2 * section, (uint16_t)(uint16_unpack_big(p->b + 6 + 2 * section) + 1));
}

static inline void p_rr(struct pkt *p, int section, const char *owner, uint16_t type,
                        uint32_t ttl, const char *rdata, unsigned int rdlen)
{
  p_rrclass(p, section, owner, type, DNS_C_IN, ttl, rdata, rdlen);
}

/* a record whose RDATA is one uncompressed name (NS, CNAME, PTR) */
static inline void p_name(struct pkt *p, int s, const char *owner, uint16_t type, uint32_t ttl,
                          const char *target)
{
  p_rr(p, s, owner, type, ttl, target, dns_domain_length(target));
}
#endif
