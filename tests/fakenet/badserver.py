#!/usr/bin/env python3
"""badserver.py: a scripted, misbehaving authoritative DNS server for tests.

  badserver.py [--lifetime S] [--countdir DIR] IP=MODE[:ARG][@ZONE]...

Serves UDP and TCP port 53 on every IP given, each address with its own
misbehaviour MODE (see README).  ZONE is the zone the address pretends to
serve (default "bad.test").  Every query received is counted: DIR/IP holds
the number so far, DIR/IP.log one line per query "udp|tcp QTYPE NAME".
Writes "ready" to stderr once every socket is bound; exits by itself after
--lifetime seconds (default 300).  Needs dnspython.
"""

import os
import signal
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

MODES = set("""ok ok-count ttl0 servfail formerr notimp refused rcode silent slow
wrongid wrongq wrongtype spoof truncate truncate-tcpfail bigudp oob-answer
oob-authority oob-additional cname-oob cnamenx nxnosoa nodatanosoa refer-up
refer-side refer-same refer-down malformed short badptr echo""".split())
MODES |= {"spoof6", "oob6"}   # IPv6 (tests/fakenet6)
# EDNS0 modes (issue 13): what a server does with a query that carries an
# OPT; without one each gives the honest answer.  Each query is also
# logged to DIR/IP.edns as "udp|tcp opt|noopt".
MODES |= set("edns-ok edns-formerr edns-notimp edns-drop edns-badvers edns-broken".split())
POISON = "127.53.66.6"   # loopback address where nothing listens
POISON6 = "fd00:53::6:6"  # IPv6 address where nothing listens
# resolution beyond 1.05 (issue 14): each documented in README
MODES |= set("parent child lamenodata dname loopns outage".split())
REFUSER = "127.53.9.3"   # the fakenet's REFUSED server (refused.bad.test)
lock = threading.Lock()
# outage mode: silent after its first answer; SIGUSR1 toggles (any thread
# may read it: a bool assignment is atomic)
outage = {"silent": False}
counts = {}
countdir = None


def count(ip, proto, q):
    with lock:
        counts[ip] = counts.get(ip, 0) + 1
        if countdir:
            tmp = os.path.join(countdir, ".%s.tmp" % ip)
            with open(tmp, "w") as f:
                f.write("%d\n" % counts[ip])
            os.rename(tmp, os.path.join(countdir, ip))
            with open(os.path.join(countdir, ip + ".log"), "a") as f:
                if q is None:
                    f.write("%s unparsable\n" % proto)
                else:
                    qq = q.question[0] if q.question else None
                    f.write("%s %d %s\n" % (proto, qq.rdtype, qq.name.to_text()))


def rr(name, ttl, rdtype, *data):
    return dns.rrset.from_text(name, ttl, "IN", rdtype, *data)


