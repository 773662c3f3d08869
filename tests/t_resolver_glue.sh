#!/bin/sh
# t_resolver_glue.sh: parent-side glue fallback (README decision 18).
# Parent (test., or a badserver in parent mode) and child (badserver
# child mode) disagree about the child's name servers: the child's own
# address records for them point at a server that SERVFAILs, REFUSEs,
# is lame or is silent; or the child says an NS name the parent lists
# does not exist (NXDOMAIN) or has no address (NODATA).  Once the child's
# view is in the cache, 1.05 (and Debian's dnscache) give SERVFAIL for
# every other name of the zone; ours falls back to the parent's glue.
. "$TOP/tests/lib.sh"

fakenet_start || { fail "glue: fakenet starts"; exit 1; }
bad_start 127.53.9.101=child:127.53.9.2@x1.bad.test 127.53.9.102=child:127.53.9.3@x2.bad.test \
  127.53.9.103=child:127.53.9.16@x3.bad.test 127.53.9.104=child:127.53.9.4@x4.bad.test \
  127.53.9.105=parent:127.53.9.150@x5.bad.test 127.53.9.150=child:127.53.9.2@c.x5.bad.test \
  127.53.9.106=parent:127.53.9.151,1@x6.bad.test 127.53.9.151=child:127.53.9.151,refer@c.x6.bad.test \
  127.53.9.107=child:127.53.9.107,nx@x7.bad.test \
  127.53.9.108=parent:127.53.9.152,1@x8.bad.test 127.53.9.152=child:127.53.9.152,nodata@c.x8.bad.test ||
  { fail "glue: badservers start"; exit 1; }
start_pair glue 127.0.0.3 127.0.0.2 || exit 1
OURS=127.0.0.3 ORIG=127.0.0.2
A99='^answer: [a-z0-9.]*\. 300 A 192\.0\.2\.99$'

# ask NAME: both caches at once (fq, 75 s: a silent server costs 60 s of
# retries) into $TMP/NAME.ours and $TMP/NAME.orig
ask() {
  fq --timeout 75 $OURS A "$1" > "$TMP/$1.ours" 2>&1 &
  _a=$!
  fq --timeout 75 $ORIG A "$1" > "$TMP/$1.orig" 2>&1
  wait $_a
}
# the child's view is cached by a first answer through the parent's glue
# (each in the background; waited for by PID: the fakenet's servers are
# this shell's children too)
askall() {
  _pids=""
  for _n in "$@"; do ask "$_n" & _pids="$_pids $!"; done
  wait $_pids
}
askall www.x1.bad.test www.x2.bad.test www.x3.bad.test www.x4.bad.test www.c.x5.bad.test \
  www.c.x6.bad.test www.x7.bad.test www.c.x8.bad.test
for z in x1 x2 x3 x4 c.x5 c.x6 x7 c.x8; do
  check_match "glue: www.$z.bad.test answered through the parent's glue (ours)" "$A99" "$(cat "$TMP/www.$z.bad.test.ours")"
  check_match "glue: www.$z.bad.test answered (original)" "$A99" "$(cat "$TMP/www.$z.bad.test.orig")"
done
# an NS name only the parent lists, and one the child says does not
# exist: a client asks for another type, the NXDOMAIN is cached
for n in pns.c.x5 ns.x7; do
  check_match "glue: $n.bad.test TXT: NXDOMAIN from the child (ours)" '^rcode=NXDOMAIN ' "$(fq $OURS TXT $n.bad.test)"
  check_match "glue: $n.bad.test TXT: NXDOMAIN from the child (original)" '^rcode=NXDOMAIN ' "$(fq $ORIG TXT $n.bad.test)"
done

# now the names the cache has not seen: the child's addresses for its
# servers fail, or its NS names are gone
# (c.x6, c.x8: the parent's glue had TTL 1, its NS set 300: the address
# of ns.c.ZONE has to be looked up, and the child refers that lookup to a
# server that refuses, or says it has no address)
sleep 2
askall www2.x1.bad.test www2.x2.bad.test www2.x3.bad.test www2.x4.bad.test www2.c.x5.bad.test \
  www2.c.x6.bad.test www2.x7.bad.test www2.c.x8.bad.test
for z in x1 x2 x3 x4 c.x5 c.x6 x7 c.x8; do
  check_match "glue: www2.$z.bad.test: ours falls back to the parent's glue" "$A99" "$(cat "$TMP/www2.$z.bad.test.ours")"
