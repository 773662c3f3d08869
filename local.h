#ifndef LOCAL_H
#define LOCAL_H
#include <stdint.h>
/* Names dnscache answers itself, with no outgoing query (SPEC 2.4):
   "localhost" (A 127.0.0.1, and AAAA ::1 when asked for AAAA: ANY gets
   the A alone, as in 1.05), a name of exactly four labels each a decimal
   0-255 without leading zero (A of that address),
   "1.0.0.127.in-addr.arpa" and ::1's ip6.arpa name
   "1.0.0. ... .0.ip6.arpa" (PTR localhost).  TTL 655360. */

/* The address a local name stands for (localhost or dotted quad): 1 and
   ip filled, else 0.  Used for NS names at level > 0 too. */
int local_address(const char *name, unsigned char ip[4]);
/* 1 if name is one of the local names above, else 0. */
int local_is(const char *name);
/* For a local name whose question (and any CNAME chain leading to it) is
   already in response.c's buffer: adds its record when qtype matches
   (none otherwise: an empty NOERROR answer).  1, or 0 when name is not
   local or the response is full.  The 1.0.0.127.in-addr.arpa case also
   writes a stats line (the ip6.arpa name does not).  hidettl makes the
   TTL 0. */
int local_answer(const char *name, uint16_t qtype, int hidettl);
#endif
