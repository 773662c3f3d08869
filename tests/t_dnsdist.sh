#!/bin/sh
# t_dnsdist.sh: the shipped examples/dnsdist.conf, run by Debian's dnsdist
# on 127.0.0.20 in front of three of our caches (127.0.0.21-23, each with
# the fakenet's roots), consistent hashing on the query name (issue 15).
# (a) A repeated set of names costs the upstream exactly what one big
#     cache (127.0.0.30) pays: each name is fetched once, by one cache,
#     and every repeat is a cache hit somewhere (same hit ratio).
# (b) When one cache stops, dnsdist's health checks mark it down, its
#     names move to the other two and clients keep getting answers; the
#     other two keep their own names (no new fetch for them).
# (c) When it is back, dnsdist marks it up and its names return to it.
. "$TOP/tests/lib.sh"

OURS=$B/dnscache
DNSQR=$B/dnsqr
[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }
DNSDIST=$(command -v dnsdist || :)
if [ -z "$DNSDIST" ]; then skip "dnsdist in front of three caches" "dnsdist not installed (apt-get install dnsdist)"; finish; exit; fi
fakenet_start || { fail "fakenet"; exit 1; }

NAMES=60     # distinct names, n1.wild.test .. n60.wild.test (the fakenet's wildcard)
ROUNDS=3     # times each is asked
DD=127.0.0.20
CACHES="127.0.0.21 127.0.0.22 127.0.0.23"
BIG=127.0.0.30

# start_cache IP: one of our caches on IP, root $TMP/c-IP, log $TMP/c-IP.log
# (a fresh log each start); sets CPID_<last octet>.
start_cache() {
  rm -rf "$TMP/c-$1"
  make_cacheroot "$TMP/c-$1" "$FAKENET_ROOTS"   # ip/127: lets dnsdist (127.x) in
  start_dnscache "$OURS" "$1" "$TMP/c-$1" "$TMP/c-$1.log" IPSEND="$1" QUERYLOOPBACK=1 \
    || { fail "cache $1 starts" "$(cat "$TMP/c-$1.log")"; return 1; }
  eval "CPID_${1##*.}=\$DNSCACHE_PID"
}
for ip in $CACHES $BIG; do start_cache $ip || { finish; exit 1; }; done

env DNSDIST_LISTEN=$DD:53 DNSDIST_ACL=127.0.0.0/8 DNSDIST_CACHES="$CACHES" DNSDIST_SOURCE=$DD \
  "$DNSDIST" --supervised --disable-syslog -C "$TOP/examples/dnsdist.conf" \
  > "$TMP/dnsdist.log" 2>&1 < /dev/null &
DDPID=$!
track $DDPID

# ask SERVER NAME: one A query with our dnsqr (its retries: 1, 3, 11, 45 s),
# bounded; prints the answer's address or nothing.
ask() {
  DNSCACHEIP=$1 timeout 20 "$DNSQR" a "$2" 2>/dev/null | sed -n 's/^answer: [^ ]* [0-9]* A //p'
}

# dnsdist listening and every backend marked up (bounded: 15 s)
i=0
while [ $i -lt 150 ]; do
  [ "$(grep -c "is up\|as 'up'" "$TMP/dnsdist.log")" -ge 3 ] && break
  kill -0 $DDPID 2>/dev/null || break
  sleep 0.1; i=$((i + 1))
done
if ! wait_udp $DD 53 || [ "$(ask $DD localhost)" != 127.0.0.1 ]; then
  fail "dnsdist starts with examples/dnsdist.conf" "$(cat "$TMP/dnsdist.log")"
  finish; exit 1
fi
pass "dnsdist starts with examples/dnsdist.conf and answers"

# misses CACHE-IP NAMES...: how many of NAMES the cache fetched upstream
# (one "tx 0 1 NAME test. ..." line per fetch: the wildcard is in test.).
misses() {
  _f=$TMP/c-$1.log
  shift
  _m=0
  for _n in "$@"; do
    _m=$((_m + $(grep -c "^tx 0 1 $_n\. test\. " "$_f")))
  done
  echo $_m
}
# names_of CACHE-IP: the wild names this cache fetched, sorted
names_of() { sed -n 's/^tx 0 1 \(n[0-9]*\.wild\.test\)\. test\. .*/\1/p' "$TMP/c-$1.log" | sort -u; }

ALL=$(i=1; while [ $i -le $NAMES ]; do echo n$i.wild.test; i=$((i + 1)); done)

# --- (a) the same names, $ROUNDS times, through dnsdist and to the big cache
bad=0
r=1
while [ $r -le $ROUNDS ]; do
  for n in $ALL; do
    [ "$(ask $DD $n)" = 192.0.2.40 ] || bad=$((bad + 1))
    [ "$(ask $BIG $n)" = 192.0.2.40 ] || bad=$((bad + 1))
  done
  r=$((r + 1))
