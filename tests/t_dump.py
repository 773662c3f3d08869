#!/usr/bin/env python3
"""t_dump.py: the query side of tests/t_dump.sh.

  t_dump.py fill SERVER PREFIX N
        resolves PREFIX0.wild.test .. PREFIX<N-1>.wild.test (A), 100 at a
        time; prints "answered K"
  t_dump.py ask SERVER NAMESFILE OUT
        asks each name of NAMESFILE (A) once and writes
        "name rcode addresses ttl" lines (rcode "timeout" if none came)
  t_dump.py compare BEFORE AFTER SECONDS
        PASS/FAIL: every name of BEFORE answered in AFTER with the same
        rcode and addresses, its TTL lower by SECONDS or less (and never
        higher)
  t_dump.py flood SERVER NAMESFILE PID LOG SECONDS
        keeps 20 queries in flight for the names of NAMESFILE (all
        cached) for SECONDS; after 1 s sends SIGALRM to PID, then waits
        for a new "dump N BYTES" line in LOG.  PASS/FAIL: answers kept
        coming while the dump was written; "# figure:" lines give the
        dump's duration, the answers in that window and the longest gap
        between two answers.
"""
import os
import select
import signal
import socket
import struct
import sys
import time

import dns.message
import dns.rcode
import dns.rdatatype


def query(name, qid):
    q = dns.message.make_query(name, "A")
    q.id = qid
    return q.to_wire()


def parse(wire):
    m = dns.message.from_wire(wire)
    ips, ttl = [], None
    for rrset in m.answer:
        if rrset.rdtype == dns.rdatatype.A:
            ips += sorted(r.address for r in rrset)
            ttl = rrset.ttl
    return m.id, dns.rcode.to_text(m.rcode()), ",".join(ips) or "-", ttl if ttl is not None else -1


def ask_all(server, names, inflight=100, timeout=3.0, tries=3):
    """{name: (rcode, ips, ttl)}, asking up to inflight at once"""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    # popped from the end: the first name is asked first
    results, pending, todo = {}, {}, [(n, 0) for n in reversed(names)]
    qid = 0
    while todo or pending:
        while todo and len(pending) < inflight:
            name, tried = todo.pop()
            qid = (qid + 1) & 0xffff
            s.sendto(query(name, qid), (server, 53))
            pending[qid] = (name, tried, time.monotonic())
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            data, _ = s.recvfrom(65535)
            try:
                mid, rcode, ips, ttl = parse(data)
            except Exception:
                continue
            if mid in pending:
                name = pending.pop(mid)[0]
                results[name] = (rcode, ips, ttl)
        now = time.monotonic()
        for mid, (name, tried, sent) in list(pending.items()):
            if now - sent > timeout:
                del pending[mid]
                if tried + 1 < tries:
                    todo.append((name, tried + 1))
                else:
                    results[name] = ("timeout", "-", -1)
    return results


def fill(server, prefix, n):
    names = ["%s%d.wild.test" % (prefix, i) for i in range(n)]
    res = ask_all(server, names)
    print("answered", sum(1 for v in res.values() if v[0] == "NOERROR" and v[1] != "-"))


def ask(server, namesfile, out):
    with open(namesfile) as f:
        names = [line.split()[0] for line in f if line.strip()]
    res = ask_all(server, names)
    with open(out, "w") as f:
        for name in names:
            rcode, ips, ttl = res[name]
            f.write("%s %s %s %d\n" % (name, rcode, ips, ttl))


def load(path):
    with open(path) as f:
        return {w[0]: (w[1], w[2], int(w[3])) for w in (line.split() for line in f)}


def compare(before, after, seconds):
    b, a = load(before), load(after)
    bad = []
    for name, (rcode, ips, ttl) in sorted(b.items()):
        got = a.get(name)
        if not got or got[0] != rcode or got[1] != ips or not (ttl - seconds <= got[2] <= ttl):
            bad.append("%s: before %s %s %d, after %s" % (name, rcode, ips, ttl, got))
    label = "%d names answered alike after the reload, TTLs lower by at most %d s" % (len(b), seconds)
    if bad or not b:
        print("FAIL: %s" % label)
        for line in bad[:10]:
            print("  " + line)
        print("  (%d differ)" % len(bad))
    else:
        print("PASS: %s" % label)


