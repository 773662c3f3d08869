#ifndef OKCLIENT_H
#define OKCLIENT_H
#include <stdint.h>
/* Access control as the original: client a.b.c.d is allowed if any of
   ip/a.b.c.d, ip/a.b.c, ip/a.b, ip/a exists (file or directory), relative
   to the current directory (the chroot), the longest first; a stat error
   other than "does not exist" on the way counts as a refusal.

   The original calls stat() for every packet.  Here the entries of ip/
   are kept in memory: okclient_refresh(now) (monotonic ms; the daemon
   calls it once per loop pass) looks at the ip directory at most once a
   second and re-reads it when it changed (device, inode, mtime or ctime),
   or when it changed so recently that a further edit could carry the
   same timestamp.  So an edit applies within a second.  Until the first
   refresh, and whenever the table cannot stand for stat() (ip/ not
   readable, more than OKCLIENT_MAX entries, a symbolic link among the
   entries, whose target could change unseen), okclient() stat()s per
   call as the original. */
#define OKCLIENT_MAX 4096
void okclient_refresh(int64_t now_ms);
int okclient(const unsigned char ip[4]);   /* 1 allowed, 0 refused */
/* A 16-byte client (SPEC 4.1): IPv4-mapped is checked as okclient does;
   any other is allowed if ip/ holds its RFC 5952 compressed form
   (ip/::1, ip/2001:db8::53) or its first k groups of the full form, k = 7
   down to 1, each lower-case hex without leading zeros, joined by ':'
   (ip/2001:db8:0:0, ip/fd00); the longest first, as for IPv4. */
int okclient6(const unsigned char ip[16]);
#endif
