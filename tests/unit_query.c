/* Unit tests for the resolution engine (query.c, query_cache.c, cachedata.c, reply.c) with
   canned reply packets: no socket is ever opened (query_begin/packet/
   failed/resume stop where a transmission would start).  The log (fd 2)
   goes to a temp file so the tests can look for lines. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "tests/unit.h"
#include "tests/wire.h"
#include "query.h"
#include "ip6.h"
#include "query_cache.h"
#include "cachedata.h"
#include "cache.h"
#include "clock.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "log.h"
#include "response.h"
#include "roots.h"
#include "uint.h"

static const unsigned char zero4[4];

/* The engine's clock, moved by hand (clock_setsource): TTLs run out only
   when a test says so. */
static int64_t fakenow = 1000000;
static int fakeclock(clockid_t id, struct timespec *ts)
{
  (void)id;
  ts->tv_sec = (time_t)fakenow;
  ts->tv_nsec = 0;
  return 0;
}
static const unsigned char ROOT1[4] = { 127, 53, 0, 1 };
static const unsigned char TEST1[4] = { 127, 53, 1, 1 };
static const unsigned char TEST2[4] = { 127, 53, 1, 2 };

/* ---------------------------------------------------------------- log */

static FILE *logfile;
static long logmark;

static void log_begin(void)
{
  log_flush();
  fflush(logfile);
  logmark = ftell(logfile);
}

/* the log since log_begin() (static buffer) */
static const char *log_text(void)
{
  static char text[65536];
  size_t n;
  log_flush();
  fflush(logfile);
  fseek(logfile, logmark, SEEK_SET);
  n = fread(text, 1, sizeof text - 1, logfile);
  text[n] = 0;
  fseek(logfile, 0, SEEK_END);
  return text;
}

static int logged(const char *line)
{
  return strstr(log_text(), line) != NULL;
}

/* ------------------------------------------------------------ packets */

static void p_a(struct pkt *p, int s, const char *owner, uint32_t ttl, const unsigned char ip[4])
{
  p_rr(p, s, owner, DNS_T_A, ttl, (const char *)ip, 4);
}

static void p_soa(struct pkt *p, int s, const char *owner, uint32_t ttl, uint32_t minimum)
{
  char rd[600];
  unsigned int n = 0, l;
  const char *m = W("ns.x"), *r = W("hostmaster.x");
  l = dns_domain_length(m); memcpy(rd, m, l); n += l;
  l = dns_domain_length(r); memcpy(rd + n, r, l); n += l;
  uint32_pack_big(rd + n, 1); uint32_pack_big(rd + n + 4, 16384);
  uint32_pack_big(rd + n + 8, 2048); uint32_pack_big(rd + n + 12, 1048576);
  uint32_pack_big(rd + n + 16, minimum);
  p_rr(p, s, owner, DNS_T_SOA, ttl, rd, n + 20);
}

/* ------------------------------------------------------------ helpers */

/* A fresh engine (cache, roots: servers/@ is ROOT1), and q zeroed if
   given. */
static void setup(struct query *q, int forwardonly)
{
  char servers[64];
  static unsigned int n;
  unsigned char key[16] = { 1, 2, 3 };
  if (q) memset(q, 0, sizeof *q);
  memset(servers, 0, sizeof servers);
  memcpy(servers, ROOT1, 4);
  cache_init(1000000 + n++);   /* a fresh cache each time */
  cache_setkey(key);
  roots_clear();
  roots_add("", servers);
  query_init(forwardonly, 0);
  query_queryloopback(1);   /* these tests' servers are on 127.53.x */
}

/* servers are 16-byte slots, IPv4 mapped */
static int has_server16(const struct query *q, const unsigned char ip[16])
{
  for (int k = 0; k < DNS_SERVERS; ++k)
    if (!memcmp(q->sv->servers[q->level] + 16 * k, ip, 16)) return 1;
  return 0;
}

static int has_server(const struct query *q, const unsigned char ip[4])
{
  unsigned char m[16];
  ip6_from4(m, ip);
  return has_server16(q, m);
}

/* query_packet from an IPv4 server */
static int packet4(struct query *q, const char *buf, unsigned int len, const unsigned char ip[4])
{
  unsigned char m[16];
  ip6_from4(m, ip);
  return query_packet(q, buf, len, m);
}

static struct dns_header resp_header(void)
{
  struct dns_header h;
  memset(&h, 0, sizeof h);
  dns_packet_header(response_data(), response_len(), &h);
  return h;
}

/* the answer records of the response, as "type name ttl" lines with
   A as a.b.c.d and names as text (enough to compare) */
