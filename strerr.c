/* strerr.c: fatal and usage messages on fd 2, each written with a
   single writev so lines from several processes do not interleave.  errno
   is read before anything else can change it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "error.h"
#include "strerr.h"

static void put(const char *prog, const char *kind, const char *a,
                const char *b, const char *c, const char *err)
{
  struct iovec v[9];
  int n = 0;
#define ADD(s) do { if (s) { v[n].iov_base = (void *)(s); v[n].iov_len = strlen(s); n++; } } while (0)
  ADD(prog);
  ADD(kind);
  ADD(a);
  ADD(b);
  ADD(c);
  if (err) { ADD(": "); ADD(err); }
  ADD("\n");
#undef ADD
  while (writev(2, v, n) == -1 && errno == EINTR)
    ;
}

void strerr_die(int code, const char *prog, const char *a, const char *b,
                const char *c, int sys)
{
  const char *err = sys ? error_str(errno) : NULL;
  put(prog, ": fatal: ", a, b, c, err);
  _exit(code);
}

void strerr_usage(const char *prog, const char *text)
{
  put(prog, ": usage: ", text, NULL, NULL, NULL);
  _exit(STRERR_PERM);
}
