#!/bin/sh
# t_resolver_stale.sh: serve-stale ($SERVESTALE, SPEC 4.3, RFC 8767;
# README decision 21).  Upstreams (badserver outage) answer once with
# TTL 2, then go silent.  Once the TTL has run out, a cache with
# SERVESTALE=N answers the expired record with TTL 30 after the client
# has waited about 1.8 s (RFC 8767's client response timer), well within
# a stub's 5 s timeout, logs "stale TYPE NAME", and resolves on in the
# background: when the upstream is back the cache is fresh again.  A
# question that failed less than 30 s ago is answered stale at once
# (the failure recheck).  Without SERVESTALE: nothing within 5 s, then
# SERVFAIL after the retries, exactly as 1.05.
. "$TOP/tests/lib.sh"

fakenet_start || { fail "stale: fakenet starts"; exit 1; }
# one process each: outage is a per-process switch
bad_start 127.53.9.101=outage:2@x1.bad.test || { fail "stale: badserver 1 starts"; exit 1; }
BAD1=$BAD_PID
bad_start 127.53.9.102=outage:2@x2.bad.test || { fail "stale: badserver 2 starts"; exit 1; }
bad_start 127.53.9.103=outage:2@x3.bad.test || { fail "stale: badserver 3 starts"; exit 1; }
bad_start 127.53.9.104=outage:2@x4.bad.test || { fail "stale: badserver 4 starts"; exit 1; }
bad_start 127.53.9.105=outage:2@x5.bad.test || { fail "stale: badserver 5 starts"; exit 1; }
for r in stale plain short; do make_cacheroot "$TMP/$r" "$FAKENET_ROOTS"; done
start_dnscache "$B/dnscache" 127.0.0.3 "$TMP/stale" "$TMP/stale.log" SERVESTALE=3600 ||
  { fail "stale: ours with SERVESTALE starts" "$(cat "$TMP/stale.log")"; exit 1; }
STALE_PID=$DNSCACHE_PID
start_dnscache "$B/dnscache" 127.0.0.4 "$TMP/plain" "$TMP/plain.log" ||
  { fail "stale: ours without SERVESTALE starts" "$(cat "$TMP/plain.log")"; exit 1; }
start_dnscache "$B/dnscache" 127.0.0.5 "$TMP/short" "$TMP/short.log" SERVESTALE=1 ||
  { fail "stale: ours with SERVESTALE=1 starts" "$(cat "$TMP/short.log")"; exit 1; }

A2='A 192\.0\.2\.99$'
check_match "stale: www.x1.bad.test answered (TTL 2)" "^answer: www\.x1\.bad\.test\. 2 $A2" "$(fq 127.0.0.3 A www.x1.bad.test)"
check_match "stale: www.x4.bad.test answered (TTL 2)" "^answer: www\.x4\.bad\.test\. 2 $A2" "$(fq 127.0.0.3 A www.x4.bad.test)"
check_match "stale: www.x5.bad.test answered (TTL 2)" "^answer: www\.x5\.bad\.test\. 2 $A2" "$(fq 127.0.0.3 A www.x5.bad.test)"
check_match "stale: www.x2.bad.test answered (TTL 2)" "^answer: www\.x2\.bad\.test\. 2 $A2" "$(fq 127.0.0.4 A www.x2.bad.test)"
check_match "stale: www.x3.bad.test answered (TTL 2)" "^answer: www\.x3\.bad\.test\. 2 $A2" "$(fq 127.0.0.5 A www.x3.bad.test)"
sleep 5   # all expired (more than SERVESTALE=1 s ago); the upstreams silent now

