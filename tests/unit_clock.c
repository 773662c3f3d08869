/* unit_clock.c: clock.c asks for the boot-time clock (which counts time
   asleep), falls back to the monotonic clock where that is refused, and
   the cache's TTLs follow it: with an injected clock the test moves time
   as a suspend would. */
#include <errno.h>
#include <time.h>
#include "tests/unit.h"
#include "clock.h"
#include "cache.h"
#include "cachedata.h"

static clockid_t asked[8];
static unsigned int nasked;
static int refuse_boottime;
static struct timespec fake = { 1000, 500000000 };

static int fakeclock(clockid_t id, struct timespec *ts)
{
  if (nasked < 8) asked[nasked] = id;
  ++nasked;
#ifdef CLOCK_BOOTTIME
  if (refuse_boottime && id == CLOCK_BOOTTIME) { errno = EINVAL; return -1; }
#endif
  *ts = fake;
  return 0;
}

static void t_asks_boottime(void)
{
  nasked = 0;
  refuse_boottime = 0;
  clock_setsource(fakeclock);
  CHECK_EQ_INT(clock_sec(), 1000);
  CHECK_EQ_INT(clock_ms(), 1000500);
  CHECK_EQ_INT(nasked, 2);
#ifdef CLOCK_BOOTTIME
  CHECK(asked[0] == CLOCK_BOOTTIME);
  CHECK(asked[1] == CLOCK_BOOTTIME);
#else
  CHECK(asked[0] == CLOCK_MONOTONIC);
#endif
  clock_setsource(NULL);
}

static void t_falls_back(void)
{
  nasked = 0;
  refuse_boottime = 1;
  clock_setsource(fakeclock);
  CHECK_EQ_INT(clock_sec(), 1000);
  CHECK_EQ_INT(clock_sec(), 1000);
#ifdef CLOCK_BOOTTIME
  /* refused once, then the monotonic clock for good */
  CHECK_EQ_INT(nasked, 3);
  CHECK(asked[0] == CLOCK_BOOTTIME);
  CHECK(asked[1] == CLOCK_MONOTONIC);
  CHECK(asked[2] == CLOCK_MONOTONIC);
#endif
  /* a new source starts from the boot-time clock again */
  refuse_boottime = 0;
  nasked = 0;
  clock_setsource(fakeclock);
  clock_sec();
#ifdef CLOCK_BOOTTIME
  CHECK(asked[0] == CLOCK_BOOTTIME);
#endif
  clock_setsource(NULL);
}

/* The real clock: the system's boot-time clock, to the second. */
static void t_real(void)
{
  struct timespec ts;
  int64_t s = clock_sec(), ms = clock_ms();
#ifdef CLOCK_BOOTTIME
  CHECK(clock_gettime(CLOCK_BOOTTIME, &ts) == 0);
#else
  CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
#endif
  CHECK(ts.tv_sec - s >= 0 && ts.tv_sec - s <= 1);
  CHECK(ms / 1000 - s >= 0 && ms / 1000 - s <= 1);
}

/* The cache's TTLs count on this clock: a jump of the boot-time clock
   (what a suspend looks like) expires a record. */
static void t_cache_follows(void)
{
  const char *d = "\001a\004test";
  unsigned int len;
  uint32_t ttl;
  CHECK(cache_init(100000));
  refuse_boottime = 0;
  fake.tv_sec = 50000;
  clock_setsource(fakeclock);
  cachedata_set(1, d, "\300\000\002\001", 4, 300);
  CHECK(cachedata_get(1, d, &len, &ttl) != NULL);
  CHECK_EQ_INT(ttl, 300);
  fake.tv_sec += 299;     /* 299 s asleep */
  CHECK(cachedata_get(1, d, &len, &ttl) != NULL);
  CHECK_EQ_INT(ttl, 1);
  fake.tv_sec += 1;       /* the last second: TTL 0, as 1.05 */
  CHECK(cachedata_get(1, d, &len, &ttl) != NULL);
  CHECK_EQ_INT(ttl, 0);
  fake.tv_sec += 1;
  CHECK(cachedata_get(1, d, &len, &ttl) == NULL);
  clock_setsource(NULL);
}

int main(void)
{
  RUN(t_asks_boottime);
  RUN(t_falls_back);
  RUN(t_real);
  RUN(t_cache_follows);
  return unit_done();
}
