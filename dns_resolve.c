/* dns_resolve.c: the client tools' resolver.  It finds the caches to ask
   ($DNSCACHEIP, resolv.conf), runs one dns_transmit at a time to the end
   with poll(), keeps a private copy of the reply, and turns replies into
   what the tools print (addresses, a host name, MX, TXT).  Every read from
   a reply goes through the bounds-checked dns_packet readers.  Names typed
   by the user are qualified in dns_qualify.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "byte.h"
#include "clock.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_packet.h"
#include "dns_random.h"
#include "dns_resolve.h"
#include "dns_transmit.h"
#include "ip4.h"
#include "ip6.h"
#include "uint.h"


/* ---- growable strings ---- */

int dns_buf_cat(struct dns_buf *b, const char *s, size_t n)
{
  if (n > b->cap - b->len || !b->s) {
    size_t want = b->len + n + 1;
    size_t cap = b->cap ? b->cap : 64;
    char *x;
    if (want < b->len) { errno = ENOMEM; return -1; }
    while (cap < want) {
      if (cap > ((size_t)-1) / 2) { errno = ENOMEM; return -1; }
      cap *= 2;
    }
    x = realloc(b->s, cap);
    if (!x) { errno = ENOMEM; return -1; }
    b->s = x;
    b->cap = cap;
  }
  if (n) memcpy(b->s + b->len, s, n);
  b->len += n;
  return 0;
}

int dns_buf_cats(struct dns_buf *b, const char *s)
{
  return dns_buf_cat(b, s, strlen(s));
}

int dns_buf_catulong(struct dns_buf *b, unsigned long u)
{
  char num[FMT_ULONG];
  return dns_buf_cat(b, num, fmt_ulong(num, u));
}

void dns_buf_free(struct dns_buf *b)
{
  free(b->s);
  b->s = 0;
  b->len = b->cap = 0;
}

int dns_resolve_readfile(struct dns_buf *b, const char *fn)
{
  char chunk[1024];
  int fd;
  b->len = 0;
  fd = open(fn, O_RDONLY | O_CLOEXEC);
  if (fd == -1) return errno == ENOENT ? 0 : -1;
  for (;;) {
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r == -1) {
      int e = errno;
      if (e == EINTR) continue;
      close(fd);
      errno = e;
      return -1;
    }
    if (r == 0) break;
    if (dns_buf_cat(b, chunk, (size_t)r) == -1) { close(fd); errno = ENOMEM; return -1; }
  }
  close(fd);
  return 1;
}

/* ---- which caches ---- */

static char cached_servers[DNS_SERVERS_LEN];
static int servers_ok;
static int64_t servers_time;
static unsigned int servers_uses;

int dns_resolve_expired(int ok, int64_t when, unsigned int *uses)
{
  if (!ok) return 1;
  if (clock_sec() - when >= REREAD_SECONDS) return 1;
  if (++*uses >= REREAD_USES) return 1;
  return 0;
}

/* Adds ip (16 bytes) to the first free slot if its family has fewer than
   16; counts it in *n either way (the original stops after 16). */
static void addserver(char servers[DNS_SERVERS_LEN], const unsigned char ip[16], unsigned int *n)
{
  unsigned int k, same = 0;
  int v4 = ip6_isv4mapped(ip);
  static const char zero[16];
  for (k = 0; k < DNS_SERVERS; ++k) {
    const char *s = servers + 16 * k;
    if (!memcmp(s, zero, 16)) {
      if (same < 16) memcpy(servers + 16 * k, ip, 16);
      break;
    }
    if (ip6_isv4mapped((const unsigned char *)s) == v4) ++same;
  }
  ++*n;
}

/* "$DNSCACHEIP": addresses with any number of '.' between them (1.05);
   after an IPv6 address also ',' and ' '. */
static unsigned int scan_envips(char servers[DNS_SERVERS_LEN], const char *x)
{
  unsigned int n = 0;
  while (n < DNS_SERVERS) {
    unsigned char ip[16], ip4[4];
    size_t used;
    if (*x == '.') { x++; continue; }
    used = ip6_scan(x, ip);
    if (used) {
      addserver(servers, ip, &n);
      x += used;
      while (*x == ',' || *x == ' ') x++;
      continue;
    }
    used = ip4_scan(x, ip4);
    if (!used) break;
    ip6_from4(ip, ip4);
    addserver(servers, ip, &n);
    x += used;
  }
  return n;
}

/* resolv.conf "nameserver" lines: IPv4 (0.0.0.0 means 127.0.0.1) or IPv6
   (:: means ::1; a %zone is not used). */
