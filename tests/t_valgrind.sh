#!/bin/sh
# t_valgrind.sh: everything we build, run under valgrind (memcheck):
#   1. every C unit suite ($B/tests/unit_*.bin), and each libFuzzer
#      target (tests/fuzz_*.c) built with gcc and a replay driver, over
#      its corpus and deterministic mutations of it;
#   2. our dnscache on the fakenet, driven through a representative
#      workload (local names, common types, CNAME chains, negative
#      answers, TC then TCP upstream and to the client, glueless and lame
#      delegations, misbehaving servers, TCP clients that misbehave, junk
#      UDP packets, a burst of 300 UDP queries), then stopped with SIGTERM
#      (it has no clean exit: it dies of the signal, and valgrind still
#      writes its error and leak summaries); then a second one in
#      forward-only mode (FORWARDONLY, HIDETTL) for a few queries;
#   3. the client tools and cachetest, each for a few queries against
#      Debian's dnscache (the oracle) on the same fakenet;
#   4. dnscache-conf into a temporary directory.
# VG_KEEP=DIR keeps the reports (valgrind logs) in DIR.
# PASS means: valgrind reports no error (invalid read/write, uninitialised
# value used, bad free, ...) and no "definitely" or "indirectly" lost
# bytes.  Memory still reachable when the daemon is killed (the cache) is
# not a leak.  Without valgrind the suite is a SKIP (a failure under CI).
# Plain build only: an AddressSanitizer build cannot run under valgrind,
# so tests/run does not schedule this suite on one (PLAIN_ONLY there).
. "$TOP/tests/lib.sh"

if ! command -v valgrind > /dev/null 2>&1; then
  skip "valgrind" "valgrind is not installed"
  finish
  exit
fi
if is_sanitized; then
  skip "valgrind" "$B is an AddressSanitizer build; valgrind runs on the plain build"
  finish
  exit
fi

# Errors (exit 99), full leak check, definite+indirect leaks are errors.
VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --vgdb=no"
VL=$TMP/vg
mkdir -p "$VL"

# vgrun NAME CMD...: CMD under valgrind -q; its stdout in $VL/NAME.out,
# stderr in $VL/NAME.err, exit code in $rc, valgrind's report in
# $VL/NAME.vg (empty when clean).  Uses a 120 s timeout.
vgrun() {
  _n=$1
  shift
  # shellcheck disable=SC2086
  timeout 120 $VG -q --log-file="$VL/$_n.vg" "$@" > "$VL/$_n.out" 2> "$VL/$_n.err"
  rc=$?
}

# vgclean NAME WHAT: PASS when the last vgrun NAME is clean.
vgclean() {
  if [ "$rc" != 99 ] && [ "$rc" != 124 ] && [ ! -s "$VL/$1.vg" ]; then
    pass "valgrind: $2"
  else
    fail "valgrind: $2 (exit $rc)" "$(head -60 "$VL/$1.vg")"
  fi
}

# ------------------------------------------------------------ 1. units
for f in "$B"/tests/unit_*.bin; do
  [ -x "$f" ] || continue
  n=$(basename "$f" .bin)
  vgrun "$n" "$f"
  last=$(tail -n 1 "$VL/$n.out")
  if [ "$rc" != 99 ] && [ ! -s "$VL/$n.vg" ] && printf '%s\n' "$last" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
    pass "valgrind: $n ($last)"
  else
    fail "valgrind: $n (exit $rc, last line: $last)" "$(head -60 "$VL/$n.vg")
$(grep -i fail "$VL/$n.out" | head -20)"
  fi
done

