#!/usr/bin/env python3
"""Crafted-reply server for tests/t_tools_pp.sh (printpacket and the tools'
answer readers).  Serves UDP and TCP port 53 on the address given; for a
query whose first label is a number N it sends case N below (the query's ID
and question copied, then the case's header fields and records).  Prints
"ready" when listening, exits after --lifetime seconds.  Also prints the
case list with --list (one number per line)."""
import socket
import struct
import sys
import threading
import time

Q = b'\xc0\x0c'   # pointer to the question name


def name(text):
    if text in ('', '.'):
        return b'\x00'
    out = b''
    for label in text.rstrip('.').split('.'):
        b = label.encode('latin-1')
        out += bytes([len(b)]) + b
    return out + b'\x00'


def rr(owner, rtype, rclass, ttl, rdata):
    return owner + struct.pack('>HHIH', rtype, rclass, ttl, len(rdata)) + rdata


def a(ip):
    return bytes(int(x) for x in ip.split('.'))


SOA = name('ns.pp') + name('Host\\Master.pp') + struct.pack('>IIIII', 1, 2, 3, 4, 4294967295)
ODD = b'\x05A\x01b.c\x04_-\\ \x00'
ALLBYTES = bytes(range(256))

# N: (flags, counts (qd is always 1) an ns ar, body); body may be a
# function of the question bytes for cases that rewrite the question.
CASES = {
    1: (0x8400, (1, 0, 0), rr(Q, 1, 1, 300, a('192.0.2.1'))),
    2: (0x8000, (0, 0, 0), b''),
    3: (0x8580, (1, 0, 0), rr(Q, 1, 1, 0, a('10.0.0.1'))),
    4: (0x8470, (0, 0, 0), b''),
    5: (0x8800, (0, 0, 0), b''),
    6: (0x8403, (0, 1, 0), rr(name('pp'), 6, 1, 60, SOA)),
    7: (0x8406, (0, 0, 0), b''),
    8: (0x8404, (0, 0, 0), b''),
    9: (0x8405, (0, 0, 0), b''),
    10: (0x8400, (9, 0, 0),
         rr(Q, 2, 1, 1, name('NS1.pp')) + rr(Q, 12, 1, 2, Q) + rr(Q, 5, 1, 3, name('x.Y.z'))
         + rr(Q, 15, 1, 4, b'\x00\x0a' + name('mail.pp')) + rr(Q, 6, 1, 5, SOA)
         + rr(Q, 1, 1, 6, a('255.0.128.7')) + rr(Q, 28, 1, 7, bytes(15) + b'\x01')
         + rr(Q, 16, 1, 8, b'\x05hello\x03a b\x00\x02\\"') + rr(Q, 13, 1, 9, b'\x03cpu\x02os')),
    11: (0x8400, (4, 0, 0),
         rr(Q, 99, 1, 1, ALLBYTES) + rr(Q, 0, 1, 2, b'') + rr(Q, 65535, 1, 3, b'x')
         + rr(Q, 17, 1, 4, name('a.b') + name('c.d'))),
    12: (0x8400, (3, 0, 0),
         rr(Q, 1, 3, 1, a('1.2.3.4')) + rr(Q, 1, 255, 2, b'junk') + rr(Q, 16, 4, 3, b'')),
    13: (0x8400, (3, 0, 0),
         rr(Q, 1, 1, 4294967295, a('1.1.1.1')) + rr(Q, 1, 1, 2147483648, a('1.1.1.2'))
         + rr(Q, 1, 1, 1000000001, a('1.1.1.3'))),
    14: (0x8400, (3, 0, 0),
         rr(ODD, 1, 1, 1, a('1.2.3.4')) + rr(b'\x00', 2, 1, 2, ODD) + rr(name('UPPER.Case'), 5, 1, 3, b'\x00')),
    15: (0x8400, (1, 2, 3),
         rr(Q, 1, 1, 1, a('1.2.3.4')) + rr(name('pp'), 2, 1, 2, name('ns1.pp'))
         + rr(name('pp'), 2, 1, 2, name('ns2.pp')) + rr(name('ns1.pp'), 1, 1, 3, a('127.0.0.1'))
         + rr(name('ns2.pp'), 1, 1, 3, a('127.0.0.2')) + rr(name('ns2.pp'), 28, 1, 3, bytes(16))),
    # malformed
    20: (0x8400, (1, 0, 0), rr(Q, 1, 1, 1, b'\x01\x02\x03\x04\x05')),
    21: (0x8400, (1, 0, 0), rr(Q, 1, 1, 1, b'\x01\x02\x03')),
    22: (0x8400, (1, 0, 0), rr(Q, 2, 1, 1, name('ns.pp') + b'X')),
    23: (0x8400, (1, 0, 0), rr(Q, 5, 1, 1, b'\x02ab')),
    24: (0x8400, (1, 0, 0), rr(Q, 15, 1, 1, b'\x00')),
    25: (0x8400, (1, 0, 0), rr(Q, 6, 1, 1, SOA[:-1])),
    26: (0x8400, (1, 0, 0), rr(Q, 6, 1, 1, SOA + b'\x00')),
    27: (0x8400, (1, 0, 0), rr(Q, 1, 1, 1, a('1.2.3.4')) + b'\x00'),
    28: (0x8400, (2, 0, 0), rr(Q, 1, 1, 1, a('1.2.3.4'))),
    29: (0x8400, (1, 0, 0), rr(b'\xc0\xff', 1, 1, 1, a('1.2.3.4'))),
    30: (0x8400, (1, 0, 0), rr(b'\xc0\x30', 1, 1, 1, a('1.2.3.4'))),
    31: (0x8400, (1, 0, 0), rr(b'\x40' + b'a' * 64 + b'\x00', 1, 1, 1, a('1.2.3.4'))),
    32: (0x8400, (1, 0, 0), Q + struct.pack('>HHIH', 1, 1, 1, 40) + a('1.2.3.4')),
    33: (0x8400, (1, 0, 0), Q + b'\x00\x01\x00\x01\x00'),
    34: (0x8400, (1, 0, 0), rr(Q, 12, 1, 1, b'\xc0')),
    35: (0x8400, (0, 0, 0), b'\x00\x00\x00\x00\x00'),
    36: (0x8400, (1, 0, 0), rr(Q, 15, 1, 1, b'\x00\x05')),
    # MX, TXT, PTR readers: records of other types, classes and owners mixed in
    40: (0x8400, (4, 0, 0),
         rr(Q, 15, 1, 1, b'\x00\x14' + name('B.pp')) + rr(name('other.pp'), 15, 1, 1, b'\xff\xff' + name('c.pp'))
         + rr(Q, 15, 3, 1, b'\x00\x01' + name('chaos.pp')) + rr(Q, 1, 1, 1, a('1.2.3.4'))),
    41: (0x8400, (3, 0, 0),
         rr(Q, 16, 1, 1, b'\x03abc\x00\x02\x7f\x80') + rr(Q, 16, 3, 1, b'\x02no')
         + rr(name('x.pp'), 16, 1, 1, b'\x03def\x09short')),
    42: (0x8400, (4, 0, 0),
         rr(Q, 1, 1, 1, a('1.2.3.4')) + rr(Q, 1, 3, 1, a('5.6.7.8')) + rr(name('o.pp'), 1, 1, 1, a('9.9.9.9'))
         + rr(Q, 1, 1, 1, a('1.2.3.4') + b'\x00')),
    43: (0x8400, (3, 0, 0),
         rr(Q, 5, 1, 1, name('x.pp')) + rr(name('x.pp'), 12, 3, 1, name('chaos.pp'))
         + rr(name('x.pp'), 12, 1, 1, name('First.PTR')) + rr(Q, 12, 1, 1, name('second.ptr'))),
    44: (0x8400, (2, 0, 0), rr(Q, 16, 1, 1, b'') + rr(Q, 16, 1, 1, b'\x00\x00\x01A')),
    45: (0x8400, (1, 0, 0), rr(Q, 15, 1, 1, b'\x00\x01' + b'\x01' + b'\\' + b'\x01.' + b'\x00')),
    46: (0x8400, (1, 0, 0), rr(Q, 12, 1, 1, name('a.b') + b'garbage')),
    47: (0x8400, (2, 0, 0), rr(Q, 1, 1, 1, a('1.2.3.4')) + rr(Q, 1, 1, 1, b'\x01')),
    48: (0x8200, (0, 0, 0), b''),
    50: (0x8400, (1, 0, 0), Q + struct.pack('>HHIH', 16, 1, 1, 40) + b'\x02hi'),
    51: (0x8400, (1, 0, 0), Q + struct.pack('>HHIH', 15, 1, 1, 40) + b'\x00\x07' + name('m.pp')),
    52: (0x8400, (1, 0, 0), Q + struct.pack('>HHIH', 12, 1, 1, 40) + name('p.pp')),
    53: (0x8400, (2, 0, 0), rr(Q, 16, 1, 1, b'\x02hi') + Q + struct.pack('>HHIH', 16, 1, 1, 4) + b'\x03abc'),
    54: (0x8400, (2, 0, 0), rr(Q, 1, 1, 1, a('1.2.3.4')) + rr(b'\x01a\xc0', 1, 1, 1, a('5.6.7.8'))),
    49: (0x8400, (40, 0, 0), b''.join(rr(Q, 1, 1, 1, a('10.0.0.%d' % i)) for i in range(40))),
}


