#ifndef PARSETYPE_H
#define PARSETYPE_H
#include <stdint.h>
/* The record types dnsq and dnsqr accept: a decimal number (the whole
   argument, taken mod 65536; the empty string is 0) or, in any case, one
   of any a ns mx ptr txt cname soa hinfo rp sig key aaaa axfr.
   1 and *type set, or 0 if s is not a type. */
int parsetype(const char *s, uint16_t *type);
#endif
