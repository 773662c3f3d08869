#ifndef QUERY_H
#define QUERY_H
#include <stdint.h>
#include <poll.h>
/* One client query's iterative resolution (owned by the resolver: query.c).
   The daemon keeps fixed arrays of struct query (200 UDP + 20 TCP jobs) and
   never looks inside.  Contract with the event loop, as the original's:

     query_start   begin; 1 = a response is ready in response.c's buffer,
                   0 = in progress, -1 = give up (errno says why; the
                   daemon logs "drop <n> <error_str(errno)>").
     query_io      what to wait for: fills x (fd = -1 when there is no fd
                   to watch) and lowers *deadline (monotonic ms) if sooner.
     query_get     after poll: same return values as query_start, and 2:
                   ($SERVESTALE's client timer) a stale answer is ready in
                   response.c's buffer for the client, and the resolution
                   goes on without one, to refresh the cache: the daemon
                   sends the answer and keeps calling until 1 or -1, which
                   then only end the job (nothing more to send or log), or
                   forgets it (TCP).  Called for every active job on every
                   pass, whatever revents says.
     query_forget  the daemon drops the job (table full, client gone):
                   release sockets and any shared in-flight query.  */

struct query;   /* defined below; only query.c looks inside */

/* Once at start-up, after the cache and roots are ready. */
void query_init(int forwardonly, int hidettl);
/* $QUERYLOOPBACK: allowed != 0 lets addresses in 127.0.0.0/8 learned from
   the network be queried (default: never; 0.0.0.0/8 never either way). */
void query_queryloopback(int allowed);
/* $DISABLEIPV6: disabled != 0: no IPv6 server is ever asked, no AAAA
   of a name server looked for (default: IPv6 upstream on, SPEC 4.1). */
void query_disableipv6(int disabled);
/* $SERVESTALE: when every server for the client's name has failed, answer
   a record that expired at most seconds ago, with TTL 30 (0: never); and
   (RFC 8767 section 5) when the client has waited QUERY_STALE_CLIENT_MS
   with such a record at hand, or at once if the same question failed less
   than QUERY_STALE_RECHECK seconds ago. */
void query_servestale(uint32_t seconds);
#define QUERY_STALE_CLIENT_MS 1800
#define QUERY_STALE_RECHECK 30
int query_start(struct query *q, const char *name, uint16_t qtype,
                uint16_t qclass, const unsigned char localip[4]);
void query_io(struct query *q, struct pollfd *x, int64_t *deadline);
int query_get(struct query *q, const struct pollfd *x, int64_t now);
void query_forget(struct query *q);

#include "dns.h"
#include "dns_transmit.h"
#define QUERY_MAXLEVEL 5    /* client name + 4 levels of NS-address lookups */
#define QUERY_MAXALIAS 16   /* CNAMEs followed for the client name */
#define QUERY_MAXNS 16      /* NS names remembered per level */
#define QUERY_MAXLOOP 200   /* steps per query (decision 16) */

/* The engine's states; each is one function in query.c. */
enum query_state {
  QUERY_IDLE,      /* nothing in progress (a zeroed struct is idle) */
  QUERY_NEWNAME,   /* local names, cache, then find servers */
  QUERY_HAVENS,    /* resolve NS names' addresses, then send */
  QUERY_SEND,      /* a query to servers[level] is (to be) in flight */
  QUERY_WAIT,      /* an identical query is in flight: wait for it (decision 5) */
  QUERY_GLUE,      /* no server of this level answered: the parent's glue */
  QUERY_STALE      /* every server failed: expired data ($SERVESTALE), or SERVFAIL */
};

struct query {
  enum query_state state;
  int transmitting;                 /* dt is in use (SEND) */
  unsigned int loop;                /* steps taken */
  unsigned int level;
  unsigned int deepest;             /* levels below this may hold names or servers */
  unsigned int nalias;
  uint16_t type, class;             /* the client's */
  char *name[QUERY_MAXLEVEL];       /* name being resolved at each level */
  char *control[QUERY_MAXLEVEL];    /* zone whose servers are asked */
  char *ns[QUERY_MAXLEVEL][QUERY_MAXNS];     /* NS names still to resolve */
  unsigned int gluetried;                    /* bit l: level l's glue was used (GLUE) */
  unsigned int aaaa;                         /* bit l (> 0): level l asks for AAAA, its
                                                name server had no usable A */
  char *alias[QUERY_MAXALIAS];      /* CNAME chain: alias[0] is the client's name */
  char qname[DNS_NAME_MAX];         /* the client's name; name[0] or alias[0]
                                       points here, so a cache hit allocates nothing */
  uint32_t aliasttl[QUERY_MAXALIAS];
  unsigned char aliasdname[QUERY_MAXALIAS];  /* not 0: alias[j] was redirected by a
                                       DNAME owned by alias[j] + aliasdname[j] */
  unsigned char localip[4];
  int64_t staleat;                  /* not 0: when (clock_ms) the client gets its
                                       stale answer ($SERVESTALE) */
  int background;                   /* the client got a stale answer; resolving on */
  uint64_t serial;                  /* in-flight list: this query's number (SEND) */
  uint64_t waitfor;                 /* the in-flight query waited for (WAIT) */
  struct query *prev, *next;        /* in-flight list */
  struct dns_transmit dt;
  struct query_servers *sv;         /* malloced when servers are first needed */
};

/* A query's server lists, DNS_SERVERS 16-byte slots each (ip6.h: IPv4
   mapped), at most 16 of each family: 5 KB, so they live on the heap
   while the query asks servers (a cache hit never needs them), not in
   every job slot. */
struct query_servers {
  char servers[QUERY_MAXLEVEL][DNS_SERVERS_LEN];
  char tried[QUERY_MAXLEVEL][DNS_SERVERS_LEN];   /* servers asked for control[level] */
};

/* A struct query may be passed to query_start when it is zeroed (static
   arrays), or after its last query ended (1 or -1) or was forgotten.
   About 2 KB each (and 5 KB of server lists while servers are asked); names other than the client's are malloced as needed.

   The engine without sockets, for unit tests and for query_start/get:
   each returns 1 (response ready), -1 (give up, errno), or 0 with state
   QUERY_SEND (send name[level], type, to sv->servers[level]; the query is
   registered as in flight) or QUERY_WAIT.
   query_begin: the client query (no transmission started).
   query_packet: apply a reply from server (16 bytes; caching, logging, next step).
   query_failed: the transmission failed (servfail).
   query_resume: a waiting query whose leader has finished: if the
   leader's transmission failed, the same failure (servfail); otherwise
   re-run the step from the cache, which sends its own query when nothing
   useful was cached.  query_leader_done tells whether it has finished. */
int query_begin(struct query *q, const char *name, uint16_t qtype,
                uint16_t qclass, const unsigned char localip[4]);
int query_packet(struct query *q, const char *buf, unsigned int len,
                 const unsigned char server[16]);
int query_failed(struct query *q);
int query_resume(struct query *q);
int query_leader_done(const struct query *q);
/* The client timer ran out (now >= q->staleat, state SEND or WAIT): the
   stale answer in response.c's buffer; 2 (SEND: the query goes on in the
   background), 1 (WAIT: the query ends, the leader refreshes the cache),
   or 0 if the record is gone meanwhile (the timer is off, resolving on). */
int query_staletimer(struct query *q);
#endif
