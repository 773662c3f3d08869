/* The cache: set/get/expiry with a driven clock, newest-wins, FIFO
   eviction and ring wrap-around, size limits and clamps, cache_motion,
   the 100-step chain guard, _exit(111) on a corrupted link.  Random
   operations against a model of the ring: unit_cache_model.c. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "tests/unit.h"
#include "cache.h"
#include "tests/cachegeom.h"

static int gets(const char *k, const char *want, int64_t now)
{
  unsigned int dl;
  uint32_t ttl;
  const char *d = cache_get(k, (unsigned int)strlen(k), &dl, &ttl, now);
  if (!want) return d == NULL;
  return d && dl == strlen(want) && !memcmp(d, want, dl);
}

static void put(const char *k, const char *v, uint32_t ttl, int64_t now)
{
  cache_set(k, (unsigned int)strlen(k), v, (unsigned int)strlen(v), ttl, now);
}

static void t_set_get_expire(void)
{
  unsigned int dl;
  uint32_t ttl = 0;
  CHECK(cache_init(10000));
  put("foo", "bar", 100, 1000);
  const char *d = cache_get("foo", 3, &dl, &ttl, 1000);
  CHECK(d && dl == 3 && !memcmp(d, "bar", 3));
  CHECK_EQ_INT(ttl, 100);
  CHECK(cache_get("foo", 3, &dl, &ttl, 1050));
  CHECK_EQ_INT(ttl, 50);
  CHECK(cache_get("foo", 3, &dl, &ttl, 1100));  /* last second: ttl 0 */
  CHECK_EQ_INT(ttl, 0);
  CHECK(!cache_get("foo", 3, &dl, &ttl, 1101));
  CHECK(gets("fo", NULL, 1000));
  CHECK(gets("fooo", NULL, 1000));
  CHECK(gets("Foo", NULL, 1000));     /* bytes, not DNS: case matters */
  CHECK(gets("other", NULL, 1000));
  /* binary keys and data, empty data */
  cache_set("a\0b", 3, "x\0y", 3, 5, 0);
  cache_set("a\0c", 3, "", 0, 5, 0);
  d = cache_get("a\0b", 3, &dl, &ttl, 0);
  CHECK(d && dl == 3 && !memcmp(d, "x\0y", 3));
  d = cache_get("a\0c", 3, &dl, &ttl, 0);
  CHECK(d && dl == 0);
  CHECK(!cache_get("a", 1, &dl, &ttl, 0));
  /* negative clock values work too */
  put("neg", "v", 10, -50);
  CHECK(gets("neg", "v", -41));
  CHECK(gets("neg", NULL, -39));
}

static void t_ttl_rules(void)
{
  unsigned int dl;
  uint32_t ttl;
  CHECK(cache_init(10000));
  put("zero", "v", 0, 0);
  CHECK(gets("zero", NULL, 0));
  CHECK_EQ_INT(cache_motion(), 0);
  put("big", "v", 1000000, 0);
  CHECK(cache_get("big", 3, &dl, &ttl, 0));
  CHECK_EQ_INT(ttl, 604800);
  CHECK(gets("big", "v", 604800));
  CHECK(gets("big", NULL, 604801));
  put("edge", "v", 604801, 0);
  CHECK(cache_get("edge", 4, &dl, &ttl, 0));
  CHECK_EQ_INT(ttl, 604800);
  CHECK(gets("edge", NULL, 604801));
  put("max", "v", UINT32_MAX, 0);
  CHECK(cache_get("max", 3, &dl, &ttl, 0));
  CHECK_EQ_INT(ttl, 604800);
  put("late", "v", 100, INT64_MAX - 10);   /* expiry saturates */
  CHECK(cache_get("late", 4, &dl, &ttl, INT64_MAX - 10));
  CHECK_EQ_INT(ttl, 10);
}

static void t_overwrite_newest_wins(void)
{
  CHECK(cache_init(10000));
  put("k", "a", 100, 0);
  put("k", "b", 100, 0);
  CHECK(gets("k", "b", 0));
  put("k", "c", 10, 0);
  CHECK(gets("k", "c", 10));
  /* the newest entry decides even once expired: no fallback to "b" */
  CHECK(gets("k", NULL, 11));
  put("k", "d", 10, 20);
  CHECK(gets("k", "d", 20));
}

