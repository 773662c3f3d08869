/* byte.c: ASCII case folding, byte search and the original's decimal
   number conversions.  Nothing here depends on the locale. */
#include "byte.h"

int byte_lower(int c)
{
  if (c >= 'A' && c <= 'Z') return c + ('a' - 'A');
  return c;
}

int byte_case_equal(const void *a, const void *b, size_t n)
{
  const unsigned char *x = a, *y = b;
  size_t i;
  for (i = 0; i < n; i++)
    if (byte_lower(x[i]) != byte_lower(y[i])) return 0;
  return 1;
}

size_t byte_chr(const void *s, size_t n, int c)
{
  const unsigned char *x = s;
  size_t i;
  for (i = 0; i < n; i++)
    if (x[i] == (unsigned char)c) break;
  return i;
}

size_t scan_ulong(const char *s, unsigned long *u)
{
  unsigned long v = 0;
  size_t i = 0;
  while (s[i] >= '0' && s[i] <= '9') {
    v = v * 10 + (unsigned long)(s[i] - '0');
    i++;
  }
  *u = v;
  return i;
}

size_t fmt_ulong(char *s, unsigned long u)
{
  size_t len = 1, i;
  unsigned long q = u;
  while (q >= 10) { q /= 10; len++; }
  if (s) {
    for (i = len; i > 0; i--) {
      s[i - 1] = (char)('0' + u % 10);
      u /= 10;
    }
  }
  return len;
}
