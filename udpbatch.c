/* udpbatch.c: recvmmsg/sendmmsg batches (see udpbatch.h).  Guarantees:
   fixed static buffers, nothing allocated; queued replies leave in the
   order they were queued; a failing reply never holds back the others. */
#define _GNU_SOURCE   /* recvmmsg, sendmmsg */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "udpbatch.h"

static char inbuf[UDPBATCH_MAX][UDPBATCH_INMAX];
static struct sockaddr_in insa[UDPBATCH_MAX];
static struct iovec iniov[UDPBATCH_MAX];
static struct mmsghdr inmsg[UDPBATCH_MAX];
static int ready;

static char outbuf[UDPBATCH_MAX][UDPBATCH_OUTMAX];
static struct sockaddr_in outsa[UDPBATCH_MAX];
static struct iovec outiov[UDPBATCH_MAX];
static struct mmsghdr outmsg[UDPBATCH_MAX];
static unsigned int nout;

unsigned int udpbatch_recv(int fd)
{
  int n;
  if (!ready) {
    for (int i = 0; i < UDPBATCH_MAX; i++) {
      iniov[i].iov_base = inbuf[i];
      iniov[i].iov_len = UDPBATCH_INMAX;
      inmsg[i].msg_hdr.msg_name = &insa[i];
      inmsg[i].msg_hdr.msg_iov = &iniov[i];
      inmsg[i].msg_hdr.msg_iovlen = 1;
    }
    ready = 1;
  }
  /* the kernel lowers msg_namelen to the sender's size: reset them all */
  for (int i = 0; i < UDPBATCH_MAX; i++) inmsg[i].msg_hdr.msg_namelen = sizeof insa[i];
  do n = recvmmsg(fd, inmsg, UDPBATCH_MAX, MSG_DONTWAIT, NULL);
  while (n == -1 && errno == EINTR);
  return n > 0 ? (unsigned int)n : 0;
}

int udpbatch_in(unsigned int i, const char **buf, unsigned int *len,
                unsigned char ip[4], uint16_t *port)
{
  if (i >= UDPBATCH_MAX) return 0;
  if (inmsg[i].msg_hdr.msg_namelen < sizeof insa[i] || insa[i].sin_family != AF_INET) return 0;
  *buf = inbuf[i];
  *len = inmsg[i].msg_len;
  if (*len > UDPBATCH_INMAX) *len = UDPBATCH_INMAX;
  memcpy(ip, &insa[i].sin_addr, 4);
  *port = ntohs(insa[i].sin_port);
  return 1;
}

void udpbatch_send(int fd)
{
  unsigned int done = 0;
  while (done < nout) {
    int r = sendmmsg(fd, outmsg + done, nout - done, 0);
    if (r > 0) done += (unsigned int)r;
    else if (r == -1 && errno == EINTR) continue;
    else done++;   /* the first one failed: skip it */
  }
  nout = 0;
}

void udpbatch_queue(int fd, const char *buf, unsigned int len,
                    const unsigned char ip[4], uint16_t port)
{
  struct sockaddr_in *sa;
  struct msghdr *h;
  if (nout == UDPBATCH_MAX) udpbatch_send(fd);
  if (len > UDPBATCH_OUTMAX) len = UDPBATCH_OUTMAX;
  memcpy(outbuf[nout], buf, len);
  sa = &outsa[nout];
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  memcpy(&sa->sin_addr, ip, 4);
  sa->sin_port = htons(port);
  outiov[nout].iov_base = outbuf[nout];
  outiov[nout].iov_len = len;
  h = &outmsg[nout].msg_hdr;
  memset(h, 0, sizeof *h);
  h->msg_name = sa;
  h->msg_namelen = sizeof *sa;
  h->msg_iov = &outiov[nout];
  h->msg_iovlen = 1;
  nout++;
}
