/* cachefile.c: the whole cache written to and read from a dump file.
   Guarantees: the file named is replaced only by a complete, synced
   dump (temporary name, fsync, rename), never left half written; a load
   stores nothing until dump_read has accepted the whole file, and
   leaves the cache empty if it fails after that; TTLs are converted
   through the wall clock (remaining = expiry - wall), so they count
   down across restarts and reboots whatever clock the cache uses. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cache.h"
#include "cachefile.h"
#include "dump.h"
#include "error.h"

#define TMPSUFFIX ".tmp"
#define PATHMAX 4096
#define WBUF 65536

struct saving {
  struct dump_writer w;
  int64_t wall;
};

static int save_one(void *arg, const char *key, unsigned int keylen,
                    const char *data, unsigned int datalen, uint32_t ttl)
{
  struct saving *s = arg;
  return dump_put(&s->w, key, keylen, data, datalen, s->wall + (int64_t)ttl);
}

int cachefile_save(const char *path, int64_t now, int64_t wall,
                   uint64_t *entries, uint64_t *bytes)
{
  char tmp[PATHMAX];
  char buf[WBUF];
  struct saving s;
  size_t n = strlen(path);
  if (!n) return (errno = ENOENT, 0);
  if (n + sizeof TMPSUFFIX > sizeof tmp) return (errno = ENAMETOOLONG, 0);
  memcpy(tmp, path, n);
  memcpy(tmp + n, TMPSUFFIX, sizeof TMPSUFFIX);

  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd == -1) return 0;
  s.wall = wall;
  int ok = dump_start(&s.w, fd, buf, sizeof buf)
           && cache_walk(save_one, &s, now)
           && dump_finish(&s.w)
           && fsync(fd) == 0;
  int e = errno;
  if (close(fd) == -1 && ok) { ok = 0; e = errno; }
  if (ok && rename(tmp, path) == -1) { ok = 0; e = errno; }
  if (!ok) {
    unlink(tmp);
    errno = e;
    return 0;
  }
  *entries = s.w.entries;
  *bytes = s.w.bytes;
  return 1;
}

struct loading {
  int64_t now, wall;
  uint64_t loaded, expired;
};

static int load_one(void *arg, const struct dump_entry *e)
{
  struct loading *l = arg;
  if (e->expiry <= l->wall) { l->expired++; return 1; }
  uint64_t left = (uint64_t)e->expiry - (uint64_t)l->wall;
  uint32_t ttl = left > CACHE_MAXTTL ? CACHE_MAXTTL : (uint32_t)left;
  cache_set(e->key, e->keylen, e->data, e->datalen, ttl, l->now);
  l->loaded++;
  return 1;
}

int cachefile_loadfd(int fd, int64_t now, int64_t wall,
                     uint64_t *loaded, uint64_t *expired, const char **why)
{
  struct loading l = { now, wall, 0, 0 };
  if (!dump_read(fd, load_one, &l, why)) {
    if (l.loaded) cache_clear();
    return 0;
  }
  *loaded = l.loaded;
  *expired = l.expired;
  return 1;
}

int cachefile_load(const char *path, int64_t now, int64_t wall,
                   uint64_t *loaded, uint64_t *expired, const char **why)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd == -1) { *why = error_str(errno); return 0; }
  int ok = cachefile_loadfd(fd, now, wall, loaded, expired, why);
  close(fd);
  return ok;
}
