#!/bin/sh
# The resolution engine on the fakenet, each case run against ours and
# against Debian's /usr/sbin/dnscache (the oracle) side by side, and
# compared: rcode, flags, answer RRsets (sorted), TTLs as "0"/"T" unless
# the case checks exact TTLs.  Intended differences (SPEC decisions) are
# checked as such; any other difference is a FAIL.
# Slow cases (60 s retry schedules) are in t_resolve_slow.sh.
. "$TOP/tests/lib.sh"

ORIG=/usr/sbin/dnscache
fakenet_start || { fail "fakenet starts"; exit 1; }

# ask IP TYPE NAME [fq options]: the normalised reply: header without len,
# then the sorted answers with TTLs as T (or 0).
ask_raw() {
  _ip=$1 _t=$2 _q=$3
  shift 3
  fq --timeout "${ASK_TIMEOUT:-6}" "$@" "$_ip" "$_t" "$_q" 2>&1
}
norm() {
  sed -e 's/ len=[0-9]*//' | awk '
    /^answer:/ { if ($3 != "0") $3 = "T"; a[n++] = $0; next }
    { print }
    END { for (i = 0; i < n; i++) print a[i] | "sort"; close("sort") }'
}

# both TYPE NAME [fq options]: ask ours and the original at once; the
# replies in _a and _b.
both() {
  ask_raw "$OURS" "$@" > "$TMP/both.a" &
  bp1=$!
  ask_raw "$THEIRS" "$@" > "$TMP/both.b" &
  bp2=$!
  wait $bp1 $bp2
  _a=$(cat "$TMP/both.a")
  _b=$(cat "$TMP/both.b")
}

