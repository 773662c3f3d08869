/* socket.c: UDP/TCP sockets, IPv4 and IPv6.  Every descriptor made here
   (including accepted ones) is non-blocking and close-on-exec; every IPv6
   one is IPV6_V6ONLY.  Addresses are 16 bytes, IPv4 held IPv4-mapped, in
   network order; ports in host order. */
#define _GNU_SOURCE  /* accept4 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "socket.h"
#include "ip6.h"

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

/* ---- 16-byte addresses ---- */

static socklen_t sa6_set(struct sockaddr_storage *ss, const unsigned char ip[16],
                         uint16_t port, uint32_t scope)
{
  memset(ss, 0, sizeof *ss);
  if (ip6_isv4mapped(ip)) {
    sa_set((struct sockaddr_in *)ss, ip + 12, port);
    return sizeof(struct sockaddr_in);
  }
  {
    struct sockaddr_in6 *sa = (struct sockaddr_in6 *)ss;
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    memcpy(&sa->sin6_addr, ip, 16);
    sa->sin6_scope_id = scope;
    return sizeof *sa;
  }
}

static void sa6_get(const struct sockaddr_storage *ss, unsigned char ip[16], uint16_t *port)
{
  if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *)ss;
    if (ip) memcpy(ip, &sa->sin6_addr, 16);
    if (port) *port = ntohs(sa->sin6_port);
    return;
  }
  {
    unsigned char v4[4];
    sa_get((const struct sockaddr_in *)ss, v4, port);
    if (ip) ip6_from4(ip, v4);
  }
}

static int v6only(int fd)
{
  int one = 1;
  if (fd == -1) return -1;
  if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) == -1) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

int socket_udp6(void)
{
  return v6only(socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

int socket_tcp6(void)
{
  return v6only(socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

int socket_udp46(const unsigned char ip[16])
{
  return ip6_isv4mapped(ip) ? socket_udp() : socket_udp6();
}

int socket_tcp46(const unsigned char ip[16])
{
  return ip6_isv4mapped(ip) ? socket_tcp() : socket_tcp6();
}

int socket_bind6(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope)
{
  struct sockaddr_storage ss;
  socklen_t len = sa6_set(&ss, ip, port, scope);
  return bind(fd, (struct sockaddr *)&ss, len);
}

int socket_bind6_reuse(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope)
{
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  return socket_bind6(fd, ip, port, scope);
}

int socket_connect6(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope)
{
  struct sockaddr_storage ss;
  socklen_t len = sa6_set(&ss, ip, port, scope);
  for (;;) {
    if (connect(fd, (struct sockaddr *)&ss, len) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno == EINPROGRESS) return 0;
    return -1;
  }
}

int socket_accept6(int fd, unsigned char ip[16], uint16_t *port)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int c;
  memset(&ss, 0, sizeof ss);
  c = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (c == -1) return -1;
  sa6_get(&ss, ip, port);
  return c;
}

ssize_t socket_recv6(int fd, char *buf, size_t len, unsigned char ip[16], uint16_t *port)
{
  struct sockaddr_storage ss;
  socklen_t salen = sizeof ss;
  ssize_t r;
  memset(&ss, 0, sizeof ss);
  r = recvfrom(fd, buf, len, 0, (struct sockaddr *)&ss, &salen);
  if (r == -1) return -1;
  sa6_get(&ss, ip, port);
  return r;
}

ssize_t socket_send6(int fd, const char *buf, size_t len, const unsigned char ip[16],
                     uint16_t port, uint32_t scope)
{
  struct sockaddr_storage ss;
  socklen_t salen = sa6_set(&ss, ip, port, scope);
  return sendto(fd, buf, len, 0, (struct sockaddr *)&ss, salen);
}

int socket_local6(int fd, unsigned char ip[16], uint16_t *port)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1) return -1;
  sa6_get(&ss, ip, port);
  return 0;
}

int socket_rcvbuf(int fd, int size)
{
  return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

int socket_reuseport(int fd)
{
  int one = 1;
  return setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
}
