/* dnscache.c: the daemon.  Start-up in the original's order with its
   fatal messages (SPEC 2.2), then one loop (SPEC 2.1): each pass asks
   every job what it waits for, polls, lets every job work, and then
   takes the UDP packets that are ready (up to 64, one recvmmsg;
   the original takes one) and at most one new TCP connection, on each
   address of $IP (IPv4 or IPv6, SPEC 4.1) in turn.  UDP
   replies of a pass go out together (sendmmsg) in the order they were
   made, and the log lines of a pass in one write before the next poll.
   A cache hit costs no system call of its own beyond its share of those
   two and allocates nothing (the client's name is kept in the job's
   struct query); the ip/ check reads a table in memory (okclient.h).  Taking
   several packets per pass is the one intended difference in order: a
   job's reply that arrives meanwhile is handled a pass later.
   Fixed tables of $MAXUDP UDP jobs and $MAXTCP TCP connections (200 and
   20 as 1.05 unless set; SPEC 4.3), allocated whole at start; when a table
   is full the oldest entry is dropped, but only for a packet or connection
   that has already passed every check (SPEC decision 15).  TCP sockets
   are non-blocking and a connection only ever reads the bytes of the
   frame it is in, so no client can stall the loop.  SIGPIPE is ignored
   (decision 9). */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "byte.h"
#include "cache.h"
#include "cachefile.h"
#include "clientquery.h"
#include "clock.h"
#include "dns.h"
#include "dns_opt.h"
#include "dns_packet.h"
#include "dns_random.h"
#include "droproot.h"
#include "ip4.h"
#include "ip6.h"
#include "dns_transmit.h"
#include "log.h"
#include "okclient.h"
#include "query.h"
#include "response.h"
#include "roots.h"
#include "socket.h"
#include "strerr.h"
#include "tcpframe.h"
#include "udpbatch.h"
#include "uint.h"

#define PROG "dnscache"
#define MAXUDP_DEFAULT 200
#define MAXTCP_DEFAULT 20
#define MAXUDP_LIMIT 100000
#define MAXTCP_LIMIT 10000
_Static_assert(CLIENTQUERY_UDP_MAX == UDPBATCH_INMAX, "a datagram of CLIENTQUERY_UDP_MAX bytes or more shows as that many");
_Static_assert(DNS_OPT_UDPSIZE == UDPBATCH_OUTMAX, "a UDP reply is cut to its client's size first, at most DNS_OPT_UDPSIZE");
_Static_assert(CLIENTQUERY_TCP_KEEP == TCPFRAME_KEEP, "clientquery_tcp looks at what tcpframe keeps");
#define TCP_IDLE_MS 10000
#define WAIT_MAX_MS 120000
#define POLL_MAX_MS 1000

static unsigned char myipoutgoing[4];
/* the addresses of $IP (SPEC 4.1: one or several, separated by '/'),
   each bound for UDP and TCP; every socket feeds the same job tables */
#define MAXLISTEN 16
static unsigned char listenip[MAXLISTEN][16];   /* IPv4-mapped for IPv4 */
static uint32_t listenscope[MAXLISTEN];         /* link-local interface */
static int udp53[MAXLISTEN], tcp53[MAXLISTEN];
static unsigned int nlisten;
static uint64_t numqueries, numaccepts;
static unsigned int uactive, tactive;
static unsigned int maxudp = MAXUDP_DEFAULT, maxtcp = MAXTCP_DEFAULT;

static void counters(void)
{
  log_counters(numqueries, uactive, tactive);
}

/* ---------------------------------------------------------------- UDP */

static struct udpjob {
  struct query q;
  uint64_t num;      /* query serial: the smallest is the oldest job */
  unsigned char ip[16];   /* IPv4-mapped for IPv4 */
  uint16_t port, id;
  int sock;          /* the UDP/53 socket it came in on: udp53[sock] */
  struct clientedns edns;
  int io;            /* index in the poll array this pass, -1 if none */
  int answered;      /* the client got a stale answer (query_get 2): the
                        query resolves on to refresh the cache, silently */
} *u;                /* maxudp of them */

/* Which UDP jobs are active: this bitmap and nothing else, so a pass
   visits only those, in slot order, and a new job takes the lowest free
   slot, as a scan would. */