static unsigned int scan_resolvconf(char servers[DNS_SERVERS_LEN], const struct dns_buf *f)
{
  unsigned int n = 0;
  size_t i = 0;
  while (i < f->len && n < DNS_SERVERS) {
    size_t end = i + byte_chr(f->s + i, f->len - i, '\n');
    if (end - i > 10 && !memcmp(f->s + i, "nameserver", 10)
        && (f->s[i + 10] == ' ' || f->s[i + 10] == '\t')) {
      char line[64];
      size_t k = i + 10, m = 0, used;
      unsigned char ip[16], ip4[4];
      while (k < end && (f->s[k] == ' ' || f->s[k] == '\t')) k++;
      while (k < end && m < sizeof line - 1) line[m++] = f->s[k++];
      line[m] = 0;
      used = ip6_scan(line, ip);
      if (used && (!line[used] || line[used] == ' ' || line[used] == '\t'
                   || line[used] == '%' || line[used] == '\r')) {
        static const unsigned char zero[16];
        if (!memcmp(ip, zero, 16)) ip[15] = 1;
        addserver(servers, ip, &n);
      } else if (ip4_scan(line, ip4)) {
        if (!ip4[0] && !ip4[1] && !ip4[2] && !ip4[3]) { ip4[0] = 127; ip4[3] = 1; }
        ip6_from4(ip, ip4);
        addserver(servers, ip, &n);
      }
    }
    i = end + 1;
  }
  return n;
}

int dns_resolve_servers(char servers[DNS_SERVERS_LEN])
{
  if (dns_resolve_expired(servers_ok, servers_time, &servers_uses)) {
    const char *x = getenv("DNSCACHEIP");
    unsigned int n = 0;
    memset(cached_servers, 0, sizeof cached_servers);
    if (x) n = scan_envips(cached_servers, x);
    if (!n) {
      struct dns_buf f = { 0, 0, 0 };
      int r = dns_resolve_readfile(&f, "/etc/resolv.conf");
      if (r == -1) { int e = errno; dns_buf_free(&f); errno = e; return -1; }
      if (r) n = scan_resolvconf(cached_servers, &f);
      dns_buf_free(&f);
    }
    if (!n) {
      static const unsigned char lo[4] = { 127, 0, 0, 1 };
      ip6_from4((unsigned char *)cached_servers, lo);
    }
    servers_ok = 1;
    servers_time = clock_sec();
    servers_uses = 0;
  }
  memcpy(servers, cached_servers, DNS_SERVERS_LEN);
  return 0;
}

/* ---- one blocking query ---- */

static char *reply;
static unsigned int replylen;

int dns_resolve_with(const char servers[DNS_SERVERS_LEN], int recursive, const char *qname,
                     uint16_t qtype)
{
  static const unsigned char anyip[16];
  struct dns_transmit t;
  unsigned int k;
  /* no server at all: the original reports an I/O error at once */
  for (k = 0; k < DNS_SERVERS; ++k)
    if (!ip6_isempty((const unsigned char *)servers + 16 * k)) break;
  if (k == DNS_SERVERS) { errno = EIO; return -1; }
  memset(&t, 0, sizeof t);
  if (dns_transmit_start(&t, servers, recursive, qname, qtype, anyip) == -1) {
    int e = errno;
    dns_transmit_free(&t);
    errno = e;
    return -1;
  }
  for (;;) {
    struct pollfd x;
    int64_t now = clock_ms(), deadline = now + 3600000, wait;
    int r;
    x.fd = -1;
    x.events = 0;
    x.revents = 0;
    dns_transmit_io(&t, &x, &deadline);
    wait = deadline - now;
    if (wait < 0) wait = 0;
    if (wait > 3600000) wait = 3600000;
    if (poll(&x, 1, (int)wait) == -1) x.revents = 0;  /* EINTR: look again */
    r = dns_transmit_get(&t, &x, clock_ms());
    if (r == -1) {
      int e = errno;
      dns_transmit_free(&t);
      errno = e;
      return -1;
    }
    if (r == 1) {
      unsigned int len;
      const char *p = dns_transmit_packet(&t, &len);
      char *copy = malloc(len ? len : 1);
      if (!copy) { dns_transmit_free(&t); errno = ENOMEM; return -1; }
      memcpy(copy, p, len);
      free(reply);
      reply = copy;
      replylen = len;
      dns_transmit_free(&t);
      return 0;
    }
  }
}

int dns_resolve(const char *qname, uint16_t qtype)
{
  char servers[DNS_SERVERS_LEN];
  if (dns_resolve_servers(servers) == -1) return -1;
  return dns_resolve_with(servers, 1, qname, qtype);
}

char *dns_resolve_packet(unsigned int *len)
{
  *len = replylen;
  return reply;
}

