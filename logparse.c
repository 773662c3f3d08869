/* logparse: one dnscache log line (with or without multilog's TAI64N
   stamp) split into its fields.

   Guarantees: reads only the len bytes given, allocates nothing, keeps no
   state between calls; every slice it returns lies inside the line.  A
   line is accepted only when every word the grammar names is present and
   well formed; otherwise LOG_UNPARSED, whatever the bytes. */
#include <string.h>
#include "logparse.h"

/* A cursor over the line's words (separated by single spaces). */
struct cur { const char *s; size_t len, pos; };

/* The next word; 0 at the end of the line or on an empty word. */
static int word(struct cur *c, struct logslice *w)
{
  size_t i = c->pos;
  if (i >= c->len) return 0;
  while (i < c->len && c->s[i] != ' ') ++i;
  if (i == c->pos) return 0;
  w->s = c->s + c->pos;
  w->len = i - c->pos;
  c->pos = i < c->len ? i + 1 : i;
  if (i < c->len && c->pos >= c->len) return 0;   /* trailing space */
  return 1;
}

/* Whatever is left (at least one byte), e.g. an error text with spaces. */
static int rest(struct cur *c, struct logslice *w)
{
  if (c->pos >= c->len) return 0;
  w->s = c->s + c->pos;
  w->len = c->len - c->pos;
  c->pos = c->len;
  return 1;
}

static int atend(const struct cur *c) { return c->pos >= c->len; }

static int is(const struct logslice *w, const char *lit)
{
  size_t n = strlen(lit);
  return w->len == n && !memcmp(w->s, lit, n);
}

/* Decimal, 1 to 20 digits, no overflow. */
static int num(const struct logslice *w, uint64_t *u)
{
  uint64_t v = 0;
  size_t i;
  if (!w->len || w->len > 20) return 0;
  for (i = 0; i < w->len; ++i) {
    unsigned d = (unsigned char)w->s[i] - '0';
    if (d > 9) return 0;
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
  }
  *u = v;
  return 1;
}

