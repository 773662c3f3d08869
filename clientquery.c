/* clientquery.c: the checks a client's packet passes before it is a
   query of the daemon (SPEC 2.1, decision 15).  Everything here is pure
   (no socket, no job table), so the daemon and the fuzz target
   tests/fuzz_clientquery.c run the same lines. */
#include <errno.h>
#include "clientquery.h"
#include "dns_packet.h"
#include "okclient.h"

int clientquery_parse(const char *buf, unsigned int len, struct clientquery *q)
{
  struct dns_header h;
  unsigned int pos = dns_packet_header(buf, len, &h);
  if (!pos) return 0;
  if (h.flags & (DNS_F_QR | DNS_F_OPCODE | DNS_F_TC)) return 0;
  if (!(h.flags & DNS_F_RD)) return 0;
  if (h.qdcount != 1) return 0;
  if (!dns_packet_question(buf, len, pos, q->name, &q->qtype, &q->qclass)) return 0;
  if (q->qclass != DNS_C_IN && q->qclass != DNS_C_ANY) return 0;
  q->id = h.id;
  return 1;
}

int clientquery_okpeer(const unsigned char ip[4], uint16_t port)
{
  if (port < 1024 && port != 53) return 0;
  return okclient(ip);
}

int clientquery_udp(const char *buf, unsigned int len, const unsigned char ip[4],
                    uint16_t port, struct clientquery *q)
{
  if (len >= CLIENTQUERY_UDP_MAX) return 0;
  if (!clientquery_okpeer(ip, port)) return 0;
  return clientquery_parse(buf, len, q);
}

int clientquery_tcp(const char *buf, unsigned int framelen, struct clientquery *q)
{
  if (framelen > CLIENTQUERY_TCP_KEEP) framelen = CLIENTQUERY_TCP_KEEP;
  return clientquery_parse(buf, framelen, q);
}

int clientquery_start(struct query *job, const struct clientquery *q,
                      const unsigned char ipsend[4])
{
  if (q->qtype == DNS_T_AXFR) { errno = EPERM; return -1; }
  return query_start(job, q->name, q->qtype, q->qclass, ipsend);
}
