/* fuzz_packet.c: libFuzzer target for every reader of dns_packet.c and
   dns_domain.c, and for the two writers that take their output
   (response.c's name compression, printpacket.c's text).  The input is a
   received packet, copied into a buffer of exactly its size so that any
   read past the end is caught by AddressSanitizer.  Besides "no crash",
   it checks what the readers promise:
     - a reader returns 0 or a position <= len; getname and skipname agree;
     - every name read is a well-formed wire name of at most 255 bytes;
     - question/rr positions add up (rdpos + rdlength = end of record);
     - todot fits DNS_DOMAIN_TODOT_MAX and fromdot(todot(d)) == lower(d);
     - suffix/suffixpos/parent/labels agree with each other;
     - names written with response_addname read back equal, and every
       compression pointer in the response targets an offset < 16384.
   Build: make fuzz (clang -fsanitize=fuzzer,address,undefined). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dns.h"
#include "dns_domain.h"
#include "tests/wire.h"
#include "dns_packet.h"
#include "dns_resolve.h"
#include "printpacket.h"
#include "response.h"
#include "uint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXNAMES 64

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

/* A wire name as dns.h defines it: labels <= 63, <= 255 bytes in all. */
static unsigned int wellformed(const char *d)
{
  const unsigned char *u = (const unsigned char *)d;
  unsigned int pos = 0;
  for (;;) {
    if (pos >= DNS_NAME_MAX) return 0;
    if (u[pos] > DNS_LABEL_MAX) return 0;
    if (!u[pos]) return pos + 1;
    pos += u[pos] + 1u;
  }
}

static void check_name_ops(const char *d, const char *other)
{
  char text[DNS_DOMAIN_TODOT_MAX + 1], back[DNS_NAME_MAX], low[DNS_NAME_MAX];
  unsigned int len = wellformed(d), labels = 0;
  size_t tl;
  const char *p;

  if (!len) bad("name not well-formed");
  if (dns_domain_length(d) != len) bad("dns_domain_length");
  for (p = d; *p; p = dns_domain_parent(p)) labels++;
  if (wire_labels(d) != labels) bad("label count");
  if (dns_domain_parent(p) != p) bad("parent of the root");

  tl = dns_domain_todot(NULL, d);
  if (tl > DNS_DOMAIN_TODOT_MAX) bad("todot too long");
  if (dns_domain_todot(text, d) != tl) bad("todot count");
  memcpy(low, d, len);
  dns_domain_lower(low);
  if (!dns_domain_equal(low, d)) bad("lower/equal");
  if (!dns_domain_fromdot(back, text, tl)) bad("fromdot(todot)");
  /* an empty label cannot come back (fromdot skips it); our names never
     have one except the final 0 */
  if (dns_domain_length(back) != len || memcmp(back, low, len)) bad("todot round trip");

  dns_domain_copy(back, d);
  if (memcmp(back, d, len)) bad("copy");

  /* every parent is a suffix at the right offset */
  for (p = d; *p; p = dns_domain_parent(p)) {
    if (!dns_domain_suffix(d, p)) bad("suffix of parent");
    if (p != d && dns_domain_suffixpos(d, p) != (unsigned int)(p - d)) bad("suffixpos");
  }
  if (!dns_domain_suffix(d, "")) bad("root is a suffix");
  if (dns_domain_suffix(d, other)) {
    unsigned int sp = dns_domain_suffixpos(d, other);
    if (sp && !dns_domain_equal(d + sp, other)) bad("suffixpos of other");
    if (!sp && !dns_domain_equal(d, other)) bad("suffix without position");
  } else if (dns_domain_suffixpos(d, other)) {
    bad("suffixpos without suffix");
  }
}

/* The first pointer of the name at pos in a response we wrote. */
static void check_pointer(const char *buf, unsigned int len, unsigned int pos)
{
  const unsigned char *u = (const unsigned char *)buf;
  while (pos < len) {
    if (u[pos] >= 192) {
      if (pos + 1 >= len) bad("pointer cut");
      if ((((u[pos] & 63u) << 8) | u[pos + 1]) >= 16384) bad("pointer >= 16384");
      return;
    }
    if (!u[pos]) return;
    pos += u[pos] + 1u;
  }
}

