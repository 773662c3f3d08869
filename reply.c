/* reply.c: walking a server's reply (SPEC 2.5, "Processing a response
   packet").  Guarantees: every read goes through dns_packet.c's
   (buf,len,pos) readers, so nothing is read outside the packet; a
   malformed section fails with EPROTO; nothing here caches, logs or
   answers.  reply_rrsets allocates one array of record positions per call
   (at most len / 11 entries) and frees it before returning. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "reply.h"
#include "dns_domain.h"
#include "uint.h"

int reply_soa(const char *buf, unsigned int len, const struct dns_rr *rr,
              char mname[DNS_NAME_MAX], char rname[DNS_NAME_MAX], char numbers[20])
{
  unsigned int end = rr->rdpos + rr->rdlength;
  unsigned int pos = dns_packet_getname(buf, len, rr->rdpos, mname);
  if (!pos || pos > end) return 0;
  pos = dns_packet_getname(buf, len, pos, rname);
  if (!pos || pos > end || end - pos < 20) return 0;
  memcpy(numbers, buf + pos, 20);
  return 1;
}

int reply_scan(struct reply *r, const char *buf, unsigned int len,
               const char *d, uint16_t dtype)
{
  char owner[DNS_NAME_MAX], q[DNS_NAME_MAX];
  struct dns_rr rr;
  uint16_t qt, qc;
  unsigned int pos, i;

  memset(r, 0, sizeof *r);
  pos = dns_packet_header(buf, len, &r->h);
  if (!pos) return 0;
  r->rcode = r->h.flags & DNS_F_RCODE;
  for (i = 0; i < r->h.qdcount; ++i) {
    pos = dns_packet_question(buf, len, pos, q, &qt, &qc);
    if (!pos) return 0;
  }
  r->posanswer = pos;
  for (i = 0; i < r->h.ancount; ++i) {
    pos = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!pos) return 0;
    if (rr.class == DNS_C_IN && rr.type == DNS_T_DNAME && dns_domain_suffix(d, owner)
        && !dns_domain_equal(owner, d)) {
      unsigned int end = dns_packet_getname(buf, len, rr.rdpos, r->dnametarget);
      if (!end || end != rr.rdpos + rr.rdlength) return 0;
      dns_domain_copy(r->dnameowner, owner);
      r->dname = 1;
      r->dnamettl = rr.ttl;
      continue;
    }
    if (rr.class != DNS_C_IN || !dns_domain_equal(owner, d)) continue;
    if (dtype == DNS_T_ANY || rr.type == dtype) r->out = 1;
    else if (rr.type == DNS_T_CNAME) {
      if (!dns_packet_getname(buf, len, rr.rdpos, r->cnametarget)) return 0;
      r->cname = 1;
      r->cnamettl = rr.ttl;
    }
  }
  for (i = 0; i < r->h.nscount; ++i) {
    pos = dns_packet_rr(buf, len, pos, owner, &rr);
    if (!pos) return 0;
    if (rr.type == DNS_T_SOA) {
      char m[DNS_NAME_MAX], n[DNS_NAME_MAX], numbers[20];
      r->soa = 1;
      r->soattl = rr.ttl;
      r->soaminimumok = reply_soa(buf, len, &rr, m, n, numbers);
      r->soaminimum = r->soaminimumok ? uint32_unpack_big(numbers + 16) : 0;
    } else if (rr.type == DNS_T_NS) {
      r->referral = 1;
      dns_domain_copy(r->refname, owner);
    }
  }
  return 1;
}

/* ------------------------------------------------------------ RRsets */

static const char *sortbuf;   /* the packet being sorted (qsort has no context) */
static unsigned int sortlen;

static int samename(const struct reply_rec *a, const struct reply_rec *b)
{
  char x[DNS_NAME_MAX], y[DNS_NAME_MAX];
  if (a->ownerlen != b->ownerlen) return 0;
  if (!dns_packet_getname(sortbuf, sortlen, a->pos, x)) return 0;
  if (!dns_packet_getname(sortbuf, sortlen, b->pos, y)) return 0;
  return dns_domain_equal(x, y);
}

/* (type, class), owner length, owner ignoring case, packet order */
static int reccmp(const void *va, const void *vb)
{
  const struct reply_rec *a = va, *b = vb;
  char x[DNS_NAME_MAX], y[DNS_NAME_MAX];
  unsigned int i;
  if (a->rr.type != b->rr.type) return a->rr.type < b->rr.type ? -1 : 1;
  if (a->rr.class != b->rr.class) return a->rr.class < b->rr.class ? -1 : 1;
  if (a->ownerlen != b->ownerlen) return a->ownerlen < b->ownerlen ? -1 : 1;
  if (dns_packet_getname(sortbuf, sortlen, a->pos, x)
      && dns_packet_getname(sortbuf, sortlen, b->pos, y))
    for (i = 0; i < a->ownerlen; ++i) {
      int ca = (unsigned char)x[i], cb = (unsigned char)y[i];
      if (ca >= 'A' && ca <= 'Z') ca += 32;
      if (cb >= 'A' && cb <= 'Z') cb += 32;
      if (ca != cb) return ca < cb ? -1 : 1;
    }
  return a->index < b->index ? -1 : a->index > b->index;
}

int reply_rrsets(const char *buf, unsigned int len, reply_setfn *fn, void *ctx)
{
  struct dns_header h;
  struct reply_rec *recs;
  char q[DNS_NAME_MAX], owner[DNS_NAME_MAX];
  uint16_t qt, qc;
  unsigned int pos, i, j, total, posauthority = 0;

  pos = dns_packet_header(buf, len, &h);
  if (!pos) return 0;
  for (i = 0; i < h.qdcount; ++i)
    if (!(pos = dns_packet_question(buf, len, pos, q, &qt, &qc))) return 0;
  total = (unsigned int)h.ancount + h.nscount + h.arcount;
  if (total > len / 11) { errno = EPROTO; return 0; }   /* a record takes 11 bytes or more */
  recs = malloc((total ? total : 1) * sizeof *recs);
  if (!recs) { errno = ENOMEM; return 0; }
  for (i = 0; i < total; ++i) {
    if (i == h.ancount) posauthority = pos;
    recs[i].pos = pos;
    recs[i].index = i;
    pos = dns_packet_rr(buf, len, pos, owner, &recs[i].rr);
    if (!pos) { free(recs); errno = EPROTO; return 0; }
    recs[i].ownerlen = dns_domain_length(owner);
  }
  if (total == h.ancount) posauthority = pos;

  sortbuf = buf;
  sortlen = len;
  qsort(recs, total, sizeof *recs, reccmp);
  for (i = 0; i < total; i = j) {
    for (j = i + 1; j < total; ++j)
      if (recs[j].rr.type != recs[i].rr.type || recs[j].rr.class != recs[i].rr.class
          || !samename(&recs[i], &recs[j]))
        break;
    if (fn(ctx, buf, len, recs + i, j - i, posauthority) == -1) {
      free(recs);
      errno = EPROTO;
      return 0;
    }
  }
  free(recs);
  return 1;
}
