#ifndef CACHEDATA_H
#define CACHEDATA_H
#include <stdint.h>
#include "dns.h"
/* The resolver's cached data format (cachedata.c): the one place that
   knows how an RRset is laid out in cache.c's bytes.
   Key: the 2-byte type + the lower-cased wire name.
   Data, one entry after another:
     A                4 bytes
     NS, PTR, CNAME   a wire name (a CNAME set holds only its last record)
     MX               2-byte preference + wire name
     SOA              mname + rname + the 20 bytes of numbers (decision 6)
     other types      2-byte length + RDATA
   NXDOMAIN is type ANY with empty data; NODATA the type with empty data. */

#define CACHEDATA_MAX 8192   /* a set that encodes larger is not cached */

/* ttl as received -> ttl stored: above 2147483647 is 0 (decision 1),
   capped at CACHE_MAXTTL (604800). */
uint32_t cachedata_ttl(uint32_t ttl);

/* The cache's newest live data for (type, d), or NULL; *ttl remaining. */
const char *cachedata_get(uint16_t type, const char *d, unsigned int *len, uint32_t *ttl);
void cachedata_set(uint16_t type, const char *d, const char *data, unsigned int len,
                   uint32_t ttl);
/* The same, also if it expired no more than stale seconds ago ($SERVESTALE). */
const char *cachedata_getstale(uint16_t type, const char *d, unsigned int *len,
                               uint32_t *ttl, uint32_t stale);

/* Parent-side glue of a delegation (query.c keepglue, st_glue): the
   addresses, 4 bytes each, the parent's referral gave for zone's name
   servers, kept apart from those names' own A sets.  Key: the 2-byte type
   A, then 255, then the zone's wire name: no record's key can start so
   (a wire name starts with a label length of at most 63). */
const char *cachedata_getglue(const char *zone, unsigned int *len, uint32_t *ttl);
void cachedata_setglue(const char *zone, const char *ips, unsigned int len, uint32_t ttl);
/* The same for AAAA glue (SPEC 4.1): 16 bytes each, key type AAAA. */
const char *cachedata_getglue6(const char *zone, unsigned int *len, uint32_t *ttl);
void cachedata_setglue6(const char *zone, const char *ips, unsigned int len, uint32_t ttl);

/* One-byte marks kept beside the records, keyed as the glue with another
   second byte (254, 253: no record's key can start so either), found only
   while live; the newest wins, so a mark is cleared by storing 0:
   - glue first (decision 18): A, 254, zone: 1 while the parent's glue is
     the path that answers for zone (the child's addresses failed);
   - recheck ($SERVESTALE, RFC 8767 section 5): the client's type, 253,
     name: 1 while a failed resolution of that question is recent. */
#define CACHEDATA_GLUEFIRST 254
#define CACHEDATA_RECHECK 253
int cachedata_getmark(uint16_t type, unsigned char mark, const char *d);
void cachedata_setmark(uint16_t type, unsigned char mark, const char *d, char value,
                       uint32_t ttl);

/* Encoding one set: start, add each record, then if ok store data[0..len). */
struct cachedata {
  char data[CACHEDATA_MAX];
  unsigned int len;
  int ok;                  /* 0 once the set outgrew CACHEDATA_MAX */
};
void cachedata_start(struct cachedata *c);
void cachedata_addname(struct cachedata *c, const char *name);       /* NS, PTR, CNAME */
void cachedata_addmx(struct cachedata *c, const char pref[2], const char *name);
void cachedata_adda(struct cachedata *c, const char ip[4]);
void cachedata_addsoa(struct cachedata *c, const char *mname, const char *rname,
                      const char numbers[20]);
void cachedata_addrdata(struct cachedata *c, const char *rdata, unsigned int n);

/* Decoding.  cachedata_answer writes one answer record (owner d, ttl as
   given) per entry of type's data into response.c's buffer: 1, or 0 if
   the response is full or the data does not parse.  cachedata_name reads
   the name at pos of an NS/PTR/CNAME set: the next position, or 0. */
int cachedata_answer(const char *d, uint16_t type, const char *data, unsigned int len,
                     uint32_t ttl);
unsigned int cachedata_name(const char *data, unsigned int len, unsigned int pos,
                            char name[DNS_NAME_MAX]);
#endif
