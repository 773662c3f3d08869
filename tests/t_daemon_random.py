#!/usr/bin/env python3
"""t_daemon_random.py: the randomized differential test of client packets
driven by tests/t_daemon_random.sh (which starts the fakenet and both
daemons).  Not meant to be run by hand.

  t_daemon_random.py --ours IP --orig IP --ours-log F --orig-log F
                     --seed S --n N [--timeout S] [--block K] [--verbose 1]

Warms a few names in both caches, then builds N client packets with a PRNG
seeded with S (the same S gives the same packets): a valid query (a warmed,
local, dotted-quad or odd name; a random type; class IN mostly, also ANY,
CHAOS and others), then 0-3 mutations (header bits, counts, truncation,
junk, EDNS OPT, compression pointers backward into the header, forward,
or into the name itself; case, labels of any bytes, 63/64-byte labels,
names of 254/255/256 bytes, an empty or random packet, a privileged
source port, 1023/1024+ bytes).  About 10% go over TCP.  Each packet goes
to both daemons at once (UDP: the same socket, so the same source port
and bytes), one packet at a time.

A UDP packet that a daemon does not log as a "query" is known to be
dropped as soon as its log shows the "query" line of a marker (a query
for localhost sent right after it from another socket): a daemon reads
its UDP socket in order.  So no packet waits for a timeout unless a
daemon really stays silent.

Outcomes compared: "dropped" (no log line), "accepted, no reply (drop:
reason)", or the reply bytes with every TTL of 1..604800 replaced by T
(0 and larger values, such as 655360 for local names, compared exactly).
Two replies that differ only in the order of records within a section
(tinydns and the cache shuffle) count as the same.  TCP: the reply, or
the connection closed (with "query logged" or not; FIN and RST count as
the same: a server closing with the query unread sends RST, so which one
comes is a matter of timing).

Intended differences are classified and counted as passes with a
"# note:" line: decision 4 (UDP truncation, ANCOUNT 0), and EDNS (SPEC
4.2: an OPT in our reply when the query had one, up to 1232 bytes over
UDP, FORMERR/BADVERS).  Compression
pointers forward or into the header are followed by both, as 1.05 does,
within the same budget of 1000 steps.  Anything else is a FAIL with the
packet in hex, both outcomes and both daemons' log lines.
"""

import random
import select
import socket
import struct
import sys
import time

import dns.exception
import dns.message

import randreport  # tests/randreport.py, beside this file

# ----------------------------------------------------------------- names

# Warmed in both caches before the run (name, qtype); big.test MX and
# bigtxt.test TXT answer with TC over UDP.
WARM = [("a.test", 1), ("cname.test", 1), ("mx.test", 15), ("big.test", 15),
        ("txt.test", 16), ("txt2.test", 16), ("multi.test", 1),
        ("mixed.test", 1), ("medtxt.test", 16), ("bigtxt.test", 16),
        ("chain1.test", 1), ("www.sub.test", 1), ("www.example", 1),
        ("aaaa.test", 28), ("nx.test", 1), ("1.2.0.192.in-addr.arpa", 12),
        ("mail.test", 1)]
WARMED = sorted(set(n for n, _ in WARM)) + ["test", "sub.test"]
LOCAL = ["localhost", "1.0.0.127.in-addr.arpa", "127.0.0.1", "1.2.3.4",
         "255.255.255.255", "0.0.0.0", "10.20.30.40", "2.0.0.127.in-addr.arpa",
         "01.2.3.4", "1.2.3", "256.1.2.3", "1.2.3.4.5"]

TYPES = [1, 2, 5, 6, 12, 15, 16, 28, 33, 255, 252, 251]
ODD_TYPES = [0, 41, 249, 250, 253, 254, 65535]
CLASSES = [(1, 0.72), (255, 0.10), (3, 0.06), (4, 0.03), (254, 0.03),
           (0, 0.02), (None, 0.04)]


def rand_label(rng, lo=3, hi=8):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                   for _ in range(rng.randint(lo, hi)))


