#!/bin/sh
# dnscache-conf: ours ($B/dnscache-conf) against Debian's
# (/usr/sbin/dnscache-conf) run side by side into temporary directories.
# Compared: messages and exit codes of every error case, and the created
# trees (paths, types, modes, owners, sizes, contents), modulo the
# deliberate differences (SPEC Decisions 11, 13, 14): the dnscache path in
# run, env/DATALIMIT, the root list when no /etc/dnsroots.* exists, the
# seed's bytes, and a failed run leaving nothing behind.  /etc is never
# touched: the root list cases run in a private mount namespace with an
# overlay over /etc.
# Accounts: nobody (65534:65534) and daemon (1:1), present on Debian.

B=${B:-$(pwd)/build}
OURS=$B/dnscache-conf
ORIG=/usr/sbin/dnscache-conf
passed=0 failed=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

T=$(mktemp -d /tmp/t_conf.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT INT TERM

if [ ! -x "$OURS" ]; then fail "no $OURS"; exit 1; fi
if [ ! -x "$ORIG" ]; then fail "no $ORIG (package djbdns-conf)"; exit 1; fi
# Some cases run it as nobody, who may not reach the build directory (a
# checkout under a mode-700 directory, as mktemp -d makes): run a copy.
cp "$OURS" "$T/dnscache-conf"
OURS=$T/dnscache-conf

# The install home compiled into ours (make writes it to prefix.stamp).
HOME_DIR=/usr/local
[ -f "$B/prefix.stamp" ] && HOME_DIR=$(cat "$B/prefix.stamp")

# run PROG ARGS...: stdout+stderr in $T/out, exit code in $rc
run() { "$@" > "$T/out" 2>&1; rc=$?; }

# runsub DIR PROG ARGS...: run with every %D in ARGS replaced by DIR, then
# the output in $T/err with DIR written as X.
runsub() {
  d=$1; shift
  for a; do shift; set -- "$@" "$(printf '%s' "$a" | sed "s#%D#$d#g")"; done
  run "$@"
  sed "s#$d#X#g" "$T/out" > "$T/err"
}

# same_error NAME ARGS...: both programs (with %D in ARGS standing for
# their own scratch directory) print the same text and exit the same.
same_error() {
  name=$1; shift
  runsub "$T/o" "$ORIG" "$@"; orc=$rc; mv "$T/err" "$T/o.err"
  runsub "$T/n" "$OURS" "$@"; nrc=$rc; mv "$T/err" "$T/n.err"
  if [ "$orc" = "$nrc" ] && cmp -s "$T/o.err" "$T/n.err"; then
    pass "$name: exit $nrc, $(cat "$T/n.err")"
  else
    fail "$name: original exit $orc '$(cat "$T/o.err")', ours exit $nrc '$(cat "$T/n.err")'"
  fi
}

mkdir "$T/o" "$T/n"
USAGE='dnscache-conf: usage: dnscache-conf acct logacct /dnscache [ myip ]'

# --- usage and early errors
same_error "no arguments"
same_error "one argument" nobody
same_error "two arguments" nobody daemon
same_error "relative D" nobody daemon rel/dir
same_error "relative D with ip" nobody daemon dir 1.2.3.4
same_error "empty D" nobody daemon ""
run "$OURS"
check "usage text exact and exit 100" test "$rc" = 100 -a "$(cat "$T/out")" = "$USAGE"
check "relative D creates nothing" test ! -e rel/dir -a ! -e dir
same_error "unknown logacct" nobody nosuchuser-t-conf %D/u1
check "unknown logacct creates nothing" test ! -e "$T/n/u1"
run "$OURS" nobody nosuchuser-t-conf "$T/n/u1"
check "unknown logacct message" test "$rc" = 111 -a \
  "$(cat "$T/out")" = "dnscache-conf: fatal: unknown account nosuchuser-t-conf"
same_error "parent missing" nobody daemon %D/missing/d
mkdir "$T/o/exists" "$T/n/exists"
echo keep > "$T/n/exists/file"; echo keep > "$T/o/exists/file"
same_error "existing D" nobody daemon %D/exists
check "existing D left alone" test "$(ls "$T/n/exists")" = file -a "$(cat "$T/n/exists/file")" = keep
same_error "D is /" nobody daemon /

# --- the tree
# listing DIR: one line per entry: path type mode user group size
listing() { (cd "$1" && find . -printf '%p %y %m %u %g %s\n' | LC_ALL=C sort); }

# compare_tree NAME ODIR NDIR: everything equal but run's size and
# dnscache path, env/ROOT's directory and the seed's bytes.
compare_tree() {
  name=$1 od=$2 nd=$3
  listing "$od" | sed '/^\.\/run /s/ [0-9]*$//' > "$T/ol"
  listing "$nd" | sed '/^\.\/run /s/ [0-9]*$//' > "$T/nl"
  if cmp -s "$T/ol" "$T/nl"; then pass "$name: same paths, types, modes, owners, sizes"
  else fail "$name: listings differ: $(diff "$T/ol" "$T/nl" | tr '\n' ' ')"; fi
  bad=
  for f in log/run log/status env/IP env/IPSEND env/CACHESIZE root/ip/127.0.0.1 root/servers/@; do
    cmp -s "$od/$f" "$nd/$f" || bad="$bad $f"
  done
  [ -z "$bad" ] && pass "$name: same contents of log/run log/status env/IP env/IPSEND env/CACHESIZE root/ip/127.0.0.1 root/servers/@" \
    || fail "$name: contents differ:$bad"
  check "$name: env/ROOT is D/root" test "$(cat "$nd/env/ROOT")" = "$nd/root" -a "$(cat "$od/env/ROOT")" = "$od/root"
  sed "s#/usr/sbin/dnscache\$#$HOME_DIR/bin/dnscache#" "$od/run" > "$T/orun"
  check "$name: run as the original's, starting $HOME_DIR/bin/dnscache" cmp -s "$T/orun" "$nd/run"
  check "$name: env/DATALIMIT is 8000000 (Decision 14; Debian's is 4000000)" test "$(cat "$nd/env/DATALIMIT")" = 8000000 -a "$(cat "$od/env/DATALIMIT")" = 4000000
  check "$name: seed is 128 bytes, 0600, root" test "$(stat -c '%s %a %U' "$nd/seed")" = "128 600 root"
  check "$name: seed differs from the original's run" sh -c "! cmp -s '$od/seed' '$nd/seed'"
}

run "$ORIG" nobody daemon "$T/o/d1"; orc=$rc
run "$OURS" nobody daemon "$T/n/d1"
check "default ip: both succeed silently" test "$orc" = 0 -a "$rc" = 0 -a ! -s "$T/out"
compare_tree "default ip" "$T/o/d1" "$T/n/d1"
check "default ip: env/IP is 127.0.0.1" test "$(cat "$T/n/d1/env/IP")" = 127.0.0.1
check "log/main and log/status owned by daemon:daemon" \
  test "$(stat -c '%U:%G' "$T/n/d1/log/main" "$T/n/d1/log/status" | tr '\n' ' ')" = "daemon:daemon daemon:daemon "
check "D is drwxr-sr-t (3755)" test "$(stat -c '%A' "$T/n/d1")" = drwxr-sr-t
check "log/run text" test "$(cat "$T/n/d1/log/run")" = "#!/bin/sh
exec setuidgid daemon multilog t ./main"

run "$ORIG" daemon nobody "$T/o/d2" 10.1.2.3; orc=$rc
run "$OURS" daemon nobody "$T/n/d2" 10.1.2.3
check "ip given: both succeed" test "$orc" = 0 -a "$rc" = 0
compare_tree "ip 10.1.2.3, logacct nobody" "$T/o/d2" "$T/n/d2"
check "ip given: env/IP is 10.1.2.3, root/ip/127.0.0.1 still made" \
  test "$(cat "$T/n/d2/env/IP")" = 10.1.2.3 -a -f "$T/n/d2/root/ip/127.0.0.1" -a ! -e "$T/n/d2/root/ip/10.1.2.3"
check "seeds of two runs differ" sh -c "! cmp -s '$T/n/d1/seed' '$T/n/d2/seed'"

run "$ORIG" nobody daemon "$T/o/d3/" "" extra args; orc=$rc
run "$OURS" nobody daemon "$T/n/d3/" "" extra args
check "trailing slash, empty ip, extra arguments: both succeed" test "$orc" = 0 -a "$rc" = 0
compare_tree "trailing slash, empty ip" "$T/o/d3/" "$T/n/d3/"
check "trailing slash kept in env/ROOT as the original" test "$(cat "$T/n/d3/env/ROOT")" = "$T/n/d3//root"

run "$ORIG" "" daemon "$T/o/d4"; orc=$rc
run "$OURS" "" daemon "$T/n/d4"
check "empty acct accepted as the original" test "$orc" = 0 -a "$rc" = 0
check "empty acct: run as the original's" sh -c "sed 's#/usr/sbin/dnscache\$#$HOME_DIR/bin/dnscache#' '$T/o/d4/run' | cmp -s - '$T/n/d4/run'"

# --- failures after mkdir: same message; ours leaves nothing behind
# out of disk space on a tiny tmpfs
unshare -m sh -c '
  mount -t tmpfs -o size=12k tmpfs "$1/o" && mount -t tmpfs -o size=12k tmpfs "$1/n" || exit 1
  "$2" nobody daemon "$1/o/d" > "$1/o.out" 2>&1; echo $? >> "$1/o.out"
  "$3" nobody daemon "$1/n/d" > "$1/n.out" 2>&1; echo $? >> "$1/n.out"
  ls -A "$1/n" > "$1/n.ls"; ls -A "$1/o" > "$1/o.ls"
' sh "$T" "$ORIG" "$OURS"
sed "s#$T/o/#X/#" "$T/o.out" > "$T/o.err"; sed "s#$T/n/#X/#" "$T/n.out" > "$T/n.err"
check "disk full: same message and exit ($(head -n 1 "$T/n.err"))" cmp -s "$T/o.err" "$T/n.err"
check "disk full: the original leaves D, ours removes it" test "$(cat "$T/o.ls")" = d -a ! -s "$T/n.ls"

# not root: chown of log/main fails
chmod 1777 "$T/o" "$T/n"
run su nobody -s /bin/sh -c "'$ORIG' nobody daemon '$T/o/nr'"; orc=$rc; sed "s#$T/o/#X/#" "$T/out" > "$T/o.err"
run su nobody -s /bin/sh -c "'$OURS' nobody daemon '$T/n/nr'"; sed "s#$T/n/#X/#" "$T/out" > "$T/n.err"
check "not root: same message and exit ($(cat "$T/n.err"))" test "$orc" = "$rc" -a "$(cat "$T/o.err")" = "$(cat "$T/n.err")"
check "not root: ours leaves nothing" test ! -e "$T/n/nr"
run "$OURS" nobody daemon "$T/n/nr"
check "not root: after the failure the same D can be made" test "$rc" = 0 -a -f "$T/n/nr/seed"

# --- root list sources, in a private mount namespace: overlay over /etc
BUILTIN='198.41.0.4
170.247.170.2
192.33.4.12
199.7.91.13
192.203.230.10
192.5.5.241
192.112.36.4
198.97.190.53
192.36.148.17
192.58.128.30
193.0.14.129
199.7.83.42
202.12.27.33'
mkdir "$T/ov"
unshare -m sh -c '
  T=$1 ORIG=$2 OURS=$3
  mount -t tmpfs tmpfs "$T/ov" && mkdir "$T/ov/u" "$T/ov/w" &&
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/ov/u,workdir=$T/ov/w" /etc || { echo overlay-failed > "$T/ns.fail"; exit 1; }
  both() { "$ORIG" nobody daemon "$T/o/$1" > "$T/o/$1.out" 2>&1; echo $? >> "$T/o/$1.out"
           "$OURS" nobody daemon "$T/n/$1" > "$T/n/$1.out" 2>&1; echo $? >> "$T/n/$1.out"; }
  printf "127.53.0.1\n127.53.0.2\n" > /etc/dnsroots.local
  printf "127.53.9.9\n" > /etc/dnsroots.global
  both local
  rm /etc/dnsroots.local
  both global
  rm /etc/dnsroots.global
  both none
  mkdir /etc/dnsroots.local
  both localdir
  rmdir /etc/dnsroots.local
  mkdir /etc/dnsroots.global
  both globaldir
  rmdir /etc/dnsroots.global
  echo 127.53.0.3 > /etc/dnsroots.local; chmod 600 /etc/dnsroots.local
  chmod 1777 "$T/o" "$T/n"
  su nobody -s /bin/sh -c "\"$ORIG\" nobody daemon \"$T/o/unreadable\"" > "$T/o/unreadable.out" 2>&1; echo $? >> "$T/o/unreadable.out"
  su nobody -s /bin/sh -c "\"$OURS\" nobody daemon \"$T/n/unreadable\"" > "$T/n/unreadable.out" 2>&1; echo $? >> "$T/n/unreadable.out"
' sh "$T" "$ORIG" "$OURS"
if [ -e "$T/ns.fail" ]; then
  fail "could not mount an overlay over /etc in a private namespace"
else
  check "/etc untouched by the namespace cases" test ! -e /etc/dnsroots.local
  check "dnsroots.local preferred: both copy it" test "$(cat "$T/o/local/root/servers/@")" = "127.53.0.1
127.53.0.2" -a "$(cat "$T/n/local/root/servers/@")" = "127.53.0.1
127.53.0.2"
  check "only dnsroots.global: both copy it" test "$(cat "$T/o/global/root/servers/@")" = 127.53.9.9 -a \
    "$(cat "$T/n/global/root/servers/@")" = 127.53.9.9
  check "neither file: the original fails" test "$(cat "$T/o/none.out")" = "dnscache-conf: fatal: unable to open /etc/dnsroots.global: file does not exist
111" -a ! -e "$T/o/none"
  check "neither file: ours succeeds with the built-in IANA list" test "$(cat "$T/n/none.out")" = 0 -a \
    "$(cat "$T/n/none/root/servers/@")" = "$BUILTIN"
  check "neither file: root/servers/@ 0644 root" test "$(stat -c '%a %U' "$T/n/none/root/servers/@")" = "644 root"
  for c in localdir globaldir; do
    sed "s#$T/o/#X/#" "$T/o/$c.out" > "$T/o.err"; sed "s#$T/n/#X/#" "$T/n/$c.out" > "$T/n.err"
    check "$c: same message and exit ($(head -n 1 "$T/n.err"))" cmp -s "$T/o.err" "$T/n.err"
    check "$c: ours leaves nothing" test ! -e "$T/n/$c"
  done
  check "unreadable dnsroots.local: same message and exit ($(head -n 1 "$T/n/unreadable.out"))" \
    test "$(cat "$T/o/unreadable.out")" = "$(cat "$T/n/unreadable.out")"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
