/* dnscache-conf.c: dnscache-conf acct logacct /D [ip[/ip...]]
   Creates the service directory D for dnscache, run by supervise, with the
   same files, contents, modes, owners, checks and messages as the
   original (SPEC 2.9), in the same order.  Deliberate differences
   (SPEC Decisions 11, 13, 14):
   - root servers: /etc/dnsroots.local, else /etc/dnsroots.global, else the
     built-in current IANA list below (the original stops when
     /etc/dnsroots.global is missing);
   - seed: 128 bytes from getrandom() (/dev/urandom as fallback), obtained
     before anything is created;
   - a failure after D was made removes everything this run created, so D
     never stays half-written and the same command can simply be run again
     (the original leaves a partial D behind, which then "already exists").
   The message for a failure is the original's:
     dnscache-conf: fatal: unable to create D/FILE: <error>  (exit 111)
   AUTO_HOME is the install home (make passes PREFIX): run starts
   AUTO_HOME/bin/dnscache, and the program chdirs there first like the
   original does with its home. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "buffer.h"
#include "ip6.h"
#include "strerr.h"

#ifndef AUTO_HOME
#define AUTO_HOME "/usr/local"
#endif

#define FATAL "dnscache-conf"

/* DATALIMIT (bytes of data segment, softlimit -d), measured with the
   default CACHESIZE 1000000 on Debian 12 (glibc 2.36, x86_64), as the
   smallest `softlimit -d N` under which the daemon starts (below it:
   "not enough memory for cache of size 1000000"):
     Debian's /usr/sbin/dnscache  1982768 (1978672 fails);
     this dnscache                about 3075000 (3050000 fails): its
                                  static tables (20 TCP answer buffers of
                                  64 KiB, 200 UDP jobs) are 1.8 MB of bss.
   1.05's 3000000 is too small for either; Debian's 4000000 would leave
   this daemon under 1 MB for everything it allocates while running.
   8000000 keeps more than twice the measured need (SPEC Decision 14). */
#define DATALIMIT "8000000"
#define CACHESIZE "1000000"

/* Current IANA root servers a..m (SPEC 2.9, Decision 11). */
static const char roots_builtin[] =
  "198.41.0.4\n"
  "170.247.170.2\n"
  "192.33.4.12\n"
  "199.7.91.13\n"
  "192.203.230.10\n"
  "192.5.5.241\n"
  "192.112.36.4\n"
  "198.97.190.53\n"
  "192.36.148.17\n"
  "192.58.128.30\n"
  "193.0.14.129\n"
  "199.7.83.42\n"
  "202.12.27.33\n";

static const char *dir;         /* D, absolute */
static char *fn;                /* D/name, for messages */
static size_t dirlen;
static uid_t loguid;
static gid_t loggid;
static int rootsfd = -1;        /* -1: use roots_builtin */

/* What this run created inside D, for removal on failure. */
#define MADE_MAX 64
static struct { const char *name; int isdir; } made[MADE_MAX];
static int nmade;
static int dirmade;

static void remember(const char *name, int isdir)
{
  if (nmade < MADE_MAX) {
    made[nmade].name = name;
    made[nmade].isdir = isdir;
    nmade++;
  }
}

/* The IPv6 addresses of myip (one address or several separated by '/',
   SPEC 4.1): each gets root/ip/<its RFC 5952 form> (the first 16 of
   them).  IPv4 elements are written to env/IP unchecked, as the original
   does, and root/ip/127.0.0.1 is made whatever myip says. */
#define IP6FILES 16
static char ip6files[IP6FILES][8 + IP6_FMT];
static int nip6files;