def wire(labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\0"


def to_labels(name):
    return [x.encode("latin-1") for x in name.split(".") if x]


def pick_weighted(rng, pairs):
    r = rng.random()
    for v, w in pairs:
        if r < w:
            return v
        r -= w
    return pairs[-1][0]


# ---------------------------------------------------- packet generation

NAME_MUT = ["upper", "binlabel", "labeltype", "bptr", "fptr", "label63", "label64", "len254",
            "len255", "len256", "loopptr"]
PKT_MUT = ["bit", "bit", "bit", "count", "count", "trunc", "junk", "edns",
           "edns", "sport", "size", "zero", "random"]


def base_name(rng):
    k = rng.random()
    if k < 0.55:
        return rng.choice(WARMED)
    if k < 0.80:
        return rng.choice(LOCAL)
    if k < 0.90:
        return "zz" + rand_label(rng) + ".test"
    return ".".join(str(rng.randint(0, 255)) for _ in range(4))


def pad_to(labels, total, rng):
    """labels (bytes) grown at the front to a wire length of exactly total."""
    cur = len(wire(labels))
    out = list(labels)
    while cur < total:
        room = total - cur - 1          # bytes a new label's text may take
        if room <= 0:
            # one byte short: lengthen an existing short label if we can
            for i, x in enumerate(out):
                if len(x) < 63:
                    out[i] = x + b"p"
                    cur += 1
                    break
            else:
                break
            continue
        ln = min(63, room)
        out.insert(0, bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz")
                            for _ in range(ln)))
        cur += ln + 1
    return out


