/* fuzz_logparse.c: libFuzzer target for logparse.c, the reader of
   dnscache's log lines (dnscache-stats).  The input is one line, copied
   into a buffer of exactly its size so that any read past the end is
   caught by AddressSanitizer.  Besides "no crash", it checks what the
   parser promises:
     - every slice it returns lies inside the line;
     - an unparsed line leaves no field set;
     - a parsed line's address fields format as an address, and the
       formatted text fits LOGPARSE_IPFMT;
     - parsing is repeatable (same kind and fields twice).
   Build: make fuzz (clang -fsanitize=fuzzer,address,undefined). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bad(const char *what)
{
  fprintf(stderr, "check failed: %s\n", what);
  abort();
}

static void inside(const struct logslice *w, const char *s, size_t len)
{
  if (!w->s) {
    if (w->len) bad("empty slice with a length");
    return;
  }
  if (w->s < s || w->s + w->len > s + len) bad("slice outside the line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size ? size : 1);
  struct logline a, b;
  char t[LOGPARSE_IPFMT];
  if (!s) return 0;
  memcpy(s, data, size);
  logparse_line(s, size, &a);
  inside(&a.ip, s, size);
  inside(&a.name, s, size);
  inside(&a.text, s, size);
  if (a.kind == LOG_UNPARSED && (a.ip.s || a.name.s || a.text.s || a.n[0] || a.n[1]))
    bad("unparsed line with fields set");
  if (a.ip.s) {
    size_t n = logparse_ipfmt(t, a.ip.s, a.ip.len);
    if (!n || n >= LOGPARSE_IPFMT) bad("address field does not format");
  }
  logparse_line(s, size, &b);
  if (a.kind != b.kind || a.ip.s != b.ip.s || a.name.len != b.name.len ||
      a.text.len != b.text.len || memcmp(a.n, b.n, sizeof a.n) || a.sec != b.sec)
    bad("not repeatable");
  /* any 8/32-byte prefix of the input as an address field */
  if (size >= 8) logparse_ipfmt(t, s, 8);
  if (size >= 32) logparse_ipfmt(t, s, 32);
  free(s);
  return 0;
}
