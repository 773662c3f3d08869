#!/usr/bin/env python3
"""t_tools_random.py: the randomized differential test of the client tools
driven by tests/t_tools_random.sh (run inside the suite's private network
namespace).

  t_tools_random.py --ours DIR --orig DIR --ip IP --seed S --n N
                    [--block K] [--jobs J] [--verbose 1]

Serves UDP and TCP port 53 on IP itself (threads) and runs, for each case
number c (1..N), our tool (DIR/dnsq...) and the original against it:
  dnsq TYPE NAME IP, DNSCACHEIP=IP dnsqr TYPE NAME, and one of dnsip NAME,
  dnsname 10.77.H.L, dnsmx NAME, dnstxt NAME (by c mod 4).
NAME is c<c>.random.test (case varied) or, for dnsname cases, the reverse
name L.H.77.10.in-addr.arpa (c = H*256+L).  The reply to a query is built
by a PRNG seeded with (seed, c, qtype, name lower-cased), so both tools get
the same reply to the same question: the query's ID and question, random
header flags and rcode, random records of many types (A NS CNAME SOA PTR
HINFO MX TXT AAAA SRV and unknown types, odd rdata lengths, odd classes and
TTLs) with odd names (odd bytes, upper case, valid and invalid compression
pointers), then 0-3 mutations: truncation, wrong counts, bad pointers,
wrong rdlength, junk after, TC (the TCP reply then clears it, or not), a
wrong ID or a wrong question (a decoy sent just before the real reply, or,
rarely, alone: the tool then waits its whole retry schedule), more than
512 bytes (decision 10; a reply <= 512 bytes follows it, or rarely not).

stdout, stderr and exit code are compared byte for byte (dnsip's addresses
sorted: it shuffles).  A difference in a case whose UDP reply was over 512
bytes is checked as README decision 10 with two control runs: the original
given the same big reply over TCP (after a TC stub) must print what ours
printed, and ours given only the small follow-up (if any) must print what
the original printed (else the original must have timed out); then it is a
pass with a "# note:" line.  So is a case whose UDP replies (right ID and
question) all have the QR bit clear and ours timed out (README: a reply
must have QR set; the original takes, or fails to parse, the first).  Anything else is a FAIL printed in full: the
command, every distinct reply packet sent (hex), both outputs.

Output: one PASS/FAIL line per K cases (25), "# note:" lines, a "# figure:"
line.  Exit status 1 if anything differed.
"""

import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import randreport  # tests/randreport.py, beside this file

TYPES = {"a": 1, "ns": 2, "cname": 5, "soa": 6, "ptr": 12, "hinfo": 13,
         "mx": 15, "txt": 16, "rp": 17, "sig": 24, "key": 25, "aaaa": 28,
         "any": 255}
# type arguments for dnsq/dnsqr (name or number, case varied)
TYPEARGS = ["a", "A", "ns", "cname", "soa", "ptr", "hinfo", "mx", "Mx", "txt",
            "aaaa", "any", "rp", "33", "99", "0", "65535", "13", "16", "1"]

# --- building replies ----------------------------------------------------

WORDS = [b"www", b"mail", b"ns1", b"a", b"example", b"test", b"x-y", b"_srv",
         b"UPPER", b"MiXeD", b"random", b"com"]


def odd_label(rng):
    k = rng.random()
    if k < 0.45:
        w = rng.choice(WORDS)
    elif k < 0.65:
        w = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    elif k < 0.85:
        w = bytes(rng.choice(b".\\ -_\"()@$;\x00\x7f\xff") for _ in range(rng.randint(1, 3)))
    elif k < 0.95:
        w = rng.choice(WORDS).upper()
    else:
        w = b"l" * rng.choice([62, 63])
    return bytes([len(w)]) + w


