#!/bin/sh
# ./setup (the README's first command) in a temporary root: PREFIX,
# ETC_DIR, SERVICE_DIR, BUILD_DIR and the svscan log all live in a temp
# dir, and the whole run happens in a private mount namespace with an
# overlay over /etc, so the accounts it creates (dnscachetest, dnslogtest)
# never reach the host's /etc/passwd.  The build starts from a copy of $B
# (unless $B is a sanitizer build), so only what PREFIX changes
# (dnscache-conf) is recompiled.
# Checked: it succeeds, creates the users, the tree (run starting
# PREFIX/bin/dnscache), the link, starts svscan, the service is up and
# answers; a second run changes nothing (same pids) and succeeds.
if [ -z "$T_SETUP_INNER" ]; then
  T_SETUP_INNER=1 exec unshare -m sh "$0" "$@"
fi
. "$TOP/tests/lib.sh"

T=$TMP
# setup builds as a sysadmin would: a plain build, whatever make (e.g.
# `make SANITIZE=1 test`, whose MAKEFLAGS reach us) this suite runs under;
# an ASan daemon cannot start under dnscache-conf's softlimit.
unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE
S=$T/service E=$T/etc/dnscache P=$T/prefix
export PREFIX=$P ETC_DIR=$E SERVICE_DIR=$S BUILD_DIR=$T/build \
  SVSCAN_LOG=$T/svscan.log DNSCACHE_USER=dnscachetest DNSLOG_USER=dnslogtest \
  NO_APT=1 NO_SYSTEMD=1 WAIT=20

mkdir "$T/ov" && mount -t tmpfs tmpfs "$T/ov" && mkdir "$T/ov/u" "$T/ov/w" &&
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/ov/u,workdir=$T/ov/w" /etc ||
  { fail "overlay over /etc in a private mount namespace"; exit 1; }
# a sanitizer build cannot start under conf's DATALIMIT: then build plainly
unset SANITIZE
mkdir "$T/build" || exit 1
# (not build/sanitize, the other flavour's dir when B is build/)
if ! grep -qa __asan_init "$B/dnscache-conf"; then
  (cd "$B" && tar cf - --exclude=./sanitize .) | (cd "$T/build" && tar xf -) ||
    { fail "copy of \$B"; exit 1; }
fi

# the services' processes: stopped through daemontools, then by pid
# (one find over /proc, not a fork per process: on a busy machine /proc
# holds thousands, and the cleanup below asks up to 50 times)
# svscan_pid DIR: the svscan working in DIR
svscan_pid() {
  for _d in $(find /proc/[0-9]*/cwd -maxdepth 0 -lname "$1" 2> /dev/null); do
    _d=${_d%/cwd}
    read -r _c < "$_d/comm" 2> /dev/null || continue
    [ "$_c" = svscan ] || continue
    echo "${_d#/proc/}"
    return 0
  done
  return 1
}
# procs_in_T: every process working inside $T (svscan, supervise, multilog,
# dnscache: its chroot is $T/etc/...), i.e. everything setup started
procs_in_T() {
  find /proc/[0-9]*/cwd -maxdepth 0 -lname "$T/*" 2> /dev/null |
    sed 's|^/proc/\([0-9]*\)/cwd$|\1|'
}
setup_cleanup() {
  for _s in "$S/dnscache" "$T/service2/dnscache2"; do
    [ -d "$_s" ] && svc -dx "$_s" "$_s/log" 2> /dev/null
  done
  for _s in "$S" "$T/service2"; do
    _sp=$(svscan_pid "$_s") && kill "$_sp"
  done
  _i=0
  while [ $_i -lt 50 ] && [ -n "$(procs_in_T)" ]; do sleep 0.1; _i=$((_i + 1)); done
  for _p in $(procs_in_T); do kill -9 "$_p" 2> /dev/null; done
  umount -l /etc 2> /dev/null
  umount -l "$T/ov" 2> /dev/null
}
trap 'setup_cleanup; _lib_cleanup' EXIT
trap 'setup_cleanup; _lib_cleanup; exit 130' INT
trap 'setup_cleanup; _lib_cleanup; exit 143' TERM

check "no dnscachetest account to begin with" sh -c '! getent passwd dnscachetest'

