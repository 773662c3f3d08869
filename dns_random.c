/* dns_random.c: unpredictable numbers from a ChaCha20 keystream (RFC 8439).
   The key and nonce come from absorbing, one 32-byte chunk at a time,
   getrandom() output, the caller's 128-byte seed, the time, the pid and the
   ppid: each chunk is XORed into the key and the key replaced by the first
   half of a ChaCha20 block under it.  Numbers in [0,n) are drawn by
   rejection, so every value is equally likely. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include "dns_random.h"

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d) do { \
  a += b; d ^= a; d = ROTL(d, 16); \
  c += d; b ^= c; b = ROTL(b, 12); \
  a += b; d ^= a; d = ROTL(d, 8); \
  c += d; b ^= c; b = ROTL(b, 7); } while (0)

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
                    unsigned char out[64])
{
  uint32_t s[16], x[16];
  int i;
  s[0] = 0x61707865; s[1] = 0x3320646e; s[2] = 0x79622d32; s[3] = 0x6b206574;
  for (i = 0; i < 8; i++) s[4 + i] = key[i];
  s[12] = counter;
  s[13] = nonce[0]; s[14] = nonce[1]; s[15] = nonce[2];
  memcpy(x, s, sizeof x);
  for (i = 0; i < 10; i++) {
    QR(x[0], x[4], x[8], x[12]);  /* columns */
    QR(x[1], x[5], x[9], x[13]);
    QR(x[2], x[6], x[10], x[14]);
    QR(x[3], x[7], x[11], x[15]);
    QR(x[0], x[5], x[10], x[15]); /* diagonals */
    QR(x[1], x[6], x[11], x[12]);
    QR(x[2], x[7], x[8], x[13]);
    QR(x[3], x[4], x[9], x[14]);
  }
  for (i = 0; i < 16; i++) {
    uint32_t v = x[i] + s[i];
    out[4 * i] = (unsigned char)v;
    out[4 * i + 1] = (unsigned char)(v >> 8);
    out[4 * i + 2] = (unsigned char)(v >> 16);
    out[4 * i + 3] = (unsigned char)(v >> 24);
  }
}

static uint32_t key[8];
static uint32_t nonce[3];
static uint32_t counter;
static unsigned char block[64];
static unsigned int used = 64;   /* bytes of block already handed out */
static int ready;

/* XOR 32 bytes into the key, then replace key and nonce by a block under it */
static void absorb(const unsigned char chunk[32], uint32_t n)
{
  static const uint32_t zero[3];
  unsigned char out[64];
  int i;
  for (i = 0; i < 8; i++) key[i] ^= le32(chunk + 4 * i);
  chacha20_block(key, n, zero, out);
  for (i = 0; i < 8; i++) key[i] = le32(out + 4 * i);
  for (i = 0; i < 3; i++) nonce[i] = le32(out + 32 + 4 * i);
  memset(out, 0, sizeof out);
}

static void sysrandom(unsigned char *p, size_t n)
{
  while (n) {
    ssize_t r = getrandom(p, n, 0);
    if (r <= 0) {
      if (r == -1 && errno == EINTR) continue;
      return;  /* no kernel entropy: the seed, time and pids remain */
    }
    p += r;
    n -= (size_t)r;
  }
}

void dns_random_init(const char seed[128])
{
  unsigned char chunk[32];
  struct timespec ts[2];
  pid_t ids[2];
  uint32_t n = 0;
  int i;
  int e = errno;

  memset(chunk, 0, sizeof chunk);
  sysrandom(chunk, 32);
  absorb(chunk, n++);
  if (seed)
    for (i = 0; i < 4; i++) absorb((const unsigned char *)seed + 32 * i, n++);
  memset(ts, 0, sizeof ts);
  clock_gettime(CLOCK_REALTIME, &ts[0]);
  clock_gettime(CLOCK_MONOTONIC, &ts[1]);
  ids[0] = getpid();
  ids[1] = getppid();
  memset(chunk, 0, sizeof chunk);
  memcpy(chunk, ts, sizeof ts < 24 ? sizeof ts : 24);
  memcpy(chunk + 24, ids, sizeof ids);
  absorb(chunk, n++);
  memset(chunk, 0, sizeof chunk);
  sysrandom(chunk, 32);  /* once more, after the caller's material */
  absorb(chunk, n++);
  memset(chunk, 0, sizeof chunk);
  counter = 0;
  used = 64;
  ready = 1;
  errno = e;
}

void dns_random_bytes(void *out, size_t n)
{
  unsigned char *p = out;
  if (!ready) dns_random_init(NULL);
  while (n) {
    size_t k;
    if (used == 64) {
      chacha20_block(key, counter, nonce, block);
      if (++counter == 0) {   /* 256 GiB later: move to a fresh key */
        unsigned char next[32];
        memcpy(next, block, 32);
        absorb(next, 0xffffffff);
        chacha20_block(key, counter, nonce, block);
        counter++;
      }
      used = 0;
    }
    k = 64 - used;
    if (k > n) k = n;
    memcpy(p, block + used, k);
    memset(block + used, 0, k);  /* handed-out bytes are not kept */
    used += (unsigned int)k;
    p += k;
    n -= k;
  }
}

unsigned int dns_random(unsigned int n)
{
  uint32_t x, limit;
  if (n <= 1) return 0;
  /* largest multiple of n that fits in 2^32, minus one */
  limit = (uint32_t)(0xffffffffu - (0xffffffffu % n + 1) % n);
  do {
    dns_random_bytes(&x, sizeof x);
  } while (x > limit);
  return x % n;
}

/* Fisher-Yates over n items of size bytes each (at most 16). */
static void shuffle(char *items, unsigned int n, unsigned int size)
{
  char t[16];
  while (n > 1) {
    unsigned int j = dns_random(n);
    n--;
    memcpy(t, items + size * j, size);
    memcpy(items + size * j, items + size * n, size);
    memcpy(items + size * n, t, size);
  }
}

void dns_random_shuffle_ip4(char *ips, unsigned int n) { shuffle(ips, n, 4); }
void dns_random_shuffle_ip6(char *ips, unsigned int n) { shuffle(ips, n, 16); }
