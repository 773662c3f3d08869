# tests/lib.sh: helpers for the integration suites (tests/t_*.sh).
# Source it with  . "$TOP/tests/lib.sh"  (tests/run exports TOP and B).
# Each suite runs in its own network namespace (tests/run), so the fixed
# 127.53.x.y addresses of the fakenet never collide between suites.
#
# Results:   pass NAME | fail NAME [detail] | skip NAME REASON |
#            is_sanitized | plain_only NAME REASON |
#            check NAME cmd... |
#            check_eq NAME expected actual | check_match NAME ERE actual |
#            finish (prints "# N passed, N failed"; status 1 on failure)
# Cleanup:   track PID (killed, then waited for, at exit/INT/TERM, even
#            when the suite fails); untrack_kill PID (kill one now);
#            TMP / $(tmpdir): the per-suite temp dir, removed at exit
# Waiting:   wait_udp IP PORT | wait_tcp IP PORT   (bounded, 5 s)
#            wait_dnscache IP (until it answers localhost, 5 s)
# dnscache:  make_cacheroot DIR ROOTS_FILE ;
#            start_dnscache BIN IP ROOTDIR LOGFILE [VAR=VALUE...]
#            (sets DNSCACHE_PID);  start_pair NAME OURIP ORIGIP [VAR=VALUE...]
#            (ours and the original side by side)
# Helpers:   relay FILE (a program's PASS/FAIL lines as results);
#            run_helper OUT CMD... (run one, relay it);
#            both_start DIR SECS ID [VAR=VALUE] PROG ARGS... (a tool, ours
#            and the original, in the background; adds ID to BOTH_IDS);
#            both_wait DIR (their exit codes);
#            compare_runs LABEL DIR ID [D10IDS] (ours vs the original);
#            no_sanitizer_report LOG
# Unbound:   unbound_start IP [CONF_LINE...] (from the fakenet's roots)
# Services:  sv_start DIR (supervise DIR | supervise DIR/log; sets SUP,
#            LOGSUP); svpid DIR; wait_up DIR [OLDPID] (sets UP);
#            sv_stop (svc -dx, by PID; also at exit)
# Fakenet:   fakenet_start   (see tests/fakenet/README; sets FAKENET,
#            FAKENET_ROOTS);  bad_count IP;  bad_start IP=MODE[@ZONE]...;
#            fq [--tcp] [--norec] [--timeout S] SERVER TYPE NAME
#            (one query, any rcode shown; tests/fakenet/q.py)

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
B=${B:-$TOP/build}
export TOP B
PATH=$PATH:/usr/sbin:/sbin

_lib_pids=""
_lib_tmp=""
_lib_npass=0
_lib_nfail=0
_lib_nskip=0

pass() {
  echo "PASS: $1"
  _lib_npass=$((_lib_npass + 1))
}