sh "$TOP/setup" > "$T/setup1.out" 2>&1
rc=$?
SEEN=$(svstat "$S/dnscache" 2> /dev/null | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
check_eq "setup exits 0" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/    /' "$T/setup1.out"
check_match "setup says done" '^setup: done: dnscache answers on 127\.0\.0\.1' "$(cat "$T/setup1.out")"
check "installed PREFIX/bin/dnscache and dnscache-conf" test -x "$P/bin/dnscache" -a -x "$P/bin/dnscache-conf"
check "user dnscachetest created (home /dev/null, shell /bin/false)" \
  sh -c 'getent passwd dnscachetest | grep -q ":/dev/null:/bin/false\$"'
check "user dnslogtest created" sh -c 'getent passwd dnslogtest > /dev/null'
check_match "run starts PREFIX/bin/dnscache as dnscachetest" \
  "exec envuidgid dnscachetest softlimit -o250 -d \"\\\$DATALIMIT\" $P/bin/dnscache\$" "$(cat "$E/run" 2>&1)"
check_eq "env/IP" 127.0.0.1 "$(cat "$E/env/IP" 2>&1)"
check "root/ip/127.0.0.1 exists" test -f "$E/root/ip/127.0.0.1"
check_eq "SERVICE_DIR/dnscache links to ETC_DIR" "$E" "$(readlink "$S/dnscache")"
SV=$(svscan_pid "$S")
check "svscan runs on SERVICE_DIR" test -n "$SV"
check_match "svstat: up" ': up \(pid [0-9]+\) [0-9]+ seconds$' "$(svstat "$S/dnscache")"
check_match "svstat log: up" ': up \(pid [0-9]+\) [0-9]+ seconds$' "$(svstat "$S/dnscache/log")"
check_eq "dnsip localhost through it" "127.0.0.1 " "$(DNSCACHEIP=127.0.0.1 timeout 5 dnsip localhost 2>&1)"
check_match "log has starting" '^@4000[0-9a-f]{20} starting$' "$(cat "$E/log/main/current" 2>&1)"

# idempotent: nothing recreated, nothing restarted
echo marker > "$E/env/MARKER"
sh "$TOP/setup" > "$T/setup2.out" 2>&1
rc=$?
check_eq "second setup exits 0" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/    /' "$T/setup2.out"
check_match "second setup keeps ETC_DIR" 'exists: keeping it' "$(cat "$T/setup2.out")"
check_match "second setup finds svscan running" "svscan already runs on $S \\(pid $SV\\)" "$(cat "$T/setup2.out")"
check "second setup: no user created" sh -c "! grep -q 'creating user' '$T/setup2.out'"
check "second setup: ETC_DIR untouched" test -f "$E/env/MARKER"
check_eq "second setup: same dnscache pid" "$SEEN" \
  "$(svstat "$S/dnscache" 2> /dev/null | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')"
check_eq "second setup: one svscan" "$SV" "$(svscan_pid "$S")"

# refuses a foreign ETC_DIR
mkdir "$T/other"
ETC_DIR=$T/other sh "$TOP/setup" > "$T/setup3.out" 2>&1
rc=$?
check_eq "setup refuses an ETC_DIR that is not a service dir (111)" "111 setup: fatal: $T/other exists but is not a dnscache service directory" \
  "$rc $(tail -n 1 "$T/setup3.out")"

# a second cache on the same address cannot come up: setup says why
ETC_DIR=$T/etc/dnscache2 SERVICE_DIR=$T/service2 WAIT=3 sh "$TOP/setup" > "$T/setup4.out" 2>&1
rc=$?
check_eq "address in use: setup exits 111" 111 "$rc"
check_match "address in use: setup shows the log" \
  '^setup: log: @4000[0-9a-f]{20} dnscache: fatal: unable to bind TCP socket: address already used$' "$(cat "$T/setup4.out")"
check_match "address in use: setup says it is not up" "^setup: fatal: $T/service2/dnscache2 is not up after 3 seconds" "$(cat "$T/setup4.out")"
check_match "the first cache is untouched" ': up \(pid '"$SEEN"'\) ' "$(svstat "$S/dnscache")"
finish
