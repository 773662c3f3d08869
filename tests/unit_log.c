/* unit_log.c: every log line's format (SPEC 2.8), captured from fd 2. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "tests/unit.h"
#include "log.h"
#include "dns.h"
#include "cache.h"

static char captured[262144];

/* Runs the log calls made so far through log_flush into a temp file
   standing in for fd 2 and returns what was written. */
static int saved2 = -1;
static char tmpname[64];

static void capture_begin(void)
{
  int fd;
  strcpy(tmpname, "/tmp/unit_log.XXXXXX");
  fd = mkstemp(tmpname);
  fflush(stderr);
  saved2 = dup(2);
  dup2(fd, 2);
  close(fd);
}

static const char *capture_end(void)
{
  ssize_t n;
  int fd;
  log_flush();
  dup2(saved2, 2);
  close(saved2);
  fd = open(tmpname, 0);
  n = read(fd, captured, sizeof captured - 1);
  close(fd);
  unlink(tmpname);
  captured[n < 0 ? 0 : n] = 0;
  return captured;
}

#define EXPECT(calls, text) do { capture_begin(); calls; \
  const char *got_ = capture_end(); \
  if (strcmp(got_, text)) { unit_case_failed = 1; \
    printf("  %s:%d: got [%s] expected [%s]\n", __FILE__, __LINE__, got_, text); } } while (0)

