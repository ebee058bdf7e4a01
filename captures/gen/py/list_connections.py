#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Lists a capture's TCP connections as tshark (not wstrace) sees them, in the golden format
of docs/golden-format.md, for expect files with many connections (k6-loadtest-gin).

Usage: list_connections.py CAPTURE PATH=OUTCOME[:ANOMALY,...] ...
  Each connection gets the outcome and anomaly ids given for its request path (the scenario's
  design); client_port and frames come from tshark's dissectors, statuses from the status
  lines at the start of the server's bytes and after each blank line (tshark shows a 101 that
  sits inside a chunked 200 as body, not as a response). Prints the JSON list of connections;
  on stderr, a summary and every connection that does not end in FIN both ways without RST.
"""
import collections
import json
import re
import subprocess
import sys

NAMES = {"0": "continuation", "1": "text", "2": "binary", "8": "close", "9": "ping", "10": "pong"}


def tshark(capture, *args):
    return subprocess.run(["tshark", "-r", capture, *args], capture_output=True, text=True,
                          check=True).stdout


def main():
    capture = sys.argv[1]
    design = {}
    for spec in sys.argv[2:]:
        path, rest = spec.split("=", 1)
        outcome, _, ids = rest.partition(":")
        design[path] = (outcome, sorted(filter(None, ids.split(","))))
    ports = set(tshark(capture, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0", "-T", "fields",
                       "-e", "tcp.dstport").split())
    dec = [a for p in sorted(ports) for a in ("-d", f"tcp.port=={p},http")]
    out = tshark(capture, *dec, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                 "-E", "aggregator=,", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.flags.syn",
                 "-e", "tcp.flags.ack", "-e", "tcp.flags.fin", "-e", "tcp.flags.reset",
                 "-e", "tcp.payload", "-e", "http.request.uri", "-e", "websocket.opcode")
    conns = collections.OrderedDict()
    for line in out.splitlines():
        st, sport, syn, ack, fin, rst, payload, uri, ops = line.split("|")
        c = conns.setdefault(st, {"client": None, "uri": "", "s2c": b"", "fins": [], "rst": 0,
                                  "frames": {"c2s": collections.Counter(), "s2c": collections.Counter()}})
        if syn in ("1", "True") and ack not in ("1", "True"):
            c["client"] = int(sport)
        if c["client"] is None:
            continue  # picked up mid-stream: not expected in these captures
        d = "c2s" if int(sport) == c["client"] else "s2c"
        if d == "s2c" and payload:
            c["s2c"] += bytes.fromhex(payload.replace(":", ""))
        if uri:
            c["uri"] = uri
        if fin in ("1", "True"):
            c["fins"].append(d)
        if rst in ("1", "True"):
            c["rst"] += 1
        for o in filter(None, ops.split(",")):
            c["frames"][d][NAMES.get(o, f"0x{int(o):x}")] += 1
    result, summary = [], collections.Counter()
    for st, c in conns.items():
        if c["client"] is None:
            sys.exit(f"stream {st}: no SYN in the capture")
        outcome, ids = design[c["uri"]]
        statuses = [int(m.group(1)) for m in
                    re.finditer(rb"(?:^|\r\n\r\n)HTTP/1\.[01] (\d{3}) ", c["s2c"])]
        frames = {d: dict(v) for d, v in c["frames"].items()}
        summary[(c["uri"], json.dumps(statuses), json.dumps(frames, sort_keys=True))] += 1
        if c["rst"] or sorted(c["fins"]) != ["c2s", "s2c"]:
            print(f"stream {st} port {c['client']} {c['uri']}: FINs {c['fins']} RSTs {c['rst']}",
                  file=sys.stderr)
        result.append({"client_port": c["client"], "outcome": outcome, "statuses": statuses,
                       "frames": frames, "anomalies": ids})
    for k, n in sorted(summary.items()):
        print(f"{n:4d} x {k[0]} statuses {k[1]} frames {k[2]}", file=sys.stderr)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
