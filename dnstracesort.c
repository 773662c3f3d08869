/* dnstracesort: reads dnstrace's output on stdin and prints it for
   people, as djbdns 1.05's dnstracesort does: grouped by name (a blank
   line before each group), sorted, each fact once, the zone part of each
   name underlined and ALERT in bold (backspace overstrikes, which less
   shows).  The line format and order are README "Tracing a delegation".

   Guarantees: any input (binary, long lines, lines with too few fields)
   is sorted and printed without a crash; memory grows with the input
   only.  Exit 0, or 111 when out of memory or the output cannot be
   written. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buffer.h"
#include "strerr.h"

#define PROG "dnstracesort"

/* A fact, as a line of colon-separated fields:
   TYPE:NAME:ZONE:SERVER:EVENT...  NS and A facts become
   glue:OWNER:ZONE:SERVER:answer:OWNER NS target (or A address), so the
   same record from several queries is one fact, shown as an answer. */
struct fact {
  char *s;
  size_t len;
  size_t key1;    /* end of TYPE:NAME:ZONE */
  size_t key2;    /* start of EVENT... (len if none) */
  size_t key3;    /* start of SERVER:EVENT... (len if none) */
};

static struct fact *facts;
static size_t nfacts, cfacts;
static char *in;   /* the whole input */

static _Noreturn void nomem(void)
{
  errno = ENOMEM;
  strerr_die(STRERR_TEMP, PROG, "out of memory", 0, 0, 0);
}

/* Field i (0-based) of s: its start and length; 0 if s has fewer. */
static int field(const char *s, size_t len, unsigned int i, size_t *start, size_t *flen)
{
  size_t p = 0;
  while (i) {
    const char *c = memchr(s + p, ':', len - p);
    if (!c) return 0;
    p = (size_t)(c - s) + 1;
    --i;
  }
  {
    const char *c = memchr(s + p, ':', len - p);
    *start = p;
    *flen = c ? (size_t)(c - (s + p)) : len - p;
  }
  return 1;
}

static int fieldis(const char *s, size_t len, unsigned int i, const char *lit)
{
  size_t a, n;
  return field(s, len, i, &a, &n) && n == strlen(lit) && !memcmp(s + a, lit, n);
}

static void add(char *s, size_t len)
{
  struct fact *f;
  size_t a, n;
  if (nfacts == cfacts) {
    size_t c = cfacts ? cfacts * 2 : 1024;
    struct fact *g;
    if (c > (size_t)-1 / sizeof *facts) nomem();
    g = realloc(facts, c * sizeof *facts);
    if (!g) nomem();
    facts = g;
    cfacts = c;
  }
  f = &facts[nfacts++];
  f->s = s;
  f->len = len;
  f->key1 = field(s, len, 3, &a, &n) ? a - 1 : len;
  f->key3 = field(s, len, 3, &a, &n) ? a : len;
  f->key2 = field(s, len, 4, &a, &n) ? a : len;
}

static void take(const char *line, size_t len)
{
  size_t a[8], n[8];
  unsigned int i;
  char *s;
  if (fieldis(line, len, 4, "tx")) return;
  for (i = 0; i < 8; ++i)
    if (!field(line, len, i, &a[i], &n[i])) { a[i] = len; n[i] = 0; }
  if (fieldis(line, len, 4, "A") || fieldis(line, len, 4, "NS")) {
    /* glue:OWNER:ZONE:SERVER:answer:OWNER TYPE VALUE (shown as an answer) */
    size_t total = 5 + n[5] + 1 + n[2] + 1 + n[3] + 8 + n[5] + 1 + n[4] + 1 + n[6], p = 0;
    s = malloc(total);
    if (!s) nomem();
    memcpy(s, "glue:", 5); p = 5;
    memcpy(s + p, line + a[5], n[5]); p += n[5];
    s[p++] = ':';
    memcpy(s + p, line + a[2], n[2]); p += n[2];
    s[p++] = ':';
    memcpy(s + p, line + a[3], n[3]); p += n[3];
    memcpy(s + p, ":answer:", 8); p += 8;
    memcpy(s + p, line + a[5], n[5]); p += n[5];
    s[p++] = ' ';
    memcpy(s + p, line + a[4], n[4]); p += n[4];
    s[p++] = ' ';
    memcpy(s + p, line + a[6], n[6]); p += n[6];
    add(s, p);
    return;
  }
  s = malloc(len ? len : 1);
  if (!s) nomem();
  memcpy(s, line, len);
  add(s, len);
}

static int cmpbytes(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t n = alen < blen ? alen : blen;
  int c = memcmp(a, b, n);
  if (c) return c;
  return alen < blen ? -1 : alen > blen;
}

