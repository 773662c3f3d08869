#ifndef DNS_RESOLVE_H
#define DNS_RESOLVE_H
#include <stddef.h>
#include <stdint.h>
#include "dns.h"
/* The client tools' side of DNS: which caches to ask, one blocking query
   at a time, and the small lookups the tools are made of.  All return 0 on
   success, -1 with errno on failure (EPROTO for a name that cannot be
   written in wire format or a reply that cannot be parsed, ENOMEM, and
   whatever dns_transmit reports). */

/* A growable byte string (malloced; a zeroed one is empty). */
struct dns_buf {
  char *s;
  size_t len;
  size_t cap;
};
int dns_buf_cat(struct dns_buf *b, const char *s, size_t n);
int dns_buf_cats(struct dns_buf *b, const char *s);
int dns_buf_catulong(struct dns_buf *b, unsigned long u);
void dns_buf_free(struct dns_buf *b);

/* Helpers shared with dns_qualify.c: the whole file fn into b (replacing
   its contents): 1 read, 0 missing, -1 error; and whether a remembered
   configuration is due to be read again (after 10 minutes or 10000 uses;
   counts a use). */
int dns_resolve_readfile(struct dns_buf *b, const char *fn);
int dns_resolve_expired(int ok, int64_t when, unsigned int *uses);
#define REREAD_SECONDS 600
#define REREAD_USES 10000

/* The caches to ask (DNS_SERVERS_LEN bytes: 16-byte slots, IPv4 held
   IPv4-mapped, zero slots unused; up to 16 of each family):
   $DNSCACHEIP (addresses separated by '.', and after an IPv6 address
   also by ',' or ' '), else the nameserver lines of /etc/resolv.conf
   (0.0.0.0 means 127.0.0.1, :: means ::1), else 127.0.0.1.  Read again
   after 10 minutes or 10000 uses. */
int dns_resolve_servers(char servers[DNS_SERVERS_LEN]);

/* Sends qname (wire) / qtype to servers and waits for the reply; recursive
   sets RD and uses the recursive retry schedule.  On success the reply is
   available through dns_resolve_packet until the next call. */
int dns_resolve_with(const char servers[DNS_SERVERS_LEN], int recursive, const char *qname,
                     uint16_t qtype);
/* The same, recursive, through dns_resolve_servers. */
int dns_resolve(const char *qname, uint16_t qtype);
/* The last reply (writable: dnsqr clears flags before printing). */
char *dns_resolve_packet(unsigned int *len);

/* Lookups.  name is text as typed (dns_domain_fromdot syntax).
   ip4: out gets 4-byte addresses.  A name made only of digits, '.', '['
   and ']' is read locally: every '.' (and the end) closes a number taken
   mod 256, missing numbers are 0, and each group of 4 numbers is one
   address (a short last group is dropped).  Otherwise the A records of the
   answer section, in random order. */
int dns_resolve_ip4(struct dns_buf *out, const char *name, size_t len);
/* PTR for ip: out gets the first PTR name as text (lower case, escaped),
   or stays empty. */
int dns_resolve_name4(struct dns_buf *out, const unsigned char ip[4]);
/* ip6: out gets 16-byte addresses: an IPv6 address written as the name
   itself; a name dns_resolve_ip4 reads locally, IPv4-mapped; otherwise
   the AAAA records of the answer section, in random order. */
int dns_resolve_ip6(struct dns_buf *out, const char *name, size_t len);
/* PTR for a 16-byte ip: its ip6.arpa name (in-addr.arpa when
   IPv4-mapped), as dns_resolve_name4. */
int dns_resolve_name6(struct dns_buf *out, const unsigned char ip[16]);
/* MX: out gets, per MX record in received order, a 2-byte big-endian
   preference, the exchange as text, and a NUL. */
int dns_resolve_mx(struct dns_buf *out, const char *name, size_t len);
/* TXT: out gets the strings of every TXT record, joined, bytes outside
   32..126 replaced by '?'. */
int dns_resolve_txt(struct dns_buf *out, const char *name, size_t len);

/* Qualification (dns_qualify.c; dnsipq, dnsq's server argument): the rewriting rules
   ($DNSREWRITEFILE or /etc/dnsrewrite; else $LOCALDOMAIN, else the first
   search/domain line of resolv.conf, else the host name's domain, each
   followed by a final "*.:" rule) are applied in turn to name; a '+' in
   the result separates alternatives tried in order until one has
   addresses.  fqdn gets the name finally used, out its addresses. */
int dns_resolve_qualify(struct dns_buf *out, struct dns_buf *fqdn,
                        const char *name, size_t len);
/* The same with dns_resolve_ip6 (dnsip6q). */
int dns_resolve_qualify6(struct dns_buf *out, struct dns_buf *fqdn,
                         const char *name, size_t len);
/* One rule ("Xsuffix:replacement", X one of = * ? -) applied to work;
   a rule that does not match or is malformed leaves it alone.  Exposed
   for unit tests. */
int dns_resolve_rule(struct dns_buf *work, const char *rule, size_t rulelen);
#endif
