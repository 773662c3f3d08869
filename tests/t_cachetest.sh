#!/bin/sh
# cachetest against the original's regression outputs (djbdns rts.exp,
# sections "cache handles simple example", "... overwriting", "... long
# chains"), byte for byte: header line, output, exit code.
B=${B:-./build}
TOP=${TOP:-.}
G=$TOP/tests/golden
out=$(mktemp -d /tmp/t_cachetest.XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM
fails=0

section() {  # name golden-file cachetest-args...
  name=$1 gold=$2
  shift 2
  { echo "--- $name"; "$B/cachetest" "$@"; echo $?; } > "$out/got" 2>&1
  if cmp -s "$out/got" "$G/$gold"; then
    echo "PASS: $name"
  else
    echo "FAIL: $name"
    diff -u "$G/$gold" "$out/got" | head -40
    fails=$((fails + 1))
  fi
}

five="one two three four five"
section 'cache handles simple example' cachetest_simple.exp \
  $five \
  one:un $five \
  two:deux $five \
  three:trois $five \
  four:quatre $five \
  five:cinq $five \
  one:een $five \
  two:twee $five \
  three:drie $five \
  four:vier $five \
  five:vijf $five

section 'cache handles overwriting' cachetest_overwriting.exp \
  $five \
  one:un $five \
  one:een $five \
  two:deux $five \
  two:twee $five \
  three:trois $five \
  three:drie $five \
  four:quatre $five \
  four:vier $five \
  five:cinq $five \
  five:vijf $five

section 'cache handles long chains' cachetest_chains.exp \
  a:1 a a:2 a a:3 a a:4 a a:5 a a:6 a a:7 a a:8 a a:9 a

# Not in rts.exp: the key ends at the first colon; the empty key works;
# an entry that can never fit in the 200-byte arena is dropped silently.
big=$(printf '%0200d' 0)
got=$("$B/cachetest" k:v:w k :empty '' "x:$big" x; echo "rc=$?")
want=$(printf 'v:w\nempty\n\nrc=0')
if [ "$got" = "$want" ]; then echo "PASS: cachetest colon, empty key, oversized entry"
else echo "FAIL: cachetest colon, empty key, oversized entry"; echo "$got"; fails=$((fails + 1)); fi

[ $fails = 0 ]