class LogWatch:
    """counts "dump N BYTES" lines of a growing log, reading only what is new"""

    def __init__(self, path):
        self.path, self.pos, self.rest, self.count = path, 0, b"", 0

    def dumps(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return self.count
        self.pos += len(data)
        lines = (self.rest + data).split(b"\n")
        self.rest = lines.pop()
        for line in lines:
            w = line.split()
            if len(w) == 3 and w[0] == b"dump" and w[1].isdigit():
                self.count += 1
        return self.count


def flood(server, namesfile, pid, log, seconds):
    with open(namesfile) as f:
        names = [line.split()[0] for line in f if line.strip()]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    wires = [query(n, 0)[2:] for n in names[:5000]]
    answers, pending, qid, i = [], {}, 0, 0
    start = time.monotonic()
    watch = LogWatch(log)
    dumps0 = watch.dumps()
    signalled = done = None
    lastcheck = 0
    while time.monotonic() - start < seconds and not (done and time.monotonic() - done > 0.5):
        now = time.monotonic()
        while len(pending) < 20:
            qid = (qid + 1) & 0xffff
            s.sendto(struct.pack(">H", qid) + wires[i % len(wires)], (server, 53))
            pending[qid] = now
            i += 1
        r, _, _ = select.select([s], [], [], 0.05)
        if r:
            data, _ = s.recvfrom(65535)
            mid = struct.unpack(">H", data[:2])[0]
            if mid in pending:
                del pending[mid]
                if len(data) > 12 and data[3] & 15 == 0 and struct.unpack(">H", data[6:8])[0] > 0:
                    answers.append(time.monotonic())
        now = time.monotonic()
        for mid, sent in list(pending.items()):
            if now - sent > 2:
                del pending[mid]
        if signalled is None and now - start > 1:
            os.kill(pid, signal.SIGALRM)
            signalled = now
        if signalled is not None and done is None and now - lastcheck > 0.05:
            lastcheck = now
            if watch.dumps() > dumps0:
                done = now
    if signalled is None or done is None:
        print("FAIL: a dump line within %d s of SIGALRM" % seconds)
        return
    window = [t for t in answers if signalled <= t <= done]
    gaps = [b - a for a, b in zip(answers, answers[1:]) if b >= signalled and a <= done]
    gap = max(gaps) if gaps else done - signalled
    before = [t for t in answers if start + 0.2 <= t < signalled]
    rate = len(before) / max(signalled - start - 0.2, 0.01)
    print("# figure: dump written in %.2f s (SIGALRM to its log line) while answering: "
          "%d answers in that window, longest gap between answers %.3f s; %.0f answers/s before"
          % (done - signalled, len(window), gap, rate))
    label = "answers kept flowing during the dump (%d in %.2f s, longest gap %.3f s)" % (
        len(window), done - signalled, gap)
    # generous: a stall would be the whole dump; a loaded machine may
    # pause us for a while, but not the daemon for seconds on end
    if window and gap < max(3.0, (done - signalled) / 2):
        print("PASS: " + label)
    else:
        print("FAIL: " + label)


def main(argv):
    if argv[:1] == ["fill"] and len(argv) == 4:
        fill(argv[1], argv[2], int(argv[3]))
    elif argv[:1] == ["ask"] and len(argv) == 4:
        ask(argv[1], argv[2], argv[3])
    elif argv[:1] == ["compare"] and len(argv) == 4:
        compare(argv[1], argv[2], int(argv[3]))
    elif argv[:1] == ["flood"] and len(argv) == 6:
        flood(argv[1], argv[2], int(argv[3]), argv[4], float(argv[5]))
    else:
        print(__doc__, file=sys.stderr)
        return 100
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
