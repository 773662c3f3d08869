#!/bin/sh
# t_fuzz_smoke.sh: builds the libFuzzer targets (tests/fuzz_*.c, `make
# fuzz-build`), replays every file of their corpora (tests/fuzz_corpus/
# NAME/: seeds and crash regressions) and fuzzes each target for
# FUZZ_SMOKE_SECONDS (default 10).  PASS when nothing crashes.  Without
# a clang that can link -fsanitize=fuzzer the suite is a SKIP (a failure
# under CI, which installs clang and libclang-rt-14-dev).
. "$TOP/tests/lib.sh"

SECS=${FUZZ_SMOKE_SECONDS:-10}
FB=$B/fuzz
CC=${FUZZ_CC:-clang}

# Can we link a fuzzer at all?
probe=$TMP/probe.c
printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' > "$probe"
if ! command -v "$CC" > /dev/null 2>&1 ||
   ! "$CC" -fsanitize=fuzzer,address,undefined -o "$TMP/probe" "$probe" > "$TMP/probe.log" 2>&1; then
  skip "fuzz smoke" "no $CC that links -fsanitize=fuzzer (install clang libclang-rt-14-dev)"
  finish
  exit
fi

# Build (make serialises on its own; other suites do not build fuzz/).
# The library is compiled once for all targets (Makefile), so the build
# stays a small part of the suite's time limit (tests/run SUITE_TIMEOUT)
# however many targets there are.
start=$(date +%s)
if make --no-print-directory -C "$TOP" B="$B" fuzz-build > "$TMP/build.log" 2>&1; then
  echo "# figure: fuzz targets built in $(($(date +%s) - start)) s"
  if grep -q 'warning:' "$TMP/build.log"; then
    fail "fuzz targets build without warnings" "$(grep -A3 'warning:' "$TMP/build.log" | head -20)"
  else
    pass "fuzz targets build without warnings"
  fi
else
  fail "fuzz targets build" "$(tail -30 "$TMP/build.log")"
  finish
  exit
fi

targets=""
for src in "$TOP"/tests/fuzz_*.c; do
  targets="$targets $(basename "$src" .c)"
done

# 1. Every corpus file runs clean (seeds, then each crash regression on
#    a PASS line of its own).
for t in $targets; do
  corp=$TOP/tests/fuzz_corpus/$t
  [ -d "$corp" ] || { fail "$t has a seed corpus in tests/fuzz_corpus/$t"; continue; }
  # shellcheck disable=SC2046
  if timeout 120 "$FB/$t" -close_fd_mask=3 $(ls "$corp"/seed-* 2>/dev/null) > "$TMP/$t.seeds" 2>&1; then
    pass "$t: $(ls "$corp"/seed-* 2>/dev/null | wc -l) seed inputs run clean"
  else
    fail "$t: seed inputs run clean" "$(grep -E 'ERROR|SUMMARY|Running' "$TMP/$t.seeds" | tail -20)"
  fi
  for c in "$corp"/crash-*; do
    [ -f "$c" ] || continue
    if timeout 60 "$FB/$t" -close_fd_mask=3 "$c" > "$TMP/$t.crash" 2>&1; then
      pass "$t: regression $(basename "$c") runs clean"
    else
      fail "$t: regression $(basename "$c") runs clean" "$(grep -E 'ERROR|SUMMARY|#[0-9]+ ' "$TMP/$t.crash" | head -20)"
    fi
  done
done

# 2. Fuzz each target SECS seconds, all at once (new inputs and any crash
#    land in the temp dir, never in the tree).
pids=""
for t in $targets; do
  mkdir -p "$TMP/corpus-$t"
  timeout $((SECS + 60)) "$FB/$t" -max_len=65535 -max_total_time="$SECS" -timeout=10 \
    -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$TMP/$t-" \
    "$TMP/corpus-$t" "$TOP/tests/fuzz_corpus/$t" > "$TMP/$t.run" 2>&1 &
  track $!
  pids="$pids $t:$!"
done
for tp in $pids; do
  t=${tp%%:*} p=${tp#*:}
  wait "$p"
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$TMP/$t.run")
  if [ "$rc" = 0 ] && ! ls "$TMP/$t-"crash-* > /dev/null 2>&1; then
    pass "$t: ${SECS} s of fuzzing, ${runs:-?} inputs, no crash"
  else
    fail "$t: ${SECS} s of fuzzing without a crash (exit $rc)" \
      "$(grep -E 'ERROR|SUMMARY|Test unit written|#[0-9]+ ' "$TMP/$t.run" | head -30)"
  fi
  echo "# figure: $t ran ${runs:-?} inputs in ${SECS} s"
done
finish
