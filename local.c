/* local.c: the names dnscache answers by itself (SPEC 2.4): "localhost",
   a dotted quad of four decimal labels 0-255 without leading zeros, and
   "1.0.0.127.in-addr.arpa"; and (SPEC 4.1) localhost's AAAA ::1 and the
   ip6.arpa name of ::1.  Answers carry TTL 655360 (0 with $HIDETTL);
   a type that does not match gives an empty NOERROR answer.  ANY gets
   what 1.05 gave (localhost: its A alone), so IPv4 answers stay byte for
   byte the original's. */
#include "local.h"
#include "dns.h"
#include "dns_domain.h"
#include "response.h"
#include "log.h"

#define LOCAL_TTL 655360

static const char localhost[] = "\011localhost";
static const char loopback_ptr[] = "\0011\0010\0010\003127\007in-addr\004arpa";
#define ZERO4 "\0010\0010\0010\0010"
/* 1.0.0. ... .0.ip6.arpa: ::1's 32 nibbles, the least significant first */
static const char loopback6_ptr[] =
  "\0011" ZERO4 ZERO4 ZERO4 ZERO4 ZERO4 ZERO4 ZERO4 "\0010\0010\0010" "\003ip6\004arpa";
static const char loopback6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

/* one label of a dotted quad: 1-3 digits, no leading zero, at most 255 */
static int octet(const char *label, unsigned int n, unsigned char *out)
{
  unsigned int v = 0;
  if (n < 1 || n > 3) return 0;
  if (n > 1 && label[0] == '0') return 0;
  for (unsigned int i = 0; i < n; i++) {
    if (label[i] < '0' || label[i] > '9') return 0;
    v = v * 10 + (unsigned int)(label[i] - '0');
  }
  if (v > 255) return 0;
  *out = (unsigned char)v;
  return 1;
}

int local_address(const char *name, unsigned char ip[4])
{
  unsigned char quad[4];
  const char *d = name;
  if (dns_domain_equal(name, localhost)) {
    ip[0] = 127; ip[1] = 0; ip[2] = 0; ip[3] = 1;
    return 1;
  }
  for (int i = 0; i < 4; i++) {
    unsigned int n = (unsigned char)*d;
    if (!octet(d + 1, n, &quad[i])) return 0;
    d += n + 1;
  }
  if (*d) return 0;
  for (int i = 0; i < 4; i++) ip[i] = quad[i];
  return 1;
}

int local_is(const char *name)
{
  unsigned char ip[4];
  return local_address(name, ip) || dns_domain_equal(name, loopback_ptr)
         || dns_domain_equal(name, loopback6_ptr);
}

/* name's PTR localhost when qtype asks for it */
static int ptr_localhost(const char *name, uint16_t qtype, uint32_t ttl)
{
  if (qtype == DNS_T_PTR || qtype == DNS_T_ANY) {
    if (!response_rstart(name, DNS_T_PTR, ttl)) return 0;
    if (!response_addname(localhost)) return 0;
    response_rfinish();
  }
  return 1;
}

int local_answer(const char *name, uint16_t qtype, int hidettl)
{
  unsigned char ip[4];
  uint32_t ttl = hidettl ? 0 : LOCAL_TTL;
  if (local_address(name, ip)) {
    if (qtype == DNS_T_A || qtype == DNS_T_ANY) {
      if (!response_rstart(name, DNS_T_A, ttl)) return 0;
      if (!response_addbytes((const char *)ip, 4)) return 0;
      response_rfinish();
    }
    if (qtype == DNS_T_AAAA && dns_domain_equal(name, localhost)) {
      if (!response_rstart(name, DNS_T_AAAA, ttl)) return 0;
      if (!response_addbytes(loopback6, 16)) return 0;
      response_rfinish();
    }
    return 1;
  }
  if (dns_domain_equal(name, loopback_ptr)) {
    if (!ptr_localhost(name, qtype, ttl)) return 0;
    log_stats();   /* 1.05's monitoring hook: this name only */
    return 1;
  }
  if (dns_domain_equal(name, loopback6_ptr)) return ptr_localhost(name, qtype, ttl);
  return 0;
}