static unsigned int uwords;   /* (maxudp + 63) / 64 */
static uint64_t *uact;

static int u_active(int j)
{
  return (uact[j / 64] >> (j % 64)) & 1;
}

static int u_free(void)
{
  for (unsigned int w = 0; w < uwords; w++) {
    uint64_t x = ~uact[w];
    if (w == uwords - 1 && maxudp % 64) x &= ((uint64_t)1 << (maxudp % 64)) - 1;
    if (x) return w * 64 + __builtin_ctzll(x);
  }
  return -1;
}

/* for each active UDP job j, in slot order (jobs may end meanwhile) */
#define FOR_UDP(j) \
  for (unsigned int w_ = 0; w_ < uwords; w_++) \
    for (uint64_t b_ = uact[w_]; b_; b_ &= b_ - 1) \
      for (int j = (int)w_ * 64 + __builtin_ctzll(b_), o_ = 1; o_; o_ = 0)

static void u_end(int j)
{
  uact[j / 64] &= ~((uint64_t)1 << (j % 64));
  uactive--;
  counters();
}

static void u_drop(int j, int err)
{
  if (!u_active(j)) return;
  if (!u[j].answered) log_querydrop(u[j].num, err);
  u_end(j);
}

static void u_send(int j)
{
  response_id(u[j].id);
  clientquery_reply(&u[j].edns, 1);
  udpbatch_queue(udp53[u[j].sock], response_data(), response_len(), u[j].ip, u[j].port);
  log_querydone(u[j].num, response_len());
}

static void u_result(int j, int r)
{
  if (!u_active(j) || !r) return;
  if (u[j].answered) u_end(j);   /* the background resolution ended */
  else if (r == -1) u_drop(j, errno);
  else if (r == 2) { u_send(j); u[j].answered = 1; }
  else { u_send(j); u_end(j); }
}

/* One packet read from udp53[sock]: checks, a job slot, the query. */
static void u_new(int sock, const char *buf, unsigned int len, const unsigned char ip[16],
                  uint16_t port)
{
  struct clientquery qu;
  int j;

  if (!clientquery_udp6(buf, len, ip, port, &qu)) return;

  j = u_free();
  if (j < 0) {
    j = 0;
    for (int i = 1; i < (int)maxudp; i++) if (u[i].num < u[j].num) j = i;
    query_forget(&u[j].q);
    u_drop(j, ETIMEDOUT);
  }

  uact[j / 64] |= (uint64_t)1 << (j % 64);
  uactive++;
  u[j].io = -1;
  u[j].sock = sock;
  u[j].answered = 0;
  memcpy(u[j].ip, ip, 16);
  u[j].port = port;
  u[j].id = qu.id;
  u[j].edns = qu.edns;
  u[j].num = ++numqueries;
  counters();
  log_query6(u[j].num, ip, port, qu.id, qu.name, qu.qtype);
  u_result(j, clientquery_start(&u[j].q, &qu, myipoutgoing));
}

/* The packets ready on udp53[sock], up to UDPBATCH_MAX, in arrival
   order; returns how many were read. */
static unsigned int u_drain(int sock)
{
  unsigned int n = udpbatch_recv(udp53[sock]);
  for (unsigned int i = 0; i < n; i++) {
    const char *buf;
    unsigned int len;
    unsigned char ip[16];
    uint16_t port;
    if (udpbatch_in(i, &buf, &len, ip, &port)) u_new(sock, buf, len, ip, port);
  }
  return n;
}

/* ---------------------------------------------------------------- TCP */

/* A connection reads a query's frame (T_READ, tcpframe.h), resolves it
   (T_QUERY, nothing is read meanwhile), writes the reply (T_WRITE), and
   starts over. */
enum { T_READ = 1, T_QUERY, T_WRITE };

static struct tcpjob {
  struct query q;
  int active;
  int state;
  int fd;
  uint64_t opened;    /* accept serial: the oldest connection goes first */
  int64_t timeout;    /* idle deadline while reading or writing */
  uint64_t num;
  unsigned char ip[16];   /* IPv4-mapped for IPv4 */
  uint16_t port, id;
  struct clientedns edns;
  struct tcpframe f;  /* its reply comes from the heap: 20 static 64 KiB
                         buffers would count against DATALIMIT */
  int io;
} *t;                /* maxtcp of them */

