/* The dump file (dump.c) and the cache's trip through it (cachefile.c):
   CRC-32 known answers, the exact bytes of a small dump, write/read round
   trips through any buffer size, a whole cache saved and reloaded under
   another clock and another hash key (every answer and TTL compared),
   and every kind of broken file: cut at every offset, every byte
   flipped, lengths and counts that lie under a valid CRC, empty, too
   large, a directory, a FIFO, missing, changed while being read, each
   refused with its reason and nothing handed out.  Also prints (never
   asserts) save and load speed. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tests/unit.h"
#include "cache.h"
#include "cachefile.h"
#include "dump.h"

static char dir[] = "/tmp/unit_dump.XXXXXX";
static char path[256];

static void setpath(const char *name)
{
  snprintf(path, sizeof path, "%s/%s", dir, name);
}

static void writefile(const char *p, const char *b, size_t n)
{
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0);
  CHECK(write(fd, b, n) == (ssize_t)n);
  close(fd);
}

/* the file's bytes into *b (malloc'd); its size */
static size_t readfile(const char *p, char **b)
{
  struct stat st;
  int fd = open(p, O_RDONLY);
  *b = NULL;
  if (fd < 0 || fstat(fd, &st)) return 0;
  *b = malloc((size_t)st.st_size + 1);
  size_t n = 0;
  ssize_t r;
  while ((r = read(fd, *b + n, (size_t)st.st_size - n)) > 0) n += (size_t)r;
  close(fd);
  return n;
}

/* ---- a reader callback that remembers what it was given ---- */
struct got {
  int n;
  char keys[16][64];
  unsigned int kl[16], dl[16];
  int64_t exp[16];
  unsigned int sum;   /* of every data byte */
};

static int collect(void *arg, const struct dump_entry *e)
{
  struct got *g = arg;
  if (g->n < 16 && e->keylen <= 64) {
    memcpy(g->keys[g->n], e->key, e->keylen);
    g->kl[g->n] = e->keylen;
    g->dl[g->n] = e->datalen;
    g->exp[g->n] = e->expiry;
  }
  for (unsigned int i = 0; i < e->datalen; i++) g->sum += (unsigned char)e->data[i];
  g->n++;
  return 1;
}

/* reads path; 1 if accepted.  *why the reason; g counts the entries */
static int readpath(const char *p, struct got *g, const char **why)
{
  memset(g, 0, sizeof *g);
  *why = "";
  int fd = open(p, O_RDONLY | O_NONBLOCK);
  if (fd < 0) { *why = "open"; return 0; }
  int ok = dump_read(fd, collect, g, why);
  close(fd);
  return ok;
}

static int readbytes(const char *b, size_t n, struct got *g, const char **why)
{
  setpath("bytes");
  writefile(path, b, n);
  return readpath(path, g, why);
}

/* ---------------------------------------------------------------- CRC */

