#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The HAR export of real captures follows Chrome DevTools' importer rules (HARFormat.ts,
Importer.ts) and HAR 1.2's (non-negative send/wait/receive that, with connect, sum to `time`);
its WebSocket messages equal the capture's data messages, as the JSON trace gives them; the
response is the one the client acted on; every cut or incomplete message and every root finding
shows as a DevTools error frame; `connection` is the server's port (DevTools' Remote Address).

usage: har_matches_capture_test.py WSTRACE CAPTURE...
"""
import base64
import json
import subprocess
import sys
from datetime import datetime

wstrace, captures = sys.argv[1], sys.argv[2:]


def run(*args, raw=False):
    r = subprocess.run([wstrace, *args], capture_output=True, text=True, timeout=60)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout if raw else json.loads(r.stdout)


def number(obj, key, where):
    assert isinstance(obj.get(key), (int, float)) and not isinstance(obj.get(key), bool), \
        f"{where}.{key} must be a number, is {obj.get(key)!r}"


checked = 0
errors_seen = 0
runs = [(path, ()) for path in captures]
# A small retained prefix, so healthy captures have cut messages too.
runs += [(captures[0], ("--max-payload-prefix", "8"))]
for path, extra in runs:
    har = run("-r", path, "--format", "har", *extra)
    trace = run("-r", path, "--format", "json", *extra)["captures"][0]
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
            assert entry["timings"][key] >= 0, f"{where}: timings.{key} < 0"
        t = entry["timings"]
        assert t["connect"] >= 0 or t["connect"] == -1, where
        total = sum(t[k] for k in ("blocked", "dns", "connect", "send", "wait", "receive")
                    if t[k] >= 0)
        assert abs(total - entry["time"]) < 1e-9, f"{where}: timings sum {total} != {entry['time']}"
        span_ms = (conn["last_ns"] - (min(e["time_ns"] for e in trace["events"]
                                          if e["connection"] == conn["id"]
                                          and e["kind"] == "tcp_syn")
                                      if conn["saw_syn"] else conn["request"]["time_ns"])) / 1e6
        assert abs(entry["time"] - span_ms) < 1e-3, f"{where}: time {entry['time']} != {span_ms}"
        assert entry["connection"] == conn["server"].rsplit(":", 1)[1], \
            f"{where}: connection {entry['connection']} is not the server port of {conn['server']}"
        # The response the client acted on (the verdict's), every head in _wstrace.
        acted = [r for r in entry["_wstrace"]["responses"] if r["actedOn"]]
        if acted:
            assert entry["response"]["status"] == acted[0]["status"], where
        assert entry["response"]["headersSize"] > 0 or not conn["responses"], where
        assert entry["request"]["headersSize"] > 0, where
        if conn["outcome"] in ("refused", "failed") and conn["verdict"]["root_cause"]:
            assert entry["response"]["_error"] == conn["verdict"]["headline"], where
        else:
            assert "_error" not in entry["response"], where
        assert entry["_resourceType"] == "websocket"
        errors = [m for m in entry["_webSocketMessages"] if m["type"] == "error"]
        assert all(m["opcode"] == -1 and isinstance(m["data"], str) for m in errors), where
        times = [m["time"] for m in entry["_webSocketMessages"]]
        assert times == sorted(times), f"{where}: messages not in time order"
        roots = [a for a, cause in zip(entry["_wstrace"]["anomalies"],
                                       conn["verdict"]["caused_by"]) if cause is None or cause < 0]
        for a in roots:
            assert any(a["id"] in m["data"] and f"packet {a['packet']}" in m["data"]
                       for m in errors), f"{where}: root finding {a['id']} not shown"
        errors_seen += len(errors)
        messages = [m for m in entry["_webSocketMessages"] if m["type"] != "error"]
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
            if m["opcode"] == "text" and m["payload"]["encoding"] == "base64":
                # Not UTF-8: the HAR's text has U+FFFD in its place, and an error frame says so.
                assert any(e["time"] == m["last_ns"] / 1e9 and "not valid UTF-8" in e["data"]
                           for e in errors), f"{where}: invalid UTF-8 not flagged"
                raw = b""
            want.append(("send" if m["direction"] == "c2s" else "receive",
                         1 if m["opcode"] == "text" else 2, raw, m["last_ns"] / 1e9))
            if not m["complete"] or m["payload_truncated"]:
                # A DevTools error frame says so at the message's time, with the true length.
                assert any(e["time"] == m["last_ns"] / 1e9 and str(m["length"]) in e["data"]
                           for e in errors), f"{where}: cut message {len(want)} not flagged"
        got = []
        for m in messages:
            raw = m["data"].encode() if m["opcode"] == 1 else base64.b64decode(m["data"])
            got.append((m["type"], m["opcode"], raw, m["time"]))
        # (a text prefix is trimmed to whole characters in the JSON, not in the HAR)
        assert [g[:2] for g in got] == [w[:2] for w in want], f"{where}: messages differ"
        assert all(g[2].startswith(w[2]) for g, w in zip(got, want)), f"{where}: data differs"
        assert all(abs(g[3] - w[3]) < 1e-6 for g, w in zip(got, want)), f"{where}: times differ"
        checked += len(got)
    print(f"{path}: {len(log['entries'])} entries")
assert checked > 0, "no message was compared"
assert errors_seen > 0, "no error frame was checked"

# Several -r files: each entry names its file, and _connectionId is unique over them.
har = run("-r", captures[0], "-r", captures[1], "--format", "har")
ids = [e["_connectionId"] for e in har["log"]["entries"]]
assert len(ids) == len(set(ids)), f"_connectionId collides: {ids}"
assert {e["_wstrace"]["source"] for e in har["log"]["entries"]} == {captures[0], captures[1]}
print(f"{checked} messages compared")
print("1 passed, 0 failed")
