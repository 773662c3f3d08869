#!/bin/sh
# t_daemon.sh: the daemon's front end, ours ($B/dnscache on 127.0.0.3)
# side by side with the original (/usr/sbin/dnscache on 127.0.0.2): local
# answers, discard rules, ip/ access control, TCP framing, AXFR.  The
# client (tests/t_daemon.py) uses fixed source ports and IDs, so the
# replies and the log lines must be identical byte for byte.
. "$TOP/tests/lib.sh"

. "$TOP/tests/daemon_pair.sh"

# root DIR: ip/ as the ACL cases need, servers/@ pointing at a silent host
mkroot() {
  rm -rf "$1"
  mkdir -p "$1/ip/127.5.5.5" "$1/servers"
  : > "$1/ip/127.0.0.1"
  : > "$1/ip/127.1"
  : > "$1/ip/127.2.3"
  echo 127.53.0.1 > "$1/servers/@"
}

# pair NAME [VAR=VALUE...]: fresh roots and a fresh pair of daemons
pair() {
  mkroot "$TMP/o"
  mkroot "$TMP/n"
  pair_start "$@"
}

# same NAME SCENARIO [ARGS...]: run the scenario against both; compare
same() {
  _name=$1
  shift
  _sc=$1
  shift
  $PY "$_sc" $OIP "$@" > "$TMP/$_name.o.out" 2>&1
  $PY "$_sc" $NIP "$@" > "$TMP/$_name.n.out" 2>&1
  check_eq "$_name: replies as the original" "$(cat "$TMP/$_name.o.out")" "$(cat "$TMP/$_name.n.out")"
}

samelog() {
  check_eq "$1: log as the original" "$(cat "$TMP/$1.o.log")" "$(cat "$TMP/$1.n.log")"
}

# --- local names, every type, class IN and ANY
pair local
same local local
unpair
samelog local
check_eq "local: 1.0.0.127.in-addr.arpa writes stats lines" 24 "$(grep -c '^stats ' "$TMP/local.n.log")"
check_match "local: localhost answer" '^localhost a 1 len=43 id=4e21 flags=8180 qd=1 an=1 .*c00c00010001000a000000047f000001$' \
  "$(cat "$TMP/local.n.out")"

# --- HIDETTL: TTL 0 in local answers
pair hidettl HIDETTL=1
same hidettl query localhost a 20500
unpair
samelog hidettl
check_match "hidettl: TTL 0" 'c00c0001000100000000' "$(cat "$TMP/hidettl.n.out")"

# --- discard rules: no reply and no log line; accepted oddities
pair discard
same discard discard
unpair
samelog discard
check_eq "discard: only the 10 acceptable packets were logged" 10 "$(grep -c '^query ' "$TMP/discard.n.log")"
check_eq "discard: every rejected packet got no reply" 23 "$(grep -c ' noreply$' "$TMP/discard.n.out")"

# --- AXFR over UDP: logged, then dropped (permission denied); IXFR answered
pair axfr
same axfr axfr_udp
unpair
samelog axfr
check_match "axfr: drop permission denied" '^drop 1 permission denied$' "$(cat "$TMP/axfr.n.log")"

# --- TCP: two queries at once, byte by byte, zero length, bad query,
# long query, AXFR, IXFR, half-sent query
pair tcp
same tcp tcp
unpair
samelog tcp

# --- ip/ access control, UDP and TCP; edits apply within a second
# (ours re-reads ip/ at most once a second: tests/t_daemon_acl.sh)
pair acl
for src in 127.1.2.3 127.2.3.4 127.2.4.1 127.4.0.1 127.5.5.5 127.0.0.9; do
  same "acl-$src" acl "$src"
done
same acl-tcp-ok tcpacl 127.1.9.9 22101
same acl-tcp-refused tcpacl 127.4.0.1 22102
touch "$TMP/o/ip/127.4.0.1" "$TMP/n/ip/127.4.0.1"
sleep 1.5
same acl-added acl 127.4.0.1
same acl-added-tcp tcpacl 127.4.0.1 22103
rm -f "$TMP/o/ip/127.4.0.1" "$TMP/n/ip/127.4.0.1" "$TMP/o/ip/127.1" "$TMP/n/ip/127.1"
sleep 1.5
same acl-removed acl 127.4.0.1
same acl-removed-prefix acl 127.1.2.3
unpair
samelog acl
# expect NAME ERE: our transcript for NAME matches ERE
expect() { check_match "$1: $2" "$2" "$(cat "$TMP/$1.n.out")"; }
expect acl-127.1.2.3 '^127.1.2.3 len=43 '
expect acl-127.2.3.4 '^127.2.3.4 len=43 '
expect acl-127.2.4.1 '^127.2.4.1 noreply$'
expect acl-127.4.0.1 '^127.4.0.1 noreply$'
expect acl-127.5.5.5 '^127.5.5.5 len=43 '
expect acl-127.0.0.9 '^127.0.0.9 noreply$'
expect acl-tcp-ok '^127.1.9.9 tcp len=43 '
expect acl-tcp-refused '^127.4.0.1 tcp closed$'
expect acl-added '^127.4.0.1 len=43 '
expect acl-added-tcp '^127.4.0.1 tcp len=43 '
expect acl-removed '^127.4.0.1 noreply$'
expect acl-removed-prefix '^127.1.2.3 noreply$'
check_eq "acl: refused clients leave no log line" 6 "$(grep -c '^query ' "$TMP/acl.n.log")"

finish
