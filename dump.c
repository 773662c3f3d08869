/* dump.c: the cache dump file's format (dump.h), written and read.
   Guarantees: dump_read never hands out an entry before the whole file
   has been read and found sound: its size within DUMP_MAXFILE, the
   magic, the version, every entry's lengths within the cache's limits
   and inside the body, the entry count and the CRC-32 of every byte.
   Every read is bounded by the file size taken at the start and by a
   buffer that holds the largest possible entry, so no input, however
   broken or however large it claims to be, can make it read out of
   bounds, allocate more than that buffer, or loop.  The writer is
   append-only (header, entries, trailer) so it can stream a cache of any
   size through a fixed buffer; the caller writes to a temporary name
   and renames, so readers never see a half file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "cache.h"
#include "dump.h"
#include "error.h"

static const char magic[8] = "DNSCDUMP";
static const char endmagic[8] = "DNSCEND\n";

/* ------------------------------------------------------------ CRC-32 */

/* Slicing by 8: eight tables of 256 words, filled on first use. */
static uint32_t crctab[8][256];
static int crcready;

static void crc_init(void)
{
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    crctab[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++)
      crctab[t][i] = (crctab[t - 1][i] >> 8) ^ crctab[0][crctab[t - 1][i] & 0xff];
  crcready = 1;
}

uint32_t dump_crc32(uint32_t crc, const void *buf, uint64_t len)
{
  const unsigned char *p = buf;
  if (!crcready) crc_init();
  crc = ~crc;
  while (len >= 8) {
    uint32_t a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    crc = crctab[7][a & 0xff] ^ crctab[6][(a >> 8) & 0xff] ^ crctab[5][(a >> 16) & 0xff]
        ^ crctab[4][a >> 24] ^ crctab[3][p[4]] ^ crctab[2][p[5]] ^ crctab[1][p[6]] ^ crctab[0][p[7]];
    p += 8;
    len -= 8;
  }
  while (len--) crc = (crc >> 8) ^ crctab[0][(crc ^ *p++) & 0xff];
  return ~crc;
}

/* ------------------------------------------------------ big-endian ints */

static void put32(char *b, uint32_t u)
{
  for (int i = 3; i >= 0; i--) { b[i] = (char)(u & 0xff); u >>= 8; }
}

static void put64(char *b, uint64_t u)
{
  for (int i = 7; i >= 0; i--) { b[i] = (char)(u & 0xff); u >>= 8; }
}

static uint32_t get32(const char *b)
{
  uint32_t u = 0;
  for (int i = 0; i < 4; i++) u = u << 8 | (unsigned char)b[i];
  return u;
}

static uint64_t get64(const char *b)
{
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u = u << 8 | (unsigned char)b[i];
  return u;
}

/* ------------------------------------------------------------- writing */

static int writeall(int fd, const char *b, size_t n)
{
  while (n) {
    ssize_t w = write(fd, b, n);
    if (w == -1 && errno == EINTR) continue;
    if (w <= 0) { if (!w) errno = EIO; return 0; }
    b += w;
    n -= (size_t)w;
  }
  return 1;
}

static int fail(struct dump_writer *w)
{
  if (!w->err) w->err = errno ? errno : EIO;
  errno = w->err;
  return 0;
}

static int flush(struct dump_writer *w)
{
  if (w->err) { errno = w->err; return 0; }
  if (!writeall(w->fd, w->buf, w->buflen)) return fail(w);
  w->buflen = 0;
  return 1;
}

/* n bytes into the file (through the buffer when they fit), CRC'd */
static int emit(struct dump_writer *w, const char *b, size_t n)
{
  if (w->err) { errno = w->err; return 0; }
  w->crc = dump_crc32(w->crc, b, n);
  w->bytes += n;
  if (n > w->bufsize - w->buflen) {
    if (!flush(w)) return 0;
    if (n > w->bufsize) return writeall(w->fd, b, n) ? 1 : fail(w);
  }
  if (n) memcpy(w->buf + w->buflen, b, n);
  w->buflen += (unsigned int)n;
  return 1;
}

