/* dns_packet.c: bounds-checked readers over a received DNS packet.
   Every reader takes (buf, len, pos) and returns the position after what it
   read, or 0 with errno = EPROTO if the packet is malformed; no byte at or
   beyond len is ever read.  Names: labels of at most 63 bytes, at most 255
   bytes in all, label types 0x40 and 0x80 rejected.  A compression pointer
   may point anywhere inside the packet, backwards or forwards, as 1.05's
   reader allows; what ends every walk is 1.05's budget of 1000 steps (one
   per pointer followed, one per byte of label read, the length byte and
   the final zero included), measured with Debian's dnsq: a name costs at
   most 1000 steps, so a pointer loop fails fast and a packet of many
   records cannot make reading it quadratic. */
#include <errno.h>
#include <string.h>
#include "uint.h"
#include "dns_packet.h"

static unsigned int proto(void)
{
  errno = EPROTO;
  return 0;
}

unsigned int dns_packet_copy(const char *buf, unsigned int len, unsigned int pos,
                             char *out, unsigned int outlen)
{
  if (pos > len || outlen > len - pos) return proto();
  memcpy(out, buf + pos, outlen);
  return pos + outlen;
}

unsigned int dns_packet_header(const char *buf, unsigned int len, struct dns_header *h)
{
  if (len < 12) return proto();
  h->id = uint16_unpack_big(buf);
  h->flags = uint16_unpack_big(buf + 2);
  h->qdcount = uint16_unpack_big(buf + 4);
  h->ancount = uint16_unpack_big(buf + 6);
  h->nscount = uint16_unpack_big(buf + 8);
  h->arcount = uint16_unpack_big(buf + 10);
  return 12;
}

#define NAME_STEPS 1000

/* The one name walker.  Reads the name at pos; if out is not NULL, writes
   it there uncompressed.  Returns the position after the name as it
   appears at pos (after the first pointer, if any). */
static unsigned int walkname(const char *buf, unsigned int len, unsigned int pos,
                             char *out)
{
  const unsigned char *u = (const unsigned char *)buf;
  unsigned int namelen = 0;   /* bytes of the uncompressed name so far */
  unsigned int steps = 0;     /* pointers followed plus label bytes read */
  unsigned int after = 0;     /* return value, fixed at the first pointer */

  for (;;) {
    unsigned int c;
    if (pos >= len) return proto();
    c = u[pos];
    if (c >= 192) {
      unsigned int target;
      if (pos + 1 >= len) return proto();       /* second byte missing */
      target = ((c & 63) << 8) | u[pos + 1];
      if (++steps >= NAME_STEPS) return proto();  /* a loop, or as good as one */
      if (!after) after = pos + 2;
      pos = target;                             /* checked against len above */
      continue;
    }
    if (c >= 64) return proto();                /* 0x40 and 0x80 types */
    if (namelen + c + 1 > DNS_NAME_MAX) return proto();
    if (c > len - pos - 1) return proto();      /* label runs past the end */
    steps += c + 1;
    if (steps >= NAME_STEPS) return proto();
    if (out) memcpy(out + namelen, buf + pos, c + 1);
    namelen += c + 1;
    pos += c + 1;
    if (!c) break;
  }
  return after ? after : pos;
}

unsigned int dns_packet_skipname(const char *buf, unsigned int len, unsigned int pos)
{
  return walkname(buf, len, pos, NULL);
}

unsigned int dns_packet_getname(const char *buf, unsigned int len, unsigned int pos,
                                char out[DNS_NAME_MAX])
{
  return walkname(buf, len, pos, out);
}

unsigned int dns_packet_question(const char *buf, unsigned int len, unsigned int pos,
                                 char name[DNS_NAME_MAX], uint16_t *type, uint16_t *class)
{
  char tc[4];
  pos = dns_packet_getname(buf, len, pos, name);
  if (!pos) return 0;
  pos = dns_packet_copy(buf, len, pos, tc, 4);
  if (!pos) return 0;
  if (type) *type = uint16_unpack_big(tc);
  if (class) *class = uint16_unpack_big(tc + 2);
  return pos;
}

unsigned int dns_packet_rr(const char *buf, unsigned int len, unsigned int pos,
                           char owner[DNS_NAME_MAX], struct dns_rr *rr)
{
  char fixed[10];
  struct dns_rr tmp;
  pos = walkname(buf, len, pos, owner);
  if (!pos) return 0;
  pos = dns_packet_copy(buf, len, pos, fixed, 10);
  if (!pos) return 0;
  if (!rr) rr = &tmp;
  rr->type = uint16_unpack_big(fixed);
  rr->class = uint16_unpack_big(fixed + 2);
  rr->ttl = uint32_unpack_big(fixed + 4);
  rr->rdlength = uint16_unpack_big(fixed + 8);
  rr->rdpos = pos;
  if (rr->rdlength > len - pos) return proto();
  return pos + rr->rdlength;
}

unsigned int dns_packet_skiprrs(const char *buf, unsigned int len, unsigned int pos,
                                unsigned int count)
{
  if (pos > len) return proto();
  while (count--) {
    pos = dns_packet_rr(buf, len, pos, NULL, NULL);
    if (!pos) return 0;
  }
  return pos;
}

unsigned int dns_packet_query(char *out, unsigned int outsize, const char *name,
                              uint16_t qtype, uint16_t id, int rd)
{
  unsigned int nl = 0, total;
  const unsigned char *u = (const unsigned char *)name;
  while (u[nl]) nl += (unsigned int)u[nl] + 1;
  nl++;
  total = 12 + nl + 4;
  if (total > outsize) return 0;
  memset(out, 0, 12);
  uint16_pack_big(out, id);
  uint16_pack_big(out + 2, rd ? DNS_F_RD : 0);
  uint16_pack_big(out + 4, 1);
  memcpy(out + 12, name, nl);
  uint16_pack_big(out + 12 + nl, qtype);
  uint16_pack_big(out + 12 + nl + 2, DNS_C_IN);
  return total;
}