static uint32_t crc_bitwise(const unsigned char *p, size_t n)
{
  uint32_t c = 0xffffffffu;
  while (n--) {
    c ^= *p++;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  return ~c;
}

static void t_crc32(void)
{
  CHECK_EQ_INT(dump_crc32(0, "", 0), 0);
  CHECK_EQ_INT(dump_crc32(0, "123456789", 9), 0xCBF43926u);
  CHECK_EQ_INT(dump_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
  unsigned char buf[300];
  for (int i = 0; i < 300; i++) buf[i] = (unsigned char)(i * 37 + 11);
  for (size_t off = 0; off < 9; off++)
    for (size_t n = 0; n + off <= 300; n += 7) {
      CHECK_EQ_INT(dump_crc32(0, buf + off, n), crc_bitwise(buf + off, n));
      /* in two pieces, split anywhere */
      size_t cut = n / 3;
      CHECK_EQ_INT(dump_crc32(dump_crc32(0, buf + off, cut), buf + off + cut, n - cut),
                   crc_bitwise(buf + off, n));
    }
}

/* ------------------------------------------------------------- format */

/* writes a fixed set of entries through a buffer of bufsize bytes */
static int write_sample(const char *p, unsigned int bufsize, struct dump_writer *w)
{
  static char big[CACHE_MAXDATA];
  char *buf = malloc(bufsize);
  memset(big, 'b', sizeof big);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int ok = dump_start(w, fd, buf, bufsize)
           && dump_put(w, "key1", 4, "data1", 5, 1700000000)
           && dump_put(w, "", 0, "", 0, -5)                       /* empty key and data */
           && dump_put(w, "\0\1\3www\4test\0", 12, "\1\2\3\4", 4, INT64_MAX)
           && dump_put(w, "big", 3, big, sizeof big, 42)          /* largest data */
           && dump_finish(w);
  close(fd);
  free(buf);
  return ok;
}

static void t_write_read(void)
{
  struct dump_writer w;
  struct got g;
  const char *why;
  char *first = NULL, *b;
  size_t firstlen = 0;
  unsigned int sizes[] = { 16, 17, 100, 65536, 2000000 };
  for (int i = 0; i < 5; i++) {
    setpath("sample");
    CHECK(write_sample(path, sizes[i], &w));
    CHECK_EQ_INT(w.entries, 4);
    size_t n = readfile(path, &b);
    CHECK_EQ_INT(n, w.bytes);
    CHECK_EQ_INT(n, DUMP_HEADER + 4 * DUMP_ENTRYHDR + 9 + 0 + 16 + 3 + CACHE_MAXDATA + DUMP_TRAILER);
    /* the same bytes whatever the buffer size */
    if (!first) { first = b; firstlen = n; }
    else { CHECK(n == firstlen && !memcmp(b, first, n)); free(b); }
    CHECK(readpath(path, &g, &why));
    CHECK_EQ_INT(g.n, 4);
    CHECK(g.kl[0] == 4 && !memcmp(g.keys[0], "key1", 4) && g.dl[0] == 5 && g.exp[0] == 1700000000);
    CHECK(g.kl[1] == 0 && g.dl[1] == 0 && g.exp[1] == -5);
    CHECK(g.kl[2] == 12 && !memcmp(g.keys[2], "\0\1\3www\4test\0", 12) && g.exp[2] == INT64_MAX);
    CHECK(g.dl[3] == CACHE_MAXDATA && g.exp[3] == 42);
    CHECK_EQ_INT(g.sum, ('d' + 'a' + 't' + 'a' + '1') + (1 + 2 + 3 + 4) + 'b' * CACHE_MAXDATA);
  }
  free(first);
  /* a writer refuses what no reader would take */
  char buf[64];
  int fd = open("/dev/null", O_WRONLY);
  CHECK(dump_start(&w, fd, buf, sizeof buf));
  CHECK(!dump_put(&w, buf, CACHE_MAXKEY + 1, "", 0, 1) && errno == EINVAL);
  CHECK(!dump_finish(&w));   /* and stays failed */
  CHECK(!dump_start(&w, fd, buf, 15));
  close(fd);
  /* a full disk is an error, reported by the call that hits it */
  fd = open("/dev/full", O_WRONLY);
  if (fd >= 0) {
    CHECK(dump_start(&w, fd, buf, sizeof buf));
    CHECK(dump_put(&w, "k", 1, "v", 1, 1));
    CHECK(!dump_finish(&w) && errno == ENOSPC);
    close(fd);
  }
}

/* The exact bytes of a one-entry dump: the format as dump.h states it. */
static void t_golden_bytes(void)
{
  struct dump_writer w;
  char buf[64];
  setpath("golden");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(dump_start(&w, fd, buf, sizeof buf));
  CHECK(dump_put(&w, "ab", 2, "xyz", 3, 0x0102030405060708LL));
  CHECK(dump_finish(&w));
  close(fd);
  static const char want[] =
    "DNSCDUMP" "\0\0\0\1" "\0\0\0\0"
    "\1\2\3\4\5\6\7\10" "\0\0\0\2" "\0\0\0\3" "ab" "xyz"
    "DNSCEND\n" "\0\0\0\0\0\0\0\1";
  char *b;
  size_t n = readfile(path, &b);
  CHECK_EQ_INT(n, sizeof want - 1 + 4);
  CHECK_MEM(b, want, sizeof want - 1);
  uint32_t crc = dump_crc32(0, want, sizeof want - 1);
  unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                         (unsigned char)(crc >> 8), (unsigned char)crc };
  CHECK_MEM(b + sizeof want - 1, c, 4);
  free(b);
}

/* ------------------------------------------------------------- broken */

/* a small valid dump of 3 entries in *b; its size */
static size_t sample_small(char **b)
{
  struct dump_writer w;
  char buf[64];
  setpath("small");
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dump_start(&w, fd, buf, sizeof buf);
  dump_put(&w, "one", 3, "1111", 4, 100);
  dump_put(&w, "two", 3, "22", 2, 200);
  dump_put(&w, "three", 5, "", 0, 300);
  dump_finish(&w);
  close(fd);
  return readfile(path, b);
}

static void put32(char *b, uint32_t u)
{
  for (int i = 3; i >= 0; i--) { b[i] = (char)u; u >>= 8; }
}

/* recomputes the trailing CRC, so only the structure is wrong */
static void seal(char *b, size_t n)
{
  put32(b + n - 4, dump_crc32(0, b, n - 4));
}

static void t_truncated_everywhere(void)
{
  char *b;
  struct got g;
  const char *why;
  size_t n = sample_small(&b);
  CHECK(readbytes(b, n, &g, &why) && g.n == 3);
  int calls = 0, wrong = 0;
  for (size_t cut = 0; cut < n; cut++) {
    if (readbytes(b, cut, &g, &why)) wrong++;
    calls += g.n;
    const char *want = cut == 0 ? "empty" : "truncated";
    if (strcmp(why, want)) { wrong++; printf("  cut at %zu: %s\n", cut, why); }
  }
  CHECK_EQ_INT(wrong, 0);
  CHECK_EQ_INT(calls, 0);
  /* bytes after the end marker: the end marker is no longer last */
  char *longer = malloc(n + 3);
  memcpy(longer, b, n);
  memcpy(longer + n, "xyz", 3);
  CHECK(!readbytes(longer, n + 3, &g, &why) && !strcmp(why, "truncated") && g.n == 0);
  free(longer);
  free(b);
}

static void t_flipped_everywhere(void)
{
  char *b;
  struct got g;
  const char *why;
  size_t n = sample_small(&b);
  int accepted = 0, calls = 0;
  const unsigned char flips[] = { 0x01, 0x80, 0xff, 0x10 };
  for (size_t i = 0; i < n; i++)
    for (size_t f = 0; f < sizeof flips; f++) {
      b[i] ^= (char)flips[f];
      if (readbytes(b, n, &g, &why)) accepted++;
      calls += g.n;
      b[i] ^= (char)flips[f];
    }
  CHECK_EQ_INT(accepted, 0);
  CHECK_EQ_INT(calls, 0);
  /* each part of the file gives its own reason */
  b[0] ^= 1;
  CHECK(!readbytes(b, n, &g, &why) && !strcmp(why, "not a dump file"));
  b[0] ^= 1;
  b[11] ^= 2;
  CHECK(!readbytes(b, n, &g, &why) && !strcmp(why, "unsupported version"));
  b[11] ^= 2;
  b[DUMP_HEADER + DUMP_ENTRYHDR] ^= 1;   /* a key byte: only the CRC knows */
  CHECK(!readbytes(b, n, &g, &why) && !strcmp(why, "bad checksum"));
  b[DUMP_HEADER + DUMP_ENTRYHDR] ^= 1;
  b[n - 1] ^= 1;                          /* the CRC itself */
  CHECK(!readbytes(b, n, &g, &why) && !strcmp(why, "bad checksum"));
  free(b);
}

/* lengths and counts that lie, under a CRC that matches */
static void t_lies_with_valid_crc(void)
{
  char *b;
  struct got g;
  const char *why;
  size_t n = sample_small(&b);
  char *c = malloc(n);
  struct { size_t off; uint32_t val; const char *why; } cases[] = {
    { 8, 2, "unsupported version" },
    { 8, 0, "unsupported version" },
    { 8, 0xffffffffu, "unsupported version" },
    { 12, 1, "corrupt" },                                 /* reserved word */
    { DUMP_HEADER + 8, 0xffffffffu, "corrupt" },          /* huge keylen */
    { DUMP_HEADER + 12, 0xffffffffu, "corrupt" },         /* huge datalen */
    { DUMP_HEADER + 8, CACHE_MAXKEY + 1, "corrupt" },
    { DUMP_HEADER + 12, CACHE_MAXDATA + 1, "corrupt" },
    { DUMP_HEADER + 12, 1000, "corrupt" },                /* past the end */
    { DUMP_HEADER + 12, 5, "corrupt" },                   /* misaligns the rest */
    { DUMP_HEADER + 12, 3, "corrupt" },
    { DUMP_HEADER + 8, 0, "corrupt" },
    { n - DUMP_TRAILER + 12, 2, "corrupt" },              /* entry count */
    { n - DUMP_TRAILER + 12, 4, "corrupt" },
    { n - DUMP_TRAILER + 8, 1, "corrupt" },               /* count's high word */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memcpy(c, b, n);
    put32(c + cases[i].off, cases[i].val);
    seal(c, n);
    if (readbytes(c, n, &g, &why) || strcmp(why, cases[i].why) || g.n)
      { unit_case_failed = 1; printf("  case %zu: got \"%s\", %d entries\n", i, why, g.n); }
  }
  /* an entry header cut by the trailer: 8 more bytes than entries hold */
  char *d = malloc(n + 8);
  memcpy(d, b, n - DUMP_TRAILER);
  memset(d + n - DUMP_TRAILER, 0, 8);
  memcpy(d + n - DUMP_TRAILER + 8, b + n - DUMP_TRAILER, DUMP_TRAILER);
  seal(d, n + 8);
  CHECK(!readbytes(d, n + 8, &g, &why) && !strcmp(why, "corrupt") && g.n == 0);
  /* header and trailer only: a valid empty dump */
  memcpy(d, b, DUMP_HEADER);
  memcpy(d + DUMP_HEADER, "DNSCEND\n\0\0\0\0\0\0\0\0", 16);
  seal(d, DUMP_HEADER + DUMP_TRAILER);
  CHECK(readbytes(d, DUMP_HEADER + DUMP_TRAILER, &g, &why) && g.n == 0);
  free(d);
  free(c);
  free(b);
}

static void t_not_files(void)
{
  struct got g;
  const char *why;
  int fd;
  setpath("empty");
  writefile(path, "", 0);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "empty"));
  setpath("text");
  writefile(path, "hello, this is not a dump at all\n", 33);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "not a dump file"));
  setpath("short");
  writefile(path, "DNSC", 4);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "truncated"));
  setpath("adir");
  CHECK(mkdir(path, 0700) == 0);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "not a regular file"));

  setpath("fifo");
  CHECK(mkfifo(path, 0600) == 0);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "not a regular file"));
  /* too large: a sparse file one byte over, never read */
  setpath("huge");
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0 && ftruncate(fd, (off_t)DUMP_MAXFILE + 1) == 0);
  close(fd);
  CHECK(!readpath(path, &g, &why) && !strcmp(why, "too large"));
  unlink(path);
  /* cachefile_load's own reasons: missing, unreadable */
  uint64_t loaded, expired;
  CHECK(cache_init(1000));
  setpath("missing");
  CHECK(!cachefile_load(path, 0, 0, &loaded, &expired, &why) && !strcmp(why, "file does not exist"));
  setpath("unreadable");
  char *b;
  size_t n = sample_small(&b);
  writefile(path, b, n);
  free(b);
  chmod(path, 0);
  if (geteuid() != 0) {
    CHECK(!cachefile_load(path, 0, 0, &loaded, &expired, &why) && !strcmp(why, "access denied"));
  } else {
    printf("  (root reads mode-0 files: the unreadable case runs in t_dump.sh as the daemon's uid)\n");
  }
}

