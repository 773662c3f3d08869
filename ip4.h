#ifndef IP4_H
#define IP4_H
#include <stddef.h>
/* IPv4 text <-> 4 bytes, with the original's leniency: four decimal numbers
   separated by '.', each taken mod 256 (127.0.0.300 is 127.0.0.44);
   whatever follows the fourth number is not looked at.
   ip4_scan returns the number of characters used, 0 on failure. */
size_t ip4_scan(const char *s, unsigned char ip[4]);
/* Writes "a.b.c.d" without NUL; returns its length (at most IP4_FMT-1).
   s may be NULL to count. */
size_t ip4_fmt(char *s, const unsigned char ip[4]);
#define IP4_FMT 16
#endif
