/* dnscache-stats: a summary of dnscache log files (multilog's current and
   rotated @*.s files, or stdin), in the log grammar of djbdns 1.05 and of
   this dnscache (README "dnscache-stats").  --prometheus prints the
   counters in Prometheus' text exposition format instead.

   Guarantees: no allocation at all: every table is fixed-size and static
   (keys that no longer fit are counted under "(other)"), so memory is
   bounded whatever the input; a line of any content or length is either
   parsed (logparse.c) or counted as unparsed, never more; keys are hashed
   with SipHash under a random key, so crafted names cannot make the
   tables slow.  Exit 0, or 111 if a file cannot be read or the output
   cannot be written; 100 for a bad option. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "buffer.h"
#include "logparse.h"
#include "siphash.h"
#include "strerr.h"

#define PROG "dnscache-stats"
#define USAGE "dnscache-stats [--prometheus] [file ...]"
#define TOP 10

/* ---- counting tables: open addressing over a fixed key arena ---- */

struct entry {
  uint32_t off;        /* key in the arena */
  uint32_t len;
  uint64_t count;
};

struct table {
  uint32_t *slot;      /* entry index + 1; 0 = free */
  unsigned int nslots; /* power of two, twice max */
  struct entry *e;
  unsigned int max, used;
  char *arena;
  size_t arenasize, arenaused;
  uint64_t other;      /* counts whose key did not fit */
};

static unsigned char hashkey[16];