class Pkt:
    """A reply being built: bytes so far, offsets where names start (valid
    pointer targets), positions of the pointers written."""

    def __init__(self, head):
        self.b = bytearray(head)
        self.targets = [12]
        self.pointers = []

    def name(self, rng, qfirst=0.35):
        """Append a (possibly compressed, possibly broken) name."""
        k = rng.random()
        if k < qfirst:
            self.pointers.append(len(self.b))
            self.b += b"\xc0\x0c"
            return
        if k < qfirst + 0.04:
            self.b += b"\x00"
            return
        if k < qfirst + 0.07:           # an invalid pointer
            self.pointers.append(len(self.b))
            self.b += struct.pack(">H", 0xc000 | bad_target(rng, len(self.b)))
            return
        if k < qfirst + 0.08:           # label type 01 / 10
            self.b += bytes([rng.choice([0x40, 0x41, 0x80, 0xbf])]) + b"abc\x00"
            return
        if k < qfirst + 0.10:           # a name over 255 bytes
            for _ in range(rng.choice([4, 5])):
                self.targets.append(len(self.b))
                self.b += b"\x3f" + b"n" * 63
            self.b += b"\x00"
            return
        for _ in range(rng.randint(1, 4)):
            self.targets.append(len(self.b))
            self.b += odd_label(rng)
        if rng.random() < 0.4:
            self.pointers.append(len(self.b))
            self.b += struct.pack(">H", 0xc000 | rng.choice(self.targets[:-1] or [12]))
        else:
            self.b += b"\x00"


def bad_target(rng, here):
    # into the header but never the ID (bytes 0-1 differ between queries)
    return rng.choice([here, here + 2, here + 40, 0x3fff, rng.randrange(2, 12), 5])


def charstrings(rng, n):
    out = b""
    for _ in range(n):
        k = rng.random()
        if k < 0.5:
            s = bytes(rng.randrange(32, 127) for _ in range(rng.randint(0, 20)))
        elif k < 0.8:
            s = bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
        else:
            s = bytes(rng.choice(b"\\\"\x00\x7f\x80\xff ?") for _ in range(rng.randint(1, 6)))
        out += bytes([len(s)]) + s
    return out


def rdata(rng, p, rtype):
    """Append the rdata of a record of type rtype (after a 2-byte rdlength
    placeholder that is filled in here, or deliberately wrong)."""
    lenpos = len(p.b)
    p.b += b"\x00\x00"
    odd = rng.random() < 0.06
    if rtype == 1:
        p.b += bytes(rng.randrange(256) for _ in range(rng.choice([3, 5, 0]) if odd else 4))
    elif rtype in (2, 5, 12):
        p.name(rng, 0.2)
    elif rtype == 6:
        p.name(rng, 0.2)
        p.name(rng, 0.2)
        p.b += bytes(rng.randrange(256) for _ in range(rng.choice([16, 24, 19]) if odd else 20))
    elif rtype == 13:
        p.b += charstrings(rng, 1 if odd else 2)
    elif rtype == 15:
        p.b += struct.pack(">H", rng.choice([0, 1, 10, 65535, rng.randrange(65536)]))
        if not odd:
            p.name(rng, 0.2)
    elif rtype == 16:
        p.b += charstrings(rng, rng.randint(0, 4))
        if odd:
            p.b += bytes([rng.randint(5, 60)]) + b"short"
    elif rtype == 28:
        p.b += bytes(rng.randrange(256) for _ in range(rng.choice([15, 17]) if odd else 16))
    elif rtype == 33:
        p.b += struct.pack(">HHH", rng.randrange(65536), rng.randrange(65536), rng.randrange(65536))
        p.name(rng, 0.2)
    else:
        p.b += bytes(rng.randrange(256) for _ in range(rng.randint(0, 30)))
    n = len(p.b) - lenpos - 2
    if rng.random() < 0.03:
        n = max(0, n + rng.choice([-3, -1, 1, 2, 40]))
    p.b[lenpos:lenpos + 2] = struct.pack(">H", n)


RTYPES = [1, 2, 5, 6, 12, 13, 15, 16, 28, 33]


def record(rng, p, qtype, section):
    p.name(rng, 0.75 if section == 0 else 0.3)
    k = rng.random()
    if k < 0.4 and qtype in RTYPES:
        t = qtype
    elif k < 0.9:
        t = rng.choice(RTYPES)
    else:
        t = rng.choice([0, 99, 250, 255, 41, 65535, rng.randrange(65536)])
    c = 1 if rng.random() < 0.9 else rng.choice([3, 4, 255, 254, 0, rng.randrange(65536)])
    ttl = rng.choice([0, 1, 300, 86400, 2147483647, 2147483648, 4294967295,
                      rng.randrange(1 << 32)])
    p.b += struct.pack(">HHI", t, c, ttl)
    rdata(rng, p, t)


