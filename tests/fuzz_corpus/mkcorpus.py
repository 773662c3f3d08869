#!/usr/bin/python3
"""mkcorpus.py: writes the seed corpus of the fuzz targets (tests/fuzz_*.c)
into tests/fuzz_corpus/<target>/seed-*: a handful of small valid packets
made with dnspython.  Rerun it after changing it; the files are committed.
Crash reproducers found by fuzzing live next to them as crash-* files and
are never rewritten by this script.

  fuzz_packet       replies and queries of every common type, compressed
  fuzz_clientquery  client queries: 2 bytes of client port (big endian),
                    then the packet (see fuzz_clientquery.c)
  fuzz_response     1 byte of options, 2 bytes of cache size, then an
                    upstream reply (see fuzz_response.c)
  fuzz_opt          queries and replies with and without EDNS0 OPT
                    records, well-formed and not (see fuzz_opt.c); the
                    EDNS queries also go to fuzz_clientquery
"""
import os
import struct
import sys

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

here = os.path.dirname(os.path.abspath(__file__))


def rr(name, ttl, rdtype, *data):
    return dns.rrset.from_text(name, ttl, "IN", rdtype, *data)


def query(name, rdtype, rd=True):
    q = dns.message.make_query(name, rdtype)
    q.id = 0x1234
    if not rd:
        q.flags &= ~dns.flags.RD
    return q


def reply(name, rdtype, answer=(), authority=(), additional=(), rcode=0, aa=True):
    q = query(name, rdtype)
    r = dns.message.make_response(q)
    if aa:
        r.flags |= dns.flags.AA
    for x in answer:
        r.answer.append(x)
    for x in authority:
        r.authority.append(x)
    for x in additional:
        r.additional.append(x)
    r.set_rcode(rcode)
    return r.to_wire()


SOA = rr("test.", 2000, "SOA", "ns.test. hostmaster.test. 1 16384 2048 1048576 120")
REPLIES = {
    "a": reply("www.test.", "A", [rr("www.test.", 300, "A", "192.0.2.1", "192.0.2.2")]),
    "referral": reply("www.test.", "A", authority=[rr("test.", 172800, "NS", "a.nic.test.", "b.nic.test.")],
                      additional=[rr("a.nic.test.", 172800, "A", "127.53.1.1"),
                                  rr("b.nic.test.", 172800, "A", "127.53.1.2")], aa=False),
    "cname": reply("www.test.", "A", [rr("www.test.", 600, "CNAME", "a.test."),
                                      rr("a.test.", 300, "A", "192.0.2.1")]),
    "nxdomain": reply("www.test.", "A", authority=[SOA], rcode=dns.rcode.NXDOMAIN),
    "nodata": reply("www.test.", "MX", authority=[SOA]),
    "mx": reply("www.test.", "MX", [rr("www.test.", 300, "MX", "10 mail.test.", "20 mail2.test.")],
                additional=[rr("mail.test.", 300, "A", "192.0.2.25")]),
    "txt": reply("www.test.", "TXT", [rr("www.test.", 300, "TXT", '"hello world"', '"x"')]),
    "soa": reply("test.", "SOA", [SOA]),
    "ptr": reply("1.2.0.192.in-addr.arpa.", "PTR", [rr("1.2.0.192.in-addr.arpa.", 300, "PTR", "a.test.")]),
    "aaaa": reply("www.test.", "AAAA", [rr("www.test.", 300, "AAAA", "2001:db8::1")]),
    "any": reply("www.test.", "ANY", [rr("www.test.", 300, "A", "192.0.2.1"),
                                      rr("www.test.", 300, "MX", "10 www.test."),
                                      rr("www.test.", 300, "TXT", '"t"')]),
    "servfail": reply("www.test.", "A", rcode=dns.rcode.SERVFAIL),
    "dname": reply("www.d.test.", "A", [rr("d.test.", 300, "DNAME", "sub.test."),
                                        rr("www.d.test.", 300, "CNAME", "www.sub.test."),
                                        rr("www.sub.test.", 300, "A", "192.0.2.50")]),
    "aa-nodata-ns": reply("www.test.", "MX", authority=[rr("test.", 300, "NS", "a.nic.test.")]),
}
QUERIES = {
    "a": query("www.test.", "A").to_wire(),
    "mx": query("MiXeD.TeSt.", "MX").to_wire(),
    "any": query("test.", "ANY").to_wire(),
    "ptr": query("1.0.0.127.in-addr.arpa.", "PTR").to_wire(),
    "localhost": query("localhost.", "A").to_wire(),
    "norec": query("www.test.", "A", rd=False).to_wire(),
    "axfr": query("test.", "AXFR").to_wire(),
    "root": query(".", "NS").to_wire(),
}