/* clients are 16 bytes; IPv4 is logged as the original's 8 digits */
static const unsigned char lo[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
/* server addresses are 16 bytes, IPv4 mapped */
static const unsigned char srv[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 2 };

static void t_startup(void)
{
  EXPECT(log_startup(), "starting\n");
}

static void t_query(void)
{
  EXPECT(log_query6(1, lo, 0x73d4, 0x7351, "\3www\4test", 1),
         "query 1 7f000001:73d4:7351 1 www.test.\n");
  EXPECT(log_query6(18446744073709551615ULL, lo, 5, 0xabc, "", 255),
         "query 18446744073709551615 7f000001:0005:0abc 255 .\n");
}

static void t_names(void)
{
  /* upper case lowered, odd bytes as '?', '.' inside a label kept */
  EXPECT(log_query6(2, lo, 1, 2, "\5A.b\001Z\3\x7f \x80", 16),
         "query 2 7f000001:0001:0002 16 a.b?z.???.\n");
  EXPECT(log_cachedanswer("\3WWW\7Example\3COM", 28), "cached 28 www.example.com.\n");
  EXPECT(log_cachedanswer("\3a~}\1!", 1), "cached 1 a~}.!.\n");
}

static void t_sent_drop(void)
{
  EXPECT(log_querydone(3, 58), "sent 3 58\n");
  EXPECT(log_querydrop(31, ETIMEDOUT), "drop 31 timed out\n");
  EXPECT(log_querydrop(27, EPERM), "drop 27 permission denied\n");
}

static void t_tcp(void)
{
  EXPECT(log_tcpopen6(lo, 0x9734), "tcpopen 7f000001:9734\n");
  EXPECT(log_tcpclose6(lo, 0x9734, EPIPE), "tcpclose 7f000001:9734 broken pipe\n");
  EXPECT(log_tcpclose6(lo, 0xc6e4, EAGAIN), "tcpclose 7f000001:c6e4 temporary failure\n");
  EXPECT(log_tcpclose6(lo, 1, EPROTO), "tcpclose 7f000001:0001 protocol error\n");
}

/* SPEC 4.1: IPv4-mapped clients exactly as IPv4, others as 32 digits */
static void t_ipv6(void)
{
  static const unsigned char mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
  static const unsigned char one[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  static const unsigned char doc[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd };
  EXPECT(log_query6(1, mapped, 0x73d4, 0x7351, "\3www\4test", 1),
         "query 1 7f000001:73d4:7351 1 www.test.\n");
  EXPECT(log_query6(2, one, 0x73d4, 0x7351, "\3www\4test", 28),
         "query 2 00000000000000000000000000000001:73d4:7351 28 www.test.\n");
  EXPECT(log_tcpopen6(doc, 0x9734), "tcpopen 20010db800000000000000000000abcd:9734\n");
  EXPECT(log_tcpopen6(mapped, 0x9734), "tcpopen 7f000001:9734\n");
  EXPECT(log_tcpclose6(one, 1, EPROTO), "tcpclose 00000000000000000000000000000001:0001 protocol error\n");
  EXPECT(log_tcpclose6(mapped, 0x9734, EPIPE), "tcpclose 7f000001:9734 broken pipe\n");
}

static void t_cached(void)
{
  EXPECT(log_cachedcname("\5alias\4test", "\3www\4test"), "cached cname alias.test. www.test.\n");
  EXPECT(log_cachedns("\4test", "\2ns\4test"), "cached ns test. ns.test.\n");
  EXPECT(log_cachedns("", "\1a\14root-servers\3net"), "cached ns . a.root-servers.net.\n");
  EXPECT(log_nxdomain_cached("\2nx\4test"), "cached nxdomain nx.test.\n");
}

static void t_tx(void)
{
  char servers[DNS_SERVERS_LEN];
  memset(servers, 0, sizeof servers);
  memcpy(servers + 16 * 2, srv, 16);
  memcpy(servers + 16 * 15, srv, 12);
  memcpy(servers + 16 * 15 + 12, "\x0a\x01\xff\x10", 4);
  memcpy(servers + 16 * 20, srv, 12);   /* mapped 0.0.0.0: an empty slot */
  EXPECT(log_tx("\1x\3sub\4test", 1, "\3sub\4test", servers, 0),
         "tx 0 1 x.sub.test. sub.test. 7f000002 0a01ff10\n");
  memset(servers, 0, sizeof servers);
  EXPECT(log_tx("\1x", 28, "", servers, 3), "tx 3 28 x. .\n");
}

/* SPEC 4.1: IPv6 servers as 32 digits wherever a server is logged */
static void t_server6(void)
{
  static const unsigned char s6[16] = { 0xfd, 0, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
  char servers[DNS_SERVERS_LEN];
  memset(servers, 0, sizeof servers);
  memcpy(servers, s6, 16);
  memcpy(servers + 16 * 31, srv, 16);
  EXPECT(log_tx("\1x", 1, "", servers, 1), "tx 1 1 x. . fd000053000000000000000000000010 7f000002\n");
  EXPECT(log_nxdomain(s6, "\2nx\4test", 5), "nxdomain fd000053000000000000000000000010 5 nx.test.\n");
  EXPECT(log_nodata(s6, "\1a", 28, 5), "nodata fd000053000000000000000000000010 5 28 a.\n");
  EXPECT(log_lame(s6, "\1a", "\1a"), "lame fd000053000000000000000000000010 a. a.\n");
  EXPECT(log_rr(s6, "\1a", 1, "\1\2\3\4", 4, 9), "rr fd000053000000000000000000000010 9 1 a. 01020304\n");
  EXPECT(log_rrns(s6, "\1a", "\2ns\1a", 9), "rr fd000053000000000000000000000010 9 ns a. ns.a.\n");
}

static void t_negative(void)
{
  EXPECT(log_nxdomain(srv, "\2nx\4test", 3600), "nxdomain 7f000002 3600 nx.test.\n");
  EXPECT(log_nxdomain(srv, "\2nx\4test", 0), "nxdomain 7f000002 0 nx.test.\n");
  EXPECT(log_nodata(srv, "\3www\4test", 15, 3600), "nodata 7f000002 3600 15 www.test.\n");
  EXPECT(log_lame(srv, "\3sub\4test", "\3sub\4test"), "lame 7f000002 sub.test. sub.test.\n");
  EXPECT(log_servfail("\10servfail\4test", EIO), "servfail servfail.test. input/output error\n");
}

static void t_rr(void)
{
  char big[40];
  for (int i = 0; i < 40; i++) big[i] = (char)i;
  EXPECT(log_rr(srv, "\3www\4test", 1, "\1\2\3\4", 4, 300), "rr 7f000002 300 1 www.test. 01020304\n");
  /* 31 bytes in full; from 32 bytes on, 32 bytes and "..." (observed on 1.05) */
  EXPECT(log_rr(srv, "\1e", 16, big, 31, 5),
         "rr 7f000002 5 16 e. 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e\n");
  EXPECT(log_rr(srv, "\1e", 16, big, 32, 5),
         "rr 7f000002 5 16 e. 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f...\n");
  EXPECT(log_rr(srv, "\1e", 16, big, 33, 5),
         "rr 7f000002 5 16 e. 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f...\n");
  EXPECT(log_rr(srv, "\1e", 99, big, 0, 4294967295U), "rr 7f000002 4294967295 99 e. \n");
  EXPECT(log_rrns(srv, "\3sub\4test", "\2ns\3sub\4test", 3000),
         "rr 7f000002 3000 ns sub.test. ns.sub.test.\n");
  EXPECT(log_rrcname(srv, "\5alias\4test", "\3www\4test", 600),
         "rr 7f000002 600 cname alias.test. www.test.\n");
  EXPECT(log_rrptr(srv, "\3ptr\4test", "\4host\7example", 300),
         "rr 7f000002 300 ptr ptr.test. host.example.\n");
  EXPECT(log_rrmx(srv, "\2mx\4test", 10, "\4mail\4test", 300),
         "rr 7f000002 300 mx mx.test. 10 mail.test.\n");
  EXPECT(log_rrsoa(srv, "\4test", "\2ns\4test", "\4root\4test",
                   "\0\0\0\1\0\0\x0e\x10\0\0\x02\x58\0\x09\x3a\x80\xff\xff\xff\xff", 2560),
         "rr 7f000002 2560 soa test. ns.test. root.test. 1 3600 600 604800 4294967295\n");
}

static void t_stats(void)
{
  cache_init(1000);
  log_counters(7, 3, 1);
  EXPECT(log_stats(), "stats 7 0 3 1\n");
  cache_set("k", 1, "vv", 2, 100, 0);
  log_counters(8, 0, 0);
  EXPECT(log_stats(), "stats 8 23 0 0\n");
}

static void t_dump_lines(void)
{
  EXPECT(log_dump(12345, 678901), "dump 12345 678901\n");
  EXPECT(log_dumpfail(ENOSPC), "dump fail out of disk space\n");
  EXPECT(log_slurp(0, 0), "slurp 0 0\n");
  EXPECT(log_slurp(7, 3), "slurp 7 3\n");
  EXPECT(log_slurpfail("bad checksum"), "slurp fail bad checksum\n");
}

static void t_many(void)
{
  /* more than the output buffer: nothing lost, nothing cut */
  capture_begin();
  for (int i = 0; i < 8000; i++) log_querydone((uint64_t)i, 12345);
  const char *got = capture_end();
  size_t expect = 0;
  char one[64];
  for (int i = 0; i < 8000; i++) expect += (size_t)snprintf(one, sizeof one, "sent %d 12345\n", i);
  CHECK_EQ_INT(strlen(got), expect);
  CHECK(!strncmp(got, "sent 0 12345\nsent 1 12345\n", 26));
  CHECK(strstr(got, "\nsent 7999 12345\n") != NULL);
}

static void t_longest_names(void)
{
  /* 4 labels of 63 'A' bytes = 255-byte wire name; two of them per line */
  char d[256];
  char expect[2048];
  unsigned int p = 0;
  for (int l = 0; l < 4; l++) {
    d[p++] = l < 3 ? 63 : 61;
    for (int i = 0; i < (l < 3 ? 63 : 61); i++) d[p++] = 'A';
  }
  d[p] = 0;
  strcpy(expect, "lame 7f000002 ");
  char text[300];
  unsigned int t = 0;
  for (int l = 0; l < 4; l++) {
    for (int i = 0; i < (l < 3 ? 63 : 61); i++) text[t++] = 'a';
    text[t++] = '.';
  }
  text[t] = 0;
  strcat(expect, text); strcat(expect, " "); strcat(expect, text); strcat(expect, "\n");
  EXPECT(log_lame(srv, d, d), expect);
}

int main(void)
{
  RUN(t_startup);
  RUN(t_query);
  RUN(t_names);
  RUN(t_sent_drop);
  RUN(t_tcp);
  RUN(t_ipv6);
  RUN(t_cached);
  RUN(t_tx);
  RUN(t_server6);
  RUN(t_negative);
  RUN(t_rr);
  RUN(t_stats);
  RUN(t_dump_lines);
  RUN(t_many);
  RUN(t_longest_names);
  return unit_done();
}
