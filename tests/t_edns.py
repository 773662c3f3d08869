#!/usr/bin/python3
"""t_edns.py: EDNS0 to clients (SPEC 4.2), driven by tests/t_edns.sh.
Our dnscache (--ours), Debian's (--orig) and Unbound (--unbound) on the
same fakenet.  Answers of known sizes (sizeN.test TXT, N = 400, 700,
1100, 1200, 1300, 5000 bytes without an OPT) over UDP and TCP:
  - without EDNS: ours is byte for byte Debian's (TTLs aside), 512 bytes;
  - with EDNS (sizes 512, 1232, 4096 asked): ours is Unbound's in size,
    TC, ANCOUNT, OPT presence and advertised size, RCODE;
  - version 1: BADVERS with an OPT, as Unbound; two OPTs or a non-root
    owner: FORMERR, as Unbound; DO is not honoured (clear in our OPT).
Prints PASS:/FAIL: lines and a "# figure:" line at the end."""
import select
import socket
import struct
import sys
import time

SIZES = [400, 700, 1100, 1200, 1300, 5000]


def name_wire(name):
    return b"".join(bytes([len(x)]) + x.encode() for x in name.split(".") if x) + b"\0"


def query(qid, name, qtype=16, opt=None, ar=None):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0 if opt is None else 1)
    q += name_wire(name) + struct.pack(">HH", qtype, 1)
    if opt is not None:
        q += opt
    if ar is not None:
        q = q[:10] + struct.pack(">H", ar) + q[12:]
    return q


def opt_rr(size=1232, version=0, flags=0, owner=b"\0"):
    return owner + struct.pack(">HHBBHH", 41, size, 0, version, flags, 0)


def ask(server, pkt, tcp=False, timeout=10.0):
    """The reply's bytes, or None."""
    try:
        if tcp:
            c = socket.create_connection((server, 53), timeout=timeout)
            c.sendall(struct.pack(">H", len(pkt)) + pkt)
            buf = b""
            end = time.time() + timeout
            while time.time() < end:
                d = c.recv(65535)
                if not d:
                    break
                buf += d
                if len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
                    break
            c.close()
            if len(buf) < 2:
                return None
            return buf[2:2 + struct.unpack(">H", buf[:2])[0]]
        c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        c.settimeout(timeout)
        c.sendto(pkt, (server, 53))
        d = c.recv(65535)
        c.close()
        return d
    except OSError:
        return None


def skipname(b, pos):
    while True:
        n = b[pos]
        if n >= 192:
            return pos + 2
        pos += n + 1
        if n == 0:
            return pos


def shape(d):
    """What is compared with Unbound: (length, TC, ANCOUNT, OPT present,
    OPT's size, 12-bit RCODE, DO in the OPT)."""
    if d is None or len(d) < 12:
        return None
    qd, an, ns, ar = struct.unpack(">HHHH", d[4:12])
    pos = 12
    for _ in range(qd):
        pos = skipname(d, pos) + 4
    opt = None
    for i in range(an + ns + ar):
        pos = skipname(d, pos)
        t, c, ttl, rl = struct.unpack(">HHIH", d[pos:pos + 10])
        if t == 41 and i >= an + ns:
            opt = (c, ttl)
        pos += 10 + rl
    rcode = d[3] & 15
    if opt:
        rcode |= (opt[1] >> 24) << 4
    return {"len": len(d), "tc": bool(d[2] & 2), "an": an, "opt": opt is not None,
            "optsize": opt[0] if opt else None, "rcode": rcode,
            "do": bool(opt[1] & 0x8000) if opt else None}


def norm(d):
    """The reply with its ID and every TTL zeroed."""
    b = bytearray(d)
    qd, an, ns, ar = struct.unpack(">HHHH", b[4:12])
    b[0:2] = b"\0\0"
    pos = 12
    for _ in range(qd):
        pos = skipname(b, pos) + 4
    for _ in range(an + ns + ar):
        if pos >= len(b):
            break   # the original's truncated reply keeps ANCOUNT
        pos = skipname(b, pos)
        b[pos + 4:pos + 8] = b"\0\0\0\0"
        pos += 10 + struct.unpack(">H", b[pos + 8:pos + 10])[0]
    return bytes(b)


class T:
    passed = failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("PASS: " + what)
        else:
            self.failed += 1
            print("FAIL: " + what)
            if detail:
                print("    " + str(detail))