/* the file changes between the check and the load: refused, and what
   the caller was handed meanwhile is its to undo */
static int changer_fd;
static off_t change_at;
static int change_file(void *arg, const struct dump_entry *e)
{
  struct got *g = arg;
  if (g->n++ == 0) CHECK(pwrite(changer_fd, "Z", 1, change_at) == 1);
  (void)e;
  return 1;
}

static void t_changed_while_read(void)
{
  struct dump_writer w;
  struct got g;
  const char *why;
  static char big[CACHE_MAXDATA];
  char buf[4096];
  setpath("changing");
  /* larger than the reader's buffer, so the end is read after the
     first entry is handed out */
  changer_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  CHECK(dump_start(&w, changer_fd, buf, sizeof buf));
  for (int i = 0; i < 3; i++) CHECK(dump_put(&w, "k", 1, big, sizeof big, 1));
  CHECK(dump_finish(&w));
  change_at = (off_t)w.bytes - DUMP_TRAILER - 10;
  memset(&g, 0, sizeof g);
  CHECK(!dump_read(changer_fd, change_file, &g, &why));
  CHECK(!strcmp(why, "changed while read"));
  close(changer_fd);
}

/* -------------------------------------------------------- whole caches */

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(uint32_t n)
{
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

static unsigned int keyof(int i, char *k)
{
  return (unsigned int)snprintf(k, 32, "key-%d-%s", i, i % 3 ? "x" : "longer-name");
}

#define NKEYS 3000
static struct { char data[300]; unsigned int dl; uint32_t ttl; int hit; } was[NKEYS];

/* fills a cache of size bytes with random sets over NKEYS keys (some
   set several times, some expiring, the ring wrapping) at cache time
   now, and records what each key answers */
static void fill(uint32_t size, int64_t now)
{
  char k[32], d[300];
  CHECK(cache_init(size));
  for (int op = 0; op < 4 * NKEYS; op++) {
    int i = (int)rnd(NKEYS);
    unsigned int kl = keyof(i, k), dl = rnd(300);
    for (unsigned int j = 0; j < dl; j++) d[j] = (char)rnd(256);
    uint32_t ttl = rnd(5) ? 1 + rnd(3000) : rnd(3) ? 1 + rnd(4) : 700000;
    cache_set(k, kl, d, dl, ttl, now - (int64_t)rnd(3));
  }
  for (int i = 0; i < NKEYS; i++) {
    unsigned int kl = keyof(i, k);
    const char *d2 = cache_get(k, kl, &was[i].dl, &was[i].ttl, now);
    was[i].hit = d2 != NULL;
    if (d2) memcpy(was[i].data, d2, was[i].dl);
  }
}

/* every key answers as recorded, `later` seconds on */
static int compare(int64_t now, uint32_t later, int reloaded, int *hits)
{
  char k[32];
  int bad = 0;
  *hits = 0;
  for (int i = 0; i < NKEYS; i++) {
    unsigned int kl = keyof(i, k), dl;
    uint32_t ttl;
    const char *d = cache_get(k, kl, &dl, &ttl, now);
    /* a reload skips what has less than a second left */
    int want = was[i].hit && (was[i].ttl > later || (!reloaded && was[i].ttl == later));
    if (!want) { if (d) bad++; continue; }
    (*hits)++;
    if (!d || dl != was[i].dl || memcmp(d, was[i].data, dl) || ttl != was[i].ttl - later) bad++;
  }
  return bad;
}

static void t_cache_roundtrip(void)
{
  const unsigned char key1[16] = "first hash key..", key2[16] = "another hash key";
  uint64_t entries, bytes, loaded, expired;
  const char *why;
  int hits;
  setpath("cache");
  for (int round = 0; round < 3; round++) {
    uint32_t size = round == 0 ? 200000 : round == 1 ? 50000 : 1000000;
    cache_setkey(key1);
    fill(size, 1000);
    int64_t wall = 1800000000;
    CHECK(cachefile_save(path, 1000, wall, &entries, &bytes));
    struct stat st;
    CHECK(stat(path, &st) == 0 && (uint64_t)st.st_size == bytes && (st.st_mode & 0777) == 0600);
    char tmp[320];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) == -1);
    /* the same answers right away, under another clock and hash key */
    cache_setkey(key2);
    CHECK(cache_init(size));
    CHECK(cachefile_load(path, -77, wall, &loaded, &expired, &why));
    CHECK_EQ_INT(loaded, entries);
    CHECK_EQ_INT(expired, 0);
    CHECK_EQ_INT(compare(-77, 0, 1, &hits), 0);
    CHECK(hits > 100);
    printf("  size %u: %d keys answered, %llu entries, %llu bytes\n", size, hits,
           (unsigned long long)entries, (unsigned long long)bytes);
    /* 3 seconds later on the wall clock: 3 seconds less, the shortest gone */
    CHECK(cache_init(size));
    CHECK(cachefile_load(path, 5, wall + 3, &loaded, &expired, &why));
    CHECK_EQ_INT(loaded + expired, entries);
    CHECK(expired > 0);
    CHECK_EQ_INT(compare(5, 3, 1, &hits), 0);
    /* saving the reloaded cache gives the same file, bar the expired */
    CHECK(cache_init(size));
    CHECK(cachefile_load(path, 5, wall, &loaded, &expired, &why));
    char *a, *b;
    size_t na = readfile(path, &a);
    CHECK(cachefile_save(path, 5, wall, &entries, &bytes));
    size_t nb = readfile(path, &b);
    CHECK(na == nb && !memcmp(a, b, na));
    free(a);
    free(b);
  }
  /* into a smaller cache: the newest entries are the ones kept */
  cache_setkey(key1);
  fill(200000, 1000);
  CHECK(cachefile_save(path, 1000, 0, &entries, &bytes));
  CHECK(cache_init(20000));
  CHECK(cachefile_load(path, 1000, 0, &loaded, &expired, &why));
  CHECK_EQ_INT(loaded, entries);
  int newest = 0, kept = 0;
  char k[32];
  for (int i = 0; i < NKEYS; i++) {
    unsigned int dl;
    uint32_t ttl;
    const char *d = cache_get(k, keyof(i, k), &dl, &ttl, 1000);
    if (d) { kept++; if (dl == was[i].dl && !memcmp(d, was[i].data, dl)) newest++; }
  }
  CHECK(kept > 10);
  CHECK_EQ_INT(newest, kept);
}

