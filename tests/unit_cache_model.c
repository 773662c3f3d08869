/* The cache under random operations, checked exactly against a model:
   the list of every insertion, whose live part is a FIFO window placed on
   the ring geometrically (an entry dies when a newer one overlaps it or
   when the writer wraps past it), with the same 100-step chain walk.
   Every cache_get must agree on hit or miss, data and remaining ttl,
   and cache_walk must yield exactly the entries the model can return,
   oldest first.
   Also prints (never asserts) what a lookup costs. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "tests/unit.h"
#include "cache.h"
#include "siphash.h"
#include "tests/cachegeom.h"

/* ---- the model: every insertion in order, live ones a FIFO window ---- */
struct ment {
  char key[40];
  unsigned int klen;
  char data[1200];
  unsigned int dlen;
  int64_t expiry;
  uint32_t pos, len, bucket;
};
static struct ment *mod;
static int mfirst, mcount;            /* live = [mfirst, mcount) */
static uint32_t msize, mhsize, mwriter;
static uint64_t mmotion;
static int nhit, nmiss, ncut;   /* what the model predicted */

static void model_init(uint32_t size)
{
  msize = size;
  mhsize = hsize_for(size);
  mwriter = mhsize;
  mfirst = mcount = 0;
  mmotion = 0;
}

static void model_set(const char *k, unsigned int kl, const char *d, unsigned int dl,
                      uint32_t ttl, int64_t now)
{
  if (!ttl || kl > CACHE_MAXKEY || dl > CACHE_MAXDATA) return;
  if (ttl > CACHE_MAXTTL) ttl = CACHE_MAXTTL;
  uint32_t len = 20 + kl + dl;
  if (len > msize - mhsize) return;
  if (mwriter + len > msize) {
    /* wrap: whatever lies after the writer is older than everything */
    while (mfirst < mcount && mod[mfirst].pos >= mwriter) mfirst++;
    mwriter = mhsize;
  }
  while (mfirst < mcount && mod[mfirst].pos < mwriter + len
         && mod[mfirst].pos + mod[mfirst].len > mwriter)
    mfirst++;
  struct ment *m = &mod[mcount++];
  memcpy(m->key, k, kl);
  m->klen = kl;
  memcpy(m->data, d, dl);
  m->dlen = dl;
  m->expiry = now + ttl;
  m->pos = mwriter;
  m->len = len;
  m->bucket = bucket_of(k, kl, mhsize);
  mwriter += len;
  mmotion += len;
}

/* checks cache_get against the model: exact hit/miss, data and ttl */
static int model_check(const char *k, unsigned int kl, int64_t now)
{
  uint32_t b = bucket_of(k, kl, mhsize);
  const struct ment *hit = NULL;
  int steps = 0;
  for (int i = mcount - 1; i >= mfirst; --i) {
    if (mod[i].bucket != b) continue;
    if (++steps > 100) { ncut++; break; }
    if (mod[i].klen == kl && !memcmp(mod[i].key, k, kl)) {
      if (mod[i].expiry >= now) hit = &mod[i];
      break;
    }
  }
  unsigned int dl;
  uint32_t ttl;
  const char *d = cache_get(k, kl, &dl, &ttl, now);
  if (!hit) { nmiss++; return d == NULL; }
  nhit++;
  int64_t left = hit->expiry - now;
  return d && dl == hit->dlen && !memcmp(d, hit->data, dl)
         && ttl == (uint32_t)(left > CACHE_MAXTTL ? CACHE_MAXTTL : left);
}

/* model entry i is what a lookup of its key returns, with a second left */
static int model_visible(int i, int64_t now)
{
  if (mod[i].expiry <= now) return 0;
  int steps = 0;
  for (int j = mcount - 1; j >= mfirst; --j) {
    if (mod[j].bucket != mod[i].bucket) continue;
    if (++steps > 100) return 0;
    if (mod[j].klen == mod[i].klen && !memcmp(mod[j].key, mod[i].key, mod[i].klen)) return j == i;
  }
  return 0;
}

struct walkstate { int next, bad, n; int64_t now; };

static int walk_one(void *arg, const char *k, unsigned int kl, const char *d,
                    unsigned int dl, uint32_t ttl)
{
  struct walkstate *w = arg;
  while (w->next < mcount && !model_visible(w->next, w->now)) w->next++;
  w->n++;
  if (w->next >= mcount) { w->bad++; return 1; }
  const struct ment *m = &mod[w->next++];
  int64_t left = m->expiry - w->now;
  if (kl != m->klen || memcmp(k, m->key, kl) || dl != m->dlen || memcmp(d, m->data, dl)
      || ttl != (uint32_t)(left > CACHE_MAXTTL ? CACHE_MAXTTL : left))
    w->bad++;
  return 1;
}

/* cache_walk against the model: same entries, same order, same ttls */
static int walk_check(int64_t now)
{
  struct walkstate w = { mfirst, 0, 0, now };
  CHECK(cache_walk(walk_one, &w, now));
  while (w.next < mcount) if (model_visible(w.next++, now)) w.bad++;
  return w.bad;
}

static unsigned long long rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