def gen(rng, idx):
    """One case: dict(pkt, proto, sport, muts)."""
    name = base_name(rng)
    labels = to_labels(name)
    t = rng.random()
    if t < 0.75:
        qtype = rng.choice(TYPES)
    elif t < 0.88:
        qtype = rng.choice(ODD_TYPES)
    else:
        qtype = rng.randint(256, 65534)
    qclass = pick_weighted(rng, CLASSES)
    if qclass is None:
        qclass = rng.randint(5, 65535)
    qid = rng.randint(0, 65535)
    proto = "tcp" if rng.random() < 0.10 else "udp"
    sport = 0
    k = rng.choice([0, 1, 1, 2, 2, 3])
    muts = rng.sample(NAME_MUT + PKT_MUT, k) if k else []
    names = [m for m in muts if m in NAME_MUT]
    pkts = [m for m in muts if m in PKT_MUT]
    desc = []
    hdr = [qid, 0x0100, 1, 0, 0, 0]
    tail = b""            # bytes after the question (forward pointer target)
    qtail = None          # the name's wire form (None: wire(labels))
    for m in names:
        if m == "upper":
            labels = [bytes(c - 32 if 97 <= c <= 122 and rng.random() < 0.6
                            else c for c in x) for x in labels]
            desc.append("upper")
        elif m == "binlabel":
            # a label of any bytes: dots, NUL, 8-bit, spaces, upper case
            labels.insert(0, bytes(rng.choice([rng.randint(0, 255), 46, 0, 32, 65])
                                   for _ in range(rng.randint(1, 12))))
            desc.append("binlabel")
        elif m == "label63":
            labels.insert(0, rand_label(rng, 63, 63).encode())
            desc.append("label63")
        elif m == "label64":
            labels.insert(0, rand_label(rng, 64, 64).encode())
            desc.append("label64")
        elif m in ("len254", "len255", "len256"):
            labels = pad_to(labels, int(m[3:]), rng)
            desc.append("%s(%d)" % (m, len(wire(labels))))
    nw = wire(labels)
    if "labeltype" in names and len(nw) > 1:
        # a length byte of the reserved label types 0x40 / 0x80
        starts, i = [], 0
        while nw[i]:
            starts.append(i)
            i += nw[i] + 1
        i = rng.choice(starts)
        nw = nw[:i] + bytes([rng.choice([0x40, 0x41, 0x7f, 0x80, 0x81, 0xbf])]) + nw[i + 1:]
        desc.append("labeltype")
    for m in names:
        if m == "bptr":
            # the name ends in a pointer into the header
            v = rng.randint(0, 4)
            pre = wire(labels[:max(0, len(labels) - 1)])[:-1]
            if v == 0:                # ARCOUNT's low byte: 0 = the root
                hdr[5] = 0
                nw, what = pre + b"\xc0\x0b", "root@11"
            elif v == 1:              # ANCOUNT = \001 + a letter; NS hi = 0
                hdr[3] = 0x0100 | rng.choice(b"abcdefxyz")
                hdr[4] = rng.randint(0, 255)
                nw, what = pre + b"\xc0\x06", "label@6"
            elif v == 2:              # anywhere in the header
                tgt = rng.randint(0, 11)
                nw, what = pre + bytes([0xc0, tgt]), "any@%d" % tgt
            elif v == 3:              # the whole name is a pointer
                hdr[5] = 0
                nw, what = b"\xc0\x0b", "only@11"
            else:                     # two hops: ANCOUNT/NSCOUNT hold
                # "\001z" then a pointer to 11 (ARCOUNT's low byte: 0)
                hdr[3] = 0x017a
                hdr[4] = 0xc00b
                hdr[5] = 0
                nw, what = pre + b"\xc0\x06", "chain@6->11"
            desc.append("bptr:" + what)
        elif m == "loopptr":
            # a pointer into the name itself (a loop)
            off = rng.randint(0, max(0, len(nw) - 2))
            tgt = 12 + rng.randint(0, max(0, off))
            nw = nw[:-1][:max(off, 1)] + bytes([0xc0 | (tgt >> 8), tgt & 255])
            desc.append("loopptr")
        elif m == "fptr":
            # the name's last labels come after the question
            pre = wire([b"fwd%d" % idx] + labels[:max(0, len(labels) - 1)])[:-1]
            rest = wire(labels[-1:]) if labels else b"\0"
            v = rng.randint(0, 3)
            after_q = 12 + len(pre) + 2 + 4
            if v <= 1:
                tgt, tail, what = after_q, rest, "after question"
            elif v == 2:
                tgt, tail, what = after_q + 2, b"\xff\xff" + rest, "into junk"
            else:
                tgt, what = 12 + len(pre) + 2, "into qtype"
                qtype = rng.choice([1, 16, 255])   # high byte 0: the root
            nw = pre + bytes([0xc0 | (tgt >> 8), tgt & 255])
            desc.append("fptr:" + what)
    pkt = struct.pack(">HHHHHH", *hdr) + nw + struct.pack(">HH", qtype, qclass) + tail
    for m in pkts:
        if m in ("bit", "count") and len(pkt) < 12:
            desc.append(m + ":skipped")
            continue
        if m == "bit":
            b = rng.choice(["qr", "opcode", "aa", "tc", "rd", "ra", "z", "ad",
                            "cd", "rcode"])
            f = struct.unpack(">H", pkt[2:4])[0]
            f ^= {"qr": 0x8000, "aa": 0x0400, "tc": 0x0200, "rd": 0x0100,
                  "ra": 0x0080, "z": 0x0040, "ad": 0x0020, "cd": 0x0010}.get(b, 0)
            if b == "opcode":
                f = (f & ~0x7800) | (rng.randint(1, 15) << 11)
            elif b == "rcode":
                f = (f & ~0xf) | rng.randint(1, 15)
            pkt = pkt[:2] + struct.pack(">H", f) + pkt[4:]
            desc.append("bit:" + b)
        elif m == "count":
            i = rng.randint(0, 3)
            v = rng.choice([0, 1, 2, rng.randint(0, 65535)])
            pkt = pkt[:4 + 2 * i] + struct.pack(">H", v) + pkt[6 + 2 * i:]
            desc.append("count:%s=%d" % (["qd", "an", "ns", "ar"][i], v))
        elif m == "trunc":
            cut = rng.randint(0, max(0, len(pkt) - 1))
            pkt = pkt[:cut]
            desc.append("trunc@%d" % cut)
        elif m == "junk":
            pkt += bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 60)))
            desc.append("junk")
        elif m == "edns":
            opt = b"\0\0\x29" + struct.pack(">H", rng.choice([512, 1232, 4096, 65535]))
            opt += b"\0\0" + struct.pack(">H", rng.choice([0, 0x8000]))
            if rng.random() < 0.3:    # with a cookie option
                opt += struct.pack(">HHH", 12, 10, 8) + bytes(rng.randint(0, 255) for _ in range(8))
            else:
                opt += b"\0\0"
            if len(pkt) >= 12:
                ar = struct.unpack(">H", pkt[10:12])[0]
                pkt = pkt[:10] + struct.pack(">H", (ar + 1) & 0xffff) + pkt[12:]
            pkt += opt
            desc.append("edns")
        elif m == "sport":
            sport = rng.choice([53, 53, 1000, 1, 1023, rng.randint(1, 1023)])
            desc.append("sport=%d" % sport)
        elif m == "size":
            total = rng.choice([1023, 1024, 1025, rng.randint(1024, 1400), 511, 513])
            if len(pkt) < total:
                pkt += bytes(rng.randint(0, 255) for _ in range(total - len(pkt)))
            desc.append("size=%d" % len(pkt))
        elif m == "zero":
            pkt = b""
            desc.append("zero")
        elif m == "random":
            n = rng.randint(1, 80)
            pkt = bytes(rng.randint(0, 255) for _ in range(n))
            if rng.random() < 0.5:
                # a plausible header, then random bytes
                pkt = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + pkt
            desc.append("random(%d)" % len(pkt))
    return {"pkt": pkt, "proto": proto, "sport": sport,
            "desc": "%s %s type %d class %d%s" % (
                proto, name, qtype, qclass,
                (" [" + ", ".join(desc) + "]") if desc else "")}


