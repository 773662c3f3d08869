/* clock.c: the daemon's time, on the boot-time clock (clock.h).
   Guarantees: readings never go backwards and never jump with the wall
   clock; time spent suspended counts (CLOCK_BOOTTIME) wherever the
   system has that clock, else CLOCK_MONOTONIC is used for good. */
#include <time.h>
#include "clock.h"

#ifdef CLOCK_BOOTTIME
#define CLOCK_FIRST CLOCK_BOOTTIME
#else
#define CLOCK_FIRST CLOCK_MONOTONIC
#endif

static clock_source *source = clock_gettime;
static clockid_t id = CLOCK_FIRST;

void clock_setsource(clock_source *f)
{
  source = f ? f : clock_gettime;
  id = CLOCK_FIRST;
}

static void now(struct timespec *ts)
{
  if (source(id, ts) == 0) return;
  /* a kernel older than 2.6.39 has no CLOCK_BOOTTIME (EINVAL) */
  id = CLOCK_MONOTONIC;
  if (source(id, ts) == 0) return;
  ts->tv_sec = 0;
  ts->tv_nsec = 0;
}

int64_t clock_ms(void)
{
  struct timespec ts;
  now(&ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_sec(void)
{
  struct timespec ts;
  now(&ts);
  return (int64_t)ts.tv_sec;
}