static void t_close(int j, int err)
{
  if (!t[j].active) return;
  tcpframe_free(&t[j].f);
  close(t[j].fd);
  log_tcpclose6(t[j].ip, t[j].port, err);
  t[j].active = 0;
  tactive--;
  counters();
}

static void t_drop(int j, int err)
{
  log_querydrop(t[j].num, err);
  t_close(j, EPIPE);
}

static void t_idle(int j, int64_t now)
{
  t[j].state = T_READ;
  tcpframe_start(&t[j].f);
  t[j].timeout = now + TCP_IDLE_MS;
}

static void t_respond(int j, int64_t now)
{
  response_id(t[j].id);
  clientquery_reply(&t[j].edns, 0);
  if (tcpframe_reply(&t[j].f, response_data(), response_len()) == -1) {
    t_drop(j, errno);   /* this query only */
    return;
  }
  log_querydone(t[j].num, response_len());
  t[j].state = T_WRITE;
  t[j].timeout = now + TCP_IDLE_MS;
}

static void t_result(int j, int r, int64_t now)
{
  if (r == -1) t_drop(j, errno);
  else if (r == 2) {   /* a stale answer: no background resolution over TCP */
    query_forget(&t[j].q);
    t_respond(j, now);
  } else if (r == 1) t_respond(j, now);
}

/* A whole query has been read: check it and start resolving. */
static void t_query(int j, int64_t now)
{
  struct clientquery qu;
  if (!clientquery_tcp(t[j].f.in, t[j].f.need, &qu)) { t_close(j, EPROTO); return; }
  t[j].id = qu.id;
  t[j].edns = qu.edns;
  t[j].num = ++numqueries;
  t[j].state = T_QUERY;
  counters();
  log_query6(t[j].num, t[j].ip, t[j].port, qu.id, qu.name, qu.qtype);
  t_result(j, clientquery_start(&t[j].q, &qu, myipoutgoing), now);
}

/* The first read or write of a pass failing (EAGAIN after the idle
   deadline, an error, or EOF) closes the connection; a later EAGAIN just
   waits for the next pass. */
static void t_read(int j, int64_t now)
{
  int r = tcpframe_read(&t[j].f, t[j].fd);
  if (r == -1) t_close(j, errno);
  else if (r == 1) t_query(j, now);
}

static void t_write(int j, int64_t now)
{
  int r = tcpframe_write(&t[j].f, t[j].fd);
  if (r == -1) t_close(j, errno);
  else if (r == 1) t_idle(j, now);
}

static void t_new(int sock, int64_t now)
{
  unsigned char ip[16];
  uint16_t port;
  int fd, j;

  fd = socket_accept6(tcp53[sock], ip, &port);
  if (fd == -1) return;
  if (!clientquery_okpeer6(ip, port)) { close(fd); return; }

  for (j = 0; j < (int)maxtcp; j++) if (!t[j].active) break;
  if (j == (int)maxtcp) {
    j = 0;
    for (int i = 1; i < (int)maxtcp; i++) if (t[i].opened < t[j].opened) j = i;
    if (t[j].state == T_QUERY) {
      query_forget(&t[j].q);
      t_drop(j, ETIMEDOUT);
    } else {
      t_close(j, ETIMEDOUT);
    }
  }

  t[j].active = 1;
  tactive++;
  t[j].fd = fd;
  t[j].opened = ++numaccepts;
  t[j].io = -1;
  memcpy(t[j].ip, ip, 16);
  t[j].port = port;
  t_idle(j, now);
  counters();
  log_tcpopen6(ip, port);
}

/* --------------------------------------------------------- cache dump */

/* $DUMPCACHE (SPEC 4.3): SIGALRM writes the cache to that file, from a
   child process so that answering never waits for the disk: the child
   has the cache as it was at fork() and the parent goes on.  A SIGALRM
   while a dump runs waits until it ends.  SIGTERM writes it and exits.
   The handlers only set flags; the loop acts on them each pass. */
static const char *dumpfile;
static volatile sig_atomic_t wantdump, wantexit;
static pid_t dumper;    /* the child writing a dump, or 0 */
static int dumppipe = -1;   /* its result, read once it has exited */