# -------------------------------------------------------------- the logs

class Log:
    def __init__(self, path):
        self.path, self.off, self.part, self.lines = path, 0, b"", []

    def poll(self):
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.off)
                data = fh.read()
        except OSError:
            return
        self.off += len(data)
        parts = (self.part + data).split(b"\n")
        self.part = parts.pop()
        self.lines.extend(p.decode("latin-1") for p in parts)


def key(port, qid):
    return "7f000001:%04x:%04x " % (port, qid)


# ------------------------------------------------------------ one packet

class Side:
    def __init__(self, name, ip, log):
        self.name, self.ip, self.log = name, ip, log

    def reset(self):
        self.start = len(self.log.lines)
        self.reply = None
        self.state = None        # None, "accepted", "done"
        self.outcome = None
        self.serial = None
        self.closed = None


def send_udp(sides, case, marker, mport, mid, timeout):
    pkt, sport = case["pkt"], case["sport"]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", sport))
    port = s.getsockname()[1]
    qid = struct.unpack(">H", pkt[:2])[0] if len(pkt) >= 2 else None
    mq = struct.pack(">HHHHHH", mid, 0x0100, 1, 0, 0, 0) + wire([b"localhost"]) + b"\0\1\0\1"
    for sd in sides:
        sd.reset()
    for sd in sides:
        s.sendto(pkt, (sd.ip, 53))
    for sd in sides:
        marker.sendto(mq, (sd.ip, 53))
    byip = {sd.ip: sd for sd in sides}
    deadline = time.time() + timeout
    tkey = key(port, qid) if qid is not None else None
    mkey = key(mport, mid)
    while time.time() < deadline:
        r, _, _ = select.select([s, marker], [], [], 0.01)
        if s in r:
            try:
                d, a = s.recvfrom(65535)
                sd = byip.get(a[0])
                if sd is not None and sd.reply is None:
                    sd.reply = d
            except OSError:
                pass
        if marker in r:
            try:
                marker.recvfrom(65535)
            except OSError:
                pass
        for sd in sides:
            sd.log.poll()
            if sd.state == "done":
                continue
            lines = sd.log.lines[sd.start:]
            if sd.state is None:
                for ln in lines:
                    if ln.startswith("query ") and tkey and tkey in ln:
                        sd.state, sd.serial = "accepted", ln.split()[1]
                        break
                    if ln.startswith("query ") and mkey in ln:
                        sd.state, sd.outcome = "done", "dropped"
                        break
            if sd.state == "accepted":
                if sd.reply is not None:
                    sd.state, sd.outcome = "done", "reply"
                else:
                    for ln in lines:
                        f = ln.split(" ", 2)
                        if f[0] == "drop" and len(f) > 1 and f[1] == sd.serial:
                            sd.state = "done"
                            sd.outcome = "accepted, no reply (drop: %s)" % (
                                f[2] if len(f) > 2 else "")
                            break
        if all(sd.state == "done" for sd in sides):
            break
    for sd in sides:
        if sd.state != "done":
            if sd.reply is not None:
                sd.outcome = "reply (no query line in the log!)"
            elif sd.state == "accepted":
                sd.outcome = "accepted, no reply (timeout)"
            else:
                sd.outcome = "timeout (neither the packet nor the marker logged)"
    s.close()
    return port


