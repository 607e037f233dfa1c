#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the fuzz harnesses' seed inputs, tests/fuzz/corpus/<name>/
(docs/fuzz.md). The seeds are committed; run this from the repository's
top directory after changing a harness's input format, then check that
`make test` (the replay runners) still passes.

Each seed is a small valid input in the harness's format: the seed
capture's frames (tests/vectors/seed_frames.hex), handshakes for the
reference stack, bridge frames and scripted engines, a few tests/pkt
scripts, numbers, configuration lines and URIs.
"""
import os
import shutil
import struct

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(TOP, "tests", "fuzz", "corpus")


def write(name, fname, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


# ---- wire: the seed capture's frames ----
def seed_frames():
    frames = []
    with open(os.path.join(TOP, "tests", "vectors", "seed_frames.hex")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                frames.append((parts[0], bytes.fromhex(parts[1])))
    return frames


for n, fr in seed_frames():
    write("wire", "seed_frame_%s" % n, fr)

# ---- ref: records FLAGS CALL DT LEN(2) FRAME (fuzz_ref.c) ----
LOCAL, REMOTE = bytes([192, 168, 0, 1]), bytes([192, 0, 2, 1])
MAC_A, MAC_B = bytes([2, 0, 0, 0, 0, 1]), bytes([2, 0, 0, 0, 0, 2])
FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


def frame(sport, dport, seq, ack, flags, opts=b"", data=b"", win=65535):
    """Ethernet/IPv4/TCP from REMOTE to LOCAL, checksums left 0 (the
    harness fixes them: FLAGS bit 0 or 1)."""
    opts += b"\x00" * (-len(opts) % 4)
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, (5 + len(opts) // 4) << 4, flags,
                      win, 0, 0) + opts + data
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, REMOTE, LOCAL)
    return MAC_A + MAC_B + b"\x08\x00" + ip + tcp


def rec(fr, flags=3, call=0, dt=0):
    return bytes([flags, call, dt]) + struct.pack(">H", len(fr)) + fr


MSS = b"\x02\x04\x05\xb4"
P = 40000
passive = [
    rec(frame(P, 8080, 1000, 0, SYN, MSS)),
    rec(frame(P, 8080, 1, 1, ACK)),
    rec(frame(P, 8080, 1, 1, PSH | ACK, data=b"hello")),
    rec(frame(P, 8080, 6, 1, FIN | ACK)),
]
write("ref", "passive_open_data_fin", b"".join(passive))
write("ref", "passive_open_close",
      b"".join(passive[:3]) + rec(frame(P, 8080, 6, 1, ACK), call=0x20)
      + rec(frame(P, 8080, 6, 2, FIN | ACK)) + rec(b"", flags=0, dt=36))
write("ref", "passive_open_rst",
      b"".join(passive[:2]) + rec(frame(P, 8080, 1, 0, RST)))
write("ref", "synack_giveup", passive[0] + rec(b"", flags=0, dt=37))
# active open: connect 49152 -> 192.0.2.1:40000, SYN-ACK acks ISS+1
write("ref", "active_open",
      rec(frame(P, 49152, 7000, 1, SYN | ACK, MSS), call=0x10)
      + rec(frame(P, 49152, 1, 1, ACK, data=b"x" * 10))
      + rec(frame(P, 49152, 11, 1, FIN | ACK), call=0x30)
      + rec(b"", flags=0, call=0x40, dt=30))
write("ref", "simultaneous_open",
      rec(frame(P, 49152, 5000, 0, SYN, MSS), call=0x10)
      + rec(frame(P, 49152, 1, 1, ACK)))
write("ref", "timewait_syn",
      b"".join(passive[:2]) + rec(frame(P, 8080, 1, 1, ACK), call=0x20)
      + rec(frame(P, 8080, 1, 2, FIN | ACK))
      + rec(frame(P, 8080, 100000, 0, SYN, MSS), flags=1, dt=20))
# the seed capture's frames as they are (no listener on their port: RSTs)
write("ref", "seed_capture",
      b"".join(rec(fr, flags=0, dt=10) for _, fr in seed_frames()))
write("ref", "bad_checksum",
      rec(bytearray(frame(P, 8080, 1000, 0, SYN, MSS)), flags=0))

# ---- proto: the bridge protocol (fuzz_proto.c) ----


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def bframe(typ, seq, payload=b""):
    body = bytes([typ, seq, len(payload)]) + payload
    return b"\xa5\x5a" + body + struct.pack(">I", crc32c(body))


PING_ACK, READ_DATA, WRITE_ACK, ERROR, EVENT = 0x81, 0x82, 0x83, 0x80, 0xC0
# decoder mode: even first byte, max_len, stream
stream = (bframe(PING_ACK, 0, b"\x01\x3f") + b"\x00\xa5\x11"
          + bframe(READ_DATA, 1, b"\x00\x00\x00\x2a")
          + bframe(EVENT, 7, b"\x00\x03") + b"\xa5\x5a\x82\x02\x08\x00")
write("proto", "decoder_stream", b"\x00\xfe" + stream)
write("proto", "decoder_oversize", b"\x06\x04" + bframe(READ_DATA, 1, b"\x00" * 8)
      + bframe(WRITE_ACK, 2, b"\x01"))


def call(kind, addr=0, count=0):
    return bytes([kind, addr >> 8, addr & 255, count])


def resp(typ, payload=b"", seq_off=0, silence=False):
    body = bytes([typ]) + payload
    return bytes([seq_off | (0x40 if silence else 0), len(body)]) + body


def raw(b):
    return bytes([0x80, len(b)]) + b


PING, READ, WRITE, POLL = 0, 1, 2, 3
write("proto", "session",
      b"\x01" + bytes([4]) + call(PING) + call(READ, 0x40, 1)
      + call(WRITE, 0x40, 0) + call(POLL, 0, 10)
      + resp(PING_ACK, b"\x01\x3f") + resp(READ_DATA, b"\x00\x00\x00\x01" * 2)
      + resp(WRITE_ACK, b"\x01") + resp(EVENT, b"\x00\x02"))
write("proto", "small_burst",
      b"\x01" + bytes([2]) + call(READ, 0x100, 2) + call(WRITE, 0x100, 1)
      + resp(PING_ACK, b"\x01\x01")
      + b"".join(resp(READ_DATA, b"\x12\x34\x56\x78") for _ in range(3))
      + resp(WRITE_ACK, b"\x01") + resp(WRITE_ACK, b"\x01"))
write("proto", "errors",
      b"\x01" + bytes([3]) + call(PING) + call(READ, 0x7ffc, 3)
      + call(WRITE, 0x10, 4)
      + resp(PING_ACK, b"\x01\x08") + resp(ERROR, b"\x04\x01")
      + resp(ERROR, b"\x03\x00"))
write("proto", "retransmit_stale",
      b"\x01" + bytes([2]) + call(PING) + call(READ, 0, 0)
      + resp(PING_ACK, b"\x01\x3f", silence=True)
      + resp(READ_DATA, b"\x00" * 4, seq_off=3)
      + raw(b"\xa5\x5a\x82\xff") + resp(READ_DATA, b"\x00" * 4, silence=True))
write("proto", "bad_ping",
      b"\x01" + bytes([3]) + call(PING) + call(PING) + call(PING)
      + resp(PING_ACK, b"\x02\x3f") + resp(PING_ACK, b"\x01\x00")
      + resp(READ_DATA, b""))

# ---- pkt: some of the project's scripts, and one with the rarer syntax ----
for s in ["HS-01_listen_syn_synack.pkt", "AO-02_synsent_synack_established.pkt",
          "AO-09_syn_retries_sysctl.pkt", "CK-01_bad_checksum_dropped.pkt",
          "MS-05_odd_options.pkt", "IS-02_isn_random_across_tuples.pkt",
          "TW-04_timewait_syn_reopen.pkt", "CL-09_shutdown_wr_half_close.pkt"]:
    d = os.path.join(OUT, "pkt")
    os.makedirs(d, exist_ok=True)
    shutil.copy(os.path.join(TOP, "tests", "pkt", s), os.path.join(d, s))
write("pkt", "syntax_extras.pkt", """/* options, a time window, SACK blocks,
   raw option bytes, '@port', IPv4 fields, an errno, a command */
