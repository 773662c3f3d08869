/* dns_opt.c: EDNS0's OPT record (RFC 6891), read and written.
   Guarantees: every byte is read through dns_packet.c's bounds-checked
   readers, so nothing at or past len is touched; a packet is judged only
   when all its records can be read (DNS_OPT_UNREADABLE otherwise, so a
   caller can treat such a packet exactly as 1.05 does: it never looks
   past the question); options are read past but never interpreted, as
   none is supported; the OPT written is always DNS_OPT_RRLEN bytes, with
   version 0.  No allocation, no state. */
#include "dns_opt.h"
#include "dns.h"
#include "uint.h"

int dns_opt_find(const char *buf, unsigned int len, unsigned int pos,
                 const struct dns_header *h, struct dns_opt *o)
{
  unsigned int before = (unsigned int)h->ancount + h->nscount;
  unsigned int total = before + h->arcount;
  unsigned int found = 0, bad = 0;
  char owner[DNS_NAME_MAX];
  struct dns_rr rr;

  for (unsigned int i = 0; i < total; i++) {
    unsigned int start = pos;
    pos = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!pos) return DNS_OPT_UNREADABLE;
    if (rr.type != DNS_T_OPT) continue;
    if (i < before || owner[0] || found) bad = 1;
    if (!found++) {
      o->udpsize = rr.class;
      o->extrcode = (uint8_t)(rr.ttl >> 24);
      o->version = (uint8_t)(rr.ttl >> 16);
      o->flags = (uint16_t)rr.ttl;
      o->rdlength = rr.rdlength;
      o->rrpos = start;
    }
  }
  if (bad) return DNS_OPT_BAD;
  return found ? DNS_OPT_ONE : DNS_OPT_NONE;
}

unsigned int dns_opt_rcode(const struct dns_header *h, const struct dns_opt *o)
{
  unsigned int r = h->flags & DNS_F_RCODE;
  if (o) r |= (unsigned int)o->extrcode << 4;
  return r;
}

unsigned int dns_opt_udplimit(const struct dns_opt *o)
{
  if (o->udpsize < DNS_UDP_MAX) return DNS_UDP_MAX;
  if (o->udpsize > DNS_OPT_UDPSIZE) return DNS_OPT_UDPSIZE;
  return o->udpsize;
}

unsigned int dns_opt_write(char *out, unsigned int outsize, uint16_t udpsize,
                           unsigned int rcode, uint16_t flags)
{
  if (outsize < DNS_OPT_RRLEN) return 0;
  out[0] = 0;                                      /* root owner */
  uint16_pack_big(out + 1, DNS_T_OPT);
  uint16_pack_big(out + 3, udpsize);
  uint32_pack_big(out + 5, ((uint32_t)(rcode >> 4) & 0xff) << 24 | flags);
  uint16_pack_big(out + 9, 0);
  return DNS_OPT_RRLEN;
}
