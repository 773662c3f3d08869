#!/bin/sh
# t_edns_upstream.sh: EDNS0 to servers (SPEC 4.2, issue 13).  Scripted
# servers (badserver.py edns-* modes) on the spare addresses answer a
# query with an OPT honestly (with an OPT), with FORMERR, NOTIMP or
# BADVERS, with a broken OPT, or not at all; without an OPT every one
# answers honestly.  For each: the answer arrives, without waiting out
# 1.05's retry schedule (bounds generous: a loaded machine), the queries
# each server received are counted (with/without OPT), and a second name
# asked later goes without OPT at once ("no EDNS" remembered).  The
# client tools keep 1.05's queries without OPT; TCP queries carry none.
. "$TOP/tests/lib.sh"

[ -x "$B/dnscache" ] || { fail "no $B/dnscache"; exit 1; }
fakenet_start || { fail "fakenet starts"; exit 1; }
bad_start 127.53.9.101=edns-ok@x1.bad.test 127.53.9.102=edns-formerr@x2.bad.test \
  127.53.9.103=edns-notimp@x3.bad.test 127.53.9.104=edns-badvers@x4.bad.test \
  127.53.9.105=edns-broken@x5.bad.test 127.53.9.106=edns-drop@x6.bad.test \
  127.53.9.107=edns-ok@x7.bad.test ||
  { fail "edns badservers start"; exit 1; }
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
start_dnscache "$B/dnscache" 127.0.0.41 "$TMP/root" "$TMP/log" ||
  { fail "dnscache starts" "$(cat "$TMP/log")"; exit 1; }
PID=$DNSCACHE_PID

edns_log() { tr '\n' ' ' < "$FAKENET/count/$1.edns" 2>/dev/null | sed 's/ $//'; }

# ask NAME MAXSECONDS: the answer must come within MAXSECONDS
ask() {
  _t0=$(date +%s)
  _out=$(fq --timeout 70 127.0.0.41 A "$1")
  _t1=$(date +%s)
  check_match "$1: answered (in $((_t1 - _t0)) s)" "^answer: $1\\. [0-9]+ A 192\\.0\\.2\\.99" "$_out"
  check "$1: within $2 s, not 1.05's whole retry schedule ($((_t1 - _t0)) s)" test $((_t1 - _t0)) -le "$2"
}

ask www.x1.bad.test 30
check_eq "edns-ok: one query, with OPT" "udp opt" "$(edns_log 127.53.9.101)"
for m in 2:formerr 3:notimp 4:badvers 5:broken; do
  n=${m%%:*} mode=${m#*:}
  ask www.x$n.bad.test 30
  check_eq "edns-$mode: one query with OPT, asked again at once without" \
    "udp opt udp noopt" "$(edns_log 127.53.9.10$n)"
  ask www2.x$n.bad.test 30
  check_eq "edns-$mode: remembered: the next name goes without OPT" \
    "udp opt udp noopt udp noopt" "$(edns_log 127.53.9.10$n)"
done
# a server that drops queries with OPT: two timeouts (3 s + 11 s), then
# without OPT; 1.05's schedule would wait 59 s and fail
ask www.x6.bad.test 45
check_eq "edns-drop: two queries with OPT time out, the third goes without" \
  "udp opt udp opt udp noopt" "$(edns_log 127.53.9.106)"
ask www2.x6.bad.test 30
check_eq "edns-drop: remembered" "udp opt udp opt udp noopt udp noopt" "$(edns_log 127.53.9.106)"

# the tools send no OPT (1.05's queries), straight to the server
DNSCACHEIP=127.53.9.107 "$B/dnsq" a www.x7.bad.test 127.53.9.107 > /dev/null 2>&1
check_eq "dnsq: no OPT" "udp noopt" "$(edns_log 127.53.9.107)"

# the log grammar is 1.05's
check_eq "log: only 1.05's kinds of line" "" \
  "$(grep -v -E '^(starting|query|sent|drop|tcpopen|tcpclose|tx|rr|cached|nxdomain|nodata|lame|servfail|stats) ' "$TMP/log" | grep -v '^starting$' | head -5)"
check "ours still running" kill -0 "$PID"
no_sanitizer_report "$TMP/log"
finish