def send_tcp(sides, case, timeout):
    pkt, sport = case["pkt"], case["sport"]
    frame = struct.pack(">H", len(pkt)) + pkt
    socks = {}
    for sd in sides:
        sd.reset()
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            c.bind(("127.0.0.1", sport))
            c.settimeout(2)
            c.connect((sd.ip, 53))
            c.sendall(frame)
        except OSError as e:
            sd.outcome, sd.state = "client error: %s" % e.strerror, "done"
        c.setblocking(False)
        socks[c] = [sd, b""]
        try:
            sd.port = c.getsockname()[1]
        except OSError:
            sd.port = 0
    deadline = time.time() + timeout
    while time.time() < deadline:
        pend = [c for c, v in socks.items() if v[0].state != "done"]
        if not pend:
            break
        r, _, _ = select.select(pend, [], [], 0.02)
        for c in r:
            sd = socks[c][0]
            try:
                x = c.recv(65537)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                sd.state, sd.closed = "done", "reset"
                continue
            if not x:
                sd.state, sd.closed = "done", "closed"
                continue
            socks[c][1] += x
            buf = socks[c][1]
            if len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
                sd.reply = buf[2:2 + struct.unpack(">H", buf[:2])[0]]
                sd.state = "done"
    # the log: was the query accepted (query line), how did it end
    for sd in sides:
        if sd.outcome is not None:
            continue
        if sd.reply is not None:
            sd.outcome = "reply"
            continue
        if sd.state != "done":
            sd.outcome = "timeout (connection open)"
            continue
        pk = "7f000001:%04x" % sd.port
        logged = "no query logged"
        end = time.time() + 0.3
        while time.time() < end:
            sd.log.poll()
            lines = sd.log.lines[sd.start:]
            q = [ln for ln in lines if ln.startswith("query ") and pk + ":" in ln]
            closed = [ln for ln in lines if ln.startswith("tcpclose ") and pk + " " in ln]
            if q:
                ser = q[0].split()[1]
                dl = [ln for ln in lines if ln.startswith("drop %s " % ser)]
                logged = "query logged"
                if dl:
                    logged = "query logged, drop: %s" % dl[0].split(" ", 2)[2]
                    break
            elif closed:
                break
            time.sleep(0.01)
        # FIN or RST: a server that closes with the client's query unread
        # sends RST, so which one comes depends on timing only
        sd.outcome = "connection closed (%s)" % logged
        sd.how_closed = sd.closed
    for c in socks:
        c.close()


# --------------------------------------------------- replies and compare

def skipname(b, pos):
    while True:
        if pos >= len(b):
            raise IndexError
        c = b[pos]
        if c >= 192:
            return pos + 2
        if c == 0:
            return pos + 1
        pos += c + 1


def norm(d):
    """The reply with every TTL of 1..604800 replaced by ffffffff."""
    b = bytearray(d)
    if len(b) < 12:
        return bytes(b)
    qd, an, ns, ar = struct.unpack(">HHHH", b[4:12])
    pos = 12
    try:
        for _ in range(qd):
            pos = skipname(b, pos) + 4
        for _ in range(an + ns + ar):
            pos = skipname(b, pos)
            if pos + 10 > len(b):
                break
            ttl = struct.unpack(">I", b[pos + 4:pos + 8])[0]
            if 0 < ttl <= 604800:
                b[pos + 4:pos + 8] = b"\xff\xff\xff\xff"
            pos += 10 + struct.unpack(">H", b[pos + 8:pos + 10])[0]
    except IndexError:
        pass
    return bytes(b)


def records(d):
    """Order-insensitive form of a reply, or None if it does not parse."""
    try:
        m = dns.message.from_wire(d)
    except (dns.exception.DNSException, ValueError, IndexError):
        return None
    out = [d[:12].hex()]
    out += ["q %s %d %d" % (q.name.to_text(), q.rdtype, q.rdclass) for q in m.question]
    for sec, rrsets in (("an", m.answer), ("ns", m.authority), ("ar", m.additional)):
        recs = []
        for rr in rrsets:
            t = "T" if 0 < rr.ttl <= 604800 else str(rr.ttl)
            for rd in rr:
                recs.append("%s %s %d %d %s %s" % (sec, rr.name.to_text(), rr.rdtype,
                                                   rr.rdclass, t, rd.to_text()))
        out += sorted(recs)
    return out


