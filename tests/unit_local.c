/* unit_local.c: the names dnscache answers itself.  The expected packets
   are the original's replies (Debian dnscache 1.05, captured on loopback)
   with the ID left at 0. */
#include <stdlib.h>
#include "tests/unit.h"
#include "local.h"
#include "response.h"
#include "log.h"

static int hexeq(const char *hex)
{
  unsigned int n = (unsigned int)strlen(hex) / 2;
  unsigned char b[512];
  if (n != response_len()) {
    printf("  length %u, expected %u\n", response_len(), n);
    return 0;
  }
  for (unsigned int i = 0; i < n; i++) {
    char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };
    b[i] = (unsigned char)strtoul(two, NULL, 16);
  }
  return !memcmp(b, response_data(), n);
}

/* The whole answer as query.c writes it for a client's own name. */
static int respond(const char *name, uint16_t qtype, uint16_t qclass, int hidettl)
{
  return local_is(name) && response_query(name, qtype, qclass)
         && local_answer(name, qtype, hidettl);
}

static void t_address(void)
{
  unsigned char ip[4];
  CHECK(local_address("\11localhost", ip));
  CHECK_MEM(ip, "\177\0\0\1", 4);
  CHECK(local_address("\11LOCALhost", ip));
  CHECK(local_address("\0011\0012\0013\0014", ip));
  CHECK_MEM(ip, "\1\2\3\4", 4);
  CHECK(local_address("\003255\003255\003255\003255", ip));
  CHECK_MEM(ip, "\377\377\377\377", 4);
  CHECK(local_address("\0010\0010\0010\0010", ip));
  CHECK_MEM(ip, "\0\0\0\0", 4);
  CHECK(local_address("\00210\003200\0010\00299", ip));
  CHECK_MEM(ip, "\12\310\0\143", 4);
}

static void t_not_address(void)
{
  unsigned char ip[4] = { 9, 9, 9, 9 };
  CHECK(!local_address("", ip));
  CHECK(!local_address("\11localhost\3com", ip));
  CHECK(!local_address("\10localhos", ip));
  CHECK(!local_address("\00201\0012\0013\0014", ip));    /* leading zero */
  CHECK(!local_address("\0011\0012\0013\00200", ip));
  CHECK(!local_address("\003256\0012\0013\0014", ip));
  CHECK(!local_address("\0041000\0012\0013\0014", ip));
  CHECK(!local_address("\0011\0012\0013", ip));
  CHECK(!local_address("\0011\0012\0013\0014\0015", ip));
  CHECK(!local_address("\0011\0012\0013\001a", ip));
  CHECK(!local_address("\0011\0012\0013\002-4", ip));
  CHECK(!local_address("\0011\0012\0013\0014\7in-addr\4arpa", ip));
  CHECK_MEM(ip, "\11\11\11\11", 4);
}

static void t_localhost(void)
{
  CHECK(respond("\11localhost", 1, 1, 0));
  CHECK(hexeq("000081800001000100000000096c6f63616c686f73740000010001c00c00010001000a000000047f000001"));
  CHECK(respond("\11LocalHost", 255, 255, 0));
  CHECK(hexeq("000081800001000100000000094c6f63616c486f73740000ff00ffc00c00010001000a000000047f000001"));
  CHECK(respond("\11localhost", 15, 1, 0));
  CHECK(hexeq("000081800001000000000000096c6f63616c686f737400000f0001"));
  CHECK(respond("\11localhost", 12, 255, 0));
  CHECK(hexeq("000081800001000000000000096c6f63616c686f737400000c00ff"));
}

static void t_quad(void)
{
  CHECK(respond("\0011\0012\0013\0014", 255, 1, 0));
  CHECK(hexeq("00008180000100010000000001310132013301340000ff0001c00c00010001000a0000000401020304"));
  CHECK(respond("\0011\0012\0013\0014", 15, 1, 0));
  CHECK(hexeq("0000818000010000000000000131013201330134000" "00f0001"));
  CHECK(respond("\003255\003255\003255\003255", 1, 255, 0));
  CHECK(hexeq("0000818000010001000000000332353503323535033235350332353500000100ffc00c00010001000a00000004ffffffff"));
}