static void t_motion(void)
{
  CHECK(cache_init(10000));
  CHECK_EQ_INT(cache_motion(), 0);
  /* SPEC: an A set of 2 addresses for www.test adds 40 (22 + 10 + 8) */
  cache_set("\0\1\3www\4test\0", 12, "\1\2\3\4\5\6\7\10", 8, 300, 0);
  CHECK_EQ_INT(cache_motion(), 40);
  put("k", "vv", 1, 0);
  CHECK_EQ_INT(cache_motion(), 63);
  put("k", "vv", 0, 0);                        /* not stored: not counted */
  CHECK_EQ_INT(cache_motion(), 63);
  char big[1001];
  memset(big, 'x', sizeof big);
  cache_set(big, 1001, "v", 1, 10, 0);
  CHECK_EQ_INT(cache_motion(), 63);
  /* evicted bytes still count: motion is bytes ever inserted */
  for (int i = 0; i < 1000; ++i) put("key", "0123456789", 10, 0);
  CHECK_EQ_INT(cache_motion(), 63 + 1000 * 33);
  CHECK(cache_init(10000));
  CHECK_EQ_INT(cache_motion(), 0);
}

/* entries of exactly len bytes: 20 + keylen(4) + data */
static void put_len(int i, unsigned int len, int64_t now)
{
  char k[12], d[2000];
  snprintf(k, sizeof k, "%04u", (unsigned int)i % 10000);
  memset(d, 'a' + i % 26, sizeof d);
  cache_set(k, 4, d, len - 24, 1000, now);
}

static int has(int i)
{
  char k[12];
  unsigned int dl;
  uint32_t ttl;
  snprintf(k, sizeof k, "%04u", (unsigned int)i % 10000);
  const char *d = cache_get(k, 4, &dl, &ttl, 0);
  return d && (!dl || d[0] == 'a' + i % 26);
}

static void t_eviction_fifo(void)
{
  /* size 1000: hsize 32, 968 bytes of ring; 9 entries of 100 fit */
  CHECK(cache_init(1000));
  for (int i = 0; i < 9; ++i) put_len(i, 100, 0);
  for (int i = 0; i < 9; ++i) CHECK(has(i));
  /* reading an entry does not protect it: FIFO, not LRU */
  CHECK(has(0));
  put_len(9, 100, 0);                 /* wraps, evicts 0 */
  CHECK(!has(0));
  for (int i = 1; i <= 9; ++i) CHECK(has(i));
  put_len(10, 150, 0);                /* evicts 1 and 2 */
  CHECK(!has(1) && !has(2));
  for (int i = 3; i <= 10; ++i) CHECK(has(i));
  /* short ttls do not change the order: expired 3 is not evicted early */
  put_len(11, 50, 0);                 /* fits before 3 (at 282..332) */
  CHECK(has(3));
  put_len(12, 50, 0);                 /* needs 3's bytes */
  CHECK(!has(3) && has(4));
}

static void t_wraparound(void)
{
  /* ring of 968: 3 entries of 300 (32..932), a 100 does not fit at 932 */
  CHECK(cache_init(1000));
  put_len(0, 300, 0);
  put_len(1, 300, 0);
  put_len(2, 300, 0);
  put_len(3, 100, 0);        /* wraps to 32, evicts 0 */
  CHECK(!has(0) && has(1) && has(2) && has(3));
  put_len(4, 200, 0);        /* 132..332: ends exactly where 1 starts */
  CHECK(has(1) && has(2) && has(3) && has(4));
  put_len(6, 300, 0);        /* 332..632: evicts 1 */
  CHECK(!has(1) && has(2) && has(6));
  put_len(7, 350, 0);        /* 632..982: evicts 2; the old lap is gone */
  CHECK(!has(2) && has(3) && has(4) && has(6) && has(7));
  put_len(8, 50, 0);         /* 982+50 > 1000: wraps to 32, evicts 3 */
  CHECK(!has(3) && has(4) && has(6) && has(7) && has(8));
  put_len(9, 18, 0);         /* 18 - 24 underflows: over-max data, dropped */
  CHECK(!has(9) && has(4) && has(8));
  /* many laps with odd sizes keep the newest entries readable */
  for (int i = 100; i < 3000; ++i) {
    put_len(i, 24 + (unsigned int)(i * 37 % 300), 0);
    CHECK(has(i));
    if (i > 100) CHECK(has(i - 1));
  }
}