static const char *resp_answers(void)
{
  static char out[4096];
  const char *buf = response_data();
  unsigned int len = response_len(), pos, i;
  struct dns_header h;
  char owner[DNS_NAME_MAX], q[DNS_NAME_MAX], name[DNS_NAME_MAX], t[DNS_DOMAIN_TODOT_MAX];
  uint16_t qt, qc;
  struct dns_rr rr;
  size_t o = 0;
  out[0] = 0;
  if (!(pos = dns_packet_header(buf, len, &h))) return "header?";
  if (!(pos = dns_packet_question(buf, len, pos, q, &qt, &qc))) return "question?";
  for (i = 0; i < h.ancount; ++i) {
    size_t tl;
    if (!(pos = dns_packet_rr(buf, len, pos, owner, &rr))) return "rr?";
    tl = dns_domain_todot(t, owner);
    t[tl] = 0;
    o += (size_t)snprintf(out + o, sizeof out - o, "%u %s %u", rr.type, t, rr.ttl);
    if (rr.type == DNS_T_A && rr.rdlength == 4) {
      const unsigned char *ip = (const unsigned char *)buf + rr.rdpos;
      o += (size_t)snprintf(out + o, sizeof out - o, " %u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    } else if (rr.type == DNS_T_CNAME || rr.type == DNS_T_NS || rr.type == DNS_T_PTR) {
      if (dns_packet_getname(buf, len, rr.rdpos, name)) {
        tl = dns_domain_todot(t, name);
        t[tl] = 0;
        o += (size_t)snprintf(out + o, sizeof out - o, " %s", t);
      }
    }
    o += (size_t)snprintf(out + o, sizeof out - o, "\n");
  }
  return out;
}

/* Drives q (state SEND, expecting the root) to the test. servers with a
   glued referral. */
static int referral_to_test(struct query *q, const char *qname, uint16_t qtype)
{
  struct pkt p;
  p_init(&p, 1, 0x8000, qname, qtype);
  p_name(&p, 1, W("test"), DNS_T_NS, 172800, W("a.nic.test"));
  p_name(&p, 1, W("test"), DNS_T_NS, 172800, W("b.nic.test"));
  p_a(&p, 2, W("a.nic.test"), 172800, TEST1);
  p_a(&p, 2, W("b.nic.test"), 172800, TEST2);
  return packet4(q, p.b, p.len, ROOT1);
}

/* A fresh engine and q asking for qname qtype, referred by the root to
   the test. servers: the next reply is theirs (TEST1, TEST2). */
static void begin_at_test(struct query *q, const char *qname, uint16_t qtype)
{
  setup(q, 0);
  CHECK_EQ_INT(query_begin(q, qname, qtype, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(referral_to_test(q, qname, qtype), 0);
}

/* -------------------------------------------------------------- tests */

static void t_ttlget(void)
{
  CHECK_EQ_INT(cachedata_ttl(0), 0);
  CHECK_EQ_INT(cachedata_ttl(300), 300);
  CHECK_EQ_INT(cachedata_ttl(604800), 604800);
  CHECK_EQ_INT(cachedata_ttl(604801), 604800);
  CHECK_EQ_INT(cachedata_ttl(1500000000u), 604800);   /* decision 1: not 0 as 1.05 */
  CHECK_EQ_INT(cachedata_ttl(2147483647u), 604800);
  CHECK_EQ_INT(cachedata_ttl(2147483648u), 0);
  CHECK_EQ_INT(cachedata_ttl(0xffffffffu), 0);
}

static void t_local(void)
{
  struct query q;
  setup(&q, 0);
  CHECK_EQ_INT(query_begin(&q, W("localhost"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(strstr(resp_answers(), "1 localhost 655360 127.0.0.1") != NULL);
  CHECK_EQ_INT(q.state, QUERY_IDLE);
}

/* A CNAME to a local name: the chain, then local.c's records (TTL 655360). */
static void t_cname_local(void)
{
  struct query q;
  setup(&q, 0);
  cachedata_set(DNS_T_CNAME, W("lh.test"), W("localhost"), dns_domain_length(W("localhost")), 300);
  cachedata_set(DNS_T_CNAME, W("lp.test"), W("1.0.0.127.in-addr.arpa"),
                dns_domain_length(W("1.0.0.127.in-addr.arpa")), 300);
  CHECK_EQ_INT(query_begin(&q, W("lh.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  /* (the CNAME's TTL is what remains in the cache: 300 or a second less) */
  CHECK(!strncmp(resp_answers(), "5 lh.test ", 10));
  CHECK(strstr(resp_answers(), " localhost\n1 localhost 655360 127.0.0.1\n") != NULL);
  CHECK_EQ_INT(resp_header().ancount, 2);
  CHECK_EQ_INT(query_begin(&q, W("lh.test"), DNS_T_MX, DNS_C_IN, zero4), 1);
  CHECK_EQ_INT(resp_header().ancount, 1);   /* the CNAME; no record of that type */
  CHECK_EQ_INT(resp_header().flags & DNS_F_RCODE, 0);
  CHECK_EQ_INT(query_begin(&q, W("lp.test"), DNS_T_PTR, DNS_C_IN, zero4), 1);
  CHECK(strstr(resp_answers(), " 1.0.0.127.in-addr.arpa\n12 1.0.0.127.in-addr.arpa 655360 localhost\n"));
  CHECK_EQ_INT(resp_header().ancount, 2);
  CHECK_EQ_INT(q.state, QUERY_IDLE);
  CHECK_EQ_INT(q.nalias, 0);
}

static void t_full_resolution(void)
{
  struct query q;
  struct pkt p;
  struct dns_header h;
  unsigned int len;
  uint32_t ttl;
  const char *d;
  static const unsigned char ip1[4] = { 192, 0, 2, 1 }, evil[4] = { 6, 6, 6, 6 };
  setup(&q, 0);
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("WWW.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK_EQ_INT(q.level, 0);
  CHECK(dns_domain_equal(q.control[0], W("")));
  CHECK(has_server(&q, ROOT1));
  CHECK(logged("tx 0 1 www.test. . 7f350001\n"));

  CHECK_EQ_INT(referral_to_test(&q, W("WWW.test"), DNS_T_A), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK_EQ_INT(q.level, 0);
  CHECK(dns_domain_equal(q.control[0], W("test")));
  CHECK(has_server(&q, TEST1) && has_server(&q, TEST2));
  CHECK(logged("rr 7f350001 172800 ns test. a.nic.test.\n"));
  CHECK(logged("cached 1 a.nic.test.\n"));
  CHECK(logged("cached 1 b.nic.test.\n"));

  /* the answer, with poison in every section */
  p_init(&p, 1, 0x8400, W("WWW.test"), DNS_T_A);
  p_a(&p, 0, W("www.test"), 300, ip1);
  p_a(&p, 0, W("evil.example"), 300, evil);
  p_name(&p, 1, W("example"), DNS_T_NS, 300, W("ns.evil.example"));
  p_name(&p, 1, W("test"), DNS_T_NS, 300, W("ns.evil.example"));
  p_a(&p, 2, W("ns.evil.example"), 300, evil);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  h = resp_header();
  CHECK_EQ_INT(h.flags, 0x8180);
  CHECK_EQ_INT(h.ancount, 1);
  CHECK_EQ_INT(h.nscount, 0);
  CHECK(!strcmp(resp_answers(), "1 www.test 300 192.0.2.1\n"));
  CHECK(logged("rr 7f350101 300 1 www.test. c0000201\nstats "));
  CHECK(!cachedata_get(DNS_T_A, W("evil.example"), &len, &ttl));
  CHECK(!cachedata_get(DNS_T_A, W("ns.evil.example"), &len, &ttl));
  CHECK(!cachedata_get(DNS_T_NS, W("example"), &len, &ttl));
  /* decision 7: test.'s own NS set, from test.'s servers, is not cached */
  d = cachedata_get(DNS_T_NS, W("test"), &len, &ttl);
  CHECK(d && len == dns_domain_length(W("a.nic.test")) + dns_domain_length(W("b.nic.test")));
  CHECK_EQ_INT(q.state, QUERY_IDLE);

  /* second time from the cache, with no transmission */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("www.TEST"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(logged("cached 1 www.test.\n"));
  CHECK(!strncmp(resp_answers(), "1 www.test ", 11));

  /* a different name in test.: straight to test.'s servers (cached NS) */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("other.test"), DNS_T_MX, DNS_C_IN, zero4), 0);
  CHECK(dns_domain_equal(q.control[0], W("test")));
  CHECK(logged("cached ns test. a.nic.test.\ncached ns test. b.nic.test.\n"
               "cached 1 a.nic.test.\ncached 1 b.nic.test.\ntx 0 15 other.test. test. "));
  query_forget(&q);
  CHECK_EQ_INT(q.state, QUERY_IDLE);
}

static void t_cname(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char ip1[4] = { 192, 0, 2, 1 };
  begin_at_test(&q, W("alias.test"), DNS_T_A);
  p_init(&p, 1, 0x8400, W("alias.test"), DNS_T_A);
  p_name(&p, 0, W("alias.test"), DNS_T_CNAME, 600, W("a.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 0);
  CHECK(logged("rr 7f350101 600 cname alias.test. a.test.\n"));
  CHECK(!logged("stats"));   /* no stats line after a CNAME */
  CHECK(dns_domain_equal(q.name[0], W("a.test")));
  CHECK_EQ_INT(q.nalias, 1);
  p_init(&p, 1, 0x8400, W("a.test"), DNS_T_A);
  p_a(&p, 0, W("a.test"), 300, ip1);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST2), 1);
  CHECK(!strcmp(resp_answers(), "5 alias.test 600 a.test\n1 a.test 300 192.0.2.1\n"));

  /* from the cache: the chain again, with remaining TTLs */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("alias.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(logged("cached cname alias.test. a.test.\ncached 1 a.test.\n"));
  CHECK(!strncmp(resp_answers(), "5 alias.test ", 13));
  /* type CNAME is answered with the CNAME itself */
  CHECK_EQ_INT(query_begin(&q, W("alias.test"), DNS_T_CNAME, DNS_C_IN, zero4), 1);
  CHECK(!strncmp(resp_answers(), "5 alias.test ", 13));
  CHECK_EQ_INT(resp_header().ancount, 1);
}

static void t_cname_loop(void)
{
  struct query q;
  setup(&q, 0);
  cachedata_set(DNS_T_CNAME, W("l1.test"), W("l2.test"), dns_domain_length(W("l2.test")), 300);
  cachedata_set(DNS_T_CNAME, W("l2.test"), W("l1.test"), dns_domain_length(W("l1.test")), 300);
  errno = 0;
  CHECK_EQ_INT(query_begin(&q, W("l1.test"), DNS_T_A, DNS_C_IN, zero4), -1);
  CHECK_EQ_INT(errno, EIO);
  CHECK_EQ_INT(q.state, QUERY_IDLE);
  CHECK_EQ_INT(q.nalias, 0);   /* everything released */
}

static void t_nxdomain(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  begin_at_test(&q, W("nx.test"), DNS_T_A);
  p_init(&p, 1, 0x8403, W("nx.test"), DNS_T_A);
  p_soa(&p, 1, W("test"), 7200, 60);   /* decision 2: min(7200, 60, 3600) */
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(logged("nxdomain 7f350101 60 nx.test.\n"));
  CHECK(!logged("stats"));
  CHECK_EQ_INT(resp_header().flags, 0x8583);
  CHECK(cachedata_get(DNS_T_ANY, W("nx.test"), &len, &ttl) != NULL);
  CHECK(ttl <= 60 && ttl >= 59);
  CHECK_EQ_INT(len, 0);
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("nx.test"), DNS_T_MX, DNS_C_IN, zero4), 1);
  CHECK(logged("cached nxdomain nx.test.\n"));
  CHECK_EQ_INT(resp_header().flags, 0x8583);

  /* SOA TTL smaller than MINIMUM; and the 3600 cap */
  CHECK_EQ_INT(query_begin(&q, W("nx2.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8403, W("nx2.test"), DNS_T_A);
  p_soa(&p, 1, W("test"), 30, 900);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(cachedata_get(DNS_T_ANY, W("nx2.test"), &len, &ttl) && ttl <= 30 && ttl >= 29);
  CHECK_EQ_INT(query_begin(&q, W("nx3.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8403, W("nx3.test"), DNS_T_A);
  p_soa(&p, 1, W("test"), 86400, 86400);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(cachedata_get(DNS_T_ANY, W("nx3.test"), &len, &ttl) && ttl <= 3600 && ttl >= 3599);
  /* no SOA: nothing cached, ttl 0 logged */
  CHECK_EQ_INT(query_begin(&q, W("nx4.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8403, W("nx4.test"), DNS_T_A);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(logged("nxdomain 7f350101 0 nx4.test.\n"));
  CHECK(!cachedata_get(DNS_T_ANY, W("nx4.test"), &len, &ttl));
}

static void t_nodata(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  begin_at_test(&q, W("a.test"), DNS_T_MX);
  p_init(&p, 1, 0x8400, W("a.test"), DNS_T_MX);
  p_soa(&p, 1, W("test"), 2000, 120);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(logged("nodata 7f350101 120 15 a.test.\nstats "));
  CHECK_EQ_INT(resp_header().flags, 0x8180);
  CHECK_EQ_INT(resp_header().ancount, 0);
  CHECK(cachedata_get(DNS_T_MX, W("a.test"), &len, &ttl) && len == 0 && ttl <= 120);
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("a.test"), DNS_T_MX, DNS_C_IN, zero4), 1);
  CHECK(logged("cached 15 a.test.\n"));
  /* an ANY query does not take the empty set as an answer */
  CHECK_EQ_INT(query_begin(&q, W("a.test"), DNS_T_ANY, DNS_C_IN, zero4), 0);
  query_forget(&q);
  /* empty NOERROR without SOA: passed on, nothing cached */
  CHECK_EQ_INT(query_begin(&q, W("b.test"), DNS_T_TXT, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("b.test"), DNS_T_TXT);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK_EQ_INT(resp_header().ancount, 0);
  CHECK(!cachedata_get(DNS_T_TXT, W("b.test"), &len, &ttl));
}

static void t_lame(void)
{
  struct query q;
  struct pkt p;
  begin_at_test(&q, W("www.lame.test"), DNS_T_A);
  /* upward referral from test.'s server 1 */
  p_init(&p, 1, 0x8000, W("www.lame.test"), DNS_T_A);
  p_name(&p, 1, W(""), DNS_T_NS, 300, W("a.root-servers.net"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 0);
  CHECK(logged("lame 7f350101 test. .\n"));
  CHECK(!logged("stats"));
  CHECK(!has_server(&q, TEST1));
  CHECK(has_server(&q, TEST2));
  /* same-zone referral from server 2: no server left -> SERVFAIL */
  p_init(&p, 1, 0x8000, W("www.lame.test"), DNS_T_A);
  p_name(&p, 1, W("test"), DNS_T_NS, 300, W("a.nic.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST2), 1);
  CHECK(logged("lame 7f350102 test. test.\n"));
  CHECK(!logged("servfail"));
  CHECK_EQ_INT(resp_header().flags, 0x8182);
}

static void t_servfail_transport(void)
{
  struct query q;
  setup(&q, 0);
  CHECK_EQ_INT(query_begin(&q, W("x.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK(logged("servfail x.test. input/output error\n"));
  CHECK_EQ_INT(resp_header().flags, 0x8182);
}

static void t_glueless(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char nsip[4] = { 127, 53, 4, 2 }, ip[4] = { 192, 0, 2, 70 };
  begin_at_test(&q, W("www.gl.test"), DNS_T_A);
  /* referral without glue: the NS name is looked up at level 1 */
  p_init(&p, 1, 0x8000, W("www.gl.test"), DNS_T_A);
  p_name(&p, 1, W("gl.test"), DNS_T_NS, 3000, W("ns.gl.example"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 0);
  CHECK_EQ_INT(q.level, 1);
  CHECK(dns_domain_equal(q.name[1], W("ns.gl.example")));
  CHECK(logged("tx 1 1 ns.gl.example. . 7f350001\n"));
  p_init(&p, 1, 0x8400, W("ns.gl.example"), DNS_T_A);
  p_a(&p, 0, W("ns.gl.example"), 3000, nsip);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.level, 0);
  CHECK(has_server(&q, nsip));
  CHECK(dns_domain_equal(q.control[0], W("gl.test")));
  CHECK(logged("tx 0 1 www.gl.test. gl.test. 7f350402\n"));
  p_init(&p, 1, 0x8400, W("www.gl.test"), DNS_T_A);
  p_a(&p, 0, W("www.gl.test"), 300, ip);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, nsip), 1);
  CHECK(!strcmp(resp_answers(), "1 www.gl.test 300 192.0.2.70\n"));
}

static void t_merge(void)
{
  struct query q1, q2, q3;
  struct pkt p;
  static const unsigned char ip[4] = { 192, 0, 2, 9 };
  setup(&q1, 0);
  memset(&q2, 0, sizeof q2);
  memset(&q3, 0, sizeof q3);
  CHECK_EQ_INT(query_begin(&q1, W("m.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q1.state, QUERY_SEND);
  log_begin();
  CHECK_EQ_INT(query_begin(&q2, W("M.TEST"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q2.state, QUERY_WAIT);
  CHECK(!logged("tx "));
  CHECK(!query_leader_done(&q2));
  /* another type is not merged */
  CHECK_EQ_INT(query_begin(&q3, W("m.test"), DNS_T_MX, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q3.state, QUERY_SEND);
  query_forget(&q3);

  CHECK_EQ_INT(referral_to_test(&q1, W("m.test"), DNS_T_A), 0);
  CHECK(query_leader_done(&q2));
  /* q2 re-runs from the cache: straight to test. (cached NS) */
  CHECK_EQ_INT(query_resume(&q2), 0);
  CHECK_EQ_INT(q2.state, QUERY_WAIT);   /* q1 is in flight to test. again */
  p_init(&p, 1, 0x8400, W("m.test"), DNS_T_A);
  p_a(&p, 0, W("m.test"), 300, ip);
  CHECK_EQ_INT(packet4(&q1, p.b, p.len, TEST1), 1);
  CHECK(query_leader_done(&q2));
  CHECK_EQ_INT(query_resume(&q2), 1);
  CHECK(!strcmp(resp_answers(), "1 M.TEST 300 192.0.2.9\n")
        || !strncmp(resp_answers(), "1 m.test ", 9));

  /* a leader that is forgotten wakes its waiters, which then send */
  CHECK_EQ_INT(query_begin(&q1, W("f.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(query_begin(&q2, W("f.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q2.state, QUERY_WAIT);
  query_forget(&q1);
  CHECK(query_leader_done(&q2));
  CHECK_EQ_INT(query_resume(&q2), 0);
  CHECK_EQ_INT(q2.state, QUERY_SEND);
  /* a failed leader: the waiter fails the same way at once */
  CHECK_EQ_INT(query_begin(&q1, W("f.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q1.state, QUERY_WAIT);
  CHECK_EQ_INT(query_failed(&q2), 1);
  log_begin();
  CHECK_EQ_INT(query_resume(&q1), 1);
  CHECK(logged("servfail f.test. input/output error\n"));
  CHECK(!logged("tx "));
  CHECK_EQ_INT(resp_header().flags, 0x8182);
}

static void t_malformed(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char ip[4] = { 1, 2, 3, 4 };
  unsigned int cut;
  setup(&q, 0);
  /* every truncation of a valid reply is a protocol error or harmless */
  p_init(&p, 1, 0x8400, W("t.test"), DNS_T_A);
  p_a(&p, 0, W("t.test"), 300, ip);
  p_name(&p, 1, W("t.test"), DNS_T_NS, 300, W("ns.t.test"));
  p_a(&p, 2, W("ns.t.test"), 300, ip);
  for (cut = 0; cut < p.len; ++cut) {
    int r;
    CHECK_EQ_INT(query_begin(&q, W("t.test"), DNS_T_A, DNS_C_IN, zero4), 0);
    errno = 0;
    r = packet4(&q, p.b, cut, ROOT1);
    CHECK(r == -1 && errno == EPROTO);
    CHECK_EQ_INT(q.state, QUERY_IDLE);
  }
  /* a compression pointer to itself in the answer */
  p_init(&p, 1, 0x8400, W("t.test"), DNS_T_A);
  p.b[p.len++] = (char)0xc0;
  p.b[p.len] = (char)p.len - 1;
  p.len++;
  memcpy(p.b + p.len, "\0\1\0\1\0\0\0\1\0\4\1\2\3\4", 14);
  p.len += 14;
  p.b[7] = 1;
  CHECK_EQ_INT(query_begin(&q, W("t.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), -1);
}

static void t_soa_direct(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  setup(&q, 0);
  CHECK_EQ_INT(query_begin(&q, W("test"), DNS_T_SOA, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("test"), DNS_T_SOA);
  p_soa(&p, 0, W("test"), 900, 60);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK(logged("rr 7f350001 900 soa test. ns.x. hostmaster.x. 1 16384 2048 1048576 60\n"));
  CHECK(cachedata_get(DNS_T_SOA, W("test"), &len, &ttl) != NULL);   /* decision 6 */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("test"), DNS_T_SOA, DNS_C_IN, zero4), 1);
  CHECK(logged("cached 6 test.\n"));
  CHECK_EQ_INT(resp_header().ancount, 1);
  /* an authority SOA is not cached as a set */
  CHECK(!cachedata_get(DNS_T_SOA, W("x.test"), &len, &ttl));
}

static void t_forwardonly(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char ip[4] = { 192, 0, 2, 1 };
  setup(&q, 1);
  /* cached NS are never used: always servers/@ */
  cachedata_set(DNS_T_NS, W("test"), W("a.nic.test"), dns_domain_length(W("a.nic.test")), 300);
  CHECK_EQ_INT(query_begin(&q, W("a.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(dns_domain_equal(q.control[0], W("")));
  CHECK(has_server(&q, ROOT1));
  /* a referral from the forwarder is its failure (decision 3) */
  log_begin();
  CHECK_EQ_INT(referral_to_test(&q, W("a.test"), DNS_T_A), 1);
  CHECK(logged("lame 7f350001 . test.\n"));
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  /* an answer is used and cached as usual */
  CHECK_EQ_INT(query_begin(&q, W("a.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8180, W("a.test"), DNS_T_A);
  p_a(&p, 0, W("a.test"), 300, ip);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK_EQ_INT(query_begin(&q, W("a.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  setup(NULL, 0);
}

static void t_bailiwick_servers(void)
{
  struct query q;
  struct pkt p;
  char servers[64];
  unsigned int len;
  uint32_t ttl;
  static const unsigned char moon[4] = { 127, 53, 7, 7 }, ip[4] = { 6, 6, 6, 6 };
  setup(&q, 0);
  memset(servers, 0, sizeof servers);
  memcpy(servers, moon, 4);
  roots_add(W("moon.test"), servers);
  CHECK(roots_same(W("a.test"), W("")));
  CHECK(!roots_same(W("x.moon.test"), W("test")));
  /* the root servers cannot supply data under servers/moon.test */
  CHECK_EQ_INT(query_begin(&q, W("www.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www.test"), DNS_T_A);
  p_name(&p, 1, W("test"), DNS_T_NS, 300, W("a.nic.test"));
  p_a(&p, 2, W("a.nic.test"), 300, TEST1);
  p_a(&p, 2, W("x.moon.test"), 300, ip);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK(cachedata_get(DNS_T_A, W("a.nic.test"), &len, &ttl) != NULL);
  CHECK(!cachedata_get(DNS_T_A, W("x.moon.test"), &len, &ttl));
  query_forget(&q);
  /* names under moon.test go to its servers */
  CHECK_EQ_INT(query_begin(&q, W("x.moon.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(dns_domain_equal(q.control[0], W("moon.test")));
  CHECK(has_server(&q, moon));
  /* and its own NS set is cached (decision 7 exception) */
  p_init(&p, 1, 0x8400, W("x.moon.test"), DNS_T_A);
  p_a(&p, 0, W("x.moon.test"), 300, ip);
  p_name(&p, 1, W("moon.test"), DNS_T_NS, 300, W("ns.moon.test"));
  CHECK_EQ_INT(packet4(&q, p.b, p.len, moon), 1);
  CHECK(cachedata_get(DNS_T_NS, W("moon.test"), &len, &ttl) != NULL);
  roots_clear();
}

static void t_ttl_rules(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  static const unsigned char ip[4] = { 192, 0, 2, 1 };
  setup(&q, 0);
  CHECK_EQ_INT(query_begin(&q, W("big.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("big.test"), DNS_T_A);
  p_a(&p, 0, W("big.test"), 1500000000u, ip);
  p_a(&p, 2, W("huge.test"), 3000000000u, ip);
  p_a(&p, 2, W("zero.test"), 0, ip);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK(!strcmp(resp_answers(), "1 big.test 604800 192.0.2.1\n"));
  CHECK(cachedata_get(DNS_T_A, W("big.test"), &len, &ttl) && ttl == 604800);
  CHECK(!cachedata_get(DNS_T_A, W("huge.test"), &len, &ttl));
  CHECK(!cachedata_get(DNS_T_A, W("zero.test"), &len, &ttl));
  /* HIDETTL */
  query_init(0, 1);
  CHECK_EQ_INT(query_begin(&q, W("big.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(!strcmp(resp_answers(), "1 big.test 0 192.0.2.1\n"));
  query_init(0, 0);
}

static void t_cache_formats(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  const char *d;
  char mx[64];
  setup(&q, 0);
  CHECK_EQ_INT(query_begin(&q, W("f.test"), DNS_T_ANY, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("f.test"), DNS_T_ANY);
  uint16_pack_big(mx, 10);
  memcpy(mx + 2, W("mail.test"), dns_domain_length(W("mail.test")));
  p_rr(&p, 0, W("f.test"), DNS_T_MX, 300, mx, 2 + dns_domain_length(W("mail.test")));
  p_rr(&p, 0, W("f.test"), DNS_T_TXT, 300, "\3abc", 4);
  p_rr(&p, 0, W("f.test"), DNS_T_TXT, 200, "\2de", 3);
  p_rr(&p, 0, W("f.test"), DNS_T_A, 300, "\1\2\3", 3);   /* bad A: not kept */
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK_EQ_INT(resp_header().ancount, 4);   /* the reply's records, as they are */
  d = cachedata_get(DNS_T_MX, W("f.test"), &len, &ttl);
  CHECK(d && len == 2 + dns_domain_length(W("mail.test")) && !memcmp(d, mx, len));
  d = cachedata_get(DNS_T_TXT, W("f.test"), &len, &ttl);
  CHECK(d && len == 11 && !memcmp(d, "\0\4\3abc\0\3\2de", 11));
  CHECK(ttl == 300 || ttl == 299);
  d = cachedata_get(DNS_T_A, W("f.test"), &len, &ttl);
  CHECK(d && len == 0);
  CHECK(logged("rr 7f350001 300 mx f.test. 10 mail.test.\n"));
  CHECK(logged("rr 7f350001 300 16 f.test. 03616263\nrr 7f350001 300 16 f.test. 026465\n"));
  /* TXT from the cache */
  CHECK_EQ_INT(query_begin(&q, W("f.test"), DNS_T_TXT, DNS_C_IN, zero4), 1);
  CHECK_EQ_INT(resp_header().ancount, 2);
  /* ANY from the cache: only the first of NS, PTR, MX, A */
  CHECK_EQ_INT(query_begin(&q, W("f.test"), DNS_T_ANY, DNS_C_IN, zero4), 1);
  CHECK_EQ_INT(resp_header().ancount, 1);
  CHECK(!strncmp(resp_answers(), "15 f.test", 9));
}

static void t_level_limit(void)
{
  struct query q;
  struct pkt p;
  char ns[32], zone[32];
  int i, r = 0;
  setup(&q, 0);
  /* each referral is glueless with an NS name in another zone: after
     QUERY_MAXLEVEL-1 nested lookups the NS names are dropped -> SERVFAIL */
  CHECK_EQ_INT(query_begin(&q, W("www.z0.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  for (i = 0; i < 10 && q.state == QUERY_SEND; ++i) {
    snprintf(zone, sizeof zone, "z%d.test", i);
    snprintf(ns, sizeof ns, "ns.z%d.test", i + 1);
    p_init(&p, 1, 0x8000, q.name[q.level], DNS_T_A);
    p_name(&p, 1, W(zone), DNS_T_NS, 300, W(ns));
    r = packet4(&q, p.b, p.len, ROOT1);
    if (r != 0) break;
  }
  CHECK(q.level < QUERY_MAXLEVEL);
  CHECK_EQ_INT(r, 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
}

static void t_step_limit(void)
{
  struct query q;
  struct pkt p;
  char target[32];
  int i, r = 0;
  setup(&q, 0);
  /* NS-address lookups (level > 0) follow CNAMEs without the alias limit;
     an endless chain of them is stopped by the step limit (decision 16) */
  CHECK_EQ_INT(query_begin(&q, W("www.x.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www.x.test"), DNS_T_A);
  p_name(&p, 1, W("x.test"), DNS_T_NS, 300, W("ns.other"));
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.level, 1);
  for (i = 0; i < 400; ++i) {
    snprintf(target, sizeof target, "n%d.other", i);
    p_init(&p, 1, 0x8400, q.name[q.level], DNS_T_A);
    p_name(&p, 0, q.name[q.level], DNS_T_CNAME, 300, W(target));
    r = packet4(&q, p.b, p.len, ROOT1);
    if (r != 0) break;
  }
  CHECK_EQ_INT(r, -1);
  CHECK(i > 90 && i < 110);   /* two steps per name: 200 in all */
  CHECK_EQ_INT(q.state, QUERY_IDLE);
}

/* SPEC 4.3 ($QUERYLOOPBACK): loopback and "this host" addresses learned
   from the network are never queried; servers/ addresses always are. */
static int nservers(const struct query *q)
{
  int k, n = 0;
  for (k = 0; k < DNS_SERVERS; ++k)
    n += !ip6_isempty((const unsigned char *)q->sv->servers[q->level] + 16 * k);
  return n;
}

static void t_loopback(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char lo2[4] = { 127, 0, 0, 2 }, any[4] = { 0, 0, 0, 0 },
    zero9[4] = { 0, 9, 9, 9 }, good[4] = { 192, 0, 2, 53 };
  setup(&q, 0);
  query_queryloopback(0);
  CHECK_EQ_INT(query_begin(&q, W("www.lo.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, ROOT1));    /* servers/@ on 127.53.0.1: honoured */
  p_init(&p, 1, 0x8000, W("www.lo.test"), DNS_T_A);
  p_name(&p, 1, W("lo.test"), DNS_T_NS, 3000, W("ns1.lo.test"));
  p_name(&p, 1, W("lo.test"), DNS_T_NS, 3000, W("ns2.lo.test"));
  p_name(&p, 1, W("lo.test"), DNS_T_NS, 3000, W("ns3.lo.test"));
  p_name(&p, 1, W("lo.test"), DNS_T_NS, 3000, W("ns4.lo.test"));
  p_a(&p, 2, W("ns1.lo.test"), 3000, lo2);
  p_a(&p, 2, W("ns2.lo.test"), 3000, any);
  p_a(&p, 2, W("ns3.lo.test"), 3000, zero9);
  p_a(&p, 2, W("ns4.lo.test"), 3000, good);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(has_server(&q, good));
  CHECK(!has_server(&q, lo2) && !has_server(&q, zero9));
  CHECK_EQ_INT(nservers(&q), 1);   /* not 0.0.0.0 either */
  query_forget(&q);

  /* a zone whose only server is on loopback: SERVFAIL, nothing sent */
  p_init(&p, 1, 0x8000, W("www.bl.test"), DNS_T_A);
  p_name(&p, 1, W("bl.test"), DNS_T_NS, 3000, W("ns.bl.test"));
  p_a(&p, 2, W("ns.bl.test"), 3000, lo2);
  CHECK_EQ_INT(query_begin(&q, W("www.bl.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  CHECK(!logged("tx "));
  /* an NS name that is a dotted quad or localhost gives no server either */
  p_init(&p, 1, 0x8000, W("www.bq.test"), DNS_T_A);
  p_name(&p, 1, W("bq.test"), DNS_T_NS, 3000, W("127.0.0.2"));
  p_name(&p, 1, W("bq.test"), DNS_T_NS, 3000, W("localhost"));
  CHECK_EQ_INT(query_begin(&q, W("www.bq.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);

  /* with $QUERYLOOPBACK: 127/8 is used, 0/8 still never */
  query_queryloopback(1);
  CHECK_EQ_INT(query_begin(&q, W("www.bl.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, lo2));     /* from the cached glue */
  query_forget(&q);
  CHECK_EQ_INT(query_begin(&q, W("www.lo.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, good) && has_server(&q, lo2));
  CHECK(!has_server(&q, zero9));
  CHECK_EQ_INT(nservers(&q), 2);
  query_forget(&q);
}

/* ------------------------------------------------ beyond 1.05 (issue 14) */

static const unsigned char GLUE[4] = { 192, 0, 2, 53 }, CHILD[4] = { 192, 0, 2, 66 },
  WWW[4] = { 192, 0, 2, 99 };

/* q (at test.'s servers) gets test.'s referral to z.test: NS ns.z.test,
   glue 192.0.2.53 (NS TTL nsttl, glue TTL gluettl). */
static int referral_to_z(struct query *q, const char *qname, uint32_t nsttl, uint32_t gluettl)
{
  struct pkt p;
  p_init(&p, 1, 0x8000, qname, DNS_T_A);
  p_name(&p, 1, W("z.test"), DNS_T_NS, nsttl, W("ns.z.test"));
  p_a(&p, 2, W("ns.z.test"), gluettl, GLUE);
  return packet4(q, p.b, p.len, TEST1);
}

/* The child's answer for qname: A, its NS set and its own (different)
   address for ns.z.test. */
static int child_answer(struct query *q, const char *qname, const unsigned char from[4])
{
  struct pkt p;
  p_init(&p, 1, 0x8400, qname, DNS_T_A);
  p_a(&p, 0, qname, 300, WWW);
  p_name(&p, 1, W("z.test"), DNS_T_NS, 300, W("ns.z.test"));
  p_a(&p, 2, W("ns.z.test"), 300, CHILD);
  return packet4(q, p.b, p.len, from);
}

/* Decision 18: the parent's glue is kept apart and asked when the
   child's addresses for its servers fail. */
static void t_glue_fallback(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  const char *g;
  begin_at_test(&q, W("www.z.test"), DNS_T_A);
  CHECK_EQ_INT(referral_to_z(&q, W("www.z.test"), 3000, 300), 0);
  g = cachedata_getglue(W("z.test"), &len, &ttl);
  CHECK(g && len == 4 && !memcmp(g, GLUE, 4) && ttl == 3000);   /* the delegation's TTL */
  CHECK(has_server(&q, GLUE));
  CHECK_EQ_INT(child_answer(&q, W("www.z.test"), GLUE), 1);
  /* the child's address replaced the glue in the cache (as 1.05) ... */
  g = cachedata_get(DNS_T_A, W("ns.z.test"), &len, &ttl);
  CHECK(g && len == 4 && !memcmp(g, CHILD, 4));
  /* ... but not the parent's glue */
  g = cachedata_getglue(W("Z.TEST"), &len, &ttl);
  CHECK(g && len == 4 && !memcmp(g, GLUE, 4));

  /* the child's address fails: the glue is asked */
  CHECK_EQ_INT(query_begin(&q, W("www2.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, CHILD) && !has_server(&q, GLUE));
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(logged("servfail www2.z.test. input/output error\ntx 0 1 www2.z.test. z.test. c0000235\n"));
  CHECK(has_server(&q, GLUE) && !has_server(&q, CHILD));
  CHECK_EQ_INT(child_answer(&q, W("www2.z.test"), GLUE), 1);
  CHECK(!strcmp(resp_answers(), "1 www2.z.test 300 192.0.2.99\n"));

  /* the glue fails too: SERVFAIL, the glue asked only once (without
     the glue-first mark the glue answer left: t_glue_first) */
  cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test"), 0, 300);
  CHECK_EQ_INT(query_begin(&q, W("www3.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(query_failed(&q), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  CHECK(!logged("tx "));

  /* the child's server is lame: the same */
  CHECK_EQ_INT(query_begin(&q, W("www4.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www4.z.test"), DNS_T_A);
  p_name(&p, 1, W("test"), DNS_T_NS, 300, W("a.nic.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, CHILD), 0);
  CHECK(logged("lame c0000242 z.test. test.\ntx 0 1 www4.z.test. z.test. c0000235\n"));
  query_forget(&q);

  /* the NS name is NXDOMAIN (the child said so): no address, the glue */
  cachedata_set(DNS_T_ANY, W("ns.z.test"), "", 0, 300);
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("www5.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(logged("cached nxdomain ns.z.test.\ntx 0 1 www5.z.test. z.test. c0000235\n"));
  query_forget(&q);
  /* NODATA for the NS name's address: the same */
  cachedata_set(DNS_T_A, W("ns.z.test"), "", 0, 300);
  cachedata_set(DNS_T_ANY, W("ns.z.test"), "", 0, 0);
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("www6.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, GLUE));
  query_forget(&q);

  /* the child's address is the glue: nothing new to ask, SERVFAIL at once */
  cachedata_set(DNS_T_A, W("ns.z.test"), (const char *)GLUE, 4, 300);
  CHECK_EQ_INT(query_begin(&q, W("www7.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK(!logged("tx "));

  /* FORWARDONLY: never (no server but servers/@) */
  setup(NULL, 1);
  cachedata_setglue(W("z.test"), (const char *)GLUE, 4, 300);
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK(!logged("tx "));
}

/* Decision 18: once the glue answered where the child's address failed,
   later names of the zone ask the glue first (the child's address after
   it), until the child's address answers again. */
static void t_glue_first(void)
{
  struct query q;
  begin_at_test(&q, W("www.z.test"), DNS_T_A);
  CHECK_EQ_INT(referral_to_z(&q, W("www.z.test"), 3000, 300), 0);
  CHECK_EQ_INT(child_answer(&q, W("www.z.test"), GLUE), 1);
  CHECK(!cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test")));   /* first try */
  /* the child's address fails, the glue answers: remembered */
  CHECK_EQ_INT(query_begin(&q, W("www2.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, CHILD) && !has_server(&q, GLUE));
  CHECK_EQ_INT(query_failed(&q), 0);
  CHECK(cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test")) == 0);
  CHECK_EQ_INT(child_answer(&q, W("www2.z.test"), GLUE), 1);
  CHECK(cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test")));
  /* a new name: the glue first, then the child's address */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("www3.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  {
    unsigned char g16[16];
    ip6_from4(g16, GLUE);
    CHECK(!memcmp(q.sv->servers[0], g16, 16) && has_server(&q, CHILD));
  }
  CHECK(logged("tx 0 1 www3.z.test. z.test. c0000235 c0000242\n"));
  CHECK_EQ_INT(child_answer(&q, W("www3.z.test"), GLUE), 1);
  CHECK(cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test")));
  /* both fail: SERVFAIL after that one transmission, the glue not asked twice */
  CHECK_EQ_INT(query_begin(&q, W("www4.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  CHECK(!logged("tx "));
  /* the child's address answers again: forgotten */
  CHECK_EQ_INT(query_begin(&q, W("www5.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(child_answer(&q, W("www5.z.test"), CHILD), 1);
  CHECK(!cachedata_getmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test")));
  CHECK_EQ_INT(query_begin(&q, W("www6.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server(&q, CHILD) && !has_server(&q, GLUE));
  query_forget(&q);
  /* FORWARDONLY: never */
  setup(NULL, 1);
  cachedata_setglue(W("z.test"), (const char *)GLUE, 4, 300);
  cachedata_setmark(DNS_T_A, CACHEDATA_GLUEFIRST, W("z.test"), 1, 300);
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(!has_server(&q, GLUE));
  query_forget(&q);
}

/* Decision 18: an NS-address lookup the child answers with a referral
   while the delegation (and its glue) is still cached. */
static void t_glue_nslookup_referral(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char refuser[4] = { 192, 0, 2, 3 };
  begin_at_test(&q, W("www.z.test"), DNS_T_A);
  /* test.'s delegation of z.test with glue for 1 s only */
  CHECK_EQ_INT(referral_to_z(&q, W("www.z.test"), 3000, 1), 0);
  p_init(&p, 1, 0x8400, W("www.z.test"), DNS_T_A);
  p_a(&p, 0, W("www.z.test"), 300, WWW);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
  /* 2 s later: ns.z.test's A has expired, the NS set and glue have not */
  fakenow += 2;
  CHECK_EQ_INT(query_begin(&q, W("www2.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  /* ns.z.test's address at level 1, from z.test's servers; their
     addresses at level 2 from the roots: nobody answers there */
  CHECK_EQ_INT(q.level, 2);
  while (q.level > 1 && q.state == QUERY_SEND) CHECK_EQ_INT(query_failed(&q), 0);
  /* so level 1 asks the glue of z.test about ns.z.test */
  CHECK_EQ_INT(q.level, 1);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(dns_domain_equal(q.name[1], W("ns.z.test")));
  CHECK(has_server(&q, GLUE));
  /* and the child refers the lookup to a sub-zone whose server refuses */
  p_init(&p, 1, 0x8000, W("ns.z.test"), DNS_T_A);
  p_name(&p, 1, W("ns.z.test"), DNS_T_NS, 300, W("ns.ns.z.test"));
  p_a(&p, 2, W("ns.ns.z.test"), 300, refuser);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 0);
  CHECK_EQ_INT(q.level, 1);
  CHECK(has_server(&q, refuser));
  log_begin();
  while (q.level > 0 && q.state == QUERY_SEND) CHECK_EQ_INT(query_failed(&q), 0);
  CHECK_EQ_INT(q.level, 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(has_server(&q, GLUE));
  CHECK(logged("tx 0 1 www2.z.test. z.test. c0000235\n"));
  query_forget(&q);
}

/* Decision 19: AA, no answer, the zone's own NS set, no SOA: NODATA. */
static void t_lame_nodata(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  begin_at_test(&q, W("www.z.test"), DNS_T_MX);
  CHECK_EQ_INT(referral_to_z(&q, W("www.z.test"), 3000, 3000), 0);
  p_init(&p, 1, 0x8400, W("www.z.test"), DNS_T_MX);
  p_name(&p, 1, W("z.test"), DNS_T_NS, 300, W("ns.z.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8180);
  CHECK_EQ_INT(resp_header().ancount, 0);
  CHECK(!logged("lame"));
  CHECK(logged("stats "));
  CHECK(!cachedata_get(DNS_T_MX, W("www.z.test"), &len, &ttl));   /* nothing negative */
  /* without AA it is still the lame referral of 1.05 */
  CHECK_EQ_INT(query_begin(&q, W("www2.z.test"), DNS_T_MX, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www2.z.test"), DNS_T_MX);
  p_name(&p, 1, W("z.test"), DNS_T_NS, 300, W("ns.z.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
  CHECK(logged("lame c0000235 z.test. z.test.\n"));
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  /* AA with a referral to another zone below: a referral as ever */
  CHECK_EQ_INT(query_begin(&q, W("www.sub.z.test"), DNS_T_MX, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("www.sub.z.test"), DNS_T_MX);
  p_name(&p, 1, W("sub.z.test"), DNS_T_NS, 300, W("ns.sub.z.test"));
  p_a(&p, 2, W("ns.sub.z.test"), 300, CHILD);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 0);
  CHECK(dns_domain_equal(q.control[0], W("sub.z.test")));
  query_forget(&q);
}

static void p_dname(struct pkt *p, const char *owner, uint32_t ttl, const char *target)
{
  p_rr(p, 0, owner, DNS_T_DNAME, ttl, target, dns_domain_length(target));
}

/* Decision 20: DNAME passed on, cached, synthesized from the cache. */
static void t_dname(void)
{
  struct query q;
  struct pkt p;
  unsigned int len;
  uint32_t ttl;
  static const unsigned char ip50[4] = { 192, 0, 2, 50 };
  begin_at_test(&q, W("www.d.z.test"), DNS_T_A);
  CHECK_EQ_INT(referral_to_z(&q, W("www.d.z.test"), 3000, 3000), 0);
  p_init(&p, 1, 0x8400, W("www.d.z.test"), DNS_T_A);
  p_dname(&p, W("d.z.test"), 600, W("sub.test"));
  p_name(&p, 0, W("www.d.z.test"), DNS_T_CNAME, 600, W("www.sub.test"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 0);
  CHECK(dns_domain_equal(q.name[0], W("www.sub.test")));
  CHECK(logged("rr c0000235 600 39 d.z.test. 037375620474657374"));
  /* the synthesized CNAME is not cached, the DNAME is */
  CHECK(!cachedata_get(DNS_T_CNAME, W("www.d.z.test"), &len, &ttl));
  CHECK(cachedata_get(DNS_T_DNAME, W("d.z.test"), &len, &ttl) != NULL);
  p_init(&p, 1, 0x8400, W("www.sub.test"), DNS_T_A);
  p_a(&p, 0, W("www.sub.test"), 300, ip50);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 1);
  CHECK(!strcmp(resp_answers(), "39 d.z.test 600\n5 www.d.z.test 600 www.sub.test\n"
                                "1 www.sub.test 300 192.0.2.50\n"));

  /* another name under d.z.test: from the cached DNAME, no transmission */
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("WWW.D.z.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(logged("cached cname www.d.z.test. www.sub.test.\ncached 1 www.sub.test.\n"));
  CHECK(!strcmp(resp_answers(), "39 d.z.test 600\n5 www.d.z.test 600 www.sub.test\n"
                                "1 www.sub.test 300 192.0.2.50\n"));
  /* the DNAME's target is written uncompressed */
  {
    const char *b = response_data();
    unsigned int n = response_len();
    const char *t = W("sub.test");
    unsigned int tl = dns_domain_length(t), i, found = 0;
    for (i = 0; i + tl <= n; ++i) if (!memcmp(b + i, t, tl)) found = 1;
    CHECK(found);
  }
  /* the owner itself is not redirected */
  CHECK_EQ_INT(query_begin(&q, W("d.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  query_forget(&q);

  /* a DNAME without the CNAME: synthesized */
  CHECK_EQ_INT(query_begin(&q, W("a.n.z.test"), DNS_T_TXT, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("a.n.z.test"), DNS_T_TXT);
  p_dname(&p, W("n.z.test"), 300, W("sub.test"));
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 0);
  CHECK(dns_domain_equal(q.name[0], W("a.sub.test")));
  query_forget(&q);

  /* out of bailiwick (owner above the zone asked): ignored, as a CNAME
     only would be; a CNAME that disagrees with the DNAME: the CNAME */
  CHECK_EQ_INT(query_begin(&q, W("x.y.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8400, W("x.y.z.test"), DNS_T_A);
  p_dname(&p, W("test"), 300, W("evil.example"));
  p_name(&p, 0, W("x.y.z.test"), DNS_T_CNAME, 300, W("other.test"));
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 0);
  CHECK(dns_domain_equal(q.name[0], W("other.test")));
  CHECK(!cachedata_get(DNS_T_DNAME, W("test"), &len, &ttl));
  CHECK(cachedata_get(DNS_T_CNAME, W("x.y.z.test"), &len, &ttl) != NULL);
  query_forget(&q);
  /* a synthesized name over 255 bytes: the DNAME is not followed */
  {
    char longt[DNS_NAME_MAX];
    memset(longt, 0, sizeof longt);
    for (unsigned int i = 0; i < 4; ++i) { longt[i * 63] = 62; memset(longt + i * 63 + 1, 'a', 62); }
    CHECK_EQ_INT(dns_domain_length(longt), 253);
    CHECK_EQ_INT(query_begin(&q, W("www.e.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
    p_init(&p, 1, 0x8400, W("www.e.z.test"), DNS_T_A);
    p_dname(&p, W("e.z.test"), 300, longt);
    CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
    CHECK_EQ_INT(resp_header().ancount, 0);
  }
}

/* Decision 21 ($SERVESTALE), with the clock moved by hand. */
static void t_servestale(void)
{
  struct query q;
  struct pkt p;
  setup(&q, 0);
  query_servestale(100);
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(referral_to_test(&q, W("www.z.test"), DNS_T_A), 0);
  CHECK_EQ_INT(referral_to_z(&q, W("www.z.test"), 3000, 3000), 0);
  p_init(&p, 1, 0x8400, W("www.z.test"), DNS_T_A);
  p_a(&p, 0, W("www.z.test"), 10, WWW);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
  fakenow += 50;   /* expired 40 s ago */
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK(logged("servfail www.z.test. input/output error\nstale 1 www.z.test.\n"));
  CHECK_EQ_INT(resp_header().flags, 0x8180);
  CHECK(!strcmp(resp_answers(), "1 www.z.test 30 192.0.2.99\n"));
  /* the failure is recent (RFC 8767's recheck): stale at once, nothing sent */
  fakenow += QUERY_STALE_RECHECK - 1;
  log_begin();
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(logged("stale 1 www.z.test.\n"));
  CHECK(!logged("tx "));
  CHECK(!strcmp(resp_answers(), "1 www.z.test 30 192.0.2.99\n"));
  /* ... but not another type of the name */
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_MX, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q.staleat, 0);   /* and no timer: nothing stale for it */
  query_forget(&q);
  /* once the recheck is over: the client timer starts */
  fakenow += 2;
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(q.staleat == fakenow * 1000 + QUERY_STALE_CLIENT_MS);
  /* it runs out: the stale answer for the client, the query goes on */
  log_begin();
  CHECK_EQ_INT(query_staletimer(&q), 2);
  CHECK(logged("stale 1 www.z.test.\n"));
  CHECK(!strcmp(resp_answers(), "1 www.z.test 30 192.0.2.99\n"));
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(q.background && !q.staleat);
  CHECK_EQ_INT(query_staletimer(&q), 0);   /* once only */
  /* a second client meanwhile waits for it; its timer ends it */
  {
    struct query q2;
    memset(&q2, 0, sizeof q2);
    CHECK_EQ_INT(query_begin(&q2, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
    CHECK_EQ_INT(q2.state, QUERY_WAIT);
    CHECK(q2.staleat != 0);
    CHECK_EQ_INT(query_staletimer(&q2), 1);
    CHECK_EQ_INT(q2.state, QUERY_IDLE);
    CHECK(!strcmp(resp_answers(), "1 www.z.test 30 192.0.2.99\n"));
  }
  /* the server answers again: the background query refreshes the cache */
  p_init(&p, 1, 0x8400, W("www.z.test"), DNS_T_A);
  p_a(&p, 0, W("www.z.test"), 10, WWW);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, GLUE), 1);
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(!strcmp(resp_answers(), "1 www.z.test 10 192.0.2.99\n"));
  /* a background query that fails ends quietly (-1) and starts a recheck */
  fakenow += 20;
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(query_staletimer(&q), 2);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), -1);
  CHECK(!logged("stale"));
  CHECK_EQ_INT(q.state, QUERY_IDLE);
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 1);
  CHECK(!strcmp(resp_answers(), "1 www.z.test 30 192.0.2.99\n"));
  fakenow += QUERY_STALE_RECHECK;
  /* expired longer ago than $SERVESTALE: SERVFAIL */
  fakenow += 200;
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  CHECK(!logged("stale"));
  /* a stale CNAME chain to a stale record */
  cachedata_set(DNS_T_CNAME, W("alias.z.test"), W("www.z.test"), dns_domain_length(W("www.z.test")), 5);
  cachedata_set(DNS_T_A, W("www.z.test"), (const char *)WWW, 4, 5);
  fakenow += 10;
  CHECK_EQ_INT(query_begin(&q, W("alias.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK(logged("stale 1 www.z.test.\n"));
  CHECK(!strcmp(resp_answers(), "5 alias.z.test 30 www.z.test\n1 www.z.test 30 192.0.2.99\n"));
  /* the client timer on a CNAME chain: the same answer */
  fakenow += QUERY_STALE_RECHECK;
  cachedata_set(DNS_T_CNAME, W("alias.z.test"), W("www.z.test"), dns_domain_length(W("www.z.test")), 5);
  cachedata_set(DNS_T_A, W("www.z.test"), (const char *)WWW, 4, 5);
  fakenow += 10;
  CHECK_EQ_INT(query_begin(&q, W("alias.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(q.staleat != 0);
  CHECK_EQ_INT(query_staletimer(&q), 2);
  CHECK(!strcmp(resp_answers(), "5 alias.z.test 30 www.z.test\n1 www.z.test 30 192.0.2.99\n"));
  query_forget(&q);
  /* unset: exactly SERVFAIL, no timer */
  query_servestale(0);
  fakenow += 10;
  CHECK_EQ_INT(query_begin(&q, W("www.z.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(q.staleat, 0);
  CHECK_EQ_INT(query_failed(&q), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
}

/* ------------------------------------------------ IPv6 name servers (SPEC 4.1) */

static const unsigned char V6NS[16] = { 0xfd, 0, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 },
  V6NS2[16] = { 0xfd, 0, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20 },
  LOOP6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
  ANY6[16] = { 0 };

static void p_aaaa(struct pkt *p, int s, const char *owner, uint32_t ttl, const unsigned char ip[16])
{
  p_rr(p, s, owner, DNS_T_AAAA, ttl, (const char *)ip, 16);
}

/* a zone whose only name server has only AAAA glue resolves through it;
   a dual-stack server's AAAA is not used while its A is known */
static void t_ipv6_glue(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char ip[4] = { 192, 0, 2, 61 }, dualv4[4] = { 192, 0, 2, 20 };
  setup(&q, 0);
  query_disableipv6(0);
  CHECK_EQ_INT(query_begin(&q, W("www.v6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www.v6.test"), DNS_T_A);
  p_name(&p, 1, W("v6.test"), DNS_T_NS, 3000, W("ns.v6.test"));
  p_aaaa(&p, 2, W("ns.v6.test"), 3000, V6NS);
  log_begin();
  CHECK_EQ_INT(query_packet(&q, p.b, p.len, V6NS2), 0);   /* from an IPv6 root */
  CHECK(logged("rr fd000053000000000000000000000020 3000 28 ns.v6.test. fd000053000000000000000000000010\n"));
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK_EQ_INT(q.level, 0);
  CHECK(has_server16(&q, V6NS));
  CHECK_EQ_INT(nservers(&q), 1);
  CHECK(logged("cached 28 ns.v6.test.\n"));
  CHECK(logged("tx 0 1 www.v6.test. v6.test. fd000053000000000000000000000010\n"));
  p_init(&p, 1, 0x8400, W("www.v6.test"), DNS_T_A);
  p_a(&p, 0, W("www.v6.test"), 300, ip);
  CHECK_EQ_INT(query_packet(&q, p.b, p.len, V6NS), 1);
  CHECK(!strcmp(resp_answers(), "1 www.v6.test 300 192.0.2.61\n"));

  /* dual stack glue: A only */
  CHECK_EQ_INT(query_begin(&q, W("www.dual.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www.dual.test"), DNS_T_A);
  p_name(&p, 1, W("dual.test"), DNS_T_NS, 3000, W("ns.dual.test"));
  p_aaaa(&p, 2, W("ns.dual.test"), 3000, V6NS2);
  p_a(&p, 2, W("ns.dual.test"), 3000, dualv4);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK(has_server(&q, dualv4));
  CHECK(!has_server16(&q, V6NS2));
  CHECK_EQ_INT(nservers(&q), 1);
  query_forget(&q);

  /* $DISABLEIPV6: the AAAA-only zone has no server (SERVFAIL, nothing sent) */
  setup(NULL, 0);
  query_disableipv6(1);
  CHECK_EQ_INT(query_begin(&q, W("www.v6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  p_init(&p, 1, 0x8000, W("www.v6.test"), DNS_T_A);
  p_name(&p, 1, W("v6.test"), DNS_T_NS, 3000, W("ns.v6.test"));
  p_aaaa(&p, 2, W("ns.v6.test"), 3000, V6NS);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  /* its A is asked for (never its AAAA), from v6.test's servers: the
     cycle of a zone without glue, as 1.05 */
  CHECK(q.level >= 1);
  CHECK(!strstr(log_text(), "tx 1 28") && !strstr(log_text(), "cached 28"));
  CHECK(!has_server16(&q, V6NS));
  query_forget(&q);
  query_disableipv6(0);
}

/* glueless: the NS name's A first; NODATA for it, then its AAAA */
static void t_ipv6_nsaaaa(void)
{
  struct query q;
  struct pkt p;
  static const unsigned char ip[4] = { 192, 0, 2, 62 };
  begin_at_test(&q, W("www.gl6.test"), DNS_T_A);
  p_init(&p, 1, 0x8000, W("www.gl6.test"), DNS_T_A);
  p_name(&p, 1, W("gl6.test"), DNS_T_NS, 3000, W("host6.v6.example"));
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 0);
  CHECK_EQ_INT(q.level, 1);
  CHECK(logged("tx 1 1 host6.v6.example. . 7f350001\n"));
  p_init(&p, 1, 0x8400, W("host6.v6.example"), DNS_T_A);
  p_soa(&p, 1, W("example"), 300, 300);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.level, 1);
  CHECK(logged("nodata 7f350001 300 1 host6.v6.example.\n"));
  CHECK(logged("tx 1 28 host6.v6.example. . 7f350001\n"));
  p_init(&p, 1, 0x8400, W("host6.v6.example"), DNS_T_AAAA);
  p_aaaa(&p, 0, W("host6.v6.example"), 3000, V6NS);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.level, 0);
  CHECK(has_server16(&q, V6NS));
  CHECK_EQ_INT(nservers(&q), 1);
  CHECK(logged("tx 0 1 www.gl6.test. gl6.test. fd000053000000000000000000000010\n"));
  p_init(&p, 1, 0x8400, W("www.gl6.test"), DNS_T_A);
  p_a(&p, 0, W("www.gl6.test"), 300, ip);
  CHECK_EQ_INT(query_packet(&q, p.b, p.len, V6NS), 1);
  CHECK(!strcmp(resp_answers(), "1 www.gl6.test 300 192.0.2.62\n"));
  /* again from the cache: A known empty, the AAAA cached */
  CHECK_EQ_INT(query_begin(&q, W("www2.gl6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server16(&q, V6NS));
  CHECK_EQ_INT(nservers(&q), 1);
  query_forget(&q);
}

/* SPEC 4.3 for IPv6: ::1 learned from the network only with
   $QUERYLOOPBACK, :: never; servers/ files always honoured */
static void t_ipv6_loopback(void)
{
  struct query q;
  struct pkt p;
  char servers[DNS_SERVERS_LEN];
  setup(&q, 0);
  query_queryloopback(0);
  p_init(&p, 1, 0x8000, W("www.lo6.test"), DNS_T_A);
  p_name(&p, 1, W("lo6.test"), DNS_T_NS, 3000, W("ns1.lo6.test"));
  p_name(&p, 1, W("lo6.test"), DNS_T_NS, 3000, W("ns2.lo6.test"));
  p_name(&p, 1, W("lo6.test"), DNS_T_NS, 3000, W("ns3.lo6.test"));
  p_aaaa(&p, 2, W("ns1.lo6.test"), 3000, LOOP6);
  p_aaaa(&p, 2, W("ns2.lo6.test"), 3000, ANY6);
  p_aaaa(&p, 2, W("ns3.lo6.test"), 3000, V6NS);
  CHECK_EQ_INT(query_begin(&q, W("www.lo6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 0);
  CHECK_EQ_INT(q.state, QUERY_SEND);
  CHECK(has_server16(&q, V6NS));
  CHECK(!has_server16(&q, LOOP6));
  CHECK_EQ_INT(nservers(&q), 1);
  query_forget(&q);
  /* only ::1: SERVFAIL, nothing sent */
  p_init(&p, 1, 0x8000, W("www.bl6.test"), DNS_T_A);
  p_name(&p, 1, W("bl6.test"), DNS_T_NS, 3000, W("ns.bl6.test"));
  p_aaaa(&p, 2, W("ns.bl6.test"), 3000, LOOP6);
  CHECK_EQ_INT(query_begin(&q, W("www.bl6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, ROOT1), 1);
  CHECK_EQ_INT(resp_header().flags, 0x8182);
  CHECK(!logged("tx "));
  /* with $QUERYLOOPBACK: ::1 is used, :: still never */
  query_queryloopback(1);
  CHECK_EQ_INT(query_begin(&q, W("www.lo6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server16(&q, V6NS) && has_server16(&q, LOOP6));
  CHECK_EQ_INT(nservers(&q), 2);
  query_forget(&q);
  /* servers/ lines are used as written: ::1 and IPv4 together */
  query_queryloopback(0);
  memset(servers, 0, sizeof servers);
  memcpy(servers, LOOP6, 16);
  ip6_from4((unsigned char *)servers + 16, ROOT1);
  CHECK(roots_add6(W("fwd6.test"), servers));
  CHECK_EQ_INT(query_begin(&q, W("www.fwd6.test"), DNS_T_A, DNS_C_IN, zero4), 0);
  CHECK(has_server16(&q, LOOP6) && has_server(&q, ROOT1));
  CHECK_EQ_INT(nservers(&q), 2);
  query_forget(&q);
  query_queryloopback(1);
}

/* out-of-bailiwick AAAA glue is neither cached nor used */
static void t_ipv6_oob(void)
{
  struct query q;
  struct pkt p;
  begin_at_test(&q, W("www.z6.test"), DNS_T_A);
  p_init(&p, 1, 0x8000, W("www.z6.test"), DNS_T_A);
  p_name(&p, 1, W("z6.test"), DNS_T_NS, 3000, W("ns.z6.example"));
  p_aaaa(&p, 2, W("ns.z6.example"), 3000, V6NS);   /* test. cannot vouch for it */
  log_begin();
  CHECK_EQ_INT(packet4(&q, p.b, p.len, TEST1), 0);
  CHECK_EQ_INT(q.level, 1);   /* asked for, not taken from the glue */
  CHECK(logged("tx 1 1 ns.z6.example. . 7f350001\n"));
  CHECK(!cachedata_getglue6(W("z6.test"), &(unsigned int){0}, &(uint32_t){0}));
  query_forget(&q);
}

int main(void)
{
  logfile = tmpfile();
  if (!logfile) return 111;
  dup2(fileno(logfile), 2);
  clock_setsource(fakeclock);
  RUN(t_ttlget);
  RUN(t_local);
  RUN(t_cname_local);
  RUN(t_full_resolution);
  RUN(t_cname);
  RUN(t_cname_loop);
  RUN(t_nxdomain);
  RUN(t_nodata);
  RUN(t_lame);
  RUN(t_servfail_transport);
  RUN(t_glueless);
  RUN(t_merge);
  RUN(t_malformed);
  RUN(t_soa_direct);
  RUN(t_forwardonly);
  RUN(t_bailiwick_servers);
  RUN(t_ttl_rules);
  RUN(t_cache_formats);
  RUN(t_level_limit);
  RUN(t_step_limit);
  RUN(t_loopback);
  RUN(t_glue_fallback);
  RUN(t_glue_first);
  RUN(t_glue_nslookup_referral);
  RUN(t_lame_nodata);
  RUN(t_dname);
  RUN(t_servestale);
  RUN(t_ipv6_glue);
  RUN(t_ipv6_nsaaaa);
  RUN(t_ipv6_loopback);
  RUN(t_ipv6_oob);
  return unit_done();
}
