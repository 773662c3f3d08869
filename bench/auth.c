/* auth: a fast authoritative server for the benchmarks' synthetic zone, so
   that cold-resolution figures measure the cache and not the authority
   (Debian's tinydns opens and maps data.cdb for every query and tops out
   near 14k queries/s here).  It serves the same data bench/run feeds
   tinydns:
     bench.            NS a.ns.bench.   SOA a.ns.bench. hostmaster.bench.
     a.ns.bench.       A  <the address it listens on>
     nI.bench.         A  10.(I>>16).((I>>8)&255).(I&255), TTL 86400, I < ZONEN
   with AA set, the NS in authority and its address in additional, as
   tinydns answers; other names under bench. get NXDOMAIN with the SOA,
   other types NODATA, names outside bench. REFUSED.
     auth IP PORT [ZONEN] [-l] [-D MS]
   -l logs one line per query ("+ TYPE NAME", stdio-buffered, flushed once
   per batch) so a harness can count what reached the authority.  -D MS
   holds every answer MS milliseconds before sending it (a far-away
   authority: the job tables of a cache in front of it fill up); up to
   DELAYMAX answers wait at once, more are dropped.  Batches with
   recvmmsg/sendmmsg.  Runs until killed; built only by `make bench`. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define BUFSIZE 1024
#define TTL 86400u
#define NEGTTL 2560u

#define DELAYMAX 32768   /* answers held at once with -D (a power of 2) */

static unsigned char nsip[4];
static unsigned long zonen = 100000;
static int logging;

static void die(const char *what)
{
  fprintf(stderr, "auth: fatal: %s: %s\n", what, strerror(errno));
  exit(111);
}

static unsigned int put16(unsigned char *b, unsigned int pos, unsigned int v)
{
  b[pos] = (unsigned char)(v >> 8);
  b[pos + 1] = (unsigned char)v;
  return pos + 2;
}

static unsigned int put32(unsigned char *b, unsigned int pos, unsigned long v)
{
  pos = put16(b, pos, (unsigned int)(v >> 16) & 0xffff);
  return put16(b, pos, (unsigned int)v & 0xffff);
}

/* RR header: owner as a pointer, type, class IN, ttl, rdlength. */
static unsigned int rrhead(unsigned char *b, unsigned int pos, unsigned int ptr,
                           unsigned int type, unsigned long ttl, unsigned int rdlen)
{
  pos = put16(b, pos, 0xc000 | ptr);
  pos = put16(b, pos, type);
  pos = put16(b, pos, 1);
  pos = put32(b, pos, ttl);
  return put16(b, pos, rdlen);
}

/* NS record for bench (pointer zp) naming a.ns.bench; *nsname gets the
   offset of a.ns.bench inside it. */
static unsigned int nsrr(unsigned char *b, unsigned int pos, unsigned int zp, unsigned int *nsname)
{
  pos = rrhead(b, pos, zp, 2, 259200, 7);
  *nsname = pos;
  memcpy(b + pos, "\1a\2ns", 5);
  return put16(b, pos + 5, 0xc000 | zp);
}

static unsigned int soarr(unsigned char *b, unsigned int pos, unsigned int zp)
{
  pos = rrhead(b, pos, zp, 6, NEGTTL, 7 + 13 + 20);
  memcpy(b + pos, "\1a\2ns", 5);
  pos = put16(b, pos + 5, 0xc000 | zp);
  memcpy(b + pos, "\12hostmaster", 11);
  pos = put16(b, pos + 11, 0xc000 | zp);
  pos = put32(b, pos, 1);
  pos = put32(b, pos, 16384);
  pos = put32(b, pos, 2048);
  pos = put32(b, pos, 1048576);
  return put32(b, pos, NEGTTL);
}

static int lowereq(const unsigned char *a, const char *s, unsigned int n)
{
  unsigned int i;
  for (i = 0; i < n; ++i) {
    unsigned char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    if (c != (unsigned char)s[i]) return 0;
  }
  return 1;
}

/* Answers the query in b (len bytes, room for BUFSIZE) in place; returns the
   response length, 0 to stay silent. */