class Server:
    def __init__(self, ip, mode, arg, zone):
        self.ip = ip
        self.mode = mode
        self.arg = arg
        self.zone = dns.name.from_text(zone)
        self.ns = dns.name.from_text("ns", self.zone)
        self.forge = None
        if mode == "spoof6":   # the wrong source the forged reply comes from
            self.forge = socket.socket(family(arg), socket.SOCK_DGRAM)
            self.forge.bind((arg, 53))

    # --- reply builders --------------------------------------------------
    def soa(self, ttl=300):
        return rr(self.zone, ttl, "SOA", "%s hostmaster.%s 1 3600 600 86400 300"
                  % (self.ns, self.zone))

    def response(self, q, aa=True):
        r = dns.message.make_response(q)
        r.flags &= ~dns.flags.RA
        if aa:
            r.flags |= dns.flags.AA
        else:
            r.flags &= ~dns.flags.AA
        return r

    def base(self, q, ttl=300):
        """The honest answer: A 192.0.2.99 for every name, NODATA+SOA for
        other types."""
        r = self.response(q)
        qq = q.question[0]
        if qq.rdtype in (dns.rdatatype.A, dns.rdatatype.ANY):
            r.answer.append(rr(qq.name, ttl, "A", "192.0.2.99"))
        else:
            r.authority.append(self.soa(ttl))
        return r

    def referral(self, q, owner, nsname, glue, gluettl=300):
        r = self.response(q, aa=False)
        r.authority.append(rr(owner, 300, "NS", str(nsname)))
        if glue:
            r.additional.append(rr(nsname, gluettl, "AAAA" if ":" in glue else "A", glue))
        return r

    def nxdomain(self, q):
        r = self.response(q)
        r.set_rcode(dns.rcode.NXDOMAIN)
        r.authority.append(self.soa())
        return r

    def beyond(self, q):
        """The modes of issue 14's scenarios (README); None if not one."""
        m, a = self.mode, self.arg
        qq = q.question[0]
        z = self.zone
        args = a.split(",") if a else []
        if m == "parent":
            # the parent of c.ZONE: NS ns.c.ZONE and pns.c.ZONE, glue IP
            # for both (TTL GLUETTL); its view differs from the child's
            child = dns.name.from_text("c", z)
            if not qq.name.is_subdomain(child):
                return self.base(q)
            ttl = int(args[1]) if len(args) > 1 else 300
            r = self.response(q, aa=False)
            for ns in ("ns", "pns"):
                n = dns.name.from_text(ns, child)
                r.authority.append(rr(child, 300, "NS", str(n)))
                r.additional.append(rr(n, ttl, "A", args[0]))
            return r
        if m == "child":
            # the child ZONE: its own NS set is ns.ZONE and cns.ZONE at IP
            # (not the parent's glue); pns.ZONE, which only the parent
            # lists, does not exist.  NSMODE: what ns.ZONE's address
            # lookup gets instead (nx, nodata, refer)
            nsmode = args[1] if len(args) > 1 else ""
            ns, cns = dns.name.from_text("ns", z), dns.name.from_text("cns", z)
            if qq.name == dns.name.from_text("pns", z):
                return self.nxdomain(q)
            if qq.name == ns and nsmode == "nx":
                return self.nxdomain(q)
            if qq.name == ns and nsmode == "nodata" and qq.rdtype == dns.rdatatype.A:
                r = self.response(q)
                r.authority.append(self.soa())
                return r
            if qq.name.is_subdomain(ns) and nsmode == "refer":
                return self.referral(q, ns, dns.name.from_text("ns", ns), REFUSER)
            r = self.response(q)
            if qq.rdtype in (dns.rdatatype.A, dns.rdatatype.ANY):
                addr = args[0] if qq.name in (ns, cns) else "192.0.2.99"
                r.answer.append(rr(qq.name, 300, "A", addr))
            else:
                r.authority.append(self.soa())
                return r
            nsset = [cns] if nsmode in ("nx", "nodata", "refer") else [ns, cns]
            for n in nsset:
                r.authority.append(rr(z, 300, "NS", str(n)))
                r.additional.append(rr(n, 300, "A", args[0]))
            return r
        if m == "lamenodata":
            # AA, the zone's own NS set in authority, never a SOA: an A
            # query gets its answer, any other type an empty NODATA
            r = self.response(q)
            if qq.rdtype in (dns.rdatatype.A, dns.rdatatype.ANY):
                r.answer.append(rr(qq.name, 300, "A", "192.0.2.99"))
            r.authority.append(rr(z, 300, "NS", str(self.ns)))
            return r
        if m == "dname":
            # d.ZONE DNAME sub.test. (+ the synthesized CNAME);
            # e.ZONE DNAME t.ZONE. (+ CNAME + the target's A);
            # n.ZONE DNAME sub.test. (no CNAME: the resolver synthesizes)
            for label, target, cname in (("d", "sub.test.", True),
                                         ("e", "t." + str(z), True),
                                         ("n", "sub.test.", False)):
                owner = dns.name.from_text(label, z)
                if qq.name == owner and qq.rdtype == dns.rdatatype.DNAME:
                    r = self.response(q)
                    r.answer.append(rr(owner, 300, "DNAME", target))
                    return r
                if qq.name.is_subdomain(owner) and qq.name != owner:
                    t = qq.name.relativize(owner).derelativize(dns.name.from_text(target))
                    r = self.response(q)
                    r.answer.append(rr(owner, 300, "DNAME", target))
                    if cname:
                        r.answer.append(rr(qq.name, 300, "CNAME", str(t)))
                    if t.is_subdomain(z) and qq.rdtype in (dns.rdatatype.A, dns.rdatatype.ANY):
                        r.answer.append(rr(t, 300, "A", "192.0.2.98"))
                    return r
            return self.base(q)
        if m == "loopns":
            # in.ZONE is delegated to a server at IP (default 127.0.0.2;
            # also ::1, 0.0.0.0): loopback handed out by a remote zone
            inz = dns.name.from_text("in", z)
            if qq.name.is_subdomain(inz):
                return self.referral(q, inz, dns.name.from_text("ns", inz), a or "127.0.0.2")
            return self.base(q)
        if m == "outage":
            # honest (TTL ARG) until its first answer, then silent;
            # each SIGUSR1 toggles between silent and answering
            if outage["silent"]:
                return None
            if not outage.get("answered"):
                outage["answered"] = outage["silent"] = True
            return self.base(q, int(a) if a else 300)
        return None

    def replies(self, q, proto):
        """List of (delay seconds, wire bytes) to send for query q."""
        m, a = self.mode, self.arg
        qq = q.question[0]
        w = lambda r: r.to_wire()
        if m.startswith("edns-"):
            return self.edns_replies(q, proto)
        if m in ("ok", "ok-count"):
            return [(0, w(self.base(q, int(a) if a else 300)))]
        if m in ("parent", "child", "lamenodata", "dname", "loopns", "outage"):
            r = self.beyond(q)
            return [] if r is None else [(0, w(r))]
        if m == "ttl0":
            return [(0, w(self.base(q, 0)))]
        rcodes = {"servfail": 2, "formerr": 1, "notimp": 4, "refused": 5}
        if m in rcodes or m == "rcode":
            r = self.response(q)
            r.set_rcode(int(a) if m == "rcode" else rcodes[m])
            return [(0, w(r))]
        if m == "silent":
            return []
        if m == "slow":
            return [(float(a or 2), w(self.base(q)))]
        if m == "wrongid":
            r = self.base(q)
            r.id = (q.id + 1) & 0xFFFF
            return [(0, w(r))]
        if m == "wrongq":
            q2 = dns.message.make_query(dns.name.from_text("wrong", self.zone), qq.rdtype)
            q2.id = q.id
            return [(0, w(self.base(q2)))]
        if m == "wrongtype":
            t = dns.rdatatype.TXT if qq.rdtype != dns.rdatatype.TXT else dns.rdatatype.A
            q2 = dns.message.make_query(qq.name, t)
            q2.id = q.id
            return [(0, w(self.base(q2)))]
        if m == "spoof":
            # a forged reply (wrong ID, poisoned address) first, the real one
            # 0.2 s later
            r1 = self.response(q)
            r1.answer.append(rr(qq.name, 300, "A", POISON))
            r1.id = (q.id + 1) & 0xFFFF
            return [(0, w(r1)), (0.2, w(self.base(q)))]
        if m == "spoof6":
            # the forged reply (right ID, poisoned address) comes from the
            # wrong source (udp_loop); here the real one, 0.2 s later
            return [(0.2, w(self.base(q)))]
        if m == "oob6":
            r = self.base(q)
            r.additional.append(rr("ns.v6only.test.", 300, "AAAA", POISON6))
            r.additional.append(rr("www.dual.test.", 300, "AAAA", POISON6))
            return [(0, w(r))]
        if m in ("truncate", "truncate-tcpfail"):
            if proto == "tcp":
                return [(0, w(self.base(q)))]
            r = self.response(q)
            r.flags |= dns.flags.TC
            return [(0, w(r))]
        if m == "bigudp":
            r = self.response(q)
            if qq.rdtype in (dns.rdatatype.A, dns.rdatatype.ANY):
                r.answer.append(rr(qq.name, 300, "A",
                                   *["192.0.2.%d" % i for i in range(101, 141)]))
            else:
                r.authority.append(self.soa())
            return [(0, w(r))]
        if m == "oob-answer":
            r = self.base(q)
            r.answer.append(rr("a.test.", 300, "A", POISON))
            r.answer.append(rr("www.example.", 300, "A", POISON))
            return [(0, w(r))]
        if m == "oob-authority":
            r = self.base(q)
            r.authority.append(rr("test.", 300, "NS", "ns.evil.test."))
            r.authority.append(rr("sub.test.", 300, "NS", "ns.evil.test."))
            r.additional.append(rr("ns.evil.test.", 300, "A", POISON))
            return [(0, w(r))]
        if m == "oob-additional":
            r = self.base(q)
            r.additional.append(rr("a.nic.test.", 300, "A", POISON))
            r.additional.append(rr("a.test.", 300, "A", POISON))
            return [(0, w(r))]
        if m == "cname-oob":
            r = self.response(q)
            r.answer.append(rr(qq.name, 300, "CNAME", "a.test."))
            r.answer.append(rr("a.test.", 300, "A", POISON))
            return [(0, w(r))]
        if m == "cnamenx":
            r = self.response(q)
            r.answer.append(rr(qq.name, 300, "CNAME", "a.test."))
            r.set_rcode(dns.rcode.NXDOMAIN)
            return [(0, w(r))]
        if m == "nxnosoa":
            r = self.response(q)
            r.set_rcode(dns.rcode.NXDOMAIN)
            return [(0, w(r))]
        if m == "nodatanosoa":
            return [(0, w(self.response(q)))]
        if m == "refer-up":
            return [(0, w(self.referral(q, "test.", "a.nic.test.", "127.53.1.1")))]
        if m == "refer-side":
            return [(0, w(self.referral(q, "side.test.", "ns.side.test.", self.ip)))]
        if m == "refer-same":
            return [(0, w(self.referral(q, self.zone, self.ns, self.ip)))]
        if m == "refer-down":
            owner = qq.name
            return [(0, w(self.referral(q, owner, dns.name.from_text("ns", owner), self.ip)))]
        if m == "malformed":
            # the last record is cut in the middle of its RDATA
            return [(0, w(self.base(q))[:-3])]
        if m == "short":
            return [(0, w(self.base(q))[:11])]
        if m == "badptr":
            # one answer whose owner name is a pointer to itself
            qend = 12 + len(qq.name.to_wire()) + 4
            wire = bytearray(w(self.response(q))[:qend])
            wire[6:8] = struct.pack(">H", 1)
            wire[8:12] = b"\0\0\0\0"
            wire += struct.pack(">H", 0xC000 | qend)
            wire += struct.pack(">HHIH", 1, 1, 300, 4) + bytes([192, 0, 2, 99])
            return [(0, bytes(wire))]
        return []

    def edns_replies(self, q, proto):
        """The EDNS0 modes: edns-ok answers with an OPT when asked with
        one; the others treat a query with OPT as their name says (FORMERR,
        NOTIMP, no reply, BADVERS, an OPT whose RDLENGTH runs past the
        end) and answer one without OPT honestly."""
        m = self.mode
        opt = q.edns >= 0
        if countdir:
            with lock:
                with open(os.path.join(countdir, self.ip + ".edns"), "a") as f:
                    f.write("%s %s\n" % (proto, "opt" if opt else "noopt"))
        r = self.base(q)
        if not opt or m == "edns-ok":
            if opt:
                r.use_edns(0, 0, 1232)
            else:
                r.use_edns(False)
            return [(0, r.to_wire())]
        if m == "edns-drop":
            return []
        r = self.response(q)
        r.use_edns(False)
        if m in ("edns-formerr", "edns-notimp"):
            r.set_rcode(1 if m == "edns-formerr" else 4)
            return [(0, r.to_wire())]
        if m == "edns-badvers":
            wire = bytearray(r.to_wire())
            wire[10:12] = struct.pack(">H", 1)
            return [(0, bytes(wire) + b"\0" + struct.pack(">HHIH", 41, 1232, 1 << 24, 0))]
        # edns-broken: the honest answer with an OPT cut short
        r = self.base(q)
        r.use_edns(False)
        wire = bytearray(r.to_wire())
        wire[10:12] = struct.pack(">H", struct.unpack(">H", wire[10:12])[0] + 1)
        return [(0, bytes(wire) + b"\0" + struct.pack(">HHIH", 41, 1232, 0, 20) + b"xy")]

    # --- transports ---------------------------------------------------------
    def udp_loop(self, sock):
        while True:
            try:
                data, peer = sock.recvfrom(65535)
            except OSError:
                continue
            try:
                q = dns.message.from_wire(data)
                if not q.question:
                    raise ValueError
            except Exception:
                count(self.ip, "udp", None)
                continue
            count(self.ip, "udp", q)
            if self.mode == "echo":     # the query itself, QR clear
                sock.sendto(data, peer)
                continue
            if self.forge:
                r1 = self.response(q)
                r1.answer.append(rr(q.question[0].name, 300, "A", POISON))
                r1.answer.append(rr(q.question[0].name, 300, "AAAA", POISON6))
                self.forge.sendto(r1.to_wire(), peer)
            for delay, wire in self.replies(q, "udp"):
                if delay:
                    threading.Timer(delay, sock.sendto, (wire, peer)).start()
                else:
                    sock.sendto(wire, peer)

    def tcp_loop(self, lsock):
        while True:
            try:
                c, _ = lsock.accept()
            except OSError:
                continue
            threading.Thread(target=self.tcp_conn, args=(c,), daemon=True).start()

    def tcp_conn(self, c):
        c.settimeout(30)
        try:
            if self.mode == "truncate-tcpfail":
                # read the query, then reset the connection: an abortive
                # close (RST) every time, not a race between EOF and RST
                n = recvall(c, 2)
                if n is not None:
                    recvall(c, struct.unpack(">H", n)[0])
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            while True:
                n = recvall(c, 2)
                if n is None:
                    return
                data = recvall(c, struct.unpack(">H", n)[0])
                if data is None:
                    return
                try:
                    q = dns.message.from_wire(data)
                    if not q.question:
                        raise ValueError
                except Exception:
                    count(self.ip, "tcp", None)
                    return
                count(self.ip, "tcp", q)
                if self.mode == "echo":
                    c.sendall(n + data)
                    continue
                for delay, wire in self.replies(q, "tcp"):
                    if delay:
                        time.sleep(delay)
                    c.sendall(struct.pack(">H", len(wire)) + wire)
        except OSError:
            pass
        finally:
            c.close()


