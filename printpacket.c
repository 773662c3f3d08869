/* printpacket.c: the text dnsq and dnsqr print for a reply, byte for byte
   as the original tools: names lower-cased with odd bytes as \ooo, record
   data of unknown types escaped, flags as words.  Every read goes through
   the bounds-checked dns_packet readers and a packet with anything left
   over, or a record whose data does not match its type, is a protocol
   error. */
#include <errno.h>
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "ip4.h"
#include "printpacket.h"
#include "uint.h"

static int catname(struct dns_buf *out, const char *d)
{
  char text[DNS_DOMAIN_TODOT_MAX];
  return dns_buf_cat(out, text, dns_domain_todot(text, d));
}

/* A name in RDATA at pos; the position after it. */
static unsigned int rdname(struct dns_buf *out, const char *buf, unsigned int len,
                           unsigned int pos)
{
  char d[DNS_NAME_MAX];
  pos = dns_packet_getname(buf, len, pos, d);
  if (!pos) return 0;
  if (dns_buf_cats(out, " ") == -1 || catname(out, d) == -1) return 0;
  return pos;
}

static int catnum(struct dns_buf *out, const char *sep, unsigned long u)
{
  if (dns_buf_cats(out, sep) == -1) return -1;
  return dns_buf_catulong(out, u);
}

/* Unknown types: bytes 33..126 but '\' as they are, the rest \ooo. */
static int catescaped(struct dns_buf *out, const char *s, unsigned int n)
{
  unsigned int i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c > 32 && c < 127 && c != '\\') {
      if (dns_buf_cat(out, (const char *)&c, 1) == -1) return -1;
    } else {
      char oct[4];
      oct[0] = '\\';
      oct[1] = (char)('0' + (c >> 6));
      oct[2] = (char)('0' + ((c >> 3) & 7));
      oct[3] = (char)('0' + (c & 7));
      if (dns_buf_cat(out, oct, 4) == -1) return -1;
    }
  }
  return 0;
}

static unsigned int proto(void)
{
  errno = EPROTO;
  return 0;
}

unsigned int printrecord_cat(struct dns_buf *out, const char *buf, unsigned int len,
                             unsigned int pos)
{
  char owner[DNS_NAME_MAX];
  struct dns_rr rr;
  unsigned int next, p, i;
  next = dns_packet_rr(buf, len, pos, owner, &rr);
  if (!next) return 0;
  if (catname(out, owner) == -1 || catnum(out, " ", rr.ttl) == -1) return 0;
  if (rr.class != DNS_C_IN) {
    if (dns_buf_cats(out, " weird class") == -1) return 0;
    return next;
  }
  p = rr.rdpos;
  switch (rr.type) {
    case DNS_T_NS: case DNS_T_PTR: case DNS_T_CNAME:
      if (dns_buf_cats(out, rr.type == DNS_T_NS ? " NS" :
                       rr.type == DNS_T_PTR ? " PTR" : " CNAME") == -1) return 0;
      p = rdname(out, buf, len, p);
      if (!p) return 0;
      break;
    case DNS_T_MX: {
      char pref[2];
      p = dns_packet_copy(buf, len, p, pref, 2);
      if (!p) return 0;
      if (catnum(out, " MX ", uint16_unpack_big(pref)) == -1) return 0;
      p = rdname(out, buf, len, p);
      if (!p) return 0;
      break;
    }
    case DNS_T_SOA: {
      char nums[20];
      if (dns_buf_cats(out, " SOA") == -1) return 0;
      p = rdname(out, buf, len, p);
      if (!p) return 0;
      p = rdname(out, buf, len, p);
      if (!p) return 0;
      p = dns_packet_copy(buf, len, p, nums, 20);
      if (!p) return 0;
      for (i = 0; i < 5; i++)
        if (catnum(out, " ", uint32_unpack_big(nums + 4 * i)) == -1) return 0;
      break;
    }
    case DNS_T_A: {
      char text[IP4_FMT];
      if (rr.rdlength != 4) return proto();
      if (dns_buf_cats(out, " A ") == -1) return 0;
      if (dns_buf_cat(out, text, ip4_fmt(text, (const unsigned char *)buf + p)) == -1)
        return 0;
      p += 4;
      break;
    }
    default:
      if (catnum(out, " ", rr.type) == -1 || dns_buf_cats(out, " ") == -1) return 0;
      if (catescaped(out, buf + p, rr.rdlength) == -1) return 0;
      p += rr.rdlength;
      break;
  }
  if (p != next) return proto();
  return next;
}

static int catflags(struct dns_buf *out, uint16_t f)
{
  static const char *const rcodes[16] = {
    "noerror", 0, 0, "nxdomain", "notimp", "refused"
  };
  const char *rc = rcodes[f & DNS_F_RCODE];
  if ((f & DNS_F_QR) && dns_buf_cats(out, ", response") == -1) return -1;
  if ((f & DNS_F_OPCODE) && dns_buf_cats(out, ", weird op") == -1) return -1;
  if ((f & DNS_F_AA) && dns_buf_cats(out, ", authoritative") == -1) return -1;
  if ((f & DNS_F_TC) && dns_buf_cats(out, ", truncated") == -1) return -1;
  if ((f & DNS_F_RD) && dns_buf_cats(out, ", weird rd") == -1) return -1;
  if ((f & DNS_F_RA) && dns_buf_cats(out, ", weird ra") == -1) return -1;
  if (dns_buf_cats(out, ", ") == -1) return -1;
  if (dns_buf_cats(out, rc ? rc : "weird rcode") == -1) return -1;
  if ((f & DNS_F_Z) && dns_buf_cats(out, ", weird z") == -1) return -1;
  return 0;
}

int printpacket_cat(struct dns_buf *out, const char *buf, unsigned int len)
{
  static const char *const prefixes[3] = { "answer: ", "authority: ", "additional: " };
  struct dns_header h;
  unsigned int pos, i, sect, counts[3];
  pos = dns_packet_header(buf, len, &h);
  if (!pos) return -1;
  if (dns_buf_catulong(out, len) == -1
      || catnum(out, " bytes, ", h.qdcount) == -1 || catnum(out, "+", h.ancount) == -1
      || catnum(out, "+", h.nscount) == -1 || catnum(out, "+", h.arcount) == -1
      || dns_buf_cats(out, " records") == -1 || catflags(out, h.flags) == -1
      || dns_buf_cats(out, "\n") == -1)
    return -1;
  for (i = 0; i < h.qdcount; i++) {
    char d[DNS_NAME_MAX];
    uint16_t type, class;
    pos = dns_packet_question(buf, len, pos, d, &type, &class);
    if (!pos) return -1;
    if (dns_buf_cats(out, "query: ") == -1) return -1;
    if (class != DNS_C_IN) {
      if (dns_buf_cats(out, "weird class") == -1) return -1;
    } else if (dns_buf_catulong(out, type) == -1 || dns_buf_cats(out, " ") == -1
               || catname(out, d) == -1) {
      return -1;
    }
    if (dns_buf_cats(out, "\n") == -1) return -1;
  }
  counts[0] = h.ancount;
  counts[1] = h.nscount;
  counts[2] = h.arcount;
  for (sect = 0; sect < 3; sect++)
    for (i = 0; i < counts[sect]; i++) {
      if (dns_buf_cats(out, prefixes[sect]) == -1) return -1;
      pos = printrecord_cat(out, buf, len, pos);
      if (!pos) return -1;
      if (dns_buf_cats(out, "\n") == -1) return -1;
    }
  if (pos != len) {
    errno = EPROTO;
    return -1;
  }
  return 0;
}
