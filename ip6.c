/* ip6.c: IPv6 addresses, 16 bytes, and their text forms (RFC 4291 text
   in, RFC 5952 text out), the ip6.arpa name and the ip/ file names.
   Guarantees: a scan either accepts a whole address or returns 0 and
   leaves ip untouched; every writer stays within the length its header
   states (IP6_FMT, IP6_ARPA_LEN); nothing is allocated. */
#include <string.h>
#include "ip4.h"
#include "ip6.h"

const unsigned char ip6_mappedprefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static const char hexdigit[16] = "0123456789abcdef";

static int hexval(char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A strict dotted quad (embedded in IPv6 text): four numbers 0..255 of
   1..3 digits, no leading zeros (as inet_pton).  Characters used, or 0. */
static size_t quad_scan(const char *s, unsigned char out[4])
{
  size_t i = 0;
  int k;
  for (k = 0; k < 4; ++k) {
    unsigned int v = 0, n = 0;
    if (k) {
      if (s[i] != '.') return 0;
      ++i;
    }
    while (s[i] >= '0' && s[i] <= '9' && n < 4) {
      if (n && !v) return 0;   /* a leading zero */
      v = v * 10 + (unsigned int)(s[i] - '0');
      ++i;
      ++n;
    }
    if (!n || n > 3 || v > 255) return 0;
    out[k] = (unsigned char)v;
  }
  return i;
}

size_t ip6_scan(const char *s, unsigned char ip[16])
{
  unsigned char head[16], tail[16];
  unsigned int nhead = 0, ntail = 0;   /* bytes */
  int dc = 0;                          /* "::" seen */
  size_t i = 0;

  if (s[0] == ':') {
    if (s[1] != ':') return 0;
    dc = 1;
    i = 2;
  }
  for (;;) {
    unsigned char *to = dc ? tail : head;
    unsigned int *n = dc ? &ntail : &nhead;
    unsigned int v = 0, digits = 0, total = nhead + ntail;
    size_t j = i;
    if (total >= (dc ? 14u : 16u)) break;   /* no room for another group */
    while (hexval(s[j]) >= 0 && digits < 5) {
      v = v * 16 + (unsigned int)hexval(s[j]);
      ++j;
      ++digits;
    }
    if (!digits) {
      if (dc && i >= 2 && s[i - 1] == ':' && s[i - 2] == ':') break;   /* ends in "::" */
      return 0;   /* a ':' not followed by a group */
    }
    if (s[j] == '.') {   /* the dotted quad closes the address */
      size_t q;
      if (total + 4 > (dc ? 14u : 16u)) return 0;
      q = quad_scan(s + i, to + *n);
      if (!q) return 0;
      *n += 4;
      i += q;
      break;
    }
    if (digits > 4) return 0;
    to[(*n)++] = (unsigned char)(v >> 8);
    to[(*n)++] = (unsigned char)v;
    i = j;
    if (s[i] != ':') break;
    if (s[i + 1] == ':') {
      if (dc) return 0;   /* a second "::" */
      dc = 1;
      i += 2;
      if (hexval(s[i]) < 0) break;   /* ends in "::" */
      continue;
    }
    if (nhead + ntail >= (dc ? 14u : 16u)) break;   /* the ':' is not ours */
    ++i;
  }
  if (dc ? nhead + ntail > 14 : nhead != 16) return 0;
  memset(ip, 0, 16);
  memcpy(ip, head, nhead);
  memcpy(ip + 16 - ntail, tail, ntail);
  return i;
}

int ip6_scan46(const char *s, size_t len, unsigned char ip[16], char zone[])
{
  char buf[64];
  size_t alen, k;
  unsigned char ip4[4];
  if (!len || len >= sizeof buf) return 0;
  memcpy(buf, s, len);
  buf[len] = 0;
  if (memchr(buf, 0, len)) return 0;
  zone[0] = 0;
  if (!memchr(buf, ':', len)) {
    if (!ip4_scan(buf, ip4)) return 0;
    ip6_from4(ip, ip4);
    return 1;
  }
  alen = 0;
  while (alen < len && buf[alen] != '%') ++alen;
  if (alen < len) {   /* the zone: 1..IP6_ZONE-1 of [A-Za-z0-9._-] */
    size_t zlen = len - alen - 1;
    if (!zlen || zlen >= IP6_ZONE) return 0;
    for (k = 0; k < zlen; ++k) {
      char c = buf[alen + 1 + k];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == '-'))
        return 0;
    }
    buf[alen] = 0;
    {
      unsigned char tmp[16];
      if (ip6_scan(buf, tmp) != alen) return 0;
      memcpy(ip, tmp, 16);
    }
    memcpy(zone, buf + alen + 1, zlen);
    zone[zlen] = 0;
    return 1;
  }
  {
    unsigned char tmp[16];
    if (ip6_scan(buf, tmp) != len) return 0;
    memcpy(ip, tmp, 16);
  }
  return 1;
}