# a stub resolver's single try with a 5 s timeout (glibc's default)
fq --timeout 5 --elapsed 127.0.0.4 A www.x2.bad.test > "$TMP/plain.out" 2>&1 &
P=$!
fq --timeout 80 127.0.0.5 A www.x3.bad.test > "$TMP/short.out" 2>&1 &
P2=$!
fq --timeout 5 --elapsed 127.0.0.3 A www.x4.bad.test > "$TMP/x4.out" 2>&1 &
P4=$!
fq --tcp --timeout 5 127.0.0.3 A www.x5.bad.test > "$TMP/x5.out" 2>&1 &
P5=$!
r=$(fq --timeout 5 --elapsed 127.0.0.3 A www.x1.bad.test)
# a second client while the first one's resolution goes on: the same
r2=$(fq --timeout 5 --elapsed 127.0.0.3 A www.x1.bad.test)
c1=$(bad_count 127.53.9.101)
wait $P $P4 $P5
e=$(echo "$r" | sed -n 's/^elapsed //p')
echo "# figure: stale: the stale answer came after ${e:-?} s (whole seconds; the client timer is 1.8 s, a stub's timeout 5 s)"
check_match "stale: the expired record with TTL 30 within a 5 s timeout" "^answer: www\.x1\.bad\.test\. 30 $A2" "$r"
check_match "stale: NOERROR, one answer" '^rcode=NOERROR flags=qr,rd,ra an=1 ' "$r"
check "stale: answered in under 5 s" test "${e:-99}" -lt 5
check_match "stale: a second client: the same" "^answer: www\.x1\.bad\.test\. 30 $A2" "$r2"
check_match "stale: www.x4.bad.test: the same" "^answer: www\.x4\.bad\.test\. 30 $A2" "$(cat "$TMP/x4.out")"
check_match "stale: over TCP: the same" "^answer: www\.x5\.bad\.test\. 30 $A2" "$(cat "$TMP/x5.out")"
check_match "stale: logged" '^stale 1 www\.x1\.bad\.test\.$' "$(cat "$TMP/stale.log")"
check_match "stale: without SERVESTALE: no answer within 5 s" '^timeout$' "$(cat "$TMP/plain.out")"
check_eq "stale: without SERVESTALE: no stale line" "" "$(grep '^stale' "$TMP/plain.log")"

# the first client's resolution goes on without a client: it asks the
# upstream again by itself (its retries) ...
kill -USR1 "$BAD1"   # the upstream is back (it sees only later retries)
i=0
while [ "$(bad_count 127.53.9.101)" -le "$c1" ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
check "stale: the resolution went on after the stale answer (upstream asked again)" \
  test "$(bad_count 127.53.9.101)" -gt "$c1"
# ... so the cache is fresh again: the real TTL (2 or less: it counts down)
i=0
while :; do
  f=$(fq --timeout 5 127.0.0.3 A www.x1.bad.test)
  echo "$f" | grep -q "^answer: www\.x1\.bad\.test\. [0-2] A" && break
  i=$((i + 1)); [ $i -ge 20 ] && break
  sleep 1
done
check_match "stale: upstream back: a fresh answer (the real TTL)" "^answer: www\.x1\.bad\.test\. [0-2] $A2" "$f"
# (the clients above, and any poll answered before the refresh)
check "stale: the stale answers for www.x1.bad.test logged" \
  test "$(grep -c '^stale 1 www\.x1\.bad\.test\.$' "$TMP/stale.log")" -ge 2

# www.x4.bad.test's resolution fails (after its 60 s of retries): for
# 30 s the same question is answered stale at once, nothing sent
i=0
until grep -q '^servfail www\.x4\.bad\.test\.' "$TMP/stale.log" || [ $i -ge 90 ]; do sleep 1; i=$((i + 1)); done
check_match "stale: www.x4.bad.test: the failure logged as before" '^servfail www\.x4\.bad\.test\. input/output error$' "$(cat "$TMP/stale.log")"
sleep 1
c4=$(bad_count 127.53.9.104)
r4=$(fq --timeout 5 --elapsed 127.0.0.3 A www.x4.bad.test)
e4=$(echo "$r4" | sed -n 's/^elapsed //p')
echo "# figure: stale: after the failure (recheck): answered after ${e4:-?} s"
check_match "stale: recheck: stale at once" "^answer: www\.x4\.bad\.test\. 30 $A2" "$r4"
check_eq "stale: recheck: the upstream not asked" "$c4" "$(bad_count 127.53.9.104)"
check_eq "stale: recheck: no new query sent" "" \
  "$(sed -n '/^servfail www\.x4\.bad\.test\./,$p' "$TMP/stale.log" | grep '^tx .* www\.x4\.bad\.test\. ')"

wait $P2
check_match "stale: expired more than SERVESTALE=1 s ago: SERVFAIL" '^rcode=SERVFAIL ' "$(cat "$TMP/short.out")"
check_eq "stale: too old: no stale line" "" "$(grep '^stale' "$TMP/short.log")"
check "stale: ours still running" kill -0 "$STALE_PID"
no_sanitizer_report "$TMP/stale.log"
finish
