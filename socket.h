#ifndef SOCKET_H
#define SOCKET_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
/* UDP/TCP sockets.  All return -1 with errno on failure.  Sockets are
   created non-blocking and close-on-exec. */
int socket_udp(void);                     /* IPv4 */
int socket_tcp(void);
int socket_connected(int fd);             /* 1 if a non-blocking connect finished, 0 with errno if it failed */
int socket_listen(int fd, int backlog);
int socket_rcvbuf(int fd, int size);      /* best effort SO_RCVBUF */
int socket_reuseport(int fd);             /* SO_REUSEPORT, before binding */
/* Addresses are 16 bytes (ip6.h) in network order, ports host order: an
   IPv4-mapped address is used on an IPv4 socket, any other on an IPv6
   socket (made IPV6_V6ONLY, so the two families never share a socket).
   scope is the interface index of a link-local address (0 otherwise).
   socket_udp46/tcp46 make a socket of ip's family; recv6/accept6/local6
   return IPv4 peers IPv4-mapped. */
int socket_udp6(void);
int socket_tcp6(void);
int socket_udp46(const unsigned char ip[16]);
int socket_tcp46(const unsigned char ip[16]);
int socket_bind6(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope);
int socket_bind6_reuse(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope); /* SO_REUSEADDR */
int socket_connect6(int fd, const unsigned char ip[16], uint16_t port, uint32_t scope);
int socket_accept6(int fd, unsigned char ip[16], uint16_t *port);   /* new fd, non-blocking */
ssize_t socket_recv6(int fd, char *buf, size_t len, unsigned char ip[16], uint16_t *port);
ssize_t socket_send6(int fd, const char *buf, size_t len, const unsigned char ip[16],
                     uint16_t port, uint32_t scope);
int socket_local6(int fd, unsigned char ip[16], uint16_t *port);
#endif
