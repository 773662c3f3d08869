/* unit_packet.c: the packet readers of dns_packet.c.  A table of malformed
   packets, each with the reason it must be rejected; round trips through
   the query builder and compressed names; and a randomized run feeding
   random and mutated packets through every reader (each packet in a
   buffer of exactly its length, so ASan sees any read past the end). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit.h"
#include "dns.h"
#include "dns_domain.h"
#include "tests/wire.h"
#include "dns_packet.h"
#include "uint.h"

enum { R_HEADER, R_GETNAME, R_SKIPNAME, R_QUESTION, R_RR, R_RROWNER, R_SKIPRRS2, R_COPY4 };

/* A header with QDCOUNT 1; most cases append to it. */
#define H "\x12\x34\x81\x80\0\1\0\1\0\0\0\0"
#define L63 "\x3f" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define L62 "\x3e" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define L61 "\x3d" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define FIXED_A "\0\1\0\1\0\0\x0e\x10"   /* type A, class IN, ttl 3600 */

struct bad {
  const char *why;
  const char *bytes;
  unsigned int len;
  int reader;
  unsigned int pos;
};
#define B(why, s, reader, pos) { why, s, sizeof(s) - 1, reader, pos }

static const struct bad bads[] = {
  B("zero-length packet has no header", "", R_HEADER, 0),
  B("11 bytes: header cut short by one", "\0\1\0\0\0\1\0\0\0\0\0", R_HEADER, 0),
  B("1 byte: header cut short", "\0", R_HEADER, 0),
  B("zero-length packet: name read at 0 runs past the end", "", R_GETNAME, 0),
  B("name expected right at the end of the packet", H, R_GETNAME, 12),
  B("name position beyond the end of the packet", H, R_GETNAME, 40),
  B("name position near UINT_MAX must not wrap", H "\0", R_GETNAME, 0xffffffffu),
  B("label length 5 but only 3 bytes follow", H "\5abc", R_GETNAME, 12),
  B("label fits but the terminating zero is missing", H "\3abc", R_GETNAME, 12),
  B("label length byte is the last byte", H "\1a\2", R_GETNAME, 12),
  B("label one byte short", H "\3ab", R_GETNAME, 12),
  B("64-byte label: length byte 0x40 is the reserved extended-label type",
    H "\x40" L63 "x\0", R_GETNAME, 12),
  B("label type 0x80 is reserved", H "\x80\1a\0", R_GETNAME, 12),
  B("label type 0x41 (0x40 bits) is reserved", H "\x41" "a\0", R_GETNAME, 12),
  B("label type 0xbf (0x80 bits) is reserved", H "\xbf\0", R_GETNAME, 12),
  B("reserved type after a good label", H "\1a\x7f\0", R_GETNAME, 12),
  B("pointer to itself loops", H "\xc0\x0c", R_GETNAME, 12),
  B("forward pointer to a pointer loop", H "\xc0\x0e\xc0\x0e", R_GETNAME, 12),
  B("pointer is the last byte: second byte missing", H "\1a\xc0", R_GETNAME, 12),
  B("lone pointer byte at the end", H "\xc0", R_GETNAME, 12),
  B("pointer past the end of the packet", H "\1a\0\xc3\xff", R_GETNAME, 15),
  B("pointer with the high offset bits set (0xffff)", H "\xff\xff", R_GETNAME, 12),
  B("two pointers pointing at each other", H "\xc0\x0e\xc0\x0c", R_GETNAME, 14),
  B("pointer back to the start of its own name after a label (loop)",
    H "\1a\xc0\x0c", R_GETNAME, 12),
  B("pointer into the middle of its own name (loop)", H "\1a\1b\xc0\x0e", R_GETNAME, 12),
  B("two names pointing into each other (b -> a -> b)",
    H "\1a\xc0\x10\1b\xc0\x0c", R_GETNAME, 16),
  B("pointer into the header reads a 63-byte label past the end",
    "\x3f\xff\0\0\0\1\0\0\0\0\0\0\xc0\x00", R_GETNAME, 12),
  B("256-byte name made of labels", H L63 L63 L63 L62 "\0", R_GETNAME, 12),
  B("256-byte name: 255 bytes of labels then one more label",
    H L63 L63 L63 L61 "\1a\0", R_GETNAME, 12),
  B("256-byte name through a pointer (128 + 128 bytes)",
    H L63 L63 "\0" L63 L62 "\xc0\x0c", R_GETNAME, 141),
  B("name after a good pointer runs past the end", H "\1a", R_GETNAME, 12),
  B("skipname: label past the end", H "\5abc", R_SKIPNAME, 12),
  B("skipname: pointer at the last byte", H "\1a\xc0", R_SKIPNAME, 12),
  B("skipname: reserved label type 0x80", H "\x80\0", R_SKIPNAME, 12),
  B("skipname: pointer to itself", H "\xc0\x0c", R_SKIPNAME, 12),
  B("skipname: 256-byte name", H L63 L63 L63 L62 "\0", R_SKIPNAME, 12),
  B("question: no type or class at all", H "\0", R_QUESTION, 12),
  B("question: cut in the middle of the type", H "\0\0", R_QUESTION, 12),
  B("question: cut in the middle of the class", H "\0\0\1\0", R_QUESTION, 12),
  B("question: class missing entirely", H "\0\0\1", R_QUESTION, 12),
  B("question: name uses a pointer to itself", H "\xc0\x0c\0\1\0\1", R_QUESTION, 12),
  B("question: name label runs past the end", H "\7abc\0\1\0\1", R_QUESTION, 12),
  B("rr: fixed fields cut short (9 of 10 bytes)", H "\0" FIXED_A "\0", R_RR, 12),
  B("rr: nothing after the owner", H "\0", R_RR, 12),
  B("rr: rdlength 5 but 4 bytes of rdata", H "\0" FIXED_A "\0\5" "\1\2\3\4", R_RR, 12),
  B("rr: rdlength one past the end", H "\0" FIXED_A "\0\4" "\1\2\3", R_RR, 12),
  B("rr: rdlength 65535 with 4 bytes", H "\0" FIXED_A "\xff\xff" "\1\2\3\4", R_RR, 12),
  B("rr: rdlength present but no rdata", H "\0" FIXED_A "\0\1", R_RR, 12),
  B("rr: owner points past the end", H "\xc0\x20" FIXED_A "\0\0", R_RR, 12),
  B("rr: owner has reserved label type", H "\x81\0" FIXED_A "\0\0", R_RR, 12),
  B("rr (owner wanted): rdlength past end", H "\1a\0" FIXED_A "\0\4\1", R_RROWNER, 12),
  B("rr (owner wanted): owner loops", H "\1a\xc0\x0c" FIXED_A "\0\0", R_RROWNER, 12),
  B("rr: position at the end of the packet", H "\0" FIXED_A "\0\0", R_RR, 23),
  B("skiprrs: two records claimed, one present", H "\0" FIXED_A "\0\0", R_SKIPRRS2, 12),
  B("skiprrs: second record truncated", H "\0" FIXED_A "\0\0" "\0" FIXED_A, R_SKIPRRS2, 12),
  B("skiprrs: second record has a bad pointer", H "\0" FIXED_A "\0\0" "\xc0\x30" FIXED_A "\0\0",
    R_SKIPRRS2, 12),
  B("copy: 4 bytes wanted, 3 left", H "abc", R_COPY4, 12),
  B("copy: position beyond the end", H, R_COPY4, 13),
  B("copy: position near UINT_MAX must not wrap", H, R_COPY4, 0xfffffffeu),
};

