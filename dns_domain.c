/* dns_domain.c: operations on uncompressed wire names (dns.h), and the
   conversion between wire names and the text the tools read and print.
   Parsing text checks every limit (labels <= 63, names <= 255 bytes); the
   other functions trust that their input is a well-formed wire name. */
#include <errno.h>
#include <string.h>
#include "byte.h"
#include "dns_domain.h"

unsigned int dns_domain_length(const char *d)
{
  const unsigned char *u = (const unsigned char *)d;
  unsigned int pos = 0;
  while (u[pos]) pos += (unsigned int)u[pos] + 1;
  return pos + 1;
}

int dns_domain_equal(const char *a, const char *b)
{
  unsigned int la = dns_domain_length(a);
  if (la != dns_domain_length(b)) return 0;
  return byte_case_equal(a, b, la);
}

unsigned int dns_domain_suffixpos(const char *big, const char *little)
{
  const unsigned char *u = (const unsigned char *)big;
  unsigned int lb = dns_domain_length(big), ll = dns_domain_length(little);
  unsigned int pos = 0;
  /* walk big's label boundaries; the suffix must start on one */
  while (lb - pos > ll) pos += (unsigned int)u[pos] + 1;
  if (lb - pos != ll) return 0;
  if (!byte_case_equal(big + pos, little, ll)) return 0;
  return pos;
}

int dns_domain_suffix(const char *big, const char *little)
{
  if (dns_domain_equal(big, little)) return 1;
  return dns_domain_suffixpos(big, little) != 0;
}

void dns_domain_lower(char *d)
{
  unsigned int len = dns_domain_length(d), i;
  unsigned int next = 0;
  for (i = 0; i < len; i++) {
    if (i == next) {  /* a length byte: leave it alone */
      next = i + 1 + (unsigned char)d[i];
      continue;
    }
    d[i] = (char)byte_lower((unsigned char)d[i]);
  }
}

void dns_domain_copy(char *out, const char *d)
{
  memmove(out, d, dns_domain_length(d));
}

const char *dns_domain_parent(const char *d)
{
  if (!*d) return d;
  return d + 1 + (unsigned char)*d;
}

int dns_domain_fromdot(char out[DNS_NAME_MAX], const char *text, size_t len)
{
  char label[DNS_LABEL_MAX];
  unsigned int llen = 0, olen = 0;
  size_t i = 0;

  for (;;) {
    int end = (i >= len);
    unsigned char ch = 0;
    if (!end) ch = (unsigned char)text[i++];
    if (end || ch == '.') {
      if (llen) {
        if (olen + llen + 1 + 1 > DNS_NAME_MAX) goto proto;  /* + final 0 */
        out[olen++] = (char)llen;
        memcpy(out + olen, label, llen);
        olen += llen;
        llen = 0;
      }
      if (end) break;
      continue;
    }
    if (ch == '\\') {
      if (i >= len) continue;  /* a trailing lone backslash is dropped */
      ch = (unsigned char)text[i++];
      if (ch >= '0' && ch <= '7') {
        unsigned int v = ch - '0';
        int k;
        for (k = 0; k < 2 && i < len && text[i] >= '0' && text[i] <= '7'; k++)
          v = v * 8 + (unsigned int)(text[i++] - '0');
        ch = (unsigned char)v;
      }
    }
    if (llen >= DNS_LABEL_MAX) goto proto;
    label[llen++] = (char)ch;
  }
  out[olen] = 0;
  return 1;
proto:
  errno = EPROTO;
  return 0;
}

size_t dns_domain_todot(char *out, const char *d)
{
  const unsigned char *u = (const unsigned char *)d;
  size_t n = 0;
  unsigned int pos = 0;

  if (!u[0]) {
    if (out) out[0] = '.';
    return 1;
  }
  while (u[pos]) {
    unsigned int l = u[pos++], i;
    if (n) {
      if (out) out[n] = '.';
      n++;
    }
    for (i = 0; i < l; i++) {
      unsigned char c = (unsigned char)byte_lower(u[pos + i]);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        if (out) out[n] = (char)c;
        n++;
      } else {
        if (out) {
          out[n] = '\\';
          out[n + 1] = (char)('0' + (c >> 6));
          out[n + 2] = (char)('0' + ((c >> 3) & 7));
          out[n + 3] = (char)('0' + (c & 7));
        }
        n += 4;
      }
    }
    pos += l;
  }
  return n;
}