static void scanmyip(const char *myip)
{
  const char *p = myip;
  for (;;) {
    size_t n = strcspn(p, "/");
    if (memchr(p, ':', n)) {
      unsigned char ip[16];
      char zone[IP6_ZONE], name[8 + IP6_FMT];
      int i;
      if (!ip6_scan46(p, n, ip, zone)) {
        char bad[64];
        if (n >= sizeof bad) n = sizeof bad - 1;
        memcpy(bad, p, n);
        bad[n] = 0;
        strerr_die(STRERR_TEMP, FATAL, "unable to parse IP address ", bad, NULL, 0);
      }
      memcpy(name, "root/ip/", 8);
      name[8 + ip6_fmt(name + 8, ip)] = 0;
      for (i = 0; i < nip6files; i++)
        if (!strcmp(ip6files[i], name)) break;
      if (i == nip6files && nip6files < IP6FILES) strcpy(ip6files[nip6files++], name);
    }
    if (!p[n]) return;
    p += n + 1;
  }
}

/* Undoes everything since mkdir D (best effort), then dies with
   "unable to create D/name: <errno>". */
static _Noreturn void fail(const char *name)
{
  int e = errno;
  while (nmade > 0) {
    nmade--;
    if (made[nmade].isdir) rmdir(made[nmade].name);
    else unlink(made[nmade].name);
  }
  if (dirmade) {
    if (chdir("/") == 0) rmdir(dir);
  }
  if (name) {
    size_t n = strlen(name);
    if (n > 63) n = 63;
    fn[dirlen] = '/';
    memcpy(fn + dirlen + 1, name, n);
    fn[dirlen + 1 + n] = 0;
  }
  errno = e;
  strerr_die(STRERR_TEMP, FATAL, "unable to create ", fn, NULL, 1);
}

static void makedir(const char *name, int logowned)
{
  if (mkdir(name, 0700) == -1) fail(name);
  remember(name, 1);
  if (logowned && chown(name, loguid, loggid) == -1) fail(name);
  if (chmod(name, 02755) == -1) fail(name);
}

/* Writes the pieces a, b, c (any may be NULL) and, when copy is set, the
   root list; then fsync, close, chown for logowned, chmod to mode. */
static void makefile(const char *name, const char *a, const char *b,
                     const char *c, int copy, int logowned, mode_t mode)
{
  char space[1024];
  buffer o;
  int fd;

  fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd == -1) fail(name);
  remember(name, 0);
  o = (buffer) BUFFER_INIT(fd, space, sizeof space);
  if (a && buffer_puts(&o, a) == -1) fail(name);
  if (b && buffer_puts(&o, b) == -1) fail(name);
  if (c && buffer_puts(&o, c) == -1) fail(name);
  if (copy) {
    if (rootsfd == -1) {
      if (buffer_puts(&o, roots_builtin) == -1) fail(name);
    } else {
      char in[1024];
      for (;;) {
        ssize_t r = read(rootsfd, in, sizeof in);
        if (r == -1) {
          if (errno == EINTR) continue;
          fail(name);
        }
        if (r == 0) break;
        if (buffer_put(&o, in, (size_t)r) == -1) fail(name);
      }
    }
  }
  if (buffer_flush(&o) == -1) fail(name);
  if (fsync(fd) == -1) fail(name);
  if (close(fd) == -1) fail(name);
  if (logowned && chown(name, loguid, loggid) == -1) fail(name);
  if (chmod(name, mode) == -1) fail(name);
}

/* Opens a root list file: fd, or -1 if it does not exist; dies on any
   other error, like the original. */
static int openroots(const char *path)
{
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd == -1) {
    if (errno == ENOENT) return -1;
    strerr_die(STRERR_TEMP, FATAL, "unable to open ", path, NULL, 1);
  }
  return fd;
}

static void getseed(char seed[128])
{
  size_t got = 0;
  while (got < 128) {
    ssize_t r = getrandom(seed + got, 128 - got, 0);
    if (r == -1) {
      if (errno == EINTR) continue;
      break;
    }
    got += (size_t)r;
  }
  if (got < 128) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd == -1)
      strerr_die(STRERR_TEMP, FATAL, "unable to open /dev/urandom", NULL, NULL, 1);
    while (got < 128) {
      ssize_t r = read(fd, seed + got, 128 - got);
      if (r == -1 && errno == EINTR) continue;
      if (r <= 0) {
        if (r == 0) errno = EIO;
        strerr_die(STRERR_TEMP, FATAL, "unable to read /dev/urandom", NULL, NULL, 1);
      }
      got += (size_t)r;
    }
    close(fd);
  }
}

