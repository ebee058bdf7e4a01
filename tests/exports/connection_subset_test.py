#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`wstrace -r F --connections ID -w OUT.pcapng`: the chosen connections, read back by wstrace
and by tcpdump, give the same connections and frames as in the original capture.

usage: connection_subset_test.py WSTRACE CAPTURE OUTDIR
"""
import json
import os
import shutil
import subprocess
import sys

wstrace, capture, outdir = sys.argv[1:4]
os.makedirs(outdir, exist_ok=True)


def trace(path):
    r = subprocess.run([wstrace, "-r", path, "--format", "json"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["captures"][0]


def fingerprint(c):
    return (c["client"], c["server"], c["outcome"], [r["status"] for r in c["responses"]],
            c["c2s"]["frames_by_opcode"], c["s2c"]["frames_by_opcode"], c["c2s"]["packets"],
            c["s2c"]["packets"])


original = trace(capture)
conns = original["connections"]
assert len(conns) >= 3, f"the test capture should hold several connections, has {len(conns)}"
chosen = [conns[1], conns[-1]]
out = os.path.join(outdir, "subset.pcapng")
r = subprocess.run([wstrace, "-r", capture, "--connections", f"{chosen[0]['id']},{chosen[1]['id']}",
                    "-w", out, "-o", os.devnull], capture_output=True, text=True, timeout=60)
assert r.returncode == 0, r.stderr
print(r.stderr.strip())

subset = trace(out)
got = [fingerprint(c) for c in subset["connections"]]
want = [fingerprint(c) for c in chosen]
assert got == want, f"read back:\n{got}\nexpected:\n{want}"
expected_packets = sum(c["last_packet"] - c["first_packet"] + 1 for c in chosen)
assert subset["stats"]["packets"] >= sum(c["c2s"]["packets"] + c["s2c"]["packets"] for c in chosen)
assert subset["stats"]["packets"] <= expected_packets + 2 * len(chosen), subset["stats"]

if shutil.which("tcpdump"):
    td = subprocess.run(["tcpdump", "-nn", "-r", out], capture_output=True, text=True, timeout=60)
    assert td.returncode == 0, td.stderr
    assert len(td.stdout.splitlines()) == subset["stats"]["packets"]

# Writing a file, wstrace stays quiet on stdout as tcpdump and tshark do (issue 18); the
# summary is still there where asked for.
quiet = subprocess.run([wstrace, "-r", capture, "--connections", str(chosen[0]["id"]), "-w", out],
                       capture_output=True, text=True, timeout=60)
assert quiet.returncode in (0, 1) and quiet.stdout == "", quiet.stdout[:200]
asked = subprocess.run([wstrace, "-r", capture, "--connections", str(chosen[0]["id"]), "-w", out,
                        "--format", "text"], capture_output=True, text=True, timeout=60)
assert asked.stdout != "", "--format text should still print the summary"

r = subprocess.run([wstrace, "-r", capture, "--connections", "999", "-w", out],
                   capture_output=True, text=True, timeout=60)
assert r.returncode == 2 and "no connection 999" in r.stderr, (r.returncode, r.stderr)
print("1 passed, 0 failed")