# -------------------------------------------- 1b. fuzz corpora replayed
# Each libFuzzer target (tests/fuzz_*.c) built with gcc and a replay
# driver instead of libFuzzer: every file of its corpus, and
# REPLAY_MUTATIONS (150) deterministic mutations of each, in heap buffers
# of exactly their size, so memcheck sees any read past a packet's end or
# of uninitialised bytes.  The targets' own checks abort on a violation.
cat > "$TMP/replay.c" << 'EOF'
/* replays each file named on the command line through the libFuzzer
   target linked with it, then N mutations of it (deterministic), each in
   a heap buffer of exactly its size, so valgrind sees any read past it. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
static unsigned long r = 12345;
static unsigned rnd(unsigned n) { r = r * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(r >> 33) % n; }
static void one(const unsigned char *d, size_t n)
{
  unsigned char *b = malloc(n ? n : 1);
  if (!b) exit(2);
  memcpy(b, d, n);
  LLVMFuzzerTestOneInput(b, n);
  free(b);
}
int main(int argc, char **argv)
{
  int muts = atoi(getenv("REPLAY_MUTATIONS") ? getenv("REPLAY_MUTATIONS") : "40");
  char tmpdir[4096] = "";
  long runs = 0;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  /* a temporary directory the target made (fuzz_clientquery): find it
     among our open fds, to remove it at the end */
  {
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
      char p[64], t[4096];
      ssize_t k;
      snprintf(p, sizeof p, "/proc/self/fd/%s", e->d_name);
      k = readlink(p, t, sizeof t - 1);
      if (k > 0) { t[k] = 0; if (!strncmp(t, "/tmp/fuzz_", 10)) strcpy(tmpdir, t); }
    }
    if (dir) closedir(dir);
  }
  for (int i = 1; i < argc; i++) {
    unsigned char buf[70000], m[70000];
    FILE *f = fopen(argv[i], "rb");
    size_t n;
    if (!f) { perror(argv[i]); return 2; }
    n = fread(buf, 1, sizeof buf - 100, f);
    fclose(f);
    one(buf, n); runs++;
    for (int k = 0; k < muts; k++) {
      size_t len = n;
      memcpy(m, buf, n);
      switch (rnd(5)) {
      case 0: for (int j = 1 + rnd(4); j > 0 && len; j--) m[rnd(len)] ^= 1u << rnd(8); break;
      case 1: if (len) m[rnd(len)] = (unsigned char)rnd(256); break;
      case 2: len = len ? rnd(len) : 0; break;
      case 3: for (int j = 1 + rnd(40); j > 0; j--) m[len++] = (unsigned char)rnd(256); break;
      case 4: if (len > 13) { size_t p = 12 + rnd(len - 12); m[p] = 0xc0 | rnd(4); if (p + 1 < len) m[p + 1] = (unsigned char)rnd(len + 20); } break;
      }
      one(m, len); runs++;
    }
  }
  if (tmpdir[0]) {
    char p[4200];
    snprintf(p, sizeof p, "%s/ip/127", tmpdir); unlink(p);
    snprintf(p, sizeof p, "%s/ip", tmpdir); rmdir(p);
    rmdir(tmpdir);
  }
  printf("%ld runs\n", runs);
  return 0;
}
EOF
for src in "$TOP"/tests/fuzz_*.c; do
  [ -f "$src" ] || continue
  n=$(basename "$src" .c)
  [ -d "$TOP/tests/fuzz_corpus/$n" ] || continue
  if ! (cd "$TOP" && gcc -g -O1 -std=gnu11 -I. -w -o "$TMP/$n" "tests/$n.c" "$TMP/replay.c" "$B/lib.a") > "$VL/$n.build" 2>&1; then
    fail "valgrind: $n builds with the replay driver" "$(head -20 "$VL/$n.build")"
    continue
  fi
  REPLAY_MUTATIONS=150 vgrun "$n" "$TMP/$n" "$TOP/tests/fuzz_corpus/$n"/*
  if [ "$rc" = 0 ] && [ ! -s "$VL/$n.vg" ]; then
    pass "valgrind: $n corpus + mutations replayed ($(tail -n 1 "$VL/$n.out"))"
  else
    fail "valgrind: $n corpus + mutations replayed (exit $rc)" "$(head -60 "$VL/$n.vg")
$(grep -v '^tx \|^rr \|^stats \|^cached \|^query \|^sent \|^drop' "$VL/$n.err" | tail -5)"
  fi
done

# ----------------------------------------------------- 2. our dnscache
fakenet_start || { fail "valgrind: fakenet starts"; finish; exit 1; }

# The wrapper start_dnscache runs as "the binary": valgrind (not quiet,
# so the log ends with its summaries; fds tracked) around $VG_PROG, with
# the environment and stdin (the seed) passed through.
cat > "$TMP/vgwrap" << EOF
#!/bin/sh
exec env -u VG_PROG -u VG_LOG $VG --track-fds=yes --num-callers=30 --log-file="\$VG_LOG" "\$VG_PROG"
EOF
chmod 755 "$TMP/vgwrap"

# vgstart NAME IP ROOTDIR [VAR=VALUE...]: our dnscache under valgrind
# (report $VL/NAME.vg, its log $TMP/NAME.log); sets VPID.  Exits the
# suite if it never answers.
vgstart() {
  _n=$1 _ip=$2 _root=$3
  shift 3
  _ok=0
  if start_dnscache "$TMP/vgwrap" "$_ip" "$_root" "$TMP/$_n.log" VG_PROG="$B/dnscache" VG_LOG="$VL/$_n.vg" "$@"; then
    _ok=1
  else
    # valgrind starts slowly: give it more time
    for _try in 1 2 3; do
      if wait_dnscache "$_ip" 2> /dev/null; then _ok=1; break; fi
    done
  fi
  VPID=$DNSCACHE_PID
  if [ $_ok = 1 ]; then
    pass "valgrind: $_n starts under valgrind"
  else
    fail "valgrind: $_n starts under valgrind" "$(tail -20 "$TMP/$_n.log")
$(head -40 "$VL/$_n.vg" 2>/dev/null)"
    finish
    exit 1
  fi
}

# vgstop NAME PID: SIGTERM kills it (the default action: dnscache has no
# clean exit); valgrind still writes its report, which must show no error
# and no definitely/indirectly lost bytes; with --track-fds, no accepted
# TCP connection (local side :53) may be left open.
vgstop() {
  vs_n=$1 vs_pid=$2
  vs_log=$VL/$vs_n.vg
  kill -TERM "$vs_pid"
  _i=0
  while kill -0 "$vs_pid" 2> /dev/null && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
  wait "$vs_pid" 2> /dev/null
  vs_st=$?
  untrack_kill "$vs_pid"
  check_eq "valgrind: $vs_n dies of SIGTERM (status 143)" 143 "$vs_st"
  if grep -q 'ERROR SUMMARY: 0 errors' "$vs_log"; then
    pass "valgrind: $vs_n: ERROR SUMMARY: 0 errors"
  else
    fail "valgrind: $vs_n: ERROR SUMMARY: 0 errors" "$(grep -v '^==[0-9]*== *$' "$vs_log" | head -150)"
  fi
  if grep -q 'LEAK SUMMARY\|All heap blocks were freed' "$vs_log" &&
     ! grep -Eq '(definitely|indirectly) lost: [1-9]' "$vs_log"; then
    pass "valgrind: $vs_n: no definitely or indirectly lost bytes"
  else
    fail "valgrind: $vs_n: no definitely or indirectly lost bytes" \
      "$(sed -n '/HEAP SUMMARY/,$p' "$vs_log" | head -150)"
  fi
  vs_leaked=$(grep 'Open AF_INET socket' "$vs_log" | grep -v 'unbound' | grep -E 'socket [0-9]+: [0-9.]+:53 <->')
  check_eq "valgrind: $vs_n: no TCP client socket left open" "" "$vs_leaked"
}

# Debian's cache (the oracle), for the forward-only cache and the tools.
make_cacheroot "$TMP/oroot" "$FAKENET_ROOTS"
start_dnscache /usr/sbin/dnscache 127.0.0.2 "$TMP/oroot" "$TMP/ocachelog" ||
  { fail "valgrind: Debian dnscache starts"; finish; exit 1; }

# The main cache: the fake roots, plus servers/example (a configured zone).
ours=127.0.0.1
make_cacheroot "$TMP/root" "$FAKENET_ROOTS"
echo 127.53.2.1 > "$TMP/root/servers/example"
vgstart dnscache $ours "$TMP/root"

# alive PID: the process runs (a dead child stays a zombie until waited).
alive() {
  case $(ps -o stat= -p "$1" 2> /dev/null) in
    ''|Z*) return 1 ;;
  esac
  return 0
}

# ask NAME TYPE QNAME ERE [fq options]: one query to our cache; PASS when
# some line of the reply matches ERE.
ask() {
  _w=$1 _t=$2 _q=$3 _re=$4
  shift 4
  if ! alive "$VPID"; then
    fail "valgrind workload: $_w (the cache has died: see below)"
    return 0
  fi
  _t0=$(date +%s)
  _r=$(fq --timeout 20 "$@" $ours "$_t" "$_q" 2>&1)
  _t1=$(date +%s)
  [ $((_t1 - _t0)) -ge 3 ] && echo "# $_w took $((_t1 - _t0)) s"
  check_match "valgrind workload: $_w" "$_re" "$_r"
}
# askbg: the same, in the background (for answers that take seconds:
# servers that fail, time out, or replies that are dropped); askbg_check
# waits for them all and checks them.
nbg=0
bgpids=""
: > "$TMP/bg.list"
askbg() {
  _w=$1 _t=$2 _q=$3 _re=$4
  shift 4
  if ! alive "$VPID"; then
    fail "valgrind workload: $_w (the cache has died: see below)"
    return 0
  fi
  nbg=$((nbg + 1))
  fq --timeout 25 "$@" $ours "$_t" "$_q" > "$TMP/bg.$nbg" 2>&1 &
  bgpids="$bgpids $!"
  printf '%s\n' "$_re" > "$TMP/bg.$nbg.re"
  printf '%s\n' "$_w" > "$TMP/bg.$nbg.w"
  echo "$nbg" >> "$TMP/bg.list"
}
askbg_check() {
  # shellcheck disable=SC2086
  wait $bgpids
  bgpids=""
  while read -r _k; do
    check_match "valgrind workload: $(cat "$TMP/bg.$_k.w")" "$(cat "$TMP/bg.$_k.re")" "$(cat "$TMP/bg.$_k")"
  done < "$TMP/bg.list"
  : > "$TMP/bg.list"
}
NOERR='rcode=NOERROR'
NX='rcode=NXDOMAIN'
SF='rcode=SERVFAIL'

# local names
ask "localhost A" A localhost 'answer: localhost\. [0-9]+ A 127\.0\.0\.1'
ask "localhost PTR" PTR 1.0.0.127.in-addr.arpa 'answer: .* PTR localhost\.'
ask "0.0.0.0" A 0.0.0.0 "$NOERR"
ask "127.0.0.1 as a name" A 127.0.0.1 'A 127\.0\.0\.1'
# types
ask "A" A a.test 'A 192\.0\.2\.1'
ask "A again (cached)" A a.test 'A 192\.0\.2\.1'
ask "4 A" A multi.test 'A 192\.0\.2\.14'
ask "MX" MX mx.test 'MX 20 mail2\.test\.'
ask "TXT" TXT txt2.test '"second"'
ask "AAAA" AAAA aaaa.test 'AAAA 2001:db8::1'
ask "ANY" ANY dual.test 'AAAA 2001:db8::2'
ask "SRV (raw type)" SRV srv.test "$NOERR"
ask "PTR (glueless reverse zone)" PTR 1.2.0.192.in-addr.arpa 'PTR a\.test\.'
ask "PTR two answers" PTR 1.4.53.127.in-addr.arpa 'PTR ns\.neg1\.test\.'
ask "PTR via CNAME" PTR 50.2.0.192.in-addr.arpa 'PTR www\.sub\.test\.'
ask "wildcard" A x.y.wild.test 'A 192\.0\.2\.40'
ask "mixed case" A MiXeD.TeSt 'A 192\.0\.2\.41'
# CNAME chains
ask "CNAME" A cname.test 'A 192\.0\.2\.1'
ask "CNAME chain" A chain1.test 'A 192\.0\.2\.1'
ask "CNAME into a subzone" A xsub.test 'A 192\.0\.2\.5[01]'
ask "CNAME to another TLD" A xtld.test 'A 192\.0\.2\.100'
ask "configured zone (servers/example)" A cross.example 'A 192\.0\.2\.1'
ask "CNAME cross zone and back" A xcname.test 'A 192\.0\.2\.1'
ask "16 CNAMEs" A c5.long.test 'A 192\.0\.2\.21'
# (too long a chain and loops: dropped, no reply)
askbg "20 CNAMEs" A c1.long.test 'rcode=|timeout' --timeout 3
askbg "CNAME loop" A loop1.test 'rcode=|timeout' --timeout 3
askbg "CNAME to itself" A self.test 'rcode=|timeout' --timeout 3
ask "CNAME to NXDOMAIN" A cnx.test "$NX"
ask "CNAME MX" MX mxalias.test 'MX 10 mail\.test\.'
askbg "CNAME to SERVFAIL" A cbad.test 'rcode='
# negative answers
ask "NXDOMAIN" A nx.test "$NX"
ask "NXDOMAIN again (cached)" A nx.test "$NX"
ask "NXDOMAIN from the root" A a.nosuchtld "$NX"
ask "NXDOMAIN in a subzone" A nx.sub.test "$NX"
ask "NODATA" MX a.test "$NOERR.* an=0"
ask "NODATA again (cached)" MX a.test "$NOERR.* an=0"
ask "NODATA negN" MX host.neg1.test "$NOERR.* an=0"
ask "NXDOMAIN TTL 0" A nx.neg0.test "$NX"
# big answers: TC over UDP to us, TCP upstream; TC to a UDP client;
# full over TCP to a TCP client
ask "big TXT over UDP: TC" TXT bigtxt.test 'flags=.*tc'
ask "big TXT over TCP" TXT bigtxt.test 'an=12' --tcp
ask "big MX over TCP" MX big.test 'an=40' --tcp
ask "big MX over UDP: TC" MX big.test 'flags=.*tc'
ask "medium TXT over UDP" TXT medtxt.test 'an=5'
# delegations
ask "glueless" A www.glueless.test 'A 192\.0\.2\.70'
ask "glueless, two servers" A www.glueless2.test 'A 192\.0\.2\.71'
askbg "glueless 5 deep" A www.deep1.test 'rcode='
ask "NS name is a CNAME" A www.nscname.test 'rcode='
ask "NS name is a dotted quad" A www.quadns.test 'rcode='
askbg "TTL-0 glue" A www.ttl0glue.test 'rcode='
askbg "NS without address" A www.noaddr.test "$SF"
askbg "lame server" A www.lame.test "$SF"
askbg "glueless cycle" A www.cycle1.test "$SF"
ask "half-dead delegation" A www.half.test 'A 192\.0\.2\.56'
# misbehaving servers (bad.map)
for m in ok servfail refused malformed truncate bigudp oob-answer \
         oob-authority oob-additional refer-up refer-side refer-same \
         refer-down short badptr nxnosoa nodatanosoa cnamenx notimp \
         formerr ttl0 wrongtype cname-oob spoof; do
  askbg "badserver $m" A www.$m.bad.test 'rcode=|timeout'
done
askbg "badserver malformed, MX" MX www.malformed.bad.test 'rcode=|timeout'
# these never answer usably: the cache keeps retrying (60 s); fire and
# forget (the queries are still in flight when the cache is stopped)
bg=""
for m in wrongid wrongq silent truncate-tcpfail slow; do
  fq --timeout 3 $ours A www.$m.bad.test > /dev/null 2>&1 &
  bg="$bg $!"
done
ask "TCP: glueless" A www.glueless.test 'A 192\.0\.2\.70' --tcp
ask "TCP: NXDOMAIN" A nx.example "$NX" --tcp
ask "TCP: CNAME chain" A chain1.test 'A 192\.0\.2\.1' --tcp
ask "TCP: localhost" A localhost 'A 127\.0\.0\.1' --tcp
askbg "TCP: badserver servfail" A www2.servfail.bad.test 'rcode=' --tcp
# a norec query (dropped)
askbg "RD clear" A a.test 'rcode=|timeout' --norec --timeout 2

askbg_check

# Client misbehaviour, junk, and the burst (python3, raw sockets).
cat > "$TMP/work.py" << 'EOF'
import socket, struct, sys, time, random
ip = sys.argv[1]
what = sys.argv[2]

def name(n):
    out = b''
    for l in n.split('.'):
        if l:
            out += bytes([len(l)]) + l.encode()
    return out + b'\0'

def query(qid, n, t, flags=0x0100, qd=1):
    return struct.pack('>HHHHHH', qid, flags, qd, 0, 0, 0) + name(n) + struct.pack('>HH', t, 1)

def tcp(data, read=True, timeout=20):
    s = socket.create_connection((ip, 53), timeout=timeout)
    if data:
        s.sendall(data)
    got = b''
    if read:
        try:
            while True:
                x = s.recv(65536)
                if not x:
                    break
                got += x
                # stop when every length-prefixed reply is complete
                p, k = 0, 0
                while p + 2 <= len(got):
                    ln = struct.unpack('>H', got[p:p + 2])[0]
                    if p + 2 + ln > len(got):
                        break
                    p += 2 + ln
                    k += 1
                if k >= read:
                    break
        except socket.timeout:
            pass
    s.close()
    return got

if what == 'tcp':
    q1 = query(1, 'a.test', 1)
    q2 = query(2, 'txt.test', 16)
    q3 = query(3, 'bigtxt.test', 16)
    # two queries pipelined in one write: two replies
    r = tcp(struct.pack('>H', len(q1)) + q1 + struct.pack('>H', len(q2)) + q2, read=2)
    print('pipelined', len(r), 'ok' if len(r) == 2 + 40 + 2 + 50 else 'bad')
    # connect and close; one byte; a half query; length 0; junk
    tcp(b'', read=False)
    tcp(b'\0', read=False)
    tcp(struct.pack('>H', len(q3)) + q3[:10], read=False)
    tcp(b'\0\0', read=False)
    tcp(struct.pack('>H', 5) + b'hello', read=1, timeout=3)
    # a query, then close without reading the 1013-byte reply
    for i in range(3):
        tcp(struct.pack('>H', len(q3)) + q3, read=False)
    # a response packet (QR set) and a query with two questions
    tcp(struct.pack('>H', len(q1)) + query(4, 'a.test', 1, flags=0x8100), read=1, timeout=3)
    tcp(struct.pack('>H', len(q1)) + query(5, 'a.test', 1, qd=2), read=1, timeout=3)
    # a last normal one, to see the cache is fine
    r = tcp(struct.pack('>H', len(q3)) + q3, read=1)
    print('final', len(r))
elif what == 'junk':
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    random.seed(7)
    pk = [b'', b'\0', b'\0' * 11, b'\0' * 12, query(1, 'a.test', 1)[:15],
          query(2, 'a.test', 1, flags=0x8100), query(3, 'a.test', 1, qd=2),
          query(4, 'a.test', 1, flags=0x0900), query(5, 'a.test', 1, qd=0),
          query(6, 'a.test', 1)[:-1], query(7, 'a.test', 252), query(8, 'a.test', 251),
          query(9, 'a.test', 255), query(10, 'a.test', 0),
          struct.pack('>HHHHHH', 11, 0x100, 1, 0, 0, 0) + b'\x3f' + b'a' * 63 + b'\xc0\x0c' + b'\0\1\0\1',
          struct.pack('>HHHHHH', 12, 0x100, 1, 0, 0, 0) + (b'\x3fa' + b'a' * 62) * 4 + b'\0\0\1\0\1',
          query(13, 'a.test', 1) + b'trailing junk']
    for i in range(40):
        pk.append(bytes(random.getrandbits(8) for _ in range(random.randint(12, 80))))
        q = bytearray(query(100 + i, 'a.test', 1))
        q[random.randrange(len(q))] = random.getrandbits(8)
        pk.append(bytes(q))
    for p in pk:
        s.sendto(p, (ip, 53))
    n = 0
    end = time.time() + 5
    while time.time() < end:
        try:
            s.recv(4096)
            n += 1
        except socket.timeout:
            break
    print('replies', n)
elif what == 'burst':
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    names = []
    for i in range(300):
        if i % 4 == 0:
            names.append(('a.test', 1))
        elif i % 4 == 1:
            names.append(('b%d.wild.test' % i, 1))
        elif i % 4 == 2:
            names.append(('n%d.nx.test' % i, 1))
        else:
            names.append(('h%d.sub.test' % i, 15))
    for i, (n, t) in enumerate(names):
        s.sendto(query(i, n, t), (ip, 53))
    got = set()
    s.settimeout(1)
    end = time.time() + 40
    while time.time() < end and len(got) < 300:
        try:
            r = s.recv(4096)
            got.add(struct.unpack('>H', r[:2])[0])
        except socket.timeout:
            # some were dropped (over 200 in flight): ask again, once a second
            for i, (n, t) in enumerate(names):
                if i not in got:
                    s.sendto(query(i, n, t), (ip, 53))
    print('answered', len(got))
EOF
r=$(timeout 120 python3 "$TMP/work.py" $ours tcp 2>&1)
check_match "valgrind workload: TCP clients: pipelined queries" '^pipelined [0-9]+ ok' "$r"
check_match "valgrind workload: TCP clients: misbehaving clients, then a normal one" '^final 1015$' "$r"
r=$(timeout 60 python3 "$TMP/work.py" $ours junk 2>&1)
check_match "valgrind workload: junk UDP packets" '^replies [0-9]+' "$r"
r=$(timeout 120 python3 "$TMP/work.py" $ours burst 2>&1)
check_match "valgrind workload: burst of 300 UDP queries all answered" '^answered 300$' "$r"
ask "still answers after all that" A a.test 'A 192\.0\.2\.1'
ask "still answers over TCP" TXT bigtxt.test 'an=12' --tcp
# shellcheck disable=SC2086
wait $bg   # the fire-and-forget fq's

vgstop dnscache "$VPID"

# A forward-only cache (FORWARDONLY, HIDETTL) in front of Debian's.
ours=127.0.0.3
make_cacheroot "$TMP/froot" "$FAKENET_ROOTS"
echo 127.0.0.2 > "$TMP/froot/servers/@"
vgstart dnscache-fwd $ours "$TMP/froot" FORWARDONLY=1 HIDETTL=1
ask "forward-only: A, TTL hidden" A a.test 'answer: a\.test\. 0 A 192\.0\.2\.1'
ask "forward-only: CNAME chain" A chain1.test 'A 192\.0\.2\.1'
ask "forward-only: NXDOMAIN" A nx.test "$NX"
ask "forward-only: NODATA" MX a.test "$NOERR.* an=0"
ask "forward-only: big TXT over TCP (TC upstream)" TXT bigtxt.test 'an=12' --tcp
ask "forward-only: big MX over UDP: TC" MX big.test 'flags=.*tc'
ask "forward-only: glueless" A www.glueless.test 'A 192\.0\.2\.70'
ask "forward-only: PTR" PTR 1.2.0.192.in-addr.arpa 'PTR a\.test\.'
askbg "forward-only: SERVFAIL" A www.lame.test 'rcode=|timeout' --timeout 15
askbg "forward-only: badserver malformed" A www.malformed.bad.test 'rcode=|timeout' --timeout 15
askbg_check
vgstop dnscache-fwd "$VPID"

# ------------------------------------------------- 3. client tools
export DNSCACHEIP=127.0.0.2
export DNSREWRITEFILE="$TMP/no-such-rewrite-file"
unset LOCALDOMAIN
printf '%s\n' '-.localdomain' '+.:test' '*.w:.wild.test' > "$TMP/rewrite"

# t NAME [VAR=VALUE...] PROG ARGS...: ours under valgrind; its exit code
# must equal the original's (/usr/bin/PROG).
ntool=0
t() {
  _w=$1
  shift
  _env=""
  while :; do
    case $1 in *=*) _env="$_env $1"; shift ;; *) break ;; esac
  done
  _p=$1
  shift
  ntool=$((ntool + 1))
  _n=tool$ntool
  # shellcheck disable=SC2086
  env $_env timeout 120 "/usr/bin/$_p" "$@" > /dev/null 2>&1
  _orc=$?
  # shellcheck disable=SC2086
  timeout 120 env $_env $VG -q --log-file="$VL/$_n.vg" "$B/$_p" "$@" > "$VL/$_n.out" 2> "$VL/$_n.err"
  rc=$?
  if [ "$rc" != 99 ] && [ "$rc" != 124 ] && [ ! -s "$VL/$_n.vg" ] && [ "$rc" = "$_orc" ]; then
    pass "valgrind: $_p: $_w"
  else
    fail "valgrind: $_p: $_w (exit $rc, original $_orc)" "$(head -60 "$VL/$_n.vg")
$(head -5 "$VL/$_n.err")"
  fi
}
t "A" dnsq a a.test 127.53.1.1
t "TXT, TC then TCP" dnsq txt bigtxt.test 127.53.1.1
t "NXDOMAIN" dnsq mx nx.test 127.53.1.1
t "referral" dnsq a www.sub.test 127.53.1.1
t "two servers, ANY" dnsq any mx.test 127.53.1.1+127.53.1.2
t "usage" dnsq a
t "bad type" dnsq nosuchtype a.test 127.53.1.1
t "A" dnsqr a a.test
t "TXT, TC then TCP" dnsqr txt bigtxt.test
t "MX, TC then TCP" dnsqr mx big.test
t "ANY" dnsqr any dual.test
t "PTR" dnsqr ptr 1.2.0.192.in-addr.arpa
t "CNAME chain" dnsqr a chain1.test
t "SERVFAIL" dnsqr a www.lame.test
t "numeric type" dnsqr 65535 a.test
t "usage" dnsqr
t "names and IPs" dnsip a.test multi.test localhost 1.2.3.4 nx.test cname.test
t "no data" dnsip aaaa.test
t "SERVFAIL" dnsip www.lame.test
t "LOCALDOMAIN" LOCALDOMAIN=test dnsipq a multi
t "DNSREWRITEFILE" DNSREWRITEFILE="$TMP/rewrite" dnsipq a x.w abc
t "PTR" dnsname 192.0.2.1 192.0.2.100 127.53.1.1
t "no PTR" dnsname 10.9.8.7
t "bad IP" dnsname 1.2.3
t "MX" dnsmx mx.test mxalias.test
t "MX, TC then TCP" dnsmx big.test
t "no MX" dnsmx a.test nx.test
t "TXT" dnstxt txt.test txt2.test
t "TXT, TC then TCP" dnstxt bigtxt.test
t "no TXT" dnstxt a.test nx.test
# cachetest: the cache module with its command-line interface
vgrun cachetest "$B/cachetest" a:1 b:2 c:3 a b xyz a:4 a
vgclean cachetest "cachetest (exit $rc)"

# ------------------------------------------------- 4. dnscache-conf
vgrun conf "$B/dnscache-conf" nobody daemon "$TMP/conf" 127.0.0.7
if [ "$rc" = 0 ] && [ -f "$TMP/conf/env/IP" ] && [ -s "$TMP/conf/seed" ]; then
  vgclean conf "dnscache-conf into a temporary directory"
else
  fail "valgrind: dnscache-conf into a temporary directory (exit $rc)" "$(cat "$VL/conf.err" "$VL/conf.vg")"
fi
vgrun conf2 "$B/dnscache-conf" nobody daemon "$TMP/conf"
vgclean conf2 "dnscache-conf: directory exists (exit $rc)"
vgrun conf3 "$B/dnscache-conf" nosuchuser-t-vg daemon "$TMP/conf3"
vgclean conf3 "dnscache-conf: unknown account (exit $rc)"
vgrun conf4 "$B/dnscache-conf"
vgclean conf4 "dnscache-conf: usage (exit $rc)"

# VG_KEEP=DIR keeps every valgrind report (and the cache's log) there.
if [ -n "$VG_KEEP" ]; then
  mkdir -p "$VG_KEEP" && cp -r "$VL"/. "$TMP"/*.log "$VG_KEEP"/
fi
finish