/* Runs one reader; returns its result. */
static unsigned int run_reader(int reader, const char *buf, unsigned int len, unsigned int pos)
{
  char name[DNS_NAME_MAX], four[4];
  struct dns_header h;
  struct dns_rr rr;
  uint16_t t, c;
  switch (reader) {
  case R_HEADER: return dns_packet_header(buf, len, &h);
  case R_GETNAME: return dns_packet_getname(buf, len, pos, name);
  case R_SKIPNAME: return dns_packet_skipname(buf, len, pos);
  case R_QUESTION: return dns_packet_question(buf, len, pos, name, &t, &c);
  case R_RR: return dns_packet_rr(buf, len, pos, NULL, &rr);
  case R_RROWNER: return dns_packet_rr(buf, len, pos, name, &rr);
  case R_SKIPRRS2: return dns_packet_skiprrs(buf, len, pos, 2);
  case R_COPY4: return dns_packet_copy(buf, len, pos, four, 4);
  }
  return 12345;
}

static void t_malformed(void)
{
  size_t i;
  CHECK(sizeof bads / sizeof bads[0] >= 40);
  for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
    const struct bad *b = &bads[i];
    char *copy = malloc(b->len ? b->len : 1);  /* exact size: ASan sees overreads */
    unsigned int r;
    memcpy(copy, b->bytes, b->len);
    errno = 0;
    r = run_reader(b->reader, copy, b->len, b->pos);
    if (r != 0 || errno != EPROTO) {
      printf("  accepted (returned %u, errno %d): %s\n", r, errno, b->why);
      CHECK(0);
    }
    free(copy);
  }
  printf("  %zu malformed cases\n", i);
}

