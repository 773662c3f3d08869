/* clockshift.c: an LD_PRELOAD shim for tests/t_resolver_clock.sh that
   makes a process see a suspend.  Its CLOCK_BOOTTIME readings get the
   number of seconds written in the file named by $CLOCKSHIFT added
   (read again at every call, through a descriptor opened when the shim
   is loaded, so it works after a chroot); CLOCK_MONOTONIC and every
   other clock are left alone, as a suspend leaves CLOCK_MONOTONIC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static int fd = -1;

__attribute__((constructor)) static void clockshift_open(void)
{
  const char *f = getenv("CLOCKSHIFT");
  if (f) fd = open(f, O_RDONLY | O_CLOEXEC);
}

static long shift(void)
{
  char buf[32];
  ssize_t n;
  if (fd == -1) return 0;
  n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  buf[n] = 0;
  return strtol(buf, NULL, 10);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
  long r = syscall(SYS_clock_gettime, id, ts);
  if (r == 0 && id == CLOCK_BOOTTIME) ts->tv_sec += shift();
  return r == 0 ? 0 : -1;
}
