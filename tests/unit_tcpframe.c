/* unit_tcpframe.c: tcpframe.c over a non-blocking socketpair: frames
   whole and byte by byte, back to back, a length of 0, a length over
   TCPFRAME_KEEP (kept in part, skipped to the end), end of file in the
   middle of a frame, and replies written in several short writes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include "tests/unit.h"
#include "tcpframe.h"

static int sv[2];   /* sv[0]: ours, non-blocking; sv[1]: the client's */
static struct tcpframe f;

static void open_pair(void)
{
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
  tcpframe_start(&f);
}

static void close_pair(void)
{
  tcpframe_free(&f);
  close(sv[0]);
  if (sv[1] >= 0) close(sv[1]);
}

static void client_send(const char *buf, size_t len)
{
  CHECK_EQ_INT(write(sv[1], buf, len), len);
}

/* a frame of len bytes, byte i being (char)(i + seed) */
static size_t frame(char *buf, unsigned int len, int seed)
{
  buf[0] = (char)(len >> 8);
  buf[1] = (char)len;
  for (unsigned int i = 0; i < len; i++) buf[2 + i] = (char)(i + seed);
  return 2 + (size_t)len;
}

static int body_ok(unsigned int len, int seed)
{
  unsigned int keep = len < TCPFRAME_KEEP ? len : TCPFRAME_KEEP;
  for (unsigned int i = 0; i < keep; i++)
    if (f.in[i] != (char)(i + seed)) return 0;
  return 1;
}

static void t_nothing_yet(void)
{
  open_pair();
  errno = 0;
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), -1);
  CHECK_EQ_INT(errno, EAGAIN);
  close_pair();
}

static void t_whole_frames_back_to_back(void)
{
  char buf[200];
  size_t n;
  open_pair();
  n = frame(buf, 30, 1);
  n += frame(buf + n, 17, 2);
  client_send(buf, n);
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), 1);
  CHECK_EQ_INT(f.need, 30);
  CHECK(body_ok(30, 1));
  tcpframe_start(&f);
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), 1);
  CHECK_EQ_INT(f.need, 17);
  CHECK(body_ok(17, 2));
  tcpframe_start(&f);
  errno = 0;
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), -1);
  CHECK_EQ_INT(errno, EAGAIN);
  close_pair();
}

/* Every byte alone: each call takes it and waits for the next. */
static void t_partial_reads(void)
{
  char buf[64];
  size_t n;
  open_pair();
  n = frame(buf, 40, 3);
  for (size_t i = 0; i < n; i++) {
    client_send(buf + i, 1);
    CHECK_EQ_INT(tcpframe_read(&f, sv[0]), i + 1 < n ? 0 : 1);
  }
  CHECK_EQ_INT(f.need, 40);
  CHECK(body_ok(40, 3));
  close_pair();
}

static void t_length_zero(void)
{
  open_pair();
  client_send("\0\0\0\5", 4);
  errno = 0;
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), -1);
  CHECK_EQ_INT(errno, EPROTO);
  close_pair();
}

/* The first TCPFRAME_KEEP bytes are kept, the rest read and dropped,
   and the frame after it starts in the right place: in one go, and
   arriving in pieces. */
static void t_length_over_keep(void)
{
  static char buf[2 * 65537];
  size_t n, m;
  open_pair();
  n = frame(buf, 3000, 4);
  m = n + frame(buf + n, 12, 5);
  client_send(buf, m);
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), 1);
  CHECK_EQ_INT(f.need, 3000);
  CHECK(body_ok(3000, 4));
  tcpframe_start(&f);
  CHECK_EQ_INT(tcpframe_read(&f, sv[0]), 1);
  CHECK_EQ_INT(f.need, 12);
  CHECK(body_ok(12, 5));
  close_pair();

  open_pair();
  n = frame(buf, 65535, 6);
  for (size_t i = 0; i < n; i += 1000) {
    size_t k = n - i < 1000 ? n - i : 1000;
    client_send(buf + i, k);
    CHECK_EQ_INT(tcpframe_read(&f, sv[0]), i + k < n ? 0 : 1);
  }
  CHECK_EQ_INT(f.need, 65535);
  CHECK(body_ok(65535, 6));
  close_pair();
}

/* End of file anywhere in a frame is EPIPE: before it, inside the
   length, inside the body. */
static void t_eof_mid_frame(void)
{
  static const size_t cut[] = { 0, 1, 2, 7 };
  char buf[64];
  for (size_t c = 0; c < sizeof cut / sizeof cut[0]; c++) {
    open_pair();
    frame(buf, 20, 7);
    if (cut[c]) client_send(buf, cut[c]);
    close(sv[1]);
    sv[1] = -1;
    errno = 0;
    CHECK_EQ_INT(tcpframe_read(&f, sv[0]), -1);
    CHECK_EQ_INT(errno, EPIPE);
    close_pair();
  }
}

/* Reads what the client side has, up to max; appends to got. */
static size_t client_drain(char *got, size_t have, size_t max)
{
  ssize_t r;
  while (have < max && (r = recv(sv[1], got + have, max - have, MSG_DONTWAIT)) > 0)
    have += (size_t)r;
  return have;
}

/* A 65535-byte reply through a small socket buffer: short writes, a
   0 ("wait") whenever the buffer fills, then 1 and the reply freed. */
static void t_short_writes(void)
{
  static char reply[65535], got[65537];
  int size = 4096, rounds = 0, r;
  size_t have = 0;
  for (size_t i = 0; i < sizeof reply; i++) reply[i] = (char)(i * 7);
  open_pair();
  CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == 0);
  CHECK_EQ_INT(tcpframe_reply(&f, reply, sizeof reply), 0);
  while ((r = tcpframe_write(&f, sv[0])) == 0 && rounds++ < 10000)
    have = client_drain(got, have, sizeof got);
  CHECK_EQ_INT(r, 1);
  CHECK(rounds > 1);
  CHECK(f.out == 0);
  have = client_drain(got, have, sizeof got);
  CHECK_EQ_INT(have, 65537);
  CHECK_EQ_INT((unsigned char)got[0], 0xff);
  CHECK_EQ_INT((unsigned char)got[1], 0xff);
  CHECK_MEM(got + 2, reply, sizeof reply);
  close_pair();
}

/* A full buffer on the first write is EAGAIN; a vanished client EPIPE. */
static void t_write_failures(void)
{
  static char reply[65535];
  int size = 4096;
  open_pair();
  CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size) == 0);
  CHECK_EQ_INT(tcpframe_reply(&f, reply, sizeof reply), 0);
  CHECK_EQ_INT(tcpframe_write(&f, sv[0]), 0);
  errno = 0;
  CHECK_EQ_INT(tcpframe_write(&f, sv[0]), -1);
  CHECK_EQ_INT(errno, EAGAIN);
  close_pair();

  open_pair();
  CHECK_EQ_INT(tcpframe_reply(&f, "abc", 3), 0);
  close(sv[1]);
  sv[1] = -1;
  errno = 0;
  CHECK_EQ_INT(tcpframe_write(&f, sv[0]), -1);
  CHECK_EQ_INT(errno, EPIPE);
  close_pair();
}

int main(void)
{
  signal(SIGPIPE, SIG_IGN);
  RUN(t_nothing_yet);
  RUN(t_whole_frames_back_to_back);
  RUN(t_partial_reads);
  RUN(t_length_zero);
  RUN(t_length_over_keep);
  RUN(t_eof_mid_frame);
  RUN(t_short_writes);
  RUN(t_write_failures);
  return unit_done();
}