/* The same packets with the fault removed are accepted: shows that each
   case fails for its stated reason, not for a neighbouring one. */
static void t_near_misses(void)
{
  char name[DNS_NAME_MAX];
  struct dns_rr rr;
  uint16_t t, c;
  CHECK_EQ_INT(dns_packet_getname(H "\3abc\0", 17, 12, name), 17);
  CHECK_EQ_INT(dns_packet_getname(H L63 "\0", 77, 12, name), 77);
  CHECK_EQ_INT(dns_packet_getname(H "\1a\0\xc0\x0c", 17, 15, name), 17);   /* backward ok */
  CHECK_MEM(name, "\1a\0", 3);
  CHECK_EQ_INT(dns_packet_getname(H "\1a\0\1b\xc0\x0c", 19, 15, name), 19);
  CHECK_MEM(name, "\1b\1a\0", 5);
  /* forwards and into the header, as 1.05 allows */
  CHECK_EQ_INT(dns_packet_getname(H "\xc0\x0e\1a\0", 17, 12, name), 14);
  CHECK_MEM(name, "\1a\0", 3);
  CHECK_EQ_INT(dns_packet_getname("\0\1\0\0\0\1\0\0\0\0\0\0\xc0\x04", 14, 12, name), 14);
  CHECK_MEM(name, "\0", 1);   /* byte 4 of the header is a zero: the root */
  CHECK_EQ_INT(dns_packet_question(H "\0\0\1\0\1", 17, 12, name, &t, &c), 17);
  CHECK_EQ_INT(t, 1);
  CHECK_EQ_INT(c, 1);
  CHECK_EQ_INT(dns_packet_rr(H "\0" FIXED_A "\0\4" "\1\2\3\4", 27, 12, NULL, &rr), 27);
  CHECK_EQ_INT(rr.rdlength, 4);
  CHECK_EQ_INT(rr.rdpos, 23);
  CHECK_EQ_INT(rr.ttl, 3600);
  CHECK_EQ_INT(dns_packet_rr(H "\0" FIXED_A "\0\0", 23, 12, NULL, &rr), 23);  /* empty rdata */
  CHECK_EQ_INT(dns_packet_skiprrs(H "\0" FIXED_A "\0\0" "\0" FIXED_A "\0\0", 34, 12, 2), 34);
  CHECK_EQ_INT(dns_packet_skiprrs(H, 12, 12, 0), 12);
  char four[4];
  CHECK_EQ_INT(dns_packet_copy(H "abcd", 16, 12, four, 4), 16);
  CHECK_MEM(four, "abcd", 4);
  struct dns_header h;
  CHECK_EQ_INT(dns_packet_header(H, 12, &h), 12);
  CHECK_EQ_INT(h.id, 0x1234);
  CHECK_EQ_INT(h.flags, 0x8180);
  CHECK_EQ_INT(h.qdcount, 1);
  CHECK_EQ_INT(h.ancount, 1);
  CHECK_EQ_INT(h.nscount, 0);
  CHECK_EQ_INT(h.arcount, 0);
}