static size_t group(char *s, unsigned int v)
{
  char t[4];
  size_t n = 0, k;
  do {
    t[n++] = hexdigit[v & 15];
    v >>= 4;
  } while (v);
  if (s)
    for (k = 0; k < n; ++k) s[k] = t[n - 1 - k];
  return n;
}

size_t ip6_fmt_groups(char *s, const unsigned char ip[16], unsigned int k)
{
  size_t len = 0;
  unsigned int g;
  if (k > 8) k = 8;
  for (g = 0; g < k; ++g) {
    if (g) {
      if (s) s[len] = ':';
      ++len;
    }
    len += group(s ? s + len : NULL, (unsigned int)ip[2 * g] << 8 | ip[2 * g + 1]);
  }
  return len;
}

size_t ip6_fmt(char *s, const unsigned char ip[16])
{
  unsigned int g, best = 0, bestlen = 0, run = 0;
  size_t len = 0;
  if (ip6_isv4mapped(ip)) {
    if (s) memcpy(s, "::ffff:", 7);
    return 7 + ip4_fmt(s ? s + 7 : NULL, ip + 12);
  }
  for (g = 0; g < 8; ++g) {   /* the longest run of zero groups, the first of equals */
    if (ip[2 * g] | ip[2 * g + 1]) {
      run = 0;
      continue;
    }
    if (++run > bestlen) {
      bestlen = run;
      best = g + 1 - run;
    }
  }
  if (bestlen < 2) bestlen = 0;   /* a single zero group is written "0" */
  for (g = 0; g < 8; ++g) {
    if (bestlen && g == best) {
      if (s) memcpy(s + len, "::", 2);
      len += 2;
      g += bestlen - 1;
      continue;
    }
    if (g && !(bestlen && g == best + bestlen)) {
      if (s) s[len] = ':';
      ++len;
    }
    len += group(s ? s + len : NULL, (unsigned int)ip[2 * g] << 8 | ip[2 * g + 1]);
  }
  return len;
}

size_t ip6_fmt_flat(char *s, const unsigned char ip[16])
{
  unsigned int i;
  if (s)
    for (i = 0; i < 16; ++i) {
      s[2 * i] = hexdigit[ip[i] >> 4];
      s[2 * i + 1] = hexdigit[ip[i] & 15];
    }
  return 32;
}

void ip6_arpa(char name[], const unsigned char ip[16])
{
  unsigned int i, n = 0;
  for (i = 16; i-- > 0;) {
    name[n++] = 1;
    name[n++] = hexdigit[ip[i] & 15];
    name[n++] = 1;
    name[n++] = hexdigit[ip[i] >> 4];
  }
  memcpy(name + n, "\3ip6\4arpa", 10);   /* with the root's 0 */
}

int ip6_isv4mapped(const unsigned char ip[16])
{
  return !memcmp(ip, ip6_mappedprefix, 12);
}

void ip6_from4(unsigned char ip[16], const unsigned char ip4[4])
{
  memcpy(ip, ip6_mappedprefix, 12);
  memcpy(ip + 12, ip4, 4);
}

int ip6_isempty(const unsigned char ip[16])
{
  static const unsigned char zero[16];
  if (!memcmp(ip, zero, 16)) return 1;
  return ip6_isv4mapped(ip) && !(ip[12] | ip[13] | ip[14] | ip[15]);
}
