# t_tools.sh: differential test of the client tools.  Each case runs
# Debian's tool (/usr/bin/NAME) and ours ($B/NAME) with the same arguments
# and environment against the same cache (Debian's /usr/sbin/dnscache on
# the fakenet, 127.0.0.1) and compares stdout, stderr and the exit code
# byte for byte.  dnsip/dnsipq lines are compared with their addresses
# sorted (both shuffle); dnsqr/dnsq are run ours-first, then the original,
# with TTLs allowed to differ by up to 3 s, and retried once
# a second later on any other difference.  Slow cases (dead
# caches, 60 s schedules) are in t_tools_slow.sh; crafted packets for the
# printer in t_tools_pp.sh.
. "$TOP/tests/lib.sh"

ORIG=${ORIG:-/usr/bin}
for p in dnsq dnsqr dnsip dnsipq dnsname dnsmx dnstxt; do
  if [ ! -x "$ORIG/$p" ] || [ ! -x "$B/$p" ]; then
    fail "tools: $ORIG/$p and $B/$p exist"
    exit 1
  fi
done

fakenet_start || { fail "tools: fakenet starts"; exit 1; }
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
start_dnscache /usr/sbin/dnscache 127.0.0.1 "$TMP/root" "$TMP/cachelog" ||
  { fail "tools: Debian dnscache starts"; exit 1; }
export DNSCACHEIP=127.0.0.1
export DNSREWRITEFILE=$TMP/no-such-rewrite-file
unset LOCALDOMAIN

D=$TMP/d
mkdir -p "$D"
ncase=0

# Sorts the words of each line (addresses come in random order).
sortwords() {
  while IFS= read -r line; do
    printf '%s\n' "$line" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '
    echo
  done
}

# One side ($SIDE = ours|orig): $1 = dir of the tool, $2 = env words
# (VAR=VALUE, no spaces), rest = tool and args; writes $D/out.X, err.X,
# rc.X and norm.X (the output compared).
runside() {
  _dir=$1 _ev=$2
  shift 2
  _p=$1
  shift
  # shellcheck disable=SC2086
  env $_ev timeout 120 "$_dir/$_p" "$@" > "$D/out.$SIDE" 2> "$D/err.$SIDE"
  echo $? > "$D/rc.$SIDE"
  case $_p in
    dnsip|dnsipq) sortwords < "$D/out.$SIDE" > "$D/norm.$SIDE" ;;
    dnsq|dnsqr)
      # The TTL column is compared apart, within a few seconds: the two
      # runs may straddle a tick of the cache's clock, or several on a
      # slow sanitizer build.
      _re='^((answer|authority|additional): [^ ]+ )([0-9]+) '
      sed -E "s/$_re/\\1TTL /" < "$D/out.$SIDE" > "$D/norm.$SIDE"
      sed -En "s/$_re.*/\\3/p" < "$D/out.$SIDE" > "$D/ttl.$SIDE" ;;
    *) cp "$D/out.$SIDE" "$D/norm.$SIDE" ;;
  esac
}

# The TTLs of the two sides, line by line, differ by at most 3 seconds.
ttlclose() {
  [ -f "$D/ttl.ours" ] || return 0
  paste -d ' ' "$D/ttl.ours" "$D/ttl.orig" | awk '
    { d = $1 - $2; if (d < 0) d = -d; if (NF != 2 || d > 3) bad = 1 }
    END { exit bad }'
}

same() {
  cmp -s "$D/norm.ours" "$D/norm.orig" && cmp -s "$D/err.ours" "$D/err.orig" &&
    cmp -s "$D/rc.ours" "$D/rc.orig" && ttlclose
}

report() {
  set -- "$(printf "%s" "$1" | tr "\\\\" /)"
  if same; then
    pass "tools: $1"
  else
    fail "tools: $1" "rc ours $(cat "$D/rc.ours") orig $(cat "$D/rc.orig")
$(diff "$D/out.orig" "$D/out.ours")
$(diff "$D/err.orig" "$D/err.ours")"
  fi
}

