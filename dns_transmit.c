/* dns_transmit.c: one query to a list of servers, without blocking.
   Guarantees: every try uses a fresh socket (random source port, random
   ID) connect()ed to the server, so only that server's replies are read;
   a reply is accepted only when its ID and question match the query; no
   socket is left open once a reply is accepted or every server failed;
   a reply is kept (malloced, exact size) only until the next start/free,
   and UDP replies are read into one static 64 KiB buffer shared by all
   transmissions (SPEC 2.6, decision 10).  An IPv6 server that cannot
   even be tried (no socket, source or route) fails at once (SPEC 4.1).
   EDNS0 upstream (SPEC 4.2, dns_transmit.h): the "no EDNS" memory is a
   fixed table owned here, never allocated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dns_transmit.h"
#include "dns.h"
#include "dns_packet.h"
#include "dns_opt.h"
#include "dns_domain.h"
#include "dns_random.h"
#include "socket.h"
#include "ip6.h"
#include "clock.h"
#include "uint.h"

static const unsigned int timeouts[4] = { 1, 3, 11, 45 };  /* seconds, by round */
#define TCP_TIMEOUT 10000   /* ms: connect+send, then receive */

static char udpbuf[65536];
static unsigned char ip6send[16];   /* source for IPv6 servers: :: by default */
static int ip6disabled;

/* ------------------------------------------------------------ EDNS0 */

static int ednson;
/* A server seen failing with EDNS: "no EDNS" while now < until; or, with
   until 0, only counting timeouts of queries with OPT in a row. */
static struct noedns {
  unsigned char ip[16];
  int64_t until;
  unsigned int timeouts;
  int used;
} noedns[DNS_TRANSMIT_NOEDNS];

void dns_transmit_edns(int on)
{
  ednson = on;
}

static struct noedns *noedns_find(const unsigned char ip[16])
{
  for (unsigned int i = 0; i < DNS_TRANSMIT_NOEDNS; i++)
    if (noedns[i].used && !memcmp(noedns[i].ip, ip, 16)) return &noedns[i];
  return NULL;
}

/* The entry for ip, made if need be (see dns_transmit.h for eviction). */
static struct noedns *noedns_take(const unsigned char ip[16], int64_t now)
{
  struct noedns *e = noedns_find(ip), *best = NULL;
  if (e) return e;
  for (unsigned int i = 0; i < DNS_TRANSMIT_NOEDNS; i++) {
    struct noedns *x = &noedns[i];
    if (!x->used || (x->until && x->until <= now)) { best = x; break; }
    if (!x->until) { if (!best || best->until) best = x; continue; }
    if (!best || (best->until && x->until < best->until)) best = x;
  }
  memset(best, 0, sizeof *best);
  memcpy(best->ip, ip, 16);
  best->used = 1;
  return best;
}

int dns_transmit_noedns(const unsigned char server[16], int64_t now)
{
  const struct noedns *e = noedns_find(server);
  return e && e->until > now;
}

static void noedns_mark(const unsigned char ip[16], int64_t now)
{
  struct noedns *e = noedns_take(ip, now);
  e->until = now + DNS_TRANSMIT_NOEDNS_MS;
  e->timeouts = 0;
}

/* A query with OPT to ip timed out: the second in a row makes it "no EDNS". */
static void noedns_timeout(const unsigned char ip[16], int64_t now)
{
  struct noedns *e = noedns_take(ip, now);
  if (e->until > now) return;
  e->until = 0;
  if (++e->timeouts >= 2) noedns_mark(ip, now);
}

/* A reply came to a query with OPT: timeouts no longer count in a row. */
static void noedns_reply(const unsigned char ip[16])
{
  struct noedns *e = noedns_find(ip);
  if (e && !e->until) e->used = 0;
}

/* Whether a reply (it passed dns_transmit_check) to a query with OPT says
   the server cannot take EDNS: FORMERR, NOTIMP, BADVERS, or records that
   cannot be read or a malformed OPT. */
static int rejects_edns(const char *buf, unsigned int len)
{
  struct dns_header h;
  struct dns_opt o;
  unsigned int rcode, pos = dns_packet_header(buf, len, &h);
  pos = dns_packet_skipname(buf, len, pos);
  if (!pos || pos + 4 > len) return 1;
  switch (dns_opt_find(buf, len, pos + 4, &h, &o)) {
    case DNS_OPT_ONE: rcode = dns_opt_rcode(&h, &o); break;
    case DNS_OPT_NONE: rcode = dns_opt_rcode(&h, NULL); break;
    default: return 1;
  }
  return rcode == DNS_R_FORMERR || rcode == DNS_R_NOTIMP || rcode == DNS_R_BADVERS;
}