/* Writes names into a response and reads them back. */
static void check_response(char names[][DNS_NAME_MAX], unsigned int n)
{
  const char *r;
  unsigned int rlen, pos, i, k;
  struct dns_header h;
  char got[DNS_NAME_MAX];
  uint16_t t, c;
  struct dns_rr rr;
  static const char ip[4] = { 192, 0, 2, 1 };

  if (!n) return;
  if (!response_query(names[0], DNS_T_A, DNS_C_IN)) return;
  /* many records so that offsets pass 16384 */
  /* a record pair takes at most 2 * (255 + 10) + 255 + 4 bytes: stay
     below 65535, since a writer that fails abandons the response (the
     query fails) and leaves no packet to check */
  for (k = 0; k < 200 && response_len() < 65535 - 1100; k++) {
    i = k % n;
    if (!response_rstart(names[i], DNS_T_CNAME, 300)) bad("response_rstart");
    if (!response_addname(names[(i + 1) % n])) bad("response_addname");
    response_rfinish();
    if (!response_rstart(names[i], DNS_T_A, 300)) bad("response_rstart A");
    if (!response_addbytes(ip, 4)) bad("response_addbytes");
    response_rfinish();
  }
  r = response_data();
  rlen = response_len();
  pos = dns_packet_header(r, rlen, &h);
  if (!pos) bad("response header");
  check_pointer(r, rlen, pos);
  pos = dns_packet_question(r, rlen, pos, got, &t, &c);
  if (!pos || !dns_domain_equal(got, names[0]) || t != DNS_T_A || c != DNS_C_IN)
    bad("response question");
  for (k = 0; k < h.ancount; k++) {
    i = (k / 2) % n;
    check_pointer(r, rlen, pos);
    pos = dns_packet_rr(r, rlen, pos, got, &rr);
    if (!pos) bad("response record");
    if (!dns_domain_equal(got, names[i])) bad("response owner");
    if (rr.type == DNS_T_CNAME) {
      check_pointer(r, rlen, rr.rdpos);
      if (dns_packet_getname(r, rlen, rr.rdpos, got) != rr.rdpos + rr.rdlength)
        bad("response rdata name length");
      if (!dns_domain_equal(got, names[(i + 1) % n])) bad("response rdata name");
    } else if (rr.type != DNS_T_A || rr.rdlength != 4) {
      bad("response record type");
    }
  }
  if (pos != rlen) bad("response trailing bytes");
  response_tc();
  r = response_data();
  rlen = response_len();
  if (!dns_packet_header(r, rlen, &h) || h.ancount || !(h.flags & DNS_F_TC)) bad("response_tc");
}

/* Every reader at position pos; returns the name read, if any. */
static unsigned int at(const char *p, unsigned int len, unsigned int pos, char name[DNS_NAME_MAX])
{
  char n2[DNS_NAME_MAX];
  uint16_t t, c;
  struct dns_rr rr;
  unsigned int r1, r2, r3, r4;

  r1 = dns_packet_getname(p, len, pos, name);
  r2 = dns_packet_skipname(p, len, pos);
  if (r1 != r2) bad("getname != skipname");
  if (r1 > len || (r1 && r1 <= pos)) bad("getname position");
  if (r1 && !wellformed(name)) bad("getname output");
  r3 = dns_packet_question(p, len, pos, n2, &t, &c);
  if (r3 && (r3 != r1 + 4 || memcmp(name, n2, dns_domain_length(name)))) bad("question");
  if (!r3 && r1 && r1 + 4 <= len) bad("question refused");
  r3 = dns_packet_rr(p, len, pos, n2, &rr);
  if (r3 && (r3 > len || rr.rdpos != r1 + 10 || rr.rdpos + rr.rdlength != r3)) bad("rr");
  r4 = dns_packet_rr(p, len, pos, NULL, NULL);
  if (r3 != r4) bad("rr without owner");
  r4 = dns_packet_skiprrs(p, len, pos, 1);
  if (r3 != r4) bad("skiprrs 1");
  r4 = dns_packet_skiprrs(p, len, pos, 0);
  if (r4 != (pos <= len ? pos : 0) && pos) bad("skiprrs 0");
  {
    char out[8];
    r4 = dns_packet_copy(p, len, pos, out, len - pos < 8 ? 0 : 8);
    (void)r4;
  }
  return r1;
}

