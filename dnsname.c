/* dnsname: for each IPv4 address argument, the first name of its PTR
   records, or an empty line. */
#include "buffer.h"
#include "dns_resolve.h"
#include "ip4.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf name = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    unsigned char ip[4];
    if (!ip4_scan(argv[i], ip))
      strerr_die(STRERR_TEMP, "dnsname", "unable to parse IP address ", argv[i], 0, 0);
    if (dns_resolve_name4(&name, ip) == -1)
      strerr_die(STRERR_TEMP, "dnsname", "unable to find host name for ", argv[i], 0, 1);
    if (name.len) (void)buffer_put(buffer_1, name.s, name.len);
    (void)buffer_puts(buffer_1, "\n");
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