def parse_query(q):
    """(id, rd, qname wire, qtype, qclass, question bytes) or None."""
    if len(q) < 17:
        return None
    pos = 12
    while pos < len(q) and q[pos]:
        if q[pos] > 63:
            return None
        pos += 1 + q[pos]
    if pos + 5 > len(q):
        return None
    qname = q[12:pos + 1]
    qtype, qclass = struct.unpack(">HH", q[pos + 1:pos + 5])
    return q[:2], q[2] & 1, qname, qtype, qclass, q[12:pos + 5]


def labels(qname):
    out, pos = [], 0
    while qname[pos]:
        out.append(qname[pos + 1:pos + 1 + qname[pos]].lower())
        pos += 1 + qname[pos]
    return out


def case_of(qname):
    ls = labels(qname)
    if len(ls) == 3 and ls[1:] == [b"random", b"test"] and ls[0][:1] == b"c":
        try:
            return int(ls[0][1:])
        except ValueError:
            return None
    if len(ls) == 6 and ls[2:] == [b"77", b"10", b"in-addr", b"arpa"]:
        try:
            return int(ls[1]) * 256 + int(ls[0])
        except ValueError:
            return None
    return None


def build(seed, n, qid, rd, qname, qtype, qclass, question):
    """The case's replies to this query: (udp packets in sending order,
    tcp packet or None, big packet or None, small follow-up or None,
    mutations)."""
    rng = random.Random("%s:%d:%d:%s" % (seed, n, qtype, qname.lower().hex()))
    qr = 0x8000 if rng.random() < 0.98 else 0
    op = 0 if rng.random() < 0.95 else rng.randrange(1, 16)
    aa = 0x400 if rng.random() < 0.5 else 0
    rdf = (rd << 8) if rng.random() < 0.8 else rng.choice([0, 0x100])
    ra = 0x80 if rng.random() < 0.5 else 0
    z = rng.choice([0x10, 0x20, 0x40, 0x70]) if rng.random() < 0.05 else 0
    k = rng.random()
    rcode = 0 if k < 0.67 else 3 if k < 0.95 else rng.choice([1, 2, 4, 5, 6, 9, 15])
    flags = qr | (op << 11) | aa | rdf | ra | z | rcode

    p = Pkt(b"\x00" * 12 + question)
    counts = [0, 0, 0]
    for sec, hi in ((0, 6), (1, 3), (2, 3)):
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, hi])):
            if len(p.b) > 440:
                break
            at = len(p.b)
            record(rng, p, qtype, sec)
            if len(p.b) > 470:          # keep it <= 512 unless "big"
                del p.b[at:]
                break
            counts[sec] += 1
    # the mutations: each a few parameters drawn now
    nmut = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
    muts = rng.sample(["trunc", "counts", "badptr", "id", "question", "tc",
                       "junk", "big", "qcase", "trunc", "counts", "junk"], nmut)
    muts = sorted(set(muts))
    if "big" in muts:
        muts = [m for m in muts if m not in ("tc", "id", "question")]
    body = bytes(p.b[12 + len(question):])
    if "badptr" in muts:
        if p.pointers and rng.random() < 0.7:
            at = rng.choice(p.pointers) - 12 - len(question)
            t = bad_target(rng, at + 12 + len(question))
            body = body[:at] + struct.pack(">H", 0xc000 | t) + body[at + 2:]
        else:
            bp = Pkt(b"\x00" * len(p.b))
            bp.b += struct.pack(">H", 0xc000 | bad_target(rng, len(bp.b)))
            bp.b += struct.pack(">HHIH", 1, 1, 60, 4) + b"\x01\x02\x03\x04"
            body += bytes(bp.b[len(p.b):])
            counts[0] += 1
    pad = b""
    npad = 0
    if "big" in muts:
        bp = Pkt(b"\x00" * (12 + len(question) + len(body)))
        target = rng.choice([513, 514, 600, 1000, 1400])
        while len(bp.b) < target:
            bp.b += b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 60, 41) + b"\x28" + b"p" * 40
            npad += 1
        pad = bytes(bp.b[12 + len(question) + len(body):])
    hcounts = list(counts)
    if "counts" in muts:
        i = rng.randrange(3)
        hcounts[i] = max(0, min(65535, hcounts[i] + rng.choice([-2, -1, 1, 2, 3, 300])))
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20))) if "junk" in muts else b""
    cut = rng.random() if "trunc" in muts else None
    qd = 1
    badq = question
    if "question" in muts:
        w = rng.choice(["name", "type", "class", "qd0", "qd2"])
        if w == "name":
            b = bytearray(question)
            b[1] = ord("x") if b[1] != ord("x") else ord("y")
            badq = bytes(b)
        elif w == "type":
            badq = question[:-4] + struct.pack(">H", (qtype + 1) & 0xffff) + question[-2:]
        elif w == "class":
            badq = question[:-2] + b"\x00\x03"
        else:
            qd = 0 if w == "qd0" else 2
    if "qcase" in muts:
        question = bytes(c ^ 0x20 if 97 <= (c | 0x20) <= 122 else c for c in question)
    decoy_alone = rng.random() < 0.06       # the real reply never comes
    tcp_keeps_tc = rng.random() < 0.15
    small_alone = rng.random() < 0.15 and "big" in muts

    def ser(fl, qid_, qd_, q_, counts_, extra, trunc):
        pk = qid_ + struct.pack(">HHHHH", fl, qd_, *counts_) + q_ + body + extra + junk
        if trunc is not None:
            lo = 12 + len(q_)
            pk = pk[:lo + int(trunc * (len(pk) - lo))]
        return pk

    fl = flags
    real = ser(fl, qid, 1, question, hcounts, b"", cut)
    udp = [real]
    tcp = None
    if "tc" in muts:
        udp = [ser(fl | 0x200, qid, 1, question, hcounts, b"", cut)]
        tcp = ser(fl | (0x200 if tcp_keeps_tc else 0), qid, 1, question, hcounts, b"", cut)
    decoys = []
    if "id" in muts:
        decoys.append(ser(fl, bytes([qid[0] ^ 0x5a, qid[1]]), 1, question, hcounts, b"", cut))
    if "question" in muts:
        decoys.append(ser(fl, qid, qd, badq, hcounts, b"", cut))
    if decoys:
        udp = decoys if decoy_alone else decoys + udp
    big = small = None
    if "big" in muts:
        bc = list(hcounts)
        bc[2] = min(65535, bc[2] + npad)
        big = ser(fl, qid, 1, question, bc, pad, cut)
        small = None if small_alone else real
        udp = [big] if small_alone else [big, real]
    return udp, tcp, big, small, muts


