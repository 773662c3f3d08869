#!/bin/sh
# t_resolver_lame.sh: the lame rule (README decision 19).  A server
# that answers with AA, no answer, its zone's own NS set in the authority
# section and no SOA (badserver lamenodata) is giving NODATA; 1.05's lame
# rule took it for a referral to the same zone and answered SERVFAIL.
# Nothing negative is cached for it (no SOA, as 1.05).
. "$TOP/tests/lib.sh"

fakenet_start || { fail "lame: fakenet starts"; exit 1; }
bad_start 127.53.9.101=lamenodata@x1.bad.test || { fail "lame: badserver starts"; exit 1; }
start_pair lame 127.0.0.3 127.0.0.2 || exit 1

r=$(fq 127.0.0.3 MX www.x1.bad.test)
check_match "lame: AA NODATA with the zone's NS set and no SOA: NOERROR (ours)" '^rcode=NOERROR flags=qr,rd,ra an=0 ns=0 ar=0 ' "$r"
check_eq "lame: asked once" 1 "$(bad_count 127.53.9.101)"
r=$(fq 127.0.0.2 MX www.x1.bad.test)
check_match "lame: the original gives SERVFAIL (decision 19)" '^rcode=SERVFAIL ' "$r"
check_match "lame: the original logs it lame" '^lame 7f350965 x1\.bad\.test\. x1\.bad\.test\.$' "$(cat "$TMP/lame.orig.log")"
check_eq "lame: ours logs no lame line" "" "$(grep '^lame' "$TMP/lame.ours.log")"
c=$(bad_count 127.53.9.101)
r=$(fq 127.0.0.3 MX www.x1.bad.test)
check_match "lame: asked again: NOERROR again" '^rcode=NOERROR .* an=0 ' "$r"
check_eq "lame: nothing negative cached (asked upstream again)" $((c + 1)) "$(bad_count 127.53.9.101)"
check_eq "lame: no nodata line (nothing cached)" "" "$(grep '^nodata' "$TMP/lame.ours.log")"
# an answer with the same authority section is an answer, as before
check_match "lame: A answered (ours)" '^answer: www\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq 127.0.0.3 A www.x1.bad.test)"
check_match "lame: A answered (original)" '^answer: www\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq 127.0.0.2 A www.x1.bad.test)"
# a real lame delegation is still lame (lame.test: the TLD refers to itself, no AA)
check_match "lame: lame.test still SERVFAIL" '^rcode=SERVFAIL ' "$(fq 127.0.0.3 A www.lame.test)"
check_match "lame: lame.test logged lame" '^lame 7f35010[12] lame\.test\. lame\.test\.$' "$(cat "$TMP/lame.ours.log")"
no_sanitizer_report "$TMP/lame.ours.log"
finish
