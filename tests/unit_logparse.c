/* unit_logparse.c: logparse_line on every log line kind (examples from
   SPEC 2.8, as 1.05 writes them), with and without multilog's stamp, and
   on lines that must not parse. */
#include "tests/unit.h"
#include "logparse.h"

static struct logline l;

static enum logkind p(const char *s)
{
  return logparse_line(s, strlen(s), &l);
}

static int sl(const struct logslice *w, const char *s)
{
  return w->len == strlen(s) && !memcmp(w->s, s, w->len);
}

static void t_query(void)
{
  CHECK_EQ_INT(p("query 1 7f000001:73d4:7351 1 www.test."), LOG_QUERY);
  CHECK_EQ_INT(l.n[0], 1);
  CHECK_EQ_INT(l.n[1], 1);
  CHECK(sl(&l.ip, "7f000001"));
  CHECK(sl(&l.name, "www.test."));
  CHECK(!l.stamped);
  CHECK_EQ_INT(p("query 18446744073709551615 00000000000000000000000000000001:0035:ffff 65535 ."), LOG_QUERY);
  CHECK(sl(&l.ip, "00000000000000000000000000000001"));
  CHECK(sl(&l.name, "."));
  CHECK_EQ_INT(p("query 1 7f000001:73d4:7351 1 a?b.test."), LOG_QUERY);  /* '?' for odd bytes */
}

static void t_stamp(void)
{
  /* 2026-01-01 00:00:00 UTC = Unix 1767225600; label = 2^62 + 10 + that */
  CHECK_EQ_INT(p("@400000006955b90a1dcd6500 sent 12 58"), LOG_SENT);
  CHECK(l.stamped);
  CHECK_EQ_INT(l.sec, 1767225600);
  CHECK_EQ_INT(l.nsec, 500000000);
  CHECK_EQ_INT(l.n[0], 12);
  CHECK_EQ_INT(l.n[1], 58);
  /* a bad stamp is not a stamp: the line does not parse */
  CHECK_EQ_INT(p("@400000006955b90a1dcd650 sent 12 58"), LOG_UNPARSED);
  CHECK_EQ_INT(p("@400000006955b90a1dcd6500sent 12 58"), LOG_UNPARSED);
  CHECK_EQ_INT(p("@400000006955B90A1DCD6500 sent 12 58"), LOG_UNPARSED);
  CHECK_EQ_INT(p("@400000006955b90a3b9aca00 sent 12 58"), LOG_UNPARSED);  /* nsec 1e9 */
  /* a good stamp on a bad line still counts as stamped */
  CHECK_EQ_INT(p("@400000006955b90a1dcd6500 garbage"), LOG_UNPARSED);
  CHECK(l.stamped);
}

static void t_kinds(void)
{
  CHECK_EQ_INT(p("starting"), LOG_STARTING);
  CHECK_EQ_INT(p("sent 23 26"), LOG_SENT);
  CHECK_EQ_INT(p("drop 31 timed out"), LOG_DROP);
  CHECK(sl(&l.text, "timed out"));
  CHECK_EQ_INT(l.n[0], 31);
  CHECK_EQ_INT(p("drop 27 permission denied"), LOG_DROP);
  CHECK_EQ_INT(p("tcpopen 7f000001:9734"), LOG_TCPOPEN);
  CHECK(sl(&l.ip, "7f000001"));
  CHECK_EQ_INT(p("tcpclose 7f000001:c6e4 temporary failure"), LOG_TCPCLOSE);
  CHECK(sl(&l.text, "temporary failure"));
  CHECK_EQ_INT(p("tx 0 1 x.sub.test. sub.test. 7f000002"), LOG_TX);
  CHECK(sl(&l.name, "x.sub.test."));
  CHECK_EQ_INT(p("tx 1 1 ns.x. . 7f000002 7f000003 00000000000000000000000000000001"), LOG_TX);
  CHECK_EQ_INT(p("rr 7f000002 300 1 www.test. 01020304"), LOG_RR);
  CHECK_EQ_INT(l.n[0], 300);
  CHECK_EQ_INT(p("rr 7f000002 3000 ns sub.test. ns.sub.test."), LOG_RR);
  CHECK_EQ_INT(p("rr 7f000002 300 mx mx.test. 10 mail.test."), LOG_RR);
  CHECK_EQ_INT(p("rr 7f000002 300 soa test. ns.test. h.test. 1 2 3 4 5"), LOG_RR);
  CHECK_EQ_INT(p("rr 7f000002 300 16 big.test. 4572656330302d78787878787878787878787878787878787878787878787878..."), LOG_RR);
  CHECK_EQ_INT(p("cached 1 www.test."), LOG_CACHED);
  CHECK_EQ_INT(p("cached cname alias.test. www.test."), LOG_CACHED);
  CHECK_EQ_INT(p("cached ns sub.test. ns.sub.test."), LOG_CACHED);
  CHECK_EQ_INT(p("cached nxdomain nx.test."), LOG_CACHED);
  CHECK_EQ_INT(p("nxdomain 7f000002 3600 nx.test."), LOG_NXDOMAIN);
  CHECK_EQ_INT(p("nodata 7f000002 3600 15 www.test."), LOG_NODATA);
  CHECK_EQ_INT(p("lame 7f000002 sub.test. sub.test."), LOG_LAME);
  CHECK(sl(&l.ip, "7f000002"));
  CHECK(sl(&l.name, "sub.test."));
  /* IPv6 servers: 32 digits (SPEC 4.1) */
  CHECK_EQ_INT(p("rr fd000053000000000000000000000010 300 28 www.test. 20010db8000000000000000000000061"), LOG_RR);
  CHECK(sl(&l.ip, "fd000053000000000000000000000010"));
  CHECK_EQ_INT(p("nxdomain fd000053000000000000000000000010 3600 nx.test."), LOG_NXDOMAIN);
  CHECK(sl(&l.ip, "fd000053000000000000000000000010"));
  CHECK_EQ_INT(p("nodata fd000053000000000000000000000010 3600 15 www.test."), LOG_NODATA);
  CHECK_EQ_INT(p("lame fd000053000000000000000000000010 sub.test. sub.test."), LOG_LAME);
  CHECK(sl(&l.ip, "fd000053000000000000000000000010"));
  CHECK_EQ_INT(p("servfail servfail.test. input/output error"), LOG_SERVFAIL);
  CHECK(sl(&l.name, "servfail.test."));
  CHECK(sl(&l.text, "input/output error"));
  CHECK_EQ_INT(p("stats 1 40 1 0"), LOG_STATS);
  CHECK_EQ_INT(l.n[0], 1);
  CHECK_EQ_INT(l.n[1], 40);
  CHECK_EQ_INT(l.n[2], 1);
  CHECK_EQ_INT(l.n[3], 0);
  CHECK_EQ_INT(p("dnscache: fatal: unable to bind UDP socket: address already used"), LOG_FATAL);
}

