#ifndef LOCAL_H
#define LOCAL_H
#include <stdint.h>
/* Names dnscache answers itself, with no outgoing query (SPEC 2.4):
   "localhost" (A 127.0.0.1), a name of exactly four labels each a decimal
   0-255 without leading zero (A of that address), and
   "1.0.0.127.in-addr.arpa" (PTR localhost).  TTL 655360. */

/* The address a local name stands for (localhost or dotted quad): 1 and
   ip filled, else 0.  Used for NS names at level > 0 too. */
int local_address(const char *name, unsigned char ip[4]);
/* If name is local, builds the whole response (question, then the record
   when qtype matches, else an empty NOERROR) in response.c's buffer and
   returns 1; otherwise 0.  The 1.0.0.127.in-addr.arpa case also writes a
   stats line.  hidettl makes the TTL 0. */
int local_respond(const char *name, uint16_t qtype, uint16_t qclass, int hidettl);
#endif
