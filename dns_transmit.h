#ifndef DNS_TRANSMIT_H
#define DNS_TRANSMIT_H
#include <stdint.h>
#include <poll.h>
#include "dns.h"
/* Sends one query to a list of up to DNS_SERVERS servers and waits for a matching
   reply, without blocking: the caller's event loop asks what to wait for
   (dns_transmit_io) and reports readiness (dns_transmit_get).  Owned by
   dns_transmit.c; used by the resolver (query.c) and, through a small
   blocking loop, by the client tools (dns_resolve.c).

   UDP: a fresh socket bound to a random port (1025..65534) of localip and
   a fresh random ID for every try; per-try timeouts 1, 3, 11, 45 s by round
   (recursive queries start at the 3 s round); a reply counts only if it
   comes from the server and port asked, with the ID sent and the question
   asked.  TC -> TCP from the first server.  rcodes other than NOERROR and
   NXDOMAIN -> next server.  See SPEC 2.6.

   IPv6 (SPEC 4.1): servers are 16-byte slots, IPv4 held IPv4-mapped; an
   IPv6 server is asked from the IPv6 source (dns_transmit_ip6), and a try
   that fails at once (no socket, no route, no source address) is that
   server's failure at once, never a wait for its timeout.

   EDNS0 (SPEC 4.2), once dns_transmit_edns(1) was called (the daemon;
   the client tools never call it and send 1.05's queries): every UDP
   query carries an OPT advertising DNS_OPT_UDPSIZE, DO clear, unless its
   server is remembered as "no EDNS".  A reply to such a query with RCODE
   FORMERR, NOTIMP or BADVERS, or whose records cannot be read or whose
   OPT is malformed, makes the server "no EDNS" for 15 minutes and the
   query is sent again at once, to the same server, without OPT.  Two
   timeouts in a row of queries with OPT to one server make it "no EDNS"
   too (a middlebox that drops EDNS).  TCP queries never carry an OPT.
   The memory is a fixed table of DNS_TRANSMIT_NOEDNS servers (no
   allocation); when it is full, a new server replaces an expired entry,
   else one that only counts timeouts, else the one whose 15 minutes end
   first. */

struct dns_transmit;   /* full definition below, owned by dns_transmit.c */

/* servers: DNS_SERVERS_LEN bytes (dns.h), slots tried in order, empty
   slots (ip6_isempty) skipped.  qname is a wire name (sent as given, case
   kept); recursive sets RD and starts at the 3 s round.  localip: the
   source for IPv4 servers, IPv4-mapped (all zero: any).  0 on success,
   -1 with errno. */
int dns_transmit_start(struct dns_transmit *t, const char servers[DNS_SERVERS_LEN],
                       int recursive, const char *qname, uint16_t qtype,
                       const unsigned char localip[16]);
/* Once at start-up (the daemon): the source address for IPv6 servers
   (default ::, any) and whether IPv6 servers are skipped altogether
   ($DISABLEIPV6). */
void dns_transmit_ip6(const unsigned char ipsend6[16], int disabled);
/* Once at start-up (the daemon): UDP queries carry EDNS0 (see above). */
void dns_transmit_edns(int on);
#define DNS_TRANSMIT_NOEDNS 128            /* servers remembered */
#define DNS_TRANSMIT_NOEDNS_MS 900000      /* for 15 minutes */
/* Exposed for unit tests: 1 if server (16 bytes) is "no EDNS" at now (ms). */
int dns_transmit_noedns(const unsigned char server[16], int64_t now);
void dns_transmit_io(struct dns_transmit *t, struct pollfd *x, int64_t *deadline);
/* 1: a reply is ready (dns_transmit_packet), 0: still waiting, -1: every
   server failed (errno: ETIMEDOUT, ECONNREFUSED, EAGAIN for a server
   failure, ...).  Call with every pass of the loop, whatever revents says. */
int dns_transmit_get(struct dns_transmit *t, const struct pollfd *x, int64_t now);
/* The reply and the server (16 bytes, IPv4-mapped for IPv4) that sent it; valid after get()==1
   until the next start/free. */
const char *dns_transmit_packet(const struct dns_transmit *t, unsigned int *len);
const unsigned char *dns_transmit_server(const struct dns_transmit *t);
void dns_transmit_free(struct dns_transmit *t);

/* DNS_TRANSMIT_STRUCT_BEGIN (dns_transmit.c-owned fields) */
struct dns_transmit {
  char query[2 + 12 + 255 + 4 + 11];  /* 2-byte TCP length, the query, room for an OPT */
  unsigned int querylen;          /* without the length prefix or OPT */
  int optsent;                    /* the UDP try in flight carries an OPT */
  char *packet;                   /* the accepted reply (malloced) */
  unsigned int packetlen;
  int s1;                         /* socket + 1; 0 = none (a zeroed struct is idle) */
  int tcpstate;                   /* 0 UDP, 1 connecting, 2 sending, 3 length, 4 body */
  unsigned int udploop;           /* round: index into the 1,3,11,45 s timeouts */
  unsigned int curserver;         /* slot being tried */
  unsigned int pos;               /* TCP bytes sent or received so far */
  int lasterr;                    /* errno to report when every server failed */
  int64_t deadline;               /* monotonic ms */
  char servers[DNS_SERVERS_LEN];
  unsigned char localip[16];      /* source for IPv4 servers (mapped) */
  unsigned char server[16];       /* who sent packet */
  char tcplen[2];                 /* the reply's length prefix, as read */
};
/* DNS_TRANSMIT_STRUCT_END */

/* How a reply to query (querylen bytes, no prefix) is judged, exposed for
   unit tests: IRRELEVANT (wrong ID, not a response, question differs in
   name (ignoring case), type or class), TC, BADRCODE (rcode not 0 or 3),
   or OK. */
enum { DNS_TRANSMIT_IRRELEVANT, DNS_TRANSMIT_OK, DNS_TRANSMIT_TC, DNS_TRANSMIT_BADRCODE };
int dns_transmit_check(const char *query, unsigned int querylen,
                       const char *buf, unsigned int len);
#endif
