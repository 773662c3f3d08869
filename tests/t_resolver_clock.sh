#!/bin/sh
# t_resolver_clock.sh: TTLs count time asleep (issue 14 item 5; README
# "Differences", the boot-time clock).  tests/clockshift.so, preloaded,
# makes our dnscache see a suspend: its CLOCK_BOOTTIME jumps ahead by the
# seconds written in a file while CLOCK_MONOTONIC does not.  A record
# cached before a 200 s "sleep" must come back 200 s older, and one whose
# TTL ran out during a 400 s "sleep" must be asked for again.  On the
# monotonic clock neither would happen (margins: a loaded machine).
. "$TOP/tests/lib.sh"

SO=$B/tests/clockshift.so
[ -f "$SO" ] || { fail "clock: $SO built (make units)"; exit 1; }
fakenet_start || { fail "clock: fakenet starts"; exit 1; }
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
echo 0 > "$TMP/shift"
# ASan wants to be the first library; the shim only defines clock_gettime
start_dnscache "$B/dnscache" 127.0.0.1 "$TMP/root" "$TMP/log" \
  LD_PRELOAD="$SO" CLOCKSHIFT="$TMP/shift" ASAN_OPTIONS=verify_asan_link_order=0 ||
  { fail "clock: dnscache starts" "$(cat "$TMP/log")"; exit 1; }

asked() { cat "$FAKENET/127.53.1.1/log" "$FAKENET/127.53.1.2/log" | grep -c " 0001 $1\$"; }
ttl() { printf '%s\n' "$1" | sed -n "s/^answer: $2\. \([0-9]*\) .*/\1/p"; }

r=$(fq 127.0.0.1 A a.test)
check_match "clock: a.test resolves (TTL 300)" '^answer: a\.test\. 300 A 192\.0\.2\.1$' "$r"
check_eq "clock: asked once" 1 "$(asked a.test)"

echo 200 > "$TMP/shift"      # 200 s asleep
r=$(fq 127.0.0.1 A a.test)
t=$(ttl "$r" 'a\.test')
check "clock: after 200 s asleep a.test is 200 s older (TTL $t)" test -n "$t" -a "${t:-0}" -le 100 -a "${t:-0}" -ge 40
check_eq "clock: answered from the cache" 1 "$(asked a.test)"
check_match "clock: logged as cached" '^cached 1 a\.test\.$' "$(cat "$TMP/log")"

echo 400 > "$TMP/shift"      # 200 s more: the TTL ran out while asleep
r=$(fq 127.0.0.1 A a.test)
check_match "clock: after 400 s asleep a.test is fresh again (TTL 300)" '^answer: a\.test\. 300 A 192\.0\.2\.1$' "$r"
check_eq "clock: asked again once its TTL ran out asleep" 2 "$(asked a.test)"
check "clock: ours still running" kill -0 "$DNSCACHE_PID"
no_sanitizer_report "$TMP/log"
finish