# fail NAME [detail...]: the detail lines are indented so tests/run does
# not count them.
fail() {
  _n=$1
  shift
  echo "FAIL: $_n"
  [ $# -gt 0 ] && printf '%s\n' "$*" | sed 's/^/    /'
  _lib_nfail=$((_lib_nfail + 1))
  return 0
}

# skip NAME REASON: a check that could not run.  Never a PASS: tests/run
# counts it apart, and under CI (CI=true) every skip fails the run.
skip() {
  echo "SKIP: $1 ($2)"
  _lib_nskip=$((_lib_nskip + 1))
}

# is_sanitized: $B is an AddressSanitizer build (make SANITIZE=1).
is_sanitized() {
  grep -q __asan_init "$B/dnscache" 2> /dev/null
}

# plain_only NAME REASON: true on a plain build.  On a sanitized one it
# prints "# plain build only: NAME (REASON)" and is false, and the caller
# leaves out the check NAME, which cannot run there: not a PASS and not a
# SKIP, since the plain build's run of the same suite makes it (.ci/run
# runs both); tests/run lists these lines again at the end.
plain_only() {
  is_sanitized || return 0
  echo "# plain build only: $1 ($2)"
  return 1
}

# check NAME cmd...: PASS if cmd exits 0 (its output is shown on failure).
check() {
  _n=$1
  shift
  if _o=$("$@" 2>&1); then
    pass "$_n"
  else
    fail "$_n" "command failed ($?): $*
$_o"
  fi
}

# check_eq NAME expected actual: exact comparison; a diff on failure.
check_eq() {
  if [ "$2" = "$3" ]; then
    pass "$1"
  else
    _d=$(lib_tmpdir)
    printf '%s\n' "$2" > "$_d/expected"
    printf '%s\n' "$3" > "$_d/actual"
    fail "$1" "$(diff -u "$_d/expected" "$_d/actual" | tail -n +3)"
  fi
}

# check_match NAME ERE actual: PASS if some line of actual matches ERE.
check_match() {
  if printf '%s\n' "$3" | grep -Eq -- "$2"; then
    pass "$1"
  else
    fail "$1" "no line matches /$2/ in:
$3"
  fi
}

# Summary line (not counted by tests/run); call at the end of a suite if
# you like.  The exit status is 1 when something failed.
finish() {
  echo "# $_lib_npass passed, $_lib_nfail failed, $_lib_nskip skipped"
  [ "$_lib_nfail" = 0 ]
}

track() {
  _lib_pids="$_lib_pids $1"
}

# Kill one tracked process now (and forget it).
untrack_kill() {
  kill "$1" 2>/dev/null
  _i=0
  while kill -0 "$1" 2>/dev/null && [ $_i -lt 20 ]; do
    sleep 0.1; _i=$((_i + 1))
  done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  _np=""
  for _p in $_lib_pids; do [ "$_p" = "$1" ] || _np="$_np $_p"; done
  _lib_pids=$_np
  return 0
}

_lib_cleanup() {
  sv_stop
  for _p in $_lib_pids; do kill "$_p" 2>/dev/null; done
  _i=0
  for _p in $_lib_pids; do
    while kill -0 "$_p" 2>/dev/null && [ $_i -lt 30 ]; do
      sleep 0.1; _i=$((_i + 1))
    done
    kill -9 "$_p" 2>/dev/null
    wait "$_p" 2>/dev/null
  done
  _lib_pids=""
  [ -n "$_lib_tmp" ] && rm -rf "$_lib_tmp"
  _lib_tmp=""
}
trap '_lib_cleanup' EXIT
trap '_lib_cleanup; exit 130' INT
trap '_lib_cleanup; exit 143' TERM

# The suite's temp dir, created on first use, removed at exit.  Use it
# as  D=$(tmpdir)  only after calling it once in the main shell (the
# $(...) subshell cannot record a new dir); lib.sh does that itself.
lib_tmpdir() {
  if [ -z "$_lib_tmp" ]; then
    _lib_tmp=$(mktemp -d /tmp/dnscache-t.XXXXXX)
    chmod 755 "$_lib_tmp"
  fi
  echo "$_lib_tmp"
}
tmpdir() { lib_tmpdir; }
lib_tmpdir > /dev/null
TMP=$_lib_tmp

# wait_udp IP PORT / wait_tcp IP PORT: wait (up to 5 s) until something
# listens there.  Returns 1 on timeout.
_lib_wait_sock() {
  _i=0
  while [ $_i -lt 100 ]; do
    if ss -Hln"$1" "src $2:$3" 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.05; _i=$((_i + 1))
  done
  echo "lib.sh: nothing listens on $2:$3 ($1)" >&2
  return 1
}
wait_udp() { _lib_wait_sock u "$1" "$2"; }
wait_tcp() { _lib_wait_sock t "$1" "$2"; }

# make_cacheroot DIR ROOTS_FILE: DIR/ip/127 (all of 127/8 may query) and
# DIR/servers/@ (a copy of ROOTS_FILE, one IP per line).
make_cacheroot() {
  mkdir -p "$1/ip" "$1/servers" || return 1
  : > "$1/ip/127"
  cp "$2" "$1/servers/@" || return 1
  chmod -R a+rX "$1"
}

# start_dnscache BIN IP ROOTDIR LOGFILE [VAR=VALUE...]: starts BIN
# (ours: $B/dnscache, or /usr/sbin/dnscache) with IP, IPSEND=0.0.0.0,
# CACHESIZE=1000000, ROOT=ROOTDIR, UID=0, GID=0, QUERYLOOPBACK=1 (the
# fakenet's servers are all on 127.x: README, SPEC 4.3; the original
# ignores it) (each overridable by the extra VAR=VALUE arguments; VAR=
# with an empty value unsets VAR), 128
# random bytes on stdin, stdout+stderr to LOGFILE.  Tracked.  Sets
# DNSCACHE_PID.  Waits until it answers "localhost" (5 s); returns 1 if
# it never does (e.g. it exited: see LOGFILE).
start_dnscache() {
  _bin=$1 _ip=$2 _root=$3 _log=$4
  shift 4
  # Keep VAR=VALUE arguments; turn "VAR=" into "-u VAR" for env.
  _unset=""
  _n=$#
  _i=0
  while [ $_i -lt $_n ]; do
    _a=$1
    shift
    case $_a in
      *=) _unset="$_unset -u ${_a%=}" ;;
      *) set -- "$@" "$_a" ;;
    esac
    _i=$((_i + 1))
  done
  _seed=$(mktemp "$(lib_tmpdir)/seed.XXXXXX")
  head -c 128 /dev/urandom > "$_seed"
  # shellcheck disable=SC2086
  env IP="$_ip" IPSEND=0.0.0.0 CACHESIZE=1000000 ROOT="$_root" \
    UID=0 GID=0 QUERYLOOPBACK=1 "$@" env $_unset "$_bin" < "$_seed" > "$_log" 2>&1 &
  DNSCACHE_PID=$!
  track $DNSCACHE_PID
  wait_dnscache "$_ip" || return 1
}

