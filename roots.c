/* roots.c: the servers/ directory.  Guarantees: every zone file is read
   once (by roots_init); lookups never touch the file system; a zone's
   IPv4 list always has 16 slots and its full list DNS_SERVERS 16-byte
   slots (16 of each family, in file order), unused ones zero. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "roots.h"
#include "dns_domain.h"
#include "ip4.h"
#include "ip6.h"

struct root {
  char zone[DNS_NAME_MAX];   /* lower-cased wire name */
  char servers[64];          /* the IPv4 ones */
  char servers6[DNS_SERVERS_LEN];   /* all, 16 bytes each */
};

static struct root *list;
static unsigned int count, room;

void roots_clear(void)
{
  free(list);
  list = NULL;
  count = room = 0;
}

static struct root *exact(const char *zone)
{
  unsigned int i;
  for (i = 0; i < count; ++i)
    if (dns_domain_equal(list[i].zone, zone)) return &list[i];
  return NULL;
}

static struct root *add(const char *zone)
{
  struct root *r = exact(zone);
  if (!r) {
    if (count == room) {
      unsigned int n = room ? 2 * room : 8;
      struct root *x = realloc(list, n * sizeof *x);
      if (!x) { errno = ENOMEM; return 0; }
      list = x;
      room = n;
    }
    r = &list[count++];
    dns_domain_copy(r->zone, zone);
    dns_domain_lower(r->zone);
  }
  return r;
}

int roots_add(const char *zone, const char servers[64])
{
  struct root *r = add(zone);
  unsigned int k;
  if (!r) return 0;
  memcpy(r->servers, servers, 64);
  memset(r->servers6, 0, sizeof r->servers6);
  for (k = 0; k < 16; ++k)
    ip6_from4((unsigned char *)r->servers6 + 16 * k, (const unsigned char *)servers + 4 * k);
  return 1;
}

int roots_add6(const char *zone, const char servers[DNS_SERVERS_LEN])
{
  struct root *r = add(zone);
  unsigned int k, n4 = 0;
  if (!r) return 0;
  memcpy(r->servers6, servers, DNS_SERVERS_LEN);
  memset(r->servers, 0, sizeof r->servers);
  for (k = 0; k < DNS_SERVERS; ++k) {
    const unsigned char *s = (const unsigned char *)servers + 16 * k;
    if (ip6_isv4mapped(s) && n4 < 16) memcpy(r->servers + 4 * n4++, s + 12, 4);
  }
  return 1;
}

/* nearest configured zone at or above q, or NULL */
static struct root *nearest(const char *q)
{
  const char *p = q;
  for (;;) {
    struct root *r = exact(p);
    if (r) return r;
    if (!*p) return NULL;
    p = dns_domain_parent(p);
  }
}

int roots(char servers[64], const char *q)
{
  struct root *r = nearest(q);
  if (!r) return 0;
  memcpy(servers, r->servers, 64);
  return 1;
}

int roots6(char servers[DNS_SERVERS_LEN], const char *q)
{
  struct root *r = nearest(q);
  if (!r) return 0;
  memcpy(servers, r->servers6, DNS_SERVERS_LEN);
  return 1;
}

int roots_servers6(char servers[DNS_SERVERS_LEN], const char *zone)
{
  struct root *r = exact(zone);
  if (!r) return 0;
  memcpy(servers, r->servers6, DNS_SERVERS_LEN);
  return 1;
}

int roots_exact(const char *q)
{
  return exact(q) != NULL;
}

int roots_servers(char servers[64], const char *zone)
{
  struct root *r = exact(zone);
  if (!r) return 0;
  memcpy(servers, r->servers, 64);
  return 1;
}

int roots_same(const char *d1, const char *d2)
{
  return nearest(d1) == nearest(d2);
}

/* Reads a whole small file; *len bytes at the returned buffer (malloced,
   NUL added).  NULL with errno. */
static char *slurp(const char *path, size_t *len)
{
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd == -1) return NULL;
  for (;;) {
    ssize_t r;
    if (cap - n < 1025) {
      char *x = realloc(buf, cap + 4096);
      if (!x) { free(buf); close(fd); errno = ENOMEM; return NULL; }
      buf = x;
      cap += 4096;
    }
    r = read(fd, buf + n, cap - n - 1);
    if (r == -1) {
      if (errno == EINTR) continue;
      int e = errno;
      free(buf); close(fd); errno = e; return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  *len = n;
  return buf;
}

static int readzone(const char *fname)
{
  char zone[DNS_NAME_MAX];
  char servers[DNS_SERVERS_LEN];
  char path[512];
  unsigned int k = 0, n4 = 0, n6 = 0;
  size_t len, i, flen = strlen(fname);
  char *text;

  if (!strcmp(fname, "@")) zone[0] = 0;
  else if (!dns_domain_fromdot(zone, fname, flen)) return 0;
  if (flen + 9 > sizeof path) { errno = ENAMETOOLONG; return 0; }
  memcpy(path, "servers/", 8);
  memcpy(path + 8, fname, flen + 1);
  text = slurp(path, &len);
  if (!text) return 0;
  memset(servers, 0, sizeof servers);
  /* each line: IPv4 as the original reads it (lenient), else IPv6 (no
     IPv6 text starts with a dotted quad; strict); anything else is
     ignored; the first 16 of each family are kept */
  for (i = 0; i < len && k < DNS_SERVERS; ) {
    size_t e = i;
    unsigned char ip4[4], *ip = (unsigned char *)servers + 16 * k;
    while (e < len && text[e] != '\n') ++e;
    text[e] = 0;   /* e <= len and buf has len+1 bytes */
    if (ip4_scan(text + i, ip4)) {
      if (n4 < 16) { ip6_from4(ip, ip4); ++n4; ++k; }
    } else {
      /* IPv6: the address, then the end of the line, a blank or '#' */
      size_t n = ip6_scan(text + i, ip);
      char c = text[i + n];
      if (n && (!c || c == ' ' || c == '\t' || c == '\r' || c == '#') && !ip6_isempty(ip)
          && n6 < 16) {
        ++n6;
        ++k;
      } else
        memset(ip, 0, 16);
    }
    i = e + 1;
  }
  free(text);
  return roots_add6(zone, servers);
}

int roots_init(void)
{
  DIR *dir;
  struct dirent *d;
  roots_clear();
  dir = opendir("servers");
  if (!dir) return 0;
  for (;;) {
    errno = 0;
    d = readdir(dir);
    if (!d) break;
    if (d->d_name[0] == '.') continue;
    if (!readzone(d->d_name)) { int e = errno; closedir(dir); errno = e; return 0; }
  }
  if (errno) { int e = errno; closedir(dir); errno = e; return 0; }
  closedir(dir);
  return 1;
}