done
check_eq "(a) every query answered, through dnsdist and by the big cache" 0 $bad
# shellcheck disable=SC2086
mbig=$(misses $BIG $ALL)
check_eq "(a) the big cache fetched each name once" $NAMES "$mbig"
tot=0
for c in $CACHES; do
  # shellcheck disable=SC2086
  m=$(misses $c $ALL); tot=$((tot + m))
  eval "M_${c##*.}=$m"
done
check_eq "(a) the three caches together fetched each name once (hit ratio as one cache's)" "$mbig" "$tot"
dups=$(for c in $CACHES; do names_of $c; done | sort | uniq -d)
check_eq "(a) each name is cached in one place" "" "$dups"
# each cache holds some of the names (chashed with weight 1000 spreads them;
# 60 names over 3 equal shares: fewer than 5 would be very unlikely)
for c in $CACHES; do
  eval "m=\$M_${c##*.}"
  if [ "$m" -ge 5 ]; then pass "(a) cache $c holds $m of the $NAMES names"
  else fail "(a) cache $c holds a fair share of the names (it holds $m)"; fi
done
hits=0
for c in $CACHES; do hits=$((hits + $(grep -c '^cached 1 n[0-9]*\.wild\.test\.$' "$TMP/c-$c.log"))); done
hbig=$(grep -c '^cached 1 n[0-9]*\.wild\.test\.$' "$TMP/c-$BIG.log")
check_eq "(a) cache hits: three caches as many as the big one ($(( (ROUNDS - 1) * NAMES )))" "$hbig" "$hits"
echo "# figure: $((ROUNDS * NAMES)) queries for $NAMES names: misses $tot behind dnsdist (per cache: $M_21 $M_22 $M_23), one cache $mbig; hits $hits and $hbig"

# --- (b) stop cache 2: its names move, the others' stay
OWN1=$(names_of 127.0.0.21); OWN2=$(names_of 127.0.0.22); OWN3=$(names_of 127.0.0.23)
untrack_kill "$CPID_22"
no_sanitizer_report "$TMP/c-127.0.0.22.log"
# Clients keep getting answers: ask every name now; a query dnsdist sends
# to the stopped cache before its health checks notice is answered on
# dnsqr's retry (1 s, then 3 s).
bad=0
for n in $ALL; do [ "$(ask $DD $n)" = 192.0.2.40 ] || bad=$((bad + 1)); done
check_eq "(b) with cache 2 stopped, every name still answered" 0 $bad
i=0
while [ $i -lt 100 ] && ! grep -q "cache2 (127.0.0.22:53) as 'down'" "$TMP/dnsdist.log"; do sleep 0.1; i=$((i + 1)); done
check_match "(b) dnsdist marked cache 2 down" "cache2 \(127\.0\.0\.22:53\) as 'down'" "$(cat "$TMP/dnsdist.log")"
moved=$(for c in 127.0.0.21 127.0.0.23; do names_of $c; done | sort)
# shellcheck disable=SC2086
check_eq "(b) cache 2's names moved to caches 1 and 3" "$(printf '%s\n' $OWN1 $OWN2 $OWN3 | sort)" "$moved"
# shellcheck disable=SC2086
check_eq "(b) caches 1 and 3 fetched none of their own names again" \
  "$(( $(printf '%s\n' $OWN1 | grep -c .) + $(printf '%s\n' $OWN3 | grep -c .) ))" \
  "$(( $(misses 127.0.0.21 $OWN1) + $(misses 127.0.0.23 $OWN3) ))"

# --- (c) cache 2 back (empty): marked up, its names return to it
start_cache 127.0.0.22 || { finish; exit 1; }
i=0
while [ $i -lt 150 ] && [ "$(grep -c "cache2 (127.0.0.22:53) as 'up'" "$TMP/dnsdist.log")" -lt 2 ]; do sleep 0.1; i=$((i + 1)); done
check_eq "(c) dnsdist marked cache 2 up again" 2 "$(grep -c "cache2 (127.0.0.22:53) as 'up'" "$TMP/dnsdist.log")"
bad=0
for n in $ALL; do [ "$(ask $DD $n)" = 192.0.2.40 ] || bad=$((bad + 1)); done
check_eq "(c) every name answered" 0 $bad
check_eq "(c) cache 2 fetched its own names again, and no other" "$OWN2" "$(names_of 127.0.0.22)"
for ip in $CACHES $BIG; do no_sanitizer_report "$TMP/c-$ip.log"; done
finish
