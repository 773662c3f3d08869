/* loadgen: a lean batching DNS-over-UDP load generator for the benchmarks.
   Keeps a fixed number of queries outstanding (or paces at a fixed rate),
   sends and receives in batches (sendmmsg/recvmmsg) over several connected
   source sockets, matches answers by (socket, ID), and prints one line of
   key=value figures: sent, answered, lost, rcodes, QPS, p50/p99 latency and,
   with -x PID, the server's CPU time per answered query (from /proc).
   Every run is bounded: per-query timeout (-t) and a hard limit (-d).
   -R asks the names in reverse order (newest first: how much of a cache
   is still there, without evicting it while asking).
   -u MS ramps up: the -c outstanding are reached over MS ms rather than
   sent at once (a burst of hundreds at one instant overflows a socket
   receive buffer, which would count the kernel's drops as the server's).
   -B busy-polls instead of sleeping: on a VM a sleeping vCPU can take
   milliseconds to wake, which would make the load generator the bottleneck.
   Not part of the daemon; built only by `make bench`. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXSOCK 128       /* -S: 128 source ports spread clients evenly over REUSEPORT sockets */
#define MAXBATCH 256
#define PKTMAX 512
#define IDS 65536
#define RINGBITS 21
#define RINGSIZE (1u << RINGBITS)
#define HLIN 100000u          /* 1 us buckets up to 100 ms */
#define HLOG 10000u           /* then 1 ms buckets up to 10.1 s */

struct slot { uint64_t sent_ns; uint64_t seq; uint8_t pending; };
struct ringent { uint32_t slot; uint64_t seq; };

static struct slot *slots;        /* nsock * IDS */
static struct ringent *ring;      /* send order, for timeouts */
static uint64_t ring_head, ring_tail;
static uint32_t hist[HLIN + HLOG + 1];

static unsigned char **tmpl;      /* query templates, one per name */
static unsigned int *tmpllen;
static unsigned long nnames;

static int socks[MAXSOCK];
static unsigned int nsock = 8;
static uint16_t nextid[MAXSOCK];

static unsigned long long nsent, nanswered, nlost, nfresh, nbad;
static unsigned long long rcodes[4];   /* noerror, servfail, nxdomain, other */
static unsigned long outstanding;

static void die(const char *what)
{
  fprintf(stderr, "loadgen: fatal: %s: %s\n", what, strerror(errno));
  exit(111);
}

static void usage(void)
{
  fprintf(stderr,
    "usage: loadgen [-s ip] [-P port] (-f file | -p pattern [-o first]) [-k names]\n"
    "  [-n queries] [-c outstanding] [-r qps] [-t timeout_ms] [-d max_s] [-S socks]\n"
    "  [-b batch] [-q qtype] [-L ttl] [-x serverpid] [-y authpid] [-W -Z start_realtime_ns] [-B] [-R]\n"
    "  [-u ramp_ms]\n");
  exit(100);
}

