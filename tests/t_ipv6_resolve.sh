#!/bin/sh
# t_ipv6_resolve.sh: resolution through IPv6 name servers (SPEC 4.1) in
# the IPv6 world (tests/fakenet6): IPv6-only, glueless IPv6-only,
# dual-stack and IPv4-only delegations, from an IPv6-only, IPv4-only or
# dual root; A first, AAAA only when a name server has no A; $DISABLEIPV6;
# an unreachable IPv6 server fails at once; spoofed replies from a wrong
# IPv6 source and out-of-bailiwick AAAA glue (badserver.py spoof6, oob6)
# are ignored; ::1 learned from the network only with $QUERYLOOPBACK
# (SPEC 4.3); server-side log lines with 32 hex digits for IPv6; and
# issue 12's "done when": one process on IP=127.0.0.1/::1 answering dig
# @::1 and @127.0.0.1 for IPv6-only, dual-stack and IPv4-only chains.
. "$TOP/tests/lib.sh"
. "$TOP/tests/fakenet6/start"

if [ "$(id -u)" != 0 ]; then
  skip "IPv6 resolution" "needs root (chroot)"
  finish
  exit
fi
why=$(fakenet6_can)
if [ -n "$why" ]; then
  skip "IPv6 resolution" "$why"
  finish
  exit
fi
fakenet6_start || { fail "the IPv6 world starts"; finish; exit; }

