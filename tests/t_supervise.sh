#!/bin/sh
# dnscache as a daemontools service, the way the README sets it up:
# $B/dnscache-conf makes a service directory (IP 127.0.0.1), supervise
# runs it with multilog behind a pipe, and then: svstat says up, localhost
# and a dotted quad are answered through it, log/main/current has
# multilog-stamped "starting" and "query" lines, svc -t and kill -9 get it
# restarted with a new pid, a second dnscache on the same address dies
# with the original's message, svc -d stops it and svc -x ends supervise.
# The run file is conf's except that it starts $B/dnscache (not the
# installed one); env/DATALIMIT is conf's default (8000000), so this also
# checks that the default lets the daemon start, except under ASan (which
# cannot run under any data limit) where it is "=" (the hard limit).
. "$TOP/tests/lib.sh"

for p in supervise svstat svc svok multilog envdir envuidgid softlimit setuidgid; do
  command -v $p > /dev/null || { fail "no $p (package daemontools)"; exit 1; }
done
[ -x "$B/dnscache" ] || { fail "no $B/dnscache"; exit 1; }
[ -x "$B/dnscache-conf" ] || { fail "no $B/dnscache-conf"; exit 1; }

# Client tools: ours when built, else Debian's.
DNSQR=/usr/bin/dnsqr DNSIP=/usr/bin/dnsip
[ -x "$B/dnsqr" ] && DNSQR=$B/dnsqr
[ -x "$B/dnsip" ] && DNSIP=$B/dnsip

D=$TMP/dnscache
# answers: until localhost is answered through 127.0.0.1 (5 s).
answers() {
  _i=0
  while [ $_i -lt 25 ]; do
    DNSCACHEIP=127.0.0.1 timeout 2 "$DNSQR" a localhost 2> /dev/null | grep -q '^answer: localhost ' && return 0
    sleep 0.2; _i=$((_i + 1))
  done
  return 1
}
# wait_log ERE: until a line of log/main/current matches (5 s).
wait_log() {
  _i=0
  while [ $_i -lt 50 ]; do
    grep -Eq -- "$1" "$D/log/main/current" 2> /dev/null && return 0
    sleep 0.1; _i=$((_i + 1))
  done
  return 1
}

# --- the service directory
"$B/dnscache-conf" nobody daemon "$D" 127.0.0.1 > "$TMP/conf.out" 2>&1
check_eq "dnscache-conf nobody daemon D 127.0.0.1 succeeds silently" "0 " "$? $(cat "$TMP/conf.out")"
check_eq "env/DATALIMIT default" 8000000 "$(cat "$D/env/DATALIMIT")"
sed -i "s#[^ ]*/bin/dnscache\$#$B/dnscache#" "$D/run"
check_match "run starts \$B/dnscache" "softlimit -o250 -d \"\\\$DATALIMIT\" $B/dnscache\$" "$(cat "$D/run")"
if grep -qa __asan_init "$B/dnscache"; then
  echo '=' > "$D/env/DATALIMIT"
  echo "# ASan build: DATALIMIT set to = (no limit)"
fi

# --- supervise D | supervise D/log, through a fifo so both pids are known
sv_start "$D"

wait_up "$D"; P1=$UP
[ -n "$P1" ] && pass "svstat says up (pid $P1)" || fail "svstat says up" "$(svstat "$D"; cat "$TMP/supervise.err")"
wait_up "$D/log"
check "svstat D/log says up (multilog pid $UP)" test -n "$UP"
# svstat says up once supervise has forked run; the exec chain to
# dnscache, its chroot and its setuid follow (slowly under ASan on a
# loaded machine).  dnscache answers only after dropping root, so the
# process is looked at once it answers.
check "localhost answered through 127.0.0.1" answers
check "supervise's child is dnscache" test "$(cat /proc/"$P1"/comm 2> /dev/null)" = dnscache
check "dnscache runs as nobody" test "$(stat -c %U /proc/"$P1" 2> /dev/null)" = nobody
check "dnscache is chrooted to D/root" test "$(readlink /proc/"$P1"/root 2> /dev/null)" = "$D/root"