int main(int argc, char **argv)
{
  const char *user, *loguser, *myip;
  struct passwd *pw;
  char seed[128];
  char space[16];
  buffer o;
  int fd;

  if (argc < 4 || argv[3][0] != '/')
    strerr_usage(FATAL, "dnscache-conf acct logacct /dnscache [ myip ]");
  user = argv[1];
  loguser = argv[2];
  dir = argv[3];
  myip = argc > 4 ? argv[4] : "127.0.0.1";
  scanmyip(myip);

  dirlen = strlen(dir);
  fn = malloc(dirlen + 65);
  if (!fn) {
    errno = ENOMEM;
    strerr_die(STRERR_TEMP, FATAL, "out of memory", NULL, NULL, 0);
  }
  memcpy(fn, dir, dirlen + 1);

  getseed(seed);

  pw = getpwnam(loguser);
  if (!pw) strerr_die(STRERR_TEMP, FATAL, "unknown account ", loguser, NULL, 0);
  loguid = pw->pw_uid;
  loggid = pw->pw_gid;

  if (chdir(AUTO_HOME) == -1)
    strerr_die(STRERR_TEMP, FATAL, "unable to switch to ", AUTO_HOME, NULL, 1);

  rootsfd = openroots("/etc/dnsroots.local");
  if (rootsfd == -1) rootsfd = openroots("/etc/dnsroots.global");

  umask(022);
  if (mkdir(dir, 0700) == -1) fail(NULL);
  dirmade = 1;
  if (chmod(dir, 03755) == -1) fail(NULL);
  if (chdir(dir) == -1) fail(NULL);

  makedir("log", 0);
  makedir("log/main", 1);
  makefile("log/status", NULL, NULL, NULL, 0, 1, 0644);

  makedir("env", 0);
  makefile("env/ROOT", dir, "/root\n", NULL, 0, 0, 0644);
  makefile("env/IP", myip, "\n", NULL, 0, 0, 0644);
  makefile("env/IPSEND", "0.0.0.0\n", NULL, NULL, 0, 0, 0644);
  makefile("env/CACHESIZE", CACHESIZE "\n", NULL, NULL, 0, 0, 0644);
  makefile("env/DATALIMIT", DATALIMIT "\n", NULL, NULL, 0, 0, 0644);

  makefile("run",
           "#!/bin/sh\nexec 2>&1\nexec <seed\nexec envdir ./env sh -c '\n"
           "  exec envuidgid ", user,
           " softlimit -o250 -d \"$DATALIMIT\" " AUTO_HOME "/bin/dnscache\n'\n",
           0, 0, 0755);
  makefile("log/run", "#!/bin/sh\nexec setuidgid ", loguser,
           " multilog t ./main\n", 0, 0, 0755);

  makedir("root", 0);
  makedir("root/ip", 0);
  makefile("root/ip/127.0.0.1", NULL, NULL, NULL, 0, 0, 0600);
  for (int i = 0; i < nip6files; i++) makefile(ip6files[i], NULL, NULL, NULL, 0, 0, 0600);
  makedir("root/servers", 0);
  makefile("root/servers/@", NULL, NULL, NULL, 1, 0, 0644);

  /* the seed: binary, written like the others */
  fd = open("seed", O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd == -1) fail("seed");
  remember("seed", 0);
  o = (buffer) BUFFER_INIT(fd, space, sizeof space);
  if (buffer_putflush(&o, seed, sizeof seed) == -1) fail("seed");
  if (fsync(fd) == -1) fail("seed");
  if (close(fd) == -1) fail("seed");
  if (chmod("seed", 0600) == -1) fail("seed");
  return 0;
}
