#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The committed Ethernet captures, replayed onto lo with tcpreplay, read live (issue 8).

For each captures/*.pcap with an Ethernet link type: `wstrace -i lo` captures while tcpreplay
writes the file's packets onto lo, and must find the same connections, outcomes, HTTP statuses
and WebSocket frames per opcode as `wstrace -r` on the file, with every packet received and
none dropped (the kernel counters in the JSON stats). Then a 10 MB load-test capture from the
bench generator (35 533 packets, 1000 connections), replayed at 1000 Mbit/s, must give the
generator's ground-truth frame count. The 32 MiB capture buffer holds all of it, so this checks
counting and accounting, never speed.

The packets get a destination MAC of their own first (rewritten here; tcprewrite leaves IPv6
multicast-style addresses alone), which the capture filter selects: nothing else on lo can
match, and the kernel's IP layer ignores frames addressed to another host instead of answering
them with RSTs.

Exit 77 (skipped) when not root or when tcpreplay is missing.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

from live_wstrace import LiveCapture

WSTRACE = sys.argv[1]
CAPTURES = sys.argv[2]
GENERATOR = sys.argv[3] if len(sys.argv) > 3 else None


def fail(message: str) -> None:
    print("FAIL:", message)
    sys.exit(1)


def projection(doc):
    conns = doc["captures"][0]["connections"]
    return sorted((c["client"], c["server"], c["outcome"],
                   [r["status"] for r in c["responses"]],
                   c["c2s"]["frames_by_opcode"], c["s2c"]["frames_by_opcode"]) for c in conns)


def frames(doc) -> int:
    return sum(c[d]["frames"] for c in doc["captures"][0]["connections"] for d in ("c2s", "s2c"))


def is_ethernet(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:4] not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1",
                                          b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        return False  # not classic pcap (pcapng is left out: tcpreplay reads it, but why)
    order = "little" if head[0] in (0xd4, 0x4d) else "big"
    return int.from_bytes(head[20:24], order) & 0x0fffffff == 1


def rewrite_destination(path: str, out: str, mac: bytes) -> None:
    """Copies a classic pcap file with every Ethernet destination address set to `mac`."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    order = "little" if data[0] in (0xd4, 0x4d) else "big"
    pos = 24
    while pos + 16 <= len(data):
        caplen = int.from_bytes(data[pos + 8:pos + 12], order)
        if caplen >= 6:
            data[pos + 16:pos + 22] = mac
        pos += 16 + caplen
    with open(out, "wb") as f:
        f.write(data)


def capture_replay(path: str, tmp: str, mac: str, speed: str):
    """The JSON document of `wstrace -i lo` while tcpreplay writes `path` onto lo."""
    name = os.path.basename(path)
    rewritten = os.path.join(tmp, "lo-" + name)
    rewrite_destination(path, rewritten, bytes.fromhex(mac.replace(":", "")))
    out = os.path.join(tmp, name + ".json")
    cap = LiveCapture(WSTRACE, ["-f", f"ether dst {mac}", "--format", "json", "-o", out], name,
                      fail)
    try:
        replay = subprocess.run(["tcpreplay", "-i", "lo", speed, rewritten],
                                capture_output=True, text=True, timeout=30)
        if replay.returncode != 0:
            fail(f"{name}: tcpreplay failed: {replay.stderr.strip()}")
        rc = cap.stop(0.6)  # packets are handed over in blocks, at the latest after 250 ms
    finally:
        cap.kill()
    if rc != 0:
        fail(f"{name}: wstrace -i exited with {rc}: {cap.stderr()}")
    with open(out) as f:
        return json.load(f)


def replay_one(path: str, tmp: str, mac: str) -> None:
    name = os.path.basename(path)
    expected = json.loads(subprocess.run([WSTRACE, "-r", path, "--format", "json"],
                                         check=True, capture_output=True, text=True,
                                         timeout=30).stdout)
    live = capture_replay(path, tmp, mac, "--topspeed")
    want_packets = expected["captures"][0]["stats"]["packets"]
    stats = live["captures"][0]["stats"]
    if (stats["packets"], stats["received_by_filter"], stats["dropped_by_kernel"]) != \
            (want_packets, want_packets, 0):
        fail(f"{name}: {want_packets} packets replayed; live stats {stats}")
    if frames(live) != frames(expected):
        fail(f"{name}: {frames(live)} frames live, {frames(expected)} in the file")
    if projection(live) != projection(expected):
        fail(f"{name}: live trace differs from the file's:\n{projection(live)}\n"
             f"{projection(expected)}")
    print(f"{name}: {want_packets} packets, {frames(live)} frames: ok")


def replay_load_test(tmp: str, mac: str) -> None:
    path = os.path.join(tmp, "loadtest-10M.pcap")
    truth_path = os.path.join(tmp, "loadtest-10M.json")
    subprocess.run([GENERATOR, "--size", "10M", "--seed", "1", "-o", path, "--truth", truth_path],
                   check=True, capture_output=True, timeout=60)
    with open(truth_path) as f:
        truth = json.load(f)["totals"]
    live = capture_replay(path, tmp, mac, "--mbps=1000")
    stats = live["captures"][0]["stats"]
    if (stats["packets"], stats["received_by_filter"], stats["dropped_by_kernel"]) != \
            (truth["packets"], truth["packets"], 0):
        fail(f"load test: {truth['packets']} packets replayed; live stats {stats}")
    if frames(live) != truth["frames"] or \
            len(live["captures"][0]["connections"]) != truth["connections"]:
        fail(f"load test: {frames(live)} frames in "
             f"{len(live['captures'][0]['connections'])} connections live; truth "
             f"{truth['frames']} in {truth['connections']}")
    print(f"load test: {truth['packets']} packets, {truth['frames']} frames at 1000 Mbit/s: ok")


def main() -> None:
    if os.geteuid() != 0:
        print("not root: live capture needs CAP_NET_RAW; skipped")
        sys.exit(77)
    if shutil.which("tcpreplay") is None:
        print("tcpreplay not found (apt-get install tcpreplay); skipped")
        sys.exit(77)
    files = sorted(p for p in glob.glob(os.path.join(CAPTURES, "*.pcap")) if is_ethernet(p))
    if not files:
        fail(f"no Ethernet pcap files in {CAPTURES}")
    # Locally administered, and different in every run: concurrent runs do not see each other.
    pid = os.getpid()
    mac = f"02:77:73:{(pid >> 16) & 0xff:02x}:{(pid >> 8) & 0xff:02x}:{pid & 0xff:02x}"
    os.chmod(WSTRACE, 0o755)
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            replay_one(path, tmp, mac)
        if GENERATOR:
            replay_load_test(tmp, mac)
    print(f"{len(files) + (1 if GENERATOR else 0)} passed, 0 failed")


if __name__ == "__main__":
    main()
