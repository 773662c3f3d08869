/* unit_opt.c: EDNS0's OPT record (dns_opt.c): what dns_opt_find makes of
   well-formed and malformed OPTs in canned packets, the UDP limit, the
   extended RCODE, and the record dns_opt_write produces. */
#include "tests/unit.h"
#include "dns.h"
#include "dns_opt.h"
#include "dns_packet.h"
#include "uint.h"

/* A query for www.test A, ID 0x1234, RD, counts as given; returns the
   length (the question ends there). */
static unsigned int mkquery(char *p, unsigned int an, unsigned int ns, unsigned int ar)
{
  static const char q[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                          "\x03www\x04test\x00\x00\x01\x00\x01";
  memcpy(p, q, sizeof q - 1);
  uint16_pack_big(p + 6, (uint16_t)an);
  uint16_pack_big(p + 8, (uint16_t)ns);
  uint16_pack_big(p + 10, (uint16_t)ar);
  return sizeof q - 1;
}

#define QEND 26u   /* end of mkquery's question */

/* Appends an OPT: owner root, the given size, TTL and rdlength; the
   options (rdlength bytes of them) are 0xaa. */
static unsigned int addfixed(char *p, unsigned int len, uint16_t size, uint32_t ttl, uint16_t rdlen)
{
  uint16_pack_big(p + len, DNS_T_OPT);
  uint16_pack_big(p + len + 2, size);
  uint32_pack_big(p + len + 4, ttl);
  uint16_pack_big(p + len + 8, rdlen);
  memset(p + len + 10, 0xaa, rdlen);
  return len + 10 + rdlen;
}

static unsigned int addopt(char *p, unsigned int len, uint16_t size, uint32_t ttl, uint16_t rdlen)
{
  p[len] = 0;
  return addfixed(p, len + 1, size, ttl, rdlen);
}

/* Appends an A record for a.test (not compressed). */
static unsigned int adda(char *p, unsigned int len)
{
  static const char a[] = "\x01" "a\x04test\x00\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01";
  memcpy(p + len, a, sizeof a - 1);
  return len + sizeof a - 1;
}

static int find(const char *p, unsigned int len, struct dns_opt *o)
{
  struct dns_header h;
  char name[DNS_NAME_MAX];
  unsigned int pos = dns_packet_header(p, len, &h);
  if (!pos) return -1;
  pos = dns_packet_question(p, len, pos, name, NULL, NULL);
  if (!pos) return -1;
  return dns_opt_find(p, len, pos, &h, o);
}

static void t_none(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len = mkquery(p, 0, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_NONE);
  CHECK_EQ_INT(find(p, adda(p, len), &o), DNS_OPT_NONE);  /* trailing bytes: ignored */
  len = mkquery(p, 1, 1, 1);
  len = adda(p, adda(p, adda(p, len)));
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_NONE);           /* records, none an OPT */
}

