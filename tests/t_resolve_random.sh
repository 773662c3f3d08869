#!/bin/sh
# A randomized differential test: our dnscache against Debian's
# /usr/sbin/dnscache (the oracle), both started fresh on the fakenet with
# the same servers/@ roots.  tests/t_resolve_random.py builds RANDOM_N
# queries (default 300) from the fakenet's own data (tests/fakenet/*.data,
# every owner name except the dead/bad-server zones with 60 s retry
# schedules), mutated at random: upper/lower case, a non-existent label
# prepended, the parent name, local names (localhost, 1.0.0.127...),
# dotted quads (valid and not), types A NS CNAME SOA PTR MX TXT AAAA SRV
# ANY and unknown numbers, some over TCP.  Each query goes to both caches
# at once, one query at a time; the replies are compared (header, flags,
# question, every section as a sorted set, TTLs as T, TTL 0 kept as 0).
# Then the whole list again, answered from the caches.
#
# Intended differences (SPEC decisions 1 and 4 show in replies) are
# classified and counted as passes with a "# note:" line; so is a TTL of
# at most 5 s counting down to 0 on one side only (timing).  Anything
# else is a FAIL printed in full with both caches' log lines.
#
#   RANDOM_SEED=S  replay another list (printed as "# seed: S")
#   RANDOM_N=N     queries per pass;  RANDOM_TIMEOUT=S per query (3)
#   RANDOM_VERBOSE=1  print every query with both replies
. "$TOP/tests/lib.sh"

SEED=${RANDOM_SEED:-20240611}
N=${RANDOM_N:-300}
QTIMEOUT=${RANDOM_TIMEOUT:-3}
echo "# seed: $SEED (RANDOM_SEED=$SEED RANDOM_N=$N to replay)"

fakenet_start || { fail "fakenet starts"; exit 1; }

OURS=127.0.0.21 THEIRS=127.0.0.22
start_pair rnd $OURS $THEIRS || exit 1
OURPID=$PAIR_OURS_PID

run_helper "$TMP/out" "$PYTHON" "$TOP/tests/t_resolve_random.py" \
  --ours $OURS --orig $THEIRS \
  --ours-log "$TMP/rnd.ours.log" --orig-log "$TMP/rnd.orig.log" \
  --data "$TOP/tests/fakenet" --seed "$SEED" --n "$N" \
  --timeout "$QTIMEOUT" --verbose "${RANDOM_VERBOSE:-0}"
check "ours still alive after the random run" kill -0 "$OURPID"
no_sanitizer_report "$TMP/rnd.ours.log"
finish