/* 1.05's budget, measured with Debian's dnsq: a name may cost 999 steps
   (one per pointer followed, one per label byte including the length
   bytes and the final zero), not 1000. */
static void t_pointer_steps(void)
{
  static char pkt[12 + 6 + 2 * 1000 + 2];
  char name[DNS_NAME_MAX];
  unsigned int n, len, k, last;
  for (n = 990; n <= 996; n++) {
    /* \1x\3com\0 at 12 (7 bytes, 7 steps), then n - 1 pointers each to
       the one before (the first to 12), read from a pointer to the last */
    memcpy(pkt, H, 12);
    memcpy(pkt + 12, "\1x\3com\0", 7);
    len = 19;
    for (k = 0; k + 1 < n; k++) {
      unsigned int target = k ? len - 2 : 12;
      pkt[len++] = (char)(0xc0 | target >> 8);
      pkt[len++] = (char)target;
    }
    last = len - 2;
    pkt[len++] = (char)(0xc0 | last >> 8);
    pkt[len++] = (char)last;
    /* n pointers + 7 label steps */
    if (n + 7 < 1000) {
      CHECK_EQ_INT(dns_packet_getname(pkt, len, len - 2, name), len);
      CHECK_MEM(name, "\1x\3com\0", 7);
    } else {
      CHECK_EQ_INT(dns_packet_getname(pkt, len, len - 2, name), 0);
      CHECK_EQ_INT(dns_packet_skipname(pkt, len, len - 2), 0);
    }
  }
  /* a pointer to itself fails within the budget */
  CHECK_EQ_INT(dns_packet_getname(H "\xc0\x0c", 14, 12, name), 0);
}

static void t_255_names(void)
{
  char pkt[600], name[DNS_NAME_MAX];
  unsigned int n = 12;
  memcpy(pkt, H, 12);
  /* 255 bytes of labels at 12 */
  memcpy(pkt + n, L63 L63 L63 L61 "\0", 255);
  n += 255;
  CHECK_EQ_INT(dns_packet_getname(pkt, n, 12, name), n);
  CHECK_EQ_INT(dns_domain_length(name), 255);
  CHECK_MEM(name, pkt + 12, 255);
  CHECK_EQ_INT(dns_packet_skipname(pkt, n, 12), n);
  /* 255 bytes through a pointer: 63+63 labels, pointer to the
     last two labels of the first name (offset 12 + 128 = 140) */
  unsigned int start = n;
  memcpy(pkt + n, L63 L63, 128);
  n += 128;
  pkt[n++] = (char)0xc0;
  pkt[n++] = (char)140;
  CHECK_EQ_INT(dns_packet_getname(pkt, n, start, name), n);
  CHECK_EQ_INT(dns_domain_length(name), 128 + 127);
  CHECK_EQ_INT(wire_labels(name), 4);
  /* the same with one more byte in the second name's labels: 256, rejected */
  n = start;
  memcpy(pkt + n, L63 "\1y" L63, 130);
  n += 130;
  pkt[n++] = (char)0xc0;
  pkt[n++] = (char)140;
  errno = 0;
  CHECK_EQ_INT(dns_packet_getname(pkt, n, start, name), 0);
  CHECK_EQ_INT(errno, EPROTO);
  /* 127 one-letter labels chained by pointers: 255 bytes accepted, 128 not */
  n = 12;
  pkt[n++] = 1; pkt[n++] = 'a'; pkt[n++] = 0;
  unsigned int prev = 12;
  for (int i = 1; i < 128; i++) {
    unsigned int here = n;
    pkt[n++] = 1; pkt[n++] = 'a';
    pkt[n++] = (char)(0xc0 | (prev >> 8));
    pkt[n++] = (char)(prev & 255);
    unsigned int r = dns_packet_getname(pkt, n, here, name);
    if (i < 127) {
      CHECK_EQ_INT(r, n);
      CHECK_EQ_INT(wire_labels(name), i + 1);
    } else {
      CHECK_EQ_INT(r, 0);   /* 128 labels: 257 bytes */
    }
    prev = here;
  }
}

