#!/bin/sh
# t_daemon_limits.sh: $MAXUDP, $MAXTCP and $REUSEPORT (SPEC 4.3, issue 15).
# Behaviour, not speed: with MAXUDP=5 the 6th query waiting at once on a
# silent server evicts the oldest (drop N timed out), and MAXUDP=400 holds
# 300 such queries where the default 200 drops 100; MAXTCP=2: the 3rd
# connection evicts the oldest; REUSEPORT lets two caches bind one
# address and both answer; bad values are fatal before anything is bound.
. "$TOP/tests/lib.sh"

OURS=$B/dnscache
[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }
fakenet_start || { fail "fakenet"; exit 1; }
PY=${PYTHON:-python3}

# slow NIP N [FIRST]: N queries at once, from one socket, for distinct names
# under silent.bad.test (a server that never answers); waits 0.5 s and exits.
slow() {
  $PY - "$1" "$2" "${3:-0}" <<'PYEOF'
import socket, struct, sys, time
ip, n, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    name = b''.join(bytes([len(l)]) + l for l in [b'q%d' % (first + i), b'silent', b'bad', b'test']) + b'\0'
    s.sendto(struct.pack('>HHHHHH', 0x100 + i, 0x0100, 1, 0, 0, 0) + name + b'\0\1\0\1', (ip, 53))
    time.sleep(0.02)
time.sleep(0.5)
PYEOF
}

# log_until FILE ERE: wait (10 s at most) until FILE has a line matching ERE
log_until() {
  _i=0
  while [ $_i -lt 100 ] && ! grep -Eq "$2" "$1"; do sleep 0.1; _i=$((_i + 1)); done
}

# --- bad values: fatal, with the message, before anything is bound
for v in 0 abc 100001 5x -1 ""; do
  out=$(env -i IP=127.0.0.77 MAXUDP="$v" "$OURS" < /dev/null 2>&1); rc=$?
  check_eq "MAXUDP='$v' is fatal (111)" "111 dnscache: fatal: \$MAXUDP must be a number from 1 to 100000, not $v" "$rc $out"
done
for v in 0 10001 x; do
  out=$(env -i IP=127.0.0.77 MAXTCP="$v" "$OURS" < /dev/null 2>&1); rc=$?
  check_eq "MAXTCP='$v' is fatal (111)" "111 dnscache: fatal: \$MAXTCP must be a number from 1 to 10000, not $v" "$rc $out"
done
out=$(env -i IP=127.0.0.77 MAXUDP=0 "$OURS" < /dev/null > /dev/null 2>&1 & sleep 0.3; ss -Hlnu 'sport = :53' | grep -c 127.0.0.77)
check_eq "a bad MAXUDP binds nothing" 0 "$out"
out=$(env -i MAXUDP=0 "$OURS" < /dev/null 2>&1); rc=$?
check_eq "\$IP is still checked first" "111 dnscache: fatal: \$IP not set" "$rc $out"

# --- MAXUDP=5: the 6th waiting query evicts the oldest
make_cacheroot "$TMP/r5" "$FAKENET_ROOTS"
start_dnscache "$OURS" 127.0.0.5 "$TMP/r5" "$TMP/u5.log" MAXUDP=5 || fail "MAXUDP=5: starts" "$(cat "$TMP/u5.log")"
DNSCACHEIP=127.0.0.5 timeout 10 "$B/dnsqr" a a.test > /dev/null 2>&1   # test.'s servers cached
slow 127.0.0.5 5 0
log_until "$TMP/u5.log" '^tx 0 1 q4\.silent\.bad\.test\. '
check_eq "MAXUDP=5: 5 waiting queries, nothing dropped" "" "$(grep '^drop ' "$TMP/u5.log")"
first=$(sed -n 's/^query \([0-9]*\) .* q0\.silent\.bad\.test\.$/\1/p' "$TMP/u5.log")
slow 127.0.0.5 1 5
log_until "$TMP/u5.log" '^drop '
check_eq "MAXUDP=5: the 6th evicts the oldest (query $first)" "drop $first timed out" "$(grep '^drop ' "$TMP/u5.log")"
check_match "MAXUDP=5: the 6th is being resolved" '^tx 0 1 q5\.silent\.bad\.test\. ' "$(cat "$TMP/u5.log")"

