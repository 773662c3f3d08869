#!/bin/sh
# t_daemon_fast.sh: the fast path's ip/ table.  Our dnscache keeps ip/
# in memory and re-reads it at most once a second when the directory
# changed (okclient.h); the
# original stat()s per packet.  Every edit must apply within about a
# second, both ways: files and directories, prefixes, ip/ itself going
# and coming back, names the original would never look at, symbolic
# links (per-packet stat() again) and a directory too big for the table.
. "$TOP/tests/lib.sh"

OURS=$B/dnscache
NIP=127.0.0.3
R=$TMP/n
LIMIT=1.5

[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }

# probe SRC WANT: asks localhost from SRC every 50 ms until the outcome
# is WANT (reply or noreply), for at most 3 s; prints the seconds it took
# (or "never").
probe() {
  $PYTHON - "$NIP" "$1" "$2" "${3:-}" <<'EOF'
import socket, struct, sys, time
server, src, want, mode = sys.argv[1:5]
pkt = struct.pack('>HHHHHH', 0x4343, 0x0100, 1, 0, 0, 0) + b'\x09localhost\x00' + struct.pack('>HH', 1, 1)
t0 = time.time()
if mode == 'once':
    # one question, answered (or not) within a generous second: the
    # outcome right now, whatever the machine's load
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(pkt, (server, 53))
    s.settimeout(1.0)
    try:
        s.recvfrom(4096)
        print('reply')
    except socket.timeout:
        print('noreply')
    sys.exit(0)
while time.time() - t0 < 3.0:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(pkt, (server, 53))
    s.settimeout(0.05)
    try:
        s.recvfrom(4096)
        got = 'reply'
    except socket.timeout:
        got = 'noreply'
    s.close()
    if got == want:
        print('%.2f' % (time.time() - t0))
        sys.exit(0)
    if got == 'reply':
        time.sleep(0.05)
print('never')
EOF
}

# within WHAT SRC WANT: the outcome for SRC becomes WANT within LIMIT s
within() {
  _t=$(probe "$2" "$3")
  if [ "$_t" != never ] && awk -v t="$_t" -v l=$LIMIT 'BEGIN { exit !(t <= l) }'; then
    pass "$1: $2 gets $3 after ${_t}s"
  else
    fail "$1: $2 gets $3 within ${LIMIT}s (took: $_t)"
  fi
}

# still WHAT SRC WANT: the outcome for SRC is WANT right now
still() {
  check_eq "$1: $2 gets $3" "$3" "$(probe "$2" "$3" once)"
}

rm -rf "$R"
mkdir -p "$R/ip" "$R/servers"
: > "$R/ip/127.0.0.1"
echo 127.53.0.1 > "$R/servers/@"
start_dnscache "$OURS" $NIP "$R" "$TMP/acl.log" || fail "ours starts"

still "start" 127.9.0.1 noreply
touch "$R/ip/127.9.0.1"
within "file added" 127.9.0.1 reply
rm "$R/ip/127.9.0.1"
within "file removed" 127.9.0.1 noreply

mkdir "$R/ip/127.9"
within "prefix directory added" 127.9.0.1 reply
still "prefix directory" 127.9.200.7 reply
rmdir "$R/ip/127.9"
within "prefix directory removed" 127.9.0.1 noreply

# several edits in a row, each checked at once
for i in 1 2 3; do
  touch "$R/ip/127.9.0.$i"
  within "quick edits $i: added" 127.9.0.$i reply
  rm "$R/ip/127.9.0.$i"
  within "quick edits $i: removed" 127.9.0.$i noreply
done
# two edits in the same instant: both apply
touch "$R/ip/127.9.0.5"; touch "$R/ip/127.9.0.6"
within "two edits at once: first" 127.9.0.5 reply
still "two edits at once: second" 127.9.0.6 reply
rm "$R/ip/127.9.0.5"; rm "$R/ip/127.9.0.6"
within "two removals at once: first" 127.9.0.5 noreply
still "two removals at once: second" 127.9.0.6 noreply

# names the original never stat()s (leading zeros, out of range, junk)
touch "$R/ip/127.09.0.4" "$R/ip/127.9.0.04" "$R/ip/127.9.0.4." "$R/ip/127.9.0.256" "$R/ip/0127"
touch "$R/ip/127.9.0.7"
within "odd names: a real one applies" 127.9.0.7 reply
still "odd names: 127.9.0.4 still refused" 127.9.0.4 noreply
rm -f "$R/ip/127.09.0.4" "$R/ip/127.9.0.04" "$R/ip/127.9.0.4." "$R/ip/127.9.0.256" "$R/ip/0127" "$R/ip/127.9.0.7"

