/* The fixed-size cache.  One zeroed arena of `size` bytes, allocated once:
     [0, hsize)        bucket heads, 4 bytes each: position of the newest
                       entry of that bucket, or 0 for an empty bucket;
     [hsize, size)     a ring of entries, written in insertion order:
                       link(4) keylen(4) datalen(4) expiry(8) key data.
   A bucket's entries form a doubly linked chain, newest first, whose link
   word is the xor of the previous and next positions (the previous of the
   newest is the bucket head itself, the next of the oldest is 0).
   Positions of the ring:  hsize <= writer <= oldest <= unused <= size.
   Live entries are [oldest, unused) (older) then [hsize, writer) (newer);
   [writer, oldest) is free.  A new entry goes at writer after evicting
   from oldest (FIFO) until it fits; when it cannot fit before the end of
   the arena the ring wraps (unused = writer, oldest = writer = hsize).
   Since eviction is FIFO, an evicted entry is always the oldest of its
   chain, so it is unlinked without walking.  A position that points
   outside the arena means memory corruption: _exit(111), as the original.
   Lookups read the bucket word, then each entry's 20-byte header and key,
   at most 100 of them; the bucket is chosen by SipHash-2-4 under a secret
   key so that remote clients cannot aim names at one chain.  cache_walk
   (a dump) reads the ring in that same order, oldest first, and hands
   out only the entries a lookup would find. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <time.h>
#include "cache.h"
#include "siphash.h"

#define HDR 20      /* link, keylen, datalen, expiry */
#define MAXSTEPS 100

static unsigned char *arena;
static uint32_t size;   /* arena bytes */
static uint32_t hsize;  /* bytes of bucket heads */
static uint32_t writer, oldest, unused;
static uint64_t motion;
static unsigned char hashkey[16];
static int keyset;      /* cache_setkey was called: keep that key */

static void impossible(void)
{
  _exit(111);
}

static uint32_t get4(uint32_t pos)
{
  uint32_t u;
  if (pos > size - 4) impossible();
  memcpy(&u, arena + pos, 4);
  return u;
}

static void set4(uint32_t pos, uint32_t u)
{
  if (pos > size - 4) impossible();
  memcpy(arena + pos, &u, 4);
}

/* pos must be the start of an entry whose header lies inside the ring */
static void check_entry(uint32_t pos)
{
  if (pos < hsize || pos > size - HDR) impossible();
}

/* total length of the (checked) entry at pos; key and data inside the arena */
static uint32_t entry_len(uint32_t pos)
{
  uint64_t len = (uint64_t)HDR + get4(pos + 4) + get4(pos + 8);
  if (len > (uint64_t)size - pos) impossible();
  return (uint32_t)len;
}

static uint32_t bucket(const char *key, unsigned int keylen)
{
  uint64_t h = siphash24(hashkey, key, keylen);
  return (uint32_t)(h & (hsize / 4 - 1)) * 4;
}