struct dumpresult {
  uint64_t entries, bytes;
  int err;
};

static void on_alrm(int s) { (void)s; wantdump = 1; }
static void on_term(int s) { (void)s; wantexit = 1; }

/* The child: nothing of the parent's but the cache and the file. */
static void dump_child(int wfd)
{
  struct dumpresult r = { 0, 0, 0 };
  struct rlimit rl;
  signal(SIGALRM, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  /* background work: the parent's answers come first */
  if (setpriority(PRIO_PROCESS, 0, 10) == -1) { /* not fatal */ }
  /* sockets closed here, not kept open until the dump ends */
  int maxfd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
  for (int fd = 3; fd < maxfd; fd++) if (fd != wfd) close(fd);
  if (!cachefile_save(dumpfile, clock_sec(), (int64_t)time(NULL), &r.entries, &r.bytes))
    r.err = errno ? errno : EIO;
  if (write(wfd, &r, sizeof r) != sizeof r) _exit(111);
  _exit(r.err ? 111 : 0);
}

static void dump_begin(void)
{
  int p[2];
  wantdump = 0;
  if (pipe(p) == -1) { log_dumpfail(errno); return; }
  pid_t pid = fork();
  if (pid == -1) {
    log_dumpfail(errno);
    close(p[0]);
    close(p[1]);
    return;
  }
  if (pid == 0) { close(p[0]); dump_child(p[1]); }
  close(p[1]);
  dumper = pid;
  dumppipe = p[0];
}

/* Reaps the child if it has exited (or waits for it: block) and logs
   its result. */
static void dump_reap(int block)
{
  struct dumpresult r;
  int st;
  pid_t got = waitpid(dumper, &st, block ? 0 : WNOHANG);
  if (got == 0 || (got == -1 && errno == EINTR)) return;
  if (read(dumppipe, &r, sizeof r) != sizeof r) r.err = EINTR;   /* killed */
  close(dumppipe);
  dumppipe = -1;
  dumper = 0;
  if (r.err) log_dumpfail(r.err);
  else log_dump(r.entries, r.bytes);
}

/* Once per pass, after the pass's work. */
static void dump_poll(void)
{
  if (!dumpfile) return;
  if (dumper) dump_reap(0);
  if (wantexit) {
    struct dumpresult r = { 0, 0, 0 };
    if (dumper) {   /* an older snapshot: this one replaces it */
      kill(dumper, SIGKILL);
      dump_reap(1);
    }
    if (cachefile_save(dumpfile, clock_sec(), (int64_t)time(NULL), &r.entries, &r.bytes))
      log_dump(r.entries, r.bytes);
    else
      log_dumpfail(errno);
    log_flush();
    _exit(0);
  }
  if (wantdump && !dumper) dump_begin();
}

static void dump_init(void)
{
  struct sigaction sa = { 0 };
  const char *x = getenv("SLURPCACHE");
  if (x && *x) {
    uint64_t loaded, expired;
    const char *why;
    if (cachefile_load(x, clock_sec(), (int64_t)time(NULL), &loaded, &expired, &why))
      log_slurp(loaded, expired);
    else
      log_slurpfail(why);
  }
  x = getenv("DUMPCACHE");
  if (!x || !*x) return;   /* SIGALRM and SIGTERM kill, as in 1.05 */
  dumpfile = x;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sa.sa_handler = on_alrm;
  sigaction(SIGALRM, &sa, NULL);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
}

/* --------------------------------------------------------------- loop */

static struct pollfd *io;   /* 2 * nlisten + maxudp + maxtcp */

/* A pass may skip poll (and so the log write before it) when the last
   pass read at least 2 packets from UDP/53 and no job is active: a
   steady stream of cache hits then costs one recvmmsg and one sendmmsg
   per pass.  At most POLL_SKIP_MAX passes in a row, so TCP/53 is looked
   at all the same; a pass that reads nothing polls (and writes the log
   first) again, so log lines are written before the daemon sleeps, as
   before, and in the same order.  With several addresses a skipped poll
   reads only the UDP sockets that had packets last pass: the others
   are looked at by the next poll, as TCP/53 is. */
#define POLL_SKIP_MAX 64

static void doit(void)
{
  unsigned int udplast[MAXLISTEN] = { 0 }, udpall = 0, skipped = 0;
  for (;;) {
    int64_t now = clock_ms();
    int64_t deadline = now + WAIT_MAX_MS;
    int64_t wait;
    nfds_t n = 0;
    int listening = 0;

    /* io[2k] is udp53[k], io[2k + 1] is tcp53[k] */
    for (unsigned int k = 0; k < nlisten; k++) {
      io[n].fd = udp53[k]; io[n].events = POLLIN; io[n].revents = 0; n++;
      io[n].fd = tcp53[k]; io[n].events = POLLIN; io[n].revents = 0; n++;
    }

    FOR_UDP(j) {
      u[j].io = (int)n;
      io[n].fd = -1; io[n].events = 0; io[n].revents = 0;
      query_io(&u[j].q, &io[n], &deadline);
      n++;
    }
    for (int j = 0; j < (int)maxtcp; j++) {
      if (!t[j].active) { t[j].io = -1; continue; }
      t[j].io = (int)n;
      io[n].revents = 0;
      if (t[j].state == T_QUERY) {
        io[n].fd = -1; io[n].events = 0;
        query_io(&t[j].q, &io[n], &deadline);
      } else {
        io[n].fd = t[j].fd;
        io[n].events = t[j].state == T_WRITE ? POLLOUT : POLLIN;
        if (t[j].timeout < deadline) deadline = t[j].timeout;
      }
      n++;
    }

    if (udpall >= 2 && !uactive && !tactive && skipped < POLL_SKIP_MAX) {
      for (unsigned int k = 0; k < nlisten; k++) if (udplast[k]) io[2 * k].revents = POLLIN;
      skipped++;
    } else {
      skipped = 0;
      log_flush();
      wait = deadline - now;
      if (wait < 0) wait = 0;
      if (wait > POLL_MAX_MS) wait = POLL_MAX_MS;
      if (poll(io, n, (int)wait) < 0)   /* EINTR or worse: just a pass with no events */
        for (nfds_t i = 0; i < n; i++) io[i].revents = 0;
      now = clock_ms();
    }

    FOR_UDP(j) {
      if (!u_active(j) || u[j].io < 0) continue;
      u_result(j, query_get(&u[j].q, &io[u[j].io], now));
    }
    for (int j = 0; j < (int)maxtcp; j++) {
      if (!t[j].active || t[j].io < 0) continue;
      struct pollfd *x = &io[t[j].io];
      if (t[j].state == T_QUERY) {
        t_result(j, query_get(&t[j].q, x, now), now);
        continue;
      }
      if (x->revents) t[j].timeout = now + TCP_IDLE_MS;
      else if (now < t[j].timeout) continue;
      if (t[j].state == T_WRITE) t_write(j, now);
      else t_read(j, now);
    }

    for (unsigned int k = 0; k < 2 * nlisten; k++) if (io[k].revents) listening = 1;
    if (listening) okclient_refresh(now);
    udpall = 0;
    for (unsigned int k = 0; k < nlisten; k++) {
      udplast[k] = io[2 * k].revents ? u_drain((int)k) : 0;
      udpall += udplast[k];
    }
    udpbatch_send();
    for (unsigned int k = 0; k < nlisten; k++) if (io[2 * k + 1].revents) t_new((int)k, now);
    dump_poll();
  }
}

/* ------------------------------------------------------------ start-up */

static _Noreturn void die(const char *a, const char *b, int sys)
{
  log_flush();
  strerr_die(STRERR_TEMP, PROG, a, b, NULL, sys);
}

/* $MAXUDP, $MAXTCP: a whole decimal number from 1 to limit, or def if
   unset; anything else is fatal with bad and the value. */
static unsigned int need_count(const char *var, unsigned int def, unsigned int limit,
                               const char *bad)
{
  const char *x = getenv(var);
  unsigned long v;
  size_t len;
  if (!x) return def;
  len = scan_ulong(x, &v);
  if (!len || x[len] || len > 9 || v < 1 || v > limit) die(bad, x, 0);
  return (unsigned int)v;
}

/* The job tables, all their memory taken now, and enough open files for
   a socket per UDP job and two per TCP connection (raised as root, before
   droproot; the defaults fit in the usual 1024). */
static void tables(void)
{
  struct rlimit r;
  rlim_t need = (rlim_t)maxudp + 2 * (rlim_t)maxtcp + 2 * (rlim_t)(nlisten - 1) + 64;
  uwords = (maxudp + 63) / 64;
  u = calloc(maxudp, sizeof *u);
  uact = calloc(uwords, sizeof *uact);
  t = calloc(maxtcp, sizeof *t);
  io = calloc(2 * (size_t)nlisten + maxudp + maxtcp, sizeof *io);
  if (!u || !uact || !t || !io) die("not enough memory for $MAXUDP and $MAXTCP", NULL, 0);
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY && r.rlim_cur < need) {
    r.rlim_cur = need;
    if (r.rlim_max != RLIM_INFINITY && r.rlim_max < need) r.rlim_max = need;
    if (setrlimit(RLIMIT_NOFILE, &r) == -1)
      die("unable to raise the open files limit for $MAXUDP and $MAXTCP", NULL, 1);
  }
}