#define TABLE(id, slots, entries, bytes)                                  \
  static uint32_t id##_slot[slots];                                       \
  static struct entry id##_e[entries];                                    \
  static char id##_arena[bytes];                                          \
  static struct table id = { id##_slot, slots, id##_e, entries, 0,        \
                             id##_arena, bytes, 0, 0 }

TABLE(clients, 1 << 17, 1 << 16, 1 << 21);
TABLE(names, 1 << 18, 1 << 17, 1 << 24);
TABLE(drops, 256, 128, 1 << 14);
TABLE(servfails, 1 << 14, 1 << 13, 1 << 20);
TABLE(lames, 1 << 14, 1 << 13, 1 << 20);

static void bump(struct table *t, const char *key, size_t len)
{
  uint64_t h = siphash24(hashkey, key, len);
  unsigned int mask = t->nslots - 1, i = (unsigned int)h & mask, probe;
  for (probe = 0; probe < t->nslots; ++probe, i = (i + 1) & mask) {
    uint32_t s = t->slot[i];
    struct entry *e;
    if (!s) break;
    e = &t->e[s - 1];
    if (e->len == len && !memcmp(t->arena + e->off, key, len)) {
      ++e->count;
      return;
    }
  }
  if (probe == t->nslots || t->used == t->max || len > t->arenasize - t->arenaused) {
    ++t->other;
    return;
  }
  memcpy(t->arena + t->arenaused, key, len);
  t->e[t->used].off = (uint32_t)t->arenaused;
  t->e[t->used].len = (uint32_t)len;
  t->e[t->used].count = 1;
  t->arenaused += len;
  t->slot[i] = ++t->used;
}

static int keycmp(const struct table *t, const struct entry *a, const struct entry *b)
{
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(t->arena + a->off, t->arena + b->off, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

/* The TOP largest counts, ties in key order (so output is repeatable). */
static unsigned int top(const struct table *t, const struct entry **best)
{
  unsigned int n = 0, i, j;
  for (i = 0; i < t->used; ++i) {
    const struct entry *e = &t->e[i];
    for (j = n; j > 0; --j) {
      const struct entry *b = best[j - 1];
      if (b->count > e->count || (b->count == e->count && keycmp(t, b, e) < 0)) break;
      if (j < TOP) best[j] = b;
    }
    if (j < TOP) {
      best[j] = e;
      if (n < TOP) ++n;
    }
  }
  return n;
}

/* ---- the figures ---- */

static struct {
  uint64_t lines, unparsed, toolong;
  uint64_t queries, sent, fromcache, drops, tx, servfail, lame, tcpopen, starting, fatal;
  uint64_t nxdomain, nodata;
  int havestats;
  uint64_t stats[4];
  int stamped;
  uint64_t stampedqueries;       /* queries with a stamp: the rate's numerator */
  uint64_t first, last;          /* Unix seconds of the first and last stamp */
  uint64_t minute, minutecount;  /* the minute being counted */
  uint64_t peakminute, peakcount;
} f;

/* The query whose "sent" would make it a cache answer: the last query
   line, as long as only cached (and stats) lines have followed it. */
static int pending;
static uint64_t pendingid;

static void minute_close(void)
{
  if (f.minutecount > f.peakcount) {
    f.peakcount = f.minutecount;
    f.peakminute = f.minute;
  }
}

static void line(const char *s, size_t len)
{
  struct logline l;
  ++f.lines;
  logparse_line(s, len, &l);
  if (l.stamped) {
    if (!f.stamped || l.sec < f.first) f.first = l.sec;
    if (!f.stamped || l.sec > f.last) f.last = l.sec;
    f.stamped = 1;
  }
  if (l.kind == LOG_SENT && pending && l.n[0] == pendingid) ++f.fromcache;
  if (l.kind != LOG_CACHED && l.kind != LOG_STATS) pending = 0;
  switch (l.kind) {
  case LOG_UNPARSED: ++f.unparsed; break;
  case LOG_STARTING: ++f.starting; break;
  case LOG_FATAL: ++f.fatal; break;
  case LOG_QUERY:
    ++f.queries;
    pending = 1;
    pendingid = l.n[0];
    bump(&clients, l.ip.s, l.ip.len);
    bump(&names, l.name.s, l.name.len);
    if (l.stamped) {
      uint64_t m = l.sec / 60;
      ++f.stampedqueries;
      if (m != f.minute) {
        minute_close();
        f.minute = m;
        f.minutecount = 0;
      }
      ++f.minutecount;
    }
    break;
  case LOG_SENT:
    ++f.sent;
    break;
  case LOG_DROP:
    ++f.drops;
    bump(&drops, l.text.s, l.text.len);
    break;
  case LOG_TX: ++f.tx; break;
  case LOG_SERVFAIL:
    ++f.servfail;
    bump(&servfails, l.name.s, l.name.len);
    break;
  case LOG_LAME: {
    char key[600];
    if (l.name.len + 1 + l.ip.len <= sizeof key) {
      memcpy(key, l.name.s, l.name.len);
      key[l.name.len] = ' ';
      memcpy(key + l.name.len + 1, l.ip.s, l.ip.len);
      bump(&lames, key, l.name.len + 1 + l.ip.len);
    }
    ++f.lame;
    break;
  }
  case LOG_TCPOPEN: ++f.tcpopen; break;
  case LOG_NXDOMAIN: ++f.nxdomain; break;
  case LOG_NODATA: ++f.nodata; break;
  case LOG_STATS:
    f.havestats = 1;
    memcpy(f.stats, l.n, sizeof f.stats);
    break;
  case LOG_TCPCLOSE:
  case LOG_RR:
  case LOG_CACHED:
    break;
  }
}

/* ---- reading ---- */

static char inbuf[1 << 20];

static void readfd(int fd, const char *fn)
{
  size_t have = 0;
  int skipping = 0;   /* inside a line longer than inbuf */
  for (;;) {
    ssize_t r = read(fd, inbuf + have, sizeof inbuf - have);
    size_t start = 0, end;
    if (r == -1) {
      if (errno == EINTR) continue;
      strerr_die(STRERR_TEMP, PROG, "unable to read ", fn, 0, 1);
    }
    if (r == 0) break;
    end = have + (size_t)r;
    for (;;) {
      char *nl = memchr(inbuf + start, '\n', end - start);
      size_t n;
      if (!nl) break;
      n = (size_t)(nl - (inbuf + start));
      if (skipping) skipping = 0;   /* the end of an over-long line */
      else line(inbuf + start, n);
      start += n + 1;
    }
    have = end - start;
    memmove(inbuf, inbuf + start, have);
    if (have == sizeof inbuf) {   /* no newline in 1 MB: not a log line */
      if (!skipping) { ++f.lines; ++f.unparsed; ++f.toolong; pending = 0; }
      skipping = 1;
      have = 0;
    }
  }
  if (have && !skipping) line(inbuf, have);   /* a last line cut short */
}

/* ---- writing ---- */

static char outspace[1 << 16];
static buffer out = BUFFER_INIT(1, outspace, sizeof outspace);

static void put(const char *s, size_t n)
{
  if (buffer_put(&out, s, n) == -1) strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
}
static void puts_(const char *s) { put(s, strlen(s)); }
static void putu(uint64_t u)
{
  char t[24];
  put(t, (size_t)snprintf(t, sizeof t, "%llu", (unsigned long long)u));
}
static void putkey(const struct table *t, const struct entry *e)
{
  put(t->arena + e->off, e->len);
}

/* hits and answered as "12.34" (percent, two decimals, rounded) */
static void putpercent(uint64_t part, uint64_t whole)
{
  char t[40];
  double p = whole ? 100.0 * (double)part / (double)whole : 0;
  put(t, (size_t)snprintf(t, sizeof t, "%.2f", p));
}

static void putminute(uint64_t minute)
{
  char t[40];
  time_t sec = (time_t)(minute * 60);
  struct tm tm;
  if (!gmtime_r(&sec, &tm) || !strftime(t, sizeof t, "%Y-%m-%d %H:%M UTC", &tm)) {
    puts_("?");
    return;
  }
  puts_(t);
}

static void putip(const char *hex, size_t len)
{
  char t[LOGPARSE_IPFMT];
  size_t n = logparse_ipfmt(t, hex, len);
  if (n) put(t, n);
  else put(hex, len);
}

static void list(const char *title, const struct table *t, int kind)
{
  const struct entry *best[TOP];
  unsigned int n = top(t, best), i;
  if (!n && !t->other) return;
  puts_(title);
  puts_("\n");
  for (i = 0; i < n; ++i) {
    puts_("  ");
    putu(best[i]->count);
    puts_(" ");
    if (kind == 1) putip(t->arena + best[i]->off, best[i]->len);
    else if (kind == 2) {   /* "zone serverhex" */
      const char *k = t->arena + best[i]->off, *sp = memchr(k, ' ', best[i]->len);
      size_t zl = sp ? (size_t)(sp - k) : best[i]->len;
      put(k, zl);
      if (sp) {
        puts_(" ");
        putip(sp + 1, best[i]->len - zl - 1);
      }
    } else putkey(t, best[i]);
    puts_("\n");
  }
  if (t->other) {
    puts_("  ");
    putu(t->other);
    puts_(" (other: table full)\n");
  }
}

static void summary(void)
{
  uint64_t resolved = f.sent - f.fromcache;
  puts_("lines "); putu(f.lines);
  puts_(" (unparsed "); putu(f.unparsed); puts_(")\n");
  if (f.starting || f.fatal) {
    puts_("starts "); putu(f.starting);
    puts_(", fatal errors "); putu(f.fatal); puts_("\n");
  }
  puts_("queries "); putu(f.queries); puts_("\n");
  puts_("  answered from cache "); putu(f.fromcache); puts_("\n");
  puts_("  answered after asking servers "); putu(resolved); puts_("\n");
  puts_("  dropped "); putu(f.drops); puts_("\n");
  puts_("hit ratio ");
  if (f.sent) {
    putpercent(f.fromcache, f.sent);
    puts_("% ("); putu(f.fromcache); puts_(" of "); putu(f.sent); puts_(" answers)\n");
  } else puts_("n/a (no answers)\n");
  puts_("outgoing queries "); putu(f.tx); puts_("\n");
  puts_("nxdomain "); putu(f.nxdomain); puts_(", nodata "); putu(f.nodata); puts_("\n");
  puts_("servfail "); putu(f.servfail); puts_("\n");
  puts_("lame "); putu(f.lame); puts_("\n");
  puts_("tcp connections "); putu(f.tcpopen); puts_("\n");
  list("drops by reason:", &drops, 0);
  list("servfail by name (top 10):", &servfails, 0);
  list("lame servers by zone (top 10):", &lames, 2);
  list("busiest clients (top 10):", &clients, 1);
  list("busiest names (top 10):", &names, 0);
  if (f.stampedqueries) {
    uint64_t span = f.last - f.first;
    char t[64];
    minute_close();
    puts_("queries per minute ");
    if (span) {
      put(t, (size_t)snprintf(t, sizeof t, "%.1f", (double)f.stampedqueries * 60.0 / (double)span));
      puts_(" (over "); putu(span); puts_(" s)");
    } else puts_("n/a (all in one second)");
    puts_(", busiest minute ");
    putminute(f.peakminute);
    puts_(" with "); putu(f.peakcount); puts_("\n");
  }
  if (f.havestats) {
    puts_("last stats: queries "); putu(f.stats[0]);
    puts_(", cache motion "); putu(f.stats[1]);
    puts_(" bytes, active udp "); putu(f.stats[2]);
    puts_(", tcp "); putu(f.stats[3]); puts_("\n");
  }
}

static void metric(const char *name, const char *type, const char *help)
{
  puts_("# HELP "); puts_(name); puts_(" "); puts_(help); puts_("\n");
  puts_("# TYPE "); puts_(name); puts_(" "); puts_(type); puts_("\n");
}

/* A metric of one sample without labels. */
static void single(const char *name, const char *type, const char *help, uint64_t v)
{
  metric(name, type, help);
  puts_(name); puts_(" "); putu(v); puts_("\n");
}

/* A label value: backslash, double quote and newline escaped. */
static void putlabel(const char *s, size_t n)
{
  size_t i;
  for (i = 0; i < n; ++i) {
    if (s[i] == '\\') puts_("\\\\");
    else if (s[i] == '"') puts_("\\\"");
    else if (s[i] == '\n') puts_("\\n");
    else put(s + i, 1);
  }
}

static void prometheus(void)
{
  unsigned int i;
  single("dnscache_log_lines_total", "counter", "Log lines read.", f.lines);
  single("dnscache_log_unparsed_lines_total", "counter",
         "Log lines not in dnscache's log grammar.", f.unparsed);
  single("dnscache_starts_total", "counter", "Start-ups (starting lines).", f.starting);
  single("dnscache_queries_total", "counter", "Client queries (query lines).", f.queries);
  metric("dnscache_answers_total", "counter",
         "Answers sent (sent lines); source=\"cache\" when sent straight after the query line with only cached lines between.");
  puts_("dnscache_answers_total{source=\"cache\"} "); putu(f.fromcache); puts_("\n");
  puts_("dnscache_answers_total{source=\"resolved\"} "); putu(f.sent - f.fromcache); puts_("\n");
  metric("dnscache_drops_total", "counter", "Queries dropped without an answer (drop lines), by reason.");
  for (i = 0; i < drops.used; ++i) {
    puts_("dnscache_drops_total{reason=\"");
    putlabel(drops.arena + drops.e[i].off, drops.e[i].len);
    puts_("\"} "); putu(drops.e[i].count); puts_("\n");
  }
  if (drops.other) {
    puts_("dnscache_drops_total{reason=\"other\"} "); putu(drops.other); puts_("\n");
  }
  single("dnscache_outgoing_queries_total", "counter", "Queries sent to servers (tx lines).", f.tx);
  single("dnscache_nxdomain_total", "counter",
         "NXDOMAIN answers received from servers.", f.nxdomain);
  single("dnscache_nodata_total", "counter", "NODATA answers received from servers.", f.nodata);
  single("dnscache_servfail_total", "counter",
         "Names for which every server failed (servfail lines).", f.servfail);
  single("dnscache_lame_total", "counter", "Lame server replies (lame lines).", f.lame);
  single("dnscache_tcp_connections_total", "counter",
         "TCP connections accepted (tcpopen lines).", f.tcpopen);
  if (f.havestats) {
    single("dnscache_stats_queries", "gauge",
           "Queries since start, from the last stats line.", f.stats[0]);
    single("dnscache_stats_cache_motion_bytes", "gauge",
           "Bytes ever cached since start, from the last stats line.", f.stats[1]);
    single("dnscache_stats_udp_active", "gauge",
           "Active UDP queries at the last stats line.", f.stats[2]);
    single("dnscache_stats_tcp_active", "gauge",
           "Active TCP connections at the last stats line.", f.stats[3]);
  }
}

int main(int argc, char **argv)
{
  int prom = 0, i = 1;
  (void)argc;
  if (getrandom(hashkey, sizeof hashkey, 0) != (ssize_t)sizeof hashkey) {
    /* no randomness: a fixed key still works, only less flood-proof */
    memset(hashkey, 0x5a, sizeof hashkey);
  }
  for (; argv[i] && argv[i][0] == '-' && argv[i][1]; ++i) {
    if (!strcmp(argv[i], "--")) { ++i; break; }
    if (!strcmp(argv[i], "--prometheus")) prom = 1;
    else if (!strcmp(argv[i], "--help")) {
      puts_("usage: " USAGE "\n"
            "Reads dnscache log lines (multilog's @stamp prefix optional) from the\n"
            "files given, in order, or from stdin, and prints a summary:\n"
            "queries; answers from cache (a query whose sent line comes straight\n"
            "after its query line, with only cached lines between: no server was\n"
            "asked) and after asking servers (every other sent line); drops by\n"
            "reason; hit ratio = answers from cache / all answers (sent lines);\n"
            "servfail, lame servers by zone, busiest clients and names (top 10),\n"
            "queries per minute (from the stamps) and the last stats line.\n"
            "--prometheus: the counters in Prometheus text format instead.\n");
      if (buffer_flush(&out) == -1) strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
      return 0;
    } else strerr_usage(PROG, USAGE);
  }
  if (!argv[i]) readfd(0, "standard input");
  for (; argv[i]; ++i) {
    int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY | O_CLOEXEC) : 0;
    if (fd == -1) strerr_die(STRERR_TEMP, PROG, "unable to open ", argv[i], 0, 1);
    readfd(fd, argv[i]);
    if (fd) close(fd);
  }
  if (prom) prometheus();
  else summary();
  if (buffer_flush(&out) == -1) strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
  return 0;
}