static void randomkey(void)
{
  size_t got = 0;
  while (got < sizeof hashkey) {
    ssize_t r = getrandom(hashkey + got, sizeof hashkey - got, 0);
    if (r > 0) { got += (size_t)r; continue; }
    if (r < 0 && errno == EINTR) continue;
    break;
  }
  if (got < sizeof hashkey) {
    /* no kernel randomness: weak but distinct per process and start */
    struct timespec ts;
    uint64_t x[2];
    clock_gettime(CLOCK_REALTIME, &ts);
    x[0] = (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 32);
    x[1] = (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&x;
    uint64_t h = siphash24(hashkey, x, sizeof x);
    memcpy(hashkey, &h, 8);
    h = siphash24(hashkey, x, sizeof x);
    memcpy(hashkey + 8, &h, 8);
  }
}

int cache_init(uint64_t cachesize)
{
  if (cachesize < 100) cachesize = 100;
  if (cachesize > CACHE_MAXSIZE) cachesize = CACHE_MAXSIZE;
  free(arena);
  arena = calloc(1, (size_t)cachesize);
  if (!arena) {
    size = 0;
    errno = ENOMEM;
    return 0;
  }
  size = (uint32_t)cachesize;
  hsize = 4;
  while (hsize <= size / 32) hsize <<= 1;
  writer = hsize;
  oldest = unused = size;
  motion = 0;
  if (!keyset) randomkey();
  return 1;
}

void cache_setkey(const unsigned char key[16])
{
  memcpy(hashkey, key, sizeof hashkey);
  keyset = 1;
}

uint64_t cache_motion(void)
{
  return motion;
}

/* Removes the entry at oldest, the tail of its chain, from its chain. */
static void evict_oldest(void)
{
  check_entry(oldest);
  uint32_t len = entry_len(oldest);
  if (len > unused - oldest) impossible();
  uint32_t prev = get4(oldest);   /* prev ^ 0 */
  if (prev < hsize) {
    if (prev & 3 || get4(prev) != oldest) impossible();
    set4(prev, 0);
  } else {
    check_entry(prev);
    set4(prev, get4(prev) ^ oldest);
  }
  oldest += len;
  if (oldest == unused) oldest = unused = size;
}

/* Evicts until len bytes are free at writer; 0 if impossible. */
static int make_room(uint32_t len)
{
  while ((uint64_t)writer + len > oldest) {
    if (oldest == unused) {
      /* nothing left ahead of the writer: wrap to the start of the ring */
      if (writer == hsize) return 0;
      unused = writer;
      oldest = writer = hsize;
      continue;
    }
    evict_oldest();
  }
  return 1;
}

void cache_set(const char *key, unsigned int keylen, const char *data,
               unsigned int datalen, uint32_t ttl, int64_t now)
{
  if (!arena || !ttl) return;
  if (keylen > CACHE_MAXKEY || datalen > CACHE_MAXDATA) return;
  if (ttl > CACHE_MAXTTL) ttl = CACHE_MAXTTL;
  uint32_t len = HDR + keylen + datalen;
  if (len > size - hsize) return;
  if (!make_room(len)) return;

  uint32_t b = bucket(key, keylen);
  uint32_t first = get4(b);
  if (first) {
    check_entry(first);
    set4(first, get4(first) ^ b ^ writer);
  }
  int64_t expiry = now > INT64_MAX - (int64_t)ttl ? INT64_MAX : now + (int64_t)ttl;
  uint32_t k = keylen, d = datalen;
  unsigned char *e = arena + writer;
  set4(writer, b ^ first);
  memcpy(e + 4, &k, 4);
  memcpy(e + 8, &d, 4);
  memcpy(e + 12, &expiry, 8);
  if (keylen) memcpy(e + HDR, key, keylen);
  if (datalen) memcpy(e + HDR + keylen, data, datalen);
  set4(b, writer);
  writer += len;
  motion += len;
}

/* Position of the newest entry for key within MAXSTEPS links of its
   bucket, or 0: the one entry cache_get can return for that key. */
static uint32_t find(const char *key, unsigned int keylen)
{
  uint32_t prev = bucket(key, keylen);
  uint32_t pos = get4(prev);
  for (int steps = 0; pos && steps < MAXSTEPS; ++steps) {
    check_entry(pos);
    const unsigned char *e = arena + pos;
    uint32_t link, k;
    memcpy(&link, e, 4);
    memcpy(&k, e + 4, 4);
    if (k == keylen) {
      if ((uint64_t)keylen > (uint64_t)size - pos - HDR) impossible();
      if (!memcmp(e + HDR, key, keylen)) return pos;
    }
    uint32_t next = link ^ prev;
    prev = pos;
    pos = next;
  }
  return 0;
}

/* The newest entry for key, if it expired no more than stale seconds
   before now. */
static const char *lookup(const char *key, unsigned int keylen, unsigned int *datalen,
                          uint32_t *ttl, int64_t now, uint32_t stale)
{
  if (!arena || keylen > CACHE_MAXKEY) return NULL;
  uint32_t pos = find(key, keylen);
  if (!pos) return NULL;
  const unsigned char *e = arena + pos;
  uint32_t d = get4(pos + 8);
  if ((uint64_t)d > (uint64_t)size - pos - HDR - keylen) impossible();
  int64_t expiry;
  memcpy(&expiry, e + 12, 8);
  if (expiry < now && (uint64_t)now - (uint64_t)expiry > stale) return NULL;
  uint64_t left = expiry < now ? 0 : (uint64_t)expiry - (uint64_t)now;
  *ttl = left > CACHE_MAXTTL ? CACHE_MAXTTL : (uint32_t)left;
  *datalen = d;
  return (const char *)e + HDR + keylen;
}

const char *cache_get(const char *key, unsigned int keylen, unsigned int *datalen,
                      uint32_t *ttl, int64_t now)
{
  return lookup(key, keylen, datalen, ttl, now, 0);
}

const char *cache_getstale(const char *key, unsigned int keylen, unsigned int *datalen,
                           uint32_t *ttl, int64_t now, uint32_t stale)
{
  return lookup(key, keylen, datalen, ttl, now, stale);
}

/* The live ring is [oldest, unused) then [hsize, writer): walking it in
   that order visits entries oldest first.  An entry is handed out only
   if find() picks it (a newer entry for the same key, or a chain longer
   than MAXSTEPS, hides it from cache_get) and at least a second is left,
   so storing what the walk yields, in its order, into an empty cache
   answers every lookup as this cache does now. */
int cache_walk(cache_walkfn fn, void *arg, int64_t now)
{
  if (!arena) return 1;
  uint32_t pos = oldest, end = unused;
  for (int part = 0; part < 2; ++part) {
    while (pos < end) {
      check_entry(pos);
      uint32_t len = entry_len(pos);
      if (len > end - pos) impossible();
      const unsigned char *e = arena + pos;
      uint32_t k, d;
      int64_t expiry;
      memcpy(&k, e + 4, 4);
      memcpy(&d, e + 8, 4);
      memcpy(&expiry, e + 12, 8);
      if (expiry > now && k <= CACHE_MAXKEY && find((const char *)e + HDR, k) == pos) {
        uint64_t left = (uint64_t)expiry - (uint64_t)now;
        uint32_t ttl = left > CACHE_MAXTTL ? CACHE_MAXTTL : (uint32_t)left;
        if (!fn(arg, (const char *)e + HDR, k, (const char *)e + HDR + k, d, ttl)) return 0;
      }
      pos += len;
    }
    pos = hsize;
    end = writer;
  }
  return 1;
}

void cache_clear(void)
{
  if (!arena) return;
  memset(arena, 0, hsize);
  writer = hsize;
  oldest = unused = size;
  motion = 0;
}
