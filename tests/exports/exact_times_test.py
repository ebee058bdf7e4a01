#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Times read by jq (Debian's) and Python's csv are exact (issue 18): epoch `*_ns` pass 2^53 and
are rounded by any reader that uses doubles, so events carry `rel_ns` and the stats `origin_ns`
as a string; CSV rows `rel_ns` / `first_rel_ns` and a `source` column. Python's int is the truth.

usage: exact_times_test.py WSTRACE CAPTURE CAPTURE2
"""
import csv
import io
import json
import shutil
import subprocess
import sys

wstrace, capture, capture2 = sys.argv[1:4]


def run(*args):
    r = subprocess.run([wstrace, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def jq(program, text):
    r = subprocess.run(["jq", "-c", program], input=text, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


if shutil.which("jq") is None:
    print("jq not installed (scripts/install-deps.sh installs it): skipped")
    sys.exit(77)

doc_text = run("-r", capture, "--format", "json")
doc = json.loads(doc_text)  # Python keeps integers exact
cap = doc["captures"][0]
origin = int(cap["stats"]["origin_ns"])
assert origin == cap["events"][0]["time_ns"]
assert all(origin + e["rel_ns"] == e["time_ns"] for e in cap["events"])

# jq: differences between consecutive events from rel_ns are the exact ones.
exact = [b["time_ns"] - a["time_ns"] for a, b in zip(cap["events"], cap["events"][1:])]
got = jq(".captures[0].events | [range(1; length) as $i | .[$i].rel_ns - .[$i - 1].rel_ns]",
         doc_text)[0]
assert got == exact, "jq differs from the exact differences"
assert any(d % 1000 != 0 for d in exact), "the capture has no sub-microsecond differences"
assert jq(".captures[0].stats.origin_ns", doc_text)[0] == str(origin)
# Time order is one sort away, as documented.
order = jq(".captures[0].events | sort_by(.rel_ns, .packet) | map(.rel_ns)", doc_text)[0]
assert order == sorted(e["rel_ns"] for e in cap["events"])

# JSON Lines: rel_ns from the first event line, origin_ns on the finish line.
lines_text = run("-r", capture, "--format", "jsonl")
lines = [json.loads(line) for line in lines_text.splitlines()]
origin_l = int(next(x for x in lines if x["type"] == "finish")["stats"]["origin_ns"])
events = [x for x in lines if x["type"] == "event"]
assert origin_l == events[0]["time_ns"]
assert all(origin_l + x["rel_ns"] == x["time_ns"] for x in events)
assert jq('select(.type == "event") | .rel_ns', lines_text) == [x["rel_ns"] for x in events]

# CSV through Python's csv: control frames, exact relative times, the source of every row.
rows = list(csv.DictReader(io.StringIO(run("-r", capture, "-r", capture2, "--format", "csv",
                                           "--csv-rows", "messages"), newline="")))
assert {r["source"] for r in rows} == {capture, capture2}
mine = [r for r in rows if r["source"] == capture]
want = [m for m in cap["messages"]]
assert len(mine) == len(want), (len(mine), len(want))
for r, m in zip(mine, want):
    assert r["opcode"] == m["opcode"]
    assert int(r["first_rel_ns"]) + origin == m["first_ns"] == int(r["first_ns"])
    assert int(r["last_rel_ns"]) + origin == m["last_ns"]
    assert r["payload_truncated"] == ("1" if m["payload_truncated"] else "0")
assert any(r["opcode"] == "close" and r["close_code"] for r in mine), "no close row"
print(f"{len(cap['events'])} events, {len(mine)} message rows exact")
print("1 passed, 0 failed")
