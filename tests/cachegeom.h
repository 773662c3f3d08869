#ifndef TESTS_CACHEGEOM_H
#define TESTS_CACHEGEOM_H
/* The cache's geometry as the unit suites compute it on their own
   (unit_cache.c, unit_cache_model.c): SPEC 2.7's hash table size, and the
   bucket of a key under fixedkey, set with cache_setkey(fixedkey).  These
   mirror cache.c; the chain tests fail if the two disagree. */
#include <stdint.h>
#include "siphash.h"

static const unsigned char fixedkey[16] = "0123456789abcdef";

/* hsize as SPEC 2.7 states it: 4, doubled while <= size/32 */
static inline uint32_t hsize_for(uint64_t size)
{
  uint32_t h = 4;
  while (h <= size / 32) h <<= 1;
  return h;
}

static inline uint32_t bucket_of(const char *k, unsigned int len, uint32_t hsize)
{
  return (uint32_t)(siphash24(fixedkey, k, len) & (hsize / 4 - 1));
}
#endif
