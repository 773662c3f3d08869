/* fuzz_clientquery.c: libFuzzer target for the daemon's acceptance of a
   client query and what follows it up to the first upstream send: the
   same clientquery.c the daemon calls, then query_begin.
   Input: 2 bytes of client port (big endian), then the packet as it
   arrived over UDP (or the body of a TCP frame).  Checked:
     - the UDP size rule (>= 1024 bytes dropped) and the port rule (< 1024
       and not 53 dropped; an address without an ip/ entry dropped);
     - an accepted packet is a plain query: QR, opcode, TC clear, RD set,
       one question of class IN or ANY, and the name handed on is the
       well-formed name of that question (an independent parse);
     - the TCP path (the first 1024 bytes of a frame) decides the same for
       a packet that fits;
     - AXFR is refused before any resolution (EPERM), unless the OPT
       is bad: FORMERR or BADVERS is answered first, for any type;
     - EDNS (SPEC 4.2): what dns_opt_find says of the packet decides
       edns, the UDP limit (512 without EDNS, 512..1232 with) and the
       error (FORMERR for a bad OPT, BADVERS for a version above 0), and
       UDP and TCP agree on it for a packet that fits;
     - query_begin (the engine, no socket) on the question: an answer
       from local names or the cache parses, carries the client's ID and
       question, and response_tc() on it leaves TC set and ANCOUNT 0.
   Build: make fuzz. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cache.h"
#include "clientquery.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_opt.h"
#include "dns_packet.h"
#include "log.h"
#include "query.h"
#include "cachedata.h"
#include "response.h"
#include "roots.h"

static const unsigned char myipoutgoing[4] = { 127, 0, 0, 1 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static int ipdir = -1, homedir = -1;   /* the ip/ directory's parent; our cwd */

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

static int wellformed(const char *d)
{
  const unsigned char *x = (const unsigned char *)d;
  unsigned int pos = 0;
  for (;;) {
    if (pos >= DNS_NAME_MAX || x[pos] > DNS_LABEL_MAX) return 0;
    if (!x[pos]) return 1;
    pos += x[pos] + 1u;
  }
}

static char tmpdir_made[64];

/* The temporary ip/ tree goes when the fuzzer exits. */
static void remove_tmpdir(void)
{
  char fn[sizeof tmpdir_made + 8];
  if (!tmpdir_made[0]) return;
  snprintf(fn, sizeof fn, "%s/ip/127", tmpdir_made);
  unlink(fn);
  snprintf(fn, sizeof fn, "%s/ip", tmpdir_made);
  rmdir(fn);
  rmdir(tmpdir_made);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  char dir[] = "/tmp/fuzz_clientquery.XXXXXX";
  static const unsigned char root1[4] = { 127, 53, 0, 1 };
  static const unsigned char key[16] = { 7 };
  char servers[64];
  unsigned char ip[4] = { 192, 0, 2, 1 };
  (void)argc; (void)argv;
  /* ip/127 lets 127.* in, as dnscache-conf's default */
  if (mkdtemp(dir)) {
    char fn[sizeof dir + 8];
    FILE *f;
    snprintf(fn, sizeof fn, "%s/ip", dir);
    mkdir(fn, 0755);
    snprintf(fn, sizeof fn, "%s/ip/127", dir);
    if ((f = fopen(fn, "w"))) fclose(f);
    ipdir = open(dir, O_RDONLY | O_DIRECTORY);
    snprintf(tmpdir_made, sizeof tmpdir_made, "%s", dir);
    atexit(remove_tmpdir);
  }
  homedir = open(".", O_RDONLY | O_DIRECTORY);
  if (ipdir == -1 || homedir == -1) bad("no temporary ip/ directory");
  cache_setkey(key);
  cache_init(100000);
  memset(servers, 0, sizeof servers);
  memcpy(servers, root1, 4);
  roots_add("", servers);
  query_init(0, 0);
  /* a few cached names so that some queries are answered at once */
  {
    char d[DNS_NAME_MAX], target[DNS_NAME_MAX];
    dns_domain_fromdot(d, "www.test", 8);
    cachedata_set(DNS_T_A, d, (const char *)ip, 4, 300);
    dns_domain_fromdot(d, "alias.test", 10);
    dns_domain_fromdot(target, "www.test", 8);
    cachedata_set(DNS_T_CNAME, d, target, dns_domain_length(target), 300);
    dns_domain_fromdot(d, "nx.test", 7);
    cachedata_set(DNS_T_ANY, d, "", 0, 300);
  }
  return 0;
}

