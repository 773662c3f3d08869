#!/bin/sh
# t_resolver_stale.sh: serve-stale ($SERVESTALE, SPEC 4.3, RFC 8767;
# README decision 21).  An upstream (badserver outage) answers once
# with TTL 2, then goes silent.  Once the TTL has run out, a cache with
# SERVESTALE=N answers the expired record with TTL 30 when every server
# has failed (after its 60 s of retries), logs "stale TYPE NAME", and
# answers fresh again once the upstream is back (SIGUSR1).  Without
# SERVESTALE: SERVFAIL, exactly as 1.05.
. "$TOP/tests/lib.sh"

fakenet_start || { fail "stale: fakenet starts"; exit 1; }
bad_start 127.53.9.101=outage:2@x1.bad.test || { fail "stale: badserver 1 starts"; exit 1; }
BAD1=$BAD_PID
bad_start 127.53.9.102=outage:2@x2.bad.test || { fail "stale: badserver 2 starts"; exit 1; }
bad_start 127.53.9.103=outage:2@x3.bad.test || { fail "stale: badserver 3 starts"; exit 1; }
for r in stale plain short; do make_cacheroot "$TMP/$r" "$FAKENET_ROOTS"; done
start_dnscache "$B/dnscache" 127.0.0.3 "$TMP/stale" "$TMP/stale.log" SERVESTALE=3600 ||
  { fail "stale: ours with SERVESTALE starts" "$(cat "$TMP/stale.log")"; exit 1; }
STALE_PID=$DNSCACHE_PID
start_dnscache "$B/dnscache" 127.0.0.4 "$TMP/plain" "$TMP/plain.log" ||
  { fail "stale: ours without SERVESTALE starts" "$(cat "$TMP/plain.log")"; exit 1; }
start_dnscache "$B/dnscache" 127.0.0.5 "$TMP/short" "$TMP/short.log" SERVESTALE=20 ||
  { fail "stale: ours with SERVESTALE=20 starts" "$(cat "$TMP/short.log")"; exit 1; }

check_match "stale: www.x1.bad.test answered (TTL 2)" '^answer: www\.x1\.bad\.test\. 2 A 192\.0\.2\.99$' "$(fq 127.0.0.3 A www.x1.bad.test)"
check_match "stale: www.x2.bad.test answered (TTL 2)" '^answer: www\.x2\.bad\.test\. 2 A 192\.0\.2\.99$' "$(fq 127.0.0.4 A www.x2.bad.test)"
check_match "stale: www.x3.bad.test answered (TTL 2)" '^answer: www\.x3\.bad\.test\. 2 A 192\.0\.2\.99$' "$(fq 127.0.0.5 A www.x3.bad.test)"
sleep 4   # both expired; both upstreams silent now
t0=$(date +%s)
fq --timeout 80 127.0.0.4 A www.x2.bad.test > "$TMP/plain.out" 2>&1 &
P=$!
fq --timeout 80 127.0.0.5 A www.x3.bad.test > "$TMP/short.out" 2>&1 &
P2=$!
r=$(fq --timeout 80 127.0.0.3 A www.x1.bad.test)
t1=$(date +%s)
wait $P $P2
echo "# figure: stale: the stale answer came after $((t1 - t0)) s (the retry schedule: 1+3+11+45 s)"
check_match "stale: every server failed: the expired record with TTL 30" '^answer: www\.x1\.bad\.test\. 30 A 192\.0\.2\.99$' "$r"
check_match "stale: NOERROR, one answer" '^rcode=NOERROR flags=qr,rd,ra an=1 ' "$r"
check_match "stale: logged" '^stale 1 www\.x1\.bad\.test\.$' "$(cat "$TMP/stale.log")"
check_match "stale: the failure itself logged as before" '^servfail www\.x1\.bad\.test\. input/output error$' "$(cat "$TMP/stale.log")"
check_match "stale: without SERVESTALE: SERVFAIL as 1.05" '^rcode=SERVFAIL ' "$(cat "$TMP/plain.out")"
check_eq "stale: without SERVESTALE: no stale line" "" "$(grep '^stale' "$TMP/plain.log")"

# the upstream is back: a fresh answer (the stale one was not cached)
kill -USR1 "$BAD1"
c=$(bad_count 127.53.9.101)
check_match "stale: upstream back: a fresh answer (TTL 2)" '^answer: www\.x1\.bad\.test\. 2 A 192\.0\.2\.99$' "$(fq 127.0.0.3 A www.x1.bad.test)"
check_eq "stale: upstream back: asked once more" $((c + 1)) "$(bad_count 127.53.9.101)"
check_eq "stale: one stale line in all" 1 "$(grep -c '^stale' "$TMP/stale.log")"
check_match "stale: expired more than SERVESTALE=20 s ago: SERVFAIL" '^rcode=SERVFAIL ' "$(cat "$TMP/short.out")"
check_eq "stale: too old: no stale line" "" "$(grep '^stale' "$TMP/short.log")"
check "stale: ours still running" kill -0 "$STALE_PID"
no_sanitizer_report "$TMP/stale.log"
finish
