/* buffer.c: buffered output to a descriptor.  Data is kept until the space
   is full or the caller flushes; a write that fails leaves the unwritten
   bytes in place and returns -1 with errno. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "byte.h"
#include "buffer.h"

static int allwrite(int fd, const char *s, size_t len)
{
  while (len) {
    ssize_t w = write(fd, s, len);
    if (w == -1) {
      if (errno == EINTR) continue;
      return -1;
    }
    s += w;
    len -= (size_t)w;
  }
  return 0;
}

int buffer_flush(buffer *b)
{
  size_t p = b->p;
  if (!p) return 0;
  b->p = 0;
  if (allwrite(b->fd, b->x, p) == -1) {
    b->p = p;  /* keep it: the caller may try again */
    return -1;
  }
  return 0;
}

int buffer_put(buffer *b, const char *s, size_t len)
{
  if (len > b->n - b->p) {
    if (buffer_flush(b) == -1) return -1;
    if (len > b->n) return allwrite(b->fd, s, len);
  }
  memcpy(b->x + b->p, s, len);
  b->p += len;
  return 0;
}

int buffer_puts(buffer *b, const char *s)
{
  return buffer_put(b, s, strlen(s));
}

int buffer_putulong(buffer *b, unsigned long u)
{
  char num[FMT_ULONG];
  return buffer_put(b, num, fmt_ulong(num, u));
}

int buffer_putflush(buffer *b, const char *s, size_t len)
{
  if (buffer_flush(b) == -1) return -1;
  return allwrite(b->fd, s, len);
}

static char space1[8192];
static char space2[256];
static buffer b1 = BUFFER_INIT(1, space1, sizeof space1);
static buffer b2 = BUFFER_INIT(2, space2, sizeof space2);
buffer *buffer_1 = &b1;
buffer *buffer_2 = &b2;