/* The independent reading of what clientquery_parse must accept. */
static int plain_query(const char *buf, unsigned int len, char name[DNS_NAME_MAX],
                       uint16_t *qtype, uint16_t *qclass, uint16_t *id)
{
  const unsigned char *x = (const unsigned char *)buf;
  unsigned int pos = 12, nl = 0;
  if (len < 12) return 0;
  if (x[2] & 0x80) return 0;           /* QR */
  if (x[2] & 0x78) return 0;           /* opcode */
  if (x[2] & 0x02) return 0;           /* TC */
  if (!(x[2] & 0x01)) return 0;        /* RD */
  if (x[4] != 0 || x[5] != 1) return 0;
  *id = (uint16_t)(x[0] << 8 | x[1]);
  /* compressed question names are legal: let the reader decompress,
     then check the result separately */
  pos = dns_packet_getname(buf, len, pos, name);
  if (!pos || pos + 4 > len) return 0;
  while (name[nl]) nl += (unsigned char)name[nl] + 1u;
  *qtype = (uint16_t)(x[pos] << 8 | x[pos + 1]);
  *qclass = (uint16_t)(x[pos + 2] << 8 | x[pos + 3]);
  return *qclass == DNS_C_IN || *qclass == DNS_C_ANY;
}

/* EDNS as dns_opt_find sees the packet (an independent call of it) */
static void check_edns(const char *buf, unsigned int len, const struct clientquery *qu)
{
  struct dns_header h;
  struct dns_opt o;
  unsigned int pos = dns_packet_header(buf, len, &h);
  pos = dns_packet_skipname(buf, len, pos);
  if (!pos || pos + 4 > len) bad("accepted question rereads");
  switch (dns_opt_find(buf, len, pos + 4, &h, &o)) {
  case DNS_OPT_ONE:
    if (!qu->edns.on) bad("OPT not seen");
    if (o.version ? qu->edns.rcode != DNS_R_BADVERS || qu->edns.udpmax != 512
                  : qu->edns.rcode || qu->edns.udpmax != dns_opt_udplimit(&o))
      bad("OPT judged");
    break;
  case DNS_OPT_BAD:
    if (!qu->edns.on || qu->edns.rcode != DNS_R_FORMERR || qu->edns.udpmax != 512) bad("bad OPT judged");
    break;
  default:
    if (qu->edns.on || qu->edns.rcode || qu->edns.udpmax != 512) bad("EDNS without OPT");
  }
  if (qu->edns.udpmax < 512 || qu->edns.udpmax > DNS_OPT_UDPSIZE) bad("udpmax");
}

