/* dnsip6q: for each argument, the qualified name (dnsrewrite rules, as
   dnsipq) and its IPv6 addresses in RFC 5952 form: "fqdn ip ip \n". */
#include <string.h>
#include "buffer.h"
#include "dns_resolve.h"
#include "ip6.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf ips = { 0, 0, 0 }, fqdn = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    size_t k;
    if (dns_resolve_qualify6(&ips, &fqdn, argv[i], strlen(argv[i])) == -1)
      strerr_die(STRERR_TEMP, "dnsip6q", "unable to find IPv6 address for ", argv[i], 0, 1);
    if (fqdn.len) (void)buffer_put(buffer_1, fqdn.s, fqdn.len);
    (void)buffer_puts(buffer_1, " ");
    for (k = 0; k + 16 <= ips.len; k += 16) {
      char text[IP6_FMT];
      (void)buffer_put(buffer_1, text, ip6_fmt(text, (unsigned char *)ips.s + k));
      (void)buffer_puts(buffer_1, " ");
    }
    (void)buffer_puts(buffer_1, "\n");
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
