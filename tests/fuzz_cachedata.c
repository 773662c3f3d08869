/* fuzz_cachedata.c: libFuzzer target for cachedata.c's decoder, which
   turns cached bytes back into answer records.  Input: byte 0 picks the
   type (A, NS, CNAME, PTR, MX, SOA, TXT, or 0-255 as given), the rest is
   the cached data.  Checked: no crash or undefined behaviour; when
   cachedata_answer accepts the data, the response parses end to end, has
   one answer record per entry, and each record decodes under the layout
   cachedata.h states; cachedata_name never returns a position past the
   data.  Build: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cachedata.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "response.h"
#include "uint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

static const uint16_t types[8] = { DNS_T_A, DNS_T_NS, DNS_T_CNAME, DNS_T_PTR,
                                   DNS_T_MX, DNS_T_SOA, DNS_T_TXT, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char d[] = "\4fuzz\4test";
  const char *x = (const char *)data + 1;
  const char *b;
  char name[DNS_NAME_MAX], owner[DNS_NAME_MAX];
  unsigned int len, pos, i, blen;
  uint16_t type, qt, qc;
  struct dns_header h;
  struct dns_rr rr;

  if (size < 1 || size > 20000) return 0;
  type = types[data[0] & 7] ? types[data[0] & 7] : (uint16_t)(data[0] >> 3);
  len = (unsigned int)size - 1;

  for (pos = 0; pos < len;) {   /* names as st_findservers reads them */
    unsigned int next = cachedata_name(x, len, pos, name);
    if (!next) break;
    if (next <= pos || next > len) bad("cachedata_name position");
    pos = next;
  }

  if (!response_query(d, type, DNS_C_IN)) bad("question");
  if (!cachedata_answer(d, type, x, len, 60)) return 0;
  b = response_data();
  blen = response_len();
  pos = dns_packet_header(b, blen, &h);
  if (!pos) bad("header");
  pos = dns_packet_question(b, blen, pos, owner, &qt, &qc);
  for (i = 0; pos && i < h.ancount; ++i) {
    pos = dns_packet_rr(b, blen, pos, owner, &rr);
    if (!pos) break;
    if (rr.type != type || rr.ttl != 60 || !dns_domain_equal(owner, d)) bad("record fields");
    switch (type) {
      case DNS_T_A:
        if (rr.rdlength != 4) bad("A length");
        break;
      case DNS_T_MX:
        if (rr.rdlength < 3 || !dns_packet_getname(b, blen, rr.rdpos + 2, name)) bad("MX");
        break;
      case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR:
        if (!dns_packet_getname(b, blen, rr.rdpos, name)) bad("name");
        break;
      case DNS_T_SOA: {
        unsigned int p = dns_packet_getname(b, blen, rr.rdpos, name);
        if (p) p = dns_packet_getname(b, blen, p, name);
        if (!p || p + 20 != rr.rdpos + rr.rdlength) bad("SOA");
        break;
      }
    }
  }
  if (!pos || pos != blen) bad("response does not parse");
  if (len && !h.ancount) bad("data accepted without a record");
  return 0;
}
