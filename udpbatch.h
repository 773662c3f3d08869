#ifndef UDPBATCH_H
#define UDPBATCH_H
#include <stdint.h>
/* Batched datagram I/O on the daemon's UDP/53 sockets (IPv4 or IPv6):
   recvmmsg to take the datagrams that are ready on one, sendmmsg to send
   the replies of a loop pass together.  Fixed buffers, no allocation. */
#define UDPBATCH_MAX 64      /* datagrams per system call */
#define UDPBATCH_INMAX 1024  /* bytes kept of a received datagram */
#define UDPBATCH_OUTMAX 1232 /* bytes of a queued reply (longer is cut): the
                                largest EDNS0 reply (DNS_OPT_UDPSIZE) */

/* Reads the datagrams ready on fd (non-blocking), at most UDPBATCH_MAX;
   returns how many (0 if none or on error).  Datagram i, 0 <= i < that
   count, is then udpbatch_in(i, ...): its bytes (at most UDPBATCH_INMAX;
   a longer datagram shows as exactly UDPBATCH_INMAX), sender address
   (16 bytes, IPv4 held IPv4-mapped) and port (host order).
   udpbatch_in returns 0 for a sender that is neither IPv4 nor IPv6.  The
   data stays valid until the next udpbatch_recv. */
unsigned int udpbatch_recv(int fd);
int udpbatch_in(unsigned int i, const char **buf, unsigned int *len,
                unsigned char ip[16], uint16_t *port);

/* Queues a reply to ip:port (16 bytes; IPv4-mapped on an IPv4 socket)
   on fd; the queue is sent at once when it is full or holds replies for
   another socket.  udpbatch_send sends the queue in order.  A reply the
   kernel refuses is skipped, as a failed sendto() would be. */
void udpbatch_queue(int fd, const char *buf, unsigned int len,
                    const unsigned char ip[16], uint16_t port);
void udpbatch_send(void);
#endif
