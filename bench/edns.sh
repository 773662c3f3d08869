#!/bin/sh
# bench/edns.sh: the big-answers row of `make bench` (issue 13).  Run by
# bench/run in a network namespace of its own; prints a Markdown section.
# On the test fakenet (tests/fakenet: sizeN.test TXT answers of N bytes),
# ours, Debian's original dnscache and Unbound (one thread, iterator only)
# are each asked, cache warm, for answers of 700, 1100 and 1200 bytes the
# way a modern stub asks: over UDP with EDNS0 (1232 bytes), and again over
# TCP if the reply is truncated.  Counted per answer: client round trips
# (UDP and TCP queries) and TCP connections.  Deterministic: the figures
# say what each server does with such an answer, not how fast.
#   EDNS_N=N  times each name is asked (default 20; QUICK=1: 5)
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$TOP}
export TOP B
. "$TOP/tests/lib.sh"
N=${EDNS_N:-20}
[ "${QUICK:-0}" = 1 ] && N=${EDNS_N:-5}
OURS=127.0.0.51 ORIG=127.0.0.52 UNB=127.0.0.53

fakenet_start > /dev/null 2>&1 || { echo "bench/edns.sh: fakenet did not start" >&2; exit 1; }
start_pair bench $OURS $ORIG > /dev/null 2>&1 || { echo "bench/edns.sh: caches did not start" >&2; exit 1; }
unbound_start $UNB > /dev/null 2>&1 || { echo "bench/edns.sh: unbound did not start" >&2; exit 1; }

"$PYTHON" - "$N" $OURS $ORIG $UNB <<'PYEOF'
import socket, struct, sys
n = int(sys.argv[1])
servers = sys.argv[2:5]
names = ["size700.test", "size1100.test", "size1200.test"]
def q(qid, name, edns):
    p = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 1 if edns else 0)
    p += b"".join(bytes([len(x)]) + x.encode() for x in name.split(".")) + b"\0\0\x10\0\1"
    return p + (b"\0\0\x29\x04\xd0\0\0\0\0\0\0" if edns else b"")
def tcp(server, pkt):
    c = socket.create_connection((server, 53), timeout=10)
    c.sendall(struct.pack(">H", len(pkt)) + pkt)
    buf = b""
    while len(buf) < 2 or len(buf) < 2 + struct.unpack(">H", buf[:2])[0]:
        d = c.recv(65535)
        if not d: break
        buf += d
    c.close()
    return buf[2:]
res = []
for s in servers:
    for nm in names:       # warm
        tcp(s, q(1, nm, False))
    rts = conns = answers = 0
    qid = 100
    for _ in range(n):
        for nm in names:
            qid += 1
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.settimeout(5)
            u.sendto(q(qid, nm, True), (s, 53))
            d = u.recv(65535)
            u.close()
            rts += 1
            if d[2] & 2:
                d = tcp(s, q(qid, nm, True))
                rts += 1
                conns += 1
            if struct.unpack(">H", d[6:8])[0] > 0:
                answers += 1
    res.append((rts / max(answers, 1), conns / max(answers, 1), answers))
print("")
print("Big answers (issue 13, bench/edns.sh): %d answers each of 700, 1100 and 1200 bytes, cached, asked as a" % n)
print("modern stub does (UDP with EDNS0 1232, TCP again if truncated); per answer:")
print("")
print("| big answers (700-1200 bytes) | ours | original | Unbound |")
print("|---|---|---|---|")
print("| client round trips per answer | %.2f | %.2f | %.2f |" % tuple(r[0] for r in res))
print("| TCP connections per answer | %.2f | %.2f | %.2f |" % tuple(r[1] for r in res))
PYEOF
