#!/bin/sh
# t_dump.sh: the cache kept across restarts ($DUMPCACHE, $SLURPCACHE;
# README "Keeping the cache across restarts").
#  1. Round trip: a full cache (8000 names resolved on the fakenet into
#     CACHESIZE 200000, so the ring has wrapped) is dumped on SIGALRM, the
#     daemon killed, servers/@ pointed at nothing, and a new daemon slurps
#     the file: every dumped name is answered as before, same addresses,
#     TTL lower by the seconds elapsed (1 s of slack), from the cache;
#     evicted names are not in it.  The file's entries are read back by tests/dumpfile.py
#     (the format from dump.h, written independently of dump.c).
#  2. Broken files, each one log line "slurp fail REASON" and a daemon
#     that answers: empty, cut at several offsets, bytes flipped, foreign,
#     wrong version, lying lengths and counts under a valid CRC, too large
#     (sparse), a directory, unreadable by the daemon's uid, missing.
#  3. Under supervise (dnscache-conf's layout): svc -t writes the cache on
#     SIGTERM and the restarted daemon answers from it.
#  4. A dump of a large cache (DUMP_BIG bytes, default 50 MB; 10 MB under
#     ASan) while 20 queries are kept in flight: answers keep coming while
#     the child writes the file; the figures say how long the dump took
#     and the longest gap between answers.
. "$TOP/tests/lib.sh"

DF="$PYTHON $TOP/tests/dumpfile.py"
TD="$PYTHON $TOP/tests/t_dump.py"
IP=127.0.0.10
ASAN=""
grep -qa __asan_init "$B/dnscache" && ASAN=1

# wait_line FILE ERE [SECONDS]: until a line of FILE matches (default 10 s)
wait_line() {
  _n=$((${3:-10} * 10))
  _i=0
  while [ $_i -lt $_n ]; do
    grep -Eq -- "$2" "$1" 2> /dev/null && return 0
    sleep 0.1; _i=$((_i + 1))
  done
  return 1
}

fakenet_start || { fail "fakenet starts"; exit 1; }

# ------------------------------------------------------------ 1. round trip
R=$TMP/root
make_cacheroot "$R" "$FAKENET_ROOTS"
mkdir "$R/dump"
start_dnscache "$B/dnscache" $IP "$R" "$TMP/a.log" CACHESIZE=200000 DUMPCACHE=dump/cache ||
  { fail "dnscache with DUMPCACHE starts" "$(cat "$TMP/a.log")"; finish; exit; }
A=$DNSCACHE_PID
check_match "fill: 8000 wildcard names resolved" '^answered (79[0-9][0-9]|8000)$' "$($TD fill $IP n 8000)"
kill -ALRM $A
check "SIGALRM: a dump line" wait_line "$TMP/a.log" '^dump [0-9]+ [0-9]+$'
check "SIGALRM: the daemon goes on" kill -0 $A
check "no temporary file left" test ! -e "$R/dump/cache.tmp"
check_eq "the file is the daemon's, mode 0600" "600" "$(stat -c %a "$R/dump/cache")"
line=$(grep -E '^dump [0-9]+ [0-9]+$' "$TMP/a.log" | head -n 1)
set -- $line
check_eq "dump line: BYTES is the file's size" "$(stat -c %s "$R/dump/cache")" "$3"
$DF list "$R/dump/cache" > "$TMP/list"
check_eq "dump line: N is the file's entry count" "$2" "$(wc -l < "$TMP/list")"
# the wildcard names' A sets in the file: "expiry 1 nI.wild.test. hex"
awk '$2 == 1 && $3 ~ /^n[0-9]+\.wild\.test\.$/ { print $3 }' "$TMP/list" > "$TMP/names"
n=$(wc -l < "$TMP/names")
if [ "$n" -gt 1000 ] && [ "$n" -lt 8000 ]; then
  pass "the file holds $n of the 8000 names: the newest, the ring had wrapped"
else
  fail "the file holds between 1000 and 8000 of the names" "$n"
fi
check "the newest name is in the file" grep -qx 'n7999.wild.test.' "$TMP/names"
check "the oldest name is not" sh -c "! grep -qx 'n0.wild.test.' '$TMP/names'"
t0=$(date +%s)
$TD ask $IP "$TMP/names" "$TMP/before"
check_eq "before: every dumped name answered 192.0.2.40" "$n" "$(grep -c ' NOERROR 192.0.2.40 ' "$TMP/before")"
untrack_kill $A

