#!/usr/bin/python3
"""t_hostile_tool.py: hostile clients and a spoofing attacker for
tests/t_hostile.sh.  Loopback only (the suite runs in its own network
namespace); every mode ends by itself.  Each prints one JSON line of
figures on stdout.

  spoof CACHE SERVER NAME [--seconds S] [--blind N]
      Asks CACHE (ip) for NAME A (its server SERVER answers slowly) and,
      while the query is in flight, forges replies from SERVER:53 with a
      raw socket: (a) blind ones at random ports 1024-65535 with random
      IDs; (b) at every (port, ID) the cache used towards SERVER for NAME
      (seen on lo with a packet socket): every OTHER ID on that exact port,
      plus the exact ID from a wrong source address, from a wrong source
      port, and for a wrong question.  Never the exact (address, port, ID,
      question): that would be the real server.  Every forged reply says
      NAME A 127.53.66.6 and, in the additional section, a.test A
      127.53.66.6.  Reports what the client got.
  fill CACHE ZONE COUNT
      COUNT distinct names under ZONE, 150 at a time: fills the cache.
  udpflood CACHE ZONE COUNT PROBE EXPECT [--seconds S]
      COUNT queries for distinct names under ZONE at once from one socket,
      while every 50 ms a fresh socket asks PROBE (a cached name; up to 4
      tries of 0.5 s) and checks the answer contains EXPECT.
  tcpidle CACHE N PROBE EXPECT [--hold S] [--pid PID]
      N TCP connections that send nothing, held S seconds; meanwhile a new
      TCP connection and a UDP query ask PROBE, and the daemon's (PID) fd
      count is sampled (its maximum is reported).
  tcpnoread CACHE NAME N [--conns C] [--hold S] [--type T] [--pid PID]
            [--evict E]
      C connections (4 KB receive buffers) that each write N pipelined
      queries for NAME type T (default TXT: big answers) and never read;
      held S seconds; then E new idle connections arrive.  Reports how
      many of the daemon's sockets (PID) are still connected to the
      non-readers after the hold and after the newcomers.  The suite
      checks other clients meanwhile.
"""
import json
import os
import random
import select
import socket
import struct
import sys
import threading
import time

POISON = bytes([127, 53, 66, 6])
ETH_P_ALL = 3


def wire_name(name):
    out = b""
    for label in name.strip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qtype=1, qid=None, rd=True):
    qid = random.randrange(65536) if qid is None else qid
    return struct.pack(">HHHHHH", qid, 0x0100 if rd else 0, 1, 0, 0, 0) + \
        wire_name(name) + struct.pack(">HH", qtype, 1)


def parse_reply(data):
    """(id, rcode, flags, [A addresses in the answer section]) or None."""
    try:
        qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", data[:12])
        pos = 12

        def skipname(p):
            while True:
                c = data[p]
                if c >= 192:
                    return p + 2
                if c == 0:
                    return p + 1
                p += c + 1
        for _ in range(qd):
            pos = skipname(pos) + 4
        addrs = []
        for _ in range(an):
            pos = skipname(pos)
            t, c, ttl, rdlen = struct.unpack(">HHIH", data[pos:pos + 10])
            pos += 10
            if t == 1 and rdlen == 4:
                addrs.append(".".join(str(b) for b in data[pos:pos + 4]))
            pos += rdlen
        return qid, flags & 15, flags, addrs
    except (IndexError, struct.error):
        return None


def ask_udp(server, name, timeout=0.5, tries=1, qtype=1):
    """Addresses answered (list), or None if no reply."""
    for _ in range(tries):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            q = query(name, qtype)
            s.sendto(q, (server, 53))
            end = time.time() + timeout
            while time.time() < end:
                r, _, _ = select.select([s], [], [], max(0, end - time.time()))
                if not r:
                    break
                data = s.recv(65535)
                p = parse_reply(data)
                if p and p[0] == struct.unpack(">H", q[:2])[0]:
                    return p[3] if p[1] == 0 else []
        finally:
            s.close()
    return None


def ask_tcp(server, name, timeout=3.0):
    s = socket.create_connection((server, 53), timeout=timeout)
    try:
        q = query(name)
        s.sendall(struct.pack(">H", len(q)) + q)
        n = b""
        while len(n) < 2:
            x = s.recv(2 - len(n))
            if not x:
                return None
            n += x
        ln = struct.unpack(">H", n)[0]
        data = b""
        while len(data) < ln:
            x = s.recv(ln - len(data))
            if not x:
                return None
            data += x
        p = parse_reply(data)
        return p[3] if p and p[1] == 0 else []
    except OSError:
        return None
    finally:
        s.close()


