#ifndef RESPONSE_H
#define RESPONSE_H
#include <stdint.h>
/* The one response being built (the daemon answers one query at a time
   out of this buffer, right after query_start/query_get reports it ready).
   Up to 65535 bytes.  Names are compressed against up to 100 earlier
   names, with pointers only to offsets below 16384 (CVE-2009-0858).
   Every function returns 1 on success, 0 if the response would grow past
   65535 bytes (the query then fails, as in the original). */
int response_query(const char *name, uint16_t qtype, uint16_t qclass); /* header 0x8180, QDCOUNT 1, question */
void response_nxdomain(void);    /* flags 0x8583: AA + rcode 3 */
void response_servfail(void);    /* flags 0x8182 */
/* Starts one answer record: owner, type, class IN, ttl; then add RDATA
   with response_addbytes/response_addname and close it with
   response_rfinish(), which sets RDLENGTH and bumps ANCOUNT. */
int response_rstart(const char *owner, uint16_t type, uint32_t ttl);
int response_addbytes(const char *buf, unsigned int len);
int response_addname(const char *d);
void response_rfinish(void);
/* The RDATA of record rr of a server's reply buf, names decompressed (NS,
   CNAME, PTR, MX, SOA; other types copied as they are): 1 ok, 0 response
   full, -1 malformed. */
struct dns_rr;
int response_rdata(const char *buf, unsigned int len, const struct dns_rr *rr);
/* Cuts a UDP answer over 512 bytes back to the question, sets TC and
   ANCOUNT 0 (SPEC decision 4). */
void response_tc(void);
/* Sets the RCODE (the header's 4 bits) of the response. */
void response_rcode(unsigned int rcode);
/* EDNS0 (SPEC 4.2): if limit is not 0 and the response with an OPT would
   be longer than limit bytes, response_tc() first; then adds an OPT
   record (dns_opt_write: DNS_OPT_UDPSIZE, the upper 8 bits of the 12-bit
   rcode) as the one additional record.  0 if the OPT does not fit in
   65535 bytes (the response is left as it was), 1 otherwise. */
int response_opt(unsigned int limit, unsigned int rcode);
void response_id(uint16_t id);
const char *response_data(void);
unsigned int response_len(void);
#endif
