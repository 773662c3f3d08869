#!/usr/bin/python3
"""Test client for tests/t_daemon*.sh: crafts queries with fixed source
ports and IDs so that a transcript (and the daemon's log) is the same
for our dnscache and the original, and prints replies as hex.

  t_daemon.py SCENARIO SERVER_IP [ARGS...]

Every scenario prints a deterministic transcript on stdout."""
import socket, struct, sys, time, select

TYPES = {'a': 1, 'ns': 2, 'cname': 5, 'soa': 6, 'ptr': 12, 'mx': 15, 'txt': 16,
         'aaaa': 28, 'ixfr': 251, 'axfr': 252, 'any': 255}


def wire(name):
    out = b''
    for label in name.split('.'):
        if label:
            b = label.encode('latin-1')
            out += bytes([len(b)]) + b
    return out + b'\0'


def packet(name, qtype=1, qid=0x1234, flags=0x0100, qdcount=1, qclass=1, tail=b''):
    if isinstance(qtype, str):
        qtype = TYPES[qtype]
    return struct.pack('>HHHHHH', qid, flags, qdcount, 0, 0, 0) + wire(name) + \
        struct.pack('>HH', qtype, qclass) + tail


def show(r):
    if r is None:
        return 'noreply'
    if len(r) < 12:
        return 'short %s' % r.hex()
    qid, flags, qd, an, ns, ar = struct.unpack('>HHHHHH', r[:12])
    return 'len=%d id=%04x flags=%04x qd=%d an=%d ns=%d ar=%d %s' % (
        len(r), qid, flags, qd, an, ns, ar, r[12:].hex())


