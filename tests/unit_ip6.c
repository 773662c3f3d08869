/* unit_ip6.c: ip6.c, the IPv6 text forms (RFC 4291 in, RFC 5952 out),
   ip6.arpa names and the ip/ file names of SPEC 4.1; checked against
   the C library's inet_pton where both apply. */
#include <arpa/inet.h>
#include <stdlib.h>
#include "tests/unit.h"
#include "ip6.h"

/* scans s; wantlen 0 = must fail (ip untouched); else the bytes must be
   inet_pton's and the length wantlen */
static void scan_is(const char *s, size_t wantlen)
{
  unsigned char ip[16], ref[16];
  size_t n;
  memset(ip, 0x5a, 16);
  n = ip6_scan(s, ip);
  if (n != wantlen) printf("  scan %s\n", s);
  CHECK_EQ_INT(n, wantlen);
  if (!wantlen) {
    unsigned char junk[16];
    memset(junk, 0x5a, 16);
    CHECK_MEM(ip, junk, 16);
    return;
  }
  {
    char t[64];
    memcpy(t, s, wantlen);
    t[wantlen] = 0;
    CHECK_EQ_INT(inet_pton(AF_INET6, t, ref), 1);
    CHECK_MEM(ip, ref, 16);
  }
}

static void t_scan(void)
{
  scan_is("::", 2);
  scan_is("::1", 3);
  scan_is("1::", 3);
  scan_is("2001:db8::53", 12);
  scan_is("2001:DB8:0:0:0:0:0:1", 20);
  scan_is("2001:0db8:0000:0000:0000:0000:0000:0001", 39);
  scan_is("1:2:3:4:5:6:7:8", 15);
  scan_is("1:2:3:4:5:6:7::", 15);
  scan_is("::2:3:4:5:6:7:8", 15);
  scan_is("::ffff:127.0.0.1", 16);
  scan_is("::127.0.0.1", 11);
  scan_is("1:2:3:4:5:6:1.2.3.4", 19);
  scan_is("fe80::1%eth0", 7);             /* stops before the zone */
  scan_is("::1/64", 3);                   /* and before a '/' */
  scan_is("1:2:3:4:5:6:7:8:9", 15);       /* the ninth group is not ours */
  scan_is("1::2::3", 0);                  /* a second "::" */
  /* not addresses */
  scan_is("", 0);
  scan_is(":", 0);
  scan_is(":1", 0);
  scan_is("1", 0);
  scan_is("1:2", 0);
  scan_is("1:2:3:4:5:6:7", 0);
  scan_is("12345::", 0);                  /* five digits */
  scan_is("1::2:", 0);                    /* trailing ':' */
  scan_is("::1.2.3", 0);
  scan_is("::1.2.3.256", 0);
  scan_is("::1.2.3.0001", 0);
  scan_is("::1.2.3.01", 0);                /* leading zero, as inet_pton */
  scan_is("::1.0.0.0", 9);
  scan_is("1:2:3:4:5:6:7:1.2.3.4", 0);    /* nine groups' worth */
  scan_is("::ab.1.2.3", 0);
  scan_is("g::", 0);
  scan_is("127.0.0.1", 0);
  scan_is(" ::1", 0);
  scan_is(":::", 2);                      /* "::", the third colon left over */
}

static void s46_is(const char *s, int ok, const char *wantfmt, const char *wantzone)
{
  unsigned char ip[16];
  char zone[IP6_ZONE], t[IP6_FMT];
  int r = ip6_scan46(s, strlen(s), ip, zone);
  if (r != ok) printf("  scan46 %s\n", s);
  CHECK_EQ_INT(r, ok);
  if (!ok || r != ok) return;
  t[ip6_fmt(t, ip)] = 0;
  CHECK(!strcmp(t, wantfmt));
  CHECK(!strcmp(zone, wantzone));
}

static void t_scan46(void)
{
  s46_is("127.0.0.1", 1, "::ffff:127.0.0.1", "");
  s46_is("127.0.0.300", 1, "::ffff:127.0.0.44", "");   /* ip4_scan's leniency */
  s46_is("127.0.0.1junk", 1, "::ffff:127.0.0.1", "");
  s46_is("::1", 1, "::1", "");
  s46_is("FD00:53::1", 1, "fd00:53::1", "");
  s46_is("fe80::1%eth0", 1, "fe80::1", "eth0");
  s46_is("fe80::1%3", 1, "fe80::1", "3");
  s46_is("::ffff:10.0.0.1", 1, "::ffff:10.0.0.1", "");
  s46_is("::1junk", 0, "", "");
  s46_is("::1 ", 0, "", "");
  s46_is("fe80::1%", 0, "", "");
  s46_is("fe80::1%e/th0", 0, "", "");
  s46_is("fe80::1%0123456789012345678901234567890123", 0, "", "");
  s46_is("1.2.3", 0, "", "");
  s46_is("", 0, "", "");
  s46_is("junk", 0, "", "");
  {
    unsigned char ip[16];
    char zone[IP6_ZONE];
    CHECK_EQ_INT(ip6_scan46("::1\0", 4, ip, zone), 0);   /* a NUL inside */
    CHECK_EQ_INT(ip6_scan46("::1/::2", 3, ip, zone), 1);   /* one element of a list */
  }
}

