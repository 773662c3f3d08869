/* droproot.c: chroot and give up root, every step checked and fatal on
   failure with the original's messages (SPEC 2.2 step 4). */
#include <stdlib.h>
#include <unistd.h>
#include <grp.h>
#include "droproot.h"
#include "byte.h"
#include "strerr.h"

static unsigned long number(const char *prog, const char *var, const char *missing)
{
  unsigned long u = 0;
  const char *x = getenv(var);
  if (!x) strerr_die(STRERR_TEMP, prog, missing, NULL, NULL, 0);
  scan_ulong(x, &u);
  return u;
}

void droproot(const char *prog)
{
  const char *root = getenv("ROOT");
  unsigned long u;
  gid_t gid;

  if (!root) strerr_die(STRERR_TEMP, prog, "$ROOT not set", NULL, NULL, 0);
  if (chdir(root) == -1)
    strerr_die(STRERR_TEMP, prog, "unable to chdir to ", root, NULL, 1);
  if (chroot(".") == -1)
    strerr_die(STRERR_TEMP, prog, "unable to chroot to ", root, NULL, 1);

  u = number(prog, "GID", "$GID not set");
  gid = (gid_t)u;
  if (setgroups(1, &gid) == -1 || setgid(gid) == -1)
    strerr_die(STRERR_TEMP, prog, "unable to setgid", NULL, NULL, 1);

  u = number(prog, "UID", "$UID not set");
  if (setuid((uid_t)u) == -1)
    strerr_die(STRERR_TEMP, prog, "unable to setuid", NULL, NULL, 1);
}
