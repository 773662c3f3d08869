#ifndef SOCKET_H
#define SOCKET_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
/* IPv4 sockets.  ip is 4 bytes in network order, port is host order.
   All return -1 with errno on failure. Sockets are created non-blocking
   and close-on-exec. */
int socket_udp(void);
int socket_tcp(void);
int socket_bind4(int fd, const unsigned char ip[4], uint16_t port);
int socket_bind4_reuse(int fd, const unsigned char ip[4], uint16_t port); /* SO_REUSEADDR */
int socket_connect4(int fd, const unsigned char ip[4], uint16_t port);   /* EINPROGRESS is not an error: returns 0 */
int socket_connected(int fd);             /* 1 if a non-blocking connect finished, 0 with errno if it failed */
int socket_listen(int fd, int backlog);
int socket_accept4(int fd, unsigned char ip[4], uint16_t *port);        /* new fd, non-blocking */
ssize_t socket_recv4(int fd, char *buf, size_t len, unsigned char ip[4], uint16_t *port);
ssize_t socket_send4(int fd, const char *buf, size_t len, const unsigned char ip[4], uint16_t port);
int socket_local4(int fd, unsigned char ip[4], uint16_t *port);
int socket_rcvbuf(int fd, int size);      /* best effort SO_RCVBUF */
int ndelay_on(int fd);
int ndelay_off(int fd);
#endif
