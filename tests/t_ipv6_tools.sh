#!/bin/sh
# t_ipv6_tools.sh: the client tools with IPv6 (SPEC 4.1): $DNSCACHEIP and
# resolv.conf naming IPv6 caches, dnsip6 and dnsip6q (AAAA, RFC 5952
# text), dnsname on IPv6 addresses (ip6.arpa), dnsq asking an IPv6
# server.  The "cache" is the IPv6-only nsd of the IPv6 world
# (tests/fakenet6: fd00:53::10, which answers its zones whatever RD says);
# dig against the same server is the reference.  The IPv4 behaviour of the
# tools is t_tools*'s (unchanged).
. "$TOP/tests/lib.sh"
. "$TOP/tests/fakenet6/start"

why=$(fakenet6_can)
if [ -n "$why" ]; then
  skip "IPv6 tools" "$why"
  finish
  exit
fi
for p in dnsip6 dnsip6q dnsname dnsq dnsip dnsipq; do
  [ -x "$B/$p" ] || { fail "$B/$p exists"; finish; exit; }
done
fakenet6_start || { fail "the IPv6 world starts"; finish; exit; }
export DNSCACHEIP=fd00:53::10
export DNSREWRITEFILE=$TMP/no-such-rewrite-file
unset LOCALDOMAIN

# The words of a line, sorted (addresses come in random order).
sorted() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '; }

out=$("$B/dnsip6" www.v6only.test)
check_eq "dnsip6: AAAA in RFC 5952 form, each followed by a space" \
  "$(dig +short @fd00:53::10 www.v6only.test AAAA | sorted)" "$(printf '%s' "$out" | sorted)"
check_eq "dnsip6: the compressed forms" "2001:db8::61 2001:db8::6:1 " "$(printf '%s' "$out" | sorted)"
# (an x after the output keeps its last newline)
check_eq "dnsip6: several names, one line each" \
  "2001:db8::6 
2001:db8::62 
x" "$("$B/dnsip6" only6.v6only.test www.glueless6.test 2>&1; echo x)"
check_eq "dnsip6: no AAAA: an empty line" "
x" "$("$B/dnsip6" ns6.v6only.test 2>&1; echo x)"
check_eq "dnsip6: an IPv6 address is read without asking" "fd00:53::1 
x" "$(DNSCACHEIP=fd00:53::99 "$B/dnsip6" FD00:0053:0:0::1 2>&1; echo x)"
check_eq "dnsip6: an IPv4 address as dnsip reads it, IPv4-mapped" "::ffff:127.0.0.1 
x" "$(DNSCACHEIP=fd00:53::99 "$B/dnsip6" 127.0.0.1 2>&1; echo x)"
check_eq "dnsip (A) through an IPv6 cache" "192.0.2.61 " "$("$B/dnsip" www.v6only.test 2>&1)"

# dnsip6q: qualified as dnsipq (here $LOCALDOMAIN), then AAAA
check_eq "dnsip6q: the name qualified as dnsipq does it" \
  "$(LOCALDOMAIN=v6only.test "$B/dnsipq" www | cut -d' ' -f1)" \
  "$(LOCALDOMAIN=v6only.test "$B/dnsip6q" www | cut -d' ' -f1)"
out=$(LOCALDOMAIN=v6only.test "$B/dnsip6q" www)
check_eq "dnsip6q: fqdn, then the AAAA" "www.v6only.test 2001:db8::61 2001:db8::6:1 " \
  "${out%% *} $(printf '%s' "${out#* }" | sorted)"

# dnsname: ip6.arpa
check_eq "dnsname: an IPv6 address (ip6.arpa PTR)" "www.v6only.test" "$("$B/dnsname" 2001:db8::61 2>&1)"
check_eq "dnsname: any spelling of it" "www.dual.test" "$("$B/dnsname" 2001:0DB8:0:0:0:0:0:63 2>&1)"
check_eq "dnsname: no PTR: an empty line" "" "$("$B/dnsname" 2001:db8::99 2>&1)"
out=$("$B/dnsname" 2001:db8::zz 2>&1)
check_eq "dnsname: junk is not an IPv6 address (exit 111)" \
  "dnsname: fatal: unable to parse IP address 2001:db8::zz 111" "$out $("$B/dnsname" 2001:db8::zz > /dev/null 2>&1; echo $?)"

# $DNSCACHEIP: IPv6 caches; an unreachable one is passed over at once
check_eq "DNSCACHEIP: unreachable IPv6 cache, then a live one (',')" "2001:db8::6 " \
  "$(DNSCACHEIP=fd00:53::99,fd00:53::10 timeout 5 "$B/dnsip6" only6.v6only.test 2>&1)"
check_eq "DNSCACHEIP: separated by ' '" "2001:db8::6 " \
  "$(DNSCACHEIP='fd00:53::99 fd00:53::10' timeout 5 "$B/dnsip6" only6.v6only.test 2>&1)"
check_eq "DNSCACHEIP: IPv4 then IPv6 ('.')" "2001:db8::6 " \
  "$(DNSCACHEIP=127.53.100.99.fd00:53::10 timeout 10 "$B/dnsip6" only6.v6only.test 2>&1)"
check_eq "DNSCACHEIP: only unreachable IPv6: fails at once" \
  "dnsip6: fatal: unable to find IPv6 address for x.test: network unreachable 111" \
  "$(DNSCACHEIP=fd00:53::99 timeout 5 "$B/dnsip6" x.test 2>&1) $(DNSCACHEIP=fd00:53::99 timeout 5 "$B/dnsip6" x.test > /dev/null 2>&1; echo $?)"

# dnsq: an IPv6 server as its third argument
out=$("$B/dnsq" aaaa only6.v6only.test fd00:53::10 2>&1)
check_match "dnsq: asks an IPv6 server" "answer: only6.v6only.test 3000 28 " "$out"

# resolv.conf: nameserver lines with IPv6 addresses
if unshare -m true 2> /dev/null; then
  rc() {   # rc RESOLVCONF-TEXT PROG ARGS...
    printf '%b' "$1" > "$TMP/resolv.conf"
    shift
    env -u DNSCACHEIP -u LOCALDOMAIN unshare -m sh -c \
      'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
      sh "$TMP/resolv.conf" timeout 20 "$@" 2>&1
  }
  check_eq "resolv.conf: an IPv6 nameserver" "2001:db8::6 " \
    "$(rc 'nameserver fd00:53::10\n' "$B/dnsip6" only6.v6only.test)"
  check_eq "resolv.conf: IPv4 and IPv6 nameservers (the IPv4 one unreachable)" "2001:db8::6 " \
    "$(rc 'nameserver 127.53.100.99\nnameserver fd00:53::10 # comment\n' "$B/dnsip6" only6.v6only.test)"
  check_eq "resolv.conf: a zone after the address" "2001:db8::6 " \
    "$(rc 'nameserver fd00:53::99%lo\nnameserver fd00:53::10%lo\n' "$B/dnsip6" only6.v6only.test)"
  check_eq "resolv.conf: junk lines ignored" "2001:db8::6 " \
    "$(rc 'nameserver fd00:53::1::2\nnameserver fd00:53:::10\nnameserver fd00:53::10\n' "$B/dnsip6" only6.v6only.test)"
else
  skip "resolv.conf with IPv6 nameservers" "unshare -m not permitted"
fi
finish
