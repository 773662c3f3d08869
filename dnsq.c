/* dnsq: asks one server (the third argument: an IPv6 address, or
   qualified like dnsipq's names) a non-recursive question and prints the reply as printpacket
   renders it.  Usage errors exit 100; a name or reply that cannot be
   parsed exits 111; a failed query is printed and exits 0. */
#include <string.h>
#include "buffer.h"
#include "dns_domain.h"
#include "dns_resolve.h"
#include "error.h"
#include "ip6.h"
#include "parsetype.h"
#include "printpacket.h"
#include "strerr.h"
#include <errno.h>

#define PROG "dnsq"

static _Noreturn void usage(void)
{
  strerr_usage(PROG, "dnsq type name server");
}

static _Noreturn void oops(void)
{
  strerr_die(STRERR_TEMP, PROG, "unable to parse", 0, 0, 1);
}

int main(int argc, char **argv)
{
  static struct dns_buf out = { 0, 0, 0 }, ips = { 0, 0, 0 }, fqdn = { 0, 0, 0 };  /* static: still reachable at exit */
  char q[DNS_NAME_MAX], servers[DNS_SERVERS_LEN];
  uint16_t type;
  (void)argc;
  if (!argv[1] || !parsetype(argv[1], &type)) usage();
  if (!argv[2]) usage();
  if (!dns_domain_fromdot(q, argv[2], strlen(argv[2]))) oops();
  if (!argv[3]) usage();
  memset(servers, 0, sizeof servers);
  if (ip6_scan(argv[3], (unsigned char *)servers) == strlen(argv[3])) {
    /* an IPv6 server, asked directly */
  } else {
    size_t k;
    if (dns_resolve_qualify(&ips, &fqdn, argv[3], strlen(argv[3])) == -1) oops();
    for (k = 0; k + 4 <= ips.len && k < 64; k += 4)
      ip6_from4((unsigned char *)servers + 4 * k, (const unsigned char *)ips.s + k);
  }

  if (dns_buf_catulong(&out, type) == -1 || dns_buf_cats(&out, " ") == -1) oops();
  {
    char text[DNS_DOMAIN_TODOT_MAX];
    if (dns_buf_cat(&out, text, dns_domain_todot(text, q)) == -1) oops();
  }
  if (dns_buf_cats(&out, ":\n") == -1) oops();
  if (dns_resolve_with(servers, 0, q, type) == -1) {
    if (dns_buf_cats(&out, error_str(errno)) == -1 || dns_buf_cats(&out, "\n") == -1) oops();
  } else {
    unsigned int len;
    const char *p = dns_resolve_packet(&len);
    if (printpacket_cat(&out, p, len) == -1) oops();
  }
  (void)buffer_putflush(buffer_1, out.s, out.len);
  return 0;
}
