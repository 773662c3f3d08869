/* socket.c: IPv4 UDP/TCP sockets.  Every descriptor made here (including
   accepted ones) is non-blocking and close-on-exec.  Addresses are 4 bytes
   in network order, ports in host order. */
#define _GNU_SOURCE  /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "socket.h"

static void sa_set(struct sockaddr_in *sa, const unsigned char ip[4], uint16_t port)
{
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons(port);
  memcpy(&sa->sin_addr, ip, 4);
}

static void sa_get(const struct sockaddr_in *sa, unsigned char ip[4], uint16_t *port)
{
  if (ip) memcpy(ip, &sa->sin_addr, 4);
  if (port) *port = ntohs(sa->sin_port);
}

int socket_udp(void)
{
  return socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int socket_tcp(void)
{
  return socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int socket_bind4(int fd, const unsigned char ip[4], uint16_t port)
{
  struct sockaddr_in sa;
  sa_set(&sa, ip, port);
  return bind(fd, (struct sockaddr *)&sa, sizeof sa);
}

int socket_bind4_reuse(int fd, const unsigned char ip[4], uint16_t port)
{
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  return socket_bind4(fd, ip, port);
}

int socket_connect4(int fd, const unsigned char ip[4], uint16_t port)
{
  struct sockaddr_in sa;
  sa_set(&sa, ip, port);
  for (;;) {
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno == EINPROGRESS) return 0;
    return -1;
  }
}

int socket_connected(int fd)
{
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1) return 0;
  if (err) {
    errno = err;
    return 0;
  }
  return 1;
}

int socket_listen(int fd, int backlog)
{
  return listen(fd, backlog);
}

int socket_accept4(int fd, unsigned char ip[4], uint16_t *port)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  int c;
  memset(&sa, 0, sizeof sa);
  c = accept4(fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (c == -1) return -1;
  sa_get(&sa, ip, port);
  return c;
}

ssize_t socket_recv4(int fd, char *buf, size_t len, unsigned char ip[4], uint16_t *port)
{
  struct sockaddr_in sa;
  socklen_t salen = sizeof sa;
  ssize_t r;
  memset(&sa, 0, sizeof sa);
  r = recvfrom(fd, buf, len, 0, (struct sockaddr *)&sa, &salen);
  if (r == -1) return -1;
  sa_get(&sa, ip, port);
  return r;
}

ssize_t socket_send4(int fd, const char *buf, size_t len, const unsigned char ip[4], uint16_t port)
{
  struct sockaddr_in sa;
  sa_set(&sa, ip, port);
  return sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof sa);
}

int socket_local4(int fd, unsigned char ip[4], uint16_t *port)
{
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  memset(&sa, 0, sizeof sa);
  if (getsockname(fd, (struct sockaddr *)&sa, &len) == -1) return -1;
  sa_get(&sa, ip, port);
  return 0;
}

int socket_rcvbuf(int fd, int size)
{
  return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

int ndelay_on(int fd)
{
  int fl = fcntl(fd, F_GETFL);
  if (fl == -1) return -1;
  return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int ndelay_off(int fd)
{
  int fl = fcntl(fd, F_GETFL);
  if (fl == -1) return -1;
  return fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}
