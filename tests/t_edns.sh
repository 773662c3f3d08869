#!/bin/sh
# t_edns.sh: EDNS0 to clients (SPEC 4.2, issue 13).  Ours, Debian's
# dnscache and Unbound side by side on the fakenet; tests/t_edns.py asks
# each for answers of 400 to 5000 bytes (sizeN.test) with and without an
# OPT, over UDP and TCP: without EDNS ours must be Debian's byte for byte,
# with EDNS Unbound's in size, TC, OPT and RCODE (BADVERS, FORMERR).  Then
# dig: +bufsize=1232 gets a 1,100-byte answer over UDP in one round trip,
# +noedns gets exactly the original's truncated reply.
. "$TOP/tests/lib.sh"

OURS=127.0.0.31 ORIG=127.0.0.32 UNB=127.0.0.33
[ -x "$B/dnscache" ] || { fail "no $B/dnscache"; exit 1; }
fakenet_start || { fail "fakenet starts"; exit 1; }
start_pair edns $OURS $ORIG || exit 1
OURPID=$PAIR_OURS_PID

# Unbound (lib.sh), with minimal responses and an EDNS buffer of its own
# of 1232 bytes
if ! command -v unbound > /dev/null 2>&1; then
  skip "edns: Unbound comparison" "no unbound installed"
  finish
  exit
fi
unbound_start $UNB "minimal-responses: yes" "edns-buffer-size: 1232" ||
  { fail "unbound starts" "$(cat "$TMP/unbound/out" "$TMP/unbound/log" 2>/dev/null)"; finish; exit 1; }

run_helper "$TMP/out" "$PYTHON" "$TOP/tests/t_edns.py" --ours $OURS --orig $ORIG --unbound $UNB

# dig, as a client would: one UDP round trip for 1,100 bytes
if command -v dig > /dev/null 2>&1; then
  dig @$OURS +bufsize=1232 +ignore +tries=1 +time=5 size1100.test txt > "$TMP/dig.edns" 2>&1
  check_match "dig +bufsize=1232: 1,100-byte answer over UDP, OPT 1232" \
    'udp: 1232' "$(cat "$TMP/dig.edns")"
  check_match "dig +bufsize=1232: not truncated" 'flags: qr rd ra;' "$(cat "$TMP/dig.edns")"
  check_match "dig +bufsize=1232: 1111 bytes in one reply" 'MSG SIZE  rcvd: 1111' "$(cat "$TMP/dig.edns")"
  dig @$OURS +bufsize=1232 +tries=1 +time=5 size1100.test txt > "$TMP/dig.edns2" 2>&1
  check "dig +bufsize=1232: no retry over TCP" sh -c "! grep -q 'retrying in TCP' '$TMP/dig.edns2'"
  for s in $OURS $ORIG; do
    dig @$s +noedns +ignore +tries=1 +time=5 size1100.test txt | grep -v -e '^;; Query time' -e '^;; SERVER' -e '^;; WHEN' -e 'id: ' -e '^; <<>> DiG' > "$TMP/dig.noedns.$s" 2>&1
  done
  check_match "dig +noedns: truncated" 'flags: qr tc rd ra;' "$(cat "$TMP/dig.noedns.$OURS")"
  # decision 4 aside: the original's ANCOUNT counts records it left out
  # (dig warns of a malformed packet), ours is 0
  check_eq "dig +noedns: the original's truncated reply (decision 4 aside)" \
    "$(grep -v 'Message parser reports malformed' "$TMP/dig.noedns.$ORIG" | sed 's/ANSWER: [0-9]*/ANSWER: 0/')" \
    "$(cat "$TMP/dig.noedns.$OURS")"
else
  skip "edns: dig" "no dig installed"
fi

# the log grammar is unchanged: every line of ours is one of 1.05's kinds
check_eq "our log: only 1.05's kinds of line" "" \
  "$(grep -v -E '^(starting|query|sent|drop|tcpopen|tcpclose|tx|rr|cached|nxdomain|nodata|lame|servfail|stats) ' "$TMP/edns.ours.log" | grep -v '^starting$' | head -5)"
check "ours still running" kill -0 "$OURPID"
no_sanitizer_report "$TMP/edns.ours.log"
finish
