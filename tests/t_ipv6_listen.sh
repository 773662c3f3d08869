#!/bin/sh
# t_ipv6_listen.sh: one dnscache listening on IPv4 and IPv6 at once
# (SPEC 4.1: IP=127.0.0.1/::1): UDP and TCP on each address, every
# socket feeding the one cache; IPv6 clients checked against ip/ by the
# names of SPEC 4.1, edits applied live; log lines with 32-digit IPv6
# addresses and IPv4 exactly as before; malformed $IP elements fatal.
# Upstream is the IPv6 world's IPv4 side (tests/fakenet6).
. "$TOP/tests/lib.sh"
. "$TOP/tests/fakenet6/start"

why=$(fakenet6_can)
if [ -n "$why" ]; then
  skip "dnscache on IPv6" "$why"
  finish
  exit
fi
command -v dig > /dev/null 2>&1 || { skip "dnscache on IPv6" "no dig (apt-get install bind9-dnsutils)"; finish; exit; }
fakenet6_start || { fail "the IPv6 world starts"; finish; exit; }

R=$TMP/root
mkdir -p "$R/ip" "$R/servers"
: > "$R/ip/127"
: > "$R/ip/::1"
cp "$FAKENET6_ROOTS4" "$R/servers/@"
LOG=$TMP/log
start_dnscache "$B/dnscache" 127.0.0.1/::1 "$R" "$LOG" ||
  { fail "dnscache with IP=127.0.0.1/::1 starts" "$(cat "$LOG")"; finish; exit; }
pass "dnscache with IP=127.0.0.1/::1 starts"

d() { dig +time=3 +tries=2 "$@" 2>&1; }
ans() { dig +time=3 +tries=2 +short "$@" 2>&1 | sort | tr '\n' ' '; }

check_eq "UDP over ::1: an IPv4-only chain" "192.0.2.64 " "$(ans @::1 www.v4only.test A)"
check_eq "UDP over 127.0.0.1: the same" "192.0.2.64 " "$(ans @127.0.0.1 www.v4only.test A)"
check_eq "UDP over ::1: dual-stack chain, AAAA" "2001:db8::63 " "$(ans @::1 www.dual.test AAAA)"
check_eq "TCP over ::1" "192.0.2.63 " "$(ans +tcp @::1 www.dual.test A)"
check_eq "TCP over 127.0.0.1" "192.0.2.63 " "$(ans +tcp @127.0.0.1 www.dual.test A)"
check_eq "one cache: asked once upstream for www.dual.test A" "1" \
  "$(grep -c '^tx 0 1 www.dual.test. ' "$LOG")"
check_eq "localhost over ::1" "127.0.0.1 " "$(ans @::1 localhost A)"
# the local names of SPEC 4.1, over both families
check_eq "localhost AAAA over ::1" "::1 " "$(ans @::1 localhost AAAA)"
check_eq "localhost AAAA over 127.0.0.1" "::1 " "$(ans @127.0.0.1 localhost AAAA)"
check_eq "localhost ANY: the A alone, as 1.05" "127.0.0.1 " "$(ans @127.0.0.1 localhost ANY)"
check_eq "PTR of ::1 (dig -x ::1)" "localhost. " "$(ans @::1 -x ::1)"
check_match "PTR of ::1: TTL 655360, no query upstream" \
  '^1(\.0){31}\.ip6\.arpa\.[[:space:]]+655360[[:space:]]+IN[[:space:]]+PTR[[:space:]]+localhost\.$' \
  "$(dig +time=3 +tries=2 +noall +answer @127.0.0.1 -x ::1 2>&1)"
check_eq "no tx line for the local names" "" "$(grep -E '^tx 0 (28|12|255) (localhost|1\.0\.0)' "$LOG")"

# log lines: IPv6 clients 32 digits, IPv4 ones 8, as before
check_match "log: query from ::1" '^query [0-9]+ 00000000000000000000000000000001:[0-9a-f]{4}:[0-9a-f]{4} 1 www\.v4only\.test\.$' \
  "$(grep '^query .* www.v4only.test.$' "$LOG")"
check_match "log: query from 127.0.0.1" '^query [0-9]+ 7f000001:[0-9a-f]{4}:[0-9a-f]{4} 1 www\.v4only\.test\.$' \
  "$(grep '^query .* www.v4only.test.$' "$LOG")"
check_match "log: tcpopen/tcpclose from ::1" '^tcpclose 00000000000000000000000000000001:[0-9a-f]{4} ' \
  "$(grep '^tcp' "$LOG")"
check_match "log: tcpopen from ::1" '^tcpopen 00000000000000000000000000000001:[0-9a-f]{4}$' \
  "$(grep '^tcpopen' "$LOG")"

