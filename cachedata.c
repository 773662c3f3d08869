/* cachedata.c: the cached form of an RRset (the layout is in
   cachedata.h).  Guarantees: keys are case-folded, so any spelling of a
   name finds the same entry; an encoded set never exceeds CACHEDATA_MAX
   (an oversized one is flagged, never truncated); decoding reads through
   dns_packet.c's bounds-checked readers and stops at the first entry that
   does not parse; TTLs are stored as cachedata_ttl says. */
#include <string.h>
#include "cachedata.h"
#include "cache.h"
#include "clock.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "response.h"
#include "uint.h"

uint32_t cachedata_ttl(uint32_t ttl)
{
  if (ttl > 2147483647u) return 0;
  if (ttl > CACHE_MAXTTL) return CACHE_MAXTTL;
  return ttl;
}

static unsigned int makekey(char key[2 + DNS_NAME_MAX], uint16_t type, const char *d)
{
  unsigned int n = dns_domain_length(d);
  uint16_pack_big(key, type);
  memcpy(key + 2, d, n);
  dns_domain_lower(key + 2);
  return n + 2;
}

const char *cachedata_get(uint16_t type, const char *d, unsigned int *len, uint32_t *ttl)
{
  char key[2 + DNS_NAME_MAX];
  unsigned int n = makekey(key, type, d);
  return cache_get(key, n, len, ttl, clock_sec());
}

const char *cachedata_getstale(uint16_t type, const char *d, unsigned int *len,
                               uint32_t *ttl, uint32_t stale)
{
  char key[2 + DNS_NAME_MAX];
  unsigned int n = makekey(key, type, d);
  return cache_getstale(key, n, len, ttl, clock_sec(), stale);
}

void cachedata_set(uint16_t type, const char *d, const char *data, unsigned int len,
                   uint32_t ttl)
{
  char key[2 + DNS_NAME_MAX];
  unsigned int n = makekey(key, type, d);
  cache_set(key, n, data, len, ttl, clock_sec());
}

static unsigned int markkey(char key[3 + DNS_NAME_MAX], uint16_t type, unsigned char mark,
                            const char *zone)
{
  unsigned int n = dns_domain_length(zone);
  uint16_pack_big(key, type);
  key[2] = (char)mark;
  memcpy(key + 3, zone, n);
  dns_domain_lower(key + 3);
  return n + 3;
}

const char *cachedata_getglue(const char *zone, unsigned int *len, uint32_t *ttl)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, DNS_T_A, 255, zone);
  return cache_get(key, n, len, ttl, clock_sec());
}

void cachedata_setglue(const char *zone, const char *ips, unsigned int len, uint32_t ttl)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, DNS_T_A, 255, zone);
  cache_set(key, n, ips, len, ttl, clock_sec());
}

const char *cachedata_getglue6(const char *zone, unsigned int *len, uint32_t *ttl)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, DNS_T_AAAA, 255, zone);
  return cache_get(key, n, len, ttl, clock_sec());
}

void cachedata_setglue6(const char *zone, const char *ips, unsigned int len, uint32_t ttl)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, DNS_T_AAAA, 255, zone);
  cache_set(key, n, ips, len, ttl, clock_sec());
}

int cachedata_getmark(uint16_t type, unsigned char mark, const char *d)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, type, mark, d), len;
  uint32_t ttl;
  const char *data = cache_get(key, n, &len, &ttl, clock_sec());
  return data && len == 1 && data[0] == 1;
}

void cachedata_setmark(uint16_t type, unsigned char mark, const char *d, char value,
                       uint32_t ttl)
{
  char key[3 + DNS_NAME_MAX];
  unsigned int n = markkey(key, type, mark, d);
  cache_set(key, n, &value, 1, ttl, clock_sec());
}

/* ------------------------------------------------------------ encoding */

void cachedata_start(struct cachedata *c)
{
  c->len = 0;
  c->ok = 1;
}

static void add(struct cachedata *c, const char *s, unsigned int n)
{
  if (!c->ok) return;
  if (n > CACHEDATA_MAX - c->len) { c->ok = 0; return; }
  memcpy(c->data + c->len, s, n);
  c->len += n;
}

void cachedata_addname(struct cachedata *c, const char *name)
{
  add(c, name, dns_domain_length(name));
}

void cachedata_addmx(struct cachedata *c, const char pref[2], const char *name)
{
  add(c, pref, 2);
  cachedata_addname(c, name);
}

void cachedata_adda(struct cachedata *c, const char ip[4])
{
  add(c, ip, 4);
}

void cachedata_addsoa(struct cachedata *c, const char *mname, const char *rname,
                      const char numbers[20])
{
  cachedata_addname(c, mname);
  cachedata_addname(c, rname);
  add(c, numbers, 20);
}

void cachedata_addrdata(struct cachedata *c, const char *rdata, unsigned int n)
{
  char b[2];
  uint16_pack_big(b, (uint16_t)n);
  add(c, b, 2);
  add(c, rdata, n);
}

/* ------------------------------------------------------------ decoding */

unsigned int cachedata_name(const char *data, unsigned int len, unsigned int pos,
                            char name[DNS_NAME_MAX])
{
  return dns_packet_getname(data, len, pos, name);
}

int cachedata_answer(const char *d, uint16_t type, const char *data, unsigned int len,
                     uint32_t ttl)
{
  char name[DNS_NAME_MAX], name2[DNS_NAME_MAX];
  unsigned int pos = 0, next;
  while (pos < len) {
    if (!response_rstart(d, type, ttl)) return 0;
    switch (type) {
      case DNS_T_A:
        if (len - pos < 4 || !response_addbytes(data + pos, 4)) return 0;
        pos += 4;
        break;
      case DNS_T_MX:
        if (len - pos < 2 || !response_addbytes(data + pos, 2)) return 0;
        pos += 2;
        __attribute__((fallthrough));
      case DNS_T_NS: case DNS_T_PTR: case DNS_T_CNAME:
        pos = dns_packet_getname(data, len, pos, name);
        if (!pos || !response_addname(name)) return 0;
        break;
      case DNS_T_SOA:
        pos = dns_packet_getname(data, len, pos, name);
        if (!pos) return 0;
        pos = dns_packet_getname(data, len, pos, name2);
        if (!pos || len - pos < 20) return 0;
        if (!response_addname(name) || !response_addname(name2)
            || !response_addbytes(data + pos, 20))
          return 0;
        pos += 20;
        break;
      default:
        if (len - pos < 2) return 0;
        next = uint16_unpack_big(data + pos);
        pos += 2;
        if (len - pos < next || !response_addbytes(data + pos, next)) return 0;
        pos += next;
    }
    response_rfinish();
  }
  return 1;
}