static void t_load_refused_leaves_cache_empty(void)
{
  uint64_t entries, bytes, loaded, expired;
  const char *why;
  int hits;
  setpath("refused");
  fill(100000, 1000);
  CHECK(cachefile_save(path, 1000, 50, &entries, &bytes));
  char *b;
  size_t n = readfile(path, &b);
  b[n / 2] ^= 0x40;
  writefile(path, b, n);
  free(b);
  CHECK(cache_init(100000));
  CHECK(!cachefile_load(path, 1000, 50, &loaded, &expired, &why));
  CHECK(!strcmp(why, "bad checksum") || !strcmp(why, "corrupt"));
  char k[32];
  hits = 0;
  for (int i = 0; i < NKEYS; i++) {
    unsigned int dl;
    uint32_t ttl;
    if (cache_get(k, keyof(i, k), &dl, &ttl, 1000)) hits++;
  }
  CHECK_EQ_INT(hits, 0);
  CHECK_EQ_INT(cache_motion(), 0);
  /* cache_clear empties a full cache */
  fill(100000, 1000);
  CHECK(cache_motion() > 0);
  cache_clear();
  CHECK_EQ_INT(cache_motion(), 0);
  CHECK_EQ_INT(compare(1000, 0xffffffffu, 1, &hits), 0);
  fill(100000, 1000);   /* and it fills again as new */
  CHECK_EQ_INT(compare(1000, 0, 0, &hits), 0);
}

