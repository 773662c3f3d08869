#ifndef CACHE_H
#define CACHE_H
#include <stdint.h>
/* The fixed-size cache: one arena of `size` bytes allocated at start, a
   hash table of bucket heads (roughly 5% of it) and a ring of entries
   {link, keylen, datalen, expiry, key, data}; the oldest entries are
   evicted first when room is needed (FIFO, as the original).  Knows bytes
   and TTLs, not DNS.  The hash is keyed with a secret (SipHash) so that
   clients cannot aim many keys at one bucket; lookups walk at most 100
   links.  Time is the caller's monotonic seconds (clock_sec()), so tests
   can drive it.  Not thread safe; one cache per process. */
#define CACHE_MAXKEY 1000
#define CACHE_MAXDATA 1000000
#define CACHE_MAXTTL 604800
#define CACHE_MAXSIZE 1000000000

/* size is clamped to [100, CACHE_MAXSIZE].  1 on success, 0 (errno ENOMEM). */
int cache_init(uint64_t size);
/* Replaces the secret hash key (tests; dnscache passes dns_random bytes).
   Call it before storing anything: entries stored under the old key stay
   in their chains (and are evicted normally) but are no longer found.
   Once called, later cache_init calls keep this key instead of drawing a
   fresh one from getrandom(). */
void cache_setkey(const unsigned char key[16]);
/* ttl 0 stores nothing; ttl over CACHE_MAXTTL is capped.  Oversized keys
   or data, or an entry larger than the arena, are silently not stored. */
void cache_set(const char *key, unsigned int keylen, const char *data,
               unsigned int datalen, uint32_t ttl, int64_t now);
/* Newest live entry for key, or NULL.  *ttl is the remaining lifetime in
   seconds (capped at CACHE_MAXTTL).  The pointer is valid until the next
   cache_set. */
const char *cache_get(const char *key, unsigned int keylen, unsigned int *datalen,
                      uint32_t *ttl, int64_t now);
/* The same, also when the entry expired no more than stale seconds ago
   ($SERVESTALE: such an entry has *ttl 0).  Expired entries stay in the
   ring until they are overwritten, as ever: nothing is kept longer. */
const char *cache_getstale(const char *key, unsigned int keylen, unsigned int *datalen,
                           uint32_t *ttl, int64_t now, uint32_t stale);
/* cache_walk calls fn for every entry cache_get could return, oldest
   first, with its remaining ttl (1 .. CACHE_MAXTTL; entries with less
   than a second left are skipped), until fn returns 0.  Storing them
   with cache_set in that order into an empty cache reproduces every
   answer (a cache dump).  fn must not change the cache.  Returns 1 when
   every entry was visited, 0 when fn stopped the walk. */
typedef int (*cache_walkfn)(void *arg, const char *key, unsigned int keylen,
                            const char *data, unsigned int datalen, uint32_t ttl);
int cache_walk(cache_walkfn fn, void *arg, int64_t now);
/* Empties the cache (same size, same hash key, motion back to 0). */
void cache_clear(void);
/* Total bytes ever inserted (the `stats` line's cache_motion). */
uint64_t cache_motion(void);
#endif
