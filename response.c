/* response.c: the one client response being built.  Guarantees: the
   packet never grows past 65535 bytes (every writer returns 0 instead);
   names are compressed against up to 100 earlier names (suffixes of at
   most 128 bytes), and a name is only remembered, so only pointed to,
   when it starts below offset 16384, the largest a pointer can encode
   (CVE-2009-0858).  response_tc() cuts a packet back to its question,
   sets TC and zeroes ANCOUNT (SPEC decision 4).  response_rdata reads a
   server's record only through reply.c and dns_packet.c's bounds-checked
   readers. */
#include <string.h>
#include "response.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "reply.h"
#include "uint.h"
#include "dns_opt.h"

#define RESPONSE_MAX 65535
#define NAMES_MAX 100
#define NAME_KEEP_MAX 128
#define POINTER_LIMIT 16384

static char buf[RESPONSE_MAX];
static unsigned int len;
static unsigned int tctarget;     /* end of the question */
static unsigned int rdpos;        /* start of the current record's RDATA */

static char names[NAMES_MAX][NAME_KEEP_MAX];
static unsigned int namepos[NAMES_MAX];
static unsigned int namelen[NAMES_MAX];
static unsigned int namecount;

/* a and b, n bytes each, equal but for ASCII case (as dns_domain_equal) */
static int caseequal(const char *a, const char *b, unsigned int n)
{
  for (unsigned int i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x == y) continue;
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
    if (x != y) return 0;
  }
  return 1;
}

static int add(const char *s, unsigned int n)
{
  if (n > RESPONSE_MAX - len) return 0;
  memcpy(buf + len, s, n);
  len += n;
  return 1;
}

int response_addbytes(const char *s, unsigned int n)
{
  return add(s, n);
}

int response_addname(const char *d)
{
  char ptr[2];
  unsigned int steps = 0;
  while (*d && steps++ < DNS_NAME_MAX) {
    unsigned int dlen = dns_domain_length(d);
    for (unsigned int i = 0; i < namecount; i++) {
      if (namelen[i] == dlen && caseequal(d, names[i], dlen)) {
        uint16_pack_big(ptr, (uint16_t)(0xc000 | namepos[i]));
        return add(ptr, 2);
      }
    }
    if (dlen <= NAME_KEEP_MAX && namecount < NAMES_MAX && len < POINTER_LIMIT) {
      memcpy(names[namecount], d, dlen);
      namelen[namecount] = dlen;
      namepos[namecount++] = len;
    }
    unsigned int labellen = (unsigned char)*d;
    if (!add(d, labellen + 1)) return 0;
    d += labellen + 1;
  }
  return add("", 1);
}

int response_query(const char *name, uint16_t qtype, uint16_t qclass)
{
  static const char header[12] = { 0, 0, (char)0x81, (char)0x80, 0, 1, 0, 0, 0, 0, 0, 0 };
  char tc[4];
  len = 0;
  namecount = 0;
  if (!add(header, 12)) return 0;
  if (!response_addname(name)) return 0;
  uint16_pack_big(tc, qtype);
  uint16_pack_big(tc + 2, qclass);
  if (!add(tc, 4)) return 0;
  tctarget = len;
  return 1;
}

void response_id(uint16_t id)
{
  uint16_pack_big(buf, id);
}

void response_nxdomain(void)
{
  buf[2] |= 0x04;   /* AA */
  buf[3] |= 0x03;   /* NXDOMAIN */
}

void response_servfail(void)
{
  buf[3] |= 0x02;
}

int response_rstart(const char *owner, uint16_t type, uint32_t ttl)
{
  char fixed[10];
  if (!response_addname(owner)) return 0;
  uint16_pack_big(fixed, type);
  uint16_pack_big(fixed + 2, DNS_C_IN);
  uint32_pack_big(fixed + 4, ttl);
  uint16_pack_big(fixed + 8, 0);
  if (!add(fixed, 10)) return 0;
  rdpos = len;
  return 1;
}

void response_rfinish(void)
{
  if (rdpos < 2 || rdpos > len) return;
  uint16_pack_big(buf + rdpos - 2, (uint16_t)(len - rdpos));
  uint16_pack_big(buf + 6, (uint16_t)(uint16_unpack_big(buf + 6) + 1));
}

int response_rdata(const char *pkt, unsigned int pktlen, const struct dns_rr *rr)
{
  char name[DNS_NAME_MAX], name2[DNS_NAME_MAX], numbers[20];
  unsigned int end = rr->rdpos + rr->rdlength, pos;
  switch (rr->type) {
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
      pos = dns_packet_getname(pkt, pktlen, rr->rdpos, name);
      if (!pos || pos > end) return -1;
      return response_addname(name);
    case DNS_T_MX:
      if (rr->rdlength < 3) return -1;
      pos = dns_packet_getname(pkt, pktlen, rr->rdpos + 2, name);
      if (!pos || pos > end) return -1;
      return response_addbytes(pkt + rr->rdpos, 2) && response_addname(name);
    case DNS_T_SOA:
      if (!reply_soa(pkt, pktlen, rr, name, name2, numbers)) return -1;
      return response_addname(name) && response_addname(name2)
             && response_addbytes(numbers, 20);
    case DNS_T_DNAME:   /* the target never compressed (RFC 6672) */
      pos = dns_packet_getname(pkt, pktlen, rr->rdpos, name);
      if (!pos || pos != end) return -1;
      return response_addbytes(name, dns_domain_length(name));
    default:
      return response_addbytes(pkt + rr->rdpos, rr->rdlength);
  }
}

void response_tc(void)
{
  buf[2] |= 0x02;
  uint16_pack_big(buf + 6, 0);
  len = tctarget;
}

void response_rcode(unsigned int rcode)
{
  buf[3] = (char)((buf[3] & 0xf0) | (rcode & 15));
}

int response_opt(unsigned int limit, unsigned int rcode)
{
  if (limit && len + DNS_OPT_RRLEN > limit) response_tc();
  if (DNS_OPT_RRLEN > RESPONSE_MAX - len) return 0;
  len += dns_opt_write(buf + len, RESPONSE_MAX - len, DNS_OPT_UDPSIZE, rcode, 0);
  /* the one additional record: responses never carry others */
  uint16_pack_big(buf + 10, (uint16_t)(uint16_unpack_big(buf + 10) + 1));
  return 1;
}

const char *response_data(void)
{
  return buf;
}

unsigned int response_len(void)
{
  return len;
}