# c [VAR=VALUE...] PROG ARGS...: one differential case.  Ours runs first,
# then the original; a difference is retried once a second later (a TTL
# may have ticked between the two runs).
c() {
  _env=""
  while :; do
    case $1 in *=*) _env="$_env $1"; shift ;; *) break ;; esac
  done
  ncase=$((ncase + 1))
  _try=0
  rm -f "$D/ttl.ours" "$D/ttl.orig"
  _t0=$(date +%s)
  while :; do
    SIDE=ours; runside "$B" "$_env" "$@"
    SIDE=orig; runside "$ORIG" "$_env" "$@"
    same && break
    _try=$((_try + 1))
    [ $_try -ge 2 ] && break
    sleep 1
  done
  _t=$(($(date +%s) - _t0))
  [ $_t -gt 3 ] && echo "# slow case ($_t s): $*" | cut -c1-100
  report "$(printf '%s' "$_env $*" | tr -c '[:print:]' '?' | cut -c1-120)"
}

L63=$(printf 'a%.0s' $(seq 63))
L64=$(printf 'a%.0s' $(seq 64))
N255="$L63.$L63.$L63.$(printf 'b%.0s' $(seq 61))"   # 253 chars: 255 wire bytes
N256="$L63.$L63.$L63.$(printf 'b%.0s' $(seq 62))"   # one byte too many
ODD=$(printf 'A\001b\377 c.test')

# Warm the cache through the original so both sides see cached answers.
for n in a.test multi.test mx.test txt.test cname.test chain1.test www.sub.test; do
  "$ORIG/dnsqr" a $n > /dev/null 2>&1
done

# ---- dnsqr ----
for t in a any mx txt ns soa aaaa cname ptr hinfo rp sig key 0 65535 33 A Mx; do
  c dnsqr $t a.test
done
c dnsqr a multi.test
c dnsqr aaaa aaaa.test
c dnsqr any dual.test
c dnsqr txt txt.test
c dnsqr txt txt2.test
c dnsqr txt bigtxt.test
c dnsqr txt medtxt.test
c dnsqr mx mx.test
c dnsqr mx big.test
c dnsqr 33 srv.test
c dnsqr cname cname.test
c dnsqr a cname.test
c dnsqr a chain1.test
c dnsqr a xsub.test
c dnsqr a xtld.test
c dnsqr a nx.test
c dnsqr mx a.test
c dnsqr soa test
c dnsqr ns test
c dnsqr ns .
c dnsqr a .
c dnsqr a ''
c dnsqr ptr 1.2.0.192.in-addr.arpa
c dnsqr ptr 50.2.0.192.in-addr.arpa
c dnsqr ptr 100.2.0.192.in-addr.arpa
c dnsqr a www.sub.test
c dnsqr a www.glueless.test
c dnsqr a foo.wild.test
c dnsqr a localhost
c dnsqr ptr 1.0.0.127.in-addr.arpa
c dnsqr a 1.2.3.4
c dnsqr a MiXeD.TeSt
c dnsqr a "$ODD"
c dnsqr a 'a\056b.test'
c dnsqr a 'x\\y.test'
c dnsqr a 'a..test.'
c dnsqr a "$L63.test"
c dnsqr a "$L64.test"
c dnsqr a "$N255"
c dnsqr a "$N256"
c dnsqr a a.nosuchtld
c dnsqr
c dnsqr a
c dnsqr a a.test extra
c dnsqr srv a.test
c dnsqr 1x a.test
c dnsqr '' a.test
c dnsqr 65536 a.test
c dnsqr a "$L64.test" extra

