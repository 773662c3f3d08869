/* parsetype.c: type names and numbers as dnsq/dnsqr read them (SPEC 2.10).
   Only the names below are known; anything else that is not all digits is
   refused, so the caller prints its usage line. */
#include <stddef.h>
#include "byte.h"
#include "dns.h"
#include "parsetype.h"

static const struct { const char *name; uint16_t type; } names[] = {
  { "any", DNS_T_ANY }, { "a", DNS_T_A }, { "ns", DNS_T_NS }, { "mx", DNS_T_MX },
  { "ptr", DNS_T_PTR }, { "txt", DNS_T_TXT }, { "cname", DNS_T_CNAME },
  { "soa", DNS_T_SOA }, { "hinfo", DNS_T_HINFO }, { "rp", DNS_T_RP },
  { "sig", DNS_T_SIG }, { "key", DNS_T_KEY }, { "aaaa", DNS_T_AAAA },
  { "axfr", DNS_T_AXFR },
};

static int same_name(const char *s, const char *name)
{
  for (; *name; s++, name++)
    if (byte_lower((unsigned char)*s) != *name) return 0;
  return *s == 0;
}

int parsetype(const char *s, uint16_t *type)
{
  const char *p;
  uint16_t v = 0;
  size_t i;
  for (p = s; *p >= '0' && *p <= '9'; p++) v = (uint16_t)(v * 10 + (*p - '0'));
  if (!*p) {
    *type = v;
    return 1;
  }
  for (i = 0; i < sizeof names / sizeof names[0]; i++)
    if (same_name(s, names[i].name)) {
      *type = names[i].type;
      return 1;
    }
  return 0;
}
