#ifndef CLOCK_H
#define CLOCK_H
#include <stdint.h>
/* Monotonic time (CLOCK_MONOTONIC): immune to the wall clock being set.
   Deadlines everywhere in the daemon are int64_t milliseconds on this clock. */
int64_t clock_ms(void);
int64_t clock_sec(void);
#endif