# ---------------------------------------------------------------- spoof

def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_udp(src, sport, dst, dport, payload):
    """An IPv4+UDP datagram (UDP checksum 0 = none; the kernel fills the
    IP checksum for IPPROTO_RAW)."""
    ulen = 8 + len(payload)
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0x4000, 64, 17, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return iph + struct.pack("!HHHH", sport, dport, ulen, 0) + payload


def forged(name, qid):
    n = wire_name(name)
    body = struct.pack(">HHHHHH", qid, 0x8500, 1, 1, 0, 1) + n + struct.pack(">HH", 1, 1)
    body += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 3600, 4) + POISON
    body += wire_name("a.test") + struct.pack(">HHIH", 1, 1, 3600, 4) + POISON
    return body


def bpf_dst(server_ip):
    """Classic BPF for the lo packet socket: IPv4 UDP to server_ip:53."""
    ip = struct.unpack("!I", socket.inet_aton(server_ip))[0]
    prog = [
        (0x28, 0, 0, 12),          # ldh [12]          ethertype
        (0x15, 0, 8, 0x0800),      # jeq IPv4
        (0x30, 0, 0, 23),          # ldb [23]          protocol
        (0x15, 0, 6, 17),          # jeq UDP
        (0x20, 0, 0, 30),          # ld [30]           destination
        (0x15, 0, 4, ip),          # jeq server
        (0xb1, 0, 0, 14),          # ldxb 4*([14]&0xf)
        (0x48, 0, 0, 16),          # ldh [x+16]        destination port
        (0x15, 0, 1, 53),          # jeq 53
        (0x06, 0, 0, 65535),       # ret all
        (0x06, 0, 0, 0),           # ret 0
    ]
    import ctypes
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in prog))
    fprog = struct.pack("HL", len(prog), ctypes.addressof(buf))
    return buf, fprog


def udp_snmp():
    """The Udp: counters of /proc/net/snmp (this network namespace)."""
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Udp:")]
    return dict(zip(lines[0][1:], (int(x) for x in lines[1][1:])))


def spoof(args):
    cache, server, name = args[0], args[1], args[2]
    seconds = float(opt(args, "--seconds", 8))
    blind_max = int(opt(args, "--blind", 200000))
    SO_ATTACH_FILTER = 26
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep, fprog = bpf_dst(server)
    sniff.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    sniff.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sniff.bind(("lo", 0))
    sniff.setblocking(False)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)

    result = {}
    snmp0 = udp_snmp()

    def client():
        t0 = time.time()
        # one query, long timeout: the answer comes after the slow server
        # (a lost answer is retried once, as a stub would)
        r = ask_udp(cache, name, timeout=seconds, tries=2)
        result["answer"] = r
        result["client_seconds"] = round(time.time() - t0, 2)
    th = threading.Thread(target=client, daemon=True)
    th.start()

    targets = {}      # (src ip, src port) -> set of ids seen
    wname = wire_name(name).lower()
    stats = dict(blind=0, exact_port_wrong_id=0, exact_id_wrong_src=0,
                 exact_id_wrong_port=0, exact_id_wrong_question=0, queries_seen=0,
                 sendfail=0)
    end = time.time() + seconds + 3
    # per target: the next wrong ID to try
    nextid = {}
    tmpl = forged(name, 0)
    wrongq = forged("x" + name, 0)

    def send(pkt, dst):
        try:
            raw.sendto(pkt, (dst, 0))
            return 1
        except OSError:
            stats["sendfail"] += 1
            return 0

    while th.is_alive() and time.time() < end:
        # sniff queries the cache sends to the server
        while True:
            try:
                frame = sniff.recv(65535)
            except BlockingIOError:
                break
            ihl = (frame[14] & 15) * 4
            udp = 14 + ihl
            src = socket.inet_ntoa(frame[26:30])
            sport = struct.unpack("!H", frame[udp:udp + 2])[0]
            dns = frame[udp + 8:]
            if len(dns) < 12 or wname not in dns.lower():
                continue
            qid = struct.unpack("!H", dns[:2])[0]
            stats["queries_seen"] += 1
            targets.setdefault((src, sport), set()).add(qid)
            nextid.setdefault((src, sport), 0)
        # a burst of forgeries, the newest port first: the cache closes a
        # query's socket when it tries again, so only the latest port is
        # live, and on a loaded machine there is no time for the others
        newest = list(targets)[-1:]
        for (src, sport), ids in list(targets.items()):
            dst = src if src != "0.0.0.0" else "127.0.0.1"
            live = (src, sport) in newest or nextid[newest[0]] >= 65536
            for _ in range(200 if live else 0):
                i = nextid[(src, sport)]
                if i >= 65536:
                    break
                nextid[(src, sport)] = i + 1
                if i in ids:
                    continue
                pkt = tmpl[:0] + struct.pack(">H", i) + tmpl[2:]
                stats["exact_port_wrong_id"] += send(ip_udp(server, 53, dst, sport, pkt), dst)
            for qid in ids:
                good = struct.pack(">H", qid)
                stats["exact_id_wrong_src"] += send(ip_udp("127.53.9.99", 53, dst, sport, good + tmpl[2:]), dst)
                stats["exact_id_wrong_port"] += send(ip_udp(server, 5353, dst, sport, good + tmpl[2:]), dst)
                stats["exact_id_wrong_question"] += send(ip_udp(server, 53, dst, sport, good + wrongq[2:]), dst)
        for _ in range(100):
            if stats["blind"] >= blind_max:
                break
            pkt = struct.pack(">H", random.randrange(65536)) + tmpl[2:]
            stats["blind"] += send(ip_udp(server, 53, "127.0.0.1", random.randrange(1024, 65536), pkt),
                                   "127.0.0.1")
    th.join(timeout=seconds + 5)
    stats["targets"] = len(targets)
    # ports that got every wrong ID (while the cache was waiting on them)
    stats["swept"] = sum(1 for t in nextid if nextid[t] >= 65536)
    stats["forged_total"] = sum(v for k, v in stats.items() if k.startswith(("blind", "exact")))
    snmp1 = udp_snmp()
    for k in ("InDatagrams", "NoPorts", "InErrors", "RcvbufErrors"):
        stats["udp_" + k] = snmp1.get(k, 0) - snmp0.get(k, 0)
    stats["answer"] = result.get("answer")
    stats["client_seconds"] = result.get("client_seconds")
    del keep
    print(json.dumps(stats))


