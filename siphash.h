#ifndef SIPHASH_H
#define SIPHASH_H
#include <stddef.h>
#include <stdint.h>
/* SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF for
   short inputs.  key is 16 bytes (k0 = first 8, little-endian); the
   result is the 64-bit value whose little-endian bytes are the paper's
   output. */
uint64_t siphash24(const unsigned char key[16], const void *in, size_t len);
#endif
