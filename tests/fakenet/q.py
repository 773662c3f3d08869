#!/usr/bin/env python3
"""q.py: send ONE DNS query and print the reply plainly (any rcode).

  q.py [--tcp] [--norec] [--timeout S] [--id N] [--elapsed] SERVER TYPE NAME

Unlike dnsq/dnsqr it does not retry and shows every rcode, so tests can
assert SERVFAIL, TC, ANCOUNT etc.  Output:
  rcode=NOERROR flags=qr,rd,ra an=1 ns=0 ar=0 len=40
  answer: a.test. 300 A 192.0.2.1
  ...
or the single line "timeout" (exit 0 in both cases; 1 on other errors).
--elapsed adds a last line "elapsed N": whole seconds from sending the
query to its reply (or the timeout), measured here so that the start-up
of python on a loaded machine is not counted.
TYPE is a name (A, MX, TXT, ANY...) or a number.  RD is set unless --norec.
"""

import signal
import socket
import struct
import sys
import time

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    tcp = False
    rec = True
    timeout = 5.0
    qid = None
    elapsed = False
    args = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--tcp":
            tcp = True
        elif a == "--norec":
            rec = False
        elif a == "--timeout":
            timeout = float(argv[i + 1]); i += 1
        elif a == "--elapsed":
            elapsed = True
        elif a == "--id":
            qid = int(argv[i + 1]); i += 1
        else:
            args.append(a)
        i += 1
    if len(args) != 3:
        sys.exit(__doc__)
    t0 = time.monotonic()
    try:
        return ask(args, tcp, rec, timeout, qid)
    finally:
        if elapsed:
            print("elapsed %d" % int(time.monotonic() - t0))


def ask(args, tcp, rec, timeout, qid):
    server, qtype, name = args
    qt = int(qtype) if qtype.isdigit() else dns.rdatatype.from_text(qtype)
    q = dns.message.make_query(name, qt)
    if qid is not None:
        q.id = qid
    if not rec:
        q.flags &= ~dns.flags.RD
    wire = q.to_wire()
    deadline = time.time() + timeout
    try:
        if tcp:
            s = socket.create_connection((server, 53), timeout=timeout)
            s.sendall(struct.pack(">H", len(wire)) + wire)
            buf = b""
            while True:
                s.settimeout(max(0.01, deadline - time.time()))
                x = s.recv(65535)
                if not x:
                    break
                buf += x
                if len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
                    break
            if len(buf) < 2:
                print("connection closed")
                return 0
            data = buf[2:2 + struct.unpack(">H", buf[:2])[0]]
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect((server, 53))
            s.send(wire)
            while True:
                s.settimeout(max(0.01, deadline - time.time()))
                data = s.recv(65535)
                if len(data) >= 2 and data[:2] == wire[:2]:
                    break
    except (socket.timeout, TimeoutError):
        print("timeout")
        return 0
    except ConnectionRefusedError:
        print("connection refused")
        return 0
    flags, qd, an, ns, ar = struct.unpack(">HHHHH", data[2:12])
    names = [(0x8000, "qr"), (0x0400, "aa"), (0x0200, "tc"), (0x0100, "rd"), (0x0080, "ra")]
    print("rcode=%s flags=%s an=%d ns=%d ar=%d len=%d" % (
        dns.rcode.to_text(flags & 15),
        ",".join(n for b, n in names if flags & b) or "-", an, ns, ar, len(data)))
    try:
        r = dns.message.from_wire(data, ignore_trailing=True)
    except dns.exception.DNSException as e:
        print("unparsable: %s" % e.__class__.__name__)
        return 0
    for sec, rrsets in (("answer", r.answer), ("authority", r.authority),
                        ("additional", r.additional)):
        for rrset in rrsets:
            for rd in rrset:
                print("%s: %s %d %s %s" % (sec, rrset.name, rrset.ttl,
                                           dns.rdatatype.to_text(rrset.rdtype), rd.to_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
