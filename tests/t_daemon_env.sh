#!/bin/sh
# t_daemon_env.sh: start-up.  For each bad environment the fatal message
# on stderr and the exit code must be the original's (/usr/sbin/dnscache),
# which also pins down the order of the start-up steps; lenient values
# must start a working daemon, as they do with the original.
. "$TOP/tests/lib.sh"

PY="$PYTHON $TOP/tests/t_daemon.py"
ORIG=/usr/sbin/dnscache
OURS=$B/dnscache
IP=127.0.0.2
[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }

R=$TMP/root
mkdir -p "$R/ip" "$R/servers"
: > "$R/ip/127"
echo 127.53.0.1 > "$R/servers/@"
: > "$TMP/plainfile"
mkdir -p "$TMP/noservers/ip" "$TMP/subdir/ip" "$TMP/subdir/servers/x" "$TMP/noat/ip" "$TMP/noat/servers"
: > "$TMP/noat/ip/127"
echo 127.53.0.1 > "$TMP/subdir/servers/@"
chmod -R a+rX "$TMP"

# run BIN VAR=VALUE...: start BIN with the base environment changed by
# the arguments (VAR= unsets VAR); prints its stderr and exit code, or
# "running" if it is still up after a second.
run() {
  _bin=$1
  shift
  _unset=""
  for _a in "$@"; do case $_a in *=) _unset="$_unset -u ${_a%=}" ;; esac; done
  # shellcheck disable=SC2086
  env -i IP=$IP IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 QUERYLOOPBACK=1 "$@" \
    env $_unset "$_bin" < /dev/null > "$TMP/run.out" 2>&1 &
  _pid=$!
  track $_pid
  _i=0
  while kill -0 $_pid 2>/dev/null && [ $_i -lt 20 ]; do sleep 0.05; _i=$((_i + 1)); done
  if kill -0 $_pid 2>/dev/null; then
    untrack_kill $_pid
    echo "running: $(cat "$TMP/run.out")"
  else
    wait $_pid
    echo "exit $?: $(cat "$TMP/run.out")"
    untrack_kill $_pid
  fi
}

# case NAME VAR=VALUE...: ours must behave as the original
case_() {
  _name=$1
  shift
  _o=$(run "$ORIG" "$@")
  _n=$(run "$OURS" "$@")
  check_eq "env $_name: as the original ($_o)" "$_o" "$_n"
}

case_ "IP unset" IP=
case_ "IP junk" IP=junk
case_ "IP three numbers" IP=127.0.0
case_ "IP not local" IP=192.0.2.1
case_ "ROOT unset" ROOT=
case_ "ROOT missing" ROOT=/nonexistent/dir
case_ "ROOT a file" ROOT="$TMP/plainfile"
case_ "GID unset" GID=
case_ "UID unset" UID=
case_ "IPSEND unset" IPSEND=
case_ "IPSEND junk" IPSEND=x.y
case_ "CACHESIZE unset" CACHESIZE=
case_ "servers missing" ROOT="$TMP/noservers"
case_ "servers with a sub-directory" ROOT="$TMP/subdir"
case_ "order ROOT before IPSEND" ROOT= IPSEND=
case_ "order GID before UID" GID= UID=
case_ "order IPSEND before CACHESIZE" IPSEND= CACHESIZE=
case_ "order CACHESIZE before servers" CACHESIZE= ROOT="$TMP/noservers"
case_ "order IP before everything" IP= ROOT= GID= UID= IPSEND= CACHESIZE=
case_ "order bind before ROOT" IP=192.0.2.1 ROOT=

# the address is taken: the original holds it
env -i IP=127.0.0.9 IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 "$ORIG" < /dev/null > /dev/null 2>&1 &
HOLDER=$!
track $HOLDER
wait_udp 127.0.0.9 53
case_ "address in use" IP=127.0.0.9
untrack_kill $HOLDER

# memory for the cache: the original under ulimit -v 60000; ours the
# same on a plain build.  AddressSanitizer reserves terabytes of address
# space (no ulimit -v possible): there its allocator is capped instead,
# returning NULL past 60 MB (ASAN_CAP), so the cache's calloc fails alike.
ASAN_CAP=ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=60
_o=$( (ulimit -v 60000; run "$ORIG" CACHESIZE=100000000) )
if is_sanitized; then
  # less ASan's own one-line notice of the allocation it refused
  _n=$(run "$OURS" CACHESIZE=100000000 "$ASAN_CAP" |
    sed -e ':a' -e 'N' -e '$!ba' -e 's/==[0-9]*==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]* bytes\n//')
else
  _n=$( (ulimit -v 60000; run "$OURS" CACHESIZE=100000000) )
fi
check_eq "env CACHESIZE too big: as the original ($_o)" "$_o" "$_n"