# ---- dnsq (non-recursive, straight to tinydns) ----
c dnsq a a.test 127.53.1.1
c dnsq any a.test 127.53.1.1
c dnsq mx mx.test 127.53.1.1
c dnsq mx big.test 127.53.1.1
c dnsq txt bigtxt.test 127.53.1.1
c dnsq a nx.test 127.53.1.1
c dnsq mx a.test 127.53.1.1
c dnsq ns test 127.53.1.1
c dnsq soa test 127.53.1.1
c dnsq a www.sub.test 127.53.1.1
c dnsq a www.test 127.53.0.1
c dnsq ns . 127.53.0.1
c dnsq a a.nosuchtld 127.53.0.2
c dnsq ptr 1.2.0.192.in-addr.arpa 127.53.3.2
c dnsq a a.test a.nic.test
c dnsq a a.test 127.53.1.1.127.53.1.2
c dnsq a a.test 127.53.8.1.127.53.1.1
c dnsq a a.test '[127.53.1.1]'
c dnsq a a.test nx.test
c dnsq a a.test 1.2.3
c dnsq a "$L64" 127.53.1.1
c dnsq a a.test "$L64"
c dnsq a a.test 127.53.1.1 extra
c dnsq
c dnsq a
c dnsq a a.test
c dnsq bogus a.test 127.53.1.1

# ---- dnsip ----
c dnsip a.test
c dnsip multi.test
c dnsip a.test multi.test nx.test cname.test
c dnsip chain1.test
c dnsip xtld.test
c dnsip aaaa.test
c dnsip dual.test
c dnsip www.sub.test
c dnsip MiXeD.TeSt
c dnsip localhost
c dnsip a.nosuchtld
c dnsip nx.test
c dnsip "$ODD"
c dnsip 1.2.3.4 127...1 10.555.678.901 '[1.2.3.4]' 1.2.3 1.2.3.4.5.6.7.8 '' . '[[]]'
c dnsip 1.2.3.4 "$L64.test"
c dnsip "$N255"
c dnsip "$N256"
c dnsip
c dnsip a.test "$N256" multi.test

# ---- dnsipq ----
c dnsipq a.test
c dnsipq a
c dnsipq LOCALDOMAIN=test a multi nx a.test
c LOCALDOMAIN=test dnsipq a multi nx a.test
c LOCALDOMAIN=nosuch.test dnsipq a
c LOCALDOMAIN=test. dnsipq a
c LOCALDOMAIN= dnsipq a a.test
echo '?:+.nosuch+.nx.test+.test' > "$TMP/rw1"
c DNSREWRITEFILE=$TMP/rw1 dnsipq a www multi a.test 1.2.3.4
printf '=mail:mx.test\n*.alias:.test\n-.zap:192.0.2.9\n?:+.sub.test+.test\n' > "$TMP/rw2"
c DNSREWRITEFILE=$TMP/rw2 dnsipq mail www.alias a.zap www nothing a.test
printf '*:+.test' > "$TMP/rw3"
c DNSREWRITEFILE=$TMP/rw3 dnsipq a www.sub '' nx
c DNSREWRITEFILE=$TMP dnsipq a
c dnsipq "$L64"
c dnsipq 1.2.3.4 "$N256"

# ---- dnsname ----
c dnsname 192.0.2.1
c dnsname 192.0.2.100
c dnsname 127.53.4.1
c dnsname 192.0.2.50
c dnsname 192.0.2.77
c dnsname 127.53.0.1 127.53.1.2 192.0.2.2
c dnsname 127.0.0.1
c dnsname 1.2.3
c dnsname 192.0.2.1 1.2.3
c dnsname 1.2.3.4.5
c dnsname 300.0.2.1
c dnsname 192.0.2.1x
c dnsname ''
c dnsname

# ---- dnsmx ----
c dnsmx mx.test
c dnsmx big.test
c dnsmx a.test
c dnsmx MiXeD.TeSt
c dnsmx nx.test
c dnsmx mxalias.test
c dnsmx "$ODD"
c dnsmx .
c dnsmx ''
c dnsmx 'a..b.'
c dnsmx 'x\\y.test'
c dnsmx "$L64"
c dnsmx mx.test a.test
c dnsmx

# ---- dnstxt ----
c dnstxt txt.test
c dnstxt txt2.test
c dnstxt bigtxt.test
c dnstxt medtxt.test
c dnstxt txt.sub.test
c dnstxt a.test
c dnstxt nx.test
c dnstxt txt.test a.test txt2.test
c dnstxt "$L64"
c dnstxt