# ------------------------------------------------------------ udpflood

def udpflood(args):
    cache, zone, count, probe, expect = args[0], args[1], int(args[2]), args[3], args[4]
    seconds = float(opt(args, "--seconds", 8))
    # replies are awaited up to --wait seconds (a loaded machine is slow),
    # and no longer once --enough of them carry an answer
    wait = float(opt(args, "--wait", seconds))
    enough = int(opt(args, "--enough", count))
    tag = "%x" % random.randrange(1 << 30)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    probes = []

    def prober():
        end = time.time() + seconds
        while time.time() < end:
            t0 = time.time()
            tries = 0
            ok = False
            for tries in range(1, 5):
                r = ask_udp(cache, probe, timeout=0.5)
                if r is not None:
                    ok = expect in r
                    break
            probes.append((ok, tries, time.time() - t0))
            time.sleep(0.05)
    th = threading.Thread(target=prober, daemon=True)
    th.start()
    ids = {}
    for i in range(count):
        q = query("f%d-%s.%s" % (i, tag, zone))
        ids[struct.unpack(">H", q[:2])[0]] = i
        s.sendto(q, (cache, 53))
    replies = servfail = answered = 0
    end = time.time() + wait
    while time.time() < end and answered < enough:
        r, _, _ = select.select([s], [], [], max(0, end - time.time()))
        if not r:
            break
        p = parse_reply(s.recv(65535))
        if not p:
            continue
        replies += 1
        if p[1] == 2:
            servfail += 1
        elif p[3]:
            answered += 1
    th.join()
    print(json.dumps(dict(sent=count, replies=replies, answered=answered, servfail=servfail,
                          probes=len(probes), probes_ok=sum(1 for p in probes if p[0]),
                          probes_first_try=sum(1 for p in probes if p[0] and p[1] == 1),
                          probe_max_seconds=round(max([p[2] for p in probes] or [0]), 2))))


# ------------------------------------------------------------- tcpidle