def family(ip):
    return socket.AF_INET6 if ":" in ip else socket.AF_INET


def recvall(c, n):
    buf = b""
    while len(buf) < n:
        x = c.recv(n - len(buf))
        if not x:
            return None
        buf += x
    return buf


def main(argv):
    global countdir
    lifetime = 300.0
    specs = []
    i = 0
    while i < len(argv):
        if argv[i] == "--lifetime":
            lifetime = float(argv[i + 1]); i += 2
        elif argv[i] == "--countdir":
            countdir = argv[i + 1]; i += 2
        else:
            specs.append(argv[i]); i += 1
    signal.signal(signal.SIGUSR1,
                  lambda *_: outage.__setitem__("silent", not outage["silent"]))
    if not specs:
        sys.exit("usage: badserver.py [--lifetime S] [--countdir DIR] IP=MODE[:ARG][@ZONE]...")
    for spec in specs:
        ip, rest = spec.split("=", 1)
        zone = "bad.test"
        if "@" in rest:
            rest, zone = rest.split("@", 1)
        mode, _, arg = rest.partition(":")
        if mode not in MODES:
            sys.exit("badserver: unknown mode " + mode)
        s = Server(ip, mode, arg, zone)
        u = socket.socket(family(ip), socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        u.bind((ip, 53))
        t = socket.socket(family(ip), socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((ip, 53))
        t.listen(20)
        threading.Thread(target=s.udp_loop, args=(u,), daemon=True).start()
        threading.Thread(target=s.tcp_loop, args=(t,), daemon=True).start()
    sys.stderr.write("ready\n")
    sys.stderr.flush()
    time.sleep(lifetime)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
