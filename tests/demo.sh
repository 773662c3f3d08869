#!/bin/sh
# tests/demo.sh (run by `make demo`): our dnscache at work on the fakenet,
# the simulated internet of tests/fakenet/README, with no real network.
# In a private network namespace (it re-runs itself under `unshare -n` if
# it sees any interface but lo) it starts the fake root, TLD and zone
# servers and $B/dnscache on 127.0.0.1, asks each name twice with our
# client tools and prints both wall times, the queries the fake servers
# received, and the cache's own log; then stops every process it started,
# by PID.  Exit 0 when every step worked.  tests/t_demo.sh checks it.
# DEMO_DNSCACHE=/usr/sbin/dnscache runs another daemon (the tools stay ours).
# Needs tinydns, axfrdns (package tinydns), tcpserver (ucspi-tcp) and
# python3-dnspython for the fakenet.

if ip -o link show 2>/dev/null | grep -vq ': lo:' && [ -z "$DEMO_NS" ]; then
  if [ "$(id -u)" = 0 ]; then ns="unshare -n"; else ns="unshare -rn"; fi
  DEMO_NS=1 exec $ns sh -c 'ip link set lo up && exec sh "$0"' "$0"
fi

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export TOP
. "$TOP/tests/lib.sh"
PATH=$B:$PATH   # our tools, also for lib.sh's wait_dnscache
export DNSCACHEIP=127.0.0.1 DNSREWRITEFILE=/dev/null
unset LOCALDOMAIN

problems=0
problem() { echo "demo: PROBLEM: $*"; problems=$((problems + 1)); }

for p in dnscache dnsqr dnsip dnsname dnsmx; do
  [ -x "$B/$p" ] || { echo "demo: $B/$p is missing: run make first" >&2; exit 111; }
done
for p in tinydns tinydns-data axfrdns tcpserver; do
  command -v $p > /dev/null || {
    echo "demo: $p is missing: apt-get install tinydns ucspi-tcp python3-dnspython" >&2
    exit 111
  }
done

fakenet_start || { echo "demo: the fakenet did not start" >&2; exit 111; }
# A zone whose server answers 0.3 s late (a distant or busy server).
bad_start 127.53.9.101=slow:0.3@x1.bad.test || exit 111
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
LOG=$TMP/log
DAEMON=${DEMO_DNSCACHE:-$B/dnscache}   # t_demo.sh also runs the original
start_dnscache "$DAEMON" 127.0.0.1 "$TMP/root" "$LOG" ||
  { cat "$LOG"; echo "demo: dnscache did not start" >&2; exit 111; }

echo "=== dnscache demo: a fake internet on loopback in a private network namespace"
echo "fake servers: roots 127.53.0.1-2, test. 127.53.1.1-2, ... (tinydns); x1.bad.test: 0.3 s away"
echo "dnscache: $DAEMON on 127.0.0.1, pid $DNSCACHE_PID; servers/@: the fake roots"