static void t_size_limits(void)
{
  char *big = malloc(CACHE_MAXDATA + 1);
  memset(big, 'd', CACHE_MAXDATA + 1);
  unsigned int dl;
  uint32_t ttl;
  CHECK(cache_init(3000000));
  cache_set(big, CACHE_MAXKEY, big, CACHE_MAXDATA, 10, 0);
  const char *d = cache_get(big, CACHE_MAXKEY, &dl, &ttl, 0);
  CHECK(d && dl == CACHE_MAXDATA && d[0] == 'd' && d[dl - 1] == 'd');
  CHECK_EQ_INT(cache_motion(), 20 + CACHE_MAXKEY + CACHE_MAXDATA);
  cache_set(big, CACHE_MAXKEY + 1, "v", 1, 10, 0);
  CHECK(!cache_get(big, CACHE_MAXKEY + 1, &dl, &ttl, 0));
  cache_set("k", 1, big, CACHE_MAXDATA + 1, 10, 0);
  CHECK(!cache_get("k", 1, &dl, &ttl, 0));
  CHECK_EQ_INT(cache_motion(), 20 + CACHE_MAXKEY + CACHE_MAXDATA);

  /* an entry larger than the ring is dropped without evicting anything */
  CHECK(cache_init(1000));
  put("keep", "me", 10, 0);
  cache_set("k", 1, big, 1000, 10, 0);
  CHECK(!cache_get("k", 1, &dl, &ttl, 0));
  CHECK(gets("keep", "me", 0));
  free(big);
}

/* the largest entry storable is size - hsize, under the clamps */
static int fits(unsigned int len)
{
  static char d[2000];
  unsigned int dl;
  uint32_t ttl;
  memset(d, 'z', sizeof d);
  cache_set("", 0, d, len - 20, 10, 0);
  return cache_get("", 0, &dl, &ttl, 0) && dl == len - 20;
}

static void t_size_clamps(void)
{
  static const uint64_t sizes[] = { 0, 1, 99, 100, 101, 127, 128, 200, 255, 256, 1000, 1500 };
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    uint64_t s = sizes[i] < 100 ? 100 : sizes[i];
    uint32_t room = (uint32_t)s - hsize_for(s);
    CHECK(cache_init(sizes[i]));
    CHECK(fits(room));
    CHECK(cache_init(sizes[i]));
    CHECK(!fits(room + 1));
  }
  CHECK_EQ_INT(hsize_for(200), 8);
  CHECK_EQ_INT(hsize_for(1000000), 32768);
  /* the upper clamp: 1e9 bytes (zeroed lazily by the kernel) */
  CHECK(cache_init(UINT64_MAX));
  put("k", "v", 10, 0);
  CHECK(gets("k", "v", 0));
  CHECK(cache_init(100));
}

/* Finds n keys "c<number>" in the bucket of `target` under fixedkey. */
static void collide(const char *target, uint32_t hsize, char (*out)[16], int n)
{
  uint32_t b = bucket_of(target, (unsigned int)strlen(target), hsize);
  int found = 0;
  for (unsigned long i = 0; found < n; ++i) {
    char k[16];
    snprintf(k, sizeof k, "c%lu", i);
    if (bucket_of(k, (unsigned int)strlen(k), hsize) == b) memcpy(out[found++], k, 16);
  }
}