# start_pair NAME OURIP ORIGIP [VAR=VALUE...]: our cache ($B/dnscache)
# and the original (/usr/sbin/dnscache) on two addresses, each with its
# own root $TMP/NAME.ours / $TMP/NAME.orig (servers/@ = the fake roots,
# plus a servers/ZONE file for each "ZONE IP" line of $SERVERS_EXTRA) and
# log $TMP/NAME.ours.log / $TMP/NAME.orig.log.  Each sends from its own
# address (IPSEND) so the servers' logs tell them apart.  Sets
# PAIR_OURS_PID and PAIR_ORIG_PID.
start_pair() {
  sps_name=$1 sp_ours=$2 sp_orig=$3
  shift 3
  make_cacheroot "$TMP/$sps_name.ours" "$FAKENET_ROOTS"
  make_cacheroot "$TMP/$sps_name.orig" "$FAKENET_ROOTS"
  if [ -n "${SERVERS_EXTRA:-}" ]; then
    for sp_r in "$TMP/$sps_name.ours" "$TMP/$sps_name.orig"; do
      printf '%s\n' "$SERVERS_EXTRA" | while read -r sp_z sp_ip; do echo "$sp_ip" > "$sp_r/servers/$sp_z"; done
    done
  fi
  start_dnscache "$B/dnscache" "$sp_ours" "$TMP/$sps_name.ours" "$TMP/$sps_name.ours.log" IPSEND="$sp_ours" "$@" \
    || { fail "$sps_name: our dnscache starts" "$(cat "$TMP/$sps_name.ours.log")"; return 1; }
  PAIR_OURS_PID=$DNSCACHE_PID
  start_dnscache /usr/sbin/dnscache "$sp_orig" "$TMP/$sps_name.orig" "$TMP/$sps_name.orig.log" IPSEND="$sp_orig" "$@" \
    || { fail "$sps_name: original dnscache starts" "$(cat "$TMP/$sps_name.orig.log")"; return 1; }
  PAIR_ORIG_PID=$DNSCACHE_PID
}

