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
  int placeholder;
};
/* DNS_TRANSMIT_STRUCT_END */
#endif
