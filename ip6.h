#ifndef IP6_H
#define IP6_H
#include <stddef.h>
/* IPv6 addresses as 16 bytes in network order, and their text forms.
   Everywhere inside this project an address is 16 bytes: IPv4 is held
   IPv4-mapped (::ffff:a.b.c.d); a slot of 16 zero bytes is unused. */

/* RFC 4291/5952 text: 1..8 hex groups of 1..4 digits separated by ':',
   at most one "::", optionally ending in a dotted quad (strict decimal,
   0..255) that stands for the last two groups.  Stops before the first
   character that cannot continue the address (a '%' zone, '/', space,
   NUL) and returns the number of characters used; 0 if what precedes it
   is not a whole address. */
size_t ip6_scan(const char *s, unsigned char ip[16]);
/* One address that must fill s[0..len) exactly: IPv6 text as ip6_scan,
   with an optional zone ("%eth0" or "%3") whose text is returned in
   zone (NUL-terminated, at most IP6_ZONE-1 bytes; "" when none), or IPv4
   text (no ':'), read as the original's ip4_scan does (lenient: numbers
   mod 256, trailing junk after the fourth number ignored) and returned
   IPv4-mapped.  1 on success, 0 otherwise. */
int ip6_scan46(const char *s, size_t len, unsigned char ip[16], char zone[]);
#define IP6_ZONE 32

/* RFC 5952 section 4: lower case, no leading zeros, the longest run (the
   first of equals) of two or more zero groups written "::"; an
   IPv4-mapped address as "::ffff:a.b.c.d" (section 5).  No NUL; returns
   the length (< IP6_FMT).  s may be NULL to count. */
size_t ip6_fmt(char *s, const unsigned char ip[16]);
#define IP6_FMT 46
/* The first k (1..8) groups of the full form, each lower-case hex without
   leading zeros, joined by ':' ("2001:db8:0:0" for k = 4): the ip/ file
   names of SPEC 4.1.  No NUL; returns the length (< IP6_FMT). */
size_t ip6_fmt_groups(char *s, const unsigned char ip[16], unsigned int k);
/* 32 lower-case hex digits, no separators (log lines).  No NUL. */
size_t ip6_fmt_flat(char *s, const unsigned char ip[16]);

/* The ip6.arpa name of ip as a wire name: 32 one-nibble labels, least
   significant first, then ip6, arpa and the root: IP6_ARPA_LEN bytes. */
void ip6_arpa(char name[], const unsigned char ip[16]);
#define IP6_ARPA_LEN 74

extern const unsigned char ip6_mappedprefix[12];   /* ::ffff:0:0/96 */
int ip6_isv4mapped(const unsigned char ip[16]);
void ip6_from4(unsigned char ip[16], const unsigned char ip4[4]);   /* mapped */
/* An unusable server slot: all zero (::) or the mapped 0.0.0.0, which
   1.05 skipped as an empty slot. */
int ip6_isempty(const unsigned char ip[16]);
#endif
