/* unit_base.c: byte, uint, ip4, error, buffer and dns_domain. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "tests/unit.h"
#include "byte.h"
#include "uint.h"
#include "ip4.h"
#include "error.h"
#include "buffer.h"
#include "dns_domain.h"
#include "tests/wire.h"

/* ip4_scan on a string: returns length, fills ip */
static void scan_is(const char *s, size_t wantlen, int a, int b, int c, int d)
{
  unsigned char ip[4] = { 9, 9, 9, 9 };
  size_t n = ip4_scan(s, ip);
  CHECK_EQ_INT(n, wantlen);
  if (wantlen) {
    CHECK_EQ_INT(ip[0], a);
    CHECK_EQ_INT(ip[1], b);
    CHECK_EQ_INT(ip[2], c);
    CHECK_EQ_INT(ip[3], d);
  }
}

static void t_ip4_scan(void)
{
  scan_is("1.2.3.4", 7, 1, 2, 3, 4);
  scan_is("127.0.0.300", 11, 127, 0, 0, 44);       /* mod 256, as the original */
  scan_is("127.0.0.1x", 9, 127, 0, 0, 1);          /* trailing junk not looked at */
  scan_is("127.0.0.1.5", 9, 127, 0, 0, 1);
  scan_is("127.0.0.1 127.0.0.2", 9, 127, 0, 0, 1);
  scan_is("256.257.258.259", 15, 0, 1, 2, 3);
  scan_is("127.000000000000000000000000000000001.0.0", 41, 127, 1, 0, 0);
  scan_is("127.0.0.18446744073709551617", 28, 127, 0, 0, 1); /* wraps mod 2^64 */
  scan_is("0.0.0.0", 7, 0, 0, 0, 0);
  scan_is("1.2.3", 0, 0, 0, 0, 0);                 /* three numbers */
  scan_is(" 127.0.0.1", 0, 0, 0, 0, 0);            /* leading blank */
  scan_is("127.0.0.", 0, 0, 0, 0, 0);
  scan_is("127..0.1", 0, 0, 0, 0, 0);
  scan_is("+127.0.0.1", 0, 0, 0, 0, 0);
  scan_is("127.0.0.-1", 0, 0, 0, 0, 0);
  scan_is("", 0, 0, 0, 0, 0);
  scan_is("a.b.c.d", 0, 0, 0, 0, 0);
}

static void t_ip4_fmt(void)
{
  unsigned char ip[4] = { 255, 0, 10, 199 };
  char buf[IP4_FMT];
  size_t n = ip4_fmt(buf, ip);
  CHECK_EQ_INT(n, 12);
  CHECK_MEM(buf, "255.0.10.199", 12);
  CHECK_EQ_INT(ip4_fmt(NULL, ip), 12);
  unsigned char big[4] = { 255, 255, 255, 255 };
  CHECK_EQ_INT(ip4_fmt(buf, big), IP4_FMT - 1);
  unsigned char z[4] = { 0, 0, 0, 0 };
  CHECK_EQ_INT(ip4_fmt(buf, z), 7);
  CHECK_MEM(buf, "0.0.0.0", 7);
  /* round trip over a spread of addresses */
  for (unsigned int i = 0; i < 100000; i += 7) {
    unsigned char a[4] = { (unsigned char)i, (unsigned char)(i >> 3), (unsigned char)(i >> 8),
                           (unsigned char)(i * 31) }, b[4];
    char t[IP4_FMT + 1];
    n = ip4_fmt(t, a);
    t[n] = 0;
    CHECK_EQ_INT(ip4_scan(t, b), n);
    CHECK_MEM(a, b, 4);
  }
}

static void t_scan_ulong(void)
{
  unsigned long u = 99;
  CHECK_EQ_INT(scan_ulong("12345", &u), 5);
  CHECK_EQ_INT(u, 12345);
  CHECK_EQ_INT(scan_ulong("0", &u), 1);
  CHECK_EQ_INT(u, 0);
  CHECK_EQ_INT(scan_ulong("42abc", &u), 2);
  CHECK_EQ_INT(u, 42);
  u = 7;
  CHECK_EQ_INT(scan_ulong("abc", &u), 0);
  CHECK_EQ_INT(u, 0);                              /* non-numeric gives 0 */
  CHECK_EQ_INT(scan_ulong("", &u), 0);
  CHECK_EQ_INT(scan_ulong("-5", &u), 0);
  CHECK_EQ_INT(scan_ulong("+5", &u), 0);
  CHECK_EQ_INT(scan_ulong(" 5", &u), 0);
  CHECK_EQ_INT(scan_ulong("18446744073709551615", &u), 20);
  CHECK(u == 18446744073709551615UL);
  CHECK_EQ_INT(scan_ulong("18446744073709551616", &u), 20);
  CHECK(u == 0);                                   /* wraps */
}