/* ---- reading replies ---- */

/* The answer readers walk records as the original tools do: an owner name
   is skipped where it stands (a compression pointer is not followed), and
   RDATA is looked at only when the record's type and class are the ones
   wanted, so damage elsewhere goes unnoticed exactly as it did there.
   Every read is still bounds-checked. */
struct answer {
  uint16_t type, class;
  unsigned int rdpos, rdlength;
};

static unsigned int skipname_here(unsigned int pos)
{
  while (pos < replylen) {
    unsigned char c = (unsigned char)reply[pos];
    if (c >= 192) {
      if (pos + 2 > replylen) break;
      return pos + 2;
    }
    if (c >= 64) break;
    pos += (unsigned int)c + 1;
    if (!c) return pos;
  }
  errno = EPROTO;
  return 0;
}

/* Position of the answer section of the reply; ancount in *n. */
static unsigned int answers(unsigned int *n)
{
  struct dns_header h;
  unsigned int pos = dns_packet_header(reply, replylen, &h);
  unsigned int i;
  if (!pos) return 0;
  for (i = 0; i < h.qdcount; i++) {
    pos = skipname_here(pos);
    if (!pos) return 0;
    pos += 4;
  }
  *n = h.ancount;
  return pos;
}

/* The record at pos; the position after its RDATA (which may lie past the
   end: the next read then fails). */
static unsigned int nextanswer(unsigned int pos, struct answer *a)
{
  char fixed[10];
  pos = skipname_here(pos);
  if (!pos) return 0;
  pos = dns_packet_copy(reply, replylen, pos, fixed, 10);
  if (!pos) return 0;
  a->type = uint16_unpack_big(fixed);
  a->class = uint16_unpack_big(fixed + 2);
  a->rdlength = uint16_unpack_big(fixed + 8);
  a->rdpos = pos;
  return pos + a->rdlength;
}

/* Resolves name (text) for qtype; the answer walk is the caller's. */
static int ask(const char *name, size_t len, uint16_t qtype)
{
  char q[DNS_NAME_MAX];
  if (!dns_domain_fromdot(q, name, len)) { errno = EPROTO; return -1; }
  return dns_resolve(q, qtype);
}

static int all_local(const char *name, size_t len)
{
  size_t i;
  for (i = 0; i < len; i++) {
    char c = name[i];
    if (!(c >= '0' && c <= '9') && c != '.' && c != '[' && c != ']') return 0;
  }
  return 1;
}

static int local_ip4(struct dns_buf *out, const char *name, size_t len)
{
  unsigned char num = 0;
  size_t i;
  for (i = 0; i <= len; i++) {
    if (i == len || name[i] == '.') {
      if (dns_buf_cat(out, (const char *)&num, 1) == -1) return -1;
      num = 0;
    } else if (name[i] >= '0' && name[i] <= '9') {
      num = (unsigned char)(num * 10 + (name[i] - '0'));
    }
  }
  out->len -= out->len % 4;
  return 0;
}

/* Asks for name's records of qtype (A or AAAA) and appends to out, in
   received order, the rdata of each such record of class IN whose rdata
   is width (4 or 16) bytes. */
static int addresses(struct dns_buf *out, const char *name, size_t len,
                     uint16_t qtype, unsigned int width)
{
  unsigned int n, i, pos;
  if (ask(name, len, qtype) == -1) return -1;
  pos = answers(&n);
  if (!pos) return -1;
  for (i = 0; i < n; i++) {
    struct answer rr;
    char ip[16];
    pos = nextanswer(pos, &rr);
    if (!pos) return -1;
    if (rr.type == qtype && rr.class == DNS_C_IN && rr.rdlength == width) {
      if (!dns_packet_copy(reply, replylen, rr.rdpos, ip, width)) return -1;
      if (dns_buf_cat(out, ip, width) == -1) return -1;
    }
  }
  return 0;
}

int dns_resolve_ip4(struct dns_buf *out, const char *name, size_t len)
{
  out->len = 0;
  if (all_local(name, len)) return local_ip4(out, name, len);
  if (addresses(out, name, len, DNS_T_A, 4) == -1) return -1;
  dns_random_shuffle_ip4(out->s, (unsigned int)(out->len / 4));
  return 0;
}

/* The first PTR name of the reply to q, as text, into out. */
static int ptr_answer(struct dns_buf *out, const char *q)
{
  char name[DNS_NAME_MAX], text[DNS_DOMAIN_TODOT_MAX];
  unsigned int n, i, pos;
  if (dns_resolve(q, DNS_T_PTR) == -1) return -1;
  pos = answers(&n);
  if (!pos) return -1;
  for (i = 0; i < n; i++) {
    struct answer rr;
    pos = nextanswer(pos, &rr);
    if (!pos) return -1;
    if (rr.type == DNS_T_PTR && rr.class == DNS_C_IN) {
      if (!dns_packet_getname(reply, replylen, rr.rdpos, name)) return -1;
      return dns_buf_cat(out, text, dns_domain_todot(text, name));
    }
  }
  return 0;
}

