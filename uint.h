#ifndef UINT_H
#define UINT_H
#include <stdint.h>
/* Network-order (big-endian) pack/unpack of unaligned bytes. */
uint16_t uint16_unpack_big(const char *s);
void uint16_pack_big(char *s, uint16_t u);
uint32_t uint32_unpack_big(const char *s);
void uint32_pack_big(char *s, uint32_t u);
#endif
