#!/usr/bin/python3
"""dumpfile.py: dnscache's cache dump files (dump.h) for the tests, written
independently of dump.c from the format as dump.h states it.

  dumpfile.py big FILE BYTES TTL [PREFIX]
        a dump of about BYTES bytes of A sets (127.0.0.1) for PREFIX0.big.test.,
        PREFIX1.big.test., ... expiring TTL seconds from now; prints the count
  dumpfile.py list FILE
        one line per entry: expiry, then the key as a name (A/AAAA/...) if it
        is one, else hex; "bad" and the reason if the file does not parse
  dumpfile.py corpus DIR
        the fuzz target's seeds (tests/fuzz_dump.c: an options byte, then
        the file)
"""
import os
import struct
import sys
import time
import zlib

MAGIC = b"DNSCDUMP"
END = b"DNSCEND\n"


def wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def akey(name, qtype=1):
    return struct.pack(">H", qtype) + wire(name.lower())


def entry(key, data, expiry):
    return struct.pack(">qII", expiry, len(key), len(data)) + key + data


def dump(entries, version=1, count=None, reserved=0):
    body = MAGIC + struct.pack(">II", version, reserved)
    body += b"".join(entry(k, d, e) for k, d, e in entries)
    body += END + struct.pack(">Q", len(entries) if count is None else count)
    return body + struct.pack(">I", zlib.crc32(body))


def seal(data):
    """the same bytes with the trailing CRC made right"""
    return data[:-4] + struct.pack(">I", zlib.crc32(data[:-4]))


def parse(data):
    """[(key, data, expiry)] or raises ValueError(reason)"""
    if len(data) < 36 or data[:8] != MAGIC or data[-20:-12] != END:
        raise ValueError("framing")
    if struct.unpack(">I", data[-4:])[0] != zlib.crc32(data[:-4]):
        raise ValueError("crc")
    pos, out = 16, []
    while pos < len(data) - 20:
        exp, kl, dl = struct.unpack(">qII", data[pos:pos + 16])
        pos += 16
        out.append((data[pos:pos + kl], data[pos + kl:pos + kl + dl], exp))
        pos += kl + dl
    if pos != len(data) - 20 or struct.unpack(">Q", data[-12:-4])[0] != len(out):
        raise ValueError("count")
    return out


def keytext(key):
    if len(key) > 3:
        qtype, pos, labels = struct.unpack(">H", key[:2])[0], 2, []
        while pos < len(key) and key[pos]:
            labels.append(key[pos + 1:pos + 1 + key[pos]].decode("latin-1"))
            pos += 1 + key[pos]
        if pos == len(key) - 1:
            return "%d %s." % (qtype, ".".join(labels))
    return key.hex()


def big(path, size, ttl, prefix="n"):
    expiry = int(time.time()) + ttl
    head = MAGIC + struct.pack(">II", 1, 0)
    crc, n, written = zlib.crc32(head), 0, len(head)
    data = bytes([127, 0, 0, 1])
    with open(path, "wb") as f:
        f.write(head)
        while written < size:
            chunk = b"".join(entry(akey("%s%d.big.test" % (prefix, i)), data, expiry)
                             for i in range(n, n + 10000))
            n += 10000
            crc = zlib.crc32(chunk, crc)
            f.write(chunk)
            written += len(chunk)
        tail = END + struct.pack(">Q", n)
        f.write(tail + struct.pack(">I", zlib.crc32(tail, crc)))
    print(n)


def corpus(d):
    os.makedirs(d, exist_ok=True)
    a = (akey("www.example.com"), bytes([192, 0, 2, 1, 192, 0, 2, 2]), 1800000000)
    cname = (akey("alias.example.com", 5), wire("www.example.com"), 1800000100)
    neg = (akey("none.example.com", 255), b"", 1800000200)
    old = (akey("old.example.com"), bytes([192, 0, 2, 9]), 1000)
    seeds = {
        "empty": dump([]),
        "one": dump([a]),
        "several": dump([a, cname, neg, old, a]),
        "binary": dump([(b"", b"", -1), (b"\xff" * 40, bytes(range(256)), 2 ** 63 - 1)]),
        "badcrc": dump([a])[:-1] + b"\0",
        "badcount": seal(dump([a, cname], count=3)),
        "hugelen": seal(dump([a])[:24] + b"\xff\xff\xff\xff" + dump([a])[28:]),
        "version2": dump([a], version=2),
        "cut": dump([a, cname])[:40],
    }
    # one byte of options first: bit 0 makes the fuzzer fix the CRC
    for name, data in seeds.items():
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(b"\0" + data)
    for name in "badcount", "hugelen", "several":
        with open(os.path.join(d, "seed-sealed-" + name), "wb") as f:
            f.write(b"\1" + seeds[name][:-4] + b"\0\0\0\0")


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "big":
        big(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *sys.argv[5:6])
    elif len(sys.argv) == 3 and sys.argv[1] == "list":
        try:
            with open(sys.argv[2], "rb") as f:
                entries = parse(f.read())
        except ValueError as e:
            print("bad", e)
            return 1
        for k, d, e in entries:
            print(e, keytext(k), d.hex())
    elif len(sys.argv) == 3 and sys.argv[1] == "corpus":
        corpus(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 100
    return 0


if __name__ == "__main__":
    sys.exit(main())
