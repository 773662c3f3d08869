#!/bin/sh
# t_resolver_loopback.sh: name servers on loopback (README decision 17,
# SPEC 4.3, $QUERYLOOPBACK).  A remote zone (badserver loopns) delegates
# in.ZONE to a name server at 127.0.0.2 (a small server listens there
# and counts), at 0.1.2.3 ("this network") or at ::1.  Without
# $QUERYLOOPBACK our cache never queries them (SERVFAIL) while servers/
# files on 127.x are honoured; with it 127.0.0.2 is used and 0.0.0.0/8
# still never.  Debian's dnscache tries both.
. "$TOP/tests/lib.sh"

fakenet_start || { fail "loopback: fakenet starts"; exit 1; }
bad_start 127.53.9.101=loopns@x1.bad.test 127.53.9.102=loopns:0.1.2.3@x2.bad.test \
  127.53.9.103=loopns:::1@x3.bad.test 127.0.0.2=ok@in.x1.bad.test ||
  { fail "loopback: badservers start"; exit 1; }

# servers/ files for the three zones (always honoured, loopback or not)
for r in lo nolo orig; do
  make_cacheroot "$TMP/$r" "$FAKENET_ROOTS"
  for k in 1 2 3; do echo "127.53.9.10$k" > "$TMP/$r/servers/x$k.bad.test"; done
done
start_dnscache "$B/dnscache" 127.0.0.3 "$TMP/nolo" "$TMP/nolo.log" QUERYLOOPBACK= ||
  { fail "loopback: ours without QUERYLOOPBACK starts" "$(cat "$TMP/nolo.log")"; exit 1; }
start_dnscache "$B/dnscache" 127.0.0.4 "$TMP/lo" "$TMP/lo.log" QUERYLOOPBACK=1 ||
  { fail "loopback: ours with QUERYLOOPBACK starts" "$(cat "$TMP/lo.log")"; exit 1; }
start_dnscache /usr/sbin/dnscache 127.0.0.5 "$TMP/orig" "$TMP/orig.log" ||
  { fail "loopback: the original starts" "$(cat "$TMP/orig.log")"; exit 1; }

lo2() { bad_count 127.0.0.2; }

# --- without $QUERYLOOPBACK
check_match "no QUERYLOOPBACK: servers/x1.bad.test on 127.53.9.101 honoured" \
  '^answer: www\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq 127.0.0.3 A www.x1.bad.test)"
check_match "no QUERYLOOPBACK: NS at 127.0.0.2 from a referral: SERVFAIL" \
  '^rcode=SERVFAIL ' "$(fq 127.0.0.3 A www.in.x1.bad.test)"
check_eq "no QUERYLOOPBACK: 127.0.0.2 never asked" 0 "$(lo2)"
check_match "no QUERYLOOPBACK: NS at 0.1.2.3: SERVFAIL" \
  '^rcode=SERVFAIL ' "$(fq 127.0.0.3 A www.in.x2.bad.test)"
check_match "no QUERYLOOPBACK: NS at ::1: SERVFAIL" \
  '^rcode=SERVFAIL ' "$(fq 127.0.0.3 A www.in.x3.bad.test)"
check_match "no QUERYLOOPBACK: the root's glue for test. (127.53.1.x) is not used either" \
  '^rcode=SERVFAIL ' "$(fq 127.0.0.3 A a.test)"
check_eq "no QUERYLOOPBACK: no tx to a learned loopback address" "" \
  "$(grep -E '^tx .* (7f000002|00010203|7f350101|7f350102)' "$TMP/nolo.log")"

# --- with $QUERYLOOPBACK
check_match "QUERYLOOPBACK: NS at 127.0.0.2 used" \
  '^answer: www\.in\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq 127.0.0.4 A www.in.x1.bad.test)"
check_eq "QUERYLOOPBACK: 127.0.0.2 asked once" 1 "$(lo2)"
check_match "QUERYLOOPBACK: NS at 0.1.2.3 still never: SERVFAIL" \
  '^rcode=SERVFAIL ' "$(fq 127.0.0.4 A www.in.x2.bad.test)"
check_eq "QUERYLOOPBACK: no tx to 0.1.2.3" "" "$(grep -E '^tx .* 00010203' "$TMP/lo.log")"
check_match "QUERYLOOPBACK: the fakenet resolves" '^answer: a\.test\. 300 A 192\.0\.2\.1$' "$(fq 127.0.0.4 A a.test)"

# --- the original (decision 17): it asks both
check_match "original: asks the NS at 127.0.0.2 (decision 17)" \
  '^answer: www\.in\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq 127.0.0.5 A www.in.x1.bad.test)"
check_eq "original: 127.0.0.2 asked" 2 "$(lo2)"
fq 127.0.0.5 A www.in.x2.bad.test > /dev/null
check_match "original: tries 0.1.2.3 (decision 17)" '^tx 0 1 www\.in\.x2\.bad\.test\. in\.x2\.bad\.test\. 00010203$' "$(cat "$TMP/orig.log")"
for l in nolo lo; do no_sanitizer_report "$TMP/$l.log"; done
finish