done
# what the child's server says, and the original's verdict (decision 18)
for z in x1 x2 x3 x4; do
  check_match "glue: www2.$z.bad.test: the original gives SERVFAIL (decision 18)" '^rcode=SERVFAIL ' "$(cat "$TMP/www2.$z.bad.test.orig")"
done
check_match "glue: www2.c.x5.bad.test: the original gives SERVFAIL (decision 18)" '^rcode=SERVFAIL ' "$(cat "$TMP/www2.c.x5.bad.test.orig")"
check_match "glue: www2.x7.bad.test: the original gives SERVFAIL (decision 18)" '^rcode=SERVFAIL ' "$(cat "$TMP/www2.x7.bad.test.orig")"
echo "# figure: glue: the original for c.x6 (NS lookup referred away): $(head -1 "$TMP/www2.c.x6.bad.test.orig"); for c.x8 (NODATA): $(head -1 "$TMP/www2.c.x8.bad.test.orig")"
# in ours' log: the child's address tried first, then the parent's glue
L=$(cat "$TMP/glue.ours.log")
check_match "glue: x1: the child's address (SERVFAIL) asked first" '^tx 0 1 www2\.x1\.bad\.test\. x1\.bad\.test\. 7f350902$' "$L"
check_match "glue: x1: then the parent's glue" '^tx 0 1 www2\.x1\.bad\.test\. x1\.bad\.test\. 7f350965$' "$L"
check_match "glue: x3: the lame server logged" '^lame 7f350910 x3\.bad\.test\. refer-same\.bad\.test\.$' "$L"
check_match "glue: x7: the cached NXDOMAIN for its NS name, then the glue" '^tx 0 1 www2\.x7\.bad\.test\. x7\.bad\.test\. 7f35096b$' "$L"
check_match "glue: c.x5: glue for the NS name only the parent lists" '^tx 0 1 www2\.c\.x5\.bad\.test\. c\.x5\.bad\.test\. 7f350996$' "$L"
check_match "glue: c.x6: the child refers the NS name's lookup away" '^tx [12] 1 ns\.c\.x6\.bad\.test\. ns\.c\.x6\.bad\.test\. 7f350903$' "$L"
check_match "glue: c.x6: then the parent's glue" '^tx 0 1 www2\.c\.x6\.bad\.test\. c\.x6\.bad\.test\. 7f350997$' "$L"
check_match "glue: c.x8: the child's NODATA for its NS name cached" '^nodata 7f350998 300 1 ns\.c\.x8\.bad\.test\.$' "$L"
check_match "glue: c.x8: then the parent's glue" '^tx 0 1 www2\.c\.x8\.bad\.test\. c\.x8\.bad\.test\. 7f350998$' "$L"
# the glue answered where the child's address failed: a third new name
# of the zone asks the glue first, so the failing child's server (silent
# 127.53.9.4 for x4: 60 s of retries above; SERVFAIL 127.53.9.2 for x1)
# is not asked again
c4=$(bad_count 127.53.9.4) c2=$(bad_count 127.53.9.2)
fq --timeout 75 --elapsed $OURS A www3.x4.bad.test > "$TMP/www3.x4.ours" 2>&1 &
_a=$!
r1=$(fq --timeout 75 $OURS A www3.x1.bad.test)
wait $_a
e=$(sed -n 's/^elapsed //p' "$TMP/www3.x4.ours")
echo "# figure: glue: www2.x4 (silent child) waited for the child's retries; www3.x4 answered in ${e:-?} s"
check_match "glue: www3.x4.bad.test answered" "$A99" "$(cat "$TMP/www3.x4.ours")"
check "glue: www3.x4.bad.test: not after the child's retries (wide margin: under 30 s)" test "${e:-99}" -lt 30
check_eq "glue: www3.x4.bad.test: the silent child's server not asked" "$c4" "$(bad_count 127.53.9.4)"
check_match "glue: www3.x1.bad.test answered" "$A99" "$r1"
check_eq "glue: www3.x1.bad.test: the SERVFAIL child's server not asked" "$c2" "$(bad_count 127.53.9.2)"
check_match "glue: www3.x1.bad.test: the glue first, the child's address after it" \
  '^tx 0 1 www3\.x1\.bad\.test\. x1\.bad\.test\. 7f350965 7f350902$' "$(cat "$TMP/glue.ours.log")"

# the glue is not tried twice: a zone whose glue itself is dead still
# ends in SERVFAIL after one round of retries (dead.test: 60 s; here the
# REFUSED x2's glue is asked once per query)
check "glue: ours still running" kill -0 "$PAIR_OURS_PID"
no_sanitizer_report "$TMP/glue.ours.log"
finish