DIFFS=""
# same NAME TYPE QNAME [pattern...]: ours must match every ERE pattern and
# equal the original after normalisation.
same() {
  s_name=$1 _t=$2 _q=$3
  shift 3
  both "$_t" "$_q"
  s_ok=1
  for _p in "$@"; do
    printf '%s\n' "$_a" | grep -Eq -- "$_p" || { s_ok=0; fail "$s_name: ours matches /$_p/" "$_a"; }
  done
  [ $s_ok = 1 ] && [ $# -gt 0 ] && pass "$s_name"
  s_na=$(printf '%s\n' "$_a" | norm)
  s_nb=$(printf '%s\n' "$_b" | norm)
  if [ "$s_na" = "$s_nb" ]; then
    pass "$s_name: same as the original"
  else
    fail "$s_name: differs from the original" "ours:
$s_na
original:
$s_nb"
    DIFFS="$DIFFS $s_name"
  fi
  LAST=$_a
}

# differs NAME TYPE QNAME OURPATTERN ORIGPATTERN: an intended difference.
differs() {
  both "$2" "$3"
  check_match "$1: ours" "$4" "$_a"
  check_match "$1: original (intended difference)" "$5" "$_b"
}

# served NAME IP: lines in tinydns's log of server IP from our cache
qcount() {   # qcount SERVERIP SOURCEIP QNAME: queries seen there
  _hex=$(printf '%02x%02x%02x%02x' $(echo "$2" | tr . ' '))
  grep -c "^$_hex:.* $3\$" "$FAKENET/$1/log" 2>/dev/null || true
}

start_pair main 127.0.0.1 127.0.0.2 || exit 1
OURS=127.0.0.1 THEIRS=127.0.0.2
OLOG=$TMP/main.ours.log

# --- plain types -------------------------------------------------------
A_T0=$(date +%s)
same "A" A a.test '^rcode=NOERROR flags=qr,rd,ra an=1' '^answer: a.test. 300 A 192.0.2.1$'
same "A, several" A multi.test 'an=4' '192.0.2.14$'
same "AAAA" AAAA aaaa.test 'an=1' 'AAAA 2001:db8::1'
same "MX" MX mx.test 'an=2' 'MX 10 mail.test.' 'MX 20 mail2.test.'
same "TXT" TXT txt2.test 'an=2' '"second"'
same "SRV (other type, raw)" SRV srv.test 'an=1' 'SRV 1 2 80 a.test.'
same "PTR" PTR 1.2.0.192.in-addr.arpa 'an=1' 'PTR a.test.'
same "PTR, two" PTR 100.2.0.192.in-addr.arpa 'an=2'
same "NS" NS sub.test 'an=1' 'NS ns.sub.test.'
same "ANY" ANY dual.test 'rcode=NOERROR'
same "case kept in the question" A MiXeD.TeSt 'an=1' '192.0.2.41'
same "wildcard" A foo.wild.test 'an=1' '192.0.2.40'

# --- from the cache ----------------------------------------------------
before=$(( $(qcount 127.53.1.1 127.0.0.1 a.test) + $(qcount 127.53.1.2 127.0.0.1 a.test) ))
same "A again (cache)" A a.test 'an=1' '192.0.2.1'
after=$(( $(qcount 127.53.1.1 127.0.0.1 a.test) + $(qcount 127.53.1.2 127.0.0.1 a.test) ))
check_eq "A again: no second query to the test. servers" "$before" "$after"
check_eq "A again: first was asked once" 1 "$before"
check_match "A again: logged as cached" '^cached 1 a.test.$' "$(cat "$OLOG")"
# The TTL left is 300 less the seconds since the first answer (give or
# take one for rounding); on a loaded machine that may be many seconds.
_ttl=$(printf '%s\n' "$LAST" | sed -n 's/^answer: a\.test\. \([0-9]*\) A .*/\1/p')
_gone=$(( $(date +%s) - A_T0 ))
if [ -n "$_ttl" ] && [ "$_ttl" -le 300 ] && [ "$_ttl" -ge $((299 - _gone)) ]; then
  pass "A again: TTL counts down or stays"
else
  fail "A again: TTL counts down or stays" "TTL ${_ttl:-?} after $_gone s: $LAST"
fi
same "ANY after A cached: only the A set" ANY a.test 'an=1' ' A 192.0.2.1'
same "MX again (cache)" MX mx.test 'an=2'

# --- CNAMEs ------------------------------------------------------------
same "CNAME in zone" A cname.test 'an=2' '^answer: cname.test. 600 CNAME a.test.$' 'a.test. [0-9]+ A 192.0.2.1'
same "CNAME chain" A chain1.test 'an=4' 'chain2.test. 500 CNAME chain3.test.' 'chain3.test. 400 CNAME a.test.'
same "CNAME into a delegated zone" A xsub.test 'an=3' 'CNAME www.sub.test.' '192.0.2.5[01]'
same "CNAME across TLDs" A xtld.test 'an=2' '192.0.2.100'
same "CNAME there and back" A xcname.test 'an=3'
same "CNAME query type" CNAME cname.test 'an=1' 'CNAME a.test.'
same "CNAME to NXDOMAIN" A cnx.test 'rcode=NXDOMAIN' 'an=1' 'CNAME nx.test.'
same "MX via CNAME" MX mxalias.test 'an=3'
ASK_TIMEOUT=3 same "CNAME loop: dropped" A loop1.test '^timeout$'
ASK_TIMEOUT=3 same "CNAME self loop: dropped" A self.test '^timeout$'
same "16 CNAMEs: answered" A c5.long.test 'an=17' '192.0.2.21'
ASK_TIMEOUT=3 same "17 CNAMEs: dropped" A c4.long.test '^timeout$'
check_match "17 CNAMEs: logged drop" '^drop [0-9]+ input/output error$' "$(cat "$OLOG")"

# --- delegations -------------------------------------------------------
same "glued delegation" A www.sub.test 'an=2'
same "glueless delegation" A www.glueless.test 'an=1' '192.0.2.70'
same "glueless, two NS" A www.glueless2.test 'an=1' '192.0.2.71'
same "NS name is a CNAME" A www.nscname.test 'an=1' '192.0.2.68'
same "NS name is a dotted quad" A www.quadns.test 'an=1' '192.0.2.69'
same "NS name does not exist" A www.noaddr.test 'rcode=SERVFAIL'
same "cyclic glueless" A www.cycle1.test 'rcode=SERVFAIL'
same "glue with TTL 0" A www.ttl0glue.test 'rcode=SERVFAIL'
for n in 5 4 3 2 1; do
  same "deep glueless chain deep$n" A www.deep$n.test 'rcode='
done
same "dead server beside a live one" A www.half.test 'an=1' '192.0.2.56'
same "lame delegation" A www.lame.test 'rcode=SERVFAIL'
check_match "lame: logged" '^lame 7f350101 lame.test. lame.test.$' "$(cat "$OLOG")"

# --- negative answers --------------------------------------------------
same "NXDOMAIN" A nx.test '^rcode=NXDOMAIN flags=qr,aa,rd,ra an=0'
same "NXDOMAIN from the root" A a.nosuchtld '^rcode=NXDOMAIN'
same "NODATA" MX a.test '^rcode=NOERROR flags=qr,rd,ra an=0'
same "NXDOMAIN again (cache)" A nx.test 'rcode=NXDOMAIN'
check_match "NXDOMAIN cached" '^cached nxdomain nx.test.$' "$(cat "$OLOG")"
same "NODATA again (cache)" MX a.test 'an=0'
check_match "NODATA cached" '^cached 15 a.test.$' "$(cat "$OLOG")"
# decision 2: min(SOA TTL, MINIMUM, 3600)
for c in "neg1 60 900" "neg2 60 60" "neg3 3600 3600" "test 120 2000" "example 100 100" "sub.test 300 300"; do
  set -- $c
  z=$1 want=$2 orig=$3
  case $z in test|example) nx=nxneg.$z ;; *) nx=nx.$z ;; esac
  case $z in neg*) nx=nx.$z.test ;; esac
  same "NXDOMAIN in $z" A "$nx" 'rcode=NXDOMAIN'
  check_match "NXDOMAIN in $z: negative TTL $want (decision 2)" "^nxdomain [0-9a-f]{8} $want $nx.\$" "$(cat "$OLOG")"
  check_match "NXDOMAIN in $z: the original used $orig" "^nxdomain [0-9a-f]{8} $orig $nx.\$" "$(cat "$TMP/main.orig.log")"