static void t_bad(void)
{
  static const char *bad[] = {
    "", " ", "starting ", " starting", "starting now", "Starting",
    "query", "query 1", "query 1 7f000001:73d4:7351 1", "query 1 7f000001:73d4:7351 1 www.test",
    "query 1 7f000001:73d4:7351 1 www.test. extra", "query x 7f000001:73d4:7351 1 www.test.",
    "query 1 7f00001:73d4:7351 1 www.test.", "query 1 7F000001:73d4:7351 1 www.test.",
    "query 1 7f000001:73d4 1 www.test.", "query 1 7f000001-73d4-7351 1 www.test.",
    "query 1 7f000001:73d4:7351 -1 www.test.", "query 1  7f000001:73d4:7351 1 www.test.",
    "query 99999999999999999999 7f000001:73d4:7351 1 www.test.",
    "sent 1", "sent 1 2 3", "sent a 58", "drop 1", "drop 1 ", "drop x timed out",
    "tcpopen 7f000001", "tcpopen 7f000001:97340", "tcpclose 7f000001:9734",
    "tx 0 1 x.test. test.", "tx 0 1 x.test. test. zz", "rr 7f000002 300 1 www.test.",
    "rr 7f000002 300 weird www.test. 00", "cached", "cached 1", "cached cname a.", "cached x a.",
    "nxdomain 7f000002 3600", "nodata 7f000002 3600 www.test.", "lame 7f000002 sub.test.",
    "servfail servfail.test.", "stats 1 40 1", "stats 1 40 1 0 0", "stats 1 40 1 x",
    "dnscache: warning: x", "hello world", "\xff\xfe\x00query",
  };
  unsigned int i;
  for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    if (p(bad[i]) != LOG_UNPARSED) {
      unit_case_failed = 1;
      printf("  parsed: \"%s\"\n", bad[i]);
    }
    CHECK(l.ip.s == 0 && l.name.s == 0 && l.text.s == 0);   /* nothing half-filled */
  }
  /* a NUL inside a line, a line given without its terminating NUL */
  CHECK_EQ_INT(logparse_line("sent 1\0 58", 10, &l), LOG_UNPARSED);
  CHECK_EQ_INT(logparse_line("sent 1 58XYZ", 9, &l), LOG_SENT);
}

static void t_ipfmt(void)
{
  char t[LOGPARSE_IPFMT];
  size_t n;
  n = logparse_ipfmt(t, "7f000001", 8);
  CHECK(n == 9 && !memcmp(t, "127.0.0.1", 9));
  n = logparse_ipfmt(t, "c0a801ff", 8);
  CHECK(n == 13 && !memcmp(t, "192.168.1.255", 13));
  n = logparse_ipfmt(t, "00000000000000000000000000000001", 32);
  CHECK(n == 3 && !memcmp(t, "::1", 3));
  n = logparse_ipfmt(t, "20010db8000000000001000000000001", 32);
  CHECK(n == 17 && !memcmp(t, "2001:db8::1:0:0:1", 17));
  n = logparse_ipfmt(t, "20010db8000000000001000000000001", 32);
  CHECK_EQ_INT(n, 17);
  n = logparse_ipfmt(t, "fd000000000000000000000000000000", 32);
  CHECK(n == 6 && !memcmp(t, "fd00::", 6));
  n = logparse_ipfmt(t, "00000000000000000000000000000000", 32);
  CHECK(n == 2 && !memcmp(t, "::", 2));
  n = logparse_ipfmt(t, "20010db8000100020003000400050006", 32);
  CHECK(n == 20 && !memcmp(t, "2001:db8:1:2:3:4:5:6", 20));
  n = logparse_ipfmt(t, "20010db8000000010000000000000001", 32);   /* longest run wins */
  CHECK(n == 15 && !memcmp(t, "2001:db8:0:1::1", 15));
  CHECK_EQ_INT(logparse_ipfmt(t, "7f00001", 7), 0);
  CHECK_EQ_INT(logparse_ipfmt(t, "7f00000g", 8), 0);
}

int main(void)
{
  RUN(t_query);
  RUN(t_stamp);
  RUN(t_kinds);
  RUN(t_bad);
  RUN(t_ipfmt);
  return unit_done();
}