static int hexdigit(char ch)
{
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

static int hexrun(const char *s, size_t n)
{
  size_t i;
  for (i = 0; i < n; ++i)
    if (!hexdigit(s[i])) return 0;
  return 1;
}

/* An address: 8 (IPv4) or 32 (IPv6) lower-case hex digits. */
static int addr(const struct logslice *w)
{
  return (w->len == 8 || w->len == 32) && hexrun(w->s, w->len);
}

/* IP:PORT (port 4 hex digits), as in tcpopen and tcpclose; with ID as
   well (IP:PORT:ID) for query. */
static int endpoint(const struct logslice *w, int withid, struct logslice *ip)
{
  size_t tail = withid ? 10 : 5, a;
  if (w->len <= tail) return 0;
  a = w->len - tail;
  ip->s = w->s;
  ip->len = a;
  if (!addr(ip)) return 0;
  if (w->s[a] != ':' || !hexrun(w->s + a + 1, 4)) return 0;
  if (withid && (w->s[a + 5] != ':' || !hexrun(w->s + a + 6, 4))) return 0;
  return 1;
}

/* A name as the log writes it: printable bytes, ending with '.'. */
static int name(const struct logslice *w)
{
  size_t i;
  if (!w->len || w->s[w->len - 1] != '.') return 0;
  for (i = 0; i < w->len; ++i)
    if ((unsigned char)w->s[i] <= 32 || (unsigned char)w->s[i] > 126) return 0;
  return 1;
}

static int text(const struct logslice *w)
{
  size_t i;
  for (i = 0; i < w->len; ++i)
    if (!w->s[i] || w->s[i] == '\n' || w->s[i] == '\r') return 0;
  return 1;
}

/* "@" + 24 hex digits + " ": TAI64N.  The label's seconds less 2^62 and
   the 10 s TAI-UTC offset of 1972 that tai64nlocal assumes give Unix time. */
static size_t stamp(const char *s, size_t len, struct logline *l)
{
  uint64_t sec = 0;
  uint32_t nsec = 0;
  size_t i;
  if (len < 26 || s[0] != '@' || s[25] != ' ') return 0;
  for (i = 1; i <= 24; ++i) {
    char ch = s[i];
    unsigned d;
    if (ch >= '0' && ch <= '9') d = (unsigned)(ch - '0');
    else if (ch >= 'a' && ch <= 'f') d = (unsigned)(ch - 'a' + 10);
    else return 0;
    if (i <= 16) sec = sec * 16 + d;
    else nsec = nsec * 16 + d;
  }
  if (sec < ((uint64_t)1 << 62) + 10 || nsec > 999999999) return 0;
  l->stamped = 1;
  l->sec = sec - ((uint64_t)1 << 62) - 10;
  l->nsec = nsec;
  return 26;
}

static enum logkind parse(struct cur *c, struct logline *l)
{
  struct logslice w, x;
  if (!word(c, &w)) return LOG_UNPARSED;
  if (is(&w, "starting")) return atend(c) ? LOG_STARTING : LOG_UNPARSED;
  if (is(&w, "query")) {
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &w) || !endpoint(&w, 1, &l->ip)) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[1])) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name) || !atend(c)) return LOG_UNPARSED;
    return LOG_QUERY;
  }
  if (is(&w, "sent")) {
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[1]) || !atend(c)) return LOG_UNPARSED;
    return LOG_SENT;
  }
  if (is(&w, "drop")) {
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!rest(c, &l->text) || !text(&l->text)) return LOG_UNPARSED;
    return LOG_DROP;
  }
  if (is(&w, "tcpopen")) {
    if (!word(c, &w) || !endpoint(&w, 0, &l->ip) || !atend(c)) return LOG_UNPARSED;
    return LOG_TCPOPEN;
  }
  if (is(&w, "tcpclose")) {
    if (!word(c, &w) || !endpoint(&w, 0, &l->ip)) return LOG_UNPARSED;
    if (!rest(c, &l->text) || !text(&l->text)) return LOG_UNPARSED;
    return LOG_TCPCLOSE;
  }
  if (is(&w, "tx")) {
    int nip = 0;
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[1])) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name)) return LOG_UNPARSED;
    if (!word(c, &x) || !name(&x)) return LOG_UNPARSED;
    while (word(c, &w)) {
      if (!addr(&w)) return LOG_UNPARSED;
      ++nip;
    }
    if (!nip || !atend(c)) return LOG_UNPARSED;
    return LOG_TX;
  }
  if (is(&w, "rr")) {
    if (!word(c, &l->ip) || !addr(&l->ip)) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &w)) return LOG_UNPARSED;
    if (!is(&w, "ns") && !is(&w, "cname") && !is(&w, "ptr") && !is(&w, "mx") &&
        !is(&w, "soa") && !num(&w, &l->n[1]))
      return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name)) return LOG_UNPARSED;
    if (!rest(c, &x) || !text(&x)) return LOG_UNPARSED;
    return LOG_RR;
  }
  if (is(&w, "cached")) {
    if (!word(c, &w)) return LOG_UNPARSED;
    if (is(&w, "cname") || is(&w, "ns")) {
      if (!word(c, &l->name) || !name(&l->name)) return LOG_UNPARSED;
      if (!word(c, &x) || !name(&x) || !atend(c)) return LOG_UNPARSED;
      return LOG_CACHED;
    }
    if (!is(&w, "nxdomain") && !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name) || !atend(c)) return LOG_UNPARSED;
    return LOG_CACHED;
  }
  if (is(&w, "nxdomain")) {
    if (!word(c, &l->ip) || !addr(&l->ip)) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name) || !atend(c)) return LOG_UNPARSED;
    return LOG_NXDOMAIN;
  }
  if (is(&w, "nodata")) {
    if (!word(c, &l->ip) || !addr(&l->ip)) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[0])) return LOG_UNPARSED;
    if (!word(c, &w) || !num(&w, &l->n[1])) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name) || !atend(c)) return LOG_UNPARSED;
    return LOG_NODATA;
  }
  if (is(&w, "lame")) {
    if (!word(c, &l->ip) || !addr(&l->ip)) return LOG_UNPARSED;
    if (!word(c, &l->name) || !name(&l->name)) return LOG_UNPARSED;
    if (!word(c, &x) || !name(&x) || !atend(c)) return LOG_UNPARSED;
    return LOG_LAME;
  }
  if (is(&w, "servfail")) {
    if (!word(c, &l->name) || !name(&l->name)) return LOG_UNPARSED;
    if (!rest(c, &l->text) || !text(&l->text)) return LOG_UNPARSED;
    return LOG_SERVFAIL;
  }
  if (is(&w, "stats")) {
    int i;
    for (i = 0; i < 4; ++i)
      if (!word(c, &w) || !num(&w, &l->n[i])) return LOG_UNPARSED;
    return atend(c) ? LOG_STATS : LOG_UNPARSED;
  }
  if (is(&w, "dnscache:")) {
    if (!word(c, &w) || !is(&w, "fatal:")) return LOG_UNPARSED;
    if (!rest(c, &l->text) || !text(&l->text)) return LOG_UNPARSED;
    return LOG_FATAL;
  }
  return LOG_UNPARSED;
}