/* $IP: one address or several separated by '/' (SPEC 4.1), each IPv4
   (read as the original reads it: ip4_scan's leniency) or IPv6 (RFC 5952
   text, "%zone" for link-local); empty elements are skipped; at most
   MAXLISTEN.  A bad
   element is fatal with the original's message, naming that element. */
static void need_ip(void)
{
  const char *x = getenv("IP");
  const char *p = x;
  if (!x) die("$IP not set", NULL, 0);
  for (;;) {
    size_t n = strcspn(p, "/");
    if (n) {
      char zone[IP6_ZONE], bad[IP6_FMT + IP6_ZONE];
      unsigned char ip4[4];
      int ok = nlisten < MAXLISTEN && ip6_scan46(p, n, listenip[nlisten], zone);
      uint32_t scope = 0;
      /* whatever 1.05 took keeps its meaning: ip4_scan ignores what
         follows the fourth number ("127.0.0.1:53", long junk) */
      if (!ok && nlisten < MAXLISTEN && ip4_scan(p, ip4)) {
        ip6_from4(listenip[nlisten], ip4);
        zone[0] = 0;
        ok = 1;
      }
      if (ok && zone[0]) {
        unsigned long num;
        scope = if_nametoindex(zone);
        if (!scope && scan_ulong(zone, &num) == strlen(zone) && num <= 0xffffffffu)
          scope = (uint32_t)num;
        ok = scope != 0;
      }
      if (!ok) {
        if (n >= sizeof bad) n = sizeof bad - 1;
        memcpy(bad, p, n);
        bad[n] = 0;
        /* one address: the whole value, as the original */
        die(nlisten == MAXLISTEN ? "more than 16 addresses in $IP: " : "unable to parse IP address ",
            strchr(x, '/') ? bad : x, 0);
      }
      listenscope[nlisten++] = scope;
    }
    if (!p[n]) break;
    p += n + 1;
  }
  if (!nlisten) die("unable to parse IP address ", x, 0);
}