# the default is for a reply that must come: a loaded machine may take seconds
def udp(server, pkt, src='127.0.0.1', sport=0, timeout=3.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.sendto(pkt, (server, 53))
    s.settimeout(timeout)
    try:
        r, _ = s.recvfrom(65535)
    except socket.timeout:
        r = None
    s.close()
    return r


_pending = {}


def tcpconn(server, src='127.0.0.1', sport=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.settimeout(3)
    s.connect((server, 53))
    _pending[s.fileno()] = b''
    return s


def tcpread(s, timeout=2.0):
    """One framed reply, or 'eof' / 'noreply' / 'partial' / 'reset'."""
    s.settimeout(timeout)
    buf = _pending.get(s.fileno(), b'')
    try:
        while len(buf) < 2 or len(buf) < 2 + struct.unpack('>H', buf[:2])[0]:
            d = s.recv(65537)
            if not d:
                return 'eof' if not buf else 'partial'
            buf += d
    except socket.timeout:
        _pending[s.fileno()] = buf
        return 'noreply'
    except ConnectionResetError:
        return 'reset'
    n = 2 + struct.unpack('>H', buf[:2])[0]
    _pending[s.fileno()] = buf[n:]
    return show(buf[2:n])


def frame(pkt):
    return struct.pack('>H', len(pkt)) + pkt


# ------------------------------------------------------------ scenarios

LOCALNAMES = ['localhost', 'LocalHost', 'localhost.', '1.2.3.4', '255.255.255.255', '0.0.0.0',
              '1.0.0.127.in-addr.arpa', '1.0.0.127.IN-ADDR.Arpa']


def sc_local(server):
    port = 20000
    for name in LOCALNAMES:
        for t in ['a', 'mx', 'any', 'ptr', 'aaaa', 'txt']:
            # localhost AAAA is ::1 here (SPEC 4.1), empty in 1.05:
            # checked in unit_local and t_ipv6_listen
            if t == 'aaaa' and name.lower().rstrip('.') == 'localhost':
                continue
            for qclass in (1, 255):
                port += 1
                r = udp(server, packet(name, t, qid=port, qclass=qclass), sport=port)
                print(name, t, qclass, show(r))


def sc_discard(server):
    """Packets the daemon must ignore: no reply, no log line."""
    port = 21000
    cases = [
        ('qr', packet('localhost', flags=0x8100)),
        ('nord', packet('localhost', flags=0x0000)),
        ('opcode1', packet('localhost', flags=0x0900)),
        ('opcode2', packet('localhost', flags=0x1100)),
        ('tc', packet('localhost', flags=0x0300)),
        ('qd0', packet('localhost', qdcount=0)),
        ('qd2', packet('localhost', qdcount=2)),
        ('class3', packet('localhost', qclass=3)),
        ('class4', packet('localhost', qclass=4)),
        ('class254', packet('localhost', qclass=254)),
        ('short', packet('localhost')[:11]),
        ('headeronly', packet('localhost')[:12]),
        ('cutname', packet('localhost')[:15]),
        ('cuttype', packet('localhost')[:24]),
        ('badlabel', struct.pack('>HHHHHH', 1, 0x100, 1, 0, 0, 0) + b'\x40' + b'a' * 64 + b'\0\0\1\0\1'),
        ('fwdptr', struct.pack('>HHHHHH', 1, 0x100, 1, 0, 0, 0) + b'\xc0\x20\0\1\0\1'),
        ('selfptr', struct.pack('>HHHHHH', 1, 0x100, 1, 0, 0, 0) + b'\xc0\x0c\0\1\0\1'),
        ('empty', b''),
        ('big1024', packet('localhost', tail=b'\0' * (1024 - len(packet('localhost'))))),
        ('big2000', packet('localhost', tail=b'\0' * 2000)),
    ]
    for what, pkt in cases:
        port += 1
        print(what, show(udp(server, pkt, sport=port, timeout=0.3)))
    # privileged source ports: 53 is allowed, others are not
    for sport in (1, 52, 1023):
        print('port%d' % sport, show(udp(server, packet('localhost', qid=sport), sport=sport, timeout=0.3)))
    print('port53', show(udp(server, packet('localhost', qid=53), sport=53)))
    # accepted oddities: AA/RA/Z/RCODE bits, counts, trailing junk, EDNS OPT
    ok = [
        ('aa', packet('localhost', flags=0x0500)),
        ('ra', packet('localhost', flags=0x0180)),
        ('z', packet('localhost', flags=0x0170)),
        ('rcode', packet('localhost', flags=0x010f)),
        ('counts', struct.pack('>HHHHHH', 7, 0x100, 1, 5, 6, 7) + wire('localhost') + b'\0\1\0\1'),
        ('tail', packet('localhost', tail=b'junkjunk')),
        # an OPT with ARCOUNT 2: the records cannot all be read, so no EDNS
        # and exactly 1.05's answer (SPEC 4.2; EDNS itself: t_edns.sh)
        ('edns', struct.pack('>HHHHHH', 8, 0x100, 1, 0, 0, 2) + wire('localhost') + b'\0\1\0\1' +
         b'\0\0\x29\x10\0\0\0\0\0\0\0'),
        ('big1023', packet('localhost', tail=b'\0' * (1023 - len(packet('localhost'))))),
        # a question name ending in a pointer into the (ignored) ANCOUNT field: 1.2.3 + "4"
        ('ptrq', struct.pack('>HHHHHH', 9, 0x100, 1, 0x0134, 0, 0) + b'\x011\x012\x013' + b'\xc0\x06' + b'\0\1\0\1'),
    ]
    for what, pkt in ok:
        port += 1
        print(what, show(udp(server, pkt, sport=port)))


def sc_acl(server, src):
    r = udp(server, packet('localhost', qid=0x4141), src=src, sport=22001, timeout=0.5)
    print(src, show(r))


def sc_tcp(server):
    # two queries on one connection, sent at once
    s = tcpconn(server, sport=23001)
    s.sendall(frame(packet('localhost', qid=1)) + frame(packet('1.2.3.4', 'any', qid=2)))
    print('two.1', tcpread(s))
    print('two.2', tcpread(s))
    s.close()
    time.sleep(0.2)
    # a query sent in pieces, byte by byte
    s = tcpconn(server, sport=23002)
    data = frame(packet('localhost', qid=3))
    for i in range(len(data)):
        s.send(data[i:i + 1])
        time.sleep(0.01)
    print('pieces', tcpread(s))
    s.close()
    time.sleep(0.2)
    # a zero length closes the connection
    s = tcpconn(server, sport=23003)
    s.sendall(b'\0\0')
    print('zero', tcpread(s))
    s.close()
    time.sleep(0.2)
    # a rejected body closes the connection
    s = tcpconn(server, sport=23004)
    s.sendall(frame(packet('localhost', flags=0)))
    print('norecurse', tcpread(s))
    s.close()
    time.sleep(0.2)
    # a query with trailing junk beyond 1024 bytes, then another
    s = tcpconn(server, sport=23005)
    s.sendall(frame(packet('localhost', qid=5, tail=b'x' * 3000)) + frame(packet('localhost', 'mx', qid=6)))
    print('long.1', tcpread(s))
    print('long.2', tcpread(s))
    s.close()
    time.sleep(0.2)
    # AXFR and IXFR over TCP
    s = tcpconn(server, sport=23006)
    s.sendall(frame(packet('localhost', 'axfr', qid=7)))
    print('axfr', tcpread(s))
    s.close()
    time.sleep(0.2)
    s = tcpconn(server, sport=23007)
    s.sendall(frame(packet('localhost', 'ixfr', qid=8)))
    print('ixfr', tcpread(s))
    s.close()
    time.sleep(0.2)
    # half-sent query, then the client closes
    s = tcpconn(server, sport=23008)
    s.sendall(frame(packet('localhost', qid=9))[:7])
    time.sleep(0.3)
    s.close()
    time.sleep(0.3)
    print('done')


def sc_axfr_udp(server):
    print('axfr', show(udp(server, packet('localhost', 'axfr', qid=0x0a0a), sport=24001, timeout=0.5)))
    print('ixfr', show(udp(server, packet('localhost', 'ixfr', qid=0x0b0b), sport=24002, timeout=0.5)))


def sc_idle(server, sport, partial=''):
    """Opens a connection, sends nothing (or a part of a query); reports
    when the server closes."""
    s = tcpconn(server, sport=int(sport))
    if partial:
        s.sendall(frame(packet('localhost'))[:int(partial)])
    t0 = time.time()
    r = tcpread(s, timeout=15)
    print('idle', r, round(time.time() - t0))
    s.close()


def sc_query(server, name, qtype='a', sport='0', timeout='1'):
    print(show(udp(server, packet(name, qtype, qid=0x5555), sport=int(sport), timeout=float(timeout))))


def sc_flood(server, name, count, firstport, qtype='a'):
    """Sends count queries for name from consecutive ports, no waiting."""
    socks = []
    count, firstport = int(count), int(firstport)
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('127.0.0.1', firstport + i))
        s.sendto(packet(name.replace('#', str(i)), qtype, qid=i), (server, 53))
        s.close()
        if i % 50 == 49:
            time.sleep(0.01)
    print('sent', count)


def sc_junk(server, count, src):
    """count packets the daemon must reject (disallowed source or bad query)."""
    count = int(count)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    for i in range(count):
        s.sendto(packet('localhost', qid=i, flags=0 if src == '127.0.0.1' else 0x100), (server, 53))
        if i % 50 == 49:
            time.sleep(0.01)
    s.close()
    print('junk', count)


def sc_burst(server, count):
    """count queries for localhost from many ports at once; counts replies."""
    count = int(count)
    socks = []
    for i in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        s.setblocking(False)
        s.sendto(packet('localhost' if i % 2 else '1.2.3.4', qid=i), (server, 53))
        socks.append(s)
        if i % 100 == 99:
            time.sleep(0.02)
    got = 0
    deadline = time.time() + 5
    pending = set(socks)
    while pending and time.time() < deadline:
        rl, _, _ = select.select(list(pending), [], [], 0.2)
        for s in rl:
            try:
                s.recv(4096)
                got += 1
            except OSError:
                pass
            pending.discard(s)
    for s in socks:
        s.close()
    print('replies', got)


def sc_tcpfill(server, count, firstport, hold):
    """Opens count TCP connections and keeps them for hold seconds."""
    socks = []
    for i in range(int(count)):
        socks.append(tcpconn(server, sport=int(firstport) + i))
        time.sleep(0.05)
    time.sleep(float(hold))
    alive = 0
    for s in socks:
        s.setblocking(False)
        try:
            d = s.recv(10)
            if d:
                alive += 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
        s.close()
    print('alive', alive)


def sc_tcpslow(server, sport, name, hold='12'):
    """A client that sends queries for 2 s and never reads the replies,
    then keeps the connection for hold seconds; reports how it ended."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind(('127.0.0.1', int(sport)))
    s.connect((server, 53))
    s.setblocking(False)
    sent = 0
    data = frame(packet(name, 'any', qid=1)) * 64
    t0 = time.time()
    while time.time() - t0 < 2:
        try:
            sent += s.send(data)
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
    time.sleep(float(hold))
    s.close()
    print('slowclient sent', sent > 0)


def sc_tcpquery(server, sport, name):
    """One TCP query; waits up to 5 s for the reply or the close."""
    s = tcpconn(server, sport=int(sport))
    s.sendall(frame(packet(name, qid=0x7777)))
    print(tcpread(s, timeout=5))
    s.close()


def skipname(r, pos):
    while True:
        n = r[pos]
        if n >= 0xc0:
            return pos + 2
        if n == 0:
            return pos + 1
        pos += n + 1


def masked(r):
    """show(r) with every answer TTL replaced by zeros (cache timing)."""
    if r is None or len(r) < 12:
        return show(r)
    r = bytearray(r)
    try:
        an = struct.unpack('>H', r[6:8])[0]
        pos = skipname(r, 12) + 4
        for _ in range(an):
            pos = skipname(r, pos)
            r[pos + 4:pos + 8] = b'\0\0\0\0'
            pos += 10 + struct.unpack('>H', r[pos + 8:pos + 10])[0]
    except IndexError:
        pass
    return show(bytes(r))


def sc_big(server):
    """Answers over 512 bytes: TC over UDP, in full over TCP."""
    cases = [('bigtxt.test', 'txt'), ('big.test', 'mx'), ('medtxt.test', 'txt'), ('BiG.TeSt', 'mx')]
    port = 28000
    for name, t in cases:
        port += 1
        print('udp', name, masked(udp(server, packet(name, t, qid=port), sport=port, timeout=5)))
    s = tcpconn(server, sport=28100)
    for name, t in cases:
        s.sendall(frame(packet(name, t, qid=0x100)))
        r = tcpread(s, timeout=5)
        print('tcp', name, r[:40])
    s.close()
    s = tcpconn(server, sport=28101)
    for name, t in cases:
        s.sendall(frame(packet(name, t, qid=0x100)))
        s.settimeout(5)
        buf = b''
        while len(buf) < 2 or len(buf) < 2 + struct.unpack('>H', buf[:2])[0]:
            d = s.recv(65537)
            if not d:
                break
            buf += d
        print('tcp', name, masked(buf[2:]))
    s.close()


def sc_tcpacl(server, src, sport):
    """A TCP query from src: a refused client sees the connection closed."""
    try:
        s = tcpconn(server, src=src, sport=int(sport))
        s.sendall(frame(packet('localhost', qid=0x4242)))
        r = tcpread(s)
        print(src, 'tcp', 'closed' if r in ('eof', 'reset') else r)
        s.close()
    except OSError as e:
        print(src, 'tcp', 'error', e.errno)


def sc_blackhole(ip, seconds):
    """A server that takes UDP and TCP queries on ip:53 and never answers."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ip, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((ip, 53))
    t.listen(50)
    print('ready', flush=True)
    end = time.time() + float(seconds)
    conns = []
    while time.time() < end:
        rl, _, _ = select.select([u, t], [], [], 0.5)
        if u in rl:
            u.recv(4096)
        if t in rl:
            c, _ = t.accept()
            conns.append(c)


def main():
    sc = globals()['sc_' + sys.argv[1]]
    sc(*sys.argv[2:])


if __name__ == '__main__':
    main()