# --- 300 waiting queries: the default (200) drops 100, MAXUDP=400 none
make_cacheroot "$TMP/rd" "$FAKENET_ROOTS"
make_cacheroot "$TMP/r4" "$FAKENET_ROOTS"
start_dnscache "$OURS" 127.0.0.6 "$TMP/rd" "$TMP/ud.log" || fail "default: starts" "$(cat "$TMP/ud.log")"
start_dnscache "$OURS" 127.0.0.7 "$TMP/r4" "$TMP/u4.log" MAXUDP=400 || fail "MAXUDP=400: starts" "$(cat "$TMP/u4.log")"
for ip in 127.0.0.6 127.0.0.7; do DNSCACHEIP=$ip timeout 10 "$B/dnsqr" a a.test > /dev/null 2>&1; done
slow 127.0.0.6 300 1000 & p1=$!
slow 127.0.0.7 300 1000 & p2=$!
wait $p1 $p2
sleep 1
check_eq "default MAXUDP (200): 100 of 300 waiting queries dropped" 100 "$(grep -c '^drop [0-9]* timed out$' "$TMP/ud.log")"
check_eq "MAXUDP=400: none of 300 dropped" 0 "$(grep -c '^drop ' "$TMP/u4.log")"
check_eq "MAXUDP=400: all 300 sent upstream" 300 "$(sed -n 's/^tx 0 1 \(q[0-9]*\)\.silent\.bad\.test\. .*/\1/p' "$TMP/u4.log" | sort -u | wc -l)"
# the receive buffer: 1.05's 128 KB (the kernel shows it doubled) up to
# MAXUDP 200, more above it (the kernel caps it at rmem_max, at least 208 KB)
rb() { ss -Hlnum "src $1 and sport = :53" | sed -n 's/.*skmem:([^)]*rb\([0-9]*\).*/\1/p' | head -n 1; }
check_eq "default MAXUDP: UDP receive buffer 128 KB (as 1.05)" 262144 "$(rb 127.0.0.6)"
rb4=$(rb 127.0.0.7)
check "MAXUDP=400: a larger UDP receive buffer (rb $rb4)" [ "${rb4:-0}" -gt 262144 ]

# --- MAXTCP=2: the 3rd connection evicts the oldest
make_cacheroot "$TMP/rt" "$FAKENET_ROOTS"
start_dnscache "$OURS" 127.0.0.8 "$TMP/rt" "$TMP/t2.log" MAXTCP=2 || fail "MAXTCP=2: starts" "$(cat "$TMP/t2.log")"
$PY - > "$TMP/tcp.out" 2>&1 <<'PYEOF'
import socket, time
c = []
for i in range(3):
    s = socket.create_connection(('127.0.0.8', 53), timeout=5)
    c.append(s)
    print('port', s.getsockname()[1])
    time.sleep(0.3)
s = c[0]
s.settimeout(3)
try:
    print('first', 'closed' if s.recv(10) == b'' else 'data')
except Exception as e:
    print('first', type(e).__name__)
PYEOF
p1=$(printf '%04x' "$(sed -n 's/^port //p' "$TMP/tcp.out" | head -n 1)")
check_match "MAXTCP=2: the oldest connection closed by the 3rd" "^tcpclose 7f000001:$p1 timed out$" "$(cat "$TMP/t2.log")"
check_eq "MAXTCP=2: its client sees the close" "first closed" "$(grep '^first' "$TMP/tcp.out")"
check_eq "MAXTCP=2: 3 connections opened, one evicted" "3 1" "$(grep -c '^tcpopen' "$TMP/t2.log") $(grep -c '^tcpclose .* timed out$' "$TMP/t2.log")"

# --- REUSEPORT: two caches on one address; without it the second fails
make_cacheroot "$TMP/ra" "$FAKENET_ROOTS"
make_cacheroot "$TMP/rb" "$FAKENET_ROOTS"
start_dnscache "$OURS" 127.0.0.9 "$TMP/ra" "$TMP/ra.log" REUSEPORT=1 || fail "REUSEPORT: the first starts" "$(cat "$TMP/ra.log")"
start_dnscache "$OURS" 127.0.0.9 "$TMP/rb" "$TMP/rb.log" REUSEPORT=1 || fail "REUSEPORT: the second starts" "$(cat "$TMP/rb.log")"
# (both answer localhost already; ss may lag a little on a loaded machine)
i=0
while [ $i -lt 50 ] && [ "$(ss -Hlnu 'sport = :53' | grep -c '127\.0\.0\.9:53')" != 2 ]; do sleep 0.1; i=$((i + 1)); done
check_eq "REUSEPORT: two listen on 127.0.0.9:53 (UDP)" 2 "$(ss -Hlnu 'sport = :53' | grep -c '127\.0\.0\.9:53')"
check_eq "REUSEPORT: two listen on 127.0.0.9:53 (TCP)" 2 "$(ss -Hlnt 'sport = :53' | grep -c '127\.0\.0\.9:53')"
# 40 clients (source ports): the kernel spreads them over both
i=0 ps=""
while [ $i -lt 40 ]; do
  DNSCACHEIP=127.0.0.9 timeout 10 "$B/dnsqr" a a.test > /dev/null 2>&1 &
  ps="$ps $!"
  i=$((i + 1))
done
# shellcheck disable=SC2086
wait $ps
# the log lines are written when each daemon next waits: allow it 5 s
i=0
while [ $i -lt 50 ]; do
  na=$(grep -c '^query .* a\.test\.$' "$TMP/ra.log"); nb=$(grep -c '^query .* a\.test\.$' "$TMP/rb.log")
  [ $((na + nb)) -ge 40 ] && break
  sleep 0.1; i=$((i + 1))
done
check_eq "REUSEPORT: 40 queries answered between them" 40 $((na + nb))
check "REUSEPORT: both answered some ($na and $nb)" test "$na" -gt 0 -a "$nb" -gt 0
out=$(env -i IP=127.0.0.9 "$OURS" < /dev/null 2>&1); rc=$?
# (UDP/53 binds, as with 1.05: SO_REUSEADDR; TCP/53 does not)
check_eq "without REUSEPORT a third cannot bind" "111 dnscache: fatal: unable to bind TCP socket: address already used" "$rc $out"
for f in u5 ud u4 t2 ra rb; do no_sanitizer_report "$TMP/$f.log"; done
finish