/* Each address of $IP bound for UDP and TCP port 53, in the original's
   order of steps and messages; with $REUSEPORT every socket gets
   SO_REUSEPORT. */
static void listen_all(int reuseport)
{
  for (unsigned int k = 0; k < nlisten; k++) {
    udp53[k] = socket_udp46(listenip[k]);
    if (udp53[k] == -1) die("unable to create UDP socket", NULL, 1);
    if (reuseport && socket_reuseport(udp53[k]) == -1)
      die("unable to set SO_REUSEPORT on UDP socket", NULL, 1);
    if (socket_bind6_reuse(udp53[k], listenip[k], 53, listenscope[k]) == -1)
      die("unable to bind UDP socket", NULL, 1);

    tcp53[k] = socket_tcp46(listenip[k]);
    if (tcp53[k] == -1) die("unable to create TCP socket", NULL, 1);
    if (reuseport && socket_reuseport(tcp53[k]) == -1)
      die("unable to set SO_REUSEPORT on TCP socket", NULL, 1);
    if (socket_bind6_reuse(tcp53[k], listenip[k], 53, listenscope[k]) == -1)
      die("unable to bind TCP socket", NULL, 1);
  }
}

/* The sources of outgoing queries (SPEC 4.1): $IPSEND, IPv4 as the
   original, or IPv6 (then IPv4 goes from any address); $IPSEND6 if set,
   else an IPv6 $IPSEND, else ::, for IPv6 servers; $DISABLEIPV6. */