# EDNS0 (SPEC 4.2) on the IPv6 socket as on the IPv4 one
check_match "EDNS over ::1: the reply has an OPT of 1232" 'udp: 1232' "$(d +edns=0 +bufsize=4096 @::1 www.dual.test A)"
check_match "EDNS version 1 over ::1: BADVERS" 'status: BADVERS' "$(d +edns=1 +noednsnegotiation @::1 www.dual.test A)"
check_match "EDNS over TCP on ::1" 'udp: 1232' "$(d +tcp +edns=0 @::1 www.dual.test A)"
check_eq "no EDNS over ::1: no OPT" "" "$(d +noedns @::1 www.dual.test A | grep 'OPT PSEUDOSECTION')"

# the batched hit path with both families in one pass: 400 cached
# queries sent without waiting, interleaved over ::1 and 127.0.0.1 from
# two sockets each; every one answered, on its own family, with its ID
batch() {
  $PYTHON - <<'PYEOF'
import socket, struct, time, select
q = b'\x03www\x04dual\x04test\x00' + struct.pack('>HH', 1, 1)
socks = []
for fam, ip in ((socket.AF_INET6, '::1'), (socket.AF_INET, '127.0.0.1')) * 2:
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.connect((ip, 53))
    s.setblocking(False)
    socks.append(s)
want = {}
for i in range(400):
    s = socks[i % 4]
    want[i] = s
    s.send(struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + q)
bad = 0
deadline = time.time() + 15
while want and time.time() < deadline:
    r, _, _ = select.select(socks, [], [], 1.0)
    for s in r:
        while True:
            try: p = s.recv(2048)
            except BlockingIOError: break
            qid = struct.unpack('>H', p[:2])[0]
            if want.get(qid) is s and p[3] & 15 == 0 and struct.unpack('>H', p[6:8])[0] >= 1:
                del want[qid]
            else:
                bad += 1
print(400 - len(want), bad)
PYEOF
}
check_eq "400 hits over ::1 and 127.0.0.1 at once: all answered, none wrong" "400 0" "$(batch)"

# ip/ for IPv6 clients, live
noreply() { dig +time=1 +tries=1 "$@" 2>&1 | grep -q 'timed out\|no servers could be reached'; }
waitfor() {   # waitfor reply|noreply DIG-ARGS...: up to about 10 s
  _w=$1; shift
  _i=0
  while [ $_i -lt 10 ]; do
    if [ "$_w" = noreply ]; then noreply "$@" && return 0
    else noreply "$@" || return 0; fi
    _i=$((_i + 1))
    sleep 0.5   # an answer comes at once: give the ip/ edit time to apply
  done
  return 1
}
check "fd00:53::1 (no ip/ entry) gets no reply" noreply -b fd00:53::1 @::1 localhost
: > "$R/ip/fd00"
check "ip/fd00 added: fd00:53::1 answered (within seconds)" waitfor reply -b fd00:53::1 @::1 localhost
rm "$R/ip/fd00"
: > "$R/ip/fd00:53:0:0:0:0:0"
check "ip/fd00:53:0:0:0:0:0 (seven groups) lets it in" waitfor reply -b fd00:53::1 @::1 localhost
rm "$R/ip/fd00:53:0:0:0:0:0"
: > "$R/ip/FD00:53::1"
check "ip/FD00:53::1 (not RFC 5952) does not" waitfor noreply -b fd00:53::1 @::1 localhost
rm "$R/ip/FD00:53::1"
: > "$R/ip/fd00:53::1"
check "ip/fd00:53::1 does" waitfor reply -b fd00:53::1 @::1 localhost
rm "$R/ip/::1"
check "ip/::1 removed: ::1 refused" waitfor noreply @::1 localhost
check "127.0.0.1 still answered" waitfor reply @127.0.0.1 localhost
untrack_kill "$DNSCACHE_PID"
: > "$R/ip/::1"

# $REUSEPORT: every listening socket, IPv6 too, so a second cache shares
# the whole list; without it the second cannot bind
start_dnscache "$B/dnscache" 127.0.0.1/::1 "$R" "$TMP/rp1.log" REUSEPORT=1 ||
  fail "REUSEPORT: the first cache on 127.0.0.1/::1 starts" "$(cat "$TMP/rp1.log")"
RP1=$DNSCACHE_PID
if start_dnscache "$B/dnscache" 127.0.0.1/::1 "$R" "$TMP/rp2.log" REUSEPORT=1; then
  pass "REUSEPORT: a second cache on 127.0.0.1/::1 starts beside it"
  untrack_kill "$DNSCACHE_PID"
else
  fail "REUSEPORT: a second cache on 127.0.0.1/::1 starts beside it" "$(cat "$TMP/rp2.log")"
fi
_o=$(env IP=::1 IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 \
  timeout 5 "$B/dnscache" < /dev/null 2>&1)
