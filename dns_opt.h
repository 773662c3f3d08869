#ifndef DNS_OPT_H
#define DNS_OPT_H
#include <stdint.h>
#include "dns_packet.h"
/* EDNS0's OPT pseudo-record (RFC 6891): finding it in a packet, writing
   one.  See dns_opt.c for what is accepted. */

#define DNS_OPT_UDPSIZE 1232  /* the payload size advertised and used at most (DNS Flag Day 2020) */
#define DNS_OPT_RRLEN 11      /* bytes of an OPT record without options */
#define DNS_OPT_F_DO 0x8000   /* the DO bit of the flags (never honoured here) */
#define DNS_R_BADVERS 16      /* extended RCODE: unsupported EDNS version */

struct dns_opt {
  uint16_t udpsize;    /* the sender's payload size, as sent (may be below 512) */
  uint8_t extrcode;    /* upper 8 bits of the 12-bit RCODE */
  uint8_t version;
  uint16_t flags;      /* DO and the Z bits */
  uint16_t rdlength;   /* bytes of options (read past, never interpreted) */
  unsigned int rrpos;  /* offset of the OPT record in the packet */
};

enum {
  DNS_OPT_NONE = 0,        /* every record read, none of them an OPT */
  DNS_OPT_ONE = 1,         /* exactly one OPT, root owner, additional section: *o filled */
  DNS_OPT_BAD = 2,         /* an OPT that RFC 6891 forbids: two or more, a
                              non-root owner, or one in the answer or
                              authority section */
  DNS_OPT_UNREADABLE = 3   /* the records after the question cannot all be
                              read (the counts overrun the packet, a record
                              is cut short, a name is malformed) */
};

/* Walks the ancount + nscount + arcount records of h from pos (the end of
   the question section) and says what EDNS the packet carries: one of
   DNS_OPT_*.  Reads only through dns_packet.c; nothing past len.  Bytes
   after the last record are ignored. */
int dns_opt_find(const char *buf, unsigned int len, unsigned int pos,
                 const struct dns_header *h, struct dns_opt *o);

/* The 12-bit RCODE of a packet whose header is h and whose OPT is o
   (o NULL: no OPT, the header's 4 bits). */
unsigned int dns_opt_rcode(const struct dns_header *h, const struct dns_opt *o);

/* The largest UDP reply for a client that sent o: the size it asked for,
   at least 512, at most DNS_OPT_UDPSIZE. */
unsigned int dns_opt_udplimit(const struct dns_opt *o);

/* Writes an OPT record without options: root owner, type 41, class
   udpsize, TTL (rcode >> 4) << 24 | version 0 | flags, RDLENGTH 0.
   rcode is the full 12-bit RCODE (only its upper 8 bits go here: the
   lower 4 belong in the header).  Returns DNS_OPT_RRLEN, or 0 if outsize
   is smaller than that. */
unsigned int dns_opt_write(char *out, unsigned int outsize, uint16_t udpsize,
                           unsigned int rcode, uint16_t flags);
#endif