static void fmt_is(const char *in, const char *want)
{
  unsigned char ip[16];
  char t[IP6_FMT];
  size_t n;
  CHECK_EQ_INT(inet_pton(AF_INET6, in, ip), 1);
  n = ip6_fmt(t, ip);
  CHECK_EQ_INT(n, strlen(want));
  CHECK_EQ_INT(ip6_fmt(NULL, ip), n);
  t[n] = 0;
  if (strcmp(t, want)) printf("  fmt %s: %s, expected %s\n", in, t, want);
  CHECK(!strcmp(t, want));
}

static void t_fmt(void)
{
  /* RFC 5952 section 4 */
  fmt_is("2001:0db8::0001", "2001:db8::1");
  fmt_is("2001:db8:0:0:0:0:2:1", "2001:db8::2:1");
  fmt_is("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");   /* one 0 group kept */
  fmt_is("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");             /* the longest run */
  fmt_is("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");       /* the first of equals */
  fmt_is("2001:DB8::AbCd", "2001:db8::abcd");
  fmt_is("::", "::");
  fmt_is("::1", "::1");
  fmt_is("1::", "1::");
  fmt_is("fd00:53::", "fd00:53::");
  fmt_is("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  fmt_is("::ffff:127.0.0.1", "::ffff:127.0.0.1");            /* section 5 */
  fmt_is("::ffff:255.255.255.255", "::ffff:255.255.255.255");
  fmt_is("::1.2.3.4", "::102:304");                          /* not mapped */
  fmt_is("0:0:1::", "0:0:1::");
}

static void t_groups(void)
{
  unsigned char ip[16];
  char t[IP6_FMT];
  static const char *want[9] = { "", "2001", "2001:db8", "2001:db8:0", "2001:db8:0:0",
                                 "2001:db8:0:0:0", "2001:db8:0:0:0:0", "2001:db8:0:0:0:0:0",
                                 "2001:db8:0:0:0:0:0:53" };
  unsigned int k;
  CHECK_EQ_INT(inet_pton(AF_INET6, "2001:0db8::53", ip), 1);
  for (k = 0; k <= 8; ++k) {
    size_t n = ip6_fmt_groups(t, ip, k);
    t[n] = 0;
    CHECK(!strcmp(t, want[k]));
  }
  CHECK_EQ_INT(inet_pton(AF_INET6, "fe80::abc:1", ip), 1);
  t[ip6_fmt_groups(t, ip, 1)] = 0;
  CHECK(!strcmp(t, "fe80"));
  t[ip6_fmt_groups(t, ip, 7)] = 0;
  CHECK(!strcmp(t, "fe80:0:0:0:0:0:abc"));
  CHECK_EQ_INT(ip6_fmt_groups(NULL, ip, 8), 20);
  memset(ip, 0xff, 16);
  CHECK_EQ_INT(ip6_fmt_groups(t, ip, 8), 39);
}

static void t_flat_arpa(void)
{
  unsigned char ip[16];
  char t[33], name[IP6_ARPA_LEN];
  static const char loop[] =
    "\0011\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010"
    "\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010"
    "\3ip6\4arpa";
  CHECK_EQ_INT(inet_pton(AF_INET6, "2001:db8::abcd", ip), 1);
  CHECK_EQ_INT(ip6_fmt_flat(t, ip), 32);
  t[32] = 0;
  CHECK(!strcmp(t, "20010db800000000000000000000abcd"));
  CHECK_EQ_INT(inet_pton(AF_INET6, "::1", ip), 1);
  memset(name, 0x5a, sizeof name);
  ip6_arpa(name, ip);
  CHECK_EQ_INT(sizeof loop, IP6_ARPA_LEN);
  CHECK_MEM(name, loop, IP6_ARPA_LEN);
  CHECK_EQ_INT(inet_pton(AF_INET6, "2001:db8::567:89ab", ip), 1);
  ip6_arpa(name, ip);
  CHECK_MEM(name, "\1b\1a\0019\0018\0017\0016\0015\0010", 16);
  CHECK_MEM(name + 48, "\0018\1b\1d\0010\0011\0010\0010\0012\3ip6\4arpa", 26);
}

static void t_mapped(void)
{
  unsigned char ip[16], z[16];
  static const unsigned char v4[4] = { 127, 0, 0, 1 }, v40[4];
  ip6_from4(ip, v4);
  CHECK(ip6_isv4mapped(ip));
  CHECK(!ip6_isempty(ip));
  CHECK_MEM(ip + 12, v4, 4);
  ip6_from4(ip, v40);
  CHECK(ip6_isempty(ip));
  memset(z, 0, 16);
  CHECK(ip6_isempty(z));
  CHECK(!ip6_isv4mapped(z));
  z[15] = 1;
  CHECK(!ip6_isempty(z));
}

int main(void)
{
  RUN(t_scan);
  RUN(t_scan46);
  RUN(t_fmt);
  RUN(t_groups);
  RUN(t_flat_arpa);
  RUN(t_mapped);
  return unit_done();
}