def tcpidle(args):
    cache, n, probe, expect = args[0], int(args[1]), args[2], args[3]
    hold = float(opt(args, "--hold", 3))
    pid = opt(args, "--pid", None)
    maxfds = 0
    socks = []
    for _ in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect((cache, 53))
        except BlockingIOError:
            pass
        socks.append(c)
    time.sleep(0.5)
    t0 = time.time()
    tcp = ask_tcp(cache, probe)
    udp = ask_udp(cache, probe, timeout=0.5, tries=4)
    answered_while_held = time.time() - t0
    while time.time() < t0 + hold:
        if pid:
            maxfds = max(maxfds, len(os.listdir("/proc/%s/fd" % pid)))
        time.sleep(0.05)
    # how many did the daemon close (EOF or reset) meanwhile?
    closed = 0
    for c in socks:
        try:
            if c.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for c in socks:
        c.close()
    print(json.dumps(dict(conns=n, closed_by_daemon=closed, daemon_max_fds=maxfds,
                          tcp_probe_ok=bool(tcp and expect in tcp),
                          udp_probe_ok=bool(udp and expect in udp),
                          probe_seconds=round(answered_while_held, 2))))


# ----------------------------------------------------------- tcpnoread

def tcpnoread(args):
    cache, name, n = args[0], args[1], int(args[2])
    conns = int(opt(args, "--conns", 1))
    hold = float(opt(args, "--hold", 14))
    pid = opt(args, "--pid", None)
    qtype = int(opt(args, "--type", 16))
    evict = int(opt(args, "--evict", 0))
    socks = []
    written = []
    for _ in range(conns):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect((cache, 53))
        c.setblocking(False)
        socks.append(c)
        written.append(0)
    pending = [b"".join(struct.pack(">H", len(q)) + q for q in
                        (query(name, qtype) for _ in range(n)))] * conns
    end = time.time() + hold
    while time.time() < end:
        busy = False
        for i, c in enumerate(socks):
            if not pending[i]:
                continue
            try:
                w = c.send(pending[i][:65536])
                pending[i] = pending[i][w:]
                written[i] += w
                busy = True
            except BlockingIOError:
                pass
            except OSError:
                pending[i] = b""
        if not busy:
            time.sleep(0.1)
    # The daemon's FIN waits behind the replies we never read, so it is
    # not visible here: count the daemon's TCP sockets still connected to
    # ours instead (its side is in FIN-WAIT once it has closed).
    ours = set(c.getsockname()[1] for c in socks)
    held = daemon_sockets_to(pid, ours) if pid else None
    # newcomers: idle connections that push the oldest out of the table
    extra = []
    for _ in range(evict):
        e = socket.create_connection((cache, 53), timeout=3)
        extra.append(e)
        time.sleep(0.02)
    if evict:
        time.sleep(1)
    still = daemon_sockets_to(pid, ours) if pid else None
    maxfds = len(os.listdir("/proc/%s/fd" % pid)) if pid else None
    for c in socks + extra:
        c.close()
    print(json.dumps(dict(conns=conns, bytes_written=written, held_after_hold=held,
                          newcomers=evict, still_open_after_newcomers=still,
                          daemon_fds_with_newcomers=maxfds)))


def daemon_sockets_to(pid, ports):
    """How many of process pid's TCP sockets are connected to one of our
    local ports."""
    inodes = set()
    for fd in os.listdir("/proc/%s/fd" % pid):
        try:
            l = os.readlink("/proc/%s/fd/%s" % (pid, fd))
        except OSError:
            continue
        if l.startswith("socket:["):
            inodes.add(l[8:-1])
    n = 0
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            x = line.split()
            if int(x[2].split(":")[1], 16) in ports and x[9] in inodes:
                n += 1
    return n


# ---------------------------------------------------------------- fill

def fill(args):
    """fill CACHE ZONE COUNT: COUNT distinct names under ZONE with at most
    150 outstanding (1 s each, no retry): fills the cache quickly."""
    cache, zone, count = args[0], args[1], int(args[2])
    tag = "%x" % random.randrange(1 << 30)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    out = {}
    sent = got = 0
    end = time.time() + 60
    while (sent < count or out) and time.time() < end:
        while sent < count and len(out) < 150:
            q = query("w%d-%s.%s" % (sent, tag, zone))
            out[struct.unpack(">H", q[:2])[0]] = time.time()
            s.sendto(q, (cache, 53))
            sent += 1
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            p = parse_reply(s.recv(65535))
            if p and out.pop(p[0], None) is not None:
                got += 1
        now = time.time()
        for k in [k for k, t in out.items() if now - t > 1]:
            del out[k]
    print(json.dumps(dict(sent=sent, answered=got)))


def opt(args, name, default):
    if name in args:
        return args[args.index(name) + 1]
    return default


def main(argv):
    modes = dict(spoof=spoof, udpflood=udpflood, tcpidle=tcpidle, tcpnoread=tcpnoread, fill=fill)
    if not argv or argv[0] not in modes:
        sys.exit(__doc__)
    modes[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
