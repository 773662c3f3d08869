#ifndef CLOCK_H
#define CLOCK_H
#include <stdint.h>
#include <time.h>
/* The daemon's one clock (clock.c): CLOCK_BOOTTIME where it exists.  It
   never jumps when the wall clock is set and keeps counting while the
   machine is suspended, so a TTL runs out after its seconds of real time
   even across a night asleep.  Without CLOCK_BOOTTIME (not Linux, or a
   kernel that refuses it) CLOCK_MONOTONIC.  Deadlines everywhere in the
   daemon are int64_t milliseconds on this clock; the cache counts its
   whole seconds. */
int64_t clock_ms(void);
int64_t clock_sec(void);

/* Tests: every reading goes through f (same contract as clock_gettime)
   instead of the system's clock_gettime; NULL puts that back.  Either
   way clock.c asks for CLOCK_BOOTTIME again first. */
typedef int clock_source(clockid_t id, struct timespec *ts);
void clock_setsource(clock_source *f);
#endif