/* The query as the current UDP try sends it: with an OPT unless EDNS is
   off or the server is "no EDNS".  Returns its length. */
static unsigned int udp_query(struct dns_transmit *t, const unsigned char *server, int64_t now)
{
  char *q = t->query + 2;
  t->optsent = ednson && !dns_transmit_noedns(server, now);
  uint16_pack_big(q + 10, t->optsent ? 1 : 0);
  if (!t->optsent) return t->querylen;
  return t->querylen + dns_opt_write(q + t->querylen, DNS_OPT_RRLEN, DNS_OPT_UDPSIZE, 0, 0);
}

/* TCP queries carry no OPT. */
static void tcp_query(struct dns_transmit *t)
{
  t->optsent = 0;
  uint16_pack_big(t->query + 2 + 10, 0);
}

void dns_transmit_ip6(const unsigned char ipsend6[16], int disabled)
{
  memcpy(ip6send, ipsend6, 16);
  ip6disabled = disabled;
}

static const unsigned char *slot(const struct dns_transmit *t)
{
  return (const unsigned char *)t->servers + 16 * t->curserver;
}

int dns_transmit_check(const char *query, unsigned int querylen,
                       const char *buf, unsigned int len)
{
  struct dns_header h;
  char qname[DNS_NAME_MAX], rname[DNS_NAME_MAX];
  uint16_t qtype, qclass, rtype, rclass;
  unsigned int pos;

  if (!dns_packet_header(buf, len, &h)) return DNS_TRANSMIT_IRRELEVANT;
  if (querylen < 12 || memcmp(buf, query, 2)) return DNS_TRANSMIT_IRRELEVANT;
  if (!(h.flags & DNS_F_QR) || h.qdcount != 1) return DNS_TRANSMIT_IRRELEVANT;
  if (!dns_packet_question(query, querylen, 12, qname, &qtype, &qclass))
    return DNS_TRANSMIT_IRRELEVANT;
  pos = dns_packet_question(buf, len, 12, rname, &rtype, &rclass);
  if (!pos) return DNS_TRANSMIT_IRRELEVANT;
  if (!dns_domain_equal(qname, rname) || rtype != qtype || rclass != DNS_C_IN)
    return DNS_TRANSMIT_IRRELEVANT;
  if (h.flags & DNS_F_TC) return DNS_TRANSMIT_TC;
  if ((h.flags & DNS_F_RCODE) != DNS_R_NOERROR && (h.flags & DNS_F_RCODE) != DNS_R_NXDOMAIN)
    return DNS_TRANSMIT_BADRCODE;
  return DNS_TRANSMIT_OK;
}

static void closesock(struct dns_transmit *t)
{
  if (t->s1) close(t->s1 - 1);
  t->s1 = 0;
}

static void droppacket(struct dns_transmit *t)
{
  free(t->packet);
  t->packet = NULL;
  t->packetlen = 0;
}

void dns_transmit_free(struct dns_transmit *t)
{
  closesock(t);
  droppacket(t);
  t->tcpstate = 0;
}

/* A socket of the current server's family and kind, bound to that
   family's source at a random high port (10 tries, then any port).  -1
   with errno if it cannot be created. */
static int freshsocket(struct dns_transmit *t, int tcp)
{
  static const unsigned char any4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const unsigned char *server = slot(t), *src;
  unsigned int i;
  int fd = tcp ? socket_tcp46(server) : socket_udp46(server);
  if (fd == -1) return -1;
  if (ip6_isv4mapped(server))
    src = ip6_isv4mapped(t->localip) ? t->localip : any4;
  else
    src = ip6send;
  for (i = 0; i < 10; ++i)
    if (socket_bind6(fd, src, (uint16_t)(1025 + dns_random(64510)), 0) == 0) break;
  if (i == 10 && socket_bind6(fd, src, 0, 0) == -1) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  t->s1 = fd + 1;
  return fd;
}

static void newid(struct dns_transmit *t)
{
  unsigned char id[2];
  dns_random_bytes(id, 2);
  memcpy(t->query + 2, id, 2);
}

/* Finds the next usable slot at or after curserver; 0 if none left. */
static int nextslot(struct dns_transmit *t)
{
  while (t->curserver < DNS_SERVERS) {
    const unsigned char *s = slot(t);
    if (!ip6_isempty(s) && !(ip6disabled && !ip6_isv4mapped(s))) return 1;
    ++t->curserver;
  }
  return 0;
}