static void t_fmt_ulong(void)
{
  char buf[FMT_ULONG];
  CHECK_EQ_INT(fmt_ulong(buf, 0), 1);
  CHECK_MEM(buf, "0", 1);
  CHECK_EQ_INT(fmt_ulong(buf, 1000000), 7);
  CHECK_MEM(buf, "1000000", 7);
  CHECK_EQ_INT(fmt_ulong(buf, 18446744073709551615UL), 20);
  CHECK_MEM(buf, "18446744073709551615", 20);
  CHECK_EQ_INT(fmt_ulong(NULL, 999), 3);
  CHECK_EQ_INT(fmt_ulong(NULL, 10), 2);
  CHECK_EQ_INT(fmt_ulong(NULL, 9), 1);
}

static void t_byte(void)
{
  CHECK(byte_case_equal("ExAmPlE", "example", 7));
  CHECK(byte_case_equal("", "x", 0));
  CHECK(!byte_case_equal("examplf", "example", 7));
  CHECK(!byte_case_equal("[", "{", 1));            /* only A-Z fold */
  CHECK(!byte_case_equal("@", "`", 1));
  CHECK(!byte_case_equal("\xc4", "\xe4", 1));      /* not Latin-1 */
  CHECK_EQ_INT(byte_lower('A'), 'a');
  CHECK_EQ_INT(byte_lower('Z'), 'z');
  CHECK_EQ_INT(byte_lower('['), '[');
  CHECK_EQ_INT(byte_lower(0xc4), 0xc4);
  CHECK_EQ_INT(byte_chr("abc", 3, 'c'), 2);
  CHECK_EQ_INT(byte_chr("abc", 3, 'd'), 3);
  CHECK_EQ_INT(byte_chr("a\0c", 3, 0), 1);
  CHECK_EQ_INT(byte_chr("\xff", 1, 0xff), 0);
}

static void t_uint(void)
{
  char b[4];
  uint16_pack_big(b, 0x1234);
  CHECK_MEM(b, "\x12\x34", 2);
  CHECK_EQ_INT(uint16_unpack_big("\xfe\xdc"), 0xfedc);
  uint32_pack_big(b, 0xdeadbeefu);
  CHECK_MEM(b, "\xde\xad\xbe\xef", 4);
  CHECK(uint32_unpack_big("\xff\x00\x80\x01") == 0xff008001u);
}

static void t_error_str(void)
{
  static const struct { int e; const char *s; } want[] = {
    { ENOENT, "file does not exist" }, { EAGAIN, "temporary failure" },
    { ETIMEDOUT, "timed out" }, { EPROTO, "protocol error" },
    { EIO, "input/output error" }, { EPIPE, "broken pipe" },
    { EACCES, "access denied" }, { EPERM, "permission denied" },
    { ENOMEM, "out of memory" }, { EISDIR, "is a directory" },
    { EEXIST, "file already exists" }, { EADDRNOTAVAIL, "address not available" },
    { EADDRINUSE, "address already used" }, { ECONNREFUSED, "connection refused" },
    { EINTR, "interrupted system call" }, { EINVAL, "invalid argument" },
    { ENOTDIR, "not a directory" }, { ECONNRESET, "connection reset" },
    { EHOSTUNREACH, "host unreachable" }, { ENETUNREACH, "network unreachable" },
    { EMFILE, "process cannot open more files" }, { ENFILE, "system cannot open more files" },
    { EWOULDBLOCK, "temporary failure" },        /* same value as EAGAIN on Linux */
    { EINPROGRESS, "operation in progress" }, { EBADF, "file descriptor not open" },
    { ENOSPC, "out of disk space" }, { EROFS, "read-only file system" },
    { ENOTEMPTY, "directory not empty" }, { ELOOP, "symbolic link loop" },
    { ENAMETOOLONG, "file name too long" }, { ENOSYS, "system call not available" },
    { 0, "no error" }, { -1, "unknown error" }, { 100000, "unknown error" },
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const char *s = error_str(want[i].e);
    if (strcmp(s, want[i].s)) {
      printf("  errno %d: \"%s\", expected \"%s\"\n", want[i].e, s, want[i].s);
      CHECK(0);
    }
  }
}