def show(sd):
    if sd.reply is None:
        return [sd.outcome + (" [%s]" % sd.closed if sd.closed else "")]
    d = sd.reply
    out = ["%s: %d bytes %s" % (sd.outcome, len(d), d.hex())]
    if len(d) >= 12:
        out.append("  header: id=%04x flags=%04x qd=%d an=%d ns=%d ar=%d" %
                   struct.unpack(">HHHHHH", d[:12]))
    r = records(d)
    if r:
        out += ["  " + x for x in r[1:]]
    return out


def edns_strip(d):
    """Our reply without the OPT record it ends with (SPEC 4.2: 11 bytes,
    root owner, type 41, the one additional record), and that OPT; or
    (None, None) if it has none."""
    if len(d) >= 23 and d[-11:-8] == b"\0\0\x29" and d[10:12] == b"\0\1":
        return d[:10] + b"\0\0" + d[12:-11], d[-11:]
    return None, None


def localhost6(ours, orig):
    """1 if ours is the original's empty NOERROR answer to a localhost
    AAAA question with the one record SPEC 4.1 adds: AAAA ::1."""
    if len(orig) < 12 or len(ours) != len(orig) + 28 or orig[6:12] != b"\0\0\0\0\0\0":
        return False
    m = records(orig)
    if not m or len(m) != 2 or m[1].split()[1].lower() != "localhost." or m[1].split()[2] != "28":
        return False
    rec = ours[len(orig):]
    return (ours[:6] == orig[:6] and ours[6:12] == b"\0\1\0\0\0\0"
            and ours[12:len(orig)] == orig[12:] and rec[:6] == b"\xc0\x0c\0\x1c\0\1"
            and rec[10:] == b"\0\x10" + b"\0" * 15 + b"\1")


def classify_edns(a, b):
    """For a reply of ours that carries an OPT (the query had one: SPEC
    4.2), the intended difference it shows, or None if it shows none."""
    stripped, opt = edns_strip(a.reply)
    if stripped is None or opt[3:5] != b"\x04\xd0" or opt[6:] != b"\0\0\0\0\0":
        return None
    rcode = opt[5] << 4 | stripped[3] & 15
    if rcode in (1, 16) and stripped[6:8] == b"\0\0":
        return ("intended", "EDNS (SPEC 4.2): %s with an OPT" % ("BADVERS" if rcode == 16 else "FORMERR"))
    na, nb = norm(stripped), norm(b.reply)
    if na == nb:
        return ("intended", "EDNS (SPEC 4.2): the same reply with an OPT")
    if localhost6(stripped, b.reply):
        return ("intended", "EDNS (SPEC 4.2) and localhost AAAA ::1 (SPEC 4.1)")
    if (len(na) == len(nb) >= 12 and na[:6] == nb[:6] and na[8:] == nb[8:]
            and na[2] & 2 and na[6:8] == b"\0\0"):
        return ("intended", "EDNS (SPEC 4.2): decision 4 with an OPT")
    if nb[2] & 2 and not na[2] & 2 and len(a.reply) <= 1232 and len(na) > len(nb):
        return ("intended", "EDNS (SPEC 4.2): more than 512 bytes over UDP, not truncated")
    return None


def classify(case, a, b):
    """None if the same, ("same-order", ...), ("intended", why) or
    ("differ", None).  a: ours, b: the original."""
    if a.reply is None and b.reply is None:
        return None if a.outcome == b.outcome else ("differ", None)
    if a.reply is not None and b.reply is not None:
        na, nb = norm(a.reply), norm(b.reply)
        if na == nb:
            return None
        e = classify_edns(a, b)
        if e:
            return e
        if localhost6(a.reply, b.reply):
            return ("intended", "localhost AAAA ::1 (SPEC 4.1; 1.05 answers it empty)")
        # decision 4: TC with ANCOUNT 0 (the original keeps ANCOUNT)
        if (len(na) == len(nb) >= 12 and na[:6] == nb[:6] and na[8:] == nb[8:]
                and na[2] & 2 and na[6:8] == b"\0\0" and nb[6:8] != b"\0\0"):
            return ("intended", "decision 4 (UDP truncation: TC with ANCOUNT 0; "
                    "the original keeps ANCOUNT %d)" % struct.unpack(">H", nb[6:8])[0])
        ra, rb = records(a.reply), records(b.reply)
        if ra is not None and ra == rb and len(na) == len(nb):
            return ("same-order", None)
        return ("differ", None)
    return ("differ", None)


