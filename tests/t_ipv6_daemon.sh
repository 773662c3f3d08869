#!/bin/sh
# t_ipv6_daemon.sh: the daemon's IPv6 environment (SPEC 4.1): $IPSEND may
# be IPv6, $IPSEND6 is the IPv6 source, both checked at start-up with the
# original's message and exit code 111; an IPv4 set-up is untouched.
. "$TOP/tests/lib.sh"
if [ "$(id -u)" != 0 ]; then
  skip "daemon IPv6 environment" "needs root (chroot)"
  finish
  exit
fi
R=$TMP/root
mkdir -p "$R/ip" "$R/servers"
: > "$R/ip/127"
echo 127.53.0.1 > "$R/servers/@"

# fatal VALUE... : runs the daemon with the given VAR=VALUE words; prints
# its stderr and exit code (it must exit at once)
fatal() {
  _o=$(env IP=127.0.0.1 IPSEND=0.0.0.0 CACHESIZE=100000 ROOT="$R" UID=0 GID=0 "$@" \
    sh -c '[ -z "$UNSET" ] || unset "$UNSET"; exec timeout 5 "$0"' "$B/dnscache" < /dev/null 2>&1)
  echo "$_o $?"
}
for v in junk fd00::zz '::1 ' '::ffff:127.0.0.1' 'fe80::1%lo' 127.0.0.1 ''; do
  check_eq "IPSEND6='$v' is fatal" "dnscache: fatal: unable to parse IP address $v 111" \
    "$(fatal IPSEND6="$v")"
done
for v in '::zz' '1::2::3' '::ffff:10.0.0.1'; do
  check_eq "IPSEND='$v' is fatal" "dnscache: fatal: unable to parse IP address $v 111" \
    "$(fatal IPSEND="$v")"
done
check_eq "IPSEND unset: the original's message" "dnscache: fatal: \$IPSEND not set 111" \
  "$(fatal UNSET=IPSEND)"

# accepted: the daemon starts and answers
for ev in "IPSEND=::" "IPSEND=::1" "IPSEND6=::1" "IPSEND6=::" "DISABLEIPV6=1" "IPSEND=0.0.0.0junk"; do
  if start_dnscache "$B/dnscache" 127.0.0.1 "$R" "$TMP/log" "$ev"; then
    pass "$ev: starts and answers"
  else
    fail "$ev: starts and answers" "$(cat "$TMP/log")"
  fi
  untrack_kill "$DNSCACHE_PID"
done
finish