check_match "without REUSEPORT a second cache on ::1 cannot bind" '^dnscache: fatal: unable to bind TCP socket: ' "$_o"
untrack_kill "$RP1"

# $MAXUDP and $MAXTCP: one table for both families.  The upstream is an
# address nobody answers on, so a UDP job stays; a new one from the
# other family evicts it.
mkdir -p "$TMP/dead/ip" "$TMP/dead/servers"
: > "$TMP/dead/ip/127"
: > "$TMP/dead/ip/::1"
echo 127.53.100.99 > "$TMP/dead/servers/@"
LOG2=$TMP/log2
start_dnscache "$B/dnscache" 127.0.0.1/::1 "$TMP/dead" "$LOG2" MAXUDP=1 MAXTCP=1 ||
  fail "MAXUDP=1 MAXTCP=1 on 127.0.0.1/::1 starts" "$(cat "$LOG2")"
dig +time=1 +tries=1 @::1 one.test A > /dev/null 2>&1
dig +time=1 +tries=1 @127.0.0.1 two.test A > /dev/null 2>&1
n1=$(sed -n 's/^query \([0-9]*\) 0\{31\}1:[0-9a-f]\{4\}:[0-9a-f]\{4\} 1 one\.test\.$/\1/p' "$LOG2")
check_match "MAXUDP=1: the query from ::1 is logged" '^[0-9]+$' "$n1"
check_match "MAXUDP=1: a query over 127.0.0.1 evicts it" "^drop $n1 timed out\$" "$(grep '^drop ' "$LOG2")"
check_match "MAXUDP=1: that query is taken" '^query [0-9]+ 7f000001:[0-9a-f]{4}:[0-9a-f]{4} 1 two\.test\.$' "$(grep '^query ' "$LOG2")"
tcpheld() {
  $PYTHON - <<'PYEOF'
import socket, time
a = socket.create_connection(('::1', 53), timeout=3)
time.sleep(0.5)
b = socket.create_connection(('127.0.0.1', 53), timeout=3)
a.settimeout(3)
try: print('closed' if a.recv(1) == b'' else 'data')
except socket.timeout: print('open')
except OSError: print('closed')
b.close()
PYEOF
}
check_eq "MAXTCP=1: a connection to 127.0.0.1 closes the one to ::1" "closed" "$(tcpheld)"
check_match "MAXTCP=1: logged as tcpclose of ::1, timed out" '^tcpclose 0{31}1:[0-9a-f]{4} timed out$' \
  "$(grep '^tcpclose' "$LOG2")"
untrack_kill "$DNSCACHE_PID"

# $IP lists: bad elements fatal, in 1.05's style
fatal() {
  _o=$(env IP="$1" IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 \
    timeout 5 "$B/dnscache" < /dev/null 2>&1)
  echo "$_o $?"
}
check_eq "IP=127.0.0.1/fe80::zz is fatal" "dnscache: fatal: unable to parse IP address fe80::zz 111" "$(fatal 127.0.0.1/fe80::zz)"
check_eq "IP=::1%nosuchif is fatal" "dnscache: fatal: unable to parse IP address ::1%nosuchif 111" "$(fatal ::1%nosuchif)"
check_eq "IP=junk is fatal" "dnscache: fatal: unable to parse IP address junk 111" "$(fatal junk)"
check_eq "IP=fd00:53::99 (not ours) cannot be bound" "dnscache: fatal: unable to bind UDP socket: address not available 111" "$(fatal fd00:53::99)"
check_eq "IP=/ is fatal" "dnscache: fatal: unable to parse IP address / 111" "$(fatal /)"
many=$(i=0; while [ $i -lt 17 ]; do printf '127.0.0.%d/' $((i + 1)); i=$((i + 1)); done)
check_eq "17 addresses in \$IP are fatal" "dnscache: fatal: more than 16 addresses in \$IP: 127.0.0.17 111" "$(fatal "$many")"
# one IPv4 value: read and reported exactly as the original does (it
# gets as far as the chroot, or fails to parse, with the same words)
same() {
  _o=$(env IP="$2" IPSEND=0.0.0.0 CACHESIZE=100000 ROOT=/nonexistent UID=0 GID=0 \
    timeout 5 "$1" < /dev/null 2>&1)
  echo "rc $? ${_o#dnscache: }"
}
if [ -x /usr/sbin/dnscache ]; then
  for v in 127.0.0.9 127.0.0.9:53 127.0.0.265 '127.0.0.9 junk' junk ''; do
    check_eq "IP='$v': as the original" "$(same /usr/sbin/dnscache "$v")" "$(same "$B/dnscache" "$v")"
  done
else
  skip "IPv4 \$IP values as the original" "no /usr/sbin/dnscache (apt-get install dnscache)"
fi
finish
