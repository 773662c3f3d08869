# tests/daemon_pair.sh: the original and our daemon side by side, for the
# t_daemon*.sh suites whose client (tests/t_daemon.py, run as $PY) uses
# fixed source ports and IDs so that replies and logs compare byte for
# byte.  Source it after lib.sh.  The original (ORIG, /usr/sbin/dnscache)
# listens on OIP 127.0.0.2 with root $TMP/o, ours (OURS, $B/dnscache) on
# NIP 127.0.0.3 with root $TMP/n; the suite makes the roots.
#   start BIN IP ROOT LOG [VAR=VALUE...]: one daemon in a clean
#     environment (env -i: IP, IPSEND=0.0.0.0, CACHESIZE=1000000, ROOT,
#     UID=0, GID=0, QUERYLOOPBACK=1, then VAR=VALUE), 128 random bytes on
#     stdin, tracked; waits until it listens on UDP and TCP; sets
#     STARTED_PID.
#   pair_start NAME [VAR=VALUE...]: both, logs $TMP/NAME.o.log and
#     $TMP/NAME.n.log; sets OPID and NPID.
#   unpair: stops both by PID (after 0.2 s for their last log lines).

# shellcheck disable=SC2034  # PY: used by the suites
PY="$PYTHON $TOP/tests/t_daemon.py"
ORIG=/usr/sbin/dnscache
OURS=$B/dnscache
OIP=127.0.0.2
NIP=127.0.0.3
[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }

start() {
  _bin=$1 _ip=$2 _root=$3 _log=$4
  shift 4
  head -c 128 /dev/urandom > "$TMP/seed.$_ip"
  env -i IP="$_ip" IPSEND=0.0.0.0 CACHESIZE=1000000 ROOT="$_root" UID=0 GID=0 QUERYLOOPBACK=1 "$@" \
    "$_bin" < "$TMP/seed.$_ip" > "$_log" 2>&1 &
  STARTED_PID=$!
  track $STARTED_PID
  wait_udp "$_ip" 53 && wait_tcp "$_ip" 53
}

pair_start() {
  _p=$1
  shift
  start "$ORIG" $OIP "$TMP/o" "$TMP/$_p.o.log" "$@" || fail "$_p: original starts"
  OPID=$STARTED_PID
  start "$OURS" $NIP "$TMP/n" "$TMP/$_p.n.log" "$@" || fail "$_p: ours starts"
  NPID=$STARTED_PID
}

unpair() {
  sleep 0.2
  untrack_kill "$OPID"
  untrack_kill "$NPID"
}