# --- the server ------------------------------------------------------------

class Server:
    def __init__(self, ip, seed):
        self.seed = seed
        self.mode = {}          # case -> "small" / "tcpbig" (control runs)
        self.sent = {}          # case -> list of packets sent (distinct)
        self.lock = threading.Lock()
        self.u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.u.bind((ip, 53))
        self.t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.t.bind((ip, 53))
        self.t.listen(128)
        threading.Thread(target=self.serve_udp, daemon=True).start()
        threading.Thread(target=self.serve_tcp, daemon=True).start()

    def replies(self, q, tcp):
        pq = parse_query(q)
        if pq is None:
            return []
        qid, rd, qname, qtype, qclass, question = pq
        n = case_of(qname)
        if n is None:
            return []
        udp, tcpr, big, small, _ = build(self.seed, n, qid, rd, qname, qtype, qclass, question)
        mode = self.mode.get(n)
        if mode == "small" and big is not None:
            udp = [small] if small is not None else []
        elif mode == "tcpbig" and big is not None:
            udp = [qid + struct.pack(">HHHHH", 0x8200 | (rd << 8), 1, 0, 0, 0) + question]
            tcpr = big
        if tcp:
            out = [tcpr] if tcpr is not None else udp[-1:]
        else:
            out = udp
        with self.lock:
            lst = self.sent.setdefault(n, [])
            for i, x in enumerate(out):
                tag = "%s #%d, %d bytes, ID %s: " % (
                    "tcp" if tcp else "udp", i + 1, len(x),
                    "= query's" if x[:2] == qid else "WRONG")
                k = (qtype, qname.lower(), tag, x[2:])
                if k not in [(e[0], e[1], e[2], e[3][2:]) for e in lst]:
                    lst.append((qtype, qname.lower(), tag, x))
        return out

    def serve_udp(self):
        while True:
            try:
                data, peer = self.u.recvfrom(65535)
                for r in self.replies(data, False):
                    self.u.sendto(r, peer)
            except OSError:
                pass

    def serve_tcp(self):
        while True:
            try:
                conn, _ = self.t.accept()
            except OSError:
                continue
            threading.Thread(target=self.tcp_one, args=(conn,), daemon=True).start()

    def tcp_one(self, conn):
        try:
            conn.settimeout(5)
            buf = b""
            while len(buf) < 2 or len(buf) < 2 + struct.unpack(">H", buf[:2])[0]:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                buf += chunk
            for r in self.replies(buf[2:], True) if len(buf) > 2 else []:
                conn.sendall(struct.pack(">H", len(r)) + r)
        except OSError:
            pass
        conn.close()