static void check_answer(const struct clientquery *qu)
{
  const char *r;
  unsigned int rlen, pos, i;
  struct dns_header h;
  char got[DNS_NAME_MAX];
  uint16_t ty, cl;

  response_id(qu->id);
  r = response_data();
  rlen = response_len();
  pos = dns_packet_header(r, rlen, &h);
  if (!pos || h.id != qu->id || !(h.flags & DNS_F_QR) || h.qdcount != 1) bad("answer header");
  pos = dns_packet_question(r, rlen, pos, got, &ty, &cl);
  if (!pos || !dns_domain_equal(got, qu->name) || ty != qu->qtype) bad("answer question");
  for (i = 0; i < (unsigned int)h.ancount + h.nscount + h.arcount; i++) {
    pos = dns_packet_rr(r, rlen, pos, got, NULL);
    if (!pos) bad("answer record");
  }
  if (pos != rlen) bad("answer length");
  response_tc();
  r = response_data();
  rlen = response_len();
  pos = dns_packet_header(r, rlen, &h);
  if (!pos || h.ancount || !(h.flags & DNS_F_TC)) bad("response_tc");
  if (!dns_packet_question(r, rlen, pos, got, &ty, &cl)) bad("tc question");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* 16-byte addresses, IPv4 mapped: 127.0.0.1 and 10.1.2.3 */
  static const unsigned char client[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 };
  static const unsigned char stranger[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3 };
  struct clientquery qu, qt;
  char name[DNS_NAME_MAX];
  uint16_t port, qtype, qclass, id;
  unsigned int len;
  char *p;
  int udp_ok, tcp_ok, want;
  static struct query q;

  if (size < 2 || size > 2 + DNS_TCP_MAX) return 0;
  port = (uint16_t)(data[0] << 8 | data[1]);
  len = (unsigned int)size - 2;
  p = malloc(len ? len : 1);
  if (!p) return 0;
  memcpy(p, data + 2, len);

  /* the peer rules (okclient looks at ip/ in the current directory) */
  if (fchdir(ipdir) == -1) bad("fchdir");
  if (clientquery_okpeer6(stranger, port)) bad("peer without ip/ entry accepted");
  if (clientquery_okpeer6(client, port) != !(port < 1024 && port != 53)) bad("port rule");
  if (fchdir(homedir) == -1) bad("fchdir back");

  /* the packet rules, UDP (whole datagram, if under 1024 bytes) */
  memset(&qu, 0, sizeof qu);
  if (fchdir(ipdir) == -1) bad("fchdir");
  udp_ok = clientquery_udp6(p, len, client, port, &qu);
  if (fchdir(homedir) == -1) bad("fchdir back");
  want = plain_query(p, len, name, &qtype, &qclass, &id);
  if (udp_ok != (len < CLIENTQUERY_UDP_MAX && !(port < 1024 && port != 53) && want))
    bad("clientquery_udp6 disagrees");
  if (udp_ok) {
    if (!wellformed(qu.name)) bad("accepted name");
    if (!dns_domain_equal(qu.name, name) || qu.qtype != qtype || qu.qclass != qclass || qu.id != id)
      bad("accepted question");
  }

  if (udp_ok) check_edns(p, len, &qu);

  /* TCP: only the first CLIENTQUERY_TCP_KEEP bytes of a frame are kept */
  memset(&qt, 0, sizeof qt);
  tcp_ok = clientquery_tcp(p, len, &qt);
  if (len <= CLIENTQUERY_TCP_KEEP && tcp_ok != want) bad("clientquery_tcp disagrees");
  if (tcp_ok && !wellformed(qt.name)) bad("tcp accepted name");
  if (tcp_ok && udp_ok && (qt.edns.on != qu.edns.on || qt.edns.udpmax != qu.edns.udpmax || qt.edns.rcode != qu.edns.rcode))
    bad("UDP and TCP disagree on EDNS");

  if (tcp_ok) {
    /* what the daemon does next, without sockets */
    if (qt.edns.rcode) {
      /* a bad OPT or version is answered before anything else, AXFR too */
      if (clientquery_start(&q, &qt, myipoutgoing) != 1) bad("EDNS error not answered");
      if ((response_data()[3] & 15) != (qt.edns.rcode & 15)) bad("EDNS error RCODE");
    } else if (qt.qtype == DNS_T_AXFR) {
      errno = 0;
      if (clientquery_start(&q, &qt, myipoutgoing) != -1 || errno != EPERM) bad("AXFR not refused");
    } else {
      int r = query_begin(&q, qt.name, qt.qtype, qt.qclass, myipoutgoing);
      if (r == 1) check_answer(&qt);
      else if (r == 0) {
        if (q.state != QUERY_SEND && q.state != QUERY_WAIT) bad("query state");
        query_forget(&q);
      }
      if (q.state != QUERY_IDLE) bad("query left busy");
    }
  }
  log_flush();
  free(p);
  return 0;
}