# ip/ itself goes away and comes back
mv "$R/ip" "$R/ip.away"
within "ip/ moved away" 127.0.0.1 noreply
mv "$R/ip.away" "$R/ip"
within "ip/ back" 127.0.0.1 reply

# a symbolic link: its target can change without ip/ changing, so the
# table stands aside and every packet is checked with stat() again
: > "$R/target"
ln -s ../target "$R/ip/127.9.0.8"
within "symlink added" 127.9.0.8 reply
rm "$R/target"
still "symlink's target removed: refused at once" 127.9.0.8 noreply
: > "$R/target"
still "symlink's target back: allowed at once" 127.9.0.8 reply
rm "$R/ip/127.9.0.8" "$R/target"
within "symlink removed" 127.9.0.8 noreply

# more entries than the table holds: stat() per packet, still right
mkdir "$R/ip.big"
(cd "$R/ip.big" && i=0 && while [ $i -lt 17 ]; do j=0; while [ $j -lt 256 ]; do : > 10.$i.$j; j=$((j + 1)); done; i=$((i + 1)); done)
mv "$R/ip" "$R/ip.small"
mv "$R/ip.big" "$R/ip"
within "4352 entries: 127.0.0.1 not listed" 127.0.0.1 noreply
touch "$R/ip/127.0.0.1"
within "4352 entries: 127.0.0.1 added" 127.0.0.1 reply
rm "$R/ip/127.0.0.1"
within "4352 entries: 127.0.0.1 removed" 127.0.0.1 noreply
rm -rf "$R/ip"
mv "$R/ip.small" "$R/ip"
within "small ip/ back" 127.0.0.1 reply

check_eq "127.9.0.4 (never allowed) left no log line" 0 "$(grep -c '^query [0-9]* 7f090004:' "$TMP/acl.log")"
check_match "allowed clients were logged" '^query [0-9]+ 7f090001:[0-9a-f]{4}:4343 1 localhost\.$' "$(cat "$TMP/acl.log")"

# --- (2) a burst of 150 queries answered at once, next to the original
OIP=127.0.0.2
rm -rf "$TMP/o"
mkdir -p "$TMP/o/ip" "$TMP/o/servers"
: > "$TMP/o/ip/127"
echo 127.53.0.1 > "$TMP/o/servers/@"
start_dnscache /usr/sbin/dnscache $OIP "$TMP/o" "$TMP/burst.o.log" || fail "original starts"

# burst SERVER: 150 queries from ports 41000..41149 (local names, some
# upper case, types A, PTR, ANY), all sent before any reply is read
burst() {
  $PYTHON - "$1" <<'EOF'
import socket, struct, sys, select, time
server = sys.argv[1]
names = [b'\x09localhost\x00', b'\x0210\x0220\x0230\x0240\x00',
         b'\x011\x010\x010\x03127\x07in-addr\x04arpa\x00', b'\x09LocalHost\x00']
socks = []
for i in range(150):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 41000 + i))
    socks.append(s)
for i, s in enumerate(socks):
    qtype = 12 if i % 4 == 2 else (255 if i % 7 == 0 else 1)
    s.sendto(struct.pack('>HHHHHH', 0x5000 + i, 0x0100, 1, 0, 0, 0) + names[i % 4]
             + struct.pack('>HH', qtype, 1), (server, 53))
out = {}
deadline = time.time() + 5
pending = set(socks)
while pending and time.time() < deadline:
    rl, _, _ = select.select(list(pending), [], [], 0.2)
    for s in rl:
        out[s.getsockname()[1]] = s.recv(4096).hex()
        pending.discard(s)
for p in sorted(out):
    print(p, out[p])
print('replies', len(out))
EOF
}
burst $OIP > "$TMP/burst.o.out"
burst $NIP > "$TMP/burst.n.out"
sleep 0.3
check_eq "burst: 150 replies" "replies 150" "$(tail -n 1 "$TMP/burst.n.out")"
check_eq "burst: replies as the original" "$(cat "$TMP/burst.o.out")" "$(cat "$TMP/burst.n.out")"
# the burst's log lines (from its first query on), serial numbers left out
blines() {
  sed -n '/^query [0-9]* 7f000001:a028:/,$p' "$1" \
    | sed 's/^\(query\|sent\) [0-9]* /\1 N /; s/^stats [0-9]* [0-9]* /stats N N /'
}
check_eq "burst: log lines as the original" "$(blines "$TMP/burst.o.log")" "$(blines "$TMP/acl.log")"
check_eq "burst: every query logged" 150 "$(blines "$TMP/acl.log" | grep -c '^query N 7f000001:a0')"
finish