static uint64_t now_ns(clockid_t c)
{
  struct timespec ts;
  clock_gettime(c, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Encodes a dotted name into a query template (ID patched at send time).
   Returns 0 if the name cannot be encoded. */
static unsigned int mkquery(unsigned char *q, const char *name, unsigned int qtype)
{
  unsigned int pos = 12, lab;
  const char *p = name;
  memset(q, 0, 12);
  q[2] = 0x01;                          /* RD */
  q[5] = 1;                             /* QDCOUNT */
  while (*p && *p != '\n') {
    lab = 0;
    while (p[lab] && p[lab] != '.' && p[lab] != '\n') ++lab;
    if (lab == 0 || lab > 63 || pos + 1 + lab > 12 + 255 - 1) return 0;
    q[pos++] = (unsigned char)lab;
    memcpy(q + pos, p, lab);
    pos += lab;
    p += lab;
    if (*p == '.') ++p;
  }
  q[pos++] = 0;
  q[pos++] = (unsigned char)(qtype >> 8);
  q[pos++] = (unsigned char)qtype;
  q[pos++] = 0;
  q[pos++] = 1;
  return pos;
}

static void addname(const char *name, unsigned int qtype, unsigned long cap)
{
  unsigned char buf[PKTMAX];
  unsigned int len;
  if (nnames >= cap) return;
  len = mkquery(buf, name, qtype);
  if (!len) { fprintf(stderr, "loadgen: skipping bad name %s\n", name); return; }
  tmpl[nnames] = malloc(len);
  if (!tmpl[nnames]) die("malloc");
  memcpy(tmpl[nnames], buf, len);
  tmpllen[nnames++] = len;
}

/* Skips a possibly compressed name; returns the position after it, 0 on error. */
static unsigned int skipname(const unsigned char *b, unsigned int len, unsigned int pos)
{
  unsigned int steps = 0;
  while (pos < len && steps++ < 128) {
    unsigned int c = b[pos];
    if (c == 0) return pos + 1;
    if (c >= 192) return pos + 2 <= len ? pos + 2 : 0;
    if (c >= 64) return 0;
    pos += c + 1;
  }
  return 0;
}

/* Sum of on-CPU nanoseconds of every thread of pid (schedstat), or
   utime+stime ticks from stat if schedstat is missing.  0 on failure. */
static uint64_t proc_cpu_ns(long pid)
{
  char path[64], line[512];
  uint64_t total = 0;
  DIR *d;
  struct dirent *e;
  FILE *f;
  snprintf(path, sizeof path, "/proc/%ld/task", pid);
  d = opendir(path);
  if (d) {
    int ok = 0;
    while ((e = readdir(d))) {
      unsigned long long ns;
      if (e->d_name[0] == '.') continue;
      snprintf(path, sizeof path, "/proc/%ld/task/%.20s/schedstat", pid, e->d_name);
      f = fopen(path, "r");
      if (!f) continue;
      if (fscanf(f, "%llu", &ns) == 1) { total += ns; ok = 1; }
      fclose(f);
    }
    closedir(d);
    if (ok) return total;
  }
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  f = fopen(path, "r");
  if (!f) return 0;
  if (fgets(line, sizeof line, f)) {
    char *p = strrchr(line, ')');
    unsigned long ut = 0, st = 0;
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
      total = (uint64_t)(ut + st) * (1000000000u / (uint64_t)sysconf(_SC_CLK_TCK));
  }
  fclose(f);
  return total;
}

static void hist_add(uint64_t us)
{
  if (us < HLIN) hist[us]++;
  else if (us < HLIN + (uint64_t)HLOG * 1000) hist[HLIN + (us - HLIN) / 1000]++;
  else hist[HLIN + HLOG]++;
}

static double hist_pct(double frac)
{
  unsigned long long want, acc = 0;
  unsigned int i;
  if (!nanswered) return 0;
  want = (unsigned long long)(frac * (double)nanswered);
  if (want < 1) want = 1;
  for (i = 0; i <= HLIN + HLOG; ++i) {
    acc += hist[i];
    if (acc >= want) return i < HLIN ? (double)i : (double)HLIN + (double)(i - HLIN) * 1000.0;
  }
  return 0;
}

static void handle_answer(unsigned int s, const unsigned char *b, unsigned int len,
                          uint64_t t, long freshttl)
{
  struct slot *sl;
  unsigned int pos, rc;
  if (len < 12 || !(b[2] & 0x80)) { nbad++; return; }
  sl = &slots[(size_t)s * IDS + ((unsigned int)b[0] << 8 | b[1])];
  if (!sl->pending) { nbad++; return; }   /* late or unknown */
  sl->pending = 0;
  outstanding--;
  nanswered++;
  hist_add((t - sl->sent_ns) / 1000);
  rc = b[3] & 15;
  rcodes[rc == 0 ? 0 : rc == 2 ? 1 : rc == 3 ? 2 : 3]++;
  if (freshttl < 0 || (b[6] == 0 && b[7] == 0)) return;
  if (b[4] != 0 || b[5] != 1) return;
  pos = skipname(b, len, 12);
  if (!pos || pos + 4 > len) return;
  pos = skipname(b, len, pos + 4);
  if (!pos || pos + 10 > len) return;
  if (((uint32_t)b[pos + 4] << 24 | (uint32_t)b[pos + 5] << 16 | (uint32_t)b[pos + 6] << 8
       | b[pos + 7]) >= (uint32_t)freshttl)
    nfresh++;
}

int main(int argc, char **argv)
{
  const char *server = "127.0.0.1", *file = 0, *pattern = 0;
  unsigned int port = 53, qtype = 1, batch = 64, waitmode = 0, busy = 0, reverse = 0;
  unsigned long first = 0, k = 0, n = 0, conc = 100, i;
  double rate = 0, timeout_ms = 2000, maxsec = 60, ramp_ms = 0;
  long freshttl = -1, spid = 0, apid = 0;
  unsigned long long zstart = 0;
  uint64_t t0, tend, tlast = 0, tfirst_rt = 0, cpu0 = 0, cpu1 = 0, acpu0 = 0, acpu1 = 0, timeout_ns, deadline;
  struct rusage ru0, ru1;
  struct sockaddr_in sa;
  struct pollfd pfd[MAXSOCK];
  static unsigned char sbuf[MAXBATCH][PKTMAX], rbuf[MAXBATCH][PKTMAX];
  static struct mmsghdr smsg[MAXBATCH], rmsg[MAXBATCH];
  static struct iovec siov[MAXBATCH], riov[MAXBATCH];
  static uint32_t sslot[MAXBATCH];
  unsigned int rr = 0;
  uint64_t seq = 0;
  int opt;

  while ((opt = getopt(argc, argv, "s:P:f:p:o:k:n:c:r:t:d:S:b:q:L:x:y:WZ:BRu:")) != -1) {
    switch (opt) {
      case 's': server = optarg; break;
      case 'P': port = (unsigned int)strtoul(optarg, 0, 10); break;
      case 'f': file = optarg; break;
      case 'p': pattern = optarg; break;
      case 'o': first = strtoul(optarg, 0, 10); break;
      case 'k': k = strtoul(optarg, 0, 10); break;
      case 'n': n = strtoul(optarg, 0, 10); break;
      case 'c': conc = strtoul(optarg, 0, 10); break;
      case 'r': rate = strtod(optarg, 0); break;
      case 't': timeout_ms = strtod(optarg, 0); break;
      case 'd': maxsec = strtod(optarg, 0); break;
      case 'u': ramp_ms = strtod(optarg, 0); break;
      case 'S': nsock = (unsigned int)strtoul(optarg, 0, 10); break;
      case 'b': batch = (unsigned int)strtoul(optarg, 0, 10); break;
      case 'q': qtype = (unsigned int)strtoul(optarg, 0, 10); break;
      case 'L': freshttl = strtol(optarg, 0, 10); break;
      case 'x': spid = strtol(optarg, 0, 10); break;
      case 'y': apid = strtol(optarg, 0, 10); break;
      case 'W': waitmode = 1; break;
      case 'B': busy = 1; break;
      case 'R': reverse = 1; break;
      case 'Z': zstart = strtoull(optarg, 0, 10); break;
      default: usage();
    }
  }
  if ((!file) == (!pattern)) usage();
  if (nsock < 1 || nsock > MAXSOCK || batch < 1 || batch > MAXBATCH || conc < 1) usage();
  if (waitmode) { conc = 1000000; if (!rate) rate = 1000; nsock = 1; }
  if (conc > RINGSIZE / 2) conc = RINGSIZE / 2;

  /* names */
  if (pattern) {
    if (!k) k = 1;
    tmpl = calloc(k, sizeof *tmpl);
    tmpllen = calloc(k, sizeof *tmpllen);
    if (!tmpl || !tmpllen) die("malloc");
    for (i = 0; i < k; ++i) {
      char name[300];
      const char *pc = strstr(pattern, "%u");
      if (pc)
        snprintf(name, sizeof name, "%.*s%lu%s", (int)(pc - pattern), pattern, first + i, pc + 2);
      else
        snprintf(name, sizeof name, "%s", pattern);
      addname(name, qtype, k);
    }
  } else {
    FILE *f = fopen(file, "r");
    char line[1024];
    unsigned long cap = k ? k : 0;
    if (!f) die(file);
    if (!cap) { while (fgets(line, sizeof line, f)) ++cap; rewind(f); }
    if (!cap) { fprintf(stderr, "loadgen: fatal: no names\n"); return 111; }
    tmpl = calloc(cap, sizeof *tmpl);
    tmpllen = calloc(cap, sizeof *tmpllen);
    if (!tmpl || !tmpllen) die("malloc");
    while (fgets(line, sizeof line, f)) addname(line, qtype, cap);
    fclose(f);
  }
  if (!nnames) { fprintf(stderr, "loadgen: fatal: no names\n"); return 111; }
  if (!n) n = nnames;
  if (waitmode) n = (unsigned long)-1;     /* until the first answer or -d */

  slots = calloc((size_t)nsock * IDS, sizeof *slots);
  ring = calloc(RINGSIZE, sizeof *ring);
  if (!slots || !ring) die("malloc");

  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, server, &sa.sin_addr) != 1) { errno = EINVAL; die(server); }
  for (i = 0; i < nsock; ++i) {
    int sz = 4 << 20;
    socks[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (socks[i] < 0) die("socket");
    setsockopt(socks[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    setsockopt(socks[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    if (connect(socks[i], (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
    nextid[i] = (uint16_t)(getpid() * 7919u + i * 104729u);
    pfd[i].fd = socks[i];
    pfd[i].events = POLLIN;
  }
  for (i = 0; i < MAXBATCH; ++i) {
    siov[i].iov_base = sbuf[i];
    smsg[i].msg_hdr.msg_iov = &siov[i];
    smsg[i].msg_hdr.msg_iovlen = 1;
    riov[i].iov_base = rbuf[i];
    riov[i].iov_len = PKTMAX;
    rmsg[i].msg_hdr.msg_iov = &riov[i];
    rmsg[i].msg_hdr.msg_iovlen = 1;
  }

  timeout_ns = (uint64_t)(timeout_ms * 1e6);
  if (spid) cpu0 = proc_cpu_ns(spid);
  if (apid) acpu0 = proc_cpu_ns(apid);
  getrusage(RUSAGE_SELF, &ru0);
  t0 = now_ns(CLOCK_MONOTONIC);
  deadline = t0 + (uint64_t)(maxsec * 1e9);

  for (;;) {
    uint64_t t = now_ns(CLOCK_MONOTONIC);
    int wait_ns = -1;
    struct timespec pts;
    unsigned int s, pass;

    /* expire from the head of the send-order ring */
    while (ring_head != ring_tail) {
      struct ringent *re = &ring[ring_head & (RINGSIZE - 1)];
      struct slot *sl = &slots[re->slot];
      if (sl->pending && sl->seq == re->seq) {
        if (t - sl->sent_ns < timeout_ns) break;
        sl->pending = 0;
        outstanding--;
        nlost++;
      }
      ring_head++;
    }
    if (waitmode && nanswered) break;
    if (nsent >= n && !outstanding) break;
    if (t >= deadline) break;

    /* send: one batch per socket in turn */
    for (pass = 0; pass < nsock && nsent < n; ++pass) {
      unsigned long cap = conc, room;
      if (ramp_ms > 0 && (double)(t - t0) < ramp_ms * 1e6)
        cap = 1 + (unsigned long)((double)conc * (double)(t - t0) / (ramp_ms * 1e6));
      room = cap > outstanding ? cap - outstanding : 0;
      unsigned int m, j;
      uint16_t id0;
      int r;
      if (rate > 0) {
        double allowed = (double)(t - t0) * rate / 1e9 + 1 - (double)nsent;
        if (allowed < 1) break;
        if ((double)room > allowed) room = (unsigned long)allowed;
      }
      if (room > n - nsent) room = n - nsent;
      if (room > batch) room = batch;
      if (room > RINGSIZE - (ring_tail - ring_head)) room = RINGSIZE - (ring_tail - ring_head);
      if (!room) break;
      s = rr++ % nsock;
      id0 = nextid[s];
      m = (unsigned int)room;
      for (j = 0; j < m; ++j) {
        unsigned long qi = (unsigned long)((nsent + j) % nnames);
        uint16_t id = (uint16_t)(id0 + j);
        if (reverse) qi = nnames - 1 - qi;
        memcpy(sbuf[j], tmpl[qi], tmpllen[qi]);
        sbuf[j][0] = (unsigned char)(id >> 8);
        sbuf[j][1] = (unsigned char)id;
        siov[j].iov_len = tmpllen[qi];
        sslot[j] = s * IDS + id;
      }
      /* fails with ECONNREFUSED before the server is up, or EAGAIN: retry later */
      r = sendmmsg(socks[s], smsg, m, 0);
      if (r <= 0) break;
      nextid[s] = (uint16_t)(id0 + (unsigned int)r);
      for (j = 0; j < (unsigned int)r; ++j) {
        struct slot *sl = &slots[sslot[j]];
        if (sl->pending) { sl->pending = 0; outstanding--; nlost++; }  /* ID wrapped */
        sl->pending = 1;
        sl->sent_ns = t;
        sl->seq = ++seq;
        ring[ring_tail & (RINGSIZE - 1)].slot = sslot[j];
        ring[ring_tail & (RINGSIZE - 1)].seq = seq;
        ring_tail++;
        outstanding++;
        nsent++;
      }
      if ((unsigned int)r < m) break;
    }

    /* how long may we sleep? */
    if (nsent < n && outstanding < conc && rate <= 0) wait_ns = 0;
    else {
      uint64_t w = 10000000;                       /* 10 ms cap */
      if (ring_head != ring_tail) {
        struct slot *sl = &slots[ring[ring_head & (RINGSIZE - 1)].slot];
        uint64_t exp = sl->sent_ns + timeout_ns;
        if (exp <= t) w = 0; else if (exp - t < w) w = exp - t;
      }
      if (rate > 0 && nsent < n && outstanding < conc) {
        uint64_t next = t0 + (uint64_t)((double)nsent * 1e9 / rate);
        if (next <= t) w = 0; else if (next - t < w) w = next - t;
      }
      wait_ns = (int)w;
    }
    if (busy && wait_ns) {
      /* spin, but let ksoftirqd (loopback delivery deferred to this CPU's
         softirq thread) run: a pure spin starves it for milliseconds */
      sched_yield();
      wait_ns = 0;
    }
    pts.tv_sec = wait_ns / 1000000000;
    pts.tv_nsec = wait_ns % 1000000000;
    if (ppoll(pfd, nsock, &pts, 0) <= 0) continue;

    /* receive */
    for (s = 0; s < nsock; ++s) {
      unsigned int rounds = 0;
      if (!(pfd[s].revents & (POLLIN | POLLERR))) continue;
      while (rounds++ < 8) {
        int r = recvmmsg(socks[s], rmsg, batch, MSG_DONTWAIT, 0), j;
        uint64_t tr;
        if (r <= 0) break;
        tr = now_ns(CLOCK_MONOTONIC);
        if (waitmode && !tfirst_rt) tfirst_rt = now_ns(CLOCK_REALTIME);
        for (j = 0; j < r; ++j) handle_answer(s, rbuf[j], rmsg[j].msg_len, tr, freshttl);
        tlast = tr;
        if ((unsigned int)r < batch) break;
      }
    }
  }

  tend = now_ns(CLOCK_MONOTONIC);
  getrusage(RUSAGE_SELF, &ru1);
  if (spid) cpu1 = proc_cpu_ns(spid);
  if (apid) acpu1 = proc_cpu_ns(apid);
  nlost += outstanding;        /* still unanswered at the hard limit */
  {
    double el = (double)((tlast > t0 ? tlast : tend) - t0) / 1e9;
    double wall = (double)(tend - t0) / 1e9;
    double cli = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec
                          - ru0.ru_stime.tv_sec)
                 + (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec
                            - ru0.ru_stime.tv_usec) / 1e6;
    printf("sent=%llu answered=%llu lost=%llu noerror=%llu servfail=%llu nxdomain=%llu "
           "otherrc=%llu bad=%llu fresh=%llu elapsed=%.3f qps=%.0f p50us=%.0f p99us=%.0f cliutil=%.2f",
           nsent, nanswered, nlost, rcodes[0], rcodes[1], rcodes[2], rcodes[3], nbad, nfresh,
           el, el > 0 ? (double)nanswered / el : 0, hist_pct(0.5), hist_pct(0.99),
           wall > 0 ? cli / wall : 0);
    if (spid) {
      double cpu_us = (double)(cpu1 - cpu0) / 1e3;
      printf(" srvcpu_us=%.0f usq=%.3f srvutil=%.2f", cpu_us,
             nanswered ? cpu_us / (double)nanswered : 0, wall > 0 ? cpu_us / 1e6 / wall : 0);
    }
    if (apid)
      printf(" authutil=%.2f", wall > 0 ? (double)(acpu1 - acpu0) / 1e9 / wall : 0);
    if (waitmode)
      printf(" first_ms=%.1f", tfirst_rt && zstart ? (double)(tfirst_rt - zstart) / 1e6 : -1.0);
    printf("\n");
  }
  return 0;
}
