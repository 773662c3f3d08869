#ifndef ROOTS_H
#define ROOTS_H
#include "dns.h"
/* servers/@ and servers/<domain>, read once at start-up from the current
   directory (the chroot).  Each file: one address per line, IPv4 or IPv6
   (SPEC 4.1; lines that do not parse are ignored), at most 16 of each
   family.  Files whose names start with '.'
   are skipped; '@' is the root; other names are parsed as domain names
   (escapes allowed, case ignored).  Any sub-directory is an error (EISDIR).
   A zone listed twice (e.g. "a.b" and "A.B.") keeps the last file read. */
int roots_init(void);   /* 1 ok; 0 with errno */
/* Adds (or replaces) one zone; servers is 64 bytes.  1 ok, 0 (ENOMEM).
   roots_init uses it; unit tests call it directly, after roots_clear(). */
int roots_add(const char *zone, const char servers[64]);
/* The same with a full list (DNS_SERVERS_LEN bytes, 16-byte slots). */
int roots_add6(const char *zone, const char servers[DNS_SERVERS_LEN]);
void roots_clear(void);
/* Longest configured zone containing name q: copies its 64-byte server
   list (16 slots of 4 bytes, unused slots zero) to servers and returns 1;
   if none, 0. */
int roots(char servers[64], const char *q);
/* 1 if a servers/ file exists for exactly this name. */
int roots_exact(const char *q);
/* The same for exactly this zone, copying its servers: 1 if found. */
int roots_servers(char servers[64], const char *zone);
/* roots and roots_servers with the full list: DNS_SERVERS_LEN bytes,
   16-byte slots (IPv4 held IPv4-mapped), in file order, unused slots zero;
   the 64-byte calls above give the IPv4 ones alone. */
int roots6(char servers[DNS_SERVERS_LEN], const char *q);
int roots_servers6(char servers[DNS_SERVERS_LEN], const char *zone);
/* bailiwick: 1 if the nearest configured zone above d1 and above d2 is the
   same entry (two names with no configured zone above either are the same
   too). */
int roots_same(const char *d1, const char *d2);
#endif
