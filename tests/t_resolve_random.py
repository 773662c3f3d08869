#!/usr/bin/env python3
"""t_resolve_random.py: the randomized differential test driven by
tests/t_resolve_random.sh.  Not meant to be run by hand (the .sh starts
the fakenet and the two caches).

  t_resolve_random.py --ours IP --orig IP --ours-log F --orig-log F
                      --data DIR --seed S --n N [--timeout S] [--block K]
                      [--verbose 1]

Builds a list of N queries from the fakenet's tinydns data (DIR/*.data)
with a PRNG seeded with S (the same S gives the same list), sends each to
both caches at the same moment (one query at a time, in list order), and
compares the normalised replies; then the whole list again (from cache).
A query neither cache answers is over as soon as both logs show its
"drop" line (or after --timeout seconds).

Output: one "PASS: ..." / "FAIL: ..." line per block of K queries, every
difference in full (indented, with both caches' log lines), "# note:"
lines for classified intended differences, and a "# figure:" line.
Exit status 1 if anything differed.
"""

import os
import random
import select
import socket
import struct
import sys
import time

import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype

import randreport  # tests/randreport.py, beside this file

# --- the candidate names -----------------------------------------------

# Names whose resolution waits on dead or misbehaving servers (60 s retry
# schedules, README "dead", "badserver"): never asked.
EXCLUDE_SUFFIX = ("bad.test", "dead.test", "deadtld")
EXCLUDE_EXACT = ("cdead.test", "cbad.test")

TYPES = ["A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "ANY"]
TYPENUM = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
           "TXT": 16, "AAAA": 28, "SRV": 33, "ANY": 255}
# a few odd small numbers besides random big ones (252 = AXFR: dropped)
ODD_TYPES = [0, 13, 17, 99, 251, 252, 253, 254]


def excluded(name):
    n = name.lower().rstrip(".")
    if n in EXCLUDE_EXACT:
        return True
    for s in EXCLUDE_SUFFIX:
        if n == s or n.endswith("." + s):
            return True
    return False


def parse_data(datadir):
    """owner -> {"types": set of qtype numbers, "ttls": list of TTLs}"""
    owners = {}

    def add(name, t, ttl):
        name = name.lower().rstrip(".")
        if not name:
            name = "."
        o = owners.setdefault(name, {"types": set(), "ttls": []})
        if t:
            o["types"].add(t)
        if ttl is not None:
            o["ttls"].append(ttl)

    def num(f, i):
        try:
            return int(f[i])
        except (IndexError, ValueError):
            return None

    for fn in sorted(os.listdir(datadir)):
        if not fn.endswith(".data"):
            continue
        with open(os.path.join(datadir, fn)) as fh:
            for line in fh:
                line = line.rstrip("\n")
                if not line or line[0] == "#":
                    continue
                c, f = line[0], line[1:].split(":")
                owner = f[0]
                if c in "+=":
                    add(owner, 1, num(f, 2))
                elif c in "&.":
                    add(owner, 2, num(f, 3))
                    if c == ".":
                        add(owner, 6, None)
                    if len(f) > 2 and "." in f[2] and len(f) > 1 and f[1]:
                        add(f[2], 1, num(f, 3))
                elif c == "Z":
                    add(owner, 6, num(f, 8))
                elif c == "@":
                    add(owner, 15, num(f, 4))
                    if len(f) > 2 and "." in f[2] and f[1]:
                        add(f[2], 1, num(f, 4))
                elif c == "'":
                    add(owner, 16, num(f, 2))
                elif c == "^":
                    add(owner, 12, num(f, 2))
                elif c == "C":
                    add(owner, 5, num(f, 2))
                elif c == ":":
                    add(owner, num(f, 1), num(f, 3))
    return owners


def randcase(rng, name):
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower()
                   for ch in name)


def rand_label(rng):
    return "zz" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                          for _ in range(rng.randint(3, 8)))


def odd_label(rng):
    k = rng.random()
    if k < 0.3:                      # the longest label
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz-")
                       for _ in range(63))
    # any bytes (\DDD escapes: dots, spaces, NUL, 8-bit, upper case)
    out = []
    for _ in range(rng.randint(1, 12)):
        c = rng.choice([rng.randint(0, 255), rng.choice(b"aZ.-_ *\\\"")])
        out.append("\\%03d" % c)
    return "".join(out)


