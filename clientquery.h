#ifndef CLIENTQUERY_H
#define CLIENTQUERY_H
/* clientquery.h: what the daemon takes from a client, before a query may
   take a job slot (and so evict the oldest, SPEC decision 15). */
#include <stdint.h>
#include "dns.h"
#include "query.h"
#include "dns_opt.h"

#define CLIENTQUERY_UDP_MAX 1024   /* datagrams of this size or more are dropped */
#define CLIENTQUERY_TCP_KEEP 1024  /* bytes of a TCP frame looked at; the rest is skipped */

/* What a client's EDNS0 (SPEC 4.2) asks of its reply; the daemon keeps
   it with the job (nothing of it is cached). */
struct clientedns {
  int on;              /* the query has an OPT (even a bad one): the reply gets one */
  uint16_t udpmax;     /* bytes a UDP reply may have before truncation */
  uint16_t rcode;      /* 0, or DNS_R_FORMERR (several OPTs, a non-root owner,
                          an OPT outside the additional section) or
                          DNS_R_BADVERS (version above 0): answered at
                          once instead of resolving */
};

struct clientquery {
  char name[DNS_NAME_MAX];
  uint16_t qtype, qclass, id;
  struct clientedns edns;
};

/* 1 and q filled if buf is a plain recursive query (QR, opcode, TC clear,
   RD set) for exactly one name in class IN or ANY; 0 otherwise.  Which
   packets are accepted does not depend on EDNS.  A query whose records
   after the question cannot all be read is taken as 1.05 takes any query
   (it never looks past the question): no EDNS, 512 bytes. */
int clientquery_parse(const char *buf, unsigned int len, struct clientquery *q);

/* 1 if a client at ip:port may be served: the port is 53 or at least
   1024, and ip/ has an entry for the address (okclient6; ip is 16 bytes,
   IPv4 mapped, SPEC 4.1). */
int clientquery_okpeer6(const unsigned char ip[16], uint16_t port);

/* The UDP rules in the original's order: size, peer, packet. */
int clientquery_udp6(const char *buf, unsigned int len, const unsigned char ip[16],
                     uint16_t port, struct clientquery *q);

/* A TCP frame of framelen bytes of which buf holds the first
   min(framelen, CLIENTQUERY_TCP_KEEP). */
int clientquery_tcp(const char *buf, unsigned int framelen, struct clientquery *q);

/* Starts the resolution of q from ipsend (query_start); AXFR is refused
   here with EPERM, as the original does.  query_start's return; 1 at once
   for an EDNS error (FORMERR or BADVERS, with the question). */
int clientquery_start(struct query *job, const struct clientquery *q,
                      const unsigned char ipsend[4]);

/* Finishes the reply in response.c (its ID already set) for a client
   whose query carried e: over UDP (udp 1) a reply longer than e->udpmax
   (512 without EDNS, exactly as 1.05) is truncated as decision 4; with
   EDNS an OPT advertising DNS_OPT_UDPSIZE, with the extended RCODE, is
   added after that, within the limit.  Over TCP nothing is cut (an OPT
   that would not fit in 65535 bytes is left out). */
void clientquery_reply(const struct clientedns *e, int udp);

#endif
