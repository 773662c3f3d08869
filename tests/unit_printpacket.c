/* unit_printpacket.c: printpacket on canned packets (expected texts are
   what Debian's dnsq printed for the same packets, see t_tools_pp.sh),
   parsetype, the dnsrewrite rule matcher, dnsip's local address parsing,
   and a mutation loop proving that no damaged packet crashes the
   printer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit.h"
#include "dns_resolve.h"
#include "parsetype.h"
#include "printpacket.h"

/* header + question "x.pp" A IN; the question name is at offset 12 */
#define HDR(flags, an, ns, ar) \
  "\x12\x34" flags "\x00\x01" "\x00" an "\x00" ns "\x00" ar \
  "\x01x\x02pp\x00" "\x00\x01\x00\x01"
#define Q "\xc0\x0c"

static const char *render(const char *pkt, unsigned int len, int *rc)
{
  static struct dns_buf out;
  out.len = 0;
  *rc = printpacket_cat(&out, pkt, len);
  if (dns_buf_cat(&out, "", 1) == -1) return "";
  return out.s;
}

static int printed(const char *pkt, unsigned int len, const char *want)
{
  int rc;
  const char *got = render(pkt, len, &rc);
  if (rc != 0 || strcmp(got, want)) {
    printf("  rc %d, got:\n%s  want:\n%s", rc, got, want);
    return 0;
  }
  return 1;
}

static int refused(const char *pkt, unsigned int len)
{
  int rc;
  errno = 0;
  render(pkt, len, &rc);
  return rc == -1 && errno == EPROTO;
}

#define PKT(s) s, (unsigned int)(sizeof s - 1)

static void t_a(void)
{
  /* a forward pointer (to the zero byte of the type that follows) is
     followed as 1.05 does: Debian's dnsq prints the same */
  CHECK(printed(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") "\xc0\x18" "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04"),
    "38 bytes, 1+1+0+0 records, response, authoritative, noerror\n"
    "query: 1 x.pp\n"
    "answer: . 1 A 1.2.3.4\n"));
  CHECK(printed(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01"),
    "38 bytes, 1+1+0+0 records, response, authoritative, noerror\n"
    "query: 1 x.pp\n"
    "answer: x.pp 300 A 192.0.2.1\n"));
}

