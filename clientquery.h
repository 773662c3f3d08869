#ifndef CLIENTQUERY_H
#define CLIENTQUERY_H
/* clientquery.h: what the daemon takes from a client, before a query may
   take a job slot (and so evict the oldest, SPEC decision 15). */
#include <stdint.h>
#include "dns.h"
#include "query.h"

#define CLIENTQUERY_UDP_MAX 1024   /* datagrams of this size or more are dropped */
#define CLIENTQUERY_TCP_KEEP 1024  /* bytes of a TCP frame looked at; the rest is skipped */

struct clientquery {
  char name[DNS_NAME_MAX];
  uint16_t qtype, qclass, id;
};

/* 1 and q filled if buf is a plain recursive query (QR, opcode, TC clear,
   RD set) for exactly one name in class IN or ANY; 0 otherwise. */
int clientquery_parse(const char *buf, unsigned int len, struct clientquery *q);

/* 1 if a client at ip:port may be served: the port is 53 or at least
   1024, and ip/ has an entry for the address (okclient). */
int clientquery_okpeer(const unsigned char ip[4], uint16_t port);

/* The UDP rules in the original's order: size, peer, packet. */
int clientquery_udp(const char *buf, unsigned int len, const unsigned char ip[4],
                    uint16_t port, struct clientquery *q);

/* A TCP frame of framelen bytes of which buf holds the first
   min(framelen, CLIENTQUERY_TCP_KEEP). */
int clientquery_tcp(const char *buf, unsigned int framelen, struct clientquery *q);

/* Starts the resolution of q from ipsend (query_start); AXFR is refused
   here with EPERM, as the original does.  query_start's return. */
int clientquery_start(struct query *job, const struct clientquery *q,
                      const unsigned char ipsend[4]);

#endif