# one cache per roots file: IPv6-only root, IPv4-only root, both
n=0
for roots in "$FAKENET6_ROOTS" "$FAKENET6_ROOTS4" "$FAKENET6_ROOTS46"; do
  n=$((n + 1))
  ip=127.0.0.$((10 + n))
  label=$(basename "$roots")
  make_cacheroot "$TMP/r$n" "$roots"
  if ! start_dnscache "$B/dnscache" "$ip" "$TMP/r$n" "$TMP/log$n"; then
    fail "$label: our dnscache starts" "$(cat "$TMP/log$n")"
    continue
  fi
  for q in $F6_QUESTIONS; do
    check_eq "$label: $q" "$(f6_expect "$q")" "$(f6_ask "$ip" "${q%%:*}" "${q#*:}")"
  done
  untrack_kill "$DNSCACHE_PID"
  cp "$TMP/log$n" "$TMP/log$n.done"
done
log=$TMP/log3.done

# log lines (SPEC 4.1): IPv6 servers as 32 hex digits, IPv4 as 8
check_match "tx to the IPv6-only server: 32 hex digits" \
  '^tx 0 1 www\.v6only\.test\. v6only\.test\. fd000053000000000000000000000010$' \
  "$(grep '^tx 0 1 www.v6only.test. v6only.test. ' "$TMP/log1.done" | head -1)"
check_match "rr from an IPv6 server: 32 hex digits" \
  '^rr fd000053000000000000000000000010 3000 28 www\.v6only\.test\. 20010db8000000000000000000000061$' \
  "$(grep '^rr fd000053000000000000000000000010 3000 28 www.v6only.test. 20010db8000000000000000000000061' "$TMP/log1.done")"
check_match "nxdomain from an IPv6 server: 32 hex digits" \
  '^nxdomain fd000053000000000000000000000010 300 nx\.v6only\.test\.$' \
  "$(grep '^nxdomain .* nx.v6only.test.' "$TMP/log1.done")"
check_match "nodata from an IPv6 server: 32 hex digits" \
  '^nodata fd000053000000000000000000000010 300 1 only6\.v6only\.test\.$' \
  "$(grep '^nodata .* only6.v6only.test.' "$TMP/log1.done")"
check_match "IPv4 servers: 8 hex digits as before" \
  '^tx 0 1 www\.v4only\.test\. v4only\.test\. 7f35641e$' \
  "$(grep '^tx 0 1 www.v4only.test. v4only.test. ' "$TMP/log2.done" | head -1)"
check_eq "every server-side line parses (dnscache-stats)" "" \
  "$("$B/dnscache-stats" < "$log" 2>&1 > /dev/null)"

# A first, AAAA only when no A: the dual-stack server was asked over IPv4
# only; the IPv6-only ones over IPv6; no AAAA asked for a server with A
check_eq "dual stack: never asked over IPv6 (A glue known)" "" \
  "$(grep -h '^tx .* fd000053000000000000000000000020' "$TMP"/log*.done)"
check_eq "no AAAA asked for ns.dual.test (its A is known)" "" \
  "$(grep -h '^tx [1-9] 28 ns\.dual\.test\.' "$TMP"/log*.done)"
check_match "glueless6: the NS name's A asked first, then its AAAA" \
  '^tx 1 1 host6\.v6only\.test\. .*tx 1 28 host6\.v6only\.test\. ' \
  "$(grep '^tx 1 [0-9]* host6.v6only.test. ' "$TMP/log1.done" | tr '\n' ' ')"

# badserver on IPv6: the forged replies from fd00:53::68 (spoof6) and the
# out-of-bailiwick AAAA glue (oob6) are never used
check_eq "spoof6: no forged address cached" "" \
  "$(grep -h '7f354206\|fd000053000000000000000000060006' "$TMP"/log*.done | grep -v '^query\|^tx')"
check_eq "oob6: never sent to the forged AAAA glue" "" \
  "$(grep -h '^tx .*fd000053000000000000000000060006' "$TMP"/log*.done)"
check "spoof6 got our queries" test "$(cat "$FAKENET6/count/fd00:53::66" 2> /dev/null || echo 0)" -gt 0

# $DISABLEIPV6: no IPv6 upstream at all
make_cacheroot "$TMP/r4" "$FAKENET6_ROOTS46"
if start_dnscache "$B/dnscache" 127.0.0.14 "$TMP/r4" "$TMP/log4" DISABLEIPV6=1; then
  check_eq "DISABLEIPV6: IPv4-only chain resolves" "NOERROR A 192.0.2.64 " "$(f6_ask 127.0.0.14 A www.v4only.test)"
  check_eq "DISABLEIPV6: dual-stack chain resolves" "NOERROR A 192.0.2.63 " "$(f6_ask 127.0.0.14 A www.dual.test)"
  check_eq "DISABLEIPV6: IPv6-only chain fails" "SERVFAIL " "$(f6_ask 127.0.0.14 A www.v6only.test)"
  check_eq "DISABLEIPV6: no IPv6 server in any tx line" "" \
    "$(grep '^tx ' "$TMP/log4" | grep -E ' [0-9a-f]{32}( |$)')"
  untrack_kill "$DNSCACHE_PID"
else
  fail "DISABLEIPV6: our dnscache starts" "$(cat "$TMP/log4")"
fi

# An IPv6 server with no route (fd00:54::/64 is on no interface): its
# send fails at once, so the zone's SERVFAIL comes at once, not after
# 1+3+11+45 s of timeouts; with an IPv4 server beside it the zone
# resolves without waiting either.
make_cacheroot "$TMP/r5" "$FAKENET6_ROOTS46"
echo fd00:54::1 > "$TMP/r5/servers/unreach.test"
printf 'fd00:54::1\nfd00:54::2\n127.53.100.30\n' > "$TMP/r5/servers/v4only.test"
if start_dnscache "$B/dnscache" 127.0.0.15 "$TMP/r5" "$TMP/log5"; then
  t0=$(date +%s)
  r=$(f6_ask 127.0.0.15 A www.unreach.test)
  t1=$(date +%s)
  check_eq "unreachable IPv6 server: SERVFAIL" "SERVFAIL " "$r"
  check "unreachable IPv6 server: failed at once (took $((t1 - t0)) s, timeouts would take 60)" \
    test $((t1 - t0)) -lt 20
  t0=$(date +%s)
  r=$(f6_ask 127.0.0.15 A www.v4only.test)
  t1=$(date +%s)
  check_eq "unreachable IPv6 servers beside an IPv4 one: resolves" "NOERROR A 192.0.2.64 " "$r"
  check "... without waiting for them (took $((t1 - t0)) s)" test $((t1 - t0)) -lt 20
  untrack_kill "$DNSCACHE_PID"
else
  fail "unreachable: our dnscache starts" "$(cat "$TMP/log5")"
fi

# SPEC 4.3: a remote zone's ::1 name server is never asked without
# $QUERYLOOPBACK; a servers/ file naming ::1 always is.  badserver
# loopns:::1 on fd00:53::69 delegates in.ZONE to ns.in.ZONE, AAAA glue ::1.
ip -6 addr add fd00:53::69/128 dev lo nodad 2> /dev/null
"$PYTHON" "$TOP/tests/fakenet/badserver.py" --lifetime 300 --countdir "$FAKENET6/count" \
  "fd00:53::69=loopns:::1@lo6.v6only.test" "::1=ok@x.lo6.v6only.test" 2> "$TMP/bad69.log" &
BAD69=$!
track $BAD69
wait_udp "[fd00:53::69]" 53 && wait_udp "[::1]" 53 || fail "loopback badservers start" "$(cat "$TMP/bad69.log")"
make_cacheroot "$TMP/r6" "$FAKENET6_ROOTS46"
echo fd00:53::69 > "$TMP/r6/servers/lo6.v6only.test"
echo ::1 > "$TMP/r6/servers/x.lo6.v6only.test"
for lb in "" 1; do
  if start_dnscache "$B/dnscache" 127.0.0.16 "$TMP/r6" "$TMP/log6$lb" QUERYLOOPBACK="$lb"; then
    before=$(cat "$FAKENET6/count/::1" 2> /dev/null || echo 0)
    r=$(f6_ask 127.0.0.16 A www.in.lo6.v6only.test)
    after=$(cat "$FAKENET6/count/::1" 2> /dev/null || echo 0)
    if [ -z "$lb" ]; then
      check_eq "::1 glue without QUERYLOOPBACK: SERVFAIL" "SERVFAIL " "$r"
      check_eq "::1 glue without QUERYLOOPBACK: ::1 never asked" "$before" "$after"
      check_eq "servers/ naming ::1: asked without QUERYLOOPBACK" "NOERROR A 192.0.2.99 " \
        "$(f6_ask 127.0.0.16 A www.x.lo6.v6only.test)"
    else
      check_eq "::1 glue with QUERYLOOPBACK: asked" "NOERROR A 192.0.2.99 " "$r"
      check "::1 glue with QUERYLOOPBACK: ::1 asked" test "$after" -gt "$before"
    fi
    untrack_kill "$DNSCACHE_PID"
  else
    fail "loopback ($lb): our dnscache starts" "$(cat "$TMP/log6$lb")"
  fi
done
untrack_kill "$BAD69"   # it holds ::1 port 53

# Issue 12's "done when": ONE process with IP=127.0.0.1/::1 answers
# dig @::1 and dig @127.0.0.1 for names whose whole delegation chain is
# IPv6-only (root on IPv6 only, v6only.test, glueless6.test), dual-stack
# or IPv4-only.
make_cacheroot "$TMP/r7" "$FAKENET6_ROOTS"
: > "$TMP/r7/ip/::1"
if start_dnscache "$B/dnscache" 127.0.0.1/::1 "$TMP/r7" "$TMP/log7"; then
  for q in A:www.v6only.test AAAA:www.v6only.test A:www.glueless6.test \
           A:www.dual.test AAAA:www.dual.test A:www.v4only.test; do
    for at in ::1 127.0.0.1; do
      check_eq "one process on 127.0.0.1/::1: dig @$at $q" "$(f6_expect "$q")" \
        "$(f6_ask "$at" "${q%%:*}" "${q#*:}")"
    done
  done
  check_eq "one process: one cache (www.v6only.test A asked upstream once)" 1 \
    "$(grep -c '^tx 0 1 www.v6only.test. v6only.test. ' "$TMP/log7")"
  check_match "one process: queries from ::1 logged with 32 digits" \
    '^query [0-9]+ 00000000000000000000000000000001:[0-9a-f]{4}:[0-9a-f]{4} 1 www\.v6only\.test\.$' \
    "$(grep '^query .* 1 www.v6only.test.$' "$TMP/log7")"
  untrack_kill "$DNSCACHE_PID"
else
  fail "one process on 127.0.0.1/::1 starts" "$(cat "$TMP/log7")"
fi

for f in "$TMP/log7" "$TMP"/log*.done "$TMP/log4" "$TMP/log5" "$TMP/log6" "$TMP/log61"; do
  [ -f "$f" ] && no_sanitizer_report "$f"
done
finish