# ----------------------------------------------------------------- warm

def warm(sides, timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    bad = []
    for i, (name, qtype) in enumerate(WARM):
        q = struct.pack(">HHHHHH", 0x7000 + i, 0x0100, 1, 0, 0, 0) + \
            wire(to_labels(name)) + struct.pack(">HH", qtype, 1)
        got = set()
        for sd in sides:
            s.sendto(q, (sd.ip, 53))
        end = time.time() + timeout
        while len(got) < len(sides) and time.time() < end:
            r, _, _ = select.select([s], [], [], 0.1)
            if r:
                d, a = s.recvfrom(65535)
                if d[:2] == q[:2]:
                    got.add(a[0])
        if len(got) < len(sides):
            bad.append(name)
    s.close()
    return bad


# ----------------------------------------------------------------- main

def main(argv):
    opts = {"--timeout": "4", "--block": "25", "--verbose": "0"}
    for i in range(0, len(argv), 2):
        opts[argv[i]] = argv[i + 1]
    seed, n = opts["--seed"], int(opts["--n"])
    timeout, block = float(opts["--timeout"]), int(opts["--block"])
    verbose = opts["--verbose"] != "0"
    ours = Side("ours", opts["--ours"], Log(opts["--ours-log"]))
    orig = Side("original", opts["--orig"], Log(opts["--orig-log"]))
    sides = [ours, orig]
    bad = warm(sides)
    if bad:
        print("FAIL: warming: no reply for %s" % " ".join(bad))
    else:
        print("PASS: warming: %d names cached by both" % len(WARM))
    rng = random.Random(seed)
    cases = [gen(rng, i + 1) for i in range(n)]
    marker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    marker.bind(("127.0.0.1", 0))
    mport = marker.getsockname()[1]
    print("# packets: %d (%d over TCP), each sent to both daemons" % (
        n, len([c for c in cases if c["proto"] == "tcp"])))
    sys.stdout.flush()
    counts = {"same": 0, "same-order": 0, "intended": 0, "differ": 0}
    kinds = {"reply": 0, "silent": 0}
    intended = {}
    t0 = time.time()
    for start in range(0, n, block):
        diffs, notes = [], []
        for j in range(start, min(n, start + block)):
            case = cases[j]
            if case["proto"] == "udp":
                send_udp(sides, case, marker, mport, (0x8000 + j) & 0xffff, timeout)
            else:
                send_tcp(sides, case, timeout)
            c = classify(case, ours, orig)
            kinds["reply" if ours.reply is not None or orig.reply is not None else "silent"] += 1
            desc = "#%d %s" % (j + 1, case["desc"])
            if verbose:
                print("# %s %s: ours %s | original %s" % (
                    "same" if c is None else c[0], desc, " / ".join(show(ours)),
                    " / ".join(show(orig))))
            if c is None:
                counts["same"] += 1
                continue
            kind, why = c
            counts[kind] += 1
            if kind == "same-order":
                continue
            if kind == "intended":
                k = why.split(" (")[0]
                intended[k] = intended.get(k, 0) + 1
                notes.append("%s: %s" % (desc, why))
                continue
            # gather the log lines up to the end of the query (a moment)
            time.sleep(0.2)
            detail = ["packet (%d bytes, source port %s): %s" % (
                len(case["pkt"]), case["sport"] or "any", case["pkt"].hex())]
            for sd in sides:
                sd.log.poll()
                detail.append("%s:" % sd.name)
                detail += ["  " + x for x in show(sd)]
            for sd in sides:
                detail.append("%s' log:" % sd.name)
                detail += ["  " + x for x in sd.log.lines[sd.start:sd.start + 12]]
            diffs.append((desc, detail))
        what = "packets %d-%d" % (start + 1, min(n, start + block))
        randreport.block(what, notes, diffs)
    marker.close()
    print("# figure: %d packets in %.1f s: %d same (%d only in record order), "
          "%d intended differences, %d differ; %d answered by some daemon, "
          "%d by neither" % (n, time.time() - t0, counts["same"] + counts["same-order"],
                             counts["same-order"], counts["intended"], counts["differ"],
                             kinds["reply"], kinds["silent"]))
    for k in sorted(intended):
        print("# intended: %s: %d" % (k, intended[k]))
    return 1 if counts["differ"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