# Queries the fake servers have received so far (tinydns logs one line
# per query; the badserver counts its own).
upstream() {
  cat "$FAKENET"/127.53.*/log "$FAKENET"/count/*.log 2>/dev/null |
    grep -Ec '^[0-9a-f]{8}:|^(udp|tcp) '
}
now() { date +%s%N; }
ms() { _t=$((($2 - $1) / 100000)); echo "$((_t / 10)).$((_t % 10)) ms"; }

# New log lines since line $1, once the last reply's line is written.
newlog() {
  _i=0
  while [ $_i -lt 40 ]; do
    tail -n +"$(($1 + 1))" "$LOG" | tail -n 1 | grep -Eq '^(sent|tcpclose) ' && break
    sleep 0.05; _i=$((_i + 1))
  done
  tail -n +"$(($1 + 1))" "$LOG"
}
loglines() { wc -l < "$LOG"; }

# lookup TYPE NAME NOTE: dnsqr twice; shows the answer (in full the first
# time, else its answer lines), both times and the servers' query counts.
nlookup=0
lookup() {
  nlookup=$((nlookup + 1))
  printf '$ dnsqr %s %s%s\n' "$1" "$2" "${3:+    # $3}"
  l0=$(loglines) u0=$(upstream) t0=$(now)
  out1=$(dnsqr "$1" "$2" 2>&1) || problem "dnsqr $1 $2 failed: $out1"
  t1=$(now)
  u1=$(upstream) l1=$(loglines) t2=$(now)
  out2=$(dnsqr "$1" "$2" 2>&1) || problem "dnsqr $1 $2 (again) failed: $out2"
  t3=$(now) u2=$(upstream)
  if [ $nlookup = 1 ]; then
    printf '%s\n' "$out1"
  else
    n=$(printf '%s\n' "$out1" | grep -c '^answer: ')
    # the answers; if none or many, the summary line, 1 answer, a count
    m=3
    [ "$n" -gt 3 ] && m=1
    [ "$n" = 0 ] || [ "$n" -gt 3 ] && printf '%s\n' "$out1" | sed -n 2p
    printf '%s\n' "$out1" | grep '^answer: ' | head -n $m | cut -c 1-76
    [ "$n" -gt 3 ] && echo "... $((n - 1)) more answers"
  fi
  newlog "$l0" > /dev/null
  cl=$(newlog "$l1" | grep -m 1 '^cached ')
  tx=$(newlog "$l1" | grep -c '^tx ')
  [ -n "$cl" ] && [ "$tx" = 0 ] && [ $((u2 - u1)) = 0 ] ||
    problem "second $1 $2 not answered from the cache"
  [ "$(printf '%s\n' "$out1" | sed 1d | grep -v '^answer:')" = \
    "$(printf '%s\n' "$out2" | sed 1d | grep -v '^answer:')" ] ||
    problem "second $1 $2 answer differs"
  c1="$((u1 - u0)) upstream queries"
  [ $((u1 - u0)) = 1 ] && c1="1 upstream query"
  c2="$((u2 - u1)) upstream queries"
  [ $((u2 - u1)) = 0 ] && c2="none: $cl"
  echo "  cold $(ms "$t0" "$t1") ($c1), again $(ms "$t2" "$t3") ($c2)"
}

echo "(times include starting dnsqr; a fake server answers in 0.1 ms: count the queries)"
lookup a www.sub.test "A; referrals . -> test. -> sub.test."
lookup a xcname.test "CNAME chain across zones: test. -> sub.test -> test."
lookup mx mx.test "MX"
mxlog=$l0
lookup a nx.test "NXDOMAIN, cached for the zone's negative TTL"
lookup txt bigtxt.test "1013 bytes: TC over UDP, so fetched and served over TCP"
tcplog=$(newlog "$l1" | grep -Ec '^tcp(open|close) ')
[ "$tcplog" -ge 2 ] || problem "bigtxt.test did not come over TCP"
lookup a www.x1.bad.test "its server answers after 0.3 s"

for c in "dnsip www.sub.test a.test www.example" "dnsname 192.0.2.1" "dnsmx mx.test"; do
  echo "\$ $c"
  # shellcheck disable=SC2086
  $c || problem "$c failed"
done

echo "--- dnscache's log for the two mx.test lookups:"
newlog "$mxlog" | awk '/^query /{q++} q>2{exit} {print}'
grep -m 1 '^stats ' "$LOG" > /dev/null || problem "no stats line in the log"

# Stop everything by PID: the cache, then each fakenet process.
untrack_kill "$DNSCACHE_PID"
pids=$_lib_pids n=0
for p in $pids; do untrack_kill "$p"; n=$((n + 1)); done
left=0
for p in $DNSCACHE_PID $pids; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
if [ $problems = 0 ]; then r="demo OK"; else r="demo: $problems problems"; fi
echo "=== stopped dnscache (pid $DNSCACHE_PID) and $n fakenet processes, $left left; $r"
[ $problems = 0 ] && [ $left = 0 ]