# sv_start DIR: a daemontools service as the README sets it up:
# supervise DIR, its output piped into supervise DIR/log through a fifo
# (so both pids are known: SUP and LOGSUP, tracked); the stderr of
# supervise DIR in $TMP/supervise.err.  svpid DIR: the pid svstat reports
# up, or nothing.  wait_up DIR [OLDPID]: until DIR is up with a pid other
# than OLDPID, 10 s at most; sets UP to it (empty on timeout).  sv_stop:
# svc -dx both, waits (5 s) for both supervise to exit, then kill -9 on
# every pid wait_up reported, in case one outlived them; run at exit.
_lib_sv_dir=""
_lib_sv_seen=""
sv_start() {
  _lib_sv_dir=$1
  rm -f "$TMP/logpipe"
  mkfifo "$TMP/logpipe"
  env - PATH="$PATH" supervise "$1/log" < "$TMP/logpipe" > /dev/null 2>&1 &
  LOGSUP=$!
  track $LOGSUP
  env - PATH="$PATH" supervise "$1" > "$TMP/logpipe" 2> "$TMP/supervise.err" &
  SUP=$!
  track $SUP
}
svpid() {
  svstat "$1" 2> /dev/null | sed -n 's/.*: up (pid \([0-9]*\)).*/\1/p'
}
wait_up() {
  UP=""
  _i=0
  while [ $_i -lt 100 ]; do
    _p=$(svpid "$1")
    if [ -n "$_p" ] && [ "$_p" != "$2" ]; then
      UP=$_p
      _lib_sv_seen="$_lib_sv_seen $_p"
      return 0
    fi
    sleep 0.1; _i=$((_i + 1))
  done
  return 1
}
sv_stop() {
  [ -n "$_lib_sv_dir" ] || return 0
  svc -dx "$_lib_sv_dir" "$_lib_sv_dir/log" 2> /dev/null
  _i=0
  for _p in $SUP $LOGSUP; do
    while kill -0 "$_p" 2> /dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
  done
  for _p in $_lib_sv_seen; do kill -9 "$_p" 2> /dev/null; done
  _lib_sv_dir=""
  _lib_sv_seen=""
}

# both_start DIR SECS ID [VAR=VALUE] PROG ARGS...: runs $B/PROG and
# $ORIG/PROG (default /usr/bin) in the background, each under timeout
# SECS and tracked, with stdout and stderr to DIR/ID.ours.{out,err} and
# DIR/ID.orig.{out,err}; appends ID to BOTH_IDS.  both_wait DIR: waits
# for every one started so far (each is bounded by its own timeout) and
# writes its exit code to DIR/ID.SIDE.rc, as compare_runs reads them.
BOTH_IDS=""
both_start() {
  _d=$1 _secs=$2 _id=$3
  shift 3
  _env=""
  case $1 in *=*) _env=$1; shift ;; esac
  _prog=$1
  shift
  for _side in ours orig; do
    [ $_side = ours ] && _dir=$B || _dir=${ORIG:-/usr/bin}
    # shellcheck disable=SC2086
    env $_env timeout "$_secs" "$_dir/$_prog" "$@" > "$_d/$_id.$_side.out" 2> "$_d/$_id.$_side.err" &
    track $!
    echo "$! $_id $_side" >> "$_d/pids"
  done
  BOTH_IDS="$BOTH_IDS $_id"
}
both_wait() {
  while read -r _p _id _side; do
    wait "$_p"
    echo $? > "$1/$_id.$_side.rc"
  done < "$1/pids"
}

# compare_runs LABEL DIR ID [D10IDS]: one PASS/FAIL for the case ID whose
# runs left DIR/ID.ours.{out,err,rc} and DIR/ID.orig.{out,err,rc}: the
# same bytes, or (ID among the words of D10IDS) what the suite's own
# decision10 ID says of README decision 10 (a UDP reply over 512 bytes).
compare_runs() {
  _l=$1 _d=$2 _id=$3
  case " ${4:-} " in
    *" $_id "*)
      if decision10 "$_id"; then
        pass "$_l: $_id (Decision 10: >512-byte UDP reply accepted; original: timed out)"
      else
        fail "$_l: $_id (Decision 10)" "$(cat "$_d/$_id.orig.out" "$_d/$_id.ours.out" | head -5)"
      fi
      return ;;
  esac
  if cmp -s "$_d/$_id.ours.out" "$_d/$_id.orig.out" && cmp -s "$_d/$_id.ours.err" "$_d/$_id.orig.err" &&
     cmp -s "$_d/$_id.ours.rc" "$_d/$_id.orig.rc"; then
    pass "$_l: $_id ($(cat "$_d/$_id.orig.out" "$_d/$_id.orig.err" | tail -n 1 | tr -c '[:print:]' ' ' | cut -c1-60))"
  else
    fail "$_l: $_id" "rc orig $(cat "$_d/$_id.orig.rc") ours $(cat "$_d/$_id.ours.rc")