out=$(DNSCACHEIP=127.0.0.1 timeout 5 "$DNSQR" a localhost 2>&1)
check_match "dnsqr a localhost: 127.0.0.1" '^answer: localhost [0-9]+ A 127\.0\.0\.1$' "$out"
out=$(DNSCACHEIP=127.0.0.1 timeout 5 "$DNSQR" a 10.20.30.40 2>&1)
check_match "dnsqr a 10.20.30.40: the dotted quad" '^answer: 10\.20\.30\.40 [0-9]+ A 10\.20\.30\.40$' "$out"
check_eq "dnsip localhost 1.2.3.4" "127.0.0.1 
1.2.3.4 " \
  "$(DNSCACHEIP=127.0.0.1 timeout 5 "$DNSIP" localhost 1.2.3.4 2>&1)"

TS='^@4000[0-9a-f]{20} '
check "log: multilog-stamped starting line" wait_log "${TS}starting\$"
check "log: query line for localhost" wait_log "${TS}query [0-9]+ 7f000001:[0-9a-f]{4}:[0-9a-f]{4} 1 localhost\.\$"
check "log: query line for the dotted quad" wait_log "${TS}query [0-9]+ 7f000001:[0-9a-f]{4}:[0-9a-f]{4} 1 10\.20\.30\.40\.\$"
check "log: sent line" wait_log "${TS}sent [0-9]+ [0-9]+\$"
check "log: every line stamped" sh -c "! grep -Ev '$TS' '$D/log/main/current'"

# --- a second dnscache on the same address: the original's message
run2() {
  (cd "$D" && exec envdir ./env env UID=65534 GID=65534 "$1" < seed) > "$TMP/second.out" 2>&1 &
  SECOND_PID=$!
  _i=0
  while kill -0 $SECOND_PID 2> /dev/null && [ $_i -lt 30 ]; do sleep 0.1; _i=$((_i + 1)); done
  kill -9 $SECOND_PID 2> /dev/null
  wait $SECOND_PID
  echo "$? $(cat "$TMP/second.out")"
}
orig2=$(run2 /usr/sbin/dnscache)
ours2=$(run2 "$B/dnscache")
check_eq "second dnscache on 127.0.0.1: the original's message and exit" \
  "111 dnscache: fatal: unable to bind TCP socket: address already used" "$orig2"
check_eq "second dnscache on 127.0.0.1: ours says the same" "$orig2" "$ours2"
check "first dnscache still up, same pid" test "$(svpid "$D")" = "$P1"

# --- restarts
svc -t "$D"
wait_up "$D" "$P1"; P2=$UP
[ -n "$P2" ] && pass "svc -t: restarted (pid $P1 -> $P2)" || fail "svc -t: restarted" "$(svstat "$D")"
check "svc -t: old pid gone" sh -c "! kill -0 $P1 2> /dev/null"
check "svc -t: answers again" answers
check "svc -t: second starting line" sh -c "test \$(grep -Ec '${TS}starting\$' '$D/log/main/current') -ge 2"

kill -9 "$P2" 2> /dev/null
wait_up "$D" "$P2"; P3=$UP
[ -n "$P3" ] && pass "kill -9: supervise restarted it (pid $P2 -> $P3)" || fail "kill -9: restarted" "$(svstat "$D")"
check "kill -9: answers again" answers

# --- stop
svc -d "$D"
_i=0
while [ $_i -lt 50 ] && ! svstat "$D" | grep -q ': down '; do sleep 0.1; _i=$((_i + 1)); done
check_match "svc -d: svstat says down, normally up" ': down [0-9]+ seconds, normally up' "$(svstat "$D")"
check "svc -d: dnscache gone" sh -c "! kill -0 $P3 2> /dev/null"
check "svc -d: nothing answers" sh -c "! DNSCACHEIP=127.0.0.1 timeout 3 '$DNSQR' a localhost > /dev/null 2>&1"
check "svok while supervise runs" svok "$D"
svc -x "$D"
_i=0
while kill -0 $SUP 2> /dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
check "svc -x: supervise exited" sh -c "! kill -0 $SUP 2> /dev/null"
check "svc -x: svok says not running" sh -c "! svok '$D'"
# supervise D/log sees end of input once supervise D is gone
svc -dx "$D/log"
_i=0
while kill -0 $LOGSUP 2> /dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
check "log supervise exited" sh -c "! kill -0 $LOGSUP 2> /dev/null"
finish
