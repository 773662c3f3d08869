#!/bin/sh
# A randomized differential test of what the daemon does with CLIENT
# packets: our dnscache against Debian's /usr/sbin/dnscache (the oracle),
# both started fresh on the fakenet.  tests/t_daemon_random.py warms a few
# names (a.test, cname.test, mx.test, big.test, ...) in both, then sends
# RANDOM_N (default 400) random client packets, one at a time, the same
# bytes to both at once: a valid query (warmed, local, dotted-quad or
# unknown name; any type incl. ANY/AXFR/IXFR/unknown; class IN/ANY/CHAOS/
# others) with 0-3 mutations (header bits QR/opcode/AA/TC/RD/RA/Z/AD/CD/
# rcode, counts, truncation, junk, EDNS OPT, compression pointers into the
# header or forward, case, 63/64-byte labels, 254/255/256-byte names, an
# empty or random packet, source ports below 1024, 1023/1024+ bytes);
# about 10% over TCP.  Compared: dropped (no log line) / accepted but not
# answered / the reply bytes with TTLs normalised (TCP: the reply or the
# close).  A dropped UDP packet is recognised at once: each is followed by
# a marker query, and a daemon logs the marker's "query" line after the
# packet's, if it accepted the packet.
#
# Intended differences are counted as passes with a "# note:" line:
# decision 4 (TC with ANCOUNT 0), EDNS (SPEC 4.2: the OPT in our reply).  Decision 15 (validate before evicting) needs
# 200 UDP jobs at once and cannot show here: packets go one at a time.
# Anything else is a FAIL with the packet in hex, both outcomes and both
# daemons' log lines.  One PASS/FAIL line per 25 packets.
#
#   RANDOM_SEED=S  replay other packets (printed as "# seed: S")
#   RANDOM_N=N     packets (400);  RANDOM_VERBOSE=1 every packet shown
. "$TOP/tests/lib.sh"

SEED=${RANDOM_SEED:-2}  # a seed whose 400 packets show decision 4 and forward pointers
N=${RANDOM_N:-400}
echo "# seed: $SEED (RANDOM_SEED=$SEED RANDOM_N=$N to replay)"

[ -x "$B/dnscache" ] || { fail "no $B/dnscache"; exit 1; }
fakenet_start || { fail "fakenet starts"; exit 1; }

OURS=127.0.0.21 THEIRS=127.0.0.22
start_pair rnd $OURS $THEIRS || exit 1
OURPID=$PAIR_OURS_PID

run_helper "$TMP/out" "$PYTHON" "$TOP/tests/t_daemon_random.py" \
  --ours $OURS --orig $THEIRS --ours-log "$TMP/rnd.ours.log" --orig-log "$TMP/rnd.orig.log" \
  --seed "$SEED" --n "$N" --verbose "${RANDOM_VERBOSE:-0}"
check "ours still alive after the random packets" kill -0 "$OURPID"
check_match "ours still answers" '^answer: localhost' \
  "$(DNSCACHEIP=$OURS timeout 2 dnsqr a localhost 2>&1)"
no_sanitizer_report "$TMP/rnd.ours.log"
finish
