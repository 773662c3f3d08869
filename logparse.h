#ifndef LOGPARSE_H
#define LOGPARSE_H
#include <stddef.h>
#include <stdint.h>
/* Reading dnscache's log lines back (README "Log lines", SPEC 2.8), as
   written by this daemon or by djbdns 1.05, optionally prefixed by
   multilog's "@<24 hex digits> " TAI64N stamp.  Used by dnscache-stats,
   its unit suite and its fuzz target.

   logparse_line never allocates and never writes outside *l: every field
   is a (pointer, length) slice of the line given.  A line that does not
   follow the grammar exactly (wrong word count, a number that is not
   decimal, an address that is not 8 or 32 hex digits, ...) is
   LOG_UNPARSED; so is anything with a NUL, CR or LF inside. */

enum logkind {
  LOG_UNPARSED = 0,
  LOG_STARTING,     /* starting */
  LOG_QUERY,        /* query N IP:PORT:ID TYPE NAME */
  LOG_SENT,         /* sent N LEN */
  LOG_DROP,         /* drop N ERROR...            (text = ERROR) */
  LOG_TCPOPEN,      /* tcpopen IP:PORT */
  LOG_TCPCLOSE,     /* tcpclose IP:PORT ERROR...  (text = ERROR) */
  LOG_TX,           /* tx LEVEL TYPE NAME CONTROL IP... */
  LOG_RR,           /* rr SERVER TTL TYPE NAME DATA... */
  LOG_CACHED,       /* cached TYPE NAME, cached cname NAME TARGET,
                       cached ns CONTROL NS, cached nxdomain NAME */
  LOG_NXDOMAIN,     /* nxdomain SERVER TTL NAME */
  LOG_NODATA,       /* nodata SERVER TTL TYPE NAME */
  LOG_LAME,         /* lame SERVER CONTROL REFERRAL */
  LOG_SERVFAIL,     /* servfail NAME ERROR...     (text = ERROR) */
  LOG_STATS,        /* stats QUERIES MOTION UDP TCP */
  LOG_FATAL         /* dnscache: fatal: ... (start-up failures) */
};

struct logslice { const char *s; size_t len; };

struct logline {
  enum logkind kind;
  int stamped;          /* a TAI64N stamp preceded the line */
  uint64_t sec;         /* its seconds, as Unix time (TAI64 label - 2^62 - 10) */
  uint32_t nsec;
  uint64_t n[4];        /* numbers: query/sent/drop N, sent LEN, tx LEVEL,
                           stats' four counters, TTLs, types (in order) */
  struct logslice ip;   /* client (query, tcpopen, tcpclose) or server
                           (rr, nxdomain, nodata, lame): hex digits */
  struct logslice name; /* query/tx/rr/cached/nxdomain/nodata/servfail name;
                           lame: the zone (CONTROL) */
  struct logslice text; /* drop, tcpclose, servfail: the error text */
};

/* Parses one line (without its newline).  Returns l->kind. */
enum logkind logparse_line(const char *s, size_t len, struct logline *l);

/* An address field (8 or 32 hex digits) as text: a.b.c.d, or IPv6 in
   RFC 5952 form.  out needs LOGPARSE_IPFMT bytes; returns the length
   (no NUL), 0 if ip is not such a field. */
#define LOGPARSE_IPFMT 48
size_t logparse_ipfmt(char *out, const char *ip, size_t len);
#endif
