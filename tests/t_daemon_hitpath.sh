#!/bin/sh
# t_daemon_hitpath.sh: what a cache hit costs our dnscache (issue 8; over
# IPv6 too, SPEC 4.1, from a process on 127.0.0.1/::1):
# no allocation (counted by tests/malloccount.so, preloaded) and no
# system call beyond its share of the loop's poll, the batched receive
# and send, and the log write (counted with strace -f attached).  The
# load is 2000 queries for one cached name from 4 client sockets, 8 in
# flight per socket.  Plain build only (PLAIN_ONLY in tests/run): under
# AddressSanitizer the counter cannot be preloaded (ASan's runtime must
# be the first library) and the runtime makes calls of its own.
. "$TOP/tests/lib.sh"

OURS=$B/dnscache
SO=$B/tests/malloccount.so
N=2000
[ -x "$OURS" ] && [ -f "$SO" ] || { fail "hitpath: $OURS and $SO exist"; exit 1; }
if is_sanitized; then
  skip "hitpath" "$B is an AddressSanitizer build; the hit path is measured on the plain build"
  finish
  exit $?
fi

fakenet_start || { fail "hitpath: fakenet starts"; exit 1; }
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
start_dnscache "$OURS" 127.0.0.1 "$TMP/root" "$TMP/log" LD_PRELOAD="$SO" ||
  { fail "hitpath: dnscache starts" "$(cat "$TMP/log")"; exit 1; }
PID=$DNSCACHE_PID
DNSCACHEIP=127.0.0.1 "$B/dnsqr" a a.test > "$TMP/warm" 2>&1
check_match "hitpath: a.test resolves" '^answer: a\.test [0-9]+ A ' "$(cat "$TMP/warm")"

# load [edns [IP]]: N queries for a.test A (cached), with an EDNS0 OPT if
# asked (then the answer must carry one), to IP (127.0.0.1, or ::1 for
# the IPv6 part below); prints the number answered
load() {
  $PYTHON - "$N" "${1:-}" "${2:-127.0.0.1}" <<'PYEOF'
import socket, struct, sys, time, select
n = int(sys.argv[1])
edns = sys.argv[2] == "edns"
ip = sys.argv[3]
fam = socket.AF_INET6 if ':' in ip else socket.AF_INET
q = b'\x01a\x04test\x00' + struct.pack('>HH', 1, 1)
if edns:
    q += b'\x00' + struct.pack('>HHIH', 41, 1232, 0, 0)
ar = 1 if edns else 0
socks = []
for i in range(4):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((ip, 0))
    s.connect((ip, 53))
    s.setblocking(False)
    socks.append(s)
sent = answered = 0
inflight = [0] * 4
deadline = time.time() + 20
while answered < n and time.time() < deadline:
    for i, s in enumerate(socks):
        while inflight[i] < 8 and sent < n:
            qid = sent & 0xffff
            s.send(struct.pack('>HHHHHH', qid, 0x0100, 1, 0, 0, ar) + q)
            sent += 1
            inflight[i] += 1
    r, _, _ = select.select(socks, [], [], 1.0)
    if not r:
        inflight = [0] * 4     # lost: send more
        continue
    for s in r:
        i = socks.index(s)
        while True:
            try:
                data = s.recv(4096)
            except BlockingIOError:
                break
            if (len(data) > 12 and data[3] & 15 == 0 and struct.unpack('>H', data[6:8])[0] == 1
                    and struct.unpack('>H', data[10:12])[0] == ar):
                answered += 1
            inflight[i] -= 1
print(answered)
PYEOF
}

mcount() {
  kill -USR1 "$PID"
  _i=0
  while [ $_i -lt 20 ]; do
    _c=$(grep -c '^malloccount ' "${LOGF:-$TMP/log}")
    [ "$_c" -ge "$1" ] && break
    sleep 0.05
    _i=$((_i + 1))
  done
  grep '^malloccount ' "${LOGF:-$TMP/log}" | sed -n "${1}p" | cut -d' ' -f2
}