static void t_save_errors(void)
{
  uint64_t entries = 7, bytes = 7;
  char p[300], tmp[320];
  CHECK(cache_init(1000));
  cache_set("k", 1, "v", 1, 100, 0);
  snprintf(p, sizeof p, "%s/nodir/cache", dir);
  CHECK(!cachefile_save(p, 0, 0, &entries, &bytes) && errno == ENOENT);
  CHECK_EQ_INT(entries, 7);
  /* the target is a directory: rename fails, nothing is left behind */
  snprintf(p, sizeof p, "%s/isdir", dir);
  CHECK(mkdir(p, 0700) == 0);
  CHECK(!cachefile_save(p, 0, 0, &entries, &bytes));
  snprintf(tmp, sizeof tmp, "%s.tmp", p);
  CHECK(access(tmp, F_OK) == -1);
  /* the temporary name is never followed if it is a symbolic link */
  snprintf(p, sizeof p, "%s/linked", dir);
  snprintf(tmp, sizeof tmp, "%s.tmp", p);
  CHECK(symlink("/tmp/unit_dump-victim-never-written", tmp) == 0);
  CHECK(!cachefile_save(p, 0, 0, &entries, &bytes));
  CHECK(access("/tmp/unit_dump-victim-never-written", F_OK) == -1);
  unlink(tmp);
  /* an old dump stays whole until the new one replaces it */
  snprintf(p, sizeof p, "%s/replace", dir);
  writefile(p, "old", 3);
  CHECK(cachefile_save(p, 0, 0, &entries, &bytes));
  CHECK_EQ_INT(entries, 1);
  char *b;
  CHECK_EQ_INT(readfile(p, &b), bytes);
  CHECK(!memcmp(b, "DNSCDUMP", 8));
  free(b);
}