/* By TYPE:NAME:ZONE, then EVENT..., then SERVER:EVENT..., then the whole
   fact (bytes). */
static int cmpfact(const void *x, const void *y)
{
  const struct fact *a = x, *b = y;
  int c = cmpbytes(a->s, a->key1, b->s, b->key1);
  if (c) return c;
  c = cmpbytes(a->s + a->key2, a->len - a->key2, b->s + b->key2, b->len - b->key2);
  if (c) return c;
  c = cmpbytes(a->s + a->key3, a->len - a->key3, b->s + b->key3, b->len - b->key3);
  if (c) return c;
  return cmpbytes(a->s, a->len, b->s, b->len);   /* last resort: the whole fact */
}

static char outspace[8192];
static buffer out = BUFFER_INIT(1, outspace, sizeof outspace);

static void put(const char *s, size_t n)
{
  if (buffer_put(&out, s, n) == -1) strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
}

/* Each byte overstruck: underlined (_ BS c) or bold (c BS c). */
static void underline(const char *s, size_t n)
{
  size_t i;
  for (i = 0; i < n; ++i) {
    put("_\b", 2);
    put(s + i, 1);
  }
}

static void bold(const char *s)
{
  for (; *s; ++s) {
    put(s, 1);
    put("\b", 1);
    put(s, 1);
  }
}

static void show(const struct fact *f)
{
  const char *s = f->s;
  size_t a[7], n[7], i;
  for (i = 0; i < 7; ++i)
    if (!field(s, f->len, (unsigned int)i, &a[i], &n[i])) { a[i] = f->len; n[i] = 0; }

  put(s + a[0], n[0]);
  put(" ", 1);
  /* the name, with its zone part underlined (the root zone: nothing) */
  if (!n[2] || (n[2] == 1 && s[a[2]] == '.')) put(s + a[1], n[1]);
  else {
    if (n[1] > n[2]) put(s + a[1], n[1] - n[2]);
    underline(s + a[2], n[2]);
  }
  put(" ", 1);
  put(s + a[3], n[3]);
  for (i = n[3]; i < 16; ++i) put(" ", 1);
  put(" ", 1);

  if (fieldis(s, f->len, 4, "ALERT")) {
    bold("ALERT:");
    put(" ", 1);
    put(s + a[5], n[5]);
  } else if (fieldis(s, f->len, 4, "see") || fieldis(s, f->len, 4, "CNAME")) {
    put(s + a[4], n[4]);
    put(" ", 1);
    put(s + a[5], n[5]);
  } else if (fieldis(s, f->len, 4, "answer")) {
    /* the record without its owner, when that is the name (as written) */
    if (n[5] > n[1] && !memcmp(s + a[5], s + a[1], n[1]) && s[a[5] + n[1]] == ' ')
      put(s + a[5] + n[1] + 1, n[5] - n[1] - 1);
    else put(s + a[5], n[5]);
  } else put(s + a[4], n[4]);
  put("\n", 1);
}

int main(void)
{
  size_t len = 0, cap = 0, p, i;
  const char *prev = "";
  size_t prevlen = 0;

  for (;;) {
    ssize_t r;
    if (len == cap) {
      size_t c = cap ? cap * 2 : 65536;
      char *g;
      if (c < cap) nomem();
      g = realloc(in, c);
      if (!g) nomem();
      in = g;
      cap = c;
    }
    r = read(0, in + len, cap - len);
    if (r == -1) {
      if (errno == EINTR) continue;
      strerr_die(STRERR_TEMP, PROG, "unable to read input", 0, 0, 1);
    }
    if (!r) break;
    len += (size_t)r;
  }

  for (p = 0; p < len;) {
    const char *nl = memchr(in + p, '\n', len - p);
    size_t n = nl ? (size_t)(nl - (in + p)) : len - p;
    take(in + p, n);
    p += n + 1;
  }

  if (nfacts) qsort(facts, nfacts, sizeof *facts, cmpfact);
  for (i = 0; i < nfacts; ++i) {
    size_t a, n;
    if (i && !cmpfact(&facts[i - 1], &facts[i])) continue;   /* each fact once */
    if (!field(facts[i].s, facts[i].len, 1, &a, &n)) { a = facts[i].len; n = 0; }
    if (n != prevlen || memcmp(facts[i].s + a, prev, n)) put("\n", 1);
    prev = facts[i].s + a;
    prevlen = n;
    show(&facts[i]);
  }
  if (buffer_flush(&out) == -1) strerr_die(STRERR_TEMP, PROG, "unable to write output", 0, 0, 1);
  return 0;
}
