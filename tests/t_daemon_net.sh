#!/bin/sh
# t_daemon_net.sh: big answers through the fakenet, ours ($B/dnscache on
# 127.0.0.3) next to the original (127.0.0.2): over UDP an answer over 512
# bytes is cut to the question with TC set (and, decision 4, ANCOUNT 0,
# where the original keeps the count); over TCP it comes in full, framed
# and compressed as the original's.
. "$TOP/tests/lib.sh"

PY="$PYTHON $TOP/tests/t_daemon.py"
OURS=$B/dnscache
[ -x "$OURS" ] || { fail "no $OURS"; exit 1; }
fakenet_start || { fail "fakenet"; exit 1; }

for who in o n; do
  make_cacheroot "$TMP/$who" "$FAKENET_ROOTS"
done
# IPSEND 127.0.0.4: outgoing sockets never take the clients' fixed ports
start_dnscache /usr/sbin/dnscache 127.0.0.2 "$TMP/o" "$TMP/o.log" IPSEND=127.0.0.4 || fail "original starts"
start_dnscache "$OURS" 127.0.0.3 "$TMP/n" "$TMP/n.log" IPSEND=127.0.0.4 || fail "ours starts"

$PY big 127.0.0.2 > "$TMP/o.out" 2>&1
$PY big 127.0.0.3 > "$TMP/n.out" 2>&1

# UDP: TC, cut to the question; ours zeroes ANCOUNT (decision 4)
check_match "udp: bigtxt TC, ANCOUNT 0" '^udp bigtxt.test len=29 id=6d61 flags=8380 qd=1 an=0 ns=0 ar=0 0662696774787404746573740000100001$' "$(cat "$TMP/n.out")"
check_match "udp: (the original keeps ANCOUNT 12)" '^udp bigtxt.test len=29 id=6d61 flags=8380 qd=1 an=12 ' "$(cat "$TMP/o.out")"
check_match "udp: big MX TC, ANCOUNT 0" '^udp big.test len=26 id=6d62 flags=8380 qd=1 an=0 ns=0 ar=0 03626967047465737400000f0001$' "$(cat "$TMP/n.out")"
check_eq "udp: medium answer as the original" "$(grep '^udp medtxt' "$TMP/o.out")" "$(grep '^udp medtxt' "$TMP/n.out")"
check_eq "udp: mixed-case name as the original but ANCOUNT" \
  "$(grep '^udp BiG' "$TMP/o.out" | sed 's/ an=[0-9]* / an=X /')" \
  "$(grep '^udp BiG' "$TMP/n.out" | sed 's/ an=[0-9]* / an=X /')"
check_eq "tcp: full answers as the original" "$(grep '^tcp' "$TMP/o.out")" "$(grep '^tcp' "$TMP/n.out")"
check_match "tcp: 40 MX records" '^tcp big.test len=[0-9]* id=0100 flags=8180 qd=1 an=40 ' "$(cat "$TMP/n.out")"
check_match "log: sent the truncated length" '^sent 2 29$' "$(cat "$TMP/n.log")"
# (the first query is start_dnscache's localhost probe, from a random port)
check_eq "log: client lines as the original" \
  "$(grep -E '^(query|sent|tcpopen|tcpclose|drop) ' "$TMP/o.log" | sed 1,2d)" \
  "$(grep -E '^(query|sent|tcpopen|tcpclose|drop) ' "$TMP/n.log" | sed 1,2d)"
finish