static void t_chain_guard(void)
{
  static char keys[300][16];
  uint32_t hsize = hsize_for(100000);     /* 1024 buckets */
  cache_setkey(fixedkey);
  collide("target", hsize, keys, 300);

  /* target is the 100th entry of its chain: found */
  CHECK(cache_init(100000));
  put("target", "T", 100, 0);
  for (int i = 0; i < 99; ++i) put(keys[i], "x", 100, 0);
  CHECK(gets("target", "T", 0));
  /* the 101st: not found, though present */
  put(keys[99], "x", 100, 0);
  CHECK(gets("target", NULL, 0));
  CHECK(gets(keys[99], "x", 0));
  CHECK(gets(keys[0], "x", 0));            /* 100th of the chain */
  /* a key in another bucket is unaffected */
  put("elsewhere", "E", 100, 0);
  CHECK(gets("elsewhere", "E", 0));
  /* expired entries still count as steps */
  CHECK(cache_init(100000));
  put("target", "T", 100, 0);
  for (int i = 0; i < 100; ++i) put(keys[i], "x", 1, 0);
  CHECK(gets("target", NULL, 50));

  /* a long chain is evicted from its tail as the ring wraps: in a
     2000-byte cache every set of a colliding key evicts the oldest */
  CHECK(cache_init(2000));
  hsize = hsize_for(2000);
  collide("t", hsize, keys, 300);
  for (int i = 0; i < 300; ++i) {
    put(keys[i], keys[i], 100, 0);
    CHECK(gets(keys[i], keys[i], 0));
    if (i >= 100) CHECK(gets(keys[i - 60], keys[i - 60], 0));
  }
  CHECK(gets(keys[0], NULL, 0));

  /* under another secret the same names scatter: target is found */
  unsigned char k2[16];
  memcpy(k2, fixedkey, 16);
  k2[0] ^= 1;
  collide("target", hsize_for(100000), keys, 150);
  cache_setkey(k2);
  CHECK(cache_init(100000));
  put("target", "T", 100, 0);
  for (int i = 0; i < 150; ++i) put(keys[i], "x", 100, 0);
  CHECK(gets("target", "T", 0));
  cache_setkey(fixedkey);
}

/* Runs fn in a child; its exit status, or -1 if it did not exit. */
static int child_status(void (*fn)(void))
{
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int st;
  if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

/* the newest entry's link word, found from the data pointer cache_get
   returns (header 20 bytes + key before the data): a test-only poke */
static void corrupt_link(const char *k, uint32_t value)
{
  unsigned int dl;
  uint32_t ttl;
  const char *d = cache_get(k, (unsigned int)strlen(k), &dl, &ttl, 0);
  if (!d) _exit(3);
  memcpy((char *)d - strlen(k) - 20, &value, 4);
}

static char twokeys[2][16];

static void walk_bad_link(void)
{
  cache_init(100000);
  put(twokeys[0], "x", 100, 0);
  put(twokeys[1], "y", 100, 0);     /* same bucket, walked first */
  corrupt_link(twokeys[1], 0x7ffffff0);
  gets(twokeys[0], "x", 0);         /* must not get here */
}

static void evict_bad_link(void)
{
  cache_init(1000);
  put("old", "x", 100, 0);
  corrupt_link("old", 0x7ffffff0);  /* its "previous": far outside */
  for (int i = 0; i < 100; ++i) put("filler", "0123456789012345678901234567890", 100, 0);
}

static void healthy(void)
{
  cache_init(1000);
  for (int i = 0; i < 100; ++i) put("filler", "0123456789012345678901234567890", 100, 0);
  if (!gets("filler", "0123456789012345678901234567890", 0)) _exit(4);
}

static void t_corruption_exits_111(void)
{
  cache_setkey(fixedkey);
  collide("anything", hsize_for(100000), twokeys, 2);
  CHECK_EQ_INT(child_status(healthy), 0);
  CHECK_EQ_INT(child_status(walk_bad_link), 111);
  CHECK_EQ_INT(child_status(evict_bad_link), 111);
}

int main(void)
{
  cache_setkey(fixedkey);
  RUN(t_set_get_expire);
  RUN(t_ttl_rules);
  RUN(t_overwrite_newest_wins);
  RUN(t_motion);
  RUN(t_eviction_fifo);
  RUN(t_wraparound);
  RUN(t_size_limits);
  RUN(t_size_clamps);
  RUN(t_chain_guard);
  RUN(t_corruption_exits_111);
  return unit_done();
}
