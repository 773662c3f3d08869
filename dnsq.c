/* dnsq: asks one server (the third argument, qualified like dnsipq's
   names) a non-recursive question and prints the reply as printpacket
   renders it.  Usage errors exit 100; a name or reply that cannot be
   parsed exits 111; a failed query is printed and exits 0. */
#include <string.h>
#include "buffer.h"
#include "dns_domain.h"
#include "dns_resolve.h"
#include "error.h"
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
  char q[DNS_NAME_MAX], servers[64];
  uint16_t type;
  (void)argc;
  if (!argv[1] || !parsetype(argv[1], &type)) usage();
  if (!argv[2]) usage();
  if (!dns_domain_fromdot(q, argv[2], strlen(argv[2]))) oops();
  if (!argv[3]) usage();
  if (dns_resolve_qualify(&ips, &fqdn, argv[3], strlen(argv[3])) == -1) oops();
  memset(servers, 0, sizeof servers);
  memcpy(servers, ips.s ? ips.s : "", ips.len < 64 ? ips.len : 64);

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
