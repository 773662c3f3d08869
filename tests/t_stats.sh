# t_stats.sh: dnscache-stats ($B/dnscache-stats).
#  - golden: a known query sequence sent to our dnscache and to Debian's
#    on the fakenet; each log (stamped by tai64n, as multilog does) must
#    give exactly the counts the suite produced (queries, answers from
#    cache and after asking servers, drops, servfail, lame, clients);
#  - a hand-written log with every line kind (tests/golden/stats_*.exp);
#  - several files and stdin, --prometheus's exposition format, usage;
#  - hostile input: random bytes, a 3 MB line, NULs, a cut last line;
#  - the lines per second on 1,000,000 lines (a "# figure:" line; speed is
#    never asserted).
. "$TOP/tests/lib.sh"

S=$B/dnscache-stats
[ -x "$S" ] || { fail "stats: $S exists"; exit 1; }
GOLD=$TOP/tests/golden

# ---- a hand-written log: every line kind, both address sizes ----
"$S" "$GOLD/stats_kinds.log" > "$TMP/kinds.out" 2>&1
check_eq "stats: every line kind (golden)" "$(cat "$GOLD/stats_kinds.exp")" "$(cat "$TMP/kinds.out")"
"$S" --prometheus "$GOLD/stats_kinds.log" > "$TMP/kinds.prom" 2>&1
check_eq "stats: every line kind, --prometheus (golden)" "$(cat "$GOLD/stats_kinds.prom")" "$(cat "$TMP/kinds.prom")"

# Prometheus text format: each sample's family announced by # HELP and
# # TYPE (counter or gauge) just before its samples, names dnscache_...,
# label values quoted, values numeric; no family twice.
promcheck() {
  awk '
    /^# HELP / { if (seen[$3]++) { print "family twice: " $3; bad = 1 } help = $3; next }
    /^# TYPE / { if ($3 != help || ($4 != "counter" && $4 != "gauge")) { print "bad TYPE: " $0; bad = 1 } fam = $3; next }
    /^#/ { print "stray comment: " $0; bad = 1; next }
    {
      if ($0 !~ /^dnscache_[a-z_]+(\{[a-z_]+="([^"\\]|\\.)*"(,[a-z_]+="([^"\\]|\\.)*")*\})? [0-9]+(\.[0-9]+)?$/) { print "bad sample: " $0; bad = 1 }
      name = $0; sub(/[{ ].*/, "", name)
      if (name != fam) { print "sample outside its family: " $0; bad = 1 }
    }
    END { exit bad }' "$1"
}
check "stats: --prometheus is valid exposition format" promcheck "$TMP/kinds.prom"

# ---- files, stdin, usage ----
split -l 7 "$GOLD/stats_kinds.log" "$TMP/part."
"$S" "$TMP"/part.* > "$TMP/parts.out" 2>&1
check_eq "stats: several files = their concatenation" "$(cat "$TMP/kinds.out")" "$(cat "$TMP/parts.out")"
"$S" < "$GOLD/stats_kinds.log" > "$TMP/stdin.out" 2>&1
check_eq "stats: stdin = the file" "$(cat "$TMP/kinds.out")" "$(cat "$TMP/stdin.out")"
"$S" - < "$GOLD/stats_kinds.log" > "$TMP/dash.out" 2>&1
check_eq "stats: - is stdin" "$(cat "$TMP/kinds.out")" "$(cat "$TMP/dash.out")"
"$S" --bogus > "$TMP/u.out" 2>&1
echo $? >> "$TMP/u.out"
check_eq "stats: bad option: usage, exit 100" "dnscache-stats: usage: dnscache-stats [--prometheus] [file ...]
100" "$(cat "$TMP/u.out")"
"$S" "$TMP/no-such-file" > "$TMP/nf.out" 2>&1
echo $? >> "$TMP/nf.out"
check_eq "stats: missing file: exit 111" "dnscache-stats: fatal: unable to open $TMP/no-such-file: file does not exist
111" "$(cat "$TMP/nf.out")"
"$S" --help > "$TMP/help.out" 2>&1
check_match "stats: --help states the hit-ratio rule" 'hit ratio = answers from cache / all answers' "$(cat "$TMP/help.out")"

