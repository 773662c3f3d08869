/* cachetest: drives the cache from the command line, as the original's
   regression test does.  cache_init(200); then for each argument "k:v"
   stores v under k for 86400 seconds, and each argument "k" (no colon)
   prints k's value and a newline (an empty line on a miss). */
#include <string.h>
#include "buffer.h"
#include "cache.h"
#include "clock.h"
#include "strerr.h"

int main(int argc, char **argv)
{
  (void)argc;
  if (!cache_init(200)) strerr_die(111, "cachetest", "out of memory", 0, 0, 0);
  int64_t now = clock_sec();
  for (char **a = argv + 1; *a; ++a) {
    const char *s = *a;
    size_t len = strlen(s);
    const char *colon = memchr(s, ':', len);
    if (colon) {
      size_t k = (size_t)(colon - s);
      cache_set(s, (unsigned int)k, colon + 1, (unsigned int)(len - k - 1), 86400, now);
    } else {
      unsigned int dlen;
      uint32_t ttl;
      const char *d = cache_get(s, (unsigned int)len, &dlen, &ttl, now);
      if (d) buffer_put(buffer_1, d, dlen);
      buffer_puts(buffer_1, "\n");
    }
  }
  if (buffer_flush(buffer_1) == -1)
    strerr_die(111, "cachetest", "unable to write output", 0, 0, 1);
  return 0;
}