# ip/ changed less than 2 s ago is re-read every second (okclient.c:
# an edit within the same timestamp could go unseen), and a re-read opens
# the directory, which allocates; the hit path is measured once it has
# settled and been read for the last time.
settle() {   # settle SERVERIP
  settled=$(($(stat -c %Z "$TMP/root/ip") + 3))
  _i=0
  while [ "$(date +%s)" -lt "$settled" ] && [ $_i -lt 50 ]; do
    sleep 0.1
    _i=$((_i + 1))
  done
  # the re-reads are driven by packets, at most once a second: two queries
  # a second apart let the last one (the first after settling) happen now
  for _i in 1 2; do
    case $1 in
      *:*) dig +time=2 +tries=1 @"$1" localhost A > /dev/null 2>&1 ;;   # fq is IPv4 only
      *) fq --timeout 2 "$1" A localhost > /dev/null ;;
    esac
    sleep 1.1
  done
}
settle 127.0.0.1

# ---- allocations
m1=$(mcount 1)
a=$(load)
m2=$(mcount 2)
echo "# figure: hitpath: $a of $N hits answered; mallocs before $m1, after $m2"
check_eq "hitpath: $N cached queries answered" "$N" "$a"
check "hitpath: mallocs counted ($m1)" test -n "$m1" -a "${m1:-0}" -gt 0
check_eq "hitpath: $N cache hits allocate nothing" "$m1" "$m2"
a=$(load edns)
m3=$(mcount 3)
echo "# figure: hitpath: $a of $N EDNS hits answered; mallocs before $m2, after $m3"
check_eq "hitpath: $N cached EDNS queries answered with an OPT" "$N" "$a"
check_eq "hitpath: $N EDNS cache hits allocate nothing" "$m2" "$m3"

# ---- system calls
# syscalls LABEL IP: N plain and N EDNS hits to IP under strace
syscalls() {
  _l=$1 _ip=$2
  strace -f -qq -o "$TMP/strace" -p "$PID" 2> "$TMP/strace.err" &
  SPID=$!
  track $SPID
  _i=0
  while [ $_i -lt 50 ] && ! grep -q . "$TMP/strace" 2>/dev/null; do
    sleep 0.1   # attached when the loop's next poll shows up (at most 1 s)
    _i=$((_i + 1))
  done
  a=$(load "" "$_ip")
  e=$(load edns "$_ip")
  sleep 0.3
  untrack_kill $SPID
  # the calls made: name counts, unfinished/resumed halves counted once
  sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$TMP/strace" | sort | uniq -c | sort -rn > "$TMP/calls"
  rm -f "$TMP/strace"
  echo "# figure: $_l: $a hits under strace; calls: $(tr -s ' \n' ' ' < "$TMP/calls")"
  total=$(awk '{ s += $1 } END { print s + 0 }' "$TMP/calls")
  others=$(awk '$2 !~ /^(poll|ppoll|recvmmsg|sendmmsg|write|newfstatat|statx|stat|fstat|clock_gettime|restart_syscall|rt_sigreturn)$/ { print $2 }' "$TMP/calls" | tr '\n' ' ')
  check_eq "$_l: $N cached queries answered under strace" "$N" "$a"
  check_eq "$_l: $N cached EDNS queries answered under strace" "$N" "$e"
  check_eq "$_l: no calls but poll, recvmmsg, sendmmsg, the log write (and ip/ checks)" "" "$others"
  stats=$(awk '$2 ~ /stat/ { s += $1 } END { print s + 0 }' "$TMP/calls")
  check "$_l: ip/ looked at only about once a second ($stats)" test "$stats" -le 30
  check "$_l: at most 4 calls per answered query ($total for $a + $e)" test "$total" -le $((4 * (${a:-1} + ${e:-1})))
}
if ! command -v strace > /dev/null 2>&1; then
  skip "hitpath: system calls of a cache hit" "strace is not installed"
