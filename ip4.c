/* ip4.c: dotted-quad text to 4 bytes and back.  Scanning is as lenient as
   the original's: each of the four numbers is taken mod 256 and whatever
   follows the fourth is left for the caller. */
#include "byte.h"
#include "ip4.h"

size_t ip4_scan(const char *s, unsigned char ip[4])
{
  unsigned char tmp[4];
  size_t len = 0, i;
  int k;
  for (k = 0; k < 4; k++) {
    unsigned long u;
    if (k) {
      if (s[len] != '.') return 0;
      len++;
    }
    i = scan_ulong(s + len, &u);
    if (!i) return 0;
    tmp[k] = (unsigned char)(u & 255);
    len += i;
  }
  for (k = 0; k < 4; k++) ip[k] = tmp[k];
  return len;
}

size_t ip4_fmt(char *s, const unsigned char ip[4])
{
  size_t len = 0, i;
  int k;
  for (k = 0; k < 4; k++) {
    if (k) {
      if (s) s[len] = '.';
      len++;
    }
    i = fmt_ulong(s ? s + len : NULL, ip[k]);
    len += i;
  }
  return len;
}