# --- the cases -------------------------------------------------------------

def vary_case(rng, s):
    if rng.random() < 0.7:
        return s
    return "".join(c.upper() if rng.random() < 0.5 else c for c in s)


def make_cases(seed, n):
    rng = random.Random("cases:%s" % seed)
    cases = []
    for c in range(1, n + 1):
        h, l = c // 256, c % 256
        rev = "%d.%d.77.10.in-addr.arpa" % (l, h)
        kind = ["dnsip", "dnsname", "dnsmx", "dnstxt"][c % 4]
        name = vary_case(rng, "c%d.random.test" % c)
        qname = rev if kind == "dnsname" else name
        t1 = rng.choice(TYPEARGS + (["ptr"] * 4 if kind == "dnsname" else []))
        t2 = rng.choice(TYPEARGS + (["ptr"] * 4 if kind == "dnsname" else []))
        jobs = [("dnsq", [t1, qname, None], t1),
                ("dnsqr", [t2, qname], t2)]
        if kind == "dnsname":
            jobs.append(("dnsname", ["10.77.%d.%d" % (h, l)], "ptr"))
        else:
            jobs.append((kind, [name], {"dnsip": "a", "dnsmx": "mx", "dnstxt": "txt"}[kind]))
        cases.append((c, qname, jobs))
    return cases


def qtype_of(t):
    return int(t) & 0xffff if t.isdigit() else TYPES.get(t.lower(), 0)


def wire(name):
    out = b""
    for lab in name.split("."):
        out += bytes([len(lab)]) + lab.encode()
    return out + b"\x00"


def predict(seed, c, qname, t):
    """(slow, big): whether the tool will probably wait its retry schedule
    (no acceptable UDP reply), whether a UDP reply is over 512 bytes."""
    qn = wire(qname)
    qt = qtype_of(t)
    question = qn + struct.pack(">HH", qt, 1)
    udp, tcp, big, small, muts = build(seed, c, b"\x12\x34", 1, qn, qt, 1, question)
    ok = False
    for pk in udp:
        if len(pk) > 512 or len(pk) < 12 + len(question) or pk[:2] != b"\x12\x34":
            continue
        if pk[4:6] != b"\x00\x01" or pk[12:12 + len(question)].lower() != question.lower():
            continue
        if pk[3] & 15 not in (0, 3) or not pk[2] & 0x80:
            continue
        ok = True
    return not ok, len(big) if big else 0, small is not None, muts


def qr_clear_only(seed, c, qname, t):
    """True if every UDP reply with the query's ID and question has the QR
    bit clear (and there is one): ours ignores them all (README: a reply
    must have QR set), so timing out is the only outcome for ours, while
    the original takes, or fails to parse, the first one."""
    qn = wire(qname)
    qt = qtype_of(t)
    question = qn + struct.pack(">HH", qt, 1)
    udp, tcp, big, small, muts = build(seed, c, b"\x12\x34", 1, qn, qt, 1, question)
    clear = False
    for pk in udp:
        if len(pk) < 12 + len(question) or pk[:2] != b"\x12\x34":
            continue
        if pk[4:6] != b"\x00\x01" or pk[12:12 + len(question)].lower() != question.lower():
            continue
        if pk[2] & 0x80:
            return False
        clear = True
    return clear


def hints(pk, qid):
    """Why ours and the original may differ on this reply (for the FAIL
    report): QR clear."""
    if len(pk) >= 12 and pk[:2] == qid and not pk[2] & 0x80:
        return ["QR bit clear"]
    return []


LIVE = set()            # the tool processes running (killed by PID on exit)
LIVE_LOCK = threading.Lock()