def main(argv):
    opts = dict(zip(argv[0::2], argv[1::2]))
    ours, orig, unb = opts["--ours"], opts["--orig"], opts["--unbound"]
    t = T()
    qid = 0x4000
    # warm every cache over TCP (the whole answer, whatever its size)
    for n in SIZES:
        for s in (ours, orig, unb):
            qid += 1
            d = ask(s, query(qid, "size%d.test" % n), tcp=True)
            if s == ours:
                t.check(d is not None and shape(d)["an"] > 0 and len(d) == n,
                        "size%d.test: %d bytes over TCP without EDNS" % (n, n), shape(d))
    # without EDNS: exactly Debian's, over UDP and TCP
    for n in SIZES:
        for tcp in (False, True):
            qid += 1
            q = query(qid, "size%d.test" % n)
            a, b = ask(ours, q, tcp), ask(orig, q, tcp)
            ok = a is not None and b is not None and norm(a) == norm(b)
            # decision 4: the original keeps ANCOUNT in a truncated reply
            d4 = (ok is False and a is not None and b is not None and not tcp and len(a) == len(b)
                  and a[2] & 2 and a[6:8] == b"\0\0" and norm(a)[8:] == norm(b)[8:])
            how = "TCP" if tcp else "UDP"
            if d4:
                t.check(len(a) <= 512, "no EDNS, size%d.test over %s: as Debian's but decision 4 (%d bytes, TC, ANCOUNT 0)" % (n, how, len(a)))
            else:
                t.check(ok, "no EDNS, size%d.test over %s: byte for byte Debian's (%s bytes%s)" %
                        (n, how, len(a) if a else "no", ", TC" if a and a[2] & 2 else ""),
                        "ours %s / orig %s" % (a and a.hex()[:80], b and b.hex()[:80]))
            if a is not None and not tcp:
                t.check(len(a) <= 512 and bool(a[2] & 2) == (n > 512) and shape(a)["opt"] is False,
                        "no EDNS, size%d.test over UDP: at most 512 bytes, TC iff over, no OPT" % n)
    # with EDNS: as Unbound
    for size in (512, 1232, 4096):
        for n in SIZES:
            for tcp in (False, True):
                qid += 1
                q = query(qid, "size%d.test" % n, opt=opt_rr(size))
                a, b = shape(ask(ours, q, tcp)), shape(ask(unb, q, tcp))
                how = "TCP" if tcp else "UDP"
                keys = ("len", "tc", "an", "opt", "optsize", "rcode")
                same = a is not None and b is not None and all(a[k] == b[k] for k in keys)
                t.check(same, "EDNS %d, size%d.test over %s: as Unbound (%s bytes%s, OPT %s)" %
                        (size, n, how, a and a["len"], ", TC" if a and a["tc"] else "",
                         a and a["optsize"]), "ours %s / unbound %s" % (a, b))
                if a and not tcp:
                    limit = min(max(size, 512), 1232)
                    t.check(a["len"] <= limit and a["tc"] == (n + 11 > limit) and a["opt"],
                            "EDNS %d, size%d.test over UDP: at most %d bytes, TC iff over, OPT kept" % (size, n, limit))
    # BADVERS, FORMERR, DO
    cases = [
        ("version 1", query(0, "size400.test", opt=opt_rr(1232, version=1))),
        ("version 255", query(0, "size400.test", opt=opt_rr(1232, version=255))),
        ("two OPTs", query(0, "size400.test", opt=opt_rr() + opt_rr(), ar=2)),
        ("non-root owner", query(0, "size400.test", opt=opt_rr(owner=b"\1a\0"))),
    ]
    for what, q in cases:
        for tcp in (False, True):
            qid += 1
            q = struct.pack(">H", qid) + q[2:]
            a, b = shape(ask(ours, q, tcp)), shape(ask(unb, q, tcp))
            how = "TCP" if tcp else "UDP"
            t.check(a is not None and b is not None and a["rcode"] == b["rcode"] and a["an"] == 0 and a["opt"]
                    and (b["opt"] is False or a["optsize"] == b["optsize"]),
                    "%s over %s: RCODE %s as Unbound, no answer, with an OPT" % (what, how, a and a["rcode"]),
                    "ours %s / unbound %s" % (a, b))
    qid += 1
    a = shape(ask(ours, query(qid, "size400.test", opt=opt_rr(1232, flags=0x8000))))
    t.check(a is not None and a["rcode"] == 0 and a["an"] > 0 and a["do"] is False,
            "DO set: answered, DO clear in our OPT (not honoured)", a)
    print("# figure: edns: %d checks passed, %d failed" % (t.passed, t.failed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
