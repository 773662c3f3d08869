#ifndef DROPROOT_H
#define DROPROOT_H
/* Confines the process as $ROOT, $GID and $UID say, in this order:
   chdir($ROOT) and chroot("."); setgroups(1, [$GID]) and setgid($GID);
   setuid($UID).  $GID and $UID are read like scan_ulong (non-numeric text
   counts as 0).  Any failure is fatal: "prog: fatal: <why>", exit 111. */
void droproot(const char *prog);
#endif