int dump_start(struct dump_writer *w, int fd, char *buf, unsigned int bufsize)
{
  char h[DUMP_HEADER];
  w->fd = fd;
  w->buf = buf;
  w->bufsize = bufsize;
  w->buflen = 0;
  w->crc = 0;
  w->entries = w->bytes = 0;
  w->err = 0;
  if (bufsize < DUMP_ENTRYHDR) { errno = EINVAL; return fail(w); }
  memcpy(h, magic, 8);
  put32(h + 8, DUMP_VERSION);
  put32(h + 12, 0);
  return emit(w, h, sizeof h);
}

int dump_put(struct dump_writer *w, const char *key, unsigned int keylen,
             const char *data, unsigned int datalen, int64_t expiry)
{
  char h[DUMP_ENTRYHDR];
  if (keylen > CACHE_MAXKEY || datalen > CACHE_MAXDATA) { errno = EINVAL; return fail(w); }
  if (w->bytes + DUMP_ENTRYHDR + keylen + datalen + DUMP_TRAILER > DUMP_MAXFILE) {
    errno = EFBIG;
    return fail(w);
  }
  put64(h, (uint64_t)expiry);
  put32(h + 8, keylen);
  put32(h + 12, datalen);
  if (!emit(w, h, sizeof h) || !emit(w, key, keylen) || !emit(w, data, datalen)) return 0;
  w->entries++;
  return 1;
}

int dump_finish(struct dump_writer *w)
{
  char t[DUMP_TRAILER];
  memcpy(t, endmagic, 8);
  put64(t + 8, w->entries);
  if (!emit(w, t, 16)) return 0;
  put32(t + 16, w->crc);
  w->bytes += 4;   /* the CRC itself is not CRC'd */
  if (4 > w->bufsize - w->buflen && !flush(w)) return 0;
  memcpy(w->buf + w->buflen, t + 16, 4);
  w->buflen += 4;
  return flush(w);
}

/* ------------------------------------------------------------- reading */

#define RBUF (DUMP_ENTRYHDR + CACHE_MAXKEY + CACHE_MAXDATA + 65536)

struct reader {
  int fd;
  char *buf;
  size_t cap;          /* of buf: min(RBUF, size) */
  size_t start, end;   /* unread bytes are buf[start, end) */
  uint64_t off;        /* file offset of buf[start] */
  uint64_t size;       /* the file's size: nothing beyond it is read */
  uint32_t crc;        /* of every byte consumed */
};

/* Makes n bytes available at buf + start.  1, or 0 with errno (EPROTO:
   the file ends first). */
static int need(struct reader *r, size_t n)
{
  if (r->end - r->start >= n) return 1;
  if (n > r->size - r->off || n > r->cap) return (errno = EPROTO, 0);
  memmove(r->buf, r->buf + r->start, r->end - r->start);
  r->end -= r->start;
  r->start = 0;
  while (r->end < n) {
    uint64_t left = r->size - r->off - r->end;
    size_t want = r->cap - r->end;
    if (want > left) want = (size_t)left;
    ssize_t got = read(r->fd, r->buf + r->end, want);
    if (got == -1 && errno == EINTR) continue;
    if (got == -1) return 0;
    if (got == 0) return (errno = EPROTO, 0);   /* shrank meanwhile */
    r->end += (size_t)got;
  }
  return 1;
}

static void consume(struct reader *r, size_t n)
{
  r->crc = dump_crc32(r->crc, r->buf + r->start, n);
  r->start += n;
  r->off += n;
}

/* The file's size, if it may be a dump at all; 0 with *why if not. */
static uint64_t filesize(int fd, const char **why)
{
  struct stat st;
  if (fstat(fd, &st) == -1) { *why = error_str(errno); return 0; }
  if (!S_ISREG(st.st_mode)) { *why = "not a regular file"; return 0; }
  if (st.st_size == 0) { *why = "empty"; return 0; }
  if ((uint64_t)st.st_size > DUMP_MAXFILE) { *why = "too large"; return 0; }
  return (uint64_t)st.st_size;
}

