/* uint.c: big-endian packing of 16- and 32-bit values at any alignment. */
#include "uint.h"

uint16_t uint16_unpack_big(const char *s)
{
  const unsigned char *u = (const unsigned char *)s;
  return (uint16_t)((u[0] << 8) | u[1]);
}

void uint16_pack_big(char *s, uint16_t u)
{
  s[0] = (char)(u >> 8);
  s[1] = (char)(u & 255);
}

uint32_t uint32_unpack_big(const char *s)
{
  const unsigned char *u = (const unsigned char *)s;
  return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

void uint32_pack_big(char *s, uint32_t u)
{
  s[0] = (char)(u >> 24);
  s[1] = (char)((u >> 16) & 255);
  s[2] = (char)((u >> 8) & 255);
  s[3] = (char)(u & 255);
}
