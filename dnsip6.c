/* dnsip6: for each argument, one line of its IPv6 addresses (AAAA) in
   RFC 5952 form, each followed by a space (an empty line when there are
   none): dnsip for IPv6, fefe's name.  An argument that is an IPv6
   address, or made of digits, dots and brackets (IPv4, as dnsip reads
   it, printed IPv4-mapped), is read without asking DNS. */
#include <string.h>
#include "buffer.h"
#include "dns_resolve.h"
#include "ip6.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf ips = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    size_t k;
    if (dns_resolve_ip6(&ips, argv[i], strlen(argv[i])) == -1)
      strerr_die(STRERR_TEMP, "dnsip6", "unable to find IPv6 address for ", argv[i], 0, 1);
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