# ---- finding the cache ----
c DNSCACHEIP=127.0.0.9.127.0.0.1 dnsip a.test
c DNSCACHEIP=..127.0.0.1.. dnsqr a a.test
c DNSCACHEIP=127.0.0.1,127.0.0.9 dnsip a.test
c DNSCACHEIP=0.0.0.0 dnsqr a a.test
c DNSCACHEIP=127.000.000.001 dnsip multi.test
c DNSCACHEIP=127.0.0.257 dnsip a.test

# resolv.conf cases: a private mount namespace with our own
# /etc/resolv.conf (or none at all).
if unshare -m true 2>/dev/null; then
  rc() {   # rc RESOLVCONF-TEXT PROG ARGS...
    printf '%b' "$1" > "$TMP/resolv.conf"
    _rcname="resolv.conf $(printf "%s" "$1" | cut -c1-50) $2 $3"
    shift
    ncase=$((ncase + 1))
    for SIDE in ours orig; do
      [ $SIDE = ours ] && dir=$B || dir=$ORIG
      env -u DNSCACHEIP -u LOCALDOMAIN unshare -m sh -c \
        'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
        sh "$TMP/resolv.conf" timeout 60 "$dir/$1" "$2" "$3" "$4" \
        > "$D/out.$SIDE" 2> "$D/err.$SIDE"
      echo $? > "$D/rc.$SIDE"
      sortwords < "$D/out.$SIDE" > "$D/norm.$SIDE"
    done
    report "$_rcname"
  }
  rc 'nameserver 127.0.0.1\n' dnsip a.test x y
  rc 'nameserver\t 127.0.0.1\n' dnsqr a a.test x
  rc 'nameserver 0.0.0.0\n' dnsip multi.test x y
  rc '# nothing\n' dnsip a.test x y
  rc 'nameserver 127.0.0.9\nnameserver 127.0.0.1\n' dnsip a.test x y
  rc ' nameserver 127.0.0.9\nnameserver 127.0.0.1\n' dnsip a.test x y
  rc 'nameservers 127.0.0.9\nnameserver 127.0.0.1' dnsip a.test x y
  rc 'nameserver 127.0.0.1\nsearch nosuch.test test\n' dnsipq a multi x
  rc 'nameserver 127.0.0.1\ndomain test\nsearch nosuch\n' dnsipq a multi x
  rc 'search\t  test \t sub.test\nnameserver 127.0.0.1\n' dnsipq www a x
  rc 'searching test\nnameserver 127.0.0.1\n' dnsipq a x y
  rc 'nameserver 127.0.0.1\n' dnsq a a.test a.nic.test
  # no /etc/resolv.conf at all: an empty tmpfs over /etc
  ncase=$((ncase + 1))
  for SIDE in ours orig; do
    [ $SIDE = ours ] && dir=$B || dir=$ORIG
    env -u DNSCACHEIP -u LOCALDOMAIN -u DNSREWRITEFILE unshare -m sh -c \
      'mount -t tmpfs none /etc && exec "$@"' sh "$dir/dnsipq" a.test localhost \
      > "$D/out.$SIDE" 2> "$D/err.$SIDE"
    echo $? > "$D/rc.$SIDE"
    sortwords < "$D/out.$SIDE" > "$D/norm.$SIDE"
  done
  report "no /etc/resolv.conf"
  # the host name's domain as the search rule
  if unshare -u true 2>/dev/null; then
    ncase=$((ncase + 1))
    printf 'nameserver 127.0.0.1\n' > "$TMP/resolv.conf"
    for SIDE in ours orig; do
      [ $SIDE = ours ] && dir=$B || dir=$ORIG
      env -u DNSCACHEIP -u LOCALDOMAIN unshare -m -u sh -c \
        'hostname box.test && mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
        sh "$TMP/resolv.conf" "$dir/dnsipq" a multi www.sub \
        > "$D/out.$SIDE" 2> "$D/err.$SIDE"
      echo $? > "$D/rc.$SIDE"
      sortwords < "$D/out.$SIDE" > "$D/norm.$SIDE"
    done
    report "hostname's domain as search rule"
  fi
fi

echo "# $ncase differential cases"
finish
