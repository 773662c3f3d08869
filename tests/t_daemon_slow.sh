#!/bin/sh
# t_daemon_slow.sh: the job tables and timers, ours ($B/dnscache on
# 127.0.0.3) next to the original (127.0.0.2): TCP idle timeout (10 s),
# drop-oldest of the 200 UDP jobs and of the 20 TCP connections, junk that
# must not evict real queries (decision 15: differs from the original on
# purpose), a TCP client that never reads, a burst of 1,000 queries.
# Upstream is a "black hole" on 127.53.0.1 that takes queries and never
# answers, so resolutions stay in flight.
. "$TOP/tests/lib.sh"

. "$TOP/tests/daemon_pair.sh"

$PY blackhole 127.53.0.1 300 > "$TMP/blackhole.out" 2>&1 &
track $!
wait_udp 127.53.0.1 53

for who in o n; do
  mkdir -p "$TMP/$who/ip" "$TMP/$who/servers"
  : > "$TMP/$who/ip/127.0.0.1"
  echo 127.53.0.1 > "$TMP/$who/servers/@"
done

# pair NAME: IPSEND is 127.0.0.4 so that the daemons' outgoing sockets
# never take a port the clients bind on 127.0.0.1.
pair() { pair_start "$1" IPSEND=127.0.0.4; }

# lines LOG: the client-facing lines (query, sent, drop, tcpopen, tcpclose)
lines() { grep -E '^(query|sent|drop|tcpopen|tcpclose) ' "$1"; }

# --- the 10 s idle timeout: nothing sent, or half a query
pair idle
$PY idle $OIP 25001 > "$TMP/idle1.o" &
p1=$!
$PY idle $NIP 25001 > "$TMP/idle1.n" &
p2=$!
$PY idle $OIP 25002 5 > "$TMP/idle2.o" &
p3=$!
$PY idle $NIP 25002 5 > "$TMP/idle2.n" &
p4=$!
track $p1; track $p2; track $p3; track $p4
wait $p1 $p2 $p3 $p4
# then more than 20 connections: the oldest goes ("timed out")
$PY tcpfill $OIP 21 25100 1 > "$TMP/fill.o" &
p5=$!
$PY tcpfill $NIP 21 25100 1 > "$TMP/fill.n"
wait $p5
check_eq "idle: closed after 10 s, as the original" "$(cat "$TMP/idle1.o")" "$(cat "$TMP/idle1.n")"
check_eq "idle: closed after 10 s" "idle eof 10" "$(cat "$TMP/idle1.n")"
check_eq "idle: half a query, closed after 10 s" "idle eof 10" "$(cat "$TMP/idle2.n")"
check_eq "tcp table: 20 of 21 stay open, as the original" "$(cat "$TMP/fill.o")" "$(cat "$TMP/fill.n")"
unpair
check_match "idle: tcpclose temporary failure" '^tcpclose 7f000001:61a9 temporary failure$' "$(cat "$TMP/idle.n.log")"
check_match "idle: half query: tcpclose temporary failure" '^tcpclose 7f000001:61aa temporary failure$' "$(cat "$TMP/idle.n.log")"
check_match "tcp table: the oldest connection timed out" '^tcpclose 7f000001:620c timed out$' "$(cat "$TMP/idle.n.log")"
check_eq "tcp table: only the oldest timed out" 1 "$(grep -c 'timed out' "$TMP/idle.n.log")"
check_eq "idle: log lines as the original" "$(lines "$TMP/idle.o.log" | sort)" "$(lines "$TMP/idle.n.log" | sort)"

# --- 200 UDP jobs in flight; more queries drop the oldest
pair udp
$PY flood $OIP 'n#.test' 200 30000 > /dev/null
$PY flood $NIP 'n#.test' 200 30000 > /dev/null
sleep 0.5
$PY query $OIP localhost a 29999 > /dev/null
check_match "udp table full: localhost still answered" '^len=43 ' "$($PY query $NIP localhost a 29999)"
$PY flood $OIP 'm#.test' 5 31000 > /dev/null
$PY flood $NIP 'm#.test' 5 31000 > /dev/null
sleep 0.5
check_eq "udp table full: drops the oldest" "drop 1 timed out
drop 2 timed out
drop 3 timed out
drop 4 timed out
drop 5 timed out" "$(grep '^drop ' "$TMP/udp.n.log")"
check_eq "udp table full: as the original" "$(lines "$TMP/udp.o.log")" "$(lines "$TMP/udp.n.log")"

