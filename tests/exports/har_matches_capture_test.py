#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HAR export of real captures follows Chrome DevTools' importer rules (HARFormat.ts,
Importer.ts) and its WebSocket messages equal the capture's data messages, as the JSON trace
gives them.

usage: har_matches_capture_test.py WSTRACE CAPTURE...
"""
import base64
import json
import subprocess
import sys
from datetime import datetime

wstrace, captures = sys.argv[1], sys.argv[2:]


def run(*args):
    r = subprocess.run([wstrace, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def number(obj, key, where):
    assert isinstance(obj.get(key), (int, float)) and not isinstance(obj.get(key), bool), \
        f"{where}.{key} must be a number, is {obj.get(key)!r}"


checked = 0
for path in captures:
    har = run("-r", path, "--format", "har")
    trace = run("-r", path, "--format", "json")["captures"][0]
    log = har["log"]
    assert log["version"] == "1.2" and log["creator"]["name"] == "wstrace"
    ws_conns = [c for c in trace["connections"]
                if (c["request"] and c["request"]["is_upgrade"]) or c["outcome"] == "midstream"]
    assert len(log["entries"]) == len(ws_conns), (path, len(log["entries"]), len(ws_conns))
    for entry, conn in zip(log["entries"], ws_conns):
        where = f"{path} connection {conn['id']}"
        datetime.fromisoformat(entry["startedDateTime"].replace("Z", "+00:00"))
        number(entry, "time", where)
        for key in ("headersSize", "bodySize"):
            number(entry["request"], key, where)
        for key in ("status", "headersSize", "bodySize"):
            number(entry["response"], key, where)
        number(entry["response"]["content"], "size", where)
        for key in ("send", "wait", "receive"):
            number(entry["timings"], key, where)
        assert entry["_resourceType"] == "websocket"
        messages = entry["_webSocketMessages"]
        assert all(isinstance(m, dict) and set(m) == {"type", "time", "opcode", "data"}
                   for m in messages), where
        # The capture's data messages, in order, from the JSON trace.
        want = []
        for e in trace["events"]:
            if e["connection"] != conn["id"] or e["kind"] != "ws_message":
                continue
            m = trace["messages"][e["message"]]
            if m["opcode"] not in ("text", "binary"):
                continue
            raw = (m["payload"]["data"].encode() if m["payload"]["encoding"] == "text"
                   else base64.b64decode(m["payload"]["data"]))
            want.append(("send" if m["direction"] == "c2s" else "receive",
                         1 if m["opcode"] == "text" else 2, raw, m["last_ns"] / 1e9))
        got = []
        for m in messages:
            raw = m["data"].encode() if m["opcode"] == 1 else base64.b64decode(m["data"])
            got.append((m["type"], m["opcode"], raw, m["time"]))
        assert [g[:3] for g in got] == [w[:3] for w in want], f"{where}: messages differ"
        assert all(abs(g[3] - w[3]) < 1e-6 for g, w in zip(got, want)), f"{where}: times differ"
        checked += len(got)
    print(f"{path}: {len(log['entries'])} entries")
assert checked > 0, "no message was compared"
print(f"{checked} messages compared")
print("1 passed, 0 failed")