/* freshsocket failed for the current server: for an IPv6 server that is
   its failure (a host without IPv6 moves on at once); for IPv4 the whole
   transmission fails, as the original. */
static int socketfailed(struct dns_transmit *t)
{
  if (ip6_isv4mapped(slot(t))) return 0;
  t->lasterr = errno;
  ++t->curserver;
  return 1;
}

/* UDP: send to the current (or next usable) server in the current round,
   moving on through the rounds.  0 sent, -1 every round is used up. */
static int udp_send(struct dns_transmit *t, int64_t now)
{
  for (;;) {
    int fd;
    closesock(t);
    if (!nextslot(t)) {
      if (++t->udploop >= 4) { errno = t->lasterr; return -1; }
      t->curserver = 0;
      continue;
    }
    fd = freshsocket(t, 0);
    if (fd == -1) {
      if (socketfailed(t)) continue;
      return -1;
    }
    newid(t);
    unsigned int n = udp_query(t, slot(t), now);
    if (socket_connect6(fd, slot(t), 53, 0) == 0
        && write(fd, t->query + 2, n) == (ssize_t)n) {
      t->deadline = now + 1000 * (int64_t)timeouts[t->udploop];
      return 0;
    }
    t->lasterr = errno;
    ++t->curserver;
  }
}

static int udp_next(struct dns_transmit *t, int64_t now)
{
  ++t->curserver;
  return udp_send(t, now);
}

/* TCP: one pass over the list from curserver.  0 connecting, -1 none left. */
static int tcp_send(struct dns_transmit *t, int64_t now)
{
  for (;;) {
    int fd;
    closesock(t);
    droppacket(t);
    if (!nextslot(t)) { errno = t->lasterr; return -1; }
    fd = freshsocket(t, 1);
    if (fd == -1) {
      if (socketfailed(t)) continue;
      return -1;
    }
    newid(t);
    tcp_query(t);
    if (socket_connect6(fd, slot(t), 53, 0) == 0) {
      t->tcpstate = 1;
      t->pos = 0;
      t->deadline = now + TCP_TIMEOUT;
      return 0;
    }
    t->lasterr = errno;
    ++t->curserver;
  }
}

static int tcp_next(struct dns_transmit *t, int64_t now)
{
  ++t->curserver;
  return tcp_send(t, now);
}

int dns_transmit_start(struct dns_transmit *t, const char servers[DNS_SERVERS_LEN],
                       int recursive, const char *qname, uint16_t qtype,
                       const unsigned char localip[16])
{
  unsigned int len;
  dns_transmit_free(t);
  len = dns_packet_query(t->query + 2, sizeof t->query - 2, qname, qtype, 0, recursive);
  if (!len) { errno = EPROTO; return -1; }
  t->querylen = len;
  uint16_pack_big(t->query, (uint16_t)len);
  memcpy(t->servers, servers, DNS_SERVERS_LEN);
  memcpy(t->localip, localip, 16);
  memset(t->server, 0, 16);
  t->lasterr = ETIMEDOUT;
  t->curserver = 0;
  t->udploop = recursive ? 1 : 0;
  t->tcpstate = 0;
  t->optsent = 0;
  if (len + 0 > DNS_UDP_MAX) return tcp_send(t, clock_ms());
  return udp_send(t, clock_ms());
}

void dns_transmit_io(struct dns_transmit *t, struct pollfd *x, int64_t *deadline)
{
  x->fd = t->s1 ? t->s1 - 1 : -1;
  x->events = (t->tcpstate == 1 || t->tcpstate == 2) ? POLLOUT : POLLIN;
  x->revents = 0;
  if (t->s1 && t->deadline < *deadline) *deadline = t->deadline;
}

/* A complete reply is in t->packet: judge it.  1 accepted, else -1 (the
   caller moves on) with lasterr set. */
static int judge(struct dns_transmit *t)
{
  switch (dns_transmit_check(t->query + 2, t->querylen, t->packet, t->packetlen)) {
    case DNS_TRANSMIT_OK:
      memcpy(t->server, slot(t), 16);
      closesock(t);
      return 1;
    case DNS_TRANSMIT_BADRCODE: t->lasterr = EAGAIN; break;
    default: t->lasterr = EIO; break;   /* what the original reports */
  }
  droppacket(t);
  return -1;
}