static void t_flags(void)
{
  CHECK(printed(PKT(HDR("\x00\x00", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, noerror\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\xff\xff", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, weird op, authoritative, truncated, weird rd, "
    "weird ra, weird rcode, weird z\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\x85\x83", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, authoritative, weird rd, weird ra, nxdomain\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\x80\x04", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, notimp\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\x80\x05", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, refused\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\x80\x02", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, weird rcode\nquery: 1 x.pp\n"));
  CHECK(printed(PKT(HDR("\x80\x10", "\x00", "\x00", "\x00")),
    "22 bytes, 1+0+0+0 records, response, noerror, weird z\nquery: 1 x.pp\n"));
}

static void t_types(void)
{
  CHECK(printed(PKT(HDR("\x84\x00", "\x07", "\x00", "\x00")
    Q "\x00\x02\x00\x01\x00\x00\x00\x01\x00\x06\x03NS1" Q
    Q "\x00\x0c\x00\x01\x00\x00\x00\x02\x00\x02" Q
    Q "\x00\x05\x00\x01\x00\x00\x00\x03\x00\x07\x01x\x01Y\x01z\x00"
    Q "\x00\x0f\x00\x01\x00\x00\x00\x04\x00\x04\x00\x0a" Q
    Q "\x00\x06\x00\x01\x00\x00\x00\x05\x00\x1b" Q "\x02NS" Q
      "\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\xff\xff\xff\xff"
    Q "\x00\x1c\x00\x01\x00\x00\x00\x06\x00\x10" "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01"
    Q "\x00\x10\x00\x01\x00\x00\x00\x07\x00\x08" "\x05h l\\o\x01\xff"),
    "176 bytes, 1+7+0+0 records, response, authoritative, noerror\n"
    "query: 1 x.pp\n"
    "answer: x.pp 1 NS ns1.x.pp\n"
    "answer: x.pp 2 PTR x.pp\n"
    "answer: x.pp 3 CNAME x.y.z\n"
    "answer: x.pp 4 MX 10 x.pp\n"
    "answer: x.pp 5 SOA x.pp ns.x.pp 1 2 3 4 4294967295\n"
    "answer: x.pp 6 28 \\040\\001\\015\\270\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\001\n"
    "answer: x.pp 7 16 \\005h\\040l\\134o\\001\\377\n"));
}

static void t_class_sections(void)
{
  CHECK(printed(PKT(HDR("\x84\x00", "\x01", "\x01", "\x01")
    Q "\x00\x01\x00\x03\x00\x00\x00\x09\x00\x05junk!"
    "\x00" "\x00\x02\x00\x01\xff\xff\xff\xff\x00\x02" Q
    "\x03" "A.b" "\x00" "\x00\x63\x00\x01\x00\x00\x00\x00\x00\x00"),
    "67 bytes, 1+1+1+1 records, response, authoritative, noerror\n"
    "query: 1 x.pp\n"
    "answer: x.pp 9 weird class\n"
    "authority: . 4294967295 NS x.pp\n"
    "additional: a\\056b 0 99 \n"));
  /* a question of another class */
  CHECK(printed(PKT("\x12\x34\x80\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x03"),
    "17 bytes, 1+0+0+0 records, response, noerror\nquery: weird class\n"));
}

static void t_malformed(void)
{
  /* header only partly there */
  CHECK(refused(PKT("\x12\x34\x80\x00\x00\x01\x00\x00\x00\x00\x00")));
  CHECK(refused("", 0));
  /* A of 5 and 3 bytes */
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x05\x01\x02\x03\x04\x05")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x03\x01\x02\x03")));
  /* NS name shorter / longer than RDATA */
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x02\x00\x01\x00\x00\x00\x01\x00\x03" Q "X")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x05\x00\x01\x00\x00\x00\x01\x00\x03\x02" "ab")));
  /* MX of one byte, SOA with 19 and 21 bytes of numbers */
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x0f\x00\x01\x00\x00\x00\x01\x00\x01\x00")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x06\x00\x01\x00\x00\x00\x01\x00\x17" Q Q
                    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x06\x00\x01\x00\x00\x00\x01\x00\x19" Q Q
                    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")));
  /* trailing byte; a record missing; RDATA past the end */
  CHECK(refused(PKT(HDR("\x84\x00", "\x00", "\x00", "\x00") "\x00")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x02", "\x00", "\x00") Q "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x28\x01\x02\x03\x04")));
  /* pointers: past the end, to itself; a 64-byte label */
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") "\xc0\xff" "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") "\xc0\x16" "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04")));
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") "\x40" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    "\x00\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04")));
  /* a pointer cut in half inside PTR RDATA */
  CHECK(refused(PKT(HDR("\x84\x00", "\x01", "\x00", "\x00") Q "\x00\x0c\x00\x01\x00\x00\x00\x01\x00\x01\xc0")));
}

/* Every single-byte change and every truncation of a rich packet either
   prints or is refused with EPROTO; ASan/UBSan watch the reads. */
static void t_mutations(void)
{
  static const char base[] = HDR("\x84\x00", "\x03", "\x01", "\x01")
    Q "\x00\x0f\x00\x01\x00\x00\x00\x04\x00\x04\x00\x0a" Q
    Q "\x00\x06\x00\x01\x00\x00\x00\x05\x00\x1b" Q "\x02NS" Q
      "\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x03\x00\x00\x00\x04\xff\xff\xff\xff"
    Q "\x00\x10\x00\x01\x00\x00\x00\x07\x00\x03\x02hi"
    "\x00\x00\x02\x00\x01\x00\x00\x00\x01\x00\x02" Q
    Q "\x00\x01\x00\x01\x00\x00\x00\x01\x00\x04\x01\x02\x03\x04";
  unsigned int len = sizeof base - 1, i, bad = 0;
  char *p = malloc(len);
  int rc;
  CHECK(p != 0);
  if (!p) return;
  render(base, len, &rc);
  CHECK(rc == 0);
  for (i = 0; i < len; i++) {
    unsigned int v;
    for (v = 0; v < 256; v += 7) {
      memcpy(p, base, len);
      p[i] = (char)v;
      errno = 0;
      render(p, len, &rc);
      if (rc == -1 && errno != EPROTO) bad++;
    }
  }
  for (i = 0; i < len; i++) {
    char *q = malloc(i ? i : 1);   /* exactly i bytes, so ASan sees overreads */
    if (!q) continue;
    memcpy(q, base, i);
    errno = 0;
    render(q, i, &rc);
    if (rc != -1 || errno != EPROTO) bad++;
    free(q);
  }
  CHECK_EQ_INT(bad, 0);
  free(p);
}

static void t_parsetype(void)
{
  uint16_t t = 9;
  CHECK(parsetype("a", &t) && t == 1);
  CHECK(parsetype("AaAa", &t) && t == 28);
  CHECK(parsetype("any", &t) && t == 255);
  CHECK(parsetype("AXFR", &t) && t == 252);
  CHECK(parsetype("Hinfo", &t) && t == 13);
  CHECK(parsetype("rp", &t) && t == 17);
  CHECK(parsetype("sig", &t) && t == 24);
  CHECK(parsetype("key", &t) && t == 25);
  CHECK(parsetype("65537", &t) && t == 1);
  CHECK(parsetype("", &t) && t == 0);
  CHECK(parsetype("0033", &t) && t == 33);
  CHECK(!parsetype("srv", &t));
  CHECK(!parsetype("1x", &t));
  CHECK(!parsetype(" 1", &t));
  CHECK(!parsetype("+1", &t));
  CHECK(!parsetype("aa", &t));
  CHECK(!parsetype("mxx", &t));
}

static int rule(const char *in, const char *r, const char *want)
{
  struct dns_buf w = { 0, 0, 0 };
  int ok;
  if (dns_buf_cats(&w, in) == -1 || dns_resolve_rule(&w, r, strlen(r)) == -1) return 0;
  ok = w.len == strlen(want) && !memcmp(w.s ? w.s : "", want, w.len);
  if (!ok) printf("  rule %s on %s: got %.*s\n", r, in, (int)w.len, w.s ? w.s : "");
  dns_buf_free(&w);
  return ok;
}

static void t_rules(void)
{
  CHECK(rule("foo", "=foo:bar", "bar"));
  CHECK(rule("xfoo", "=foo:bar", "xfoo"));
  CHECK(rule("a.FOO", "*.foo:.bar", "a.bar"));
  CHECK(rule("a", "?:.test", "a.test"));
  CHECK(rule("a.b", "?:.test", "a.b"));
  CHECK(rule("[a]", "?:.test", "[a]"));
  CHECK(rule("a.", "*.:", "a"));
  CHECK(rule("zfoo", "-foo:1.2.3.4", "1.2.3.4"));
  CHECK(rule("", "=:x", "x"));
  CHECK(rule("foo", "no", "foo"));
  CHECK(rule("foo", ":x", "foo"));
  CHECK(rule("foo", "=foo", "foo"));
  CHECK(rule("fo", "*foo:x", "fo"));
  CHECK(rule("host", "?:+.a+.b", "host+.a+.b"));
}

static int local(const char *in, const char *want, size_t wantlen)
{
  struct dns_buf out = { 0, 0, 0 };
  int ok = dns_resolve_ip4(&out, in, strlen(in)) == 0 && out.len == wantlen
           && !memcmp(out.s ? out.s : "", want, wantlen);
  dns_buf_free(&out);
  return ok;
}

static void t_localip(void)
{
  CHECK(local("1.2.3.4", "\1\2\3\4", 4));
  CHECK(local("127...1", "\177\0\0\1", 4));
  CHECK(local("10.555.678.901", "\12\53\246\205", 4));
  CHECK(local("[1.2.3.4]", "\1\2\3\4", 4));
  CHECK(local("1.2.3", "", 0));
  CHECK(local("", "", 0));
  CHECK(local("1.2.3.4.5", "\1\2\3\4", 4));
  CHECK(local("1.2.3.4.5.6.7.8", "\1\2\3\4\5\6\7\10", 8));
  CHECK(local("99999999999999999999.1.1.1", "\377\1\1\1", 4));
}

int main(void)
{
  RUN(t_a);
  RUN(t_flags);
  RUN(t_types);
  RUN(t_class_sections);
  RUN(t_malformed);
  RUN(t_mutations);
  RUN(t_parsetype);
  RUN(t_rules);
  RUN(t_localip);
  return unit_done();
}
