/* dnstxt: for each name, the strings of all its TXT records joined into
   one line, unprintable bytes shown as '?'. */
#include <string.h>
#include "buffer.h"
#include "dns_resolve.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  static struct dns_buf txt = { 0, 0, 0 };  /* static: still reachable at exit */
  int i;
  for (i = 1; i < argc; i++) {
    if (dns_resolve_txt(&txt, argv[i], strlen(argv[i])) == -1)
      strerr_die(STRERR_TEMP, "dnstxt", "unable to find TXT records for ", argv[i], 0, 1);
    if (txt.len) (void)buffer_put(buffer_1, txt.s, txt.len);
    (void)buffer_puts(buffer_1, "\n");
  }
  (void)buffer_flush(buffer_1);
  return 0;
}