static void t_query_roundtrip(void)
{
  const char *names[] = { "www.Example.COM", ".", "a", "x.y.z.w.v.u", "\\000\\377.\\.dot" };
  static const uint16_t types[] = { DNS_T_A, DNS_T_MX, DNS_T_ANY, 65535, 0 };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char wire[DNS_NAME_MAX], back[DNS_NAME_MAX], pkt[600];
    struct dns_header h;
    uint16_t t, c;
    unsigned int len, pos;
    CHECK_EQ_INT(dns_domain_fromdot(wire, names[i], strlen(names[i])), 1);
    unsigned int wl = dns_domain_length(wire);
    len = dns_packet_query(pkt, sizeof pkt, wire, types[i], (uint16_t)(0xbeef + i), (int)(i & 1));
    CHECK_EQ_INT(len, 12 + wl + 4);
    pos = dns_packet_header(pkt, len, &h);
    CHECK_EQ_INT(pos, 12);
    CHECK_EQ_INT(h.id, (uint16_t)(0xbeef + i));
    CHECK_EQ_INT(h.flags, (i & 1) ? DNS_F_RD : 0);
    CHECK_EQ_INT(h.qdcount, 1);
    CHECK_EQ_INT(h.ancount + h.nscount + h.arcount, 0);
    pos = dns_packet_question(pkt, len, pos, back, &t, &c);
    CHECK_EQ_INT(pos, len);
    CHECK_EQ_INT(t, types[i]);
    CHECK_EQ_INT(c, DNS_C_IN);
    CHECK_EQ_INT(dns_domain_length(back), wl);
    CHECK_MEM(back, wire, wl);                   /* case kept exactly */
    /* too small an output buffer: 0; exact size works */
    CHECK_EQ_INT(dns_packet_query(pkt, len - 1, wire, 1, 1, 0), 0);
    CHECK_EQ_INT(dns_packet_query(pkt, len, wire, 1, 1, 0), len);
  }
  /* fromdot -> todot */
  char w[DNS_NAME_MAX], t[DNS_DOMAIN_TODOT_MAX];
  CHECK_EQ_INT(dns_domain_fromdot(w, "Mail.Example.ORG.", 17), 1);
  size_t n = dns_domain_todot(t, w);
  CHECK_EQ_INT(n, 16);
  CHECK_MEM(t, "mail.example.org", 16);
}

/* A response with compression everywhere: question www.example.com A,
   answer CNAME (owner -> question name, target web.<ptr example.com>),
   answer A for the target (owner -> pointer into the CNAME's rdata). */
static unsigned int build_response(char *p)
{
  unsigned int n = 0;
  memcpy(p, "\xab\xcd\x81\x80\0\1\0\2\0\0\0\0", 12); n = 12;
  memcpy(p + n, "\3www\7example\3com\0", 17); n += 17;       /* name at 12 */
  memcpy(p + n, "\0\1\0\1", 4); n += 4;
  memcpy(p + n, "\xc0\x0c" "\0\5\0\1\0\0\1\0" "\0\6", 12); n += 12;
  unsigned int target = n;                                     /* 45 */
  memcpy(p + n, "\3web\xc0\x10", 6); n += 6;                   /* web + example.com */
  p[n++] = (char)0xc0; p[n++] = (char)target;
  memcpy(p + n, "\0\1\0\1\0\0\0\x3c" "\0\4" "\xc0\0\2\1", 14); n += 14;
  return n;
}

