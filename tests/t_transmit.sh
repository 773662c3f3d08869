#!/bin/sh
# dns_transmit over real sockets: tests/unit_transmit.c's --net part, which
# binds 127.0.0.1:53 (so only inside this suite's network namespace).
. "$TOP/tests/lib.sh"
if [ ! -x "$B/tests/unit_transmit.bin" ]; then
  fail "unit_transmit.bin not built"
  exit 1
fi
"$B/tests/unit_transmit.bin" --net
