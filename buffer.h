#ifndef BUFFER_H
#define BUFFER_H
#include <stddef.h>
/* Buffered output to a file descriptor.  Writes retry on EINTR and on
   short writes.  0 on success, -1 with errno on failure. */
typedef struct buffer {
  char *x;      /* space */
  size_t p;     /* bytes waiting */
  size_t n;     /* size of space */
  int fd;
} buffer;
#define BUFFER_INIT(fd, space, size) { (space), 0, (size), (fd) }

int buffer_put(buffer *b, const char *s, size_t len);
int buffer_puts(buffer *b, const char *s);
int buffer_putulong(buffer *b, unsigned long u);
int buffer_flush(buffer *b);
int buffer_putflush(buffer *b, const char *s, size_t len);

extern buffer *buffer_1;   /* fd 1, 8 KiB */
extern buffer *buffer_2;   /* fd 2, 256 bytes (flush per line) */
#endif