done
same "NODATA in neg1" MX host.neg1.test 'an=0'
check_match "NODATA in neg1: TTL 60 (decision 2)" '^nodata 7f350401 60 15 host.neg1.test.$' "$(cat "$OLOG")"
same "NXDOMAIN, SOA TTL 0" A nx.neg0.test 'rcode=NXDOMAIN'
same "NXDOMAIN, SOA TTL 0, again" A nx.neg0.test 'rcode=NXDOMAIN'
check_eq "NXDOMAIN, SOA TTL 0: not cached" 2 "$(qcount 127.53.4.1 127.0.0.1 nx.neg0.test)"

# --- TTLs --------------------------------------------------------------
TTLCASES="ttl0:0 ttl1:1 ttl5:5 ttlweek:604800 ttlbig:604800 ttl2e31:0 ttlmax:0"
for c in $TTLCASES; do
  n=${c%%:*} want=${c#*:}
  same "TTL $n" A $n.test 'an=1'
  check_match "TTL $n: $want" "^answer: $n.test. $want A" "$LAST"
done
# decision 1: TTLs up to 2147483647 are capped, not zeroed as 1.05 does above 1e9
for n in ttl1e9 ttl15e8 ttl2e31m1; do
  differs "TTL $n (decision 1)" A $n.test "^answer: $n.test. 604800 A" "^answer: $n.test. 0 A"
done

# --- big answers -------------------------------------------------------
differs "big MX over UDP: TC, ANCOUNT 0 (decision 4)" MX big.test \
  '^rcode=NOERROR flags=qr,tc,rd,ra an=0 ns=0 ar=0 len=26$' '^rcode=NOERROR flags=qr,tc,rd,ra an=40 '
a=$(ask_raw $OURS MX big.test --tcp); b=$(ask_raw $THEIRS MX big.test --tcp)
check_match "big MX over TCP: ours 40 records" 'an=40' "$a"
check_eq "big MX over TCP: same as the original" "$(printf '%s\n' "$b" | norm)" "$(printf '%s\n' "$a" | norm)"
a=$(ask_raw $OURS TXT bigtxt.test --tcp); b=$(ask_raw $THEIRS TXT bigtxt.test --tcp)
check_match "big TXT (TC upstream, then TCP)" 'an=12' "$a"
check_eq "big TXT: same as the original" "$(printf '%s\n' "$b" | norm)" "$(printf '%s\n' "$a" | norm)"
same "medium TXT" TXT medtxt.test 'an=5'

# --- the badserver -----------------------------------------------------
P=127.53.66.6
same "bad: ok" A www.ok.bad.test 'an=1' '192.0.2.99'
same "bad: wrong ID, then the real one (spoof)" A www.spoof.bad.test 'an=1' '192.0.2.99'
check "bad: spoofed address not used" sh -c "! printf '%s\n' \"$LAST\" | grep -q $P"
same "bad: truncate -> TCP" A www.truncate.bad.test 'an=1' '192.0.2.99'
same "bad: out-of-bailiwick answer" A www.oob-answer.bad.test 'an=1' '192.0.2.99'
same "bad: out-of-bailiwick authority" A www.oob-authority.bad.test 'an=1'
same "bad: out-of-bailiwick additional" A www.oob-additional.bad.test 'an=1'
same "bad: CNAME + forged target" A www.cname-oob.bad.test 'CNAME a.test.' 'a.test. [0-9]+ A 192.0.2.1$'
# poison must not be cached: ask the poisoned names
for n in a.test www.example www.sub.test a.nic.test ns.evil.test; do
  a=$(ask_raw $OURS A $n)
  check "no poison cached: $n" sh -c "! printf '%s\n' \"$a\" | grep -q $P"
done
check "no poison: sub.test NS unchanged" sh -c "! fq $OURS NS sub.test | grep -q evil"
check "no poison: test NS unchanged" sh -c "! fq $OURS NS test | grep -q evil"
same "bad: upward referral (lame)" A www.refer-up.bad.test 'rcode=SERVFAIL'
same "bad: referral to itself (lame)" A www.refer-same.bad.test 'rcode=SERVFAIL'
same "bad: sideways referral (lame)" A www.refer-side.bad.test 'rcode=SERVFAIL'
same "bad: referral downwards, forever" A www.refer-down.bad.test 'rcode=SERVFAIL'
ASK_TIMEOUT=3 same "bad: malformed (dropped)" A www.malformed.bad.test '^timeout$'
ASK_TIMEOUT=3 same "bad: bad compression pointer (dropped)" A www.badptr.bad.test '^timeout$'
same "bad: NXDOMAIN without SOA" A www.nxnosoa.bad.test 'rcode=NXDOMAIN'
c1=$(bad_count 127.53.9.21)
same "bad: NXDOMAIN without SOA, again: not cached" A www.nxnosoa.bad.test 'rcode=NXDOMAIN'
check "bad: NXDOMAIN without SOA asked again" test "$(bad_count 127.53.9.21)" -gt "$c1"
same "bad: empty NOERROR without SOA" MX www.nodatanosoa.bad.test '^rcode=NOERROR.* an=0'
same "bad: CNAME with NXDOMAIN is followed" A www.cnamenx.bad.test 'CNAME a.test.' '192.0.2.1'
same "bad: TTL 0 answer" A www.ttl0.bad.test 'an=1'
c1=$(bad_count 127.53.9.27)
same "bad: TTL 0 answer, again" A www.ttl0.bad.test 'an=1'
check "bad: TTL 0 not cached" test "$(bad_count 127.53.9.27)" -gt "$c1"
# (SERVFAIL, REFUSED, NOTIMP, FORMERR upstream take 11 s: t_resolve_slow.sh)
same "bad: slow (2 s)" A www.slow.bad.test 'an=1'

# decision 5: identical queries merged.  A server that answers after
# 0.5 s (within the first 1 s try): 6 clients at once, it sees one query.
bad_start 127.53.9.102=slow:0.5@x2.bad.test || fail "extra badserver"
c1=$(bad_count 127.53.9.102)
mpids=""
for i in 1 2 3 4 5 6; do fq $OURS A merge.x2.bad.test > "$TMP/merge.$i" 2>&1 & mpids="$mpids $!"; done
wait $mpids
c2=$(bad_count 127.53.9.102)
check_eq "merged queries: the server saw one" 1 $((c2 - c1))
check_eq "merged queries: one tx" 1 "$(grep -c '^tx 0 1 merge.x2.bad.test. x2.bad.test. ' "$OLOG")"
ok=0; for i in 1 2 3 4 5 6; do grep -q '192.0.2.99' "$TMP/merge.$i" && ok=$((ok + 1)); done
check_eq "merged queries: every client answered" 6 $ok

# --- bad input from clients never hurts --------------------------------
check "ours still alive" kill -0 $DNSCACHE_PID

# --- servers/<domain> overrides ----------------------------------------
SERVERS_EXTRA="sub.test 127.53.4.1" start_pair servers 127.0.0.3 127.0.0.4 || exit 1
OURS=127.0.0.3 THEIRS=127.0.0.4
same "servers/sub.test: answer" A www.sub.test 'an=2'
check_match "servers/sub.test: asked directly" '^tx 0 1 www.sub.test. sub.test. 7f350401$' "$(cat "$TMP/servers.ours.log")"
same "servers/sub.test: CNAME into it" A xsub.test 'an=3'
same "servers/sub.test: glueless2 (ns2.sub.test from sub.test)" A www.glueless2.test 'an=1'

# --- HIDETTL -------------------------------------------------------------
start_pair hide 127.0.0.5 127.0.0.6 HIDETTL=1 || exit 1
OURS=127.0.0.5 THEIRS=127.0.0.6
same "HIDETTL: A" A a.test '^answer: a.test. 0 A'
same "HIDETTL: CNAME chain" A chain1.test '^answer: chain1.test. 0 CNAME' '^answer: a.test. 0 A'
same "HIDETTL: from cache" A a.test '^answer: a.test. 0 A'
same "HIDETTL: localhost" A localhost '^answer: localhost. 0 A'

# --- FORWARDONLY through a second cache ----------------------------------
mkdir -p "$TMP/fwd"
echo 127.0.0.1 > "$TMP/fwd/ours"
echo 127.0.0.2 > "$TMP/fwd/orig"
for w in ours orig; do
  make_cacheroot "$TMP/fwd.$w" "$TMP/fwd/$w"
done
start_dnscache "$B/dnscache" 127.0.0.7 "$TMP/fwd.ours" "$TMP/fwd.ours.log" IPSEND=127.0.0.7 FORWARDONLY=1 || fail "forwardonly: ours starts"
start_dnscache "$ORIG" 127.0.0.8 "$TMP/fwd.orig" "$TMP/fwd.orig.log" IPSEND=127.0.0.8 FORWARDONLY=1 || fail "forwardonly: original starts"
OURS=127.0.0.7 THEIRS=127.0.0.8
same "FORWARDONLY: A" A www.glueless.test 'an=1' '192.0.2.70'
same "FORWARDONLY: CNAME chain" A chain1.test 'an=4'
same "FORWARDONLY: NXDOMAIN" A nx.sub.test 'rcode=NXDOMAIN'
check_match "FORWARDONLY: recursive query to the forwarder" '^tx 0 1 www.glueless.test. . 7f000001$' "$(cat "$TMP/fwd.ours.log")"
# decision 3: a forwarder that gives referrals (a root server) is a failure
mkdir -p "$TMP/fwdroot.ours/servers" "$TMP/fwdroot.ours/ip"
: > "$TMP/fwdroot.ours/ip/127"; echo 127.53.0.1 > "$TMP/fwdroot.ours/servers/@"
mkdir -p "$TMP/fwdroot.orig/servers" "$TMP/fwdroot.orig/ip"
: > "$TMP/fwdroot.orig/ip/127"; echo 127.53.0.1 > "$TMP/fwdroot.orig/servers/@"
start_dnscache "$B/dnscache" 127.0.0.9 "$TMP/fwdroot.ours" "$TMP/fwdroot.ours.log" IPSEND=127.0.0.9 FORWARDONLY=1 || fail "forwardonly/root: ours starts"
start_dnscache "$ORIG" 127.0.0.10 "$TMP/fwdroot.orig" "$TMP/fwdroot.orig.log" IPSEND=127.0.0.10 FORWARDONLY=1 || fail "forwardonly/root: original starts"
OURS=127.0.0.9 THEIRS=127.0.0.10
differs "FORWARDONLY: referral from the forwarder (decision 3)" A a.test '^rcode=SERVFAIL' '^answer: a.test. 300 A 192.0.2.1'
check_match "FORWARDONLY: the referral is logged" '^lame 7f350001 . test.$' "$(cat "$TMP/fwdroot.ours.log")"

# --- tiny cache ----------------------------------------------------------
start_pair tiny 127.0.0.11 127.0.0.12 CACHESIZE=100 || exit 1
OURS=127.0.0.11 THEIRS=127.0.0.12
same "CACHESIZE=100: A" A a.test 'an=1'
same "CACHESIZE=100: glueless" A www.glueless.test 'an=1'
same "CACHESIZE=100: CNAME chain" A chain1.test 'an=4'
a=$(ask_raw $OURS MX big.test --tcp)
check_match "CACHESIZE=100: big over TCP (ours)" 'an=40' "$a"

echo "# differences from the original:${DIFFS:- none}"
finish
