/* malloccount.c: an LD_PRELOAD shim for tests/t_daemon_hitpath.sh that
   counts calls of malloc, calloc and realloc (glibc's own functions do
   the work).  SIGUSR1 writes "malloccount N\n" to fd 2, so a test can
   read the count from the daemon's log before and after some traffic.
   SIGUSR2 turns failing on and off: while on, every call fails with
   ENOMEM (and writes "mallocfail on|off\n" when switched). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static volatile unsigned long count;
static volatile sig_atomic_t failing;

void *malloc(size_t n)
{
  count++;
  if (failing) { errno = ENOMEM; return 0; }
  return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
  count++;
  if (failing) { errno = ENOMEM; return 0; }
  return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
  count++;
  if (failing) { errno = ENOMEM; return 0; }
  return __libc_realloc(p, n);
}

static void toggle(int sig)
{
  (void)sig;
  failing = !failing;
  if (write(2, failing ? "mallocfail on\n" : "mallocfail off\n", failing ? 14 : 15) < 0) return;
}

static void report(int sig)
{
  char buf[40], *p = buf + sizeof buf;
  unsigned long n = count;
  (void)sig;
  *--p = '\n';
  do { *--p = (char)('0' + n % 10); n /= 10; } while (n);
  p -= 12;
  for (int i = 0; i < 12; i++) p[i] = "malloccount "[i];
  if (write(2, p, (size_t)(buf + sizeof buf - p)) < 0) return;
}

__attribute__((constructor)) static void init(void)
{
  struct sigaction sa;
  sa.sa_handler = report;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_handler = toggle;
  sigaction(SIGUSR2, &sa, 0);
}