/* Reads a name inside RDATA and checks it stays within the packet. */
static unsigned int rdname(const char *p, unsigned int len, unsigned int pos,
                           char names[][DNS_NAME_MAX], unsigned int *n)
{
  char d[DNS_NAME_MAX];
  unsigned int r = dns_packet_getname(p, len, pos, d);
  if (r > len) bad("rdata name past end");
  if (r) {
    if (!wellformed(d)) bad("rdata name");
    if (*n < MAXNAMES) memcpy(names[(*n)++], d, dns_domain_length(d));
  }
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char names[MAXNAMES][DNS_NAME_MAX];
  unsigned int n = 0, len, pos, i, total, stride;
  char *p;
  char name[DNS_NAME_MAX];
  struct dns_header h;

  if (size > DNS_TCP_MAX) return 0;
  len = (unsigned int)size;
  p = malloc(len ? len : 1);
  if (!p) return 0;
  memcpy(p, data, len);

  /* every reader at every position (sampled in big packets: a name walk
     may follow ~len/2 pointers, so all positions would be quadratic) */
  stride = len <= 2048 ? 1 : len / 1024;
  for (pos = 0; pos <= len + 1; pos += stride)
    if (at(p, len, pos, name) && n < MAXNAMES) memcpy(names[n++], name, dns_domain_length(name));

  /* the packet as a client or the resolver reads it */
  pos = dns_packet_header(p, len, &h);
  if ((len >= 12) != (pos == 12)) bad("header");
  if (pos) {
    uint16_t t, c;
    struct dns_rr rr;
    for (i = 0; pos && i < h.qdcount; i++) {
      pos = dns_packet_question(p, len, pos, name, &t, &c);
      if (pos && n < MAXNAMES) memcpy(names[n++], name, dns_domain_length(name));
    }
    total = (unsigned int)h.ancount + h.nscount + h.arcount;
    for (i = 0; pos && i < total; i++) {
      unsigned int end;
      pos = dns_packet_rr(p, len, pos, name, &rr);
      if (!pos) break;
      end = rr.rdpos + rr.rdlength;
      switch (rr.type) {
        case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
          rdname(p, len, rr.rdpos, names, &n);
          break;
        case DNS_T_MX:
          if (rr.rdlength >= 2) rdname(p, len, rr.rdpos + 2, names, &n);
          break;
        case DNS_T_SOA: {
          unsigned int q = rdname(p, len, rr.rdpos, names, &n);
          if (q) q = rdname(p, len, q, names, &n);
          if (q && q + 20 <= len) (void)uint32_unpack_big(p + q + 16);
          break;
        }
        default:
          break;
      }
      if (end > len) bad("rdata past end");
    }
    if (pos > len) bad("position past end");
  }

  /* the text the tools print */
  {
    struct dns_buf out = { 0, 0, 0 };
    if (printpacket_cat(&out, p, len) == 0 && out.len == 0 && len >= 12) bad("printpacket empty");
    dns_buf_free(&out);
  }

  /* the input as text typed by a user */
  if (dns_domain_fromdot(name, p, len)) {
    if (!wellformed(name)) bad("fromdot output");
    if (n < MAXNAMES) memcpy(names[n++], name, dns_domain_length(name));
  }

  for (i = 0; i < n; i++) check_name_ops(names[i], names[(i + 1) % n]);
  check_response(names, n);
  free(p);
  return 0;
}
