/* unit_random.c: ChaCha20 against RFC 8439, dns_random's range and rough
   uniformity (bounds many standard deviations wide, so they never flake),
   shuffles, and independence of separate initialisations. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/unit.h"
#include "dns_random.h"

static void t_rfc8439_block(void)
{
  /* RFC 8439 section 2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:
     00:00:00:00, block count 1 */
  static const unsigned char want[64] = {
    0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
    0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
    0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
    0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
  };
  uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 };
  unsigned char out[64];
  for (int i = 0; i < 8; i++)
    key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 | (uint32_t)(4 * i + 2) << 16 |
             (uint32_t)(4 * i + 3) << 24;
  chacha20_block(key, 1, nonce, out);
  CHECK_MEM(out, want, 64);
}

static void t_rfc8439_zero(void)
{
  /* RFC 8439 appendix A.1 test vector #1: all-zero key and nonce, counter 0 */
  static const unsigned char want[64] = {
    0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28,
    0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a, 0xa8, 0x36, 0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7,
    0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48, 0x8d, 0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37,
    0x6a, 0x43, 0xb8, 0xf4, 0x15, 0x18, 0xa1, 0x1c, 0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86,
  };
  uint32_t key[8] = { 0 }, nonce[3] = { 0 };
  unsigned char out[64];
  chacha20_block(key, 0, nonce, out);
  CHECK_MEM(out, want, 64);
}

static void t_range(void)
{
  static const unsigned int ns[] = { 1, 2, 3, 7, 10, 255, 1000, 64510, 65536, 0x7fffffffu,
                                     0x80000001u, 0xfffffffeu, 0xffffffffu };
  CHECK_EQ_INT(dns_random(0), 0);
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
    for (int i = 0; i < 2000; i++) {
      unsigned int r = dns_random(ns[k]);
      if (r >= ns[k]) {
        printf("  dns_random(%u) gave %u\n", ns[k], r);
        CHECK(0);
        return;
      }
    }
  /* small n: every value shows up */
  int seen[7] = { 0 };
  for (int i = 0; i < 1000; i++) seen[dns_random(7)] = 1;
  for (int i = 0; i < 7; i++) CHECK(seen[i]);
}

static void t_uniform(void)
{
  /* 10 buckets x 100000 draws: each expected 10000, sd about 95; +-5% is
     over 5 sd */
  int b[10] = { 0 };
  for (int i = 0; i < 100000; i++) b[dns_random(10)]++;
  for (int i = 0; i < 10; i++) {
    if (b[i] < 9500 || b[i] > 10500) printf("  bucket %d: %d\n", i, b[i]);
    CHECK(b[i] >= 9500 && b[i] <= 10500);
  }
  /* rejection sampling: with n = 3/4 of 2^32 a plain modulo would put half
     of all draws below 2^30; uniform puts a third there */
  int low = 0;
  for (int i = 0; i < 30000; i++)
    if (dns_random(0xc0000000u) < 0x40000000u) low++;
  CHECK(low > 9000 && low < 11000);                /* 10000 expected, sd 82 */
  /* high half of a large range used too */
  int high = 0;
  for (int i = 0; i < 10000; i++)
    if (dns_random(0xfffffff0u) >= 0x80000000u) high++;
  CHECK(high > 4500 && high < 5500);
  /* bytes: every bit about half the time */
  int ones[8] = { 0 };
  for (int i = 0; i < 20000; i++) {
    unsigned char c;
    dns_random_bytes(&c, 1);
    for (int k = 0; k < 8; k++) ones[k] += (c >> k) & 1;
  }
  for (int k = 0; k < 8; k++) CHECK(ones[k] > 9000 && ones[k] < 11000);
}

static int cmp4(const void *a, const void *b)
{
  return memcmp(a, b, 4);
}

static void t_shuffle(void)
{
  char ips[64], orig[64];
  for (int i = 0; i < 64; i++) orig[i] = (char)i;
  int moved = 0;
  for (int round = 0; round < 200; round++) {
    memcpy(ips, orig, 64);
    dns_random_shuffle_ip4(ips, 16);
    if (memcmp(ips, orig, 64)) moved++;
    for (int i = 0; i < 16; i++)   /* each address kept whole */
      CHECK_EQ_INT(ips[4 * i] % 4, 0);
    qsort(ips, 16, 4, cmp4);
    CHECK_MEM(ips, orig, 64);       /* a permutation */
  }
  CHECK(moved > 190);
  /* n = 0 and 1 leave things alone */
  memcpy(ips, orig, 64);
  dns_random_shuffle_ip4(ips, 0);
  dns_random_shuffle_ip4(ips, 1);
  CHECK_MEM(ips, orig, 64);
  /* 3 addresses: all 6 orders about equally often (10000 each, sd 91) */
  int count[6] = { 0 };
  for (int i = 0; i < 60000; i++) {
    char t[12] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 };
    dns_random_shuffle_ip4(t, 3);
    count[t[0] * 2 + (t[4] > t[8])]++;
  }
  for (int i = 0; i < 6; i++) {
    if (count[i] < 9300 || count[i] > 10700) printf("  order %d: %d\n", i, count[i]);
    CHECK(count[i] >= 9300 && count[i] <= 10700);
  }
}

static void t_streams_differ(void)
{
  char seed[128];
  unsigned char a[32], b[32], c[32];
  int fd[2];
  memset(seed, 0, sizeof seed);
  dns_random_init(seed);
  dns_random_bytes(a, 32);
  dns_random_init(seed);                /* same seed again: new stream */
  dns_random_bytes(b, 32);
  CHECK(memcmp(a, b, 32) != 0);
  /* another process with the same seed */
  CHECK(pipe(fd) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    dns_random_init(seed);
    dns_random_bytes(c, 32);
    if (write(fd[1], c, 32) != 32) _exit(1);
    _exit(0);
  }
  CHECK(pid > 0);
  close(fd[1]);
  memset(c, 0, 32);
  CHECK_EQ_INT(read(fd[0], c, 32), 32);
  close(fd[0]);
  int st;
  waitpid(pid, &st, 0);
  CHECK(memcmp(a, c, 32) != 0);
  CHECK(memcmp(b, c, 32) != 0);
  /* the seed matters too: consecutive outputs are never equal */
  unsigned char x[16], y[16];
  dns_random_bytes(x, 16);
  dns_random_bytes(y, 16);
  CHECK(memcmp(x, y, 16) != 0);
  dns_random_init(NULL);                /* no seed is allowed */
  dns_random_bytes(x, 16);
  CHECK(memcmp(x, y, 16) != 0);
}

static void t_bytes_lengths(void)
{
  /* odd lengths across block boundaries: no byte repeated in lockstep */
  unsigned char buf[1000];
  memset(buf, 0, sizeof buf);
  dns_random_bytes(buf, 1);
  dns_random_bytes(buf + 1, 63);
  dns_random_bytes(buf + 64, 65);
  dns_random_bytes(buf + 129, 871);
  dns_random_bytes(buf, 0);
  int zeros = 0;
  for (int i = 0; i < 1000; i++) zeros += !buf[i];
  CHECK(zeros < 20);                    /* about 4 expected */
  CHECK(memcmp(buf, buf + 64, 64) != 0);
  CHECK(memcmp(buf + 64, buf + 128, 64) != 0);
}

int main(void)
{
  RUN(t_rfc8439_block);
  RUN(t_rfc8439_zero);
  RUN(t_range);          /* before any init: self-initialises */
  RUN(t_uniform);
  RUN(t_shuffle);
  RUN(t_streams_differ);
  RUN(t_bytes_lengths);
  return unit_done();
}