# ---- hostile input ----
head -c 2000000 /dev/urandom > "$TMP/random.bin"
"$S" "$TMP/random.bin" > "$TMP/random.out" 2>&1
rc=$?
check_eq "stats: random bytes: exit 0" 0 $rc
lines=$(tr -cd '\n' < "$TMP/random.bin" | wc -c)
# every newline ends a line; the bytes after the last one are one more
check_match "stats: random bytes: every line unparsed" "^lines $((lines + 1)) \\(unparsed $((lines + 1))\\)\$" "$(cat "$TMP/random.out")"
{
  echo "query 1 7f000001:0001:0001 1 a.test."
  head -c 3000000 /dev/zero | tr '\0' 'x'
  echo
  printf 'sent 1 40\n'
  printf 'sent 2\0 40\n'
  printf 'query 3 7f000001:0001:0002 1 b.test.\nsent 3 4'
} > "$TMP/hostile.log"
"$S" "$TMP/hostile.log" > "$TMP/hostile.out" 2>&1
rc=$?
check_eq "stats: 3 MB line, NUL, cut last line: exit 0" 0 $rc
check_match "stats: 3 MB line and NUL line unparsed" '^lines 6 \(unparsed 2\)$' "$(cat "$TMP/hostile.out")"
# the long line between them breaks "answered straight away" for query 1
check_match "stats: 3 MB line: query 1 answered after asking" '^  answered after asking servers 1$' "$(cat "$TMP/hostile.out")"
check_match "stats: cut last line still read (query 3 from cache)" '^  answered from cache 1$' "$(cat "$TMP/hostile.out")"

# ---- golden: our daemon and Debian's on the fakenet ----
fakenet_start || { fail "stats: fakenet starts"; finish; exit 1; }
# Each daemon's output goes through tai64n as it is written (as multilog
# stamps it), through a FIFO standing in for the log file.
for side in ours orig; do
  mkfifo "$TMP/live.$side.log"
  tai64n < "$TMP/live.$side.log" > "$TMP/live.$side.stamped" &
  track $!
done
start_pair live 127.0.0.2 127.0.0.3 || { finish; exit 1; }
sleep 0.5
# start_pair's own "localhost" probes: answered at once, like a cache hit
base_ours=$(grep -c ' query ' "$TMP/live.ours.stamped")
base_orig=$(grep -c ' query ' "$TMP/live.orig.stamped")

