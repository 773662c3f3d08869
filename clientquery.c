/* clientquery.c: the checks a client's packet passes before it is a
   query of the daemon (SPEC 2.1, decision 15).  Everything here is pure
   (no socket, no job table), so the daemon and the fuzz target
   tests/fuzz_clientquery.c run the same lines.  EDNS0 (SPEC 4.2) is
   decided here too, from dns_opt.c's reading of the additional section:
   what the reply may weigh over UDP and whether it is an error. */
#include <errno.h>
#include "clientquery.h"
#include "dns_packet.h"
#include "okclient.h"
#include "response.h"

/* pos: the end of the question */
static void edns(const char *buf, unsigned int len, unsigned int pos,
                 const struct dns_header *h, struct clientquery *q)
{
  struct dns_opt o;
  struct clientedns *e = &q->edns;
  e->on = 0;
  e->udpmax = DNS_UDP_MAX;
  e->rcode = 0;
  if (!h->ancount && !h->nscount && !h->arcount) return;   /* the usual query */
  switch (dns_opt_find(buf, len, pos, h, &o)) {
  case DNS_OPT_ONE:
    e->on = 1;
    if (o.version) e->rcode = DNS_R_BADVERS;
    else e->udpmax = (uint16_t)dns_opt_udplimit(&o);
    return;
  case DNS_OPT_BAD:
    e->on = 1;
    e->rcode = DNS_R_FORMERR;
    return;
  default:   /* none, or unreadable: as 1.05 */
    return;
  }
}

int clientquery_parse(const char *buf, unsigned int len, struct clientquery *q)
{
  struct dns_header h;
  unsigned int pos = dns_packet_header(buf, len, &h);
  if (!pos) return 0;
  if (h.flags & (DNS_F_QR | DNS_F_OPCODE | DNS_F_TC)) return 0;
  if (!(h.flags & DNS_F_RD)) return 0;
  if (h.qdcount != 1) return 0;
  pos = dns_packet_question(buf, len, pos, q->name, &q->qtype, &q->qclass);
  if (!pos) return 0;
  if (q->qclass != DNS_C_IN && q->qclass != DNS_C_ANY) return 0;
  q->id = h.id;
  edns(buf, len, pos, &h, q);
  return 1;
}

int clientquery_okpeer6(const unsigned char ip[16], uint16_t port)
{
  if (port < 1024 && port != 53) return 0;
  return okclient6(ip);
}

int clientquery_udp6(const char *buf, unsigned int len, const unsigned char ip[16],
                     uint16_t port, struct clientquery *q)
{
  if (len >= CLIENTQUERY_UDP_MAX) return 0;
  if (!clientquery_okpeer6(ip, port)) return 0;
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
  if (q->edns.rcode) {
    /* FORMERR or BADVERS: the question and the RCODE's lower 4 bits (the
       upper 8 go in the OPT, clientquery_reply) */
    if (!response_query(q->name, q->qtype, q->qclass)) { errno = EIO; return -1; }
    response_rcode(q->edns.rcode & 15);
    return 1;
  }
  if (q->qtype == DNS_T_AXFR) { errno = EPERM; return -1; }
  return query_start(job, q->name, q->qtype, q->qclass, ipsend);
}

void clientquery_reply(const struct clientedns *e, int udp)
{
  if (!e->on) {
    if (udp && response_len() > DNS_UDP_MAX) response_tc();
    return;
  }
  response_opt(udp ? e->udpmax : 0, e->rcode);
}
