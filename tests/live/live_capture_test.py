#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Live capture on loopback through the real wstrace binary (issue 6).

1. `wstrace -i lo -f "tcp port P" -w F.pcapng --format json` captures a real WebSocket
   exchange (tests/live/ws_peer.py, python3-websockets), is stopped with SIGINT, and must
   report the upgraded connection, its handshake and its frames.
   The kernel counters (pcap_stats) are in the JSON `stats` and equal the end-of-capture
   line on stderr; the packets wstrace analysed fit them.
2. The pcapng it wrote, read back with -r, gives the same connections and frames, and its
   `stats` has null kernel counters (a file cannot drop packets).
3. Dropped to an unprivileged user (setpriv), the capture is refused with a message that names
   the missing permission and the setcap command.

Exit 77 (skipped) when not root: capturing needs CAP_NET_RAW.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from live_wstrace import LiveCapture

WSTRACE = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def projection(doc):
    """What must agree between the live run and the re-read file."""
    conns = doc["captures"][0]["connections"]
    return [(c["client"], c["server"], c["outcome"],
             [r["status"] for r in c["responses"]],
             c["c2s"]["frames_by_opcode"], c["s2c"]["frames_by_opcode"],
             c["c2s"]["close_code"], c["s2c"]["close_code"]) for c in conns]


def fail(message: str) -> None:
    print("FAIL:", message)
    sys.exit(1)


COUNTERS = ("received_by_filter", "dropped_by_kernel", "dropped_by_interface")


def check_counters(stats, stderr: str) -> None:
    """The JSON kernel counters are numbers, equal to the stderr line, and fit `packets`."""
    for key in COUNTERS:
        if not isinstance(stats.get(key), int):
            fail(f"stats.{key} should be an integer on a live capture: {stats}")
    m = re.search(r"^wstrace: lo: (\d+) packets received by filter, (\d+) dropped by kernel, "
                  r"(\d+) dropped by interface", stderr, re.MULTILINE)
    if not m:
        fail(f"no kernel counter line on stderr: {stderr!r}")
    reported = tuple(int(g) for g in m.groups())
    if reported != tuple(stats[k] for k in COUNTERS):
        fail(f"stderr says {reported}, JSON says {[stats[k] for k in COUNTERS]}")
    # A quiet loopback exchange of a few dozen packets must not lose any; every packet the
    # filter passed was either analysed or still in the buffer when the capture stopped.
    if stats["dropped_by_kernel"] != 0 or stats["dropped_by_interface"] != 0:
        fail(f"packets dropped on a quiet loopback: {stats}")
    if not 0 < stats["packets"] <= stats["received_by_filter"]:
        fail(f"analysed {stats['packets']} packets of {stats['received_by_filter']} received")
    print("kernel counters:", m.group(0))


def live_run(tmp: str) -> None:
    port = free_port()
    pcapng = os.path.join(tmp, "live.pcapng")
    out = os.path.join(tmp, "live.json")
    cap = LiveCapture(WSTRACE, ["-f", f"tcp port {port}", "-w", pcapng, "--format", "json",
                                "-o", out], "live run", fail)
    try:
        peer = subprocess.run([sys.executable, os.path.join(HERE, "ws_peer.py"), str(port)],
                              timeout=30, capture_output=True, text=True)
        if peer.returncode != 0:
            fail(f"the WebSocket peer failed: {peer.stderr}")
        rc = cap.stop(0.5)
    finally:
        cap.kill()
    stderr = cap.stderr()
    if rc != 0:
        fail(f"wstrace -i exited with {rc}: {stderr}")

    with open(out) as f:
        live = json.load(f)
    check_counters(live["captures"][0]["stats"], stderr)
    conns = live["captures"][0]["connections"]
    if len(conns) != 1:
        fail(f"expected one connection, found {len(conns)}")
    c = conns[0]
    if c["outcome"] != "upgraded" or [r["status"] for r in c["responses"]] != [101]:
        fail(f"handshake not seen as upgraded/101: {c['outcome']}, {c['responses']}")
    if c["request"]["target"] != "/live":
        fail(f"request target {c['request']['target']}")
    c2s, s2c = c["c2s"]["frames_by_opcode"], c["s2c"]["frames_by_opcode"]
    if c2s.get("text") != 3 or c2s.get("binary") != 1 or c2s.get("ping") != 1:
        fail(f"client frames {c2s}")
    if s2c.get("text") != 3 or s2c.get("binary") != 1 or s2c.get("pong") != 1:
        fail(f"server frames {s2c}")
    if c["c2s"]["close_code"] != 1000:
        fail(f"client close code {c['c2s']['close_code']}")

    reread = subprocess.run([WSTRACE, "-r", pcapng, "--format", "json"], capture_output=True,
                            text=True, timeout=30)
    if reread.returncode != 0:
        fail(f"reading the saved capture failed: {reread.stderr}")
    reread_doc = json.loads(reread.stdout)
    if projection(reread_doc) != projection(live):
        fail("the saved capture does not give the same trace as the live run")
    file_stats = reread_doc["captures"][0]["stats"]
    for key in COUNTERS:
        if key not in file_stats or file_stats[key] is not None:
            fail(f"a file's stats.{key} should be null, found {file_stats.get(key, '<absent>')}")
    if file_stats["packets"] != live["captures"][0]["stats"]["packets"]:
        fail("the saved capture does not hold the packets the live run analysed")
    print("live capture and -w read-back: ok")


def refused_run() -> None:
    setpriv = shutil.which("setpriv")
    if not setpriv:
        print("setpriv not found: refused-capture check skipped")
        return
    r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--inh-caps=-all", "--bounding-set=-all", WSTRACE, "-i", "lo"],
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 2:
        fail(f"an unprivileged capture should exit 2, got {r.returncode}")
    if "CAP_NET_RAW" not in r.stderr or "setcap" not in r.stderr:
        fail(f"the refusal should name CAP_NET_RAW and the setcap command: {r.stderr!r}")
    print("unprivileged capture refused with:", r.stderr.strip())


def main() -> None:
    if os.geteuid() != 0:
        print("not root: live capture needs CAP_NET_RAW; skipped")
        sys.exit(77)
    os.chmod(WSTRACE, 0o755)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        live_run(tmp)
    refused_run()
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
