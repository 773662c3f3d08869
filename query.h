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
     query_get     after poll: same return values as query_start.  Called
                   for every active job on every pass, whatever revents says.
     query_forget  the daemon drops the job (table full, client gone):
                   release sockets and any shared in-flight query.  */

struct query;   /* the full definition follows below, owned by query.c */

/* Once at start-up, after the cache and roots are ready. */
void query_init(const unsigned char ipsend[4], int forwardonly, int hidettl);
int query_start(struct query *q, const char *name, uint16_t qtype,
                uint16_t qclass, const unsigned char localip[4]);
void query_io(struct query *q, struct pollfd *x, int64_t *deadline);
int query_get(struct query *q, const struct pollfd *x, int64_t now);
void query_forget(struct query *q);

/* QUERY_STRUCT_BEGIN (resolver-owned fields) */
struct query {
  int placeholder;   /* replaced by the resolver implementation */
};
/* QUERY_STRUCT_END */
#endif