def odd_name(rng, name):
    labels = [] if name == "." else [name]
    if rng.random() < 0.3:
        # near the 255-byte limit: 63-byte labels until one more won't fit
        total = len(name) + 2
        while total + 64 <= 255:
            labels.insert(0, "x" * 63)
            total += 64
        return ".".join(labels)
    labels.insert(0, odd_label(rng))
    return ".".join(labels)


def local_name(rng):
    return rng.choice([
        "localhost", "LocalHost", "LOCALHOST", "1.0.0.127.in-addr.arpa",
        "1.0.0.127.IN-ADDR.ARPA", "localhost.test", "2.0.0.127.in-addr.arpa",
    ])


def quad_name(rng):
    k = rng.random()
    q = [rng.randint(0, 255) for _ in range(4)]
    if k < 0.6:
        return ".".join(map(str, q))                 # a valid dotted quad
    if k < 0.7:
        return "0%d.%d.%d.%d" % tuple(q)             # leading zero
    if k < 0.8:
        return "%d.%d.%d.%d" % (256 + q[0], q[1], q[2], q[3])  # > 255
    if k < 0.9:
        return "%d.%d.%d" % tuple(q[:3])             # three labels
    return "%d.%d.%d.%d.%d" % (q[0], q[1], q[2], q[3], rng.randint(0, 255))


def make_queries(rng, owners, n):
    bases = sorted(o for o in owners if not excluded(o))
    queries = []
    while len(queries) < n:
        base = rng.choice(bases)
        info = owners[base]
        k = rng.random()
        name = base
        how = "name"
        if "*" in name.split("."):
            if rng.random() < 0.8:
                name = name.replace("*", rand_label(rng), 1)
        if k < 0.35:
            pass
        elif k < 0.50:
            name, how = randcase(rng, name), "case"
        elif k < 0.65:
            name = rand_label(rng) + ("" if name == "." else "." + name)
            how = "nx-label"
        elif k < 0.75:
            labels = name.split(".")
            name = ".".join(labels[1:]) if len(labels) > 1 and name != "." else "."
            how = "parent"
        elif k < 0.84:
            name, how = local_name(rng), "local"
        elif k < 0.93:
            name, how = quad_name(rng), "quad"
        else:
            name, how = odd_name(rng, name), "odd"
        if how != "case" and rng.random() < 0.2:
            name = randcase(rng, name)
            how += "+case"
        if excluded(name):
            continue
        t = rng.random()
        if t < 0.4 and how in ("name", "case") and info["types"]:
            qtype = rng.choice(sorted(info["types"]))
        elif t < 0.9:
            qtype = TYPENUM[rng.choice(TYPES)]
        elif rng.random() < 0.7:
            qtype = rng.randint(256, 65279)
        else:
            qtype = rng.choice(ODD_TYPES)
        proto = "tcp" if rng.random() < 0.15 else "udp"
        qclass = 255 if rng.random() < 0.05 else 1
        queries.append((name if name != "" else ".", qtype, proto, how, qclass))
    return queries


# --- the daemons' logs -------------------------------------------------

class Log:
    """Incremental reader of a dnscache log file."""

    def __init__(self, path):
        self.path = path
        self.off = 0
        self.part = b""
        self.lines = []

    def poll(self):
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.off)
                data = fh.read()
        except OSError:
            return
        self.off += len(data)
        data = self.part + data
        parts = data.split(b"\n")
        self.part = parts.pop()
        self.lines.extend(p.decode("latin-1") for p in parts)

    def find_query(self, start, ip, port, qid):
        """(serial, index) of the "query" line for this client, or None."""
        key = "%s:%04x:%04x " % (ip_hex(ip), port, qid)
        for i in range(start, len(self.lines)):
            ln = self.lines[i]
            if ln.startswith("query ") and key in ln:
                return ln.split()[1], i
        return None

    def end_of(self, serial, start):
        """("sent"|"drop", text, index) for query serial, or None."""
        for i in range(start, len(self.lines)):
            f = self.lines[i].split(" ", 2)
            if len(f) >= 2 and f[1] == serial and f[0] in ("sent", "drop"):
                return f[0], " ".join(f[2:]), i
        return None


def ip_hex(ip):
    return "".join("%02x" % int(x) for x in ip.split("."))


# --- one query ---------------------------------------------------------

