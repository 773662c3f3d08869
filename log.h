#ifndef LOG_H
#define LOG_H
#include <stdint.h>
/* Every line dnscache writes to fd 2, in the original's format (SPEC 2.8):
   one function per line type.  IPs are lower-case hex digits (8 for
   IPv4, 32 for IPv6, below), ports and IDs 4, qtypes decimal; names
   lower-cased, bytes <=32 or >126 as '?', each label followed by '.',
   the root as ".".  Lines are collected in a
   buffer; log_flush() writes them (the daemon calls it once per loop
   pass, and before exit).  name is a wire name, err an errno. */
void log_startup(void);
void log_querydone(uint64_t qnum, unsigned int len);          /* sent */
void log_querydrop(uint64_t qnum, int err);                   /* drop */
/* Client addresses are 16 bytes (SPEC 4.1): an IPv4-mapped address is
   written as its 8 IPv4 digits, any other as 32 digits. */
void log_query6(uint64_t qnum, const unsigned char client[16], uint16_t port,
                uint16_t id, const char *name, uint16_t qtype);
void log_tcpopen6(const unsigned char client[16], uint16_t port);
void log_tcpclose6(const unsigned char client[16], uint16_t port, int err);
void log_cachedanswer(const char *name, uint16_t qtype);      /* cached <t> <name> */
void log_cachedcname(const char *name, const char *target);
void log_stale(const char *name, uint16_t qtype);             /* stale <t> <name> */
void log_cachedns(const char *control, const char *nsname);
void log_nxdomain_cached(const char *name);                   /* cached nxdomain */
/* tx <level> <qtype> <name> <control> <ip>...; servers is DNS_SERVERS_LEN
   bytes (16-byte slots, ip6_isempty slots skipped).  Server addresses
   here and below are 16 bytes, written as ip16 is: IPv4-mapped as the 8
   digits of the original, IPv6 as 32 (SPEC 4.1). */
void log_tx(const char *name, uint16_t qtype, const char *control,
            const char *servers, unsigned int level);
void log_nxdomain(const unsigned char server[16], const char *name, uint32_t ttl);
void log_nodata(const unsigned char server[16], const char *name, uint16_t qtype, uint32_t ttl);
void log_lame(const unsigned char server[16], const char *control, const char *referral);
void log_servfail(const char *name, int err);
void log_rr(const unsigned char server[16], const char *name, uint16_t type,
            const char *rdata, unsigned int rdlen, uint32_t ttl);  /* hex data */
void log_rrns(const unsigned char server[16], const char *name, const char *nsname, uint32_t ttl);
void log_rrcname(const unsigned char server[16], const char *name, const char *target, uint32_t ttl);
void log_rrptr(const unsigned char server[16], const char *name, const char *target, uint32_t ttl);
void log_rrmx(const unsigned char server[16], const char *name, uint16_t pref,
              const char *exchange, uint32_t ttl);
/* soa rdata fields: mname, rname, then 20 bytes serial..minimum */
void log_rrsoa(const unsigned char server[16], const char *name, const char *mname,
               const char *rname, const char *numbers20, uint32_t ttl);
/* stats <queries> <cache_motion> <udp_active> <tcp_active>: the daemon
   keeps the counters current with log_counters(); the resolver calls
   log_stats() where the original writes the line. */
void log_counters(uint64_t queries, unsigned int udp_active, unsigned int tcp_active);
void log_stats(void);
/* The cache dump ($DUMPCACHE, $SLURPCACHE; not in 1.05): "dump N BYTES"
   (N entries written), "dump fail ERROR", "slurp N EXPIRED" (N entries
   loaded, EXPIRED skipped), "slurp fail REASON" (a short text). */
void log_dump(uint64_t entries, uint64_t bytes);
void log_dumpfail(int err);
void log_slurp(uint64_t loaded, uint64_t expired);
void log_slurpfail(const char *why);
void log_flush(void);
#endif
