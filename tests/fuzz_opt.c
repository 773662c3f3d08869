/* fuzz_opt.c: libFuzzer target for dns_opt.c.  The input is a packet
   (a query or a reply), copied into a buffer of exactly its size so that
   any read past the end is caught by AddressSanitizer.  Checked:
     - dns_opt_find returns one of DNS_OPT_*, and UNREADABLE exactly when
       dns_packet_skiprrs cannot read the records (an independent walk);
     - for ONE: the record at rrpos reads back as a root-owned OPT with
       the fields reported, and the UDP limit lies in 512..1232;
     - an OPT written by dns_opt_write after the last record (ARCOUNT + 1;
       when no bytes follow the records) makes a packet with no OPT into one with exactly that OPT, and one
       that had an OPT into one with two (BAD);
     - the extended RCODE is the header's 4 bits plus the OPT's 8.
   Build: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dns.h"
#include "dns_opt.h"
#include "dns_packet.h"
#include "uint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct dns_header h;
  struct dns_opt o, o2;
  char name[DNS_NAME_MAX];
  unsigned int len, pos, end, total;
  char *p, *p2;
  int r, r2, same;

  if (size > DNS_TCP_MAX) return 0;
  len = (unsigned int)size;
  p = malloc(len ? len : 1);
  if (!p) return 0;
  memcpy(p, data, len);
  pos = dns_packet_header(p, len, &h);
  if (pos && h.qdcount == 1) pos = dns_packet_question(p, len, pos, name, NULL, NULL);
  else pos = 0;
  if (!pos) { free(p); return 0; }

  total = (unsigned int)h.ancount + h.nscount + h.arcount;
  end = dns_packet_skiprrs(p, len, pos, total);
  r = dns_opt_find(p, len, pos, &h, &o);
  if (r != DNS_OPT_NONE && r != DNS_OPT_ONE && r != DNS_OPT_BAD && r != DNS_OPT_UNREADABLE)
    bad("result");
  if ((r == DNS_OPT_UNREADABLE) != !end) bad("unreadable disagrees with skiprrs");

  if (r == DNS_OPT_ONE) {
    struct dns_rr rr;
    char owner[DNS_NAME_MAX];
    unsigned int lim = dns_opt_udplimit(&o);
    if (o.rrpos < pos || o.rrpos >= len) bad("rrpos");
    if (!dns_packet_rr(p, len, o.rrpos, owner, &rr)) bad("OPT rereads");
    if (owner[0] || rr.type != DNS_T_OPT || rr.class != o.udpsize || rr.rdlength != o.rdlength
        || rr.ttl != ((uint32_t)o.extrcode << 24 | (uint32_t)o.version << 16 | o.flags))
      bad("OPT fields");
    if (lim < 512 || lim > DNS_OPT_UDPSIZE) bad("udp limit");
    if (dns_opt_rcode(&h, &o) != ((h.flags & 15u) | (unsigned int)o.extrcode << 4)) bad("rcode");
  }

  if (end == len && h.arcount < 0xffff) {
    /* one more OPT after the last record (only when nothing follows the
       records: a compression pointer may point forwards, into bytes the
       OPT would replace) */
    p2 = malloc(end + DNS_OPT_RRLEN);
    if (!p2) { free(p); return 0; }
    memcpy(p2, p, end);
    if (dns_opt_write(p2 + end, DNS_OPT_RRLEN - 1, 1232, 0, 0)) bad("write into too little");
    if (dns_opt_write(p2 + end, DNS_OPT_RRLEN, 1232, DNS_R_BADVERS, 0) != DNS_OPT_RRLEN) bad("write");
    uint16_pack_big(p2 + 10, (uint16_t)(h.arcount + 1));
    /* a name may point into the header's ARCOUNT: the old records must
       still read as before for the check to hold */
    same = dns_opt_find(p2, end + DNS_OPT_RRLEN, pos, &h, &o2) == r;
    h.arcount++;
    r2 = dns_opt_find(p2, end + DNS_OPT_RRLEN, pos, &h, &o2);
    if (!same) {
      /* nothing to compare */
    } else if (r == DNS_OPT_NONE) {
      if (r2 != DNS_OPT_ONE || o2.udpsize != 1232 || o2.extrcode != 1 || o2.version || o2.flags
          || o2.rdlength || o2.rrpos != end)
        bad("written OPT found");
    } else if (r2 != DNS_OPT_BAD) bad("second OPT not bad");
    free(p2);
  }
  free(p);
  return 0;
}