class Side:
    def __init__(self, server, log, name, qtype, qclass, proto, srng):
        self.server, self.log, self.proto = server, log, proto
        self.qid = srng.randint(0, 65535)
        q = dns.message.make_query(name, qtype, qclass)
        q.id = self.qid
        self.wire = q.to_wire()
        self.data = None
        self.done = False
        self.how = None          # "reply", "drop: err", "timeout", "closed"
        self.buf = b""
        self.logstart = len(log.lines)
        self.serial = None
        self.loglines = []
        if proto == "udp":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.connect((server, 53))
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.sock.settimeout(2)
            self.sock.connect((server, 53))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def send(self):
        if self.proto == "udp":
            self.sock.send(self.wire)
        else:
            self.sock.setblocking(True)
            self.sock.sendall(struct.pack(">H", len(self.wire)) + self.wire)
            self.sock.setblocking(False)

    def readable(self):
        try:
            x = self.sock.recv(65535)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.finish("error: %s" % e.strerror)
            return
        if self.proto == "udp":
            if len(x) >= 2 and x[:2] == self.wire[:2]:
                self.data = x
                self.finish("reply")
            return
        if not x:
            self.finish("closed")
            return
        self.buf += x
        if len(self.buf) >= 2:
            ln = struct.unpack(">H", self.buf[:2])[0]
            if len(self.buf) >= 2 + ln:
                self.data = self.buf[2:2 + ln]
                self.finish("reply")

    def check_log(self):
        if self.serial is None:
            r = self.log.find_query(self.logstart, self.sock_ip(),
                                    self.port, self.qid)
            if r is None:
                return
            self.serial, self.logstart = r
        e = self.log.end_of(self.serial, self.logstart)
        if e is None:
            return
        self.loglines = self.log.lines[self.logstart:e[2] + 1]
        if e[0] == "drop" and not self.done:
            self.finish("drop: " + e[1])

    def sock_ip(self):
        try:
            return self.sock.getsockname()[0]
        except OSError:
            return "0.0.0.0"

    def finish(self, how):
        if not self.done:
            self.done, self.how = True, how


def ask(ours, orig, q, timeout, srng):
    name, qtype, proto, how, qclass = q
    sides = [Side(ours[0], ours[1], name, qtype, qclass, proto, srng),
             Side(orig[0], orig[1], name, qtype, qclass, proto, srng)]
    for s in sides:
        s.send()
    deadline = time.time() + timeout
    while True:
        pend = [s for s in sides if not s.done]
        if not pend:
            break
        left = deadline - time.time()
        if left <= 0:
            for s in pend:
                s.finish("timeout")
            break
        r, _, _ = select.select([s.sock for s in pend], [], [], min(left, 0.02))
        for s in pend:
            if s.sock in r:
                s.readable()
        for s in sides:
            s.log.poll()
            if not s.done:
                s.check_log()
    # the log lines up to "sent"/"drop" (give the logs a moment)
    end = time.time() + 0.3
    for s in sides:
        while not s.loglines and time.time() < end:
            s.log.poll()
            s.check_log()
            if not s.loglines:
                time.sleep(0.005)
        s.sock.close()
    return sides


# --- normalising and comparing -----------------------------------------

FLAGBITS = [(0x8000, "qr"), (0x0400, "aa"), (0x0200, "tc"), (0x0100, "rd"),
            (0x0080, "ra"), (0x0040, "z"), (0x0020, "ad"), (0x0010, "cd")]