static void need_ipsend(void)
{
  unsigned char send6[16];
  char zone[IP6_ZONE];
  const char *x = getenv("IPSEND");
  memset(send6, 0, sizeof send6);
  if (!x) die("$IPSEND not set", NULL, 0);
  if (strchr(x, ':')) {
    if (!ip6_scan46(x, strlen(x), send6, zone) || zone[0] || ip6_isv4mapped(send6))
      die("unable to parse IP address ", x, 0);
    memset(myipoutgoing, 0, 4);
  } else if (!ip4_scan(x, myipoutgoing))
    die("unable to parse IP address ", x, 0);
  x = getenv("IPSEND6");
  if (x && (!strchr(x, ':') || !ip6_scan46(x, strlen(x), send6, zone) || zone[0]
            || ip6_isv4mapped(send6)))
    die("unable to parse IP address ", x, 0);
  dns_transmit_ip6(send6, getenv("DISABLEIPV6") != NULL);
}

int main(void)
{
  char seed[128];
  unsigned char key[16];
  unsigned long cachesize;
  const char *x;
  int hidettl, forwardonly, reuseport;

  signal(SIGPIPE, SIG_IGN);
  /* keep fd 0 from being taken by a socket if it came closed: the seed
     read and close(0) below must not touch a socket */
  if (fcntl(0, F_GETFD) == -1) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd > 0) close(fd);
  }

  need_ip();
  maxudp = need_count("MAXUDP", MAXUDP_DEFAULT, MAXUDP_LIMIT,
                      "$MAXUDP must be a number from 1 to 100000, not ");
  maxtcp = need_count("MAXTCP", MAXTCP_DEFAULT, MAXTCP_LIMIT,
                      "$MAXTCP must be a number from 1 to 10000, not ");
  reuseport = getenv("REUSEPORT") != NULL;
  tables();

  listen_all(reuseport);

  droproot(PROG);

  /* 1.05's 128 KB holds about as many queries as its 200 jobs; a larger
     table gets a buffer in proportion, so a burst it could take is not
     dropped by the kernel first (capped by net.core.rmem_max). */
  for (unsigned int k = 0; k < nlisten; k++)
    socket_rcvbuf(udp53[k], maxudp > 200 ? (int)(655 * maxudp) : 131072);

  for (size_t i = 0; i < sizeof seed; i++) seed[i] = 0;
  if (read(0, seed, sizeof seed) < 0) { /* a missing seed is not fatal */ }
  dns_random_init(seed);
  close(0);

  need_ipsend();

  x = getenv("CACHESIZE");
  if (!x) die("$CACHESIZE not set", NULL, 0);
  cachesize = 0;
  scan_ulong(x, &cachesize);
  /* the original's cache_init takes an unsigned int: larger values wrap */
  if (!cache_init((uint32_t)cachesize))
    die("not enough memory for cache of size ", x, 0);
  dns_random_bytes(key, sizeof key);
  cache_setkey(key);

  hidettl = getenv("HIDETTL") != NULL;
  forwardonly = getenv("FORWARDONLY") != NULL;

  if (!roots_init()) die("unable to read servers", NULL, 1);

  for (unsigned int k = 0; k < nlisten; k++)
    if (socket_listen(tcp53[k], (int)maxtcp) == -1)
      die("unable to listen on TCP socket", NULL, 1);

  query_init(forwardonly, hidettl);
  query_queryloopback(getenv("QUERYLOOPBACK") != NULL);
  query_disableipv6(getenv("DISABLEIPV6") != NULL);
  x = getenv("SERVESTALE");   /* seconds, read as CACHESIZE is (junk: 0, off) */
  if (x) {
    unsigned long stale = 0;
    scan_ulong(x, &stale);
    query_servestale(stale > 4294967295ul ? 4294967295u : (uint32_t)stale);
  }
  dns_transmit_edns(1);   /* EDNS0 upstream (SPEC 4.2); the client tools stay without */

  log_startup();
  dump_init();
  doit();
}
