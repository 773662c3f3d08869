#ifndef DUMP_H
#define DUMP_H
#include <stdint.h>
/* The cache dump file ($DUMPCACHE, $SLURPCACHE).  Every integer is
   big-endian:
     header   "DNSCDUMP" (8 bytes), version (4) = DUMP_VERSION, 0 (4)
     entries  expiry (8, signed: wall-clock seconds since 1970),
              keylen (4, <= CACHE_MAXKEY), datalen (4, <= CACHE_MAXDATA),
              key, data; oldest first
     trailer  "DNSCEND\n" (8), number of entries (8), CRC-32 (4) of every
              byte before it (the zlib/PNG CRC)
   The whole file is at most DUMP_MAXFILE bytes: no cache holds more. */
#define DUMP_VERSION 1
#define DUMP_HEADER 16
#define DUMP_ENTRYHDR 16
#define DUMP_TRAILER 20
#define DUMP_MAXFILE (DUMP_HEADER + 1000000000ULL + DUMP_TRAILER)

/* Writing: dump_start, dump_put for each entry, dump_finish.  Writes go
   through buf (bufsize bytes, at least DUMP_ENTRYHDR); an entry larger
   than the buffer is written straight through.  After the first error
   every later call fails too.  1 ok, 0 with errno set. */
struct dump_writer {
  int fd;
  char *buf;
  unsigned int bufsize, buflen;
  uint32_t crc;
  uint64_t entries, bytes;   /* so far, header and trailer included */
  int err;
};
int dump_start(struct dump_writer *w, int fd, char *buf, unsigned int bufsize);
int dump_put(struct dump_writer *w, const char *key, unsigned int keylen,
             const char *data, unsigned int datalen, int64_t expiry);
int dump_finish(struct dump_writer *w);

/* Reading: dump_read reads the file on fd (from offset 0) to the end
   and checks everything (size, header, every entry's lengths, entry
   count, trailer, CRC) before it calls fn once per entry, in file
   order, in a second pass over the file (stopping early if fn returns
   0, still a success).  The second pass checks the entries again; if
   the file changed between the passes, some entries may have been
   handed to fn before the failure is noticed ("changed while read").
   Returns 1, or 0 with *why a short reason for the log: a system error's
   text (error_str), or "empty", "not a regular file", "too large",
   "not a dump file", "unsupported version", "truncated", "corrupt",
   "bad checksum", "changed while read". */
struct dump_entry {
  const char *key, *data;
  unsigned int keylen, datalen;
  int64_t expiry;
};
typedef int (*dump_entryfn)(void *arg, const struct dump_entry *e);
int dump_read(int fd, dump_entryfn fn, void *arg, const char **why);

/* CRC-32 (reflected 0xEDB88320, as zlib's crc32()): crc starts at 0. */
uint32_t dump_crc32(uint32_t crc, const void *buf, uint64_t len);
#endif
