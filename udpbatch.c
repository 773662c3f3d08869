/* udpbatch.c: recvmmsg/sendmmsg batches (see udpbatch.h).  Guarantees:
   fixed static buffers, nothing allocated; queued replies leave in the
   order they were queued; a failing reply never holds back the others. */
#define _GNU_SOURCE   /* recvmmsg, sendmmsg */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "udpbatch.h"
#include "ip6.h"

static char inbuf[UDPBATCH_MAX][UDPBATCH_INMAX];
static struct sockaddr_in6 insa[UDPBATCH_MAX];   /* room for either family */
static struct iovec iniov[UDPBATCH_MAX];
static struct mmsghdr inmsg[UDPBATCH_MAX];
static int ready;

static char outbuf[UDPBATCH_MAX][UDPBATCH_OUTMAX];
static struct sockaddr_in6 outsa[UDPBATCH_MAX];
static int outfd = -1;   /* the socket the queued replies go out on */
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
                unsigned char ip[16], uint16_t *port)
{
  const struct sockaddr_in *sa4;
  if (i >= UDPBATCH_MAX) return 0;
  sa4 = (const struct sockaddr_in *)&insa[i];
  if (insa[i].sin6_family == AF_INET6 && inmsg[i].msg_hdr.msg_namelen >= sizeof insa[i]) {
    memcpy(ip, &insa[i].sin6_addr, 16);
    *port = ntohs(insa[i].sin6_port);
  } else if (sa4->sin_family == AF_INET && inmsg[i].msg_hdr.msg_namelen >= sizeof *sa4) {
    ip6_from4(ip, (const unsigned char *)&sa4->sin_addr);
    *port = ntohs(sa4->sin_port);
  } else
    return 0;
  *buf = inbuf[i];
  *len = inmsg[i].msg_len;
  if (*len > UDPBATCH_INMAX) *len = UDPBATCH_INMAX;
  return 1;
}

void udpbatch_send(void)
{
  unsigned int done = 0;
  while (done < nout) {
    int r = sendmmsg(outfd, outmsg + done, nout - done, 0);
    if (r > 0) done += (unsigned int)r;
    else if (r == -1 && errno == EINTR) continue;
    else done++;   /* the first one failed: skip it */
  }
  nout = 0;
}

void udpbatch_queue(int fd, const char *buf, unsigned int len,
                    const unsigned char ip[16], uint16_t port)
{
  struct msghdr *h;
  socklen_t salen;
  if (nout == UDPBATCH_MAX || (nout && fd != outfd)) udpbatch_send();
  outfd = fd;
  if (len > UDPBATCH_OUTMAX) len = UDPBATCH_OUTMAX;
  memcpy(outbuf[nout], buf, len);
  memset(&outsa[nout], 0, sizeof outsa[nout]);
  if (ip6_isv4mapped(ip)) {
    struct sockaddr_in *sa = (struct sockaddr_in *)&outsa[nout];
    sa->sin_family = AF_INET;
    memcpy(&sa->sin_addr, ip + 12, 4);
    sa->sin_port = htons(port);
    salen = sizeof *sa;
  } else {
    struct sockaddr_in6 *sa = &outsa[nout];
    sa->sin6_family = AF_INET6;
    memcpy(&sa->sin6_addr, ip, 16);
    sa->sin6_port = htons(port);
    salen = sizeof *sa;
  }
  outiov[nout].iov_base = outbuf[nout];
  outiov[nout].iov_len = len;
  h = &outmsg[nout].msg_hdr;
  memset(h, 0, sizeof *h);
  h->msg_name = &outsa[nout];
  h->msg_namelen = salen;
  h->msg_iov = &outiov[nout];
  h->msg_iovlen = 1;
  nout++;
}