static void t_one(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len = addopt(p, mkquery(p, 0, 0, 1), 4096, 0, 0);
  memset(&o, 0xff, sizeof o);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
  CHECK_EQ_INT(o.udpsize, 4096);
  CHECK_EQ_INT(o.version, 0);
  CHECK_EQ_INT(o.extrcode, 0);
  CHECK_EQ_INT(o.flags, 0);
  CHECK_EQ_INT(o.rdlength, 0);
  CHECK_EQ_INT(o.rrpos, QEND);
  CHECK_EQ_INT(find(p, len + 3, &o), DNS_OPT_ONE);        /* junk after it: ignored */
  /* DO and extended-RCODE bits are read as sent */
  len = addopt(p, mkquery(p, 0, 0, 1), 1232, 0x05008000u, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
  CHECK_EQ_INT(o.flags, DNS_OPT_F_DO);
  CHECK_EQ_INT(o.extrcode, 5);
}

static void t_options(void)
{
  char p[512];
  struct dns_opt o;
  /* options are read past, never interpreted: even ones whose own
     lengths are nonsense (0xaaaa) are no concern of RFC 6891's parser */
  unsigned int len = addopt(p, mkquery(p, 0, 0, 1), 1232, 0, 8);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
  CHECK_EQ_INT(o.rdlength, 8);
  len = addopt(p, mkquery(p, 0, 0, 2), 1232, 0, 3);
  len = adda(p, len);                                      /* and a record after it */
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
}

static void t_versions(void)
{
  char p[512];
  struct dns_opt o;
  for (unsigned int v = 0; v <= 255; v++) {
    unsigned int len = addopt(p, mkquery(p, 0, 0, 1), 1232, v << 16, 0);
    CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
    CHECK_EQ_INT(o.version, v);
  }
}

static void t_sizes(void)
{
  static const unsigned int in[] = { 0, 1, 100, 511, 512, 513, 1000, 1231, 1232, 1233, 4096, 65535 };
  static const unsigned int out[] = { 512, 512, 512, 512, 512, 513, 1000, 1231, 1232, 1232, 1232, 1232 };
  char p[512];
  struct dns_opt o;
  for (unsigned int i = 0; i < sizeof in / sizeof in[0]; i++) {
    unsigned int len = addopt(p, mkquery(p, 0, 0, 1), (uint16_t)in[i], 0, 0);
    CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
    CHECK_EQ_INT(o.udpsize, in[i]);
    CHECK_EQ_INT(dns_opt_udplimit(&o), out[i]);
  }
}

static void t_two(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len = mkquery(p, 0, 0, 2);
  len = addopt(p, addopt(p, len, 1232, 0, 0), 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);
  len = mkquery(p, 0, 0, 3);                               /* apart, and a version-1 one */
  len = addopt(p, adda(p, addopt(p, len, 1232, 0x10000, 0)), 512, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);
}

static void t_owner(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len = mkquery(p, 0, 0, 1);
  p[len++] = 1;                                            /* owner "a." */
  p[len++] = 'a';
  len = addopt(p, len, 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);
  len = mkquery(p, 0, 0, 1);                               /* owner: a pointer to www.test */
  p[len++] = (char)0xc0;
  p[len++] = 12;
  len = addfixed(p, len, 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);
  len = mkquery(p, 0, 0, 1);                               /* a pointer to the root (the */
  p[len++] = (char)0xc0;                                   /* question's final zero) is root */
  p[len++] = 21;
  len = addfixed(p, len, 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
  CHECK_EQ_INT(o.rrpos, QEND);
}

static void t_section(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len = addopt(p, mkquery(p, 1, 0, 0), 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);             /* in the answer section */
  len = addopt(p, mkquery(p, 0, 1, 0), 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_BAD);             /* in the authority section */
  len = addopt(p, adda(p, mkquery(p, 1, 0, 1)), 1232, 0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);             /* an answer, then the OPT */
}

static void t_unreadable(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int full = addopt(p, mkquery(p, 0, 0, 1), 1232, 0, 4);
  /* the OPT cut anywhere */
  for (unsigned int n = QEND; n < full; n++)
    CHECK_EQ_INT(find(p, n, &o), DNS_OPT_UNREADABLE);
  /* RDLENGTH past the end */
  uint16_pack_big(p + QEND + 9, 5);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  uint16_pack_big(p + QEND + 9, 0xffff);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  /* ARCOUNT says more records than there are */
  full = addopt(p, mkquery(p, 0, 0, 2), 1232, 0, 0);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  full = addopt(p, mkquery(p, 0xffff, 0xffff, 0xffff), 1232, 0, 0);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  /* unreadable before the OPT: the OPT is never judged */
  full = mkquery(p, 1, 0, 1);
  p[full++] = 0x40;                                        /* label type 0x40 */
  full = addfixed(p, full, 1232, 0, 0);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  /* a bad OPT that cannot be read whole is unreadable, not bad */
  full = mkquery(p, 0, 0, 2);
  full = addopt(p, addopt(p, full, 1232, 0, 0), 1232, 0, 0);
  CHECK_EQ_INT(find(p, full - 1, &o), DNS_OPT_UNREADABLE);
  /* owner a pointer past the end, or to itself */
  full = mkquery(p, 0, 0, 1);
  p[full++] = (char)0xc1;
  p[full++] = (char)0xff;
  full = addfixed(p, full, 1232, 0, 0);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
  full = mkquery(p, 0, 0, 1);
  p[full++] = (char)0xc0;
  p[full++] = (char)QEND;
  full = addfixed(p, full, 1232, 0, 0);
  CHECK_EQ_INT(find(p, full, &o), DNS_OPT_UNREADABLE);
}

static void t_rcode(void)
{
  struct dns_header h = { 0, DNS_F_QR | 3, 1, 0, 0, 1 };
  struct dns_opt o = { 1232, 0, 0, 0, 0, 0 };
  CHECK_EQ_INT(dns_opt_rcode(&h, NULL), 3);
  CHECK_EQ_INT(dns_opt_rcode(&h, &o), 3);
  h.flags = DNS_F_QR;
  o.extrcode = 1;
  CHECK_EQ_INT(dns_opt_rcode(&h, &o), DNS_R_BADVERS);
  h.flags = DNS_F_QR | 0xf;
  o.extrcode = 0xff;
  CHECK_EQ_INT(dns_opt_rcode(&h, &o), 0xfff);
}

static void t_write(void)
{
  char p[512];
  struct dns_opt o;
  unsigned int len;
  CHECK_EQ_INT(dns_opt_write(p, 10, 1232, 0, 0), 0);
  CHECK_EQ_INT(dns_opt_write(p, 11, 1232, 0, 0), DNS_OPT_RRLEN);
  CHECK_MEM(p, "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);
  CHECK_EQ_INT(dns_opt_write(p, 11, 1232, DNS_R_BADVERS, 0), DNS_OPT_RRLEN);
  CHECK_MEM(p, "\x00\x00\x29\x04\xd0\x01\x00\x00\x00\x00\x00", 11);
  CHECK_EQ_INT(dns_opt_write(p, 11, 512, DNS_R_FORMERR, 0), DNS_OPT_RRLEN);
  CHECK_MEM(p, "\x00\x00\x29\x02\x00\x00\x00\x00\x00\x00\x00", 11);
  /* what is written reads back */
  len = mkquery(p, 0, 0, 1);
  len += dns_opt_write(p + len, sizeof p - len, 1232, 0xff0, 0);
  CHECK_EQ_INT(find(p, len, &o), DNS_OPT_ONE);
  CHECK_EQ_INT(o.udpsize, 1232);
  CHECK_EQ_INT(o.extrcode, 0xff);
  CHECK_EQ_INT(o.version, 0);
  CHECK_EQ_INT(o.flags, 0);
}

int main(void)
{
  RUN(t_none);
  RUN(t_one);
  RUN(t_options);
  RUN(t_versions);
  RUN(t_sizes);
  RUN(t_two);
  RUN(t_owner);
  RUN(t_section);
  RUN(t_unreadable);
  RUN(t_rcode);
  RUN(t_write);
  return unit_done();
}
