#ifndef DNS_PACKET_H
#define DNS_PACKET_H
#include <stdint.h>
#include "dns.h"
/* Bounds-checked packet reading.  Every reader takes (buf, len, pos) and
   returns the position after what it read, or 0 with errno = EPROTO when
   the packet is malformed (running past len, bad label, name over 255
   bytes, compression pointer past the end or looping).  Positions are
   offsets into buf; a valid read never returns 0 because the 12-byte
   header precedes everything. */

struct dns_header {
  uint16_t id;
  uint16_t flags;    /* DNS_F_* bits */
  uint16_t qdcount, ancount, nscount, arcount;
};

struct dns_rr {
  uint16_t type;
  uint16_t class;
  uint32_t ttl;      /* raw 32-bit value */
  uint16_t rdlength;
  unsigned int rdpos;  /* offset of RDATA in the packet; rdpos+rdlength <= len */
};

unsigned int dns_packet_copy(const char *buf, unsigned int len, unsigned int pos,
                             char *out, unsigned int outlen);
unsigned int dns_packet_header(const char *buf, unsigned int len, struct dns_header *h);
unsigned int dns_packet_skipname(const char *buf, unsigned int len, unsigned int pos);
/* Reads a possibly compressed name into out as an uncompressed wire name
   (case preserved).  A pointer may point anywhere inside the packet,
   forwards too, as in 1.05; a walk ends after 1000 steps (pointers
   followed plus label bytes read, dns_packet.c), so a loop fails fast.
   Both pointer bytes must lie inside the packet; label types 0x40 and
   0x80 are rejected.  skipname applies the same checks. */
unsigned int dns_packet_getname(const char *buf, unsigned int len, unsigned int pos,
                                char out[DNS_NAME_MAX]);
/* Reads a question: name, type, class. */
unsigned int dns_packet_question(const char *buf, unsigned int len, unsigned int pos,
                                 char name[DNS_NAME_MAX], uint16_t *type, uint16_t *class);
/* Reads one resource record's owner (into owner, may be NULL to skip) and
   fixed fields, checks that RDATA fits in the packet, and returns the
   position after RDATA. */
unsigned int dns_packet_rr(const char *buf, unsigned int len, unsigned int pos,
                           char owner[DNS_NAME_MAX], struct dns_rr *rr);
/* Skips count records starting at pos (pos > len fails even for count 0). */
unsigned int dns_packet_skiprrs(const char *buf, unsigned int len, unsigned int pos,
                                unsigned int count);

/* Builds a query: header (id, RD as given, QDCOUNT 1), the wire name as
   given (case kept), qtype, class IN.  Returns its length, or 0 if out
   (size outsize) is too small. */
unsigned int dns_packet_query(char *out, unsigned int outsize, const char *name,
                              uint16_t qtype, uint16_t id, int rd);
#endif
