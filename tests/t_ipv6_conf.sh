#!/bin/sh
# t_ipv6_conf.sh: dnscache-conf with IPv6 (SPEC 4.1): an IPv6 myip or a
# '/' list goes to env/IP as given and each IPv6 address gets its
# root/ip/ file (RFC 5952 form); IPv4-only myip is t_conf's (byte for
# byte as the original); a malformed IPv6 element is refused before
# anything is made.
. "$TOP/tests/lib.sh"
T=$TMP
mkdir -p "$T/n"
OURS=$B/dnscache-conf
if [ "$(id -u)" != 0 ]; then
  skip "dnscache-conf with IPv6" "needs root (chown to the log account)"
  finish
  exit
fi
HOME_DIR=/usr/local
[ -f "$B/prefix.stamp" ] && HOME_DIR=$(cat "$B/prefix.stamp")
[ -d "$HOME_DIR" ] || mkdir -p "$HOME_DIR"

ipfiles() { (cd "$1/root/ip" && ls -A | tr '\n' ' '); }

"$OURS" nobody daemon "$T/n/a" ::1 > "$T/out" 2>&1
check_eq "::1: succeeds silently" "0 " "$? $(cat "$T/out")"
check_eq "::1: env/IP" "::1" "$(cat "$T/n/a/env/IP")"
check_eq "::1: root/ip/127.0.0.1 and root/ip/::1" "127.0.0.1 ::1 " "$(ipfiles "$T/n/a")"
check_eq "::1: the ip/ file as 127.0.0.1's (0600, empty)" "0 600 root" "$(stat -c '%s %a %U' "$T/n/a/root/ip/::1")"

"$OURS" nobody daemon "$T/n/b" 127.0.0.1/::1 > "$T/out" 2>&1
check_eq "127.0.0.1/::1: succeeds" "0 " "$? $(cat "$T/out")"
check_eq "127.0.0.1/::1: env/IP" "127.0.0.1/::1" "$(cat "$T/n/b/env/IP")"
check_eq "127.0.0.1/::1: ip files" "127.0.0.1 ::1 " "$(ipfiles "$T/n/b")"

"$OURS" nobody daemon "$T/n/c" '10.1.2.3/2001:DB8:0:0::53/fe80::1%lo/2001:db8::53' > "$T/out" 2>&1
check_eq "list with spellings: succeeds" "0 " "$? $(cat "$T/out")"
check_eq "list: env/IP as given" "10.1.2.3/2001:DB8:0:0::53/fe80::1%lo/2001:db8::53" "$(cat "$T/n/c/env/IP")"
check_eq "list: one file per IPv6 address, RFC 5952 form, no zone, no duplicates; none for IPv4" \
  "127.0.0.1 2001:db8::53 fe80::1 " "$(ipfiles "$T/n/c")"

for bad in 'fe80::zz' '::1/1::2::3' '127.0.0.1/::1%' '::1 '; do
  "$OURS" nobody daemon "$T/n/bad" "$bad" > "$T/out" 2>&1
  rc=$?
  check_eq "malformed '$bad': refused, exit 111, nothing made" \
    "111 dnscache-conf: fatal: unable to parse IP address ${bad##*/} no" \
    "$rc $(cat "$T/out") $([ -e "$T/n/bad" ] && echo yes || echo no)"
done
finish
