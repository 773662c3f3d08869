#ifndef CACHEFILE_H
#define CACHEFILE_H
#include <stdint.h>
/* The cache to and from a dump file (dump.h): $DUMPCACHE and $SLURPCACHE.
   now is the cache's clock (what cache_get and cache_set are given), wall
   is time(NULL): the file holds wall-clock expiry times, so an entry
   keeps its remaining TTL across a restart or a reboot. */

/* Writes every entry cache_walk yields to path: first to path.tmp
   (created mode 0600), synced, then renamed over path, so path is always
   either the old file or the whole new one.  1 with *entries and *bytes
   (the file's), or 0 with errno set and path untouched. */
int cachefile_save(const char *path, int64_t now, int64_t wall,
                   uint64_t *entries, uint64_t *bytes);

/* Reads the file into the cache (meant for an empty cache, at start),
   after dump_read has checked all of it.  Entries whose expiry is not
   after wall are skipped; the others are stored oldest first with their
   remaining TTL.  1 with *loaded and *expired, or 0 with *why (dump_read's
   reasons, or error_str's text when the file cannot be opened) and
   nothing stored: should the file change between dump_read's check and
   its second pass, the cache is cleared again. */
int cachefile_load(const char *path, int64_t now, int64_t wall,
                   uint64_t *loaded, uint64_t *expired, const char **why);
int cachefile_loadfd(int fd, int64_t now, int64_t wall,
                     uint64_t *loaded, uint64_t *expired, const char **why);
#endif