/* Reads back what was written to a temporary file. */
static size_t slurp(int fd, char *out, size_t max)
{
  size_t n = 0;
  ssize_t r;
  lseek(fd, 0, SEEK_SET);
  while (n < max && (r = read(fd, out + n, max - n)) > 0) n += (size_t)r;
  return n;
}

static void t_buffer(void)
{
  char path[] = "/tmp/unit_base.XXXXXX";
  int fd = mkstemp(path);
  char space[16];
  buffer b = BUFFER_INIT(fd, space, sizeof space);
  char got[4096], want[4096];
  size_t wn = 0;
  CHECK(fd >= 0);
  unlink(path);
  CHECK_EQ_INT(buffer_puts(&b, "hello "), 0);
  memcpy(want + wn, "hello ", 6); wn += 6;
  CHECK_EQ_INT(slurp(fd, got, sizeof got), 0);    /* nothing written yet */
  CHECK_EQ_INT(buffer_putulong(&b, 4294967295UL), 0);
  memcpy(want + wn, "4294967295", 10); wn += 10;
  CHECK_EQ_INT(buffer_put(&b, "\n", 1), 0);       /* overflows 16: flushes */
  want[wn++] = '\n';
  for (int i = 0; i < 50; i++) {                   /* longer than the space */
    CHECK_EQ_INT(buffer_put(&b, "0123456789abcdefghijklmnopqrstuvwxyz", 36), 0);
    memcpy(want + wn, "0123456789abcdefghijklmnopqrstuvwxyz", 36); wn += 36;
  }
  CHECK_EQ_INT(buffer_putflush(&b, "end", 3), 0);
  memcpy(want + wn, "end", 3); wn += 3;
  CHECK_EQ_INT(slurp(fd, got, sizeof got), wn);
  CHECK_MEM(got, want, wn);
  CHECK_EQ_INT(buffer_flush(&b), 0);
  close(fd);
  /* a write error is reported */
  buffer bad = BUFFER_INIT(-1, space, sizeof space);
  CHECK_EQ_INT(buffer_puts(&bad, "x"), 0);
  errno = 0;
  CHECK_EQ_INT(buffer_flush(&bad), -1);
  CHECK_EQ_INT(errno, EBADF);
  CHECK(buffer_1 != NULL && buffer_1->fd == 1 && buffer_1->n == 8192);
  CHECK(buffer_2 != NULL && buffer_2->fd == 2 && buffer_2->n == 256);
}

static void fromdot_is(const char *text, const char *wire, unsigned int wirelen)
{
  char out[DNS_NAME_MAX];
  int r = dns_domain_fromdot(out, text, strlen(text));
  CHECK_EQ_INT(r, 1);
  if (r) {
    CHECK_EQ_INT(dns_domain_length(out), wirelen);
    CHECK_MEM(out, wire, wirelen);
  }
}

/* text -> wire -> text, expected as the original dnsq prints it (checked
   against /usr/bin/dnsq: its first output line shows the query name) */
static void todot_is(const char *text, const char *shown)
{
  char out[DNS_NAME_MAX], t[DNS_DOMAIN_TODOT_MAX];
  size_t n;
  CHECK_EQ_INT(dns_domain_fromdot(out, text, strlen(text)), 1);
  n = dns_domain_todot(t, out);
  CHECK_EQ_INT(n, strlen(shown));
  CHECK_EQ_INT(dns_domain_todot(NULL, out), n);
  if (n == strlen(shown) && memcmp(t, shown, n)) {
    printf("  todot(%s) = %.*s, expected %s\n", text, (int)n, t, shown);
    CHECK(0);
  }
}

