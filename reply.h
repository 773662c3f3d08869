#ifndef REPLY_H
#define REPLY_H
#include <stdint.h>
#include "dns.h"
#include "dns_packet.h"
/* Reading a server's reply (reply.c): walks its records through
   dns_packet.c's bounds-checked readers and reports what is there.  It
   decides nothing: what gets cached is query_cache.c's job, what gets
   answered query.c's. */

/* What a reply says about name d asked with type dtype. */
struct reply {
  struct dns_header h;
  unsigned int rcode;
  unsigned int posanswer;           /* first answer record */
  int out;                          /* an answer record for d of dtype */
  int cname;                        /* else a CNAME for d: */
  char cnametarget[DNS_NAME_MAX];   /*   the last one's target */
  uint32_t cnamettl;                /*   and raw TTL */
  int soa;                          /* a SOA in the authority section; the last one's */
  uint32_t soattl;                  /*   raw TTL */
  int soaminimumok;                 /*   RDATA readable, then */
  uint32_t soaminimum;              /*   its MINIMUM */
  int referral;                     /* an NS record in the authority section */
  char refname[DNS_NAME_MAX];       /* the last one's owner */
  int dname;                        /* an answer DNAME owned by an ancestor of d: */
  char dnameowner[DNS_NAME_MAX];    /*   the last one's owner, */
  char dnametarget[DNS_NAME_MAX];   /*   target */
  uint32_t dnamettl;                /*   and raw TTL */
};
/* 1, or 0 with errno = EPROTO when the header, question, answer or
   authority section is malformed. */
int reply_scan(struct reply *r, const char *buf, unsigned int len,
               const char *d, uint16_t dtype);

/* Reads the SOA RDATA of rr: mname, rname and the 20 bytes of numbers,
   all inside RDATA.  1 ok, 0 malformed. */
int reply_soa(const char *buf, unsigned int len, const struct dns_rr *rr,
              char mname[DNS_NAME_MAX], char rname[DNS_NAME_MAX], char numbers[20]);

/* One record of a reply, as reply_rrsets hands it out. */
struct reply_rec {
  unsigned int pos;        /* start of the record (its owner) */
  unsigned int index;      /* order in the packet */
  unsigned int ownerlen;   /* uncompressed owner length */
  struct dns_rr rr;
};
/* Calls fn once for each RRset of the reply (all three sections): set[0..n-1]
   share type, class and owner (ignoring case), sets ordered by type,
   class, owner length, owner; records of a set in packet order.
   posauthority is where the authority section starts.  fn returns 0 to go
   on, -1 if the set is malformed.  1, or 0 with errno (EPROTO malformed,
   ENOMEM). */
typedef int reply_setfn(void *ctx, const char *buf, unsigned int len,
                        const struct reply_rec *set, unsigned int n,
                        unsigned int posauthority);
int reply_rrsets(const char *buf, unsigned int len, reply_setfn *fn, void *ctx);
#endif