echo 127.0.0.99 > "$R/servers/@"   # nothing there: answers can only come from the file
start_dnscache "$B/dnscache" $IP "$R" "$TMP/b.log" CACHESIZE=200000 SLURPCACHE=dump/cache ||
  { fail "dnscache with SLURPCACHE starts" "$(cat "$TMP/b.log")"; finish; exit; }
Bp=$DNSCACHE_PID
check_eq "slurp line: every entry loaded, none expired" "slurp $2 0" "$(grep '^slurp' "$TMP/b.log")"
check "slurp line after starting" sh -c "grep -n . '$TMP/b.log' | grep -A1 ':starting\$' | grep -q ':slurp '"
$TD ask $IP "$TMP/names" "$TMP/after"
t1=$(date +%s)
relay_out=$($TD compare "$TMP/before" "$TMP/after" $((t1 - t0 + 1)))
printf '%s\n' "$relay_out" > "$TMP/compare.out"
relay "$TMP/compare.out"
check "dumped names answered from the cache" grep -qx 'cached 1 n7999.wild.test.' "$TMP/b.log"
fq --timeout 3 $IP A n0.wild.test > /dev/null
check "an evicted name is not in the cache" sh -c "! grep -qx 'cached 1 n0.wild.test.' '$TMP/b.log'"
untrack_kill $Bp
no_sanitizer_report "$TMP/a.log"
no_sanitizer_report "$TMP/b.log"

# ------------------------------------------------------------ 2. broken files
cp "$R/dump/cache" "$TMP/good"
size=$(stat -c %s "$TMP/good")
$PYTHON - "$TMP/good" "$R/dump" "$size" <<'EOF'
import os, struct, sys, zlib
sys.path.insert(0, os.path.join(os.environ["TOP"], "tests"))
import dumpfile
good = open(sys.argv[1], "rb").read()
d, size = sys.argv[2], int(sys.argv[3])
def w(name, data):
    open(os.path.join(d, name), "wb").write(data)