def run(cmd, env, limit=80):
    """Run one tool (bounded by timeout(1) and here): (out, err, rc, s)."""
    t0 = time.time()
    p = subprocess.Popen(["timeout", str(int(limit))] + cmd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with LIVE_LOCK:
        LIVE.add(p)
    try:
        out, err = p.communicate(timeout=limit + 10)
        r = (out, err, p.returncode)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        r = (b"", b"(killed after 90 s)", -1)
    with LIVE_LOCK:
        LIVE.discard(p)
    return r + (time.time() - t0,)


def killall_live(*_):
    with LIVE_LOCK:
        for p in list(LIVE):
            try:
                p.kill()
            except OSError:
                pass
    os._exit(143)


def norm(prog, res):
    out, err, rc, _ = res
    if prog == "dnsip" and out:
        lines = []
        for line in out.split(b"\n"):
            lines.append(b" ".join(sorted(x for x in line.split(b" ") if x)) if line else line)
        out = b"\n".join(lines)
    return (out, err, rc)


def show(res):
    out, err, rc, el = res
    lines = ["exit %d after %.1f s" % (rc, el)]
    for tag, b in (("stdout", out), ("stderr", err)):
        if b:
            for x in b.decode("latin-1").split("\n")[:-1] if b.endswith(b"\n") else \
                    b.decode("latin-1").split("\n"):
                lines.append("%s| %s" % (tag, x.encode("unicode_escape").decode()))
    return lines


def main(argv):
    opts = {"--block": "25", "--jobs": "32", "--verbose": "0"}
    for i in range(0, len(argv), 2):
        opts[argv[i]] = argv[i + 1]
    seed, n, ip = opts["--seed"], int(opts["--n"]), opts["--ip"]
    block, jobs = int(opts["--block"]), int(opts["--jobs"])
    verbose = opts["--verbose"] != "0"
    dirs = {"ours": opts["--ours"], "orig": opts["--orig"]}
    signal.signal(signal.SIGTERM, killall_live)
    signal.signal(signal.SIGINT, killall_live)
    srv = Server(ip, seed)
    env = {"PATH": "/usr/bin:/bin", "DNSCACHEIP": ip}
    cases = make_cases(seed, n)
    t0 = time.time()

    tasks = []      # (slow, c, j, side, prog, args)
    info = {}
    nslow = nbig = 0
    for c, qname, jl in cases:
        for j, (prog, args, t) in enumerate(jl):
            args = [ip if a is None else a for a in args]
            slow, big, small, muts = predict(seed, c, qname, t)
            info[(c, j)] = (prog, args, t, slow, big, small, muts)
            nslow += slow
            nbig += big > 0
            for side in ("ours", "orig"):
                tasks.append((not slow, c, j, side, prog, args))
    tasks.sort(key=lambda x: x[0])      # the slow ones first
    print("# cases: %d, tool runs: %d per side (%d predicted to wait a retry "
          "schedule, %d with a UDP reply over 512 bytes)" % (n, len(tasks) // 2, nslow, nbig))
    sys.stdout.flush()
    results = {}
    # the predicted waits all at once (they sleep), the rest J at a time
    nwait = len([x for x in tasks if not x[0]])
    with ThreadPoolExecutor(max_workers=max(1, nwait)) as exw, \
            ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {}
        for fast, c, j, side, prog, args in tasks:
            futs[(c, j, side)] = (ex if fast else exw).submit(
                run, ["%s/%s" % (dirs[side], prog)] + args, env)
        for k, f in futs.items():
            results[k] = f.result()
    t1 = time.time()

    # decision 10 control runs, per case one mode at a time
    verdict = {}
    ctrl = {}
    for c, qname, jl in cases:
        for j in range(len(jl)):
            prog, args, t, slow, big, small, muts = info[(c, j)]
            a, b = results[(c, j, "ours")], results[(c, j, "orig")]
            if norm(prog, a) == norm(prog, b):
                verdict[(c, j)] = "same"
            elif b"timed out" in a[0] + a[1] and qr_clear_only(seed, c, qname, t):
                verdict[(c, j)] = "QR check"
            elif big:
                ctrl.setdefault(c, []).append(j)
            else:
                verdict[(c, j)] = "differ"

    def control(c):
        out = {}
        for mode, side in (("tcpbig", "orig"), ("small", "ours")):
            srv.mode[c] = mode
            for j in ctrl[c]:
                prog, args, t, slow, big, small, muts = info[(c, j)]
                if mode == "small" and not small:
                    continue
                # bounded by how long the run it must match took
                want = results[(c, j, "ours" if side == "orig" else "orig")][3]
                out[(j, mode)] = run(["%s/%s" % (dirs[side], prog)] + args, env,
                                     min(80, want + 10))
        srv.mode.pop(c, None)
        return out
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        cres = dict(zip(ctrl, ex.map(control, list(ctrl))))
    for c in ctrl:
        for j in ctrl[c]:
            prog, args, t, slow, big, small, muts = info[(c, j)]
            a, b = results[(c, j, "ours")], results[(c, j, "orig")]
            okb = norm(prog, cres[c][(j, "tcpbig")]) == norm(prog, a)
            if small:
                oka = norm(prog, cres[c][(j, "small")]) == norm(prog, b)
            else:
                oka = b"timed out" in b[0] + b[1]
            if okb and oka:
                verdict[(c, j)] = "decision 10"
            else:
                verdict[(c, j)] = "differ"
                results[(c, j, "ctrl")] = (okb, oka, cres[c])

    counts = {"same": 0, "decision 10": 0, "QR check": 0, "differ": 0}
    for start in range(0, n, block):
        blk = cases[start:start + block]
        diffs, notes = [], []
        for c, qname, jl in blk:
            for j in range(len(jl)):
                prog, args, t, slow, big, small, muts = info[(c, j)]
                v = verdict[(c, j)]
                counts[v] += 1
                a, b = results[(c, j, "ours")], results[(c, j, "orig")]
                env_s = "" if prog == "dnsq" else "DNSCACHEIP=%s " % ip
                desc = "case %d: %s%s %s [%s]" % (c, env_s, prog, " ".join(args),
                                                  " ".join(muts) or "no mutation")
                if verbose:
                    print("# %s: %s: ours %s / orig %s" % (
                        v, desc, " / ".join(show(a)), " / ".join(show(b))))
                if v == "decision 10":
                    notes.append("%s: decision 10: the %d-byte UDP reply accepted by "
                                 "ours; the original ignored it (%s); checked with the "
                                 "original over TCP" % (
                                     desc, big,
                                     "took the %s" % ("follow-up" if small else "timeout")))
                elif v == "QR check":
                    notes.append("%s: QR check (README \"Smaller ones\"): every "
                                 "reply had the QR bit clear; ours ignored them and "
                                 "timed out, the original took the first" % desc)
                elif v == "differ":
                    detail = ["reply packets sent to this question (distinct; the ID "
                              "varies per query):"]
                    qn = wire(qname if prog == "dnsq" or prog == "dnsqr" or prog == "dnsname"
                              else args[0]).lower()
                    for qt, qnl, t_, x in srv.sent.get(c, []):
                        if qt != qtype_of(t) or qnl != qn:
                            continue
                        h = hints(x, x[:2]) if "WRONG" not in t_ else []
                        detail.append("  %s%s%s" % (t_, x.hex(), "  (%s)" % "; ".join(h) if h else ""))
                    detail += ["ours:"] + ["  " + x for x in show(a)]
                    detail += ["original:"] + ["  " + x for x in show(b)]
                    if (c, j, "ctrl") in results:
                        okb, oka, cr = results[(c, j, "ctrl")]
                        detail.append("decision 10 control runs: original over TCP %s "
                                      "ours; ours on the small reply %s the original" % (
                                          "matches" if okb else "DIFFERS from",
                                          "matches" if oka else "DIFFERS from"))
                        for (jj, mode), r in cr.items():
                            if jj == j:
                                detail += ["control %s:" % mode] + ["  " + x for x in show(r)]
                    diffs.append((desc, detail))
        what = "cases %d-%d" % (blk[0][0], blk[-1][0])
        randreport.block(what, notes, diffs, runs=sum(len(x[2]) for x in blk))
    print("# figure: %d cases, %d tool runs compared in %.1f s (%.1f s the first "
          "pass): %d same, %d decision 10, %d QR check, %d differ" % (
              n, sum(counts.values()), time.time() - t0, t1 - t0,
              counts["same"], counts["decision 10"], counts["QR check"], counts["differ"]))
    return 1 if counts["differ"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