def edns_query(name, rdtype, **kw):
    q = query(name, rdtype)
    q.use_edns(**kw)
    return q.to_wire()


def opt_rr(size=1232, ttl=0, rdata=b"", owner=b"\x00"):
    return owner + struct.pack(">HHIH", 41, size, ttl, len(rdata)) + rdata


def with_counts(wire, an=None, ns=None, ar=None):
    w = bytearray(wire)
    for off, v in ((6, an), (8, ns), (10, ar)):
        if v is not None:
            w[off:off + 2] = struct.pack(">H", v)
    return bytes(w)


PLAIN = QUERIES["a"]
EDNS_QUERIES = {
    "edns0": edns_query("www.test.", "A", edns=0, payload=1232),
    "edns-4096": edns_query("bigtxt.test.", "TXT", edns=0, payload=4096),
    "edns-100": edns_query("www.test.", "A", edns=0, payload=100),
    "edns-do": edns_query("www.test.", "A", edns=0, payload=1232, ednsflags=dns.flags.DO),
    "edns1": edns_query("www.test.", "A", edns=1, payload=1232),
    "edns255": edns_query("www.test.", "A", edns=255, payload=1232),
    "edns-options": with_counts(PLAIN, ar=1) + opt_rr(rdata=struct.pack(">HH", 10, 8) + b"cookie!!"),
    "edns-two": with_counts(PLAIN, ar=2) + opt_rr() + opt_rr(),
    "edns-nonroot": with_counts(PLAIN, ar=1) + opt_rr(owner=b"\x01a\x00"),
    "edns-in-answer": with_counts(PLAIN, an=1) + opt_rr(),
    "edns-truncated": with_counts(PLAIN, ar=1) + opt_rr()[:7],
    "edns-rdlength": with_counts(PLAIN, ar=1) + opt_rr()[:9] + struct.pack(">H", 40) + b"xy",
}
EDNS_REPLIES = {
    "opt": with_counts(REPLIES["a"], ar=1) + opt_rr(),
    "badvers": with_counts(REPLIES["servfail"][:12], an=0, ns=0, ar=0)[:2] + b"\x81\x80\x00\x01\x00\x00\x00\x00\x00\x01"
               + PLAIN[12:] + opt_rr(ttl=1 << 24),
    "formerr": PLAIN[:2] + b"\x81\x81" + PLAIN[4:],
}


def write(target, name, data):
    d = os.path.join(here, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    for n, w in REPLIES.items():
        write("fuzz_packet", "reply-" + n, w)
        # options 0 (plain), cache size 20000
        write("fuzz_response", n, bytes([0]) + struct.pack(">H", 20000) + w)
    write("fuzz_response", "referral-fwdonly", bytes([1]) + struct.pack(">H", 20000) + REPLIES["referral"])
    write("fuzz_response", "cname-level1", bytes([4]) + struct.pack(">H", 300) + REPLIES["cname"])
    for n, w in QUERIES.items():
        write("fuzz_packet", "query-" + n, w)
        write("fuzz_clientquery", n, struct.pack(">H", 4000) + w)
    write("fuzz_clientquery", "port53", struct.pack(">H", 53) + QUERIES["a"])
    write("fuzz_clientquery", "port1023", struct.pack(">H", 1023) + QUERIES["a"])
    for n, w in EDNS_QUERIES.items():
        write("fuzz_opt", "query-" + n, w)
        write("fuzz_clientquery", n, struct.pack(">H", 4000) + w)
    write("fuzz_opt", "query-plain", PLAIN)
    for n, w in EDNS_REPLIES.items():
        write("fuzz_opt", "reply-" + n, w)
    write("fuzz_opt", "reply-plain", REPLIES["a"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