static void t_compressed_response(void)
{
  char pkt[200], name[DNS_NAME_MAX];
  unsigned int len = build_response(pkt), pos;
  struct dns_header h;
  struct dns_rr rr;
  uint16_t t, c;
  pos = dns_packet_header(pkt, len, &h);
  CHECK_EQ_INT(h.ancount, 2);
  pos = dns_packet_question(pkt, len, pos, name, &t, &c);
  CHECK_EQ_INT(pos, 33);
  CHECK(dns_domain_equal(name, "\3www\7example\3com"));
  pos = dns_packet_rr(pkt, len, pos, name, &rr);
  CHECK_EQ_INT(pos, 51);
  CHECK(dns_domain_equal(name, "\3www\7example\3com"));
  CHECK_EQ_INT(rr.type, DNS_T_CNAME);
  CHECK_EQ_INT(rr.rdpos, 45);
  CHECK_EQ_INT(dns_packet_getname(pkt, len, rr.rdpos, name), 51);
  CHECK(dns_domain_equal(name, "\3web\7example\3com"));
  pos = dns_packet_rr(pkt, len, pos, name, &rr);
  CHECK_EQ_INT(pos, len);
  CHECK(dns_domain_equal(name, "\3web\7example\3com"));
  CHECK_EQ_INT(rr.type, DNS_T_A);
  CHECK_EQ_INT(rr.ttl, 60);
  CHECK_MEM(pkt + rr.rdpos, "\xc0\0\2\1", 4);
  CHECK_EQ_INT(dns_packet_skiprrs(pkt, len, 33, 2), len);
  CHECK_EQ_INT(dns_packet_skipname(pkt, len, 51), 53);      /* a pointer is 2 bytes */
  /* every truncation of it fails somewhere and never reads past the end */
  for (unsigned int cut = 0; cut < len; cut++) {
    char *q = malloc(cut ? cut : 1);
    memcpy(q, pkt, cut);
    pos = dns_packet_header(q, cut, &h);
    if (pos) pos = dns_packet_question(q, cut, pos, name, &t, &c);
    if (pos) pos = dns_packet_skiprrs(q, cut, pos, 2);
    CHECK_EQ_INT(pos, 0);
    free(q);
  }
}

/* ---- randomized ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
  /* xorshift64*: deterministic, so a failure can be reproduced */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Checks that a name produced by getname is well formed. */
static int wellformed(const char *d)
{
  unsigned int pos = 0;
  while (pos < DNS_NAME_MAX) {
    unsigned char l = (unsigned char)d[pos];
    if (!l) return 1;
    if (l > 63) return 0;
    pos += l + 1u;
  }
  return 0;
}

static int fuzz_bad, fuzz_names, fuzz_rrs;
/* counts an inconsistency and shows the first few */
#define BAD() do { if (++fuzz_bad < 5) \
  printf("  fuzz check at line %d, pos %u len %u\n", __LINE__, pos, len); } while (0)

static void fuzz_one(const char *src, unsigned int len, int allpos)
{
  char *p = malloc(len ? len : 1);
  char name[DNS_NAME_MAX], name2[DNS_NAME_MAX];
  struct dns_header h;
  struct dns_rr rr;
  uint16_t t, c;
  unsigned int pos, r1, r2, r3;
  memcpy(p, src, len);
  for (pos = 0; pos <= len + 1; pos++) {
    if (!allpos && pos != 12 && (rnd() & 15)) continue;
    r1 = dns_packet_getname(p, len, pos, name);
    r2 = dns_packet_skipname(p, len, pos);
    if (r1) fuzz_names++;
    if (r1 != r2 || r1 > len || (r1 && !wellformed(name))) BAD();
    if (r1 && r1 <= pos) BAD();
    r3 = dns_packet_question(p, len, pos, name2, &t, &c);
    if (r3 && (r3 != r1 + 4 || memcmp(name, name2, dns_domain_length(name)))) BAD();
    if (!r3 && r1 && r1 + 4 <= len) BAD();
    r3 = dns_packet_rr(p, len, pos, name2, &rr);
    if (r3 && (r3 > len || rr.rdpos + rr.rdlength != r3 || rr.rdpos != r1 + 10)) BAD();
    if (r3 != dns_packet_rr(p, len, pos, NULL, NULL)) BAD();
    r3 = dns_packet_skiprrs(p, len, pos, rnd() % 4);
    if (r3 > len) BAD();
  }
  /* a full parse as a client would do it */
  pos = dns_packet_header(p, len, &h);
  if (pos) {
    unsigned int i;
    for (i = 0; pos && i < h.qdcount; i++) pos = dns_packet_question(p, len, pos, name, &t, &c);
    for (i = 0; pos && i < (unsigned int)h.ancount + h.nscount + h.arcount; i++) {
      pos = dns_packet_rr(p, len, pos, name, &rr);
      if (pos) fuzz_rrs++;
      if (pos && (rr.type == DNS_T_CNAME || rr.type == DNS_T_NS)) {
        unsigned int q = dns_packet_getname(p, len, rr.rdpos, name2);
        if (q > len) BAD();
      }
    }
    if (pos > len) BAD();
  }
  free(p);
}

