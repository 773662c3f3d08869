/* Unit tests for roots.c: reading servers/ from a temp directory, and the
   lookups (longest zone, exact, bailiwick). */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tests/unit.h"
#include "roots.h"
#include "dns_domain.h"

static char dir[64];

static char *W(const char *dot)
{
  static char bufs[4][DNS_NAME_MAX];
  static unsigned int k;
  char *b = bufs[k++ % 4];
  if (!dns_domain_fromdot(b, dot, strlen(dot))) abort();
  return b;
}

static void put(const char *name, const char *text)
{
  char path[256];
  FILE *f;
  snprintf(path, sizeof path, "%s/servers/%s", dir, name);
  f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

static void t_read(void)
{
  char s[64];
  const char *control = NULL;
  static const unsigned char r1[4] = { 127, 53, 0, 1 }, r2[4] = { 127, 53, 0, 2 };
  static const unsigned char m1[4] = { 10, 0, 0, 1 }, x16[4] = { 10, 0, 0, 16 };
  put("@", "127.53.0.1\n\njunk\n127.53.0.2\n");
  put("Moon.AF.mil", "10.0.0.1\n");
  put(".hidden", "9.9.9.9\n");
  {
    char big[1024] = "";
    for (int i = 1; i <= 20; ++i) {
      char line[32];
      snprintf(line, sizeof line, "10.0.0.%d\n", i);
      strcat(big, line);
    }
    put("many.test", big);
  }
  put("esc\\056aped", "10.0.0.3");   /* no final newline; name with an escaped dot */
  CHECK_EQ_INT(roots_init(), 1);

  CHECK_EQ_INT(roots(s, W("www.example")), 1);
  CHECK(!memcmp(s, r1, 4) && !memcmp(s + 4, r2, 4));
  for (int k = 2; k < 16; ++k) CHECK(!memcmp(s + 4 * k, "\0\0\0\0", 4));
  CHECK_EQ_INT(roots_find(W("a.b.MOON.af.mil"), &control), 1);
  CHECK(control && dns_domain_equal(control, W("moon.af.mil")));
  CHECK_EQ_INT(roots(s, W("a.b.moon.af.mil")), 1);
  CHECK(!memcmp(s, m1, 4));
  CHECK_EQ_INT(roots_exact(W("moon.af.mil")), 1);
  CHECK_EQ_INT(roots_exact(W("af.mil")), 0);
  CHECK_EQ_INT(roots_exact(W("")), 1);
  CHECK_EQ_INT(roots_exact(W("hidden")), 0);
  CHECK_EQ_INT(roots_servers(s, W("many.test")), 1);
  CHECK(!memcmp(s + 60, x16, 4));   /* at most 16 */
  CHECK_EQ_INT(roots_servers(s, W("x.many.test")), 0);
  CHECK_EQ_INT(roots_exact("\010esc.aped"), 1);   /* one label, with a dot in it */
  CHECK_EQ_INT(roots_same(W("a.moon.af.mil"), W("moon.af.mil")), 1);
  CHECK_EQ_INT(roots_same(W("a.moon.af.mil"), W("af.mil")), 0);
  CHECK_EQ_INT(roots_same(W("a.example"), W("")), 1);
}

static void t_errors(void)
{
  char path[256];
  snprintf(path, sizeof path, "%s/servers/sub", dir);
  mkdir(path, 0755);
  errno = 0;
  CHECK_EQ_INT(roots_init(), 0);
  CHECK_EQ_INT(errno, EISDIR);
  rmdir(path);
  CHECK_EQ_INT(roots_init(), 1);
  if (chdir("/") == 0) {
    errno = 0;
    CHECK_EQ_INT(roots_init(), 0);
    CHECK_EQ_INT(errno, ENOENT);
  }
  CHECK_EQ_INT(chdir(dir), 0);
}

static void t_no_root(void)
{
  char s[64];
  memset(s, 0, sizeof s);
  roots_clear();
  CHECK_EQ_INT(roots(s, W("www.example")), 0);
  CHECK_EQ_INT(roots_find(W("www.example"), NULL), 0);
  s[0] = 1;
  CHECK_EQ_INT(roots_add(W("Example"), s), 1);
  CHECK_EQ_INT(roots_exact(W("EXAMPLE")), 1);
  s[0] = 2;
  CHECK_EQ_INT(roots_add(W("example"), s), 1);   /* replaces */
  CHECK_EQ_INT(roots_servers(s, W("example")), 1);
  CHECK_EQ_INT(s[0], 2);
  roots_clear();
}

int main(void)
{
  char path[256];
  snprintf(dir, sizeof dir, "/tmp/unit_roots.XXXXXX");
  if (!mkdtemp(dir)) return 111;
  snprintf(path, sizeof path, "%s/servers", dir);
  mkdir(path, 0755);
  if (chdir(dir)) return 111;
  RUN(t_read);
  RUN(t_errors);
  RUN(t_no_root);
  if (chdir("/") == 0) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) { /* leave it */ }
  }
  return unit_done();
}