struct scan {
  uint64_t entries;
  uint32_t crc;
  const char *why;
};

/* One pass over the file's r->size bytes, from the start; fn may be NULL
   (checking only). */
static int scan(struct reader *r, dump_entryfn fn, void *arg, struct scan *s)
{
  if (lseek(r->fd, 0, SEEK_SET) == -1) goto err;
  r->start = r->end = 0;
  r->off = 0;
  r->crc = 0;
  s->entries = 0;

  if (!need(r, r->size < DUMP_HEADER ? r->size : DUMP_HEADER)) goto err;
  if (memcmp(r->buf, magic, r->size < 8 ? (size_t)r->size : 8)) { s->why = "not a dump file"; return 0; }
  if (r->size < DUMP_HEADER) { s->why = "truncated"; return 0; }
  if (get32(r->buf + 8) != DUMP_VERSION) { s->why = "unsupported version"; return 0; }
  if (get32(r->buf + 12) != 0) { s->why = "corrupt"; return 0; }
  /* a file cut short has lost its end marker: say so, not "corrupt" */
  char tail[8];
  if (r->size < DUMP_HEADER + DUMP_TRAILER) { s->why = "truncated"; return 0; }
  for (;;) {
    ssize_t got = pread(r->fd, tail, 8, (off_t)(r->size - DUMP_TRAILER));
    if (got == -1 && errno == EINTR) continue;
    if (got == -1) goto err;
    if (got != 8 || memcmp(tail, endmagic, 8)) { s->why = "truncated"; return 0; }
    break;
  }
  consume(r, DUMP_HEADER);

  uint64_t body = r->size - DUMP_TRAILER;
  while (r->off < body) {
    struct dump_entry e;
    if (body - r->off < DUMP_ENTRYHDR) goto corrupt;
    if (!need(r, DUMP_ENTRYHDR)) goto err;
    const char *h = r->buf + r->start;
    e.expiry = (int64_t)get64(h);
    e.keylen = get32(h + 8);
    e.datalen = get32(h + 12);
    if (e.keylen > CACHE_MAXKEY || e.datalen > CACHE_MAXDATA) goto corrupt;
    size_t n = DUMP_ENTRYHDR + (size_t)e.keylen + e.datalen;
    if (n > body - r->off) goto corrupt;
    if (!need(r, n)) goto err;
    e.key = r->buf + r->start + DUMP_ENTRYHDR;
    e.data = e.key + e.keylen;
    consume(r, n);
    s->entries++;
    if (fn && !fn(arg, &e)) fn = NULL;   /* the caller has enough */
  }

  if (!need(r, DUMP_TRAILER)) goto err;
  const char *t = r->buf + r->start;
  if (memcmp(t, endmagic, 8)) { s->why = "truncated"; return 0; }
  if (get64(t + 8) != s->entries) goto corrupt;
  consume(r, 16);
  s->crc = r->crc;
  if (get32(t + 16) != r->crc) { s->why = "bad checksum"; return 0; }
  return 1;

corrupt:
  s->why = "corrupt";
  return 0;
err:
  s->why = errno == EPROTO ? "truncated" : error_str(errno);
  return 0;
}

int dump_read(int fd, dump_entryfn fn, void *arg, const char **why)
{
  struct reader r;
  struct scan check, load;
  r.fd = fd;
  r.size = filesize(fd, why);
  if (!r.size) return 0;
  /* no entry is larger than the file: small files, small buffer */
  r.cap = r.size < RBUF ? (size_t)r.size : RBUF;
  r.buf = malloc(r.cap);
  if (!r.buf) { *why = error_str(ENOMEM); return 0; }
  if (!scan(&r, NULL, NULL, &check)) {
    *why = check.why;
    free(r.buf);
    return 0;
  }
  const char *ignored;
  int ok = filesize(fd, &ignored) == r.size
           && scan(&r, fn, arg, &load) && load.entries == check.entries && load.crc == check.crc;
  free(r.buf);
  if (!ok) *why = "changed while read";
  return ok;
}
