/* unit_sys.c: socket.c (inside a private network namespace when that can
   be made, so no packet ever leaves this process's own loopback; IPv4 and
   IPv6 through the same 16-byte calls), clock.c and strerr.c (in child
   processes, capturing fd 2). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "tests/unit.h"
#include "clock.h"
#include "socket.h"
#include "strerr.h"

static int has_flags(int fd)
{
  return (fcntl(fd, F_GETFL) & O_NONBLOCK) && (fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

/* Brings lo up in a fresh network namespace; 0 if that is not possible. */
static int private_lo(void)
{
  struct ifreq ifr;
  int s;
  if (unshare(CLONE_NEWNET) == -1) return 0;
  s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s == -1) return 0;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) == -1) { close(s); return 0; }
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1) { close(s); return 0; }
  close(s);
  return 1;
}

/* One family's traffic: UDP both ways, TCP listen/connect/accept, a
   refused connect, an address in use, one this host does not have.  lo
   and lo2 are two local addresses of the family (IPv4 ones IPv4-mapped),
   far one it does not have.  Returns the number of failed checks. */
static int traffic(const unsigned char lo[16], const unsigned char lo2[16],
                   const unsigned char far[16])
{
  unsigned char ip[16];
  uint16_t port, port2;
  char buf[100];
  int bad = 0, u, v, t, c, a, i;
#define C(x) do { if (!(x)) { printf("  child: %s:%d: %s\n", __FILE__, __LINE__, #x); bad++; } } while (0)
  u = socket_udp46(lo);
  v = socket_udp46(lo2);
  C(u >= 0 && v >= 0 && has_flags(u) && has_flags(v));
  C(socket_bind6_reuse(u, lo, 0, 0) == 0);
  C(socket_local6(u, ip, &port) == 0);
  C(!memcmp(ip, lo, 16) && port != 0);
  C(socket_bind6(v, lo2, 0, 0) == 0);
  C(socket_local6(v, ip, &port2) == 0);
  C(socket_send6(v, "hello", 5, lo, port, 0) == 5);
  for (i = 0; i < 100; i++) {           /* at most 1 s */
    ssize_t r = socket_recv6(u, buf, sizeof buf, ip, &port);
    if (r == 5) { C(!memcmp(buf, "hello", 5)); C(!memcmp(ip, lo2, 16)); C(port == port2); break; }
    C(r == -1 && errno == EAGAIN);      /* non-blocking */
    usleep(10000);
  }
  C(i < 100);
  C(socket_recv6(u, buf, sizeof buf, ip, &port) == -1 && errno == EAGAIN);
  C(socket_rcvbuf(u, 131072) == 0);
  close(u);
  close(v);
  /* TCP: listen, non-blocking connect, accept */
  t = socket_tcp46(lo);
  C(t >= 0 && has_flags(t));
  C(socket_bind6_reuse(t, lo, 0, 0) == 0);
  C(socket_listen(t, 20) == 0);
  C(socket_local6(t, ip, &port) == 0);
  c = socket_tcp46(lo);                 /* the same address again: in use */
  C(socket_bind6(c, lo, port, 0) == -1 && errno == EADDRINUSE);
  close(c);
  c = socket_tcp46(lo);
  C(socket_connect6(c, lo, port, 0) == 0);
  a = -1;
  for (i = 0; i < 100 && a == -1; i++) {
    a = socket_accept6(t, ip, &port2);
    if (a == -1) usleep(10000);
  }
  C(a >= 0 && has_flags(a) && !memcmp(ip, lo, 16));
  for (i = 0; i < 100 && !socket_connected(c); i++) usleep(10000);
  C(socket_connected(c) == 1);
  C(write(c, "abc", 3) == 3);
  C(a >= 0 && read(a, buf, 3) == 3 && !memcmp(buf, "abc", 3));
  close(a);
  close(c);
  close(t);
  /* connect to a closed port: socket_connected reports the refusal */
  v = socket_tcp46(lo);
  C(socket_connect6(v, lo, 1, 0) == 0 || errno == ECONNREFUSED);
  for (i = 0; i < 100; i++) {
    errno = 0;
    if (!socket_connected(v) && errno) break;
    usleep(10000);
  }
  C(errno == ECONNREFUSED);
  close(v);
  /* binding an address this host does not have */
  c = socket_udp46(far);
  C(socket_bind6(c, far, 53, 0) == -1 && errno == EADDRNOTAVAIL);
  close(c);
#undef C
  return bad;
}