enum logkind logparse_line(const char *s, size_t len, struct logline *l)
{
  struct cur c;
  size_t skip;
  memset(l, 0, sizeof *l);
  skip = stamp(s, len, l);
  c.s = s + skip;
  c.len = len - skip;
  c.pos = 0;
  if (memchr(c.s, 0, c.len)) return l->kind = LOG_UNPARSED;
  l->kind = parse(&c, l);
  if (l->kind == LOG_UNPARSED) {
    int st = l->stamped;
    uint64_t sec = l->sec;
    uint32_t nsec = l->nsec;
    memset(l, 0, sizeof *l);   /* no half-filled fields */
    l->stamped = st;
    l->sec = sec;
    l->nsec = nsec;
  }
  return l->kind;
}

static unsigned hexval(char ch)
{
  return ch <= '9' ? (unsigned)(ch - '0') : (unsigned)(ch - 'a' + 10);
}

size_t logparse_ipfmt(char *out, const char *ip, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  unsigned g[8];
  size_t o = 0, i;
  int best = -1, bestlen = 1, run, k;
  struct logslice w;
  w.s = ip;
  w.len = len;
  if (!addr(&w)) return 0;
  if (len == 8) {
    for (i = 0; i < 4; ++i) {
      unsigned v = hexval(ip[2 * i]) * 16 + hexval(ip[2 * i + 1]);
      if (i) out[o++] = '.';
      if (v >= 100) out[o++] = (char)('0' + v / 100);
      if (v >= 10) out[o++] = (char)('0' + v / 10 % 10);
      out[o++] = (char)('0' + v % 10);
    }
    return o;
  }
  for (i = 0; i < 8; ++i)
    g[i] = hexval(ip[4 * i]) << 12 | hexval(ip[4 * i + 1]) << 8 |
           hexval(ip[4 * i + 2]) << 4 | hexval(ip[4 * i + 3]);
  /* RFC 5952: the longest run of two or more zero groups becomes "::" */
  for (k = 0; k < 8; k += run ? run : 1) {
    run = 0;
    while (k + run < 8 && !g[k + run]) ++run;
    if (run > bestlen) { best = k; bestlen = run; }
  }
  for (k = 0; k < 8; ++k) {
    int started = 0, sh;
    if (k == best) {
      out[o++] = ':';
      out[o++] = ':';
      k += bestlen - 1;
      continue;
    }
    if (k && k != best + bestlen) out[o++] = ':';
    for (sh = 12; sh >= 0; sh -= 4) {
      unsigned d = g[k] >> sh & 15;
      if (d || started || !sh) { out[o++] = hex[d]; started = 1; }
    }
  }
  return o;
}
