#ifndef DNS_DOMAIN_H
#define DNS_DOMAIN_H
#include <stddef.h>
#include "dns.h"
/* Wire names (see dns.h).  None of these allocate.  Functions taking a
   wire name assume it is well formed (as produced by dns_packet_getname or
   dns_domain_fromdot). */

unsigned int dns_domain_length(const char *d);           /* bytes including the final 0 */
int dns_domain_equal(const char *a, const char *b);      /* 1 if equal ignoring ASCII case */
/* 1 if big is little or lies inside zone little (the bailiwick test);
   dns_domain_suffixpos gives the offset in big where little starts, or
   0 when it is not a suffix (and also 0 when big == little: use suffix()). */
int dns_domain_suffix(const char *big, const char *little);
unsigned int dns_domain_suffixpos(const char *big, const char *little);
void dns_domain_lower(char *d);                          /* in place, A-Z only */
void dns_domain_copy(char *out, const char *d);          /* out has room for DNS_NAME_MAX */
const char *dns_domain_parent(const char *d);            /* strip first label; root stays root */

/* Text to wire, as the original's tools parse names: labels split on '.',
   "\ooo" (1-3 octal digits) and "\c" escapes, an empty label is skipped
   (so "a..b." is a.b and "." or "" is the root).  Labels over 63 bytes or
   names over 255 bytes fail: return 0 with errno = EPROTO.  1 on success. */
int dns_domain_fromdot(char out[DNS_NAME_MAX], const char *text, size_t len);

/* Wire to text as the original's tools print names: A-Z lower-cased,
   a-z 0-9 '-' '_' literal, every other byte "\ooo" (3 octal digits),
   labels joined with '.', no trailing dot, the root is ".".
   Writes no NUL; returns length.  out may be NULL to count;
   DNS_DOMAIN_TODOT_MAX bytes always suffice. */
size_t dns_domain_todot(char *out, const char *d);
#define DNS_DOMAIN_TODOT_MAX 1024
#endif