class Reply:
    """header: the compared header line; recs: [(key, ttl)] where key is
    "section: owner TYPE rdata"; bad: parse error or None."""

    def __init__(self, side):
        self.how = side.how
        # a silent end: the "drop" log line says why (a TCP connection is
        # closed when its query is dropped; that EOF may come first)
        if side.how != "reply" and side.loglines:
            f = side.loglines[-1].split(" ", 2)
            if f[0] == "drop" and len(f) == 3:
                self.how = "drop: " + f[2]
        self.header = None
        self.recs = []
        self.bad = None
        self.an = 0
        self.tc = False
        self.rcode = None
        if side.how != "reply":
            return
        d = side.data
        if len(d) < 12:
            self.header = "short reply (%d bytes)" % len(d)
            return
        flags, qd, an, ns, ar = struct.unpack(">HHHHH", d[2:12])
        op = (flags >> 11) & 15
        self.an, self.tc, self.rcode = an, bool(flags & 0x200), flags & 15
        self.header = "rcode=%s opcode=%d flags=%s qd=%d an=%d ns=%d ar=%d" % (
            dns.rcode.to_text(flags & 15), op,
            ",".join(n for b, n in FLAGBITS if flags & b) or "-", qd, an, ns, ar)
        try:
            m = dns.message.from_wire(d)
        except dns.exception.DNSException as e:
            self.bad = "unparsable: %s" % e.__class__.__name__
            return
        for q in m.question:
            self.recs.append(("question: %s %s %s" % (
                q.name, dns.rdatatype.to_text(q.rdtype), q.rdclass), None))
        for sec, rrsets in (("answer", m.answer), ("authority", m.authority),
                            ("additional", m.additional)):
            for rrset in rrsets:
                for rd in rrset:
                    self.recs.append(("%s: %s %s %s" % (
                        sec, rrset.name, dns.rdatatype.to_text(rrset.rdtype),
                        rd.to_text()), rrset.ttl))

    def norm(self, ttls=True):
        if self.how != "reply":
            # no reply: the drop reasons are compared; a timeout on either
            # side counts as the same as any other silence (see classify)
            return ["no reply (%s)" % self.how]
        out = [self.header]
        if self.bad:
            out.append(self.bad)
        recs = []
        for k, ttl in self.recs:
            if ttl is None:
                recs.append(k)
            elif ttls:
                # T: 1..604800 (the cap); 0 and anything above the cap
                # (655360: local names) are compared exactly
                recs.append("%s ttl=%s" % (
                    k, "T" if 0 < ttl <= 604800 else str(ttl)))
            else:
                recs.append(k)
        return out + sorted(recs)

    def text(self):
        if self.how != "reply":
            return ["no reply (%s)" % self.how]
        out = [self.header] + ([self.bad] if self.bad else [])
        out += sorted(k if t is None else "%s ttl=%d" % (k, t)
                      for k, t in self.recs)
        return out


def owner_of(key):
    # "answer: owner TYPE rdata"
    return key.split()[1].lower().rstrip(".")


def classify(q, a, b, owners):
    """None if the same; else (kind, text) where kind is "intended",
    "timing" or "differ"."""
    if a.norm() == b.norm():
        return None
    if (a.how != "reply" and b.how != "reply"
            and "timeout" in (a.how, b.how)):
        return None
    name, qtype, proto, how, qclass = q
    # decision 4: a UDP answer over 512 bytes: TC, no answers, ANCOUNT 0;
    # 1.05/Debian leave ANCOUNT at its old value (so it does not parse).
    if (proto == "udp" and a.how == "reply" and b.how == "reply"
            and a.tc and b.tc and a.rcode == b.rcode and a.an == 0
            and not a.bad and b.an > 0
            and not [k for k, t in a.recs if t is not None]
            and (b.bad or not [k for k, t in b.recs if t is not None])):
        return ("intended", "decision 4 (UDP truncation: TC with ANCOUNT 0; "
                "the original keeps ANCOUNT %d)" % b.an)
    # SPEC 4.1: localhost AAAA is ::1 (TTL 655360), 1.05 answers it empty
    if (qtype == 28 and name.lower().rstrip(".") == "localhost"
            and a.how == "reply" and b.how == "reply" and not a.bad and not b.bad
            and a.rcode == b.rcode == 0 and b.an == 0 and a.an == 1):
        extra = [r for r in a.recs if r[0].startswith("answer: ")]
        rest = [r for r in a.recs if not r[0].startswith("answer: ")]
        if (len(extra) == 1 and extra[0][0].lower() == "answer: localhost. aaaa ::1"
                and extra[0][1] in (655360, 0) and sorted(rest) == sorted(b.recs)
                and a.header == b.header.replace(" an=0 ", " an=1 ")):
            return ("intended", "localhost AAAA ::1 (SPEC 4.1; 1.05 answers it empty)")
    if a.how == "reply" and b.how == "reply" and a.norm(False) == b.norm(False):
        # only TTLs differ (0 against not 0): look at each such record
        ta = {}
        tb = {}
        for k, t in a.recs:
            ta.setdefault(k, []).append(t)
        for k, t in b.recs:
            tb.setdefault(k, []).append(t)
        kinds = set()
        for k in ta:
            if k not in tb or ta[k] is None:
                continue
            for x, y in zip(sorted(ta[k]), sorted(tb[k])):
                if x == y or (0 < x <= 604800 and 0 < y <= 604800):
                    continue
                src = owners.get(owner_of(k), {}).get("ttls", [])
                if 0 < x <= 604800 and y == 0 and src and all(
                        1000000000 < s <= 2147483647 for s in src):
                    kinds.add("d1")
                elif src and max(src) <= 5 and x <= 5 and y <= 5:
                    # 0 on one side only
                    kinds.add("timing")
                else:
                    kinds.add("other")
        if kinds == {"d1"}:
            return ("intended", "decision 1 (TTL above 1000000000 but not "
                    "above 2147483647: capped to 604800, 1.05 gives 0)")
        if kinds == {"timing"}:
            return ("timing", "a TTL of at most 5 s counting down in the "
                    "cache reached 0 on one side only (whole-second clocks "
                    "ticking at different moments: ours CLOCK_MONOTONIC, "
                    "the original the wall clock)")
    return ("differ", None)