def reply(query, tcp):
    if len(query) < 12:
        return None
    pos = 12
    while pos < len(query) and query[pos]:
        pos += 1 + query[pos]
    qend = pos + 5
    if qend > len(query):
        return None
    first = query[13:13 + query[12]].decode('latin-1')
    try:
        n = int(first)
    except ValueError:
        return None
    if n not in CASES:
        return None
    flags, (an, ns, ar), body = CASES[n]
    flags |= struct.unpack('>H', query[2:4])[0] & 0x0100   # echo RD
    if n == 3:
        flags |= 0x0100
    return query[:2] + struct.pack('>HHHHH', flags, 1, an, ns, ar) + query[12:qend] + body


def serve_udp(sock):
    while True:
        data, peer = sock.recvfrom(65535)
        r = reply(data, False)
        if r is not None:
            sock.sendto(r, peer)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        try:
            conn.settimeout(5)
            buf = b''
            while len(buf) < 2 or len(buf) < 2 + struct.unpack('>H', buf[:2])[0]:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                buf += chunk
            r = reply(buf[2:], True) if len(buf) > 2 else None
            if r is not None:
                conn.sendall(struct.pack('>H', len(r)) + r)
        except OSError:
            pass
        conn.close()


def main():
    if sys.argv[1:] == ['--list']:
        for n in sorted(CASES):
            print(n)
        return
    ip = sys.argv[1]
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 300
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ip, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((ip, 53))
    t.listen(64)
    for f, s in ((serve_udp, u), (serve_tcp, t)):
        threading.Thread(target=f, args=(s,), daemon=True).start()
    print('ready', flush=True)
    time.sleep(lifetime)


if __name__ == '__main__':
    main()