$(diff "$_d/$_id.orig.out" "$_d/$_id.ours.out")
$(diff "$_d/$_id.orig.err" "$_d/$_id.ours.err")"
  fi
}

# relay FILE: a helper program's "PASS: x" / "FAIL: x" lines become this
# suite's results; every other line (details, notes, figures) is shown.
relay() {
  while IFS= read -r _line; do
    case $_line in
      "PASS: "*) pass "${_line#PASS: }" ;;
      "FAIL: "*) fail "${_line#FAIL: }" ;;
      *) printf '%s\n' "$_line" ;;
    esac
  done < "$1"
}

# run_helper OUT CMD...: runs a helper program (tracked: killed by PID if
# the suite ends first) with stdout and stderr to OUT, relays its results,
# and fails unless it got as far as its "# figure:" line.
run_helper() {
  _out=$1
  shift
  "$@" > "$_out" 2>&1 &
  _hp=$!
  track $_hp
  wait $_hp
  _rc=$?
  untrack_kill $_hp
  relay "$_out"
  grep -q '^# figure: ' "$_out" || fail "$(basename "$2") ran to the end (status $_rc)"
}

# unbound_start IP [CONF_LINE...]: Unbound on IP, iterating from the
# fakenet's roots as plainly as it goes (one thread, iterator module
# only, no qname minimisation, test. not a local zone, max-udp-size
# 1232), in $TMP/unbound (its log in log, its output in out); each
# CONF_LINE ("name: value") goes under server: as well.  Tracked.
# Returns 1 if it does not listen within 5 s.
unbound_start() {
  _u=$TMP/unbound _uip=$1
  shift
  mkdir -p "$_u"
  printf '. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A %s\n' \
    "$(head -n 1 "$FAKENET_ROOTS")" > "$_u/hints"
  {
    cat <<CONF
server:
  interface: $_uip
  do-not-query-localhost: no
  chroot: ""
  username: ""
  directory: "$_u"
  pidfile: "$_u/pid"
  use-syslog: no
  logfile: "$_u/log"
  module-config: "iterator"
  qname-minimisation: no
  root-hints: "$_u/hints"
  local-zone: "test." nodefault
  num-threads: 1
  max-udp-size: 1232
CONF
    for _l in "$@"; do echo "  $_l"; done
  } > "$_u/unbound.conf"
  unbound -d -c "$_u/unbound.conf" > "$_u/out" 2>&1 &
  track $!
  wait_udp "$_uip" 53
}

# no_sanitizer_report LOG: under SANITIZE=1 an ASan/UBSan report lands in
# the daemon's log (UBSan carries on); there must be none.
no_sanitizer_report() {
  check_eq "no sanitizer report in $(basename "$1")" "" \
    "$(grep -E -A5 'AddressSanitizer|runtime error:|LeakSanitizer' "$1")"
}

# wait_dnscache IP: until the cache on IP answers localhost (30 s at
# most: a sanitized daemon beside other heavy work starts slowly, and the
# whole wait is spent only on a failure).
wait_dnscache() {
  _i=0
  _end=$(( $(date +%s) + 30 ))
  while [ $_i -lt 100 ] && [ "$(date +%s)" -le $_end ]; do
    if [ -n "$DNSCACHE_PID" ] && ! kill -0 "$DNSCACHE_PID" 2>/dev/null; then
      echo "lib.sh: dnscache on $1 exited" >&2
      return 1
    fi
    if DNSCACHEIP=$1 timeout 0.3 dnsqr a localhost 2>/dev/null | grep -q '^answer: localhost'; then
      return 0
    fi
    _i=$((_i + 1))
    sleep 0.1
  done
  echo "lib.sh: dnscache on $1 does not answer" >&2
  return 1
}

# The fakenet: see tests/fakenet/README.  Sets FAKENET (its directory,
# holding ROOTS (the fake root list), per-server dirs with logs, and the
# badserver's counter dir FAKENET/count).
. "$TOP/tests/fakenet/start"
