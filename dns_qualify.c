/* dns_qualify.c: dnsipq's qualification of a name typed by the user
   (SPEC 2.10).  The rewriting rules come from $DNSREWRITEFILE or
   /etc/dnsrewrite (every line, trailing blanks removed), else from
   $LOCALDOMAIN, the first search/domain line of resolv.conf or the host
   name's domain, each followed by "*.:".  All rules apply in turn to the
   name; a '+' in the result separates alternatives tried in order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "byte.h"
#include "clock.h"
#include "dns_resolve.h"


/* rules: NUL-terminated rules one after another */
static struct dns_buf rules;
static int rules_ok;
static int64_t rules_time;
static unsigned int rules_uses;

static int addrule(const char *a, const char *b, size_t blen)
{
  if (dns_buf_cats(&rules, a) == -1) return -1;
  if (dns_buf_cat(&rules, b, blen) == -1) return -1;
  return dns_buf_cat(&rules, "", 1);
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Every line of the rewrite file, trailing blanks removed. */
static void rules_from_file(const struct dns_buf *f)
{
  size_t i = 0;
  while (i < f->len) {
    size_t end = i + byte_chr(f->s + i, f->len - i, '\n'), k = end;
    while (k > i && is_blank(f->s[k - 1])) k--;
    /* out of memory only truncates the rule list */
    if (addrule("", f->s + i, k - i) == -1) return;
    i = end + 1;
  }
}

/* "?:+.a+.b" from a list of domains separated by sep1 or sep2. */
static int rule_from_list(const char *s, size_t len, int skip_empty)
{
  size_t i = 0;
  if (dns_buf_cats(&rules, "?:") == -1) return -1;
  while (i <= len) {
    size_t k = i;
    while (k < len && s[k] != ' ' && !(skip_empty && s[k] == '\t')) k++;
    if (k > i || !skip_empty) {
      if (dns_buf_cats(&rules, "+.") == -1) return -1;
      if (dns_buf_cat(&rules, s + i, k - i) == -1) return -1;
    }
    i = k + 1;
  }
  return dns_buf_cat(&rules, "", 1);
}

/* The first "search"/"domain" line of resolv.conf: 1 found, 0 not, -1. */
static int rules_from_resolvconf(void)
{
  struct dns_buf f = { 0, 0, 0 };
  size_t i = 0;
  int r = dns_resolve_readfile(&f, "/etc/resolv.conf");
  if (r != 1) { int e = errno; dns_buf_free(&f); errno = e; return r; }
  r = 0;
  while (i < f.len) {
    size_t end = i + byte_chr(f.s + i, f.len - i, '\n');
    if (end - i >= 7 && (!memcmp(f.s + i, "search", 6) || !memcmp(f.s + i, "domain", 6))
        && (f.s[i + 6] == ' ' || f.s[i + 6] == '\t')) {
      r = rule_from_list(f.s + i + 7, end - i - 7, 1) == -1 ? -1 : 1;
      break;
    }
    i = end + 1;
  }
  dns_buf_free(&f);
  return r;
}

static int load_rules(void)
{
  const char *fn = getenv("DNSREWRITEFILE");
  const char *x;
  struct dns_buf f = { 0, 0, 0 };
  int r;
  rules.len = 0;
  r = dns_resolve_readfile(&f, fn ? fn : "/etc/dnsrewrite");
  if (r == -1) { int e = errno; dns_buf_free(&f); errno = e; return -1; }
  if (r == 1) {
    rules_from_file(&f);
    dns_buf_free(&f);
    return 0;
  }
  dns_buf_free(&f);
  x = getenv("LOCALDOMAIN");
  if (x) {
    if (rule_from_list(x, strlen(x), 0) == -1) return -1;
  } else {
    r = rules_from_resolvconf();
    if (r == -1) return -1;
    if (!r) {
      char host[256];
      size_t dot;
      if (gethostname(host, sizeof host) == -1) return -1;
      host[sizeof host - 1] = 0;
      dot = byte_chr(host, strlen(host), '.');
      if (host[dot] && addrule("?:", host + dot, strlen(host + dot)) == -1) return -1;
    }
  }
  return addrule("*.:", "", 0);
}

int dns_resolve_rule(struct dns_buf *work, const char *rule, size_t rulelen)
{
  char op;
  size_t colon, slen, prefix, i;
  if (!rulelen) return 0;
  op = rule[0];
  if (op != '=' && op != '*' && op != '?' && op != '-') return 0;
  colon = 1 + byte_chr(rule + 1, rulelen - 1, ':');
  if (colon >= rulelen) return 0;
  slen = colon - 1;
  if (work->len < slen) return 0;
  prefix = work->len - slen;
  if (op == '=' && prefix) return 0;
  if (!byte_case_equal(work->s + prefix, rule + 1, slen)) return 0;
  if (op == '?')
    for (i = 0; i < prefix; i++)
      if (work->s[i] == '.' || work->s[i] == '[' || work->s[i] == ']') return 0;
  work->len = op == '-' ? 0 : prefix;
  return dns_buf_cat(work, rule + colon + 1, rulelen - colon - 1);
}

static int qualify(struct dns_buf *out, struct dns_buf *fqdn, const char *name, size_t len,
                   int (*lookup)(struct dns_buf *, const char *, size_t))
{
  size_t i, plus, total;
  char *alts;
  if (dns_resolve_expired(rules_ok, rules_time, &rules_uses)) {
    if (load_rules() == -1) return -1;
    rules_ok = 1;
    rules_time = clock_sec();
    rules_uses = 0;
  }
  fqdn->len = 0;
  if (dns_buf_cat(fqdn, name, len) == -1) return -1;
  for (i = 0; i < rules.len; ) {
    size_t l = strlen(rules.s + i);
    if (dns_resolve_rule(fqdn, rules.s + i, l) == -1) return -1;
    i += l + 1;
  }
  plus = byte_chr(fqdn->s, fqdn->len, '+');
  if (plus == fqdn->len) return lookup(out, fqdn->s, fqdn->len);

  /* "base+alt1+alt2": try base+alt1, then base+alt2, ... */
  total = fqdn->len - plus - 1;
  alts = malloc(total + 1);
  if (!alts) { errno = ENOMEM; return -1; }
  memcpy(alts, fqdn->s + plus + 1, total);
  i = 0;
  for (;;) {
    size_t k = i + byte_chr(alts + i, total - i, '+');
    fqdn->len = plus;
    if (dns_buf_cat(fqdn, alts + i, k - i) == -1
        || lookup(out, fqdn->s, fqdn->len) == -1) {
      int e = errno;
      free(alts);
      errno = e;
      return -1;
    }
    if (out->len || k >= total) break;
    i = k + 1;
  }
  free(alts);
  return 0;
}

int dns_resolve_qualify(struct dns_buf *out, struct dns_buf *fqdn,
                        const char *name, size_t len)
{
  return qualify(out, fqdn, name, len, dns_resolve_ip4);
}

int dns_resolve_qualify6(struct dns_buf *out, struct dns_buf *fqdn,
                         const char *name, size_t len)
{
  return qualify(out, fqdn, name, len, dns_resolve_ip6);
}
