#ifndef QUERY_CACHE_H
#define QUERY_CACHE_H
#include <stdint.h>
#include "reply.h"
/* What the resolver caches from a reply (query_cache.c): the bailiwick
   rules.  The records are walked by reply.c and stored in cachedata.c's
   format. */

/* Caches every RRset of the reply (all three sections) that passes the
   bailiwick tests against control, logging rr lines.  If dtype is SOA, an
   answer SOA set owned by d is cached too (decision 6).  1, or 0 with
   errno (EPROTO malformed, ENOMEM). */
int query_cache_save(const char *buf, unsigned int len, const unsigned char server[16],
                     const char *control, const char *d, uint16_t dtype);

/* How long a negative answer (NXDOMAIN, NODATA) is cached, from the
   reply's last authority SOA: min(TTL, MINIMUM, 3600) (decision 2); 0
   when the reply has no SOA. */
uint32_t query_cache_negttl(const struct reply *r);
#endif
