/* dnsmx: for each name, "pref exchange" per MX record in the order
   received; a name without MX records prints "0 name" (the name lower-cased
   and escaped, as a mail transport would fall back to it). */
#include <string.h>
#include "buffer.h"
#include "dns_domain.h"
#include "dns_resolve.h"
#include "strerr.h"
#include "uint.h"

int main(int argc, char **argv)
{
  static struct dns_buf mx = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    size_t k;
    if (dns_resolve_mx(&mx, argv[i], strlen(argv[i])) == -1)
      strerr_die(STRERR_TEMP, "dnsmx", "unable to find MX records for ", argv[i], 0, 1);
    if (!mx.len) {
      char q[DNS_NAME_MAX], text[DNS_DOMAIN_TODOT_MAX];
      /* dns_resolve_mx has parsed the same text already */
      if (!dns_domain_fromdot(q, argv[i], strlen(argv[i])))
        strerr_die(STRERR_TEMP, "dnsmx", "unable to find MX records for ", argv[i], 0, 1);
      (void)buffer_puts(buffer_1, "0 ");
      (void)buffer_put(buffer_1, text, dns_domain_todot(text, q));
      (void)buffer_puts(buffer_1, "\n");
      continue;
    }
    for (k = 0; k + 2 < mx.len; ) {
      size_t n = strlen(mx.s + k + 2);
      (void)buffer_putulong(buffer_1, uint16_unpack_big(mx.s + k));
      (void)buffer_puts(buffer_1, " ");
      (void)buffer_put(buffer_1, mx.s + k + 2, n);
      (void)buffer_puts(buffer_1, "\n");
      k += 2 + n + 1;
    }
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