else
  syscalls hitpath 127.0.0.1
fi

# ---- allocation failure (issue 7): while every malloc fails, a cache hit
# is still answered, a query that needs memory is dropped and logged
# "out of memory", a TCP reply that cannot get its buffer is dropped the
# same way; nothing else happens, and all is well once memory is back.
mtoggle() {  # $1 = on|off
  kill -USR2 "$PID"
  _i=0
  while [ $_i -lt 40 ] && ! tail -n 1 "$TMP/log" | grep -q "^mallocfail $1\$"; do
    sleep 0.05
    _i=$((_i + 1))
  done
  tail -n 3 "$TMP/log" | grep -q "^mallocfail $1\$"
}
check "hitpath: allocation failure switched on" mtoggle on
check_match "no memory: a cache hit is still answered" '^answer: a\.test' "$(fq --timeout 3 127.0.0.1 A a.test)"
check_match "no memory: an uncached name gets no answer" '^timeout' "$(fq --timeout 3 127.0.0.1 A www.sub.test)"
check_match "no memory: its query dropped as out of memory" '^drop [0-9]+ out of memory$' "$(grep '^drop' "$TMP/log")"
check_match "no memory: a TCP reply without its buffer: connection closed" '^connection closed' "$(fq --tcp --timeout 3 127.0.0.1 A a.test)"
check_eq "no memory: two drops logged" 2 "$(grep -c '^drop [0-9]* out of memory$' "$TMP/log")"
check "hitpath: allocation failure switched off" mtoggle off
check_match "memory back: the uncached name resolves" '^answer: www\.sub\.test' "$(fq --timeout 5 127.0.0.1 A www.sub.test)"
check_match "memory back: TCP answers" '^answer: a\.test' "$(fq --tcp --timeout 3 127.0.0.1 A a.test)"
check "hitpath: ours still running" kill -0 "$PID"
untrack_kill "$PID"

# ---- IPv6 (SPEC 4.1): the same hits over ::1, from one process that
# listens on 127.0.0.1/::1, cost the same: nothing allocated, the same
# batched calls
if ! ip -6 addr show dev lo 2> /dev/null | grep -q 'inet6 ::1/128'; then
  skip "hitpath6: cache hits over ::1" "no ::1 on lo (IPv6 disabled in this namespace)"
  finish
  exit $?
fi
: > "$TMP/root/ip/::1"
LOGF=$TMP/log6
start_dnscache "$OURS" 127.0.0.1/::1 "$TMP/root" "$LOGF" LD_PRELOAD="$SO" ||
  { fail "hitpath6: dnscache on 127.0.0.1/::1 starts" "$(cat "$LOGF")"; finish; exit 1; }
PID=$DNSCACHE_PID
check_match "hitpath6: a.test resolves over ::1" '^[0-9.]+$' "$(dig +short +time=3 +tries=2 @::1 a.test A 2>&1)"
settle ::1
m1=$(mcount 1)
a=$(load "" ::1)
e=$(load edns ::1)
m2=$(mcount 2)
echo "# figure: hitpath6: $a + $e of $N + $N hits over ::1 answered; mallocs before $m1, after $m2"
check_eq "hitpath6: $N cached queries over ::1 answered" "$N" "$a"
check_eq "hitpath6: $N cached EDNS queries over ::1 answered with an OPT" "$N" "$e"
check "hitpath6: mallocs counted ($m1)" test -n "$m1" -a "${m1:-0}" -gt 0
check_eq "hitpath6: $N + $N cache hits over ::1 allocate nothing" "$m1" "$m2"
if command -v strace > /dev/null 2>&1; then
  syscalls hitpath6 ::1
fi
check "hitpath6: ours still running" kill -0 "$PID"
finish