static unsigned int respond(unsigned char *b, unsigned int len)
{
  unsigned int pos = 12, labels[130], nl = 0, qend, qtype, zp, kind, n, an = 0, ns = 0, ar = 0;
  unsigned int nsname = 0, rcode = 0;
  unsigned long idx = 0;
  if (len < 12 || (b[2] & 0x80)) return 0;
  if ((b[2] & 0x78) || b[4] != 0 || b[5] != 1) {
    b[2] |= 0x80; b[3] = 4;               /* NOTIMP: not our business */
    memset(b + 4, 0, 8);
    return 12;
  }
  while (pos < len && b[pos]) {
    if (b[pos] >= 64 || nl >= 128) return 0;
    labels[nl++] = pos;
    pos += 1u + b[pos];
  }
  if (pos + 5 > len) return 0;
  qend = pos + 5;
  qtype = (unsigned int)b[pos + 1] << 8 | b[pos + 2];
  if (b[pos + 3] != 0 || b[pos + 4] != 1) return 0;
  /* kind: 1 bench, 2 a.ns.bench, 3 nI.bench, 4 other under bench, 0 outside */
  kind = 0;
  zp = 0;
  if (nl >= 1 && b[labels[nl - 1]] == 5 && lowereq(b + labels[nl - 1] + 1, "bench", 5)) {
    zp = labels[nl - 1];
    kind = 4;
    if (nl == 1) kind = 1;
    else if (nl == 3 && b[labels[0]] == 1 && lowereq(b + labels[0] + 1, "a", 1)
             && b[labels[1]] == 2 && lowereq(b + labels[1] + 1, "ns", 2)) kind = 2;
    else if (nl == 2 && b[labels[0]] >= 2 && b[labels[0]] <= 8
             && (b[labels[0] + 1] == 'n' || b[labels[0] + 1] == 'N')) {
      unsigned int i, l = b[labels[0]];
      kind = 3;
      if (b[labels[0] + 2] == '0' && l > 2) kind = 4;
      for (i = 2; i <= l && kind == 3; ++i) {
        unsigned char c = b[labels[0] + i];
        if (c < '0' || c > '9') kind = 4;
        else idx = idx * 10 + (c - '0');
      }
      if (kind == 3 && idx >= zonen) kind = 4;
    }
  }
  if (logging) {
    char name[300];
    unsigned int i, o = 0;
    for (i = 0; i < nl; ++i) {
      unsigned int l = b[labels[i]];
      memcpy(name + o, b + labels[i] + 1, l);
      o += l;
      name[o++] = '.';
    }
    if (!o) name[o++] = '.';
    name[o] = 0;
    printf("%c %04x %s\n", kind ? '+' : '-', qtype, name);
  }
  if (!kind) {
    b[2] = (unsigned char)(0x80 | (b[2] & 0x01));
    b[3] = 5;
    b[6] = b[7] = b[8] = b[9] = b[10] = b[11] = 0;
    return qend;
  }
  pos = qend;
  if (kind == 1 && qtype == 2) {
    pos = nsrr(b, pos, zp, &nsname); an++;
    pos = rrhead(b, pos, nsname, 1, 259200, 4);
    memcpy(b + pos, nsip, 4); pos += 4; ar++;
  } else if (kind == 1 && qtype == 6) {
    pos = soarr(b, pos, zp); an++;
    pos = nsrr(b, pos, zp, &nsname); ns++;
    pos = rrhead(b, pos, nsname, 1, 259200, 4);
    memcpy(b + pos, nsip, 4); pos += 4; ar++;
  } else if ((kind == 2 || kind == 3) && (qtype == 1 || qtype == 255)) {
    pos = rrhead(b, pos, 12, 1, kind == 2 ? 259200 : TTL, 4); an++;
    if (kind == 2) { memcpy(b + pos, nsip, 4); pos += 4; }
    else {
      b[pos++] = 10; b[pos++] = (unsigned char)(idx >> 16);
      b[pos++] = (unsigned char)(idx >> 8); b[pos++] = (unsigned char)idx;
    }
    pos = nsrr(b, pos, zp, &nsname); ns++;
    pos = rrhead(b, pos, nsname, 1, 259200, 4);
    memcpy(b + pos, nsip, 4); pos += 4; ar++;
  } else {
    if (kind == 4) rcode = 3;             /* NXDOMAIN */
    pos = soarr(b, pos, zp); ns++;
  }
  b[2] = (unsigned char)(0x84 | (b[2] & 0x01));
  b[3] = (unsigned char)rcode;
  n = put16(b, 6, an);
  n = put16(b, n, ns);
  put16(b, n, ar);
  return pos;
}

/* -D: answers waiting to be sent, oldest first (the delay is the same
   for all, so they fall due in arrival order). */
