#ifndef QUERY_CACHE_H
#define QUERY_CACHE_H
#include <stdint.h>
#include "dns.h"
#include "dns_packet.h"
/* The resolver's side of the cache (part of query.c, split off to keep
   files small): reading a reply's flags, caching its RRsets with the
   bailiwick rules, and the per-type cache data formats.  Keys are the
   2-byte type + the lower-cased wire name.  Data: A 4 bytes each;
   NS/PTR/CNAME wire names; MX 2-byte preference + name; SOA (decision
   6) mname + rname + 20 bytes each; other types 2-byte length + RDATA;
   NXDOMAIN: type ANY, empty; NODATA: the type, empty. */

/* What a reply says about name d asked with type dtype. */
struct query_reply {
  struct dns_header h;
  unsigned int rcode;
  unsigned int posanswer;           /* first answer record */
  int out;                          /* an answer record for d of dtype */
  int cname;                        /* else a CNAME for d: */
  char cnametarget[DNS_NAME_MAX];   /*   the last one's target */
  uint32_t cnamettl;                /*   and raw TTL */
  int soa;                          /* a SOA in the authority section */
  uint32_t soattl;                  /* min(TTL, MINIMUM, 3600) (decision 2) */
  int referral;                     /* an NS record in the authority section */
  char refname[DNS_NAME_MAX];       /* the last one's owner */
};
/* 1, or 0 with errno = EPROTO when the header, question, answer or
   authority section is malformed. */
int query_cache_scan(struct query_reply *r, const char *buf, unsigned int len,
                     const char *d, uint16_t dtype);

/* Caches every RRset of the reply (all three sections) that passes the
   bailiwick tests against control, logging rr lines.  If dtype is SOA, an
   answer SOA set owned by d is cached too (decision 6).  1, or 0 with
   errno (EPROTO malformed, ENOMEM). */
int query_cache_save(const char *buf, unsigned int len, const unsigned char server[4],
                     const char *control, const char *d, uint16_t dtype);

const char *query_cache_get(uint16_t type, const char *d, unsigned int *len, uint32_t *ttl);
void query_cache_set(uint16_t type, const char *d, const char *data, unsigned int len,
                     uint32_t ttl);

/* Response writers (response.h).  writerecord: the RDATA of a reply's
   record, names decompressed (1 ok, 0 response full, -1 malformed).
   writesoa: one cached SOA (mname, rname, 20 bytes) at *pos of data,
   advancing *pos (1 ok, 0 full or malformed). */
int query_cache_writerecord(const char *buf, unsigned int len, const struct dns_rr *rr);
int query_cache_writesoa(const char *data, unsigned int len, unsigned int *pos);
#endif