static void t_fuzz(void)
{
  char pkt[600], base[200];
  unsigned int blen = build_response(base);
  int i;
  fuzz_bad = fuzz_names = fuzz_rrs = 0;
  /* pure random packets, with bytes biased towards name structure */
  for (i = 0; i < 3000; i++) {
    unsigned int len = rnd() % 300, k;
    for (k = 0; k < len; k++) {
      uint32_t r = rnd();
      switch (r % 8) {
      case 0: pkt[k] = (char)0xc0; break;                 /* pointer start */
      case 1: pkt[k] = (char)(r >> 8) % 16; break;        /* short label length */
      case 2: pkt[k] = 0; break;
      case 3: pkt[k] = (char)(0xc0 | ((r >> 8) & 1)); break;
      default: pkt[k] = (char)(r >> 8);
      }
    }
    fuzz_one(pkt, len, 1);
  }
  /* mutations of a valid compressed response */
  for (i = 0; i < 20000; i++) {
    unsigned int len = blen, m = 1 + rnd() % 4, k;
    memcpy(pkt, base, blen);
    for (k = 0; k < m; k++) {
      uint32_t r = rnd();
      unsigned int at = r % len;
      switch ((r >> 16) % 6) {
      case 0: pkt[at] = (char)(r >> 8); break;
      case 1: pkt[at] ^= (char)(1 << ((r >> 8) % 8)); break;
      case 2: len = at; break;                              /* truncate */
      case 3: pkt[at] = (char)0xc0; break;
      case 4: if (at + 1 < len) { pkt[at] = (char)0xc0; pkt[at + 1] = (char)(r >> 8); } break;
      case 5: if (len < sizeof pkt - 1) { memmove(pkt + at + 1, pkt + at, len - at); len++; } break;
      }
      if (!len) break;
    }
    fuzz_one(pkt, len, i < 2000);
  }
  /* long chains of pointers and labels */
  for (i = 0; i < 500; i++) {
    unsigned int len = 12, k;
    memcpy(pkt, H, 12);
    while (len < 590) {
      if (rnd() & 1) {
        unsigned int tgt = rnd() % (len + 4);
        pkt[len++] = (char)(0xc0 | (tgt >> 8));
        pkt[len++] = (char)tgt;
      } else {
        unsigned int l = rnd() % 64;
        if (len + l + 1 > 590) break;
        pkt[len++] = (char)l;
        for (k = 0; k < l; k++) pkt[len++] = 'a';
      }
    }
    fuzz_one(pkt, len, 1);
  }
  if (fuzz_bad) printf("  %d inconsistencies\n", fuzz_bad);
  printf("  %d names and %d records accepted along the way\n", fuzz_names, fuzz_rrs);
  CHECK(fuzz_names > 10000);   /* the inputs do reach the success paths */
  CHECK(fuzz_rrs > 1000);
  CHECK_EQ_INT(fuzz_bad, 0);
}

int main(void)
{
  RUN(t_malformed);
  RUN(t_near_misses);
  RUN(t_pointer_steps);
  RUN(t_255_names);
  RUN(t_query_roundtrip);
  RUN(t_compressed_response);
  RUN(t_fuzz);
  return unit_done();
}
