/* log.c: every line dnscache writes to fd 2, byte for byte in the
   original's format (SPEC 2.8).  Lines are assembled in place at the end
   of a fixed output buffer; log_flush() writes the buffer, and a line is
   only started with LINE_MAX_LEN bytes free (else the buffer is flushed
   first), so no line is ever cut and nothing is allocated.  Write errors
   are ignored: logging must never stop the daemon. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "error.h"
#include "uint.h"
#include "cache.h"
#include "dns.h"
#include "ip6.h"

#define LINE_MAX_LEN 4096
/* A pass's lines (up to UDPBATCH_MAX new queries and their jobs) mostly
   fit in one write; a buffer too full for another line is written early. */
#define OUT_SIZE 65536
#define LOG_RR_HEXMAX 32   /* rdata of 32 bytes or more: the first 32 in hex, then "..." (as 1.05) */

static char out[OUT_SIZE];
static size_t outlen;
static char *line = out;   /* the line being built: out + outlen */
static size_t linelen;

static uint64_t c_queries;
static unsigned int c_udp, c_tcp;

static void writeall(const char *s, size_t n)
{
  while (n > 0) {
    ssize_t w = write(2, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;   /* nobody to tell; drop the rest */
    }
    s += w;
    n -= (size_t)w;
  }
}

void log_flush(void)
{
  if (outlen) writeall(out, outlen);
  outlen = 0;
}

/* The writers below work on a local cursor and store linelen once: a
   char store may alias the globals, which would otherwise be reloaded
   for every byte. */
static void put(const char *s, size_t n)
{
  /* a line longer than LINE_MAX_LEN is impossible for the formats below
     (two names, 16 addresses, 32 bytes of hex); clip to be safe */
  size_t l = linelen;
  char *w = line + l;
  if (n > LINE_MAX_LEN - 1 - l) n = LINE_MAX_LEN - 1 - l;
  memcpy(w, s, n);
  linelen = l + n;
}

static void puts_(const char *s)
{
  size_t n = 0;
  while (s[n]) n++;
  put(s, n);
}

static void space(void)
{
  if (linelen < LINE_MAX_LEN - 1) line[linelen++] = ' ';
}

