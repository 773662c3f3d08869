#ifndef PRINTPACKET_H
#define PRINTPACKET_H
#include "dns_resolve.h"
/* dnsq/dnsqr's rendering of a DNS packet (SPEC 2.10): the header line with
   its flag words, one "query:" line per question, one line per record.
   Appends to out; 0 on success, -1 with errno EPROTO when the packet does
   not parse exactly to its end (out then holds a partial text the caller
   must not print), or ENOMEM. */
int printpacket_cat(struct dns_buf *out, const char *buf, unsigned int len);
/* One record starting at pos (owner ttl and type-specific part, no
   prefix, no newline); the position after it, or 0 with errno. */
unsigned int printrecord_cat(struct dns_buf *out, const char *buf, unsigned int len,
                             unsigned int pos);
#endif
