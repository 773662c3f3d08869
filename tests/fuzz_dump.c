/* fuzz_dump.c: libFuzzer target for the cache dump reader (dump.c) and
   the load into the cache (cachefile.c).  The input is one byte of
   options, then a dump file, put in a memory file; option bit 0 set:
   the file's last 4 bytes are first made its right CRC, so that the
   fuzzer reaches past the checksum into files that lie in valid
   framing.  Besides "no crash", it checks what they promise:
     - an entry is handed out only once the whole file was accepted, and
       every one lies within the cache's limits;
     - an accepted file, written again entry by entry, is the same bytes
       (the format has one spelling per content);
     - a load that fails leaves the cache empty, one that succeeds stores
       only entries that cache_get then finds, and cache_walk yields
       exactly what was loaded and not yet overwritten, with TTLs capped.
   Build: make fuzz (clang -fsanitize=fuzzer,address,undefined). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cache.h"
#include "cachefile.h"
#include "dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

struct again {
  struct dump_writer w;
  uint64_t n;
};

static int rewrite(void *arg, const struct dump_entry *e)
{
  struct again *a = arg;
  if (e->keylen > CACHE_MAXKEY || e->datalen > CACHE_MAXDATA) bad("entry within limits");
  if (!dump_put(&a->w, e->key, e->keylen, e->data, e->datalen, e->expiry)) bad("rewrite");
  a->n++;
  return 1;
}

static int walked(void *arg, const char *k, unsigned int kl, const char *d,
                  unsigned int dl, uint32_t ttl)
{
  unsigned int dl2;
  uint32_t ttl2;
  const char *d2 = cache_get(k, kl, &dl2, &ttl2, 0);
  if (!d2 || dl2 != dl || memcmp(d2, d, dl) || ttl2 != ttl) bad("walk agrees with cache_get");
  if (!ttl || ttl > CACHE_MAXTTL) bad("walk ttl in 1..CACHE_MAXTTL");
  ++*(uint64_t *)arg;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static int ready;
  static char wbuf[4096];
  if (!ready) {
    if (!cache_init(20000)) abort();
    ready = 1;
  }
  int in = memfd_create("dump-in", 0), out = memfd_create("dump-out", 0);
  if (in < 0 || out < 0) abort();
  if (!size) return 0;
  int sealed = data[0] & 1;
  data++, size--;
  if (size && write(in, data, size) != (ssize_t)size) abort();
  if (sealed && size >= 4) {
    uint32_t crc = dump_crc32(0, data, size - 4);
    unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                           (unsigned char)(crc >> 8), (unsigned char)crc };
    if (pwrite(in, c, 4, (off_t)size - 4) != 4) abort();
  }

  /* read: accepted files come back byte for byte */
  struct again a;
  const char *why = NULL;
  if (!dump_start(&a.w, out, wbuf, sizeof wbuf)) abort();
  a.n = 0;
  if (dump_read(in, rewrite, &a, &why)) {
    if (!dump_finish(&a.w)) abort();
    if (a.w.bytes != size) bad("rewritten size");
    char *copy = malloc(size), *orig = malloc(size);
    if (pread(out, copy, size, 0) != (ssize_t)size || pread(in, orig, size, 0) != (ssize_t)size
        || memcmp(copy, orig, size)) bad("rewritten bytes");
    free(copy);
    free(orig);
  } else {
    if (a.n) bad("no entry before the file is accepted");
    if (!why || !*why) bad("a reason");
  }

  /* load: all or nothing, and what is stored is found */
  uint64_t loaded = 0, expired = 0, seen = 0;
  cache_clear();
  int ok = cachefile_loadfd(in, 0, 1000000, &loaded, &expired, &why);
  if (!cache_walk(walked, &seen, 0)) bad("walk completes");
  if (!ok && (seen || cache_motion())) bad("a refused load stores nothing");
  if (ok && seen > loaded) bad("no more entries than loaded");
  if (ok && cache_motion() && !seen) bad("the newest entry stored is found");
  close(in);
  close(out);
  return 0;
}
