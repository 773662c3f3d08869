#!/bin/sh
# t_ipv6_dqcache.sh: our cache and Debian's dqcache (an IPv6-capable
# dnscache descendant, SPEC 4.1) side by side on the IPv6 world
# (tests/fakenet6), the same roots (IPv6 and IPv4), the same questions:
# the same answers (rcode and records, not TTLs, not logs) wherever
# dqcache answers.  Where it does not (a chain through a name server that
# has only AAAA records: dqcache keeps asking for its A and never uses the
# AAAA it has cached, issue 12) ours must give what the zones say.
. "$TOP/tests/lib.sh"
. "$TOP/tests/fakenet6/start"

if [ "$(id -u)" != 0 ]; then
  skip "side by side with dqcache" "needs root (chroot)"
  finish
  exit
fi
if [ ! -x /usr/sbin/dqcache ]; then
  skip "side by side with dqcache" "no /usr/sbin/dqcache (apt-get install dqcache)"
  finish
  exit
fi
why=$(fakenet6_can)
if [ -n "$why" ]; then
  skip "side by side with dqcache" "$why"
  finish
  exit
fi
fakenet6_start || { fail "the IPv6 world starts"; finish; exit; }

make_cacheroot "$TMP/ours" "$FAKENET6_ROOTS46"
start_dnscache "$B/dnscache" 127.0.0.21 "$TMP/ours" "$TMP/ours.log" ||
  { fail "our dnscache starts" "$(cat "$TMP/ours.log")"; finish; exit; }
# dqcache: ROOT with servers/@, IP, IPSEND4/IPSEND6, CACHESIZE, UID/GID
# (dqcache(8)); it serves 127.0.0.0/8 clients without ip/ files
mkdir -p "$TMP/dq/servers"
cp "$FAKENET6_ROOTS46" "$TMP/dq/servers/@"
env ROOT="$TMP/dq" IP=127.0.0.22 IPSEND4=0.0.0.0 IPSEND6=:: CACHESIZE=1000000 UID=0 GID=0 \
  /usr/sbin/dqcache > "$TMP/dq.log" 2>&1 &
track $!
i=0
until dig +time=1 +tries=1 @127.0.0.22 localhost A 2> /dev/null | grep -q 'status:'; do
  i=$((i + 1))
  [ $i -lt 50 ] || { fail "dqcache starts" "$(cat "$TMP/dq.log")"; finish; exit; }
  sleep 0.1
done

# the questions whose chain passes a name server with only AAAA records
v6chain() {
  case $1 in
    *v6only.test|*glueless6.test|*spoof6.test|*oob6.test|*ip6.arpa) return 0 ;;
  esac
  return 1
}
same=0 beat=0
for q in $F6_QUESTIONS; do
  t=${q%%:*} n=${q#*:}
  dq=$(f6_ask 127.0.0.22 "$t" "$n")
  ours=$(f6_ask 127.0.0.21 "$t" "$n")
  want=$(f6_expect "$q")
  if [ "$dq" = "$want" ]; then
    check_eq "$q: the same answer as dqcache ($want)" "$dq" "$ours"
    same=$((same + 1))
  elif v6chain "$n"; then
    check_eq "$q: answered where dqcache fails (dqcache: $dq)" "$want" "$ours"
    beat=$((beat + 1))
  else
    fail "$q: dqcache answers something else than the zones say" "dqcache: $dq
zones:   $want
ours:    $ours"
  fi
done
# the dual-stack and IPv4-only chains must be among the compared ones
check "compared with dqcache: at least the 11 dual-stack and IPv4-only questions ($same compared, $beat where dqcache fails)" \
  test "$same" -ge 11
# the case issue 12 names: a zone whose name server has only AAAA glue
check_eq "v6only.test (NS with only AAAA glue): ours answers" "NOERROR A 192.0.2.61 " \
  "$(f6_ask 127.0.0.21 A www.v6only.test)"
echo "# dqcache on www.v6only.test A: $(f6_ask 127.0.0.22 A www.v6only.test)"
no_sanitizer_report "$TMP/ours.log"
finish
