# t_dnstrace.sh: ours ($B/dnstrace) against Debian's /usr/bin/dnstrace
# on the fakenet, starting from its root addresses: healthy, CNAME,
# glueless, lame, dead-server and broken delegations and most badserver
# modes, and the argument handling.  Every case runs both programs at once
# (cases in parallel: dead servers cost 11 s a query and a silent one 60 s,
# so the suite takes about two minutes) and compares exit code, stderr and
# stdout byte for byte.  The one timing-dependent line, "ALERT:took more
# than 1 second", is taken out of both before the comparison (a loaded
# machine may add it anywhere) and checked on its own in the slow-server
# case.  dnstracesort: ours and Debian's on every trace, on random lines
# (tests/dnstracesort_gen.awk) and random bytes.
. "$TOP/tests/lib.sh"

ORIG=${ORIG:-/usr/bin}
if [ ! -x "$ORIG/dnstrace" ] || [ ! -x "$B/dnstrace" ]; then
  fail "dnstrace: $ORIG/dnstrace and $B/dnstrace exist"
  exit 1
fi

fakenet_start || { fail "dnstrace: fakenet starts"; exit 1; }
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
# a cache, for root servers given by name (a.root-servers.net)
start_dnscache /usr/sbin/dnscache 127.0.0.1 "$TMP/root" "$TMP/cachelog" ||
  { fail "dnstrace: Debian dnscache starts"; exit 1; }
export DNSCACHEIP=127.0.0.1
export DNSREWRITEFILE=$TMP/no-such-rewrite-file
unset LOCALDOMAIN

# two more badservers: one that echoes queries back (QR clear), one
# answering rcode 6 (YXDOMAIN)
bad_start 127.53.9.101=echo@x1.bad.test 127.53.9.102=rcode:6@x2.bad.test ||
  { fail "dnstrace: extra badservers start"; exit 1; }

D=$TMP/d
mkdir -p "$D"
RUNPIDS=""
R1=127.53.0.1
R2=127.53.0.2

# run ID LIMIT ARGS...: both programs at once, in the background, each
# killed after LIMIT seconds (refer-down never ends).
run() {
  _id=$1 _lim=$2
  shift 2
  echo "$*" > "$D/$_id.args"
  for _s in ours orig; do
    if [ $_s = ours ]; then _p=$B/dnstrace; else _p=$ORIG/dnstrace; fi
    (timeout "$_lim" "$_p" "$@" > "$D/$_id.$_s.raw" 2> "$D/$_id.$_s.err"
     echo $? > "$D/$_id.$_s.rc") &
    RUNPIDS="$RUNPIDS $!"
  done
}

L64=$(printf 'a%.0s' $(seq 64))

# the slow ones first: they set the suite's length
run silent 150 a www.silent.bad.test $R1         # 2 x 60 s of timeouts
run dead 100 a www.dead.test $R1                 # connection refused: 11 s a query
run half 100 a www.half.test $R1
run servfail 100 a www.servfail.bad.test $R1
run refused 100 a www.refused.bad.test $R1
run notimp 100 a www.notimp.bad.test $R1
run formerr 100 a www.formerr.bad.test $R1
run deadroot 100 a a.test 127.53.8.1
run rcode6 100 a www.x2.bad.test $R1
# the QR check (README, smaller differences): 1.05 takes the echoed query
# as an empty answer (NODATA), ours waits for a real reply (60 s each)
run echo 150 a www.x1.bad.test $R1
run deadtld 100 a www.deadtld $R1
run cdead 100 a cdead.test $R1
run oobauth 100 a www.oob-authority.bad.test $R1
run slow 100 a www.slow.bad.test $R1
# README decision 10: the original ignores a UDP reply over 512 bytes
# (and retries for 60 s), ours reads it: compared apart, below
run bigudp 40 a www.bigudp.bad.test $R1
# refer-down refers to ns.NAME for every NAME, for ever: the first 150
# lines (head closes the pipe, the next flush ends the program)
for s in ours orig; do
  if [ $s = ours ]; then p=$B/dnstrace; else p=$ORIG/dnstrace; fi
  ( (timeout 60 "$p" a www.refer-down.bad.test $R1 2> "$D/referdown.$s.err"; echo $? > "$D/referdown.$s.rc") |
      grep -v ':ALERT:took more than 1 second$' | head -n 150 > "$D/referdown.$s.raw") &
  RUNPIDS="$RUNPIDS $!"
done
echo "a www.refer-down.bad.test $R1 (first 150 lines)" > "$D/referdown.args"