static int udp_get(struct dns_transmit *t, int ready, int64_t now)
{
  if (ready) {
    ssize_t r = read(t->s1 - 1, udpbuf, sizeof udpbuf);
    if (r == -1) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
      t->lasterr = errno;
      if (t->udploop == 2) return 0;   /* the round-2 pause */
      return udp_next(t, now) == -1 ? -1 : 0;
    }
    int verdict = dns_transmit_check(t->query + 2, t->querylen, udpbuf, (unsigned int)r);
    if (verdict == DNS_TRANSMIT_IRRELEVANT) return 0;
    if (t->optsent) {
      if (rejects_edns(udpbuf, (unsigned int)r)) {
        /* the same server again at once, without OPT */
        noedns_mark(slot(t), now);
        return udp_send(t, now) == -1 ? -1 : 0;
      }
      noedns_reply(slot(t));
    }
    switch (verdict) {
      case DNS_TRANSMIT_TC:
        closesock(t);
        t->curserver = 0;
        return tcp_send(t, now) == -1 ? -1 : 0;
      case DNS_TRANSMIT_BADRCODE:
        t->lasterr = EAGAIN;
        if (t->udploop == 2) return 0;
        return udp_next(t, now) == -1 ? -1 : 0;
      default:
        t->packet = malloc((size_t)r);
        if (!t->packet) { errno = ENOMEM; dns_transmit_free(t); return -1; }
        memcpy(t->packet, udpbuf, (size_t)r);
        t->packetlen = (unsigned int)r;
        memcpy(t->server, slot(t), 16);
        closesock(t);
        return 1;
    }
  }
  if (now >= t->deadline) {
    t->lasterr = ETIMEDOUT;
    if (t->optsent) noedns_timeout(slot(t), now);
    return udp_next(t, now) == -1 ? -1 : 0;
  }
  return 0;
}

static int tcp_get(struct dns_transmit *t, int ready, int64_t now)
{
  int fd = t->s1 - 1;
  ssize_t r;
  if (!ready) {
    if (now < t->deadline) return 0;
    t->lasterr = ETIMEDOUT;
    return tcp_next(t, now) == -1 ? -1 : 0;
  }
  switch (t->tcpstate) {
    case 1:
      if (!socket_connected(fd)) break;
      t->tcpstate = 2;
      __attribute__((fallthrough));   /* the socket is writable */
    case 2:
      r = write(fd, t->query + t->pos, t->querylen + 2 - t->pos);
      if (r == -1) {
        if (errno == EAGAIN || errno == EINTR) return 0;
        break;
      }
      t->pos += (unsigned int)r;
      if (t->pos == t->querylen + 2) {
        t->tcpstate = 3;
        t->pos = 0;
        t->deadline = now + TCP_TIMEOUT;
      }
      return 0;
    case 3:
      r = read(fd, t->tcplen + t->pos, 2 - t->pos);
      if (r == -1 && (errno == EAGAIN || errno == EINTR)) return 0;
      if (r <= 0) { if (r == 0) errno = EPROTO; break; }
      t->pos += (unsigned int)r;
      if (t->pos < 2) return 0;
      t->packetlen = uint16_unpack_big(t->tcplen);
      if (!t->packetlen) { errno = EPROTO; break; }
      t->packet = malloc(t->packetlen);
      if (!t->packet) { errno = ENOMEM; dns_transmit_free(t); return -1; }
      t->pos = 0;
      t->tcpstate = 4;
      return 0;
    case 4:
      r = read(fd, t->packet + t->pos, t->packetlen - t->pos);
      if (r == -1 && (errno == EAGAIN || errno == EINTR)) return 0;
      if (r <= 0) { if (r == 0) errno = EPROTO; break; }
      t->pos += (unsigned int)r;
      if (t->pos < t->packetlen) return 0;
      if (judge(t) == 1) return 1;
      return tcp_next(t, now) == -1 ? -1 : 0;
    default:
      return 0;
  }
  t->lasterr = errno;
  return tcp_next(t, now) == -1 ? -1 : 0;
}

int dns_transmit_get(struct dns_transmit *t, const struct pollfd *x, int64_t now)
{
  int ready;
  if (!t->s1) {
    if (t->packet) return 1;
    errno = t->lasterr ? t->lasterr : EIO;
    return -1;
  }
  ready = x && x->fd == t->s1 - 1 && (x->revents & (POLLIN | POLLOUT | POLLERR | POLLHUP));
  if (t->tcpstate) return tcp_get(t, ready, now);
  return udp_get(t, ready, now);
}

const char *dns_transmit_packet(const struct dns_transmit *t, unsigned int *len)
{
  *len = t->packetlen;
  return t->packet;
}

const unsigned char *dns_transmit_server(const struct dns_transmit *t)
{
  return t->server;
}