static void t_domain_fromdot(void)
{
  char out[DNS_NAME_MAX];
  char text[1200];
  fromdot_is("www.example.com", "\3www\7example\3com", 17);
  fromdot_is("www.Example.COM.", "\3www\7Example\3COM", 17);  /* case kept */
  fromdot_is("", "", 1);
  fromdot_is(".", "", 1);
  fromdot_is("a..b.", "\1a\1b", 5);
  fromdot_is("..a", "\1a", 3);
  fromdot_is("a\\.b", "\3a.b", 5);
  fromdot_is("\\101\\60\\0601", "\4A001", 6);
  fromdot_is("\\777x", "\2\377x", 4);             /* 511 mod 256 */
  fromdot_is("a\\", "\1a", 3);                     /* lone backslash dropped */
  fromdot_is("\\0", "\1\0", 3);
  fromdot_is("\\\\", "\1\\", 3);
  /* 63-byte label ok, 64 fails */
  memset(text, 'x', 64);
  CHECK_EQ_INT(dns_domain_fromdot(out, text, 63), 1);
  CHECK_EQ_INT(dns_domain_length(out), 65);
  errno = 0;
  CHECK_EQ_INT(dns_domain_fromdot(out, text, 64), 0);
  CHECK_EQ_INT(errno, EPROTO);
  /* 255-byte wire name: 3 x 63-byte labels + one 61-byte label */
  size_t n = 0;
  for (int i = 0; i < 3; i++) { memset(text + n, 'a' + i, 63); n += 63; text[n++] = '.'; }
  memset(text + n, 'z', 61); n += 61;
  CHECK_EQ_INT(dns_domain_fromdot(out, text, n), 1);
  CHECK_EQ_INT(dns_domain_length(out), 255);
  text[n++] = 'z';                                 /* 256 bytes: fails */
  errno = 0;
  CHECK_EQ_INT(dns_domain_fromdot(out, text, n), 0);
  CHECK_EQ_INT(errno, EPROTO);
  /* many single-byte labels: 127 labels = 255 bytes, 128 fail */
  n = 0;
  for (int i = 0; i < 128; i++) { text[n++] = 'q'; text[n++] = '.'; }
  CHECK_EQ_INT(dns_domain_fromdot(out, text, 127 * 2), 1);
  CHECK_EQ_INT(wire_labels(out), 127);
  CHECK_EQ_INT(dns_domain_fromdot(out, text, 128 * 2), 0);
  /* len is respected: no reading past it */
  CHECK_EQ_INT(dns_domain_fromdot(out, "abcdef", 3), 1);
  CHECK_MEM(out, "\3abc", 5);
}

static void t_domain_todot(void)
{
  todot_is("Ab\\.C\\001\\377_-.x.", "ab\\056c\\001\\377_-.x");
  todot_is("a..b.", "a.b");
  todot_is(".", ".");
  todot_is("", ".");
  todot_is("\\101\\60\\0601", "a001");
  todot_is("\\777x", "\\377x");
  todot_is("a b/c+d=e~f", "a\\040b\\057c\\053d\\075e\\176f");
  todot_is("WWW.EXAMPLE.COM", "www.example.com");
  todot_is("\\000", "\\000");
  /* longest output: 255-byte name of escaped bytes fits TODOT_MAX */
  char w[DNS_NAME_MAX];
  unsigned int p = 0;
  for (int i = 0; i < 3; i++) { w[p++] = 63; memset(w + p, 0xff, 63); p += 63; }
  w[p++] = 61; memset(w + p, '.', 61); p += 61; w[p++] = 0;
  CHECK_EQ_INT(p, 255);
  size_t n = dns_domain_todot(NULL, w);
  CHECK_EQ_INT(n, 250 * 4 + 3);
  CHECK(n <= DNS_DOMAIN_TODOT_MAX);
}

