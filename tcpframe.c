/* tcpframe.c: DNS over TCP framing (see tcpframe.h).  Guarantees: a
   read never asks for a byte past the current frame, so the next frame
   starts where it should and a slow client cannot make a call block;
   only the first TCPFRAME_KEEP bytes of a query are stored, however
   long the frame; the only allocation is the reply, freed once written
   or by tcpframe_free. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tcpframe.h"
#include "uint.h"

void tcpframe_free(struct tcpframe *f)
{
  free(f->out);
  f->out = 0;
}

void tcpframe_start(struct tcpframe *f)
{
  tcpframe_free(f);
  f->inbody = 0;
  f->need = 0;
  f->got = 0;
}

int tcpframe_read(struct tcpframe *f, int fd)
{
  int first = 1;
  for (;;) {
    char skip[512];
    char *dst;
    size_t want;
    ssize_t r;
    if (!f->inbody) {
      dst = (char *)f->lenbuf + f->need;
      want = 2 - f->need;
    } else if (f->got < TCPFRAME_KEEP) {
      dst = f->in + f->got;
      want = (f->need < TCPFRAME_KEEP ? f->need : TCPFRAME_KEEP) - f->got;
    } else {
      dst = skip;
      want = f->need - f->got;
      if (want > sizeof skip) want = sizeof skip;
    }
    r = read(fd, dst, want);
    if (r == -1 && errno == EINTR) continue;
    if (r == -1 && errno == EAGAIN && !first) return 0;
    if (r == 0) errno = EPIPE;
    if (r <= 0) return -1;
    first = 0;
    if (!f->inbody) {
      f->need += (unsigned int)r;
      if (f->need < 2) continue;
      f->need = uint16_unpack_big((const char *)f->lenbuf);
      if (!f->need) { errno = EPROTO; return -1; }
      f->got = 0;
      f->inbody = 1;
      continue;
    }
    f->got += (unsigned int)r;
    if (f->got == f->need) return 1;
  }
}

int tcpframe_reply(struct tcpframe *f, const char *buf, unsigned int len)
{
  tcpframe_free(f);
  f->out = malloc(2 + (size_t)len);
  if (!f->out) { errno = ENOMEM; return -1; }
  uint16_pack_big(f->out, (uint16_t)len);
  memcpy(f->out + 2, buf, len);
  f->outlen = len + 2;
  f->outpos = 0;
  return 0;
}

int tcpframe_write(struct tcpframe *f, int fd)
{
  int first = 1;
  while (f->outpos < f->outlen) {
    ssize_t w = write(fd, f->out + f->outpos, f->outlen - f->outpos);
    if (w == -1 && errno == EINTR) continue;
    if (w == -1 && errno == EAGAIN && !first) return 0;
    if (w == 0) errno = EPIPE;
    if (w <= 0) return -1;
    first = 0;
    f->outpos += (unsigned int)w;
  }
  tcpframe_free(f);
  return 1;
}