run a 60 a a.test $R1
run a2 60 a a.test $R1 $R2
run any 60 any a.test $R1
run mx 60 mx mx.test $R1
run nodata 60 mx a.test $R1
run nx 60 a nx.test $R1
run nxtld 60 a a.nosuchtld $R1
run cname 60 a cname.test $R1 $R2
run chain 60 a chain1.test $R1
run cnamex 60 cname cname.test $R1
run loop 60 a loop1.test $R1
run xtld 60 a xtld.test $R1
run xcname 60 a xcname.test $R1
run sub 60 a www.sub.test $R1
run glueless 60 a www.glueless.test $R1
run glueless2 60 a www.glueless2.test $R1
run lame 60 a www.lame.test $R1
run cycle 60 a www.cycle1.test $R1
run deep 60 a www.deep4.test $R1
run nscname 60 a www.nscname.test $R1
run quadns 60 a www.quadns.test $R1
run noaddr 60 a www.noaddr.test $R1
run ttl0glue 60 a www.ttl0glue.test $R1
run ns 60 ns sub.test $R1
run soa 60 soa test $R1
run txt 60 txt bigtxt.test $R1
run bigmx 60 mx big.test $R1
run aaaa 60 aaaa dual.test $R1
run srv 60 33 srv.test $R1
run ptr 60 ptr 50.2.0.192.in-addr.arpa $R1
run wild 60 a x.wild.test $R1
run upper 60 A MiXeD.TeSt $R1
run localhost 60 a localhost $R1
run quad 60 a 1.2.3.4 $R1
run ok 60 a www.ok.bad.test $R1
run referup 60 a www.refer-up.bad.test $R1
run referside 60 a www.refer-side.bad.test $R1
run refersame 60 a www.refer-same.bad.test $R1
run malformed 60 a www.malformed.bad.test $R1
run badptr 60 a www.badptr.bad.test $R1
run cnamenx 60 a www.cnamenx.bad.test $R1
run nxnosoa 60 a www.nxnosoa.bad.test $R1
run nodatanosoa 60 a www.nodatanosoa.bad.test $R1
run oobanswer 60 a www.oob-answer.bad.test $R1
run oobadd 60 a www.oob-additional.bad.test $R1
run cnameoob 60 a www.cname-oob.bad.test $R1
run truncate 60 a www.truncate.bad.test $R1
run spoof 60 a www.spoof.bad.test $R1
run ttl0 60 a www.ttl0.bad.test $R1
run byname 60 a a.test a.root-servers.net
run twice 60 a a.test $R1 $R1
run dotted 60 a a.test 127.53.0.1.127.53.0.2
# arguments
run noargs 60
run onlytype 60 a
run badtype 60 srv a.test $R1
run numtype 60 65535 a.test $R1
run noroot 60 a a.test
run rootname 60 a . $R1
run shortip 60 a a.test 1.2.3
run nxroot 60 a a.test nx.test
run longlabel 60 a "$L64.test" $R1
run emptyname 60 a '' $R1
# shellcheck disable=SC2086
wait $RUNPIDS   # (not the fakenet's servers)

# Each reply's lines (from its tx line to the next) sorted: tinydns sends
# records of one set in random order, and dnstrace prints them as they came.
blocks() {
  awk -F: '$5 == "tx" && n { print "--"; } { n++; print }' | awk '
    /^--$/ { close("sort"); print "--"; next } { print | "sort" }
    END { close("sort") }'
}

