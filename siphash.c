/* SipHash-2-4, written from the description in the paper: four 64-bit
   lanes initialised from the key and four constants, two rounds per
   8-byte little-endian message word, a final word carrying the leftover
   bytes and the length mod 256, then four rounds after xoring 0xff into
   v2.  Pure function of (key, input); reads exactly len bytes. */
#include <string.h>
#include "siphash.h"

static uint64_t rotl(uint64_t x, unsigned int b)
{
  return (x << b) | (x >> (64 - b));
}

static uint64_t load64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t u;
  memcpy(&u, p, 8);
  return u;
#else
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | p[i];
  return u;
#endif
}

struct sipstate { uint64_t v0, v1, v2, v3; };

static void sipround(struct sipstate *s)
{
  s->v0 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v0; s->v0 = rotl(s->v0, 32);
  s->v2 += s->v3; s->v3 = rotl(s->v3, 16); s->v3 ^= s->v2;
  s->v0 += s->v3; s->v3 = rotl(s->v3, 21); s->v3 ^= s->v0;
  s->v2 += s->v1; s->v1 = rotl(s->v1, 17); s->v1 ^= s->v2; s->v2 = rotl(s->v2, 32);
}

static void absorb(struct sipstate *s, uint64_t m)
{
  s->v3 ^= m;
  sipround(s);
  sipround(s);
  s->v0 ^= m;
}

uint64_t siphash24(const unsigned char key[16], const void *in, size_t len)
{
  const unsigned char *p = in;
  uint64_t k0 = load64(key), k1 = load64(key + 8);
  struct sipstate s = {
    k0 ^ UINT64_C(0x736f6d6570736575), k1 ^ UINT64_C(0x646f72616e646f6d),
    k0 ^ UINT64_C(0x6c7967656e657261), k1 ^ UINT64_C(0x7465646279746573)
  };
  size_t n = len;

  while (n >= 8) {
    absorb(&s, load64(p));
    p += 8;
    n -= 8;
  }
  uint64_t last = (uint64_t)(len & 0xff) << 56;
  for (size_t i = 0; i < n; ++i) last |= (uint64_t)p[i] << (8 * i);
  absorb(&s, last);

  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) sipround(&s);
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
