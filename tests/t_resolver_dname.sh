#!/bin/sh
# t_resolver_dname.sh: DNAME (RFC 6672; README decision 20).  The
# badserver dname zone has d.ZONE DNAME sub.test. (with the synthesized
# CNAME), e.ZONE DNAME t.ZONE. (CNAME and target in the same answer) and
# n.ZONE DNAME sub.test. (no CNAME: the resolver synthesizes it).  Ours
# passes the DNAME to the client before the synthesized CNAME and the
# rest of the chain, and caches it: later names under d.ZONE resolve
# without asking the zone's server.  1.05 dropped the DNAME.
. "$TOP/tests/lib.sh"

fakenet_start || { fail "dname: fakenet starts"; exit 1; }
bad_start 127.53.9.101=dname@x1.bad.test || { fail "dname: badserver starts"; exit 1; }
start_pair dname 127.0.0.3 127.0.0.2 || exit 1
OURS=127.0.0.3 ORIG=127.0.0.2

r=$(fq $OURS A www.d.x1.bad.test)
check_match "dname: the DNAME first" '^answer: d\.x1\.bad\.test\. 300 DNAME sub\.test\.$' "$(printf '%s\n' "$r" | sed -n 2p)"
check_match "dname: then the synthesized CNAME" '^answer: www\.d\.x1\.bad\.test\. 300 CNAME www\.sub\.test\.$' "$(printf '%s\n' "$r" | sed -n 3p)"
check_match "dname: then the target's addresses" '^answer: www\.sub\.test\. 300 A 192\.0\.2\.5[01]$' "$(printf '%s\n' "$r" | sed -n 4p)"
check_match "dname: 4 answers" '^rcode=NOERROR .* an=4 ' "$r"
o=$(fq $ORIG A www.d.x1.bad.test)
check_match "dname: the original drops the DNAME (decision 20)" '^rcode=NOERROR .* an=3 ' "$o"
check_eq "dname: the original's answer is ours without the DNAME" "$(printf '%s\n' "$o" | sed 1d | sort)" \
  "$(printf '%s\n' "$r" | sed 1d | grep -v ' DNAME ' | sort)"
c=$(bad_count 127.53.9.101)
check_eq "dname: the zone's server asked once by each cache" 2 "$c"

# from the cache: another name under d.ZONE, another type
r=$(fq $OURS TXT txt.d.x1.bad.test)
check_eq "dname: txt.d.x1.bad.test from the cached DNAME" "rcode=NOERROR flags=qr,rd,ra an=3 ns=0 ar=0 len=$(printf '%s\n' "$r" | sed -n 's/.* len=//p' | head -1)
answer: d.x1.bad.test. 300 DNAME sub.test.
answer: txt.d.x1.bad.test. 300 CNAME txt.sub.test.
answer: txt.sub.test. 300 TXT \"sub text\"" "$(printf '%s\n' "$r" | sed 's/\(answer: [^ ]* \)[0-9]*/\1300/')"
check_eq "dname: the zone's server not asked again" "$c" "$(bad_count 127.53.9.101)"
check_match "dname: logged as a cached CNAME" '^cached cname txt\.d\.x1\.bad\.test\. txt\.sub\.test\.$' "$(cat "$TMP/dname.ours.log")"
check_match "dname: the DNAME was cached (rr line)" '^rr 7f350965 300 39 d\.x1\.bad\.test\. 03737562047465737400$' "$(cat "$TMP/dname.ours.log")"

# the target in the same zone, in the same answer
r=$(fq $OURS A www.e.x1.bad.test)
check_eq "dname: in-zone target: DNAME, CNAME, A" "answer: e.x1.bad.test. 300 DNAME t.x1.bad.test.
answer: www.e.x1.bad.test. 300 CNAME www.t.x1.bad.test.
answer: www.t.x1.bad.test. 300 A 192.0.2.98" "$(printf '%s\n' "$r" | sed 1d)"
# a DNAME without the CNAME: synthesized here
r=$(fq $OURS A www.n.x1.bad.test)
check_match "dname: no CNAME sent: synthesized" '^answer: www\.n\.x1\.bad\.test\. 300 CNAME www\.sub\.test\.$' "$r"
check_match "dname: no CNAME sent: DNAME passed on" '^answer: n\.x1\.bad\.test\. 300 DNAME sub\.test\.$' "$r"
check_match "dname: no CNAME sent: the target resolved" '^answer: www\.sub\.test\. [0-9]+ A 192\.0\.2\.5[01]$' "$r"
# asked for the DNAME itself
check_match "dname: type DNAME at the owner" '^answer: d\.x1\.bad\.test\. [0-9]+ DNAME sub\.test\.$' "$(fq $OURS DNAME d.x1.bad.test)"
check_match "dname: the owner's own A is not redirected" '^answer: d\.x1\.bad\.test\. 300 A 192\.0\.2\.99$' "$(fq $OURS A d.x1.bad.test)"
check "dname: ours still running" kill -0 "$PAIR_OURS_PID"
no_sanitizer_report "$TMP/dname.ours.log"
finish
