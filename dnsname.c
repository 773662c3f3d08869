/* dnsname: for each IPv4 or IPv6 address argument (IPv6: ip6.arpa), the
   first name of its PTR records, or an empty line. */
#include "buffer.h"
#include "dns_resolve.h"
#include <string.h>
#include "ip4.h"
#include "ip6.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf name = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    unsigned char ip[4], ip6[16];
    int r;
    /* IPv4 first, as leniently as the original; no IPv6 text starts
       with a dotted quad */
    if (ip4_scan(argv[i], ip))
      r = dns_resolve_name4(&name, ip);
    else if (strchr(argv[i], ':') && ip6_scan(argv[i], ip6) == strlen(argv[i]))
      r = dns_resolve_name6(&name, ip6);
    else
      strerr_die(STRERR_TEMP, "dnsname", "unable to parse IP address ", argv[i], 0, 0);
    if (r == -1)
      strerr_die(STRERR_TEMP, "dnsname", "unable to find host name for ", argv[i], 0, 1);
    if (name.len) (void)buffer_put(buffer_1, name.s, name.len);
    (void)buffer_puts(buffer_1, "\n");
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