int dns_resolve_name4(struct dns_buf *out, const unsigned char ip[4])
{
  char q[DNS_NAME_MAX];
  unsigned int qlen = 0;
  int k;
  out->len = 0;
  for (k = 3; k >= 0; k--) {
    size_t l = fmt_ulong(q + qlen + 1, ip[k]);
    q[qlen] = (char)l;
    qlen += (unsigned int)l + 1;
  }
  memcpy(q + qlen, "\7in-addr\4arpa", 14);
  return ptr_answer(out, q);
}

int dns_resolve_name6(struct dns_buf *out, const unsigned char ip[16])
{
  char q[IP6_ARPA_LEN];
  if (ip6_isv4mapped(ip)) return dns_resolve_name4(out, ip + 12);
  out->len = 0;
  ip6_arpa(q, ip);
  return ptr_answer(out, q);
}

int dns_resolve_ip6(struct dns_buf *out, const char *name, size_t len)
{
  out->len = 0;
  if (len < 64 && memchr(name, ':', len)) {   /* an IPv6 address as text */
    char text[64];
    unsigned char ip[16];
    memcpy(text, name, len);
    text[len] = 0;
    if (ip6_scan(text, ip) == len) return dns_buf_cat(out, (const char *)ip, 16);
  }
  if (all_local(name, len)) {   /* IPv4 read as dnsip does, IPv4-mapped */
    struct dns_buf v4 = { 0, 0, 0 };
    size_t k;
    if (local_ip4(&v4, name, len) == -1) { dns_buf_free(&v4); return -1; }
    for (k = 0; k + 4 <= v4.len; k += 4) {
      unsigned char ip[16];
      ip6_from4(ip, (const unsigned char *)v4.s + k);
      if (dns_buf_cat(out, (const char *)ip, 16) == -1) { dns_buf_free(&v4); return -1; }
    }
    dns_buf_free(&v4);
    return 0;
  }
  if (addresses(out, name, len, DNS_T_AAAA, 16) == -1) return -1;
  dns_random_shuffle_ip6(out->s, (unsigned int)(out->len / 16));
  return 0;
}

int dns_resolve_mx(struct dns_buf *out, const char *name, size_t len)
{
  char mx[DNS_NAME_MAX], text[DNS_DOMAIN_TODOT_MAX], pref[2];
  unsigned int n, i, pos;
  out->len = 0;
  if (ask(name, len, DNS_T_MX) == -1) return -1;
  pos = answers(&n);
  if (!pos) return -1;
  for (i = 0; i < n; i++) {
    struct answer rr;
    pos = nextanswer(pos, &rr);
    if (!pos) return -1;
    if (rr.type != DNS_T_MX || rr.class != DNS_C_IN) continue;
    if (!dns_packet_copy(reply, replylen, rr.rdpos, pref, 2)) return -1;
    if (!dns_packet_getname(reply, replylen, rr.rdpos + 2, mx)) return -1;
    if (dns_buf_cat(out, pref, 2) == -1) return -1;
    if (dns_buf_cat(out, text, dns_domain_todot(text, mx)) == -1) return -1;
    if (dns_buf_cat(out, "", 1) == -1) return -1;
  }
  return 0;
}

int dns_resolve_txt(struct dns_buf *out, const char *name, size_t len)
{
  unsigned int n, i, pos;
  out->len = 0;
  if (ask(name, len, DNS_T_TXT) == -1) return -1;
  pos = answers(&n);
  if (!pos) return -1;
  for (i = 0; i < n; i++) {
    struct answer rr;
    unsigned int k, left = 0;
    pos = nextanswer(pos, &rr);
    if (!pos) return -1;
    if (rr.type != DNS_T_TXT || rr.class != DNS_C_IN) continue;
    /* the original fails here without naming a cause: its errno is left
       at "input/output error" */
    if (rr.rdpos + rr.rdlength > replylen) { errno = EIO; return -1; }
    /* a byte met when the current string is used up is the next length */
    for (k = 0; k < rr.rdlength; k++) {
      unsigned char c = (unsigned char)reply[rr.rdpos + k];
      if (!left) { left = c; continue; }
      left--;
      if (c < 32 || c > 126) c = '?';
      if (dns_buf_cat(out, (const char *)&c, 1) == -1) return -1;
    }
  }
  return 0;
}
