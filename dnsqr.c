/* dnsqr: asks the cache (dns_resolve_servers) a recursive question and
   prints the reply as printpacket renders it, with RD and RA cleared so
   neither shows as "weird".  Exit codes as dnsq. */
#include <errno.h>
#include <string.h>
#include "buffer.h"
#include "dns.h"
#include "dns_domain.h"
#include "dns_resolve.h"
#include "error.h"
#include "parsetype.h"
#include "printpacket.h"
#include "strerr.h"

#define PROG "dnsqr"

static _Noreturn void usage(void)
{
  strerr_usage(PROG, "dnsqr type name");
}

static _Noreturn void oops(void)
{
  strerr_die(STRERR_TEMP, PROG, "unable to parse", 0, 0, 1);
}

int main(int argc, char **argv)
{
  static struct dns_buf out = { 0, 0, 0 };  /* static: still reachable at exit */
  char q[DNS_NAME_MAX], text[DNS_DOMAIN_TODOT_MAX];
  uint16_t type;
  (void)argc;
  if (!argv[1] || !parsetype(argv[1], &type)) usage();
  if (!argv[2]) usage();
  if (!dns_domain_fromdot(q, argv[2], strlen(argv[2]))) oops();
  if (argv[3]) usage();

  if (dns_buf_catulong(&out, type) == -1 || dns_buf_cats(&out, " ") == -1
      || dns_buf_cat(&out, text, dns_domain_todot(text, q)) == -1
      || dns_buf_cats(&out, ":\n") == -1)
    oops();
  if (dns_resolve(q, type) == -1) {
    if (dns_buf_cats(&out, error_str(errno)) == -1 || dns_buf_cats(&out, "\n") == -1) oops();
  } else {
    unsigned int len;
    char *p = dns_resolve_packet(&len);
    if (len >= 4) {
      p[2] = (char)(p[2] & ~(DNS_F_RD >> 8));
      p[3] = (char)(p[3] & ~DNS_F_RA);
    }
    if (printpacket_cat(&out, p, len) == -1) oops();
  }
  (void)buffer_putflush(buffer_1, out.s, out.len);
  return 0;
}