--tolerance_usecs=10000
--local_ip=10.0.0.1
--isn_key=000102030405060708090a0b0c0d0e0f
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
0~0.2 > S 0:0(0) <mss 1460>
+0.1 < @40000 [tos 0x0] S. 0:0(0) ack 1 win 100 <sack 1:2 3:4,raw 0102,eol>
+0 > (ttl 64, df, id 1) . 1:1(0) ack 1 <...>
+0 `true`
+0 %{
assert tcpi_state == TCP_ESTABLISHED
assert tcpi_snd_mss >= 88, mss
}%
""")

# ---- parse: RANGE-selector byte, then the string (fuzz_parse.c) ----
for i, s in enumerate(["0", "65535", "0x1F", "017", "18446744073709551615",
                       "1.5", "2e3", "yes", "off", "192.168.0.1", "0.0.0.0"]):
    write("parse", "value_%02d" % i, bytes([i * 37 & 255]) + s.encode())

# ---- config: KEY=VALUE lines (fuzz_config.c) ----
write("config", "all_keys", """mac=02:00:00:00:00:01
ip=10.0.0.1
mtu=1500
mss=1460
rcv_wnd=8760
syn_wnd=0
ttl=64
df=1
ip_id_init=0
ip_id_step=1
arp=on
ping=off
clock_hz=156250000
challenge_ack_limit=5
rto_init=1000
rto_max=60s
syn_giveup=180s
synack_giveup=60000ms
fin_giveup=100s
msl=30s
challenge_ack_window=1000ms
""")
write("config", "refused", "ttl=0\nmsl=0\nenable=yes\nmac=02:00:00:00:00\nip=1.2.3.256\n"
      "mtu=65536\nmss=27\nsyn_giveup=179s\n=1\nnokey\n")
write("config", "short", "ip=192.168.0.1\nmac=2:0:0:0:0:a\n")

# ---- uri: device URIs (fuzz_uri.c) ----
for i, s in enumerate(["sim:", "sim:?seed=7&clock_hz=156250000&pcap=x.pcap",
                       "tcp://127.0.0.1:7000", "tcp://[::1]:7000?connect_timeout=5",
                       "tcp://localhost:7000?timeout=100&retries=3&cmd_timeout=50",
                       "ftdi://", "ftdi://0403:6010:FT1234/B?baud=3000000&mode=fifo",
                       "ftdi://arty-a7?latency=2&flow=rtscts&index=1",
                       "tcp://h:1?fault_seed=3&fault_corrupt=10&fault_drop=1",
                       "usb:x", "tcp:127.0.0.1:7000"]):
    write("uri", "uri_%02d" % i, s)