# decision 15: junk and refused packets never evict a query in flight
# (the original drops its oldest job for the first of them)
$PY junk $OIP 150 127.9.9.9 > /dev/null
$PY junk $NIP 150 127.9.9.9 > /dev/null
$PY junk $OIP 150 127.0.0.1 > /dev/null
$PY junk $NIP 150 127.0.0.1 > /dev/null
sleep 1
check_eq "decision 15: 300 junk packets evict nothing" 5 "$(grep -c '^drop ' "$TMP/udp.n.log")"
check_eq "decision 15: (the original evicted one query for junk)" 6 "$(grep -c '^drop ' "$TMP/udp.o.log")"
check_eq "decision 15: no log line for junk" 206 "$(grep -c '^query ' "$TMP/udp.n.log")"
$PY flood $OIP 'k#.test' 1 32000 > /dev/null
$PY flood $NIP 'k#.test' 1 32000 > /dev/null
sleep 0.3
check_eq "decision 15: a real query still evicts the oldest" "drop 6 timed out" "$(grep '^drop ' "$TMP/udp.n.log" | tail -n 1)"
check_eq "decision 15: (the original had a free slot)" 6 "$(grep -c '^drop ' "$TMP/udp.o.log")"

# a TCP connection whose query is in flight, then 20 more: it is dropped
$PY tcpquery $OIP 26000 t.test > /dev/null &
p1=$!
$PY tcpquery $NIP 26000 t.test > /dev/null &
p2=$!
track $p1; track $p2
sleep 0.5
$PY tcpfill $OIP 20 26100 0.5 > /dev/null &
p3=$!
$PY tcpfill $NIP 20 26100 0.5 > /dev/null
wait $p3
wait $p1 $p2
unpair
check_match "tcp table: a query in flight is dropped" "^drop 208 timed out$" "$(cat "$TMP/udp.n.log")"
check_match "tcp table: then tcpclose broken pipe" '^tcpclose 7f000001:6590 broken pipe$' "$(cat "$TMP/udp.n.log")"
check_eq "tcp table: as the original" \
  "$(lines "$TMP/udp.o.log" | grep -E '(^drop 20[89]|6590)')" \
  "$(lines "$TMP/udp.n.log" | grep -E '(^drop 20[89]|6590)')"

# --- a TCP client that never reads must not stall anything
pair slow
$PY tcpslow $NIP 27000 1.2.3.4 > "$TMP/slow.out" &
p1=$!
track $p1
sleep 0.5
_ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  case $($PY query $NIP localhost a $((27100 + i)) 0.5) in len=43*) _ok=$((_ok + 1)) ;; esac
done
check_eq "slow reader: UDP answered meanwhile" 10 "$_ok"
wait $p1
_i=0
while ! grep -q '^tcpclose 7f000001:6978 ' "$TMP/slow.n.log" && [ $_i -lt 150 ]; do sleep 0.1; _i=$((_i + 1)); done
check_match "slow reader: closed after 10 s" '^tcpclose 7f000001:6978 ' "$(cat "$TMP/slow.n.log")"

# --- a burst of 1,000 queries from as many ports; memory stays bounded
rss() { grep VmRSS "/proc/$1/status" | tr -dc 0-9; }
r0=$(rss $NPID)
_o=$($PY burst $OIP 1000)
_n=$($PY burst $NIP 1000)
r1=$(rss $NPID)
echo "# burst: original ${_o#replies }, ours ${_n#replies } replies; our RSS $r0 -> $r1 kB"
check "burst: at least 950 of 1000 answered" test "${_n#replies }" -ge 950
check "burst: RSS grew by less than 2 MB" test $((r1 - r0)) -lt 2048
check_match "burst: still answering" '^len=43 ' "$($PY query $NIP localhost a 27999)"
unpair

[ -n "$KEEP" ] && cp "$TMP"/*.log "$KEEP"/
finish