static struct held {
  uint64_t due_ns;
  struct sockaddr_in to;
  socklen_t tolen;
  unsigned int len;
  unsigned char b[512];
} *held;
static unsigned long hhead, htail;

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sends every held answer that is due, in batches. */
static void send_due(int fd)
{
  static struct mmsghdr out[BATCH];
  static struct iovec iov[BATCH];
  uint64_t t = now_ns();
  while (hhead != htail) {
    int m = 0, s;
    while (m < BATCH && hhead + (unsigned long)m != htail) {
      struct held *h = &held[(hhead + (unsigned long)m) & (DELAYMAX - 1)];
      if (h->due_ns > t) break;
      iov[m].iov_base = h->b;
      iov[m].iov_len = h->len;
      memset(&out[m].msg_hdr, 0, sizeof out[m].msg_hdr);
      out[m].msg_hdr.msg_name = &h->to;
      out[m].msg_hdr.msg_namelen = h->tolen;
      out[m].msg_hdr.msg_iov = &iov[m];
      out[m].msg_hdr.msg_iovlen = 1;
      m++;
    }
    if (!m) return;
    s = sendmmsg(fd, out, (unsigned int)m, 0);
    hhead += (unsigned long)(s > 0 ? s : 1);   /* a refused answer is skipped */
  }
}

int main(int argc, char **argv)
{
  static unsigned char buf[BATCH][BUFSIZE];
  static struct mmsghdr in[BATCH], out[BATCH];
  static struct iovec iin[BATCH], iout[BATCH];
  static struct sockaddr_in from[BATCH];
  struct sockaddr_in sa;
  int fd, sz = 4 << 20, one = 1, i, argi;
  unsigned long delayms = 0;

  for (argi = 1; argi < argc; ++argi) {
    if (!strcmp(argv[argi], "-l")) { logging = 1; argv[argi] = 0; }
    else if (!strcmp(argv[argi], "-D") && argi + 1 < argc) {
      delayms = strtoul(argv[argi + 1], 0, 10);
      argv[argi] = argv[argi + 1] = 0;
      argi++;
    }
  }
  {
    int j = 1;
    for (argi = 1; argi < argc; ++argi) if (argv[argi]) argv[j++] = argv[argi];
    argc = j;
  }
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: auth IP PORT [ZONEN] [-l] [-D MS]\n");
    return 100;
  }
  if (argc == 4) zonen = strtoul(argv[3], 0, 10);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) { errno = EINVAL; die(argv[1]); }
  memcpy(nsip, &sa.sin_addr, 4);
  fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
  if (delayms) {
    held = calloc(DELAYMAX, sizeof *held);
    if (!held) die("calloc");
  }
  if (logging) { printf("starting auth\n"); fflush(stdout); }

  for (i = 0; i < BATCH; ++i) {
    iin[i].iov_base = buf[i];
    iin[i].iov_len = 512;
    in[i].msg_hdr.msg_iov = &iin[i];
    in[i].msg_hdr.msg_iovlen = 1;
    out[i].msg_hdr.msg_iov = &iout[i];
    out[i].msg_hdr.msg_iovlen = 1;
  }
  for (;;) {
    int r, m = 0;
    for (i = 0; i < BATCH; ++i) {
      in[i].msg_hdr.msg_name = &from[i];
      in[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    if (delayms) {
      /* wait for a query or the next answer due, whichever comes first */
      struct pollfd p = { fd, POLLIN, 0 };
      int ms = -1;
      send_due(fd);
      if (hhead != htail) {
        uint64_t due = held[hhead & (DELAYMAX - 1)].due_ns, t = now_ns();
        ms = due > t ? (int)((due - t + 999999) / 1000000) : 0;
      }
      if (poll(&p, 1, ms) <= 0) continue;
      r = recvmmsg(fd, in, BATCH, MSG_DONTWAIT, 0);
    } else {
      r = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, 0);
    }
    if (r <= 0) continue;
    if (delayms) {
      uint64_t due = now_ns() + (uint64_t)delayms * 1000000u;
      for (i = 0; i < r; ++i) {
        struct held *h;
        unsigned int len = respond(buf[i], in[i].msg_len);
        if (!len || len > sizeof h->b || htail - hhead >= DELAYMAX) continue;
        h = &held[htail & (DELAYMAX - 1)];
        h->due_ns = due;
        h->to = from[i];
        h->tolen = in[i].msg_hdr.msg_namelen;
        h->len = len;
        memcpy(h->b, buf[i], len);
        htail++;
      }
      if (logging) fflush(stdout);
      continue;
    }
    for (i = 0; i < r; ++i) {
      unsigned int len = respond(buf[i], in[i].msg_len);
      if (!len) continue;
      iout[m].iov_base = buf[i];
      iout[m].iov_len = len;
      out[m].msg_hdr.msg_name = &from[i];
      out[m].msg_hdr.msg_namelen = in[i].msg_hdr.msg_namelen;
      m++;
    }
    if (logging) fflush(stdout);
    for (i = 0; i < m;) {
      int s = sendmmsg(fd, out + i, (unsigned int)(m - i), 0);
      if (s <= 0) break;
      i += s;
    }
  }
}