static void t_loopback_ptr(void)
{
  log_counters(0, 0, 0);
  CHECK(respond("\0011\0010\0010\003127\007in-addr\004arpa", 12, 1, 0));
  CHECK(hexeq("0000818000010001000000000131013001300331323707696e2d61646472046172706100000c0001c00c000c0001000a0000000b096c6f63616c686f737400"));
  CHECK(respond("\0011\0010\0010\003127\007IN-ADDR\004Arpa", 255, 255, 0));
  CHECK(hexeq("0000818000010001000000000131013001300331323707494e2d4144445204417270610000ff00ffc00c000c0001000a0000000b096c6f63616c686f737400"));
  CHECK(respond("\0011\0010\0010\003127\007in-addr\004arpa", 1, 1, 0));
  CHECK(hexeq("0000818000010000000000000131013001300331323707696e2d6164647204617270610000010001"));
  log_flush();   /* the stats lines this wrote (checked by t_daemon.sh) */
}

/* SPEC 4.1: localhost AAAA ::1, only when AAAA is asked (ANY stays the
   original's A alone, checked in t_localhost) */
static void t_localhost6(void)
{
  CHECK(respond("\11localhost", 28, 1, 0));
  CHECK(hexeq("000081800001000100000000096c6f63616c686f737400001c0001"
              "c00c001c0001000a00000010" "00000000000000000000000000000001"));
  CHECK(respond("\11LOCALHOST", 28, 255, 1));
  CHECK(hexeq("000081800001000100000000094c4f43414c484f535400001c00ff"
              "c00c001c000100000000" "0010" "00000000000000000000000000000001"));
  /* a dotted quad has no AAAA: an empty answer, as before */
  CHECK(respond("\0011\0012\0013\0014", 28, 1, 0));
  CHECK(hexeq("00008180000100000000000001310132013301340000" "1c0001"));
}

#define ZEROS "\0010\0010\0010\0010"
#define ONE6 "\0011" ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS "\0010\0010\0010"
/* the question's name in hex: 1, 31 zeros, ip6, arpa */
#define ONE6HEX "0131" "0130013001300130" "0130013001300130" "0130013001300130" \
  "0130013001300130" "0130013001300130" "0130013001300130" "0130013001300130" \
  "013001300130"

/* SPEC 4.1: ::1's ip6.arpa name, PTR localhost as 1.0.0.127.in-addr.arpa */
static void t_loopback6_ptr(void)
{
  CHECK(respond(ONE6 "\3ip6\4arpa", 12, 1, 0));
  CHECK(hexeq("000081800001000100000000" ONE6HEX "03697036046172706100" "000c0001"
              "c00c000c0001000a0000000b096c6f63616c686f737400"));
  CHECK(respond(ONE6 "\3IP6\4Arpa", 255, 1, 0));
  CHECK(hexeq("000081800001000100000000" ONE6HEX "03495036044172706100" "00ff0001"
              "c00c000c0001000a0000000b096c6f63616c686f737400"));
  CHECK(respond(ONE6 "\3ip6\4arpa", 1, 1, 0));
  CHECK(hexeq("000081800001000000000000" ONE6HEX "03697036046172706100" "00010001"));
  CHECK(respond(ONE6 "\3ip6\4arpa", 12, 1, 1));
  CHECK(hexeq("000081800001000100000000" ONE6HEX "03697036046172706100" "000c0001"
              "c00c000c000100000000000b096c6f63616c686f737400"));
  /* ::2, a name one nibble short, and one below ip6.arpa's ::1 are not */
  CHECK(!local_is("\0012" ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS "\0010\0010\0010\3ip6\4arpa"));
  CHECK(!local_is("\0011" ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS "\0010\0010\3ip6\4arpa"));
  CHECK(!local_is("\1x" ONE6 "\3ip6\4arpa"));
  CHECK(!local_is(ONE6 "\3ip6\4arpa\3com"));
  CHECK(!local_answer("\0012" ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS ZEROS "\0010\0010\0010\3ip6\4arpa", 12, 0));
}

static void t_hidettl(void)
{
  CHECK(respond("\11localhost", 1, 1, 1));
  CHECK(hexeq("000081800001000100000000096c6f63616c686f73740000010001c00c0001000100000000" "00047f000001"));
}

static void t_not_local(void)
{
  CHECK(!respond("\3www\4test", 1, 1, 0));
  CHECK(!respond("\0012\0010\0010\003127\007in-addr\004arpa", 12, 1, 0));
  CHECK(!respond("\0011\0010\0010\003127\007in-addr\004arpa\3com", 12, 1, 0));
  CHECK(!respond("", 2, 1, 0));
  CHECK(!local_is("\3www\4test"));
  CHECK(!local_answer("\3www\4test", 1, 0));
}

int main(void)
{
  RUN(t_address);
  RUN(t_not_address);
  RUN(t_localhost);
  RUN(t_quad);
  RUN(t_loopback_ptr);
  RUN(t_localhost6);
  RUN(t_loopback6_ptr);
  RUN(t_hidettl);
  RUN(t_not_local);
  return unit_done();
}