static void t_domain_ops(void)
{
  const char *a = "\3www\7example\3com";
  const char *b = "\7EXAMPLE\3Com";
  const char *c = "\3com";
  const char *root = "";
  const char *other = "\10xexample\3com";
  char buf[DNS_NAME_MAX];
  CHECK_EQ_INT(dns_domain_length(a), 17);
  CHECK_EQ_INT(dns_domain_length(root), 1);
  CHECK(dns_domain_equal("\3com", "\3COM"));
  CHECK(!dns_domain_equal("\3com", "\3con"));
  CHECK(!dns_domain_equal("\3com", "\4comm"));
  CHECK(dns_domain_equal(root, ""));
  CHECK(dns_domain_suffix(a, b));
  CHECK(dns_domain_suffix(a, c));
  CHECK(dns_domain_suffix(a, root));
  CHECK(dns_domain_suffix(a, a));
  CHECK(dns_domain_suffix(root, root));
  CHECK(!dns_domain_suffix(c, a));
  CHECK(!dns_domain_suffix(root, c));
  CHECK(!dns_domain_suffix(other, "\7example\3com")); /* label boundary matters */
  CHECK(!dns_domain_suffix("\3com", "\2om"));
  /* a label whose bytes look like a shorter name must not match */
  CHECK(!dns_domain_suffix("\5a\3com", "\3com"));
  CHECK_EQ_INT(dns_domain_suffixpos(a, b), 4);
  CHECK_EQ_INT(dns_domain_suffixpos(a, c), 12);
  CHECK_EQ_INT(dns_domain_suffixpos(a, root), 16);
  CHECK_EQ_INT(dns_domain_suffixpos(a, a), 0);
  CHECK_EQ_INT(dns_domain_suffixpos(c, a), 0);
  CHECK_EQ_INT(dns_domain_suffixpos(other, "\7example\3com"), 0);
  CHECK(dns_domain_parent(a) == a + 4);
  CHECK(dns_domain_parent(c) == c + 4 && *dns_domain_parent(c) == 0);
  CHECK(dns_domain_parent(root) == root);
  memcpy(buf, "\3WwW\3AZ[\0", 10);
  dns_domain_lower(buf);
  CHECK_MEM(buf, "\3www\3az[\0", 10);
  memcpy(buf, "\1Z\0", 4);                         /* label "Z": lowered */
  dns_domain_lower(buf);
  CHECK_MEM(buf, "\1z\0", 4);
  dns_domain_copy(buf, a);
  CHECK_MEM(buf, a, 17);
}

/* Random text through fromdot: never more than 255 bytes, labels <= 63;
   todot of the result parses back to the same name lower-cased. */
static void t_domain_random(void)
{
  static const char alphabet[] = "aZ09-_.\\\\..\x01\xff 7";
  unsigned long state = 12345;
  int ok = 0;
  for (int i = 0; i < 20000; i++) {
    char text[400], w[DNS_NAME_MAX], w2[DNS_NAME_MAX], t[DNS_DOMAIN_TODOT_MAX];
    size_t len, k;
    state = state * 6364136223846793005UL + 1442695040888963407UL;
    len = (state >> 33) % (i < 10000 ? 80 : 400);
    for (k = 0; k < len; k++) {
      state = state * 6364136223846793005UL + 1442695040888963407UL;
      text[k] = alphabet[(state >> 33) % (sizeof alphabet - 1)];
    }
    if (!dns_domain_fromdot(w, text, len)) { CHECK_EQ_INT(errno, EPROTO); continue; }
    ok++;
    unsigned int wl = dns_domain_length(w), p = 0;
    CHECK(wl <= DNS_NAME_MAX);
    while (w[p]) { CHECK((unsigned char)w[p] <= 63); p += (unsigned char)w[p] + 1u; }
    size_t n = dns_domain_todot(t, w);
    CHECK(n <= DNS_DOMAIN_TODOT_MAX);
    CHECK_EQ_INT(dns_domain_fromdot(w2, t, n), 1);
    dns_domain_lower(w);
    CHECK_EQ_INT(dns_domain_length(w2), wl);
    CHECK_MEM(w, w2, wl);
    if (unit_case_failed) { printf("  text [%.*s]\n", (int)len, text); return; }
  }
  CHECK(ok > 5000);
}

int main(void)
{
  RUN(t_ip4_scan);
  RUN(t_ip4_fmt);
  RUN(t_scan_ulong);
  RUN(t_fmt_ulong);
  RUN(t_byte);
  RUN(t_uint);
  RUN(t_error_str);
  RUN(t_buffer);
  RUN(t_domain_fromdot);
  RUN(t_domain_todot);
  RUN(t_domain_ops);
  RUN(t_domain_random);
  return unit_done();
}
