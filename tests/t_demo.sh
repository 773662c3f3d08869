# t_demo.sh: `make demo` (tests/demo.sh), run in this suite's namespace:
# it exits 0, its answers are right, every second lookup is answered from
# the cache (the log says "cached", no upstream query), the output is
# short, and it leaves no process or socket behind.  Then the same demo
# with Debian's dnscache must give the same answers.
. "$TOP/tests/lib.sh"

mine=$(readlink /proc/self/ns/net)
# Fakenet/daemon processes in this network namespace (none may be left).
leftovers() {
  for d in /proc/[0-9]*; do
    [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$mine" ] || continue
    c=$(cat "$d/comm" 2>/dev/null)
    case $c in
      dnscache|tinydns|axfrdns|tcpserver|timeout|python3*) echo "${d#/proc/} $c" ;;
    esac
  done
  ss -Hlnu 2>/dev/null
  ss -Hlnt 2>/dev/null
}

# The answers, as a sorted list without times, PIDs and log lines.
answers() {
  sed -n '/^--- /q; p' "$1" | grep -Ev '^(===|\(|fake servers|dnscache:|  cold )' |
    tr ' ' '\n' | sort | tr '\n' ' '
}

sh "$TOP/tests/demo.sh" > "$TMP/out" 2>&1 < /dev/null
rc=$?
out=$(cat "$TMP/out")
check_eq "demo: exit 0" 0 "$rc"
check_match "demo: ends with demo OK, nothing left" \
  '^=== stopped dnscache \(pid [0-9]+\) and [0-9]+ fakenet processes, 0 left; demo OK$' "$(tail -n 1 "$TMP/out")"
check_eq "demo: no PROBLEM line" "" "$(grep PROBLEM "$TMP/out")"
n=$(wc -l < "$TMP/out")
check "demo: fewer than 60 lines ($n)" [ "$n" -lt 60 ]
check_eq "demo: no process or socket left" "" "$(leftovers)"

check_match "demo: A www.sub.test .50" '^answer: www.sub.test 300 A 192.0.2.50$' "$out"
check_match "demo: A www.sub.test .51" '^answer: www.sub.test 300 A 192.0.2.51$' "$out"
check_eq "demo: CNAME chain across zones" \
  "answer: xcname.test 300 CNAME cname.sub.test
answer: cname.sub.test 300 CNAME a.test
answer: a.test 300 A 192.0.2.1" "$(grep -A3 '^\$ dnsqr a xcname.test' "$TMP/out" | sed 1d)"
check_eq "demo: MX" "answer: mx.test 300 MX 10 mail.test
answer: mx.test 300 MX 20 mail2.test" "$(grep '^answer: mx.test' "$TMP/out")"
check_eq "demo: NXDOMAIN" "25 bytes, 1+0+0+0 records, response, authoritative, nxdomain" \
  "$(grep -A1 '^\$ dnsqr a nx.test' "$TMP/out" | sed 1d)"
check_eq "demo: big TXT over TCP (1013 bytes, 12 records)" \
  "1013 bytes, 1+12+0+0 records, response, noerror" \
  "$(grep -A1 '^\$ dnsqr txt bigtxt.test' "$TMP/out" | sed 1d)"
check_match "demo: slow zone answered" '^answer: www.x1.bad.test 300 A 192.0.2.99$' "$out"
check_eq "demo: dnsip" "192.0.2.50 192.0.2.51
192.0.2.1
192.0.2.100" "$(grep -A3 '^\$ dnsip' "$TMP/out" | sed 1d | while read -r l; do
  printf '%s\n' "$l" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/^ *//; s/ *$//'; echo; done)"
check_eq "demo: dnsname" "a.test" "$(grep -A1 '^\$ dnsname' "$TMP/out" | sed 1d)"
check_eq "demo: dnsmx" "10 mail.test
20 mail2.test" "$(grep -A2 '^\$ dnsmx' "$TMP/out" | sed 1d)"

# Every name twice: the cold lookup asked servers, the second none.
check_eq "demo: 6 names asked upstream when cold" 6 \
  "$(grep -Ec '^  cold [0-9.]+ ms \([1-9][0-9]* upstream quer' "$TMP/out")"
check_eq "demo: 6 second lookups cached, no upstream query" 6 \
  "$(grep -Ec 'again [0-9.]+ ms \(none: cached ' "$TMP/out")"
for t in "1 www.sub.test." "cname xcname.test. cname.sub.test." "15 mx.test." \
    "nxdomain nx.test." "16 bigtxt.test." "1 www.x1.bad.test."; do
  check_match "demo: second lookup logged cached $t" "none: cached $t\\)\$" "$out"
done
# The 0.3 s server: cold >= 300 ms, cached faster than cold (the log
# lines above prove no upstream query; on a quiet machine it is about
# 1 ms, on a loaded one it has been seen at 470 ms).
slow=$(grep -A2 '^\$ dnsqr a www.x1.bad.test' "$TMP/out" | grep '^  cold')
cold=$(printf '%s\n' "$slow" | sed -n 's/^  cold \([0-9]*\)\..*/\1/p')
again=$(printf '%s\n' "$slow" | sed -n 's/.*again \([0-9]*\)\..*/\1/p')
check "demo: slow zone cold >= 300 ms ($cold)" [ "${cold:-0}" -ge 300 ]
check "demo: slow zone cached faster than cold ($again < $cold ms)" [ "${again:-999}" -lt "${cold:-0}" ]

# The log excerpt shows each kind of line.
excerpt=$(sed -n '/^--- /,/^===/p' "$TMP/out")
for k in query cached tx rr stats sent; do
  check_match "demo: log excerpt has $k lines" "^$k " "$excerpt"
done
check_eq "demo: excerpt: second mx.test lookup from the cache" \
  "cached 15 mx.test." "$(printf '%s\n' "$excerpt" | grep -A1 '^query .* 15 mx.test.$' | tail -n 1)"

# The same demo with Debian's dnscache gives the same answers.
if [ -x /usr/sbin/dnscache ]; then
  DEMO_DNSCACHE=/usr/sbin/dnscache sh "$TOP/tests/demo.sh" > "$TMP/orig" 2>&1 < /dev/null
  check_eq "demo: Debian's dnscache: exit 0" 0 "$?"
  check_eq "demo: same answers with Debian's dnscache" "$(answers "$TMP/orig")" "$(answers "$TMP/out")"
  check_eq "demo: no process left after the second run" "" "$(leftovers)"
fi
finish
