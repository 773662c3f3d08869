/* dnsipq: for each argument, the qualified name (dnsrewrite rules) and its
   IPv4 addresses: "fqdn ip ip \n". */
#include <string.h>
#include "buffer.h"
#include "dns_resolve.h"
#include "ip4.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf ips = { 0, 0, 0 }, fqdn = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    size_t k;
    if (dns_resolve_qualify(&ips, &fqdn, argv[i], strlen(argv[i])) == -1)
      strerr_die(STRERR_TEMP, "dnsipq", "unable to find IP address for ", argv[i], 0, 1);
    if (fqdn.len) (void)buffer_put(buffer_1, fqdn.s, fqdn.len);
    (void)buffer_puts(buffer_1, " ");
    for (k = 0; k + 4 <= ips.len; k += 4) {
      char text[IP4_FMT];
      (void)buffer_put(buffer_1, text, ip4_fmt(text, (unsigned char *)ips.s + k));
      (void)buffer_puts(buffer_1, " ");
    }
    (void)buffer_puts(buffer_1, "\n");
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
