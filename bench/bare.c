/* bare: the floor for the benchmarks.  A UDP responder that does no DNS
   work: it answers every datagram with the datagram itself turned into a
   response (ID and question copied, QR/RA set, one fixed A record appended
   after the question, which is assumed to be the whole query as loadgen
   sends it).  Two modes:
     bare rs IP PORT   one recvfrom + one sendto per datagram
     bare mm IP PORT   recvmmsg/sendmmsg batches of up to 64
   Runs until killed.  Not part of the daemon; built only by `make bench`. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define BUFSIZE 1024

static const unsigned char answer[16] = {
  0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1
};

static void die(const char *what)
{
  fprintf(stderr, "bare: fatal: %s: %s\n", what, strerror(errno));
  exit(111);
}

/* Turns the query in b (len bytes) into the fixed response; returns its length. */
static unsigned int respond(unsigned char *b, unsigned int len)
{
  if (len < 12) return 0;
  b[2] = (unsigned char)((b[2] | 0x80) & ~0x02);
  b[3] = 0x80;
  if (len + sizeof answer > BUFSIZE) return len;
  b[6] = 0; b[7] = 1;
  b[8] = 0; b[9] = 0;
  b[10] = 0; b[11] = 0;
  memcpy(b + len, answer, sizeof answer);
  return len + (unsigned int)sizeof answer;
}

int main(int argc, char **argv)
{
  struct sockaddr_in sa;
  int fd, sz = 4 << 20, one = 1;
  if (argc != 4 || (strcmp(argv[1], "rs") && strcmp(argv[1], "mm"))) {
    fprintf(stderr, "usage: bare rs|mm IP PORT\n");
    return 100;
  }
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)atoi(argv[3]));
  if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) { errno = EINVAL; die(argv[2]); }
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");

  if (argv[1][0] == 'r') {
    static unsigned char buf[BUFSIZE];
    for (;;) {
      struct sockaddr_in from;
      socklen_t fl = sizeof from;
      ssize_t r = recvfrom(fd, buf, BUFSIZE - sizeof answer, 0, (struct sockaddr *)&from, &fl);
      unsigned int len;
      if (r < 0) continue;
      len = respond(buf, (unsigned int)r);
      if (len) sendto(fd, buf, len, 0, (struct sockaddr *)&from, fl);
    }
  } else {
    static unsigned char buf[BATCH][BUFSIZE];
    static struct mmsghdr in[BATCH], out[BATCH];
    static struct iovec iin[BATCH], iout[BATCH];
    static struct sockaddr_in from[BATCH];
    int i;
    for (i = 0; i < BATCH; ++i) {
      iin[i].iov_base = buf[i];
      iin[i].iov_len = BUFSIZE - sizeof answer;
      in[i].msg_hdr.msg_iov = &iin[i];
      in[i].msg_hdr.msg_iovlen = 1;
      iout[i].iov_base = buf[i];
      out[i].msg_hdr.msg_iov = &iout[i];
      out[i].msg_hdr.msg_iovlen = 1;
    }
    for (;;) {
      int r, m = 0;
      for (i = 0; i < BATCH; ++i) {
        in[i].msg_hdr.msg_name = &from[i];
        in[i].msg_hdr.msg_namelen = sizeof from[i];
      }
      r = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, 0);
      if (r <= 0) continue;
      for (i = 0; i < r; ++i) {
        unsigned int len = respond(buf[i], in[i].msg_len);
        if (!len) continue;
        iout[m].iov_base = buf[i];
        iout[m].iov_len = len;
        out[m].msg_hdr.msg_name = &from[i];
        out[m].msg_hdr.msg_namelen = in[i].msg_hdr.msg_namelen;
        m++;
      }
      for (i = 0; i < m;) {
        int s = sendmmsg(fd, out + i, (unsigned int)(m - i), 0);
        if (s <= 0) break;
        i += s;
      }
    }
  }
}
