#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes the small real captures read by tests/unit/capture (through the real libpcap source).
# Real TCP between two real programs (a python3 socket server and client) on loopback,
# captured by tcpdump (classic pcap) and dumpcap (pcapng). Needs root or CAP_NET_RAW.
#
# Every capture holds one connection on a random free port:
#   client → server: pattern(8000, 1) in 8 writes of 1000 bytes
#   server → client: pattern(6000, 2) in 4 writes of 1500 bytes, then the server closes
# where pattern(n, seed)[i] = (i * 7 + seed) % 251 (tests recompute it byte for byte).
#
#   tcp-ipv4.pcap          tcpdump -i lo, classic pcap, microseconds, little endian
#   tcp-ipv4-nanos.pcap    tcpdump --time-stamp-precision=nano
#   tcp-ipv4-bigendian.pcap  tcp-ipv4.pcap with its file and record headers byteswapped
#                          (what a big-endian host writes; packet bytes unchanged)
#   tcp-ipv4.pcapng        dumpcap -i lo (pcapng)
#   tcp-any-sll2.pcap      tcpdump -i any (Linux cooked v2)
#   tcp-any-sll.pcap       tcpdump -i any -y LINUX_SLL (Linux cooked v1)
#   tcp-ipv6.pcap          tcpdump -i lo on ::1
#   tcp-ipv4-snap96.pcap   tcpdump -s 96: every data packet cut by the snap length
set -euo pipefail
cd "$(dirname "$0")"

traffic() { # traffic HOST PORT
  python3 - "$1" "$2" <<'PY'
import socket, sys, threading, time
host, port = sys.argv[1], int(sys.argv[2])
def pattern(n, seed): return bytes((i * 7 + seed) % 251 for i in range(n))
family = socket.AF_INET6 if ':' in host else socket.AF_INET
srv = socket.socket(family, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port)); srv.listen(1)
def serve():
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    got = b''
    while len(got) < 8000:
        chunk = conn.recv(65536)
        if not chunk: break
        got += chunk
    assert got == pattern(8000, 1), 'server got wrong bytes'
    reply = pattern(6000, 2)
    for k in range(4):
        conn.sendall(reply[k * 1500:(k + 1) * 1500]); time.sleep(0.02)
    conn.close()
t = threading.Thread(target=serve); t.start()
cli = socket.create_connection((host, port))
cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
data = pattern(8000, 1)
for k in range(8):
    cli.sendall(data[k * 1000:(k + 1) * 1000]); time.sleep(0.02)
got = b''
while True:
    chunk = cli.recv(65536)
    if not chunk: break
    got += chunk
assert got == pattern(6000, 2), 'client got wrong bytes'
cli.close(); t.join(); srv.close()
PY
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

capture() { # capture OUT HOST TOOL-ARGS...
  local out=$1 host=$2; shift 2
  local port; port=$(free_port)
  if [[ $1 == dumpcap ]]; then
    "$@" -w "$out.tmp" -f "tcp port $port" 2>"$out.log" &
  else
    "$@" -w "$out.tmp" "tcp port $port" 2>"$out.log" &
  fi
  local pid=$!
  for _ in $(seq 50); do grep -q -i "listening\|capturing" "$out.log" && break; sleep 0.1; done
  sleep 0.3
  traffic "$host" "$port"
  sleep 0.5
  kill -INT "$pid"; wait "$pid" || true
  mv "$out.tmp" "$out"; rm -f "$out.log"
  echo "$out: $(stat -c %s "$out") bytes"
}

byteswap_pcap() { # byteswap_pcap IN OUT: classic pcap, swap header byte order
  python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
out = bytearray()
magic, = struct.unpack('<I', data[:4])
assert magic in (0xa1b2c3d4, 0xa1b23c4d), 'expects a little-endian classic pcap'
out += struct.pack('>IHHiIII', *struct.unpack('<IHHiIII', data[:24]))
pos = 24
while pos < len(data):
    sec, frac, caplen, length = struct.unpack('<IIII', data[pos:pos + 16])
    out += struct.pack('>IIII', sec, frac, caplen, length)
    out += data[pos + 16:pos + 16 + caplen]
    pos += 16 + caplen
open(sys.argv[2], 'wb').write(out)
PY
  echo "$2: $(stat -c %s "$2") bytes"
}

capture tcp-ipv4.pcap 127.0.0.1 tcpdump -i lo -U -s 262144
capture tcp-ipv4-nanos.pcap 127.0.0.1 tcpdump -i lo -U --time-stamp-precision=nano
byteswap_pcap tcp-ipv4.pcap tcp-ipv4-bigendian.pcap
capture tcp-ipv4.pcapng 127.0.0.1 dumpcap -i lo
capture tcp-any-sll2.pcap 127.0.0.1 tcpdump -i any -U -y LINUX_SLL2
capture tcp-any-sll.pcap 127.0.0.1 tcpdump -i any -U -y LINUX_SLL
capture tcp-ipv6.pcap ::1 tcpdump -i lo -U
capture tcp-ipv4-snap96.pcap 127.0.0.1 tcpdump -i lo -U -s 96