/* The traffic part runs in a child that owns its own namespace; its exit
   code is the number of failed checks, or 99 when it had to skip.  IPv4
   goes through the same 16-byte calls, IPv4-mapped. */
static int child_sockets(void)
{
  static const unsigned char lo4[16] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 127,0,0,1 };
  static const unsigned char lo4b[16] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 127,0,0,2 };
  static const unsigned char far4[16] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 1,2,3,4 };
  static const unsigned char lo6[16] = { 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,1 };
  static const unsigned char far6[16] = { 0x20,0x01,0x0d,0xb8, 0,0,0,0, 0,0,0,0, 0,0,0,1 };
  if (!private_lo()) return 99;
  /* IPv6 has one loopback address: lo and lo2 are both ::1 */
  return traffic(lo4, lo4b, far4) + traffic(lo6, lo6, far6);
}

static void t_socket(void)
{
  int st;
  pid_t pid;
  /* flags checked without any traffic, wherever we run */
  int u = socket_udp(), t = socket_tcp();
  CHECK(u >= 0 && has_flags(u));
  CHECK(t >= 0 && has_flags(t));
  close(u);
  close(t);
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    int r = child_sockets();
    fflush(stdout);
    _exit(r);
  }
  CHECK(pid > 0);
  CHECK(waitpid(pid, &st, 0) == pid);
  CHECK(WIFEXITED(st));
  if (WEXITSTATUS(st) == 99) printf("SKIP: t_socket traffic (no private network namespace)\n");
  else CHECK_EQ_INT(WEXITSTATUS(st), 0);
}

static void t_clock(void)
{
  int64_t a = clock_ms(), s = clock_sec(), b;
  CHECK(a > 0);
  CHECK(s >= a / 1000 - 1 && s <= a / 1000 + 1);
  usleep(20000);
  b = clock_ms();
  CHECK(b - a >= 20 && b - a < 5000);
}

/* Runs f in a child with fd 2 on a pipe; returns what it wrote and its
   exit code. */
static int capture(void (*f)(void), char *out, size_t max)
{
  int p[2], st;
  size_t n = 0;
  ssize_t r;
  pid_t pid;
  if (pipe(p) == -1) return -1;
  pid = fork();
  if (pid == 0) {
    dup2(p[1], 2);
    close(p[0]);
    f();
    _exit(0);
  }
  close(p[1]);
  while (n < max - 1 && (r = read(p[0], out + n, max - 1 - n)) > 0) n += (size_t)r;
  out[n] = 0;
  close(p[0]);
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void die_sys(void) { errno = EADDRNOTAVAIL; strerr_die(STRERR_TEMP, "dnscache", "unable to bind UDP socket", NULL, NULL, 1); }
static void die_parts(void) { strerr_die(STRERR_TEMP, "dnscache", "unable to parse IP address ", "1.2.3", NULL, 0); }
static void die_usage(void) { strerr_usage("dnsq", "dnsq type name server"); }

static void t_strerr(void)
{
  char out[512];
  CHECK_EQ_INT(capture(die_sys, out, sizeof out), 111);
  CHECK(!strcmp(out, "dnscache: fatal: unable to bind UDP socket: address not available\n"));
  CHECK_EQ_INT(capture(die_parts, out, sizeof out), 111);
  CHECK(!strcmp(out, "dnscache: fatal: unable to parse IP address 1.2.3\n"));
  CHECK_EQ_INT(capture(die_usage, out, sizeof out), 100);
  CHECK(!strcmp(out, "dnsq: usage: dnsq type name server\n"));
}

int main(void)
{
  RUN(t_socket);
  RUN(t_clock);
  RUN(t_strerr);
  return unit_done();
}