static double secs(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* not a test: save and load speed of a 50 MB cache of 100-byte sets */
static void t_speed(void)
{
  enum { SIZE = 50000000 };
  uint64_t entries, bytes, loaded, expired;
  const char *why;
  char k[40], d[100];
  CHECK(cache_init(SIZE));
  memset(d, 'd', sizeof d);
  for (int i = 0; cache_motion() < SIZE; i++) {
    unsigned int kl = (unsigned int)snprintf(k, sizeof k, "..www%d.example.com", i);
    k[0] = 0, k[1] = 1;
    cache_set(k, kl, d, sizeof d, 3600, 0);
  }
  setpath("speed");
  double t0 = secs();
  CHECK(cachefile_save(path, 0, 0, &entries, &bytes));
  double t1 = secs();
  CHECK(cache_init(SIZE));
  CHECK(cachefile_load(path, 0, 0, &loaded, &expired, &why));
  double t2 = secs();
  CHECK_EQ_INT(loaded, entries);
  printf("  speed: %llu entries, %.0f MB: saved in %.2f s (%.0f MB/s, with fsync), loaded in %.2f s (%.0f MB/s)\n",
         (unsigned long long)entries, bytes / 1e6, t1 - t0, bytes / 1e6 / (t1 - t0),
         t2 - t1, bytes / 1e6 / (t2 - t1));
  unlink(path);
  CHECK(cache_init(100));
}

int main(void)
{
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  RUN(t_crc32);
  RUN(t_write_read);
  RUN(t_golden_bytes);
  RUN(t_truncated_everywhere);
  RUN(t_flipped_everywhere);
  RUN(t_lies_with_valid_crc);
  RUN(t_not_files);
  RUN(t_changed_while_read);
  RUN(t_cache_roundtrip);
  RUN(t_load_refused_leaves_cache_empty);
  RUN(t_save_errors);
  RUN(t_speed);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd)) { /* leftovers in /tmp are harmless */ }
  return unit_done();
}