/* key number i: distinct bytes, length 4..39 (key 0 is empty) */
static unsigned int keybytes(int i, char *k)
{
  if (!i) return 0;
  unsigned int kl = 4 + (unsigned int)(i * 7 % 36);
  memcpy(k, &i, 4);
  for (unsigned int j = 4; j < kl; ++j) k[j] = (char)(i * 31 + j * 17);
  return kl;
}

/* ops random sets and gets on nkeys keys (or the ids in keyset); data up
   to maxdata bytes, and 1 in bigodds sets up to 1200 */
static int random_run(uint32_t size, int nkeys, const int *keyset, int ops,
                      unsigned int maxdata, uint32_t bigodds)
{
  int bad = 0;
  nhit = nmiss = ncut = 0;
  mod = realloc(mod, sizeof *mod * (size_t)ops);
  CHECK(cache_init(size));
  model_init(size);
  int64_t now = 1000;
  for (int op = 0; op < ops; ++op) {
    char k[40], d[1200];
    int id = keyset ? keyset[rnd((uint32_t)nkeys)] : (int)rnd((uint32_t)nkeys);
    unsigned int kl = keybytes(id, k);
    if (rnd(2)) {
      unsigned int dl = rnd(bigodds) ? rnd(maxdata) : rnd(1200);
      for (unsigned int j = 0; j < dl; ++j) d[j] = (char)rnd(256);
      uint32_t r = rnd(10), ttl = r == 0 ? 0 : r < 7 ? 1 + rnd(60) : r < 9 ? 100000 : 700000 + rnd(10);
      cache_set(k, kl, d, dl, ttl, now);
      model_set(k, kl, d, dl, ttl, now);
    } else if (!model_check(k, kl, now)) {
      if (bad++ < 5) printf("  mismatch at op %d (size %u)\n", op, size);
    }
    if (rnd(4) == 0) now += rnd(6);
    if (op % 997 == 0)
      for (int i = 0; i < nkeys; ++i) {
        int kid = keyset ? keyset[i] : i;
        kl = keybytes(kid, k);
        if (!model_check(k, kl, now) && bad++ < 5) printf("  sweep mismatch at op %d\n", op);
      }
    if (op % 997 == 0 && walk_check(now) && bad++ < 5) printf("  walk mismatch at op %d\n", op);
  }
  if (cache_motion() != mmotion) bad++;
  printf("  size %u: %d ops, %d insertions, %d evicted, %d hits, %d misses (%d cut at 100 steps)\n",
         size, ops, mcount, mfirst, nhit, nmiss, ncut);
  return bad;
}

static void t_random_vs_model(void)
{
  cache_setkey(fixedkey);
  CHECK_EQ_INT(random_run(1000, 40, NULL, 30000, 20, 50), 0);
  CHECK_EQ_INT(random_run(5000, 200, NULL, 30000, 30, 100), 0);
  CHECK_EQ_INT(random_run(5000, 60, NULL, 30000, 150, 8), 0);
  CHECK_EQ_INT(random_run(100, 5, NULL, 20000, 40, 8), 0);
  CHECK_EQ_INT(random_run(1237, 60, NULL, 20000, 300, 8), 0);
}

/* all keys in one bucket: chains far beyond 100, walks cut off */
static void t_random_long_chains(void)
{
  static int ids[150];
  cache_setkey(fixedkey);
  uint32_t hsize = hsize_for(20000);
  char k[40];
  uint32_t b = bucket_of(k, keybytes(1, k), hsize);
  int n = 0;
  for (int i = 1; n < 150; ++i)
    if (bucket_of(k, keybytes(i, k), hsize) == b) ids[n++] = i;
  CHECK_EQ_INT(random_run(20000, 150, ids, 30000, 20, 500), 0);
}

static double nsnow(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* not a test: prints what a lookup costs (100k entries, 10 MB) */
static void t_bench(void)
{
  enum { N = 100000, Q = 1000000 };
  static char keys[N][32];
  static unsigned int klen[N];
  static int order[Q];
  unsigned int dl;
  uint32_t ttl;
  CHECK(cache_init(10000000));
  for (int i = 0; i < N; ++i) {
    klen[i] = (unsigned int)snprintf(keys[i], sizeof keys[i], "\1%cwww%d\7example\3com", 0, i);
    cache_set(keys[i], klen[i], "\1\2\3\4\5\6\7\10", 8, 3600, 0);
  }
  for (int q = 0; q < Q; ++q) order[q] = (int)rnd(N);
  int hits = 0;
  double t0 = nsnow();
  for (int q = 0; q < Q; ++q)
    hits += cache_get(keys[order[q]], klen[order[q]], &dl, &ttl, 1) != NULL;
  double t1 = nsnow();
  uint64_t x = 0;
  for (int q = 0; q < Q; ++q) x += siphash24(fixedkey, keys[order[q]], klen[order[q]]);
  double t2 = nsnow();
  CHECK_EQ_INT(hits, Q);
  printf("  bench: %.0f ns per cache_get (hit, 100k entries, 10 MB cache), of which siphash %.0f ns%s\n",
         (t1 - t0) / Q, (t2 - t1) / Q, x ? "" : " ");
}

int main(void)
{
  cache_setkey(fixedkey);
  RUN(t_random_vs_model);
  RUN(t_random_long_chains);
  RUN(t_bench);
  free(mod);
  return unit_done();
}