for f in "$D"/*.ours.raw; do
  id=$(basename "$f" .ours.raw)
  for s in ours orig; do
    grep -v ':ALERT:took more than 1 second$' "$D/$id.$s.raw" > "$D/$id.$s.out"
  done
  case $id in
    bigudp) continue ;;
    echo)
      sed 's/^\(1:[a-z.0-9]*:x1\.bad\.test:127\.53\.9\.101:\)ALERT:query failed; timed out$/\1NODATA/' \
        "$D/echo.ours.raw" > "$D/echo.ours.out"
      grep -v ':ALERT:took more than 1 second$' "$D/echo.orig.raw" > "$D/echo.orig.out"
      n=$(grep -c ':127\.53\.9\.101:ALERT:query failed; timed out$' "$D/echo.ours.raw")
      if [ "$n" = 2 ] && cmp -s "$D/echo.ours.out" "$D/echo.orig.out"; then
        pass "dnstrace: echo (the QR check: an echoed query is no answer; original: NODATA)"
      else
        fail "dnstrace: echo (the QR check)" "$n timeouts; $(diff "$D/echo.orig.out" "$D/echo.ours.out" | head -10)"
      fi
      continue ;;
    referdown) echo cut > "$D/$id.ours.rc"; echo cut > "$D/$id.orig.rc" ;;   # SIGPIPE or timeout
  esac
  if cmp -s "$D/$id.ours.out" "$D/$id.orig.out" && cmp -s "$D/$id.ours.err" "$D/$id.orig.err" &&
     cmp -s "$D/$id.ours.rc" "$D/$id.orig.rc"; then
    pass "dnstrace: $id: $(cat "$D/$id.args") ($(wc -l < "$D/$id.orig.out") lines, rc $(cat "$D/$id.orig.rc"))"
  elif cmp -s "$D/$id.ours.err" "$D/$id.orig.err" && cmp -s "$D/$id.ours.rc" "$D/$id.orig.rc" &&
       [ "$(blocks < "$D/$id.ours.out")" = "$(blocks < "$D/$id.orig.out")" ]; then
    pass "dnstrace: $id: $(cat "$D/$id.args") (tinydns's random record order: compared reply by reply)"
  else
    fail "dnstrace: $id: $(cat "$D/$id.args")" "rc orig $(cat "$D/$id.orig.rc") ours $(cat "$D/$id.ours.rc")
$(diff "$D/$id.orig.out" "$D/$id.ours.out" | head -n 30)
$(diff "$D/$id.orig.err" "$D/$id.ours.err")"
  fi
done

# a trace must not be empty where the original's is not (guards the
# comparison above against two programs that both failed to run)
check_match "dnstrace: a.test is answered" '^1:a\.test:test:127\.53\.1\.1:answer:a\.test 300 A 192\.0\.2\.1$' "$(cat "$D/a.ours.out")"
n=$(grep -c '^1:www\.bigudp\.bad\.test:bigudp\.bad\.test:127\.53\.9\.10:answer:www\.bigudp\.bad\.test 300 A ' "$D/bigudp.ours.raw")
m=$(grep -c ':127\.53\.9\.10:answer:' "$D/bigudp.orig.raw")
if [ "$n" = 40 ] && [ "$m" = 0 ]; then
  pass "dnstrace: bigudp (Decision 10: 680-byte UDP reply read: 40 answers; original: none)"
else
  fail "dnstrace: bigudp (Decision 10)" "ours: $n answer lines, original: $m"
fi
# the slow server (2 s) is reported by both
for s in orig ours; do
  check_match "dnstrace: slow server reported ($s)" \
    '^1:www\.slow\.bad\.test:slow\.bad\.test:127\.53\.9\.5:ALERT:took more than 1 second$' "$(cat "$D/slow.$s.raw")"
done

# dnstracesort: ours ($B/dnstracesort) and Debian's on every trace above
# (the original's), on random dnstrace-like lines, and on random bytes,
# byte for byte; then the sorted views of both dnstraces' traces.
if [ ! -x "$ORIG/dnstracesort" ] || [ ! -x "$B/dnstracesort" ]; then
  fail "dnstracesort: $ORIG/dnstracesort and $B/dnstracesort exist"
else
  bad=""
  nsorted=0
  for f in "$D"/*.orig.raw; do
    "$ORIG/dnstracesort" < "$f" > "$D/s.orig" 2>&1
    "$B/dnstracesort" < "$f" > "$D/s.ours" 2>&1
    cmp -s "$D/s.orig" "$D/s.ours" || bad="$bad $(basename "$f" .orig.raw)"
    nsorted=$((nsorted + 1))
  done
  if [ -z "$bad" ]; then
    pass "dnstracesort: the $nsorted traces sorted as the original does"
  else
    fail "dnstracesort: traces sorted differently:$bad"
  fi
  seed0=${RANDOM_SEED:-16}
  for seed in $seed0 $((seed0 + 1)) $((seed0 + 2)); do
    awk -v seed=$seed -v n=3000 -f "$TOP/tests/dnstracesort_gen.awk" > "$D/gen.$seed"
    "$ORIG/dnstracesort" < "$D/gen.$seed" > "$D/s.orig" 2>&1
    "$B/dnstracesort" < "$D/gen.$seed" > "$D/s.ours" 2>&1
    if cmp -s "$D/s.orig" "$D/s.ours"; then
      pass "dnstracesort: 3000 random trace lines, seed $seed ($(wc -l < "$D/s.orig") lines out)"
    else
      fail "dnstracesort: 3000 random trace lines, seed $seed" "$(diff "$D/s.orig" "$D/s.ours" | head -10 | cat -A)"
    fi
  done
  head -c 200000 /dev/urandom > "$D/random.bin"
  "$ORIG/dnstracesort" < "$D/random.bin" > "$D/s.orig" 2>&1
  "$B/dnstracesort" < "$D/random.bin" > "$D/s.ours" 2>&1
  echo $? >> "$D/s.ours"
  echo 0 >> "$D/s.orig"
  check "dnstracesort: random bytes as the original" cmp "$D/s.orig" "$D/s.ours"
  for id in a2 cname half glueless2 lame dead; do
    "$B/dnstracesort" < "$D/$id.orig.out" > "$D/$id.orig.sorted"
    "$B/dnstracesort" < "$D/$id.ours.out" > "$D/$id.ours.sorted"
    if cmp -s "$D/$id.orig.sorted" "$D/$id.ours.sorted" && [ -s "$D/$id.orig.sorted" ]; then
      pass "dnstrace: $id through dnstracesort"
    else
      fail "dnstrace: $id through dnstracesort" "$(diff "$D/$id.orig.sorted" "$D/$id.ours.sorted" | head -20)"
    fi
  done
fi
finish