static void ulong_(uint64_t u)
{
  size_t l = linelen, n = 1;
  char *w;
  for (uint64_t x = u; x >= 10; x /= 10) n++;
  if (n > LINE_MAX_LEN - 1 - l) return;   /* at most 20 digits: never */
  w = line + l + n;
  do {
    *--w = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  linelen = l + n;
}

static void hex(const unsigned char *s, size_t n)
{
  static const char digits[] = "0123456789abcdef";
  size_t l = linelen;
  char *w = line + l;
  if (n > (LINE_MAX_LEN - 1 - l) / 2) n = (LINE_MAX_LEN - 1 - l) / 2;
  for (size_t i = 0; i < n; i++) {
    w[2 * i] = digits[s[i] >> 4];
    w[2 * i + 1] = digits[s[i] & 15];
  }
  linelen = l + 2 * n;
}

/* 16 bytes (SPEC 4.1): IPv4-mapped as the 8 digits of IPv4, any other
   address as 32 digits */
static void ip16(const unsigned char i[16])
{
  if (ip6_isv4mapped(i)) hex(i + 12, 4);
  else hex(i, 16);
}

static void x16(uint16_t u)
{
  unsigned char b[2];
  b[0] = (unsigned char)(u >> 8);
  b[1] = (unsigned char)u;
  hex(b, 2);
}

/* each label followed by '.', root ".", lower case, odd bytes as '?' */
static void name(const char *d)
{
  const unsigned char *p = (const unsigned char *)d;
  unsigned int total = 0;
  char *w = line + linelen, *start = w;
  /* each label adds its length + 1, and labels start while fewer than
     DNS_NAME_MAX were written: at most 2 * DNS_NAME_MAX + 1 bytes */
  if (LINE_MAX_LEN - 1 - linelen < 2 * DNS_NAME_MAX + 2) return;
  if (!*p) *w++ = '.';
  while (*p && total < DNS_NAME_MAX) {
    unsigned int n = *p++;
    total += n + 1;
    while (n--) {
      unsigned char c = *p++;
      if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
      else if (c <= 32 || c > 126) c = '?';
      *w++ = (char)c;
    }
    *w++ = '.';
  }
  linelen += (size_t)(w - start);
}

static void err_(int e) { puts_(error_str(e)); }

static void begin(const char *word)
{
  if (sizeof out - outlen < LINE_MAX_LEN) log_flush();
  line = out + outlen;
  linelen = 0;
  puts_(word);
}

static void end(void)
{
  line[linelen] = '\n';
  outlen += linelen + 1;
  linelen = 0;
}

void log_startup(void)
{
  begin("starting");
  end();
}

void log_query6(uint64_t qnum, const unsigned char client[16], uint16_t port,
                uint16_t id, const char *n, uint16_t qtype)
{
  begin("query "); ulong_(qnum); space();
  ip16(client); put(":", 1); x16(port); put(":", 1); x16(id); space();
  ulong_(qtype); space(); name(n);
  end();
}

void log_querydone(uint64_t qnum, unsigned int len)
{
  begin("sent "); ulong_(qnum); space(); ulong_(len);
  end();
}

void log_querydrop(uint64_t qnum, int err)
{
  begin("drop "); ulong_(qnum); space(); err_(err);
  end();
}

void log_tcpopen6(const unsigned char client[16], uint16_t port)
{
  begin("tcpopen "); ip16(client); put(":", 1); x16(port);
  end();
}

void log_tcpclose6(const unsigned char client[16], uint16_t port, int err)
{
  begin("tcpclose "); ip16(client); put(":", 1); x16(port); space(); err_(err);
  end();
}

void log_cachedanswer(const char *n, uint16_t qtype)
{
  begin("cached "); ulong_(qtype); space(); name(n);
  end();
}

void log_stale(const char *n, uint16_t qtype)
{
  begin("stale "); ulong_(qtype); space(); name(n);
  end();
}

void log_cachedcname(const char *n, const char *target)
{
  begin("cached cname "); name(n); space(); name(target);
  end();
}

void log_cachedns(const char *control, const char *nsname)
{
  begin("cached ns "); name(control); space(); name(nsname);
  end();
}

void log_nxdomain_cached(const char *n)
{
  begin("cached nxdomain "); name(n);
  end();
}

void log_tx(const char *n, uint16_t qtype, const char *control,
            const char *servers, unsigned int level)
{
  begin("tx "); ulong_(level); space(); ulong_(qtype); space();
  name(n); space(); name(control);
  for (int i = 0; i < DNS_SERVERS_LEN; i += 16) {
    const unsigned char *s = (const unsigned char *)servers + i;
    if (!ip6_isempty(s)) { space(); ip16(s); }
  }
  end();
}

void log_nxdomain(const unsigned char server[16], const char *n, uint32_t ttl)
{
  begin("nxdomain "); ip16(server); space(); ulong_(ttl); space(); name(n);
  end();
}

void log_nodata(const unsigned char server[16], const char *n, uint16_t qtype, uint32_t ttl)
{
  begin("nodata "); ip16(server); space(); ulong_(ttl); space();
  ulong_(qtype); space(); name(n);
  end();
}

void log_lame(const unsigned char server[16], const char *control, const char *referral)
{
  begin("lame "); ip16(server); space(); name(control); space(); name(referral);
  end();
}

void log_servfail(const char *n, int err)
{
  begin("servfail "); name(n); space(); err_(err);
  end();
}

static void rrhead(const unsigned char server[16], uint32_t ttl)
{
  begin("rr "); ip16(server); space(); ulong_(ttl); space();
}

void log_rr(const unsigned char server[16], const char *n, uint16_t type,
            const char *rdata, unsigned int rdlen, uint32_t ttl)
{
  rrhead(server, ttl);
  ulong_(type); space(); name(n); space();
  if (rdlen >= LOG_RR_HEXMAX) {
    hex((const unsigned char *)rdata, LOG_RR_HEXMAX);
    put("...", 3);
  } else {
    hex((const unsigned char *)rdata, rdlen);
  }
  end();
}

void log_rrns(const unsigned char server[16], const char *n, const char *nsname, uint32_t ttl)
{
  rrhead(server, ttl);
  puts_("ns "); name(n); space(); name(nsname);
  end();
}

void log_rrcname(const unsigned char server[16], const char *n, const char *target, uint32_t ttl)
{
  rrhead(server, ttl);
  puts_("cname "); name(n); space(); name(target);
  end();
}

void log_rrptr(const unsigned char server[16], const char *n, const char *target, uint32_t ttl)
{
  rrhead(server, ttl);
  puts_("ptr "); name(n); space(); name(target);
  end();
}

void log_rrmx(const unsigned char server[16], const char *n, uint16_t pref,
              const char *exchange, uint32_t ttl)
{
  rrhead(server, ttl);
  puts_("mx "); name(n); space(); ulong_(pref); space(); name(exchange);
  end();
}

void log_rrsoa(const unsigned char server[16], const char *n, const char *mname,
               const char *rname, const char *numbers20, uint32_t ttl)
{
  rrhead(server, ttl);
  puts_("soa "); name(n); space(); name(mname); space(); name(rname);
  for (int i = 0; i < 20; i += 4) {
    space();
    ulong_(uint32_unpack_big(numbers20 + i));
  }
  end();
}

void log_counters(uint64_t queries, unsigned int udp_active, unsigned int tcp_active)
{
  c_queries = queries;
  c_udp = udp_active;
  c_tcp = tcp_active;
}

void log_stats(void)
{
  begin("stats "); ulong_(c_queries); space(); ulong_(cache_motion()); space();
  ulong_(c_udp); space(); ulong_(c_tcp);
  end();
}

void log_dump(uint64_t entries, uint64_t bytes)
{
  begin("dump "); ulong_(entries); space(); ulong_(bytes);
  end();
}

void log_dumpfail(int err)
{
  begin("dump fail "); err_(err);
  end();
}

void log_slurp(uint64_t loaded, uint64_t expired)
{
  begin("slurp "); ulong_(loaded); space(); ulong_(expired);
  end();
}

void log_slurpfail(const char *why)
{
  begin("slurp fail "); puts_(why);
  end();
}