w("empty", b"")
for cut in (5, 16, 40, size // 2, size - 1):
    w("cut%d" % cut, good[:cut])
flip = bytearray(good); flip[33] ^= 0x20; w("flipdata", bytes(flip))  # a key byte
flip = bytearray(good); flip[0] ^= 0x01; w("flipmagic", bytes(flip))
w("text", b"this is not a dump\n" * 10)
w("version", dumpfile.seal(good[:8] + struct.pack(">I", 2) + good[12:]))
w("hugekey", dumpfile.seal(good[:24] + b"\xff\xff\xff\xff" + good[28:]))
w("hugedata", dumpfile.seal(good[:28] + b"\x7f\xff\xff\xff" + good[32:]))
w("count", dumpfile.seal(good[:-12] + struct.pack(">Q", 3) + good[-4:]))
w("tail", good + b"\0")
EOF
truncate -s 1000000037 "$R/dump/huge"
mkdir "$R/dump/adir"
cp "$TMP/good" "$R/dump/locked"
chmod 000 "$R/dump/locked"
chmod 755 "$R/dump"

broken() {
  _f=$1 _why=$2
  shift 2
  if ! start_dnscache "$B/dnscache" $IP "$R" "$TMP/broken.log" SLURPCACHE="dump/$_f" "$@"; then
    fail "slurp $_f: daemon starts and answers" "$(cat "$TMP/broken.log")"
    return
  fi
  _p=$DNSCACHE_PID
  check_eq "slurp $_f: one line, the reason, and it answers" \
    "slurp fail $_why" "$(grep -E '^slurp' "$TMP/broken.log")"
  no_sanitizer_report "$TMP/broken.log"
  untrack_kill $_p
}
broken empty empty
for cut in 5 16 40 $((size / 2)) $((size - 1)); do broken cut$cut truncated; done
broken flipdata "bad checksum"
broken flipmagic "not a dump file"
broken text "not a dump file"
broken version "unsupported version"
broken hugekey corrupt
broken hugedata corrupt
broken count corrupt
broken tail truncated
broken huge "too large"
broken adir "not a regular file"
broken locked "access denied" UID=65534 GID=65534
broken missing "file does not exist"
check "the broken files left the directory as it was" test ! -e "$R/dump/missing"

# ---------------------------------------------------- 3. svc -t under supervise
for p in supervise svstat svc multilog; do
  command -v $p > /dev/null || { fail "no $p (package daemontools)"; finish; exit; }
done
D=$TMP/service
"$B/dnscache-conf" nobody daemon "$D" 127.0.0.1 > "$TMP/conf.out" 2>&1
check_eq "dnscache-conf succeeds" "0 " "$? $(cat "$TMP/conf.out")"
sed -i "s#[^ ]*/bin/dnscache\$#$B/dnscache#" "$D/run"
[ -n "$ASAN" ] && echo '=' > "$D/env/DATALIMIT"
# README's set-up: a directory the dnscache user may write, two variables
mkdir "$D/root/dump"
chown nobody "$D/root/dump"
echo dump/cache > "$D/env/DUMPCACHE"
echo dump/cache > "$D/env/SLURPCACHE"
$DF big "$D/root/dump/cache" 5000 3000 sv > /dev/null
chown nobody "$D/root/dump/cache"
nsv=$($DF list "$D/root/dump/cache" | wc -l)

sv_start "$D"
wait_up "$D"; P1=$UP
check "supervise: up" test -n "$P1"
LOG=$D/log/main/current
check "supervise: slurp line, $nsv entries" wait_line "$LOG" " slurp $nsv 0\$"
ans() { DNSCACHEIP=127.0.0.1 timeout 5 "$B/dnsqr" a "$1" 2>&1 | sed -n 's/^answer: [^ ]* \([0-9]*\) A \(.*\)$/\2 \1/p'; }
a1=$(ans sv7.big.test)
check_match "supervise: a name from the file answered" '^127\.0\.0\.1 (2[0-9]{3}|3000)$' "$a1"
rm "$D/root/dump/cache"     # from here on only a SIGTERM dump can bring it back
sleep 2
svc -t "$D"
wait_up "$D" "$P1"; P2=$UP
check "svc -t: restarted" test -n "$P2"
check "svc -t: a dump line from the old daemon" wait_line "$LOG" " dump $nsv [0-9]+\$"
_i=0
while [ "$(grep -c " slurp $nsv 0\$" "$LOG")" -lt 2 ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
check_eq "svc -t: the new daemon slurped it" 2 "$(grep -c " slurp $nsv 0\$" "$LOG")"
a2=$(ans sv7.big.test)
set -- $a1
set -- "$2" $a2
if [ "$2" = 127.0.0.1 ] && [ "$3" -le "$1" ] && [ "$3" -ge $(($1 - 30)) ]; then
  pass "svc -t: still answered from the cache, TTL $1 -> $3"
else
  fail "svc -t: still answered from the cache, TTL lower" "before $1, after $2 $3"
fi
check_eq "svc -t: the dump is the dnscache user's" "nobody 600" "$(stat -c '%U %a' "$D/root/dump/cache")"
svc -d "$D"
_i=0
while [ "$(grep -c " dump $nsv " "$LOG")" -lt 2 ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
check_eq "svc -d: the last dump written at exit too" 2 "$(grep -c " dump $nsv " "$LOG")"
sv_stop
no_sanitizer_report "$LOG"

# ------------------------------------------- 4. a large dump while answering
if [ -n "$ASAN" ]; then BIG=${DUMP_BIG:-10000000}; else BIG=${DUMP_BIG:-50000000}; fi
R4=$TMP/root4
make_cacheroot "$R4" "$FAKENET_ROOTS"
mkdir "$R4/dump"
nbig=$($DF big "$R4/dump/big" $((BIG * 3 / 4)) 3600 f)
mb=$(($(stat -c %s "$R4/dump/big") / 1000000))
t0=$(date +%s.%N)
start_dnscache "$B/dnscache" $IP "$R4" "$TMP/big.log" CACHESIZE=$BIG SLURPCACHE=dump/big DUMPCACHE=dump/big2 || true
BIGP=$DNSCACHE_PID
if wait_line "$TMP/big.log" "^slurp $nbig 0\$" 600 && wait_dnscache $IP; then
  t1=$(date +%s.%N)
  pass "large cache: $nbig entries ($mb MB) slurped"
  echo "# figure: slurp of $mb MB ($nbig entries) until answering: $(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }") s"
  seq 0 4999 | sed 's/^/f/; s/$/.big.test/' > "$TMP/bignames"
  secs=$(( BIG / 5000000 + 60 ))
  run_helper "$TMP/flood.out" $TD flood $IP "$TMP/bignames" $BIGP "$TMP/big.log" $secs
  line=$(grep -E '^dump [0-9]+ [0-9]+$' "$TMP/big.log" | head -n 1)
  set -- $line
  if [ "${2:-0}" -ge "$nbig" ]; then
    pass "large cache: the dump holds every entry ($2)"
  else
    fail "large cache: the dump holds every entry" "$line"
  fi
  check "large cache: the daemon goes on" kill -0 $BIGP
else
  fail "large cache: slurped" "$(tail -5 "$TMP/big.log")"
fi
untrack_kill $BIGP
no_sanitizer_report "$TMP/big.log"
finish
