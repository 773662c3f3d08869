#ifndef DNS_TRANSMIT_H
#define DNS_TRANSMIT_H
#include <stdint.h>
#include <poll.h>
/* Sends one query to a list of up to 16 servers and waits for a matching
   reply, without blocking: the caller's event loop asks what to wait for
   (dns_transmit_io) and reports readiness (dns_transmit_get).  Owned by
   dns_transmit.c; used by the resolver (query.c) and, through a small
   blocking loop, by the client tools (dns_resolve.c).

   UDP: a fresh socket bound to a random port (1025..65534) of localip and
   a fresh random ID for every try; per-try timeouts 1, 3, 11, 45 s by round
   (recursive queries start at the 3 s round); a reply counts only if it
   comes from the server and port asked, with the ID sent and the question
   asked.  TC -> TCP from the first server.  rcodes other than NOERROR and
   NXDOMAIN -> next server.  See SPEC 2.6. */

struct dns_transmit;   /* full definition below, owned by dns_transmit.c */

/* servers: 64 bytes, 16 slots of IPv4, zero slots unused.  qname is a wire
   name (sent as given, case kept); recursive sets RD and starts at the 3 s
   round.  0 on success, -1 with errno. */
int dns_transmit_start(struct dns_transmit *t, const char servers[64], int recursive,
                       const char *qname, uint16_t qtype, const unsigned char localip[4]);
void dns_transmit_io(struct dns_transmit *t, struct pollfd *x, int64_t *deadline);
/* 1: a reply is ready (dns_transmit_packet), 0: still waiting, -1: every
   server failed (errno: ETIMEDOUT, ECONNREFUSED, EAGAIN for a server
   failure, ...).  Call with every pass of the loop, whatever revents says. */
int dns_transmit_get(struct dns_transmit *t, const struct pollfd *x, int64_t now);
/* The reply and the server (4 bytes) that sent it; valid after get()==1
   until the next start/free. */
const char *dns_transmit_packet(const struct dns_transmit *t, unsigned int *len);
const unsigned char *dns_transmit_server(const struct dns_transmit *t);
void dns_transmit_free(struct dns_transmit *t);

/* DNS_TRANSMIT_STRUCT_BEGIN (dns_transmit.c-owned fields) */
struct dns_transmit {
  char query[2 + 12 + 255 + 4];   /* 2-byte TCP length, then the query */
  unsigned int querylen;          /* without the length prefix */
  char *packet;                   /* the accepted reply (malloced) */
  unsigned int packetlen;
  int s1;                         /* socket + 1; 0 = none (a zeroed struct is idle) */
  int tcpstate;                   /* 0 UDP, 1 connecting, 2 sending, 3 length, 4 body */
  unsigned int udploop;           /* round: index into the 1,3,11,45 s timeouts */
  unsigned int curserver;         /* slot being tried */
  unsigned int pos;               /* TCP bytes sent or received so far */
  int lasterr;                    /* errno to report when every server failed */
  int64_t deadline;               /* monotonic ms */
  char servers[64];
  unsigned char localip[4];
  unsigned char server[4];        /* who sent packet */
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
