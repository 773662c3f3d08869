/* fuzz_ip6.c: libFuzzer target for ip6.c.  The input is text (copied,
   NUL-terminated).  Besides "no crash", it checks what ip6.c promises:
     - ip6_scan accepts exactly what the C library's inet_pton accepts
       (on the prefix it used, and on the whole input);
     - ip6_fmt's text fits IP6_FMT, scans back to the same 16 bytes, and
       is lower case without leading zeros;
     - ip6_fmt_groups(k) is a prefix of ip6_fmt_groups(8), which scans
       back to the same address;
     - ip6_scan46 on any slice either fails or yields an address whose
       text form scans back;
     - ip6_arpa writes exactly IP6_ARPA_LEN bytes of a valid wire name.
   Build: make fuzz (clang -fsanitize=fuzzer,address,undefined). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ip6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

static void check_address(const unsigned char ip[16])
{
  char t[IP6_FMT + 1], g[IP6_FMT + 1], name[IP6_ARPA_LEN + 1];
  unsigned char back[16];
  size_t n = ip6_fmt(t, ip), k, i;
  if (n >= IP6_FMT || n != ip6_fmt(NULL, ip)) bad("fmt length");
  t[n] = 0;
  if (ip6_scan(t, back) != n || memcmp(back, ip, 16)) bad("fmt scans back");
  for (i = 0; i < n; ++i)
    if (t[i] >= 'A' && t[i] <= 'Z') bad("fmt lower case");
  n = ip6_fmt_groups(g, ip, 8);
  if (n >= IP6_FMT) bad("groups length");
  g[n] = 0;
  if (ip6_scan(g, back) != n || memcmp(back, ip, 16)) bad("groups scan back");
  for (k = 1; k < 8; ++k) {
    char p[IP6_FMT];
    size_t m = ip6_fmt_groups(p, ip, (unsigned int)k);
    if (m >= n || memcmp(p, g, m) || g[m] != ':') bad("groups prefix");
  }
  name[IP6_ARPA_LEN] = 0x5a;
  ip6_arpa(name, ip);
  if (name[IP6_ARPA_LEN] != 0x5a || name[IP6_ARPA_LEN - 1] != 0) bad("arpa length");
  for (i = 0; i < 64; i += 2)
    if (name[i] != 1) bad("arpa labels");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s;
  unsigned char ip[16], ref[16];
  char zone[IP6_ZONE];
  size_t n;
  if (size > 256) return 0;
  s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = 0;

  n = ip6_scan(s, ip);
  if (n > strlen(s)) bad("scan length");
  if (n) {
    char c = s[n];
    s[n] = 0;
    if (inet_pton(AF_INET6, s, ref) != 1 || memcmp(ip, ref, 16)) bad("scan agrees with inet_pton");
    s[n] = c;
    check_address(ip);
  }
  if (inet_pton(AF_INET6, s, ref) == 1 && ip6_scan(s, ip) != strlen(s)) bad("inet_pton's address scans");

  /* every slice ending at a '/' (as in $IP lists), and the whole input */
  {
    size_t start = 0, i;
    for (i = 0; i <= size; ++i)
      if (i == size || s[i] == '/') {
        if (ip6_scan46(s + start, i - start, ip, zone)) {
          if (strlen(zone) >= IP6_ZONE) bad("zone length");
          check_address(ip);
        }
        start = i + 1;
      }
  }
  free(s);
  return 0;
}