# lenient values that start a working daemon: answers localhost on ADDR
# lenient NAME ADDR VAR=VALUE...
lenient() {
  _name=$1 _addr=$2
  shift 2
  for _bin in "$ORIG" "$OURS"; do
    _unset=""
    for _a in "$@"; do case $_a in *=) _unset="$_unset -u ${_a%=}" ;; esac; done
    # shellcheck disable=SC2086
    env -i IP=$IP IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 QUERYLOOPBACK=1 "$@" \
      env $_unset "$_bin" < /dev/null > "$TMP/len.out" 2>&1 &
    _pid=$!
    track $_pid
    wait_udp "$_addr" 53
    _r=$($PY query "$_addr" localhost a 0 1)
    LENIENT_PID=$_pid
    [ -n "$LENIENT_CHECK" ] && eval "$LENIENT_CHECK"
    untrack_kill $_pid
    echo "$_r"
  done > "$TMP/lenient.out"
  check_eq "env $_name: both answer" "$(sed -n 1p "$TMP/lenient.out")" "$(sed -n 2p "$TMP/lenient.out")"
  check_match "env $_name: answer" '^len=43 ' "$(sed -n 2p "$TMP/lenient.out")"
}
LENIENT_CHECK=
lenient "IP octet over 255 and trailing junk" 127.0.0.44 IP=127.0.0.300junk
lenient "UID and GID not numeric" $IP UID=abc GID=x1
lenient "CACHESIZE not numeric" $IP CACHESIZE=lots
# A small cache: VmSize under 200 MB on a plain build; under ASan (whose
# VmSize is terabytes) the daemon starts and answers with every
# allocation capped at 200 MB, which a 4 GB cache would not pass.
LENIENT_CHECK='grep VmSize /proc/$LENIENT_PID/status >> "$TMP/vm.out"'
: > "$TMP/vm.out"
if is_sanitized; then
  lenient "CACHESIZE wraps at 2^32" $IP CACHESIZE=4294967396 \
    ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=200
  check_match "env: CACHESIZE 2^32+100 gives a small cache (ours answers with allocations capped at 200 MB)" \
    '^len=43 ' "$(sed -n 2p "$TMP/lenient.out")"
else
  lenient "CACHESIZE wraps at 2^32" $IP CACHESIZE=4294967396
  check "env: CACHESIZE 2^32+100 gives a small cache" test "$(sed -n 2p "$TMP/vm.out" | tr -dc 0-9)" -lt 200000
fi
LENIENT_CHECK=
# The data segment ours needs to start stays near Debian's (about 2.0 MB
# with CACHESIZE 1000000): a service directory made by Debian's
# dnscache-conf (DATALIMIT 4000000) keeps working with a larger cache.
if plain_only "env: CACHESIZE 1000000 under softlimit -d 2300000" "ASan's shadow memory alone is far over any data limit"; then
  for _s in ORIG OURS; do
    eval "_b=\$$_s"
    printf '#!/bin/sh\nexec softlimit -d 2300000 "%s"\n' "$_b" > "$TMP/limited.$_s"
    chmod +x "$TMP/limited.$_s"
  done
  _ORIG=$ORIG _OURS=$OURS
  ORIG=$TMP/limited.ORIG OURS=$TMP/limited.OURS
  lenient "CACHESIZE 1000000 under softlimit -d 2300000" $IP CACHESIZE=1000000
  ORIG=$_ORIG OURS=$_OURS
fi
lenient "no servers/@" $IP ROOT="$TMP/noat"
lenient "HIDETTL and FORWARDONLY present" $IP HIDETTL=yes FORWARDONLY=1

# privileges really dropped: uid, gid, supplementary groups, chroot
LENIENT_CHECK='grep -E "^(Uid|Gid|Groups):" /proc/$LENIENT_PID/status | tr -s "\t " " " >> "$TMP/ids.out"; readlink /proc/$LENIENT_PID/root >> "$TMP/ids.out"'
: > "$TMP/ids.out"
lenient "UID 65534 GID 65533" $IP UID=65534 GID=65533
LENIENT_CHECK=
check_eq "env: ours runs as 65534/65533, chrooted" "Uid: 65534 65534 65534 65534
Gid: 65533 65533 65533 65533
Groups: 65533 
$R" "$(sed -n 5,8p "$TMP/ids.out")"

# the seed: one read of at most 128 bytes from fd 0, then fd 0 is closed
env -i IP=$IP IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 QUERYLOOPBACK=1 "$OURS" < /dev/zero > /dev/null 2>&1 &
_pid=$!
track $_pid
wait_udp $IP 53
check "env: fd 0 closed after the seed" sh -c "! [ -e /proc/$_pid/fd/0 ] || [ \"\$(readlink /proc/$_pid/fd/0)\" != /dev/zero ]"
untrack_kill $_pid

finish
