/* SipHash-2-4 against the reference vectors (key 00..0f, message 00..len-1;
   len 15 is the paper's appendix example). */
#include <stdlib.h>
#include "tests/unit.h"
#include "siphash.h"

static unsigned char key[16], msg[64];

static void setup(void)
{
  for (int i = 0; i < 16; ++i) key[i] = (unsigned char)i;
  for (int i = 0; i < 64; ++i) msg[i] = (unsigned char)i;
}

static void t_paper_vector(void)
{
  CHECK(siphash24(key, msg, 15) == UINT64_C(0xa129ca6149be45e5));
}

static void t_reference_vectors(void)
{
  CHECK(siphash24(key, msg, 0) == UINT64_C(0x726fdb47dd0e0e31));
  CHECK(siphash24(key, msg, 1) == UINT64_C(0x74f839c593dc67fd));
  CHECK(siphash24(key, msg, 2) == UINT64_C(0x0d6c8009d9a94f5a));
  CHECK(siphash24(key, msg, 32) == UINT64_C(0x7127512f72f27cce));
}

/* every length reads exactly len bytes (ASan catches an overread of the
   exact-size copy) and depends on every byte and on the key */
static void t_lengths_and_sensitivity(void)
{
  for (size_t len = 0; len <= 64; ++len) {
    unsigned char *p = malloc(len ? len : 1);
    memcpy(p, msg, len);
    uint64_t h = siphash24(key, p, len);
    CHECK(h == siphash24(key, msg, len));
    for (size_t i = 0; i < len; ++i) {
      p[i] ^= 1;
      CHECK(siphash24(key, p, len) != h);
      p[i] ^= 1;
    }
    unsigned char k2[16];
    memcpy(k2, key, 16);
    k2[len % 16] ^= 0x80;
    CHECK(siphash24(k2, p, len) != h);
    if (len < 64) CHECK(siphash24(key, msg, len + 1) != h);
    free(p);
  }
}

int main(void)
{
  setup();
  RUN(t_paper_vector);
  RUN(t_reference_vectors);
  RUN(t_lengths_and_sensitivity);
  return unit_done();
}