# --- main ----------------------------------------------------------------

def main(argv):
    opts = {"--timeout": "3", "--block": "25"}
    i = 0
    while i < len(argv):
        opts[argv[i]] = argv[i + 1]
        i += 2
    seed = opts["--seed"]
    n = int(opts["--n"])
    timeout = float(opts["--timeout"])
    block = int(opts["--block"])
    verbose = opts.get("--verbose", "0") != "0"
    owners = parse_data(opts["--data"])
    rng = random.Random(seed)
    queries = make_queries(rng, owners, n)
    srng = random.Random()          # IDs: not part of the replayed list
    ours = (opts["--ours"], Log(opts["--ours-log"]))
    orig = (opts["--orig"], Log(opts["--orig-log"]))
    ncand = len([o for o in owners if not excluded(o)])
    print("# candidates: %d owner names (%d excluded: dead/bad servers)" % (
        ncand, len(owners) - ncand))
    print("# queries: %d (%d over TCP), each asked twice (cold, then from cache)"
          % (len(queries), len([q for q in queries if q[2] == "tcp"])))
    sys.stdout.flush()
    counts = {"same": 0, "intended": 0, "timing": 0, "differ": 0}
    intended = {}
    bothsilent = 0
    t0 = time.time()
    for pas in (1, 2):
        for start in range(0, len(queries), block):
            blk = queries[start:start + block]
            diffs = []
            notes = []
            for j, q in enumerate(blk):
                idx = start + j + 1
                name, qtype, proto, how, qclass = q
                sides = ask(ours, orig, q, timeout, srng)
                a, b = Reply(sides[0]), Reply(sides[1])
                if a.how != "reply" and b.how != "reply":
                    bothsilent += 1
                c = classify(q, a, b, owners)
                desc = "pass %d #%d: %s%s %s %s (%s)" % (
                    pas, idx, dns.rdatatype.to_text(qtype) if qtype else "0",
                    "" if qclass == 1 else " class %d" % qclass,
                    name, proto, how)
                if verbose:
                    print("# %s pass %d #%d %s/%d %s %s (%s): %s | %s" % (
                        "same" if c is None else c[0], pas, idx, qtype, qclass,
                        name, proto, how, " / ".join(a.text()), " / ".join(b.text())))
                if c is None:
                    counts["same"] += 1
                    continue
                kind, why = c
                counts[kind] += 1
                detail = ["ours:"] + ["  " + x for x in a.text()] + \
                    ["original:"] + ["  " + x for x in b.text()]
                if kind == "differ":
                    detail += ["ours' log:"] + ["  " + x for x in sides[0].loglines]
                    detail += ["original's log:"] + ["  " + x for x in sides[1].loglines]
                    diffs.append((desc, detail))
                else:
                    key = why.split(" (")[0]
                    intended[key] = intended.get(key, 0) + 1
                    notes.append("%s: %s: %s" % (desc, kind, why))
            what = "pass %d (%s), queries %d-%d" % (
                pas, "cold" if pas == 1 else "cached", start + 1,
                start + len(blk))
            randreport.block(what, notes, diffs)
    total = sum(counts.values())
    print("# figure: %d queries compared (%d x 2 passes) in %.1f s: %d same "
          "(%d of them no reply from either), %d intended differences, %d "
          "timing, %d differ" % (total, len(queries), time.time() - t0,
                                counts["same"], bothsilent,
                                counts["intended"], counts["timing"],
                                counts["differ"]))
    for k in sorted(intended):
        print("# intended/timing: %s: %d" % (k, intended[k]))
    return 1 if counts["differ"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