# One query each, one at a time, waiting for the answer (fq: no retry).
ask() {
  _ip=$1
  shift
  fq --timeout "$1" "$_ip" "$2" "$3" > /dev/null 2>&1
}
drive() {
  for n in "A a.test" "MX mx.test" "A www.sub.test" "A cname.test" "A www.glueless.test" "TXT txt.test" "A nx.test"; do
    set -- $n; ask "$IP" 10 "$1" "$2"           # 7 resolved (cold)
  done
  for n in "A a.test" "MX mx.test" "A www.sub.test" "A cname.test" "A www.glueless.test" "TXT txt.test" "A nx.test"; do
    set -- $n; ask "$IP" 10 "$1" "$2"           # 7 from the cache
  done
  ask "$IP" 10 A localhost                      # 3 answered at once
  ask "$IP" 10 A localhost
  ask "$IP" 10 A 1.2.3.4
  ask "$IP" 10 A www.lame.test                  # resolved: SERVFAIL after a lame line
  ask "$IP" 30 A www.servfail.bad.test          # resolved: SERVFAIL after ~11 s (servfail line)
  ask "$IP" 2 AXFR a.test                       # dropped: permission denied
}
IP=127.0.0.2 drive &
p1=$!
IP=127.0.0.3 drive &
p2=$!
wait $p1 $p2
sleep 1   # the last lines through the FIFO
for side in ours orig; do
  eval "base=\$base_$side"
  q=$((base + 20)) c=$((base + 10))
  ratio=$(awk -v c=$c 'BEGIN { printf "%.2f", 100 * c / (c + 9) }')
  cut -c27- < "$TMP/live.$side.stamped" > "$TMP/live.$side.plain.log"
  "$S" "$TMP/live.$side.stamped" > "$TMP/live.$side.out" 2>&1
  out=$(cat "$TMP/live.$side.out")
  who="stats: $side dnscache's log"
  check_match "$who: $q queries (20 + $base start-up probes)" "^queries $q\$" "$out"
  check_match "$who: $c answered from cache" "^  answered from cache $c\$" "$out"
  check_match "$who: 9 answered after asking servers" '^  answered after asking servers 9$' "$out"
  check_match "$who: 1 dropped" '^  dropped 1$' "$out"
  check_match "$who: hit ratio $ratio%" "^hit ratio $ratio% \\($c of $((c + 9)) answers\\)\$" "$out"
  check_match "$who: drop reason" '^  1 permission denied$' "$out"
  check_match "$who: servfail" '^servfail 1$' "$out"
  check_match "$who: servfail name" '^  1 www\.servfail\.bad\.test\.$' "$out"
  check_match "$who: lame by zone" '^  [1-9][0-9]* lame\.test\. 127\.53\.1\.[12]$' "$out"
  check_match "$who: busiest client" "^  $q 127\\.0\\.0\\.1\$" "$out"
  check_match "$who: busiest names" '^  3 a\.test\.$' "$out"
  check_match "$who: localhost" "^  $((base + 2)) localhost\\.\$" "$out"
  check_match "$who: no unparsed line" '^lines [0-9]+ \(unparsed 0\)$' "$out"
  check_match "$who: one start" '^starts 1, fatal errors 0$' "$out"
  check_match "$who: queries per minute" '^queries per minute [0-9.]+ \(over [0-9]+ s\), busiest minute 2[0-9]{3}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC with [0-9]+$' "$out"
  check_match "$who: last stats line" '^last stats: queries [0-9]+, cache motion [1-9][0-9]* bytes, active udp [0-9]+, tcp 0$' "$out"
  "$S" --prometheus "$TMP/live.$side.stamped" > "$TMP/live.$side.prom" 2>&1
  check "stats: $side: --prometheus valid" promcheck "$TMP/live.$side.prom"
  check_match "$who: prometheus cache answers" "^dnscache_answers_total\\{source=\"cache\"\\} $c\$" "$(cat "$TMP/live.$side.prom")"
  check_match "$who: prometheus queries" "^dnscache_queries_total $q\$" "$(cat "$TMP/live.$side.prom")"
  # unstamped lines give the same counts
  "$S" "$TMP/live.$side.plain.log" > "$TMP/live.$side.plain" 2>&1
  check_eq "$who: unstamped = stamped (but the per-minute line)" \
    "$(grep -v '^queries per minute' "$TMP/live.$side.out")" "$(cat "$TMP/live.$side.plain")"
done

# ---- speed: 1,000,000 lines (a figure, never asserted) ----
n=$(wc -l < "$TMP/live.ours.stamped")
[ "$n" -gt 0 ] || n=1
reps=$((1000000 / n + 1))
i=0
: > "$TMP/big.log"
while [ $i -lt 10 ]; do cat "$TMP/live.ours.stamped" >> "$TMP/big.log"; i=$((i + 1)); done
cp "$TMP/big.log" "$TMP/big10.log"
i=10
while [ $i -lt $reps ]; do cat "$TMP/big10.log" >> "$TMP/big.log"; i=$((i + 10)); done
total=$(wc -l < "$TMP/big.log")
t0=$(date +%s.%N)
"$S" "$TMP/big.log" > "$TMP/big.out"
t1=$(date +%s.%N)
check_match "stats: $total lines read" "^lines $total " "$(cat "$TMP/big.out")"
echo "# figure: dnscache-stats read $total log lines in $(echo "$t1 - $t0" | bc) s ($(echo "$total / ($t1 - $t0)" | bc) lines/s)"
finish
