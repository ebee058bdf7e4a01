#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Consistency check of captures/ (registered with ctest as captures.check).

Every capture must have: a row in captures/README.md whose format column names its real file
format and link type, an expected-output file that is well formed and uses only anomaly ids
from decoder/model/anomaly.h, and a generator scenario in captures/gen/generate.sh that made
it. Each server keeps its own log beside the capture (LOG_SUFFIXES): gin scenarios a
.server.log, nginx scenarios also an .nginx-access.log and an .nginx-error.log, and a log never
concatenates several servers. Nothing may be orphaned, nothing unknown may lie in captures/,
and the whole set stays small. Usage: check_captures.py REPO_ROOT
"""
import json
import re
import struct
import sys
from pathlib import Path

MAX_TOTAL_BYTES = 5 * 1024 * 1024
OUTCOMES = {"upgraded", "refused", "failed", "http_only", "tcp_only", "midstream"}
OPCODES = {"continuation", "text", "binary", "close", "ping", "pong"} | {f"0x{i:x}" for i in range(3, 16)}
TOP_KEYS = {"connections", "capture_anomalies", "story", "server_log", "note", "comment"}  # docs/golden-format.md
CONN_KEYS = {"client_port", "h2_stream", "outcome", "statuses", "frames", "anomalies", "root_cause",
             "consequences", "client", "server", "note", "comment"}
BELIEFS = {"upgraded", "not_upgraded", "unknown"}
LINKTYPES = {1: "EN10MB", 113: "LINUX_SLL", 276: "LINUX_SLL2"}
# One file per server beside captures/<name>.pcap[ng] (captures/gen/generate.sh, issue 16).
LOG_SUFFIXES = (".server.log",         # the gin/Go server's stdout+stderr (or the raw server's)
                ".nginx-access.log",   # nginx's access log, log_format wst (combined + times)
                ".nginx-error.log",    # nginx's error log at level info
                ".node.log")           # a node ws server's own log
OTHER_FILES = {"README.md", "check_captures.py", "gen"}
# The separator lines the generator once wrote between two servers' logs in one file.
SEPARATOR = re.compile(r"^== .* ==$", re.M)


def snake(camel):
    """HijackGinLogs200 -> hijack_gin_logs_200."""
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Z])", "_", camel).lower()


def anomaly_names(repo):
    """The catalog's stable ids: the names in anomaly_catalog.cpp when it exists (the source of
    truth), else the AnomalyId enum of anomaly.h converted CamelCase -> snake_case."""
    catalog = repo / "decoder/model/anomaly_catalog.cpp"
    if catalog.exists():
        found = set(re.findall(r"AnomalyInfo\{\s*(?:AnomalyId::)?\w+\s*,\s*\"([a-z0-9_]+)\"",
                               catalog.read_text()))
        if found:
            return found
    text = (repo / "decoder/model/anomaly.h").read_text()
    body = re.search(r"enum class AnomalyId[^{]*\{(.*?)\};", text, re.S).group(1)
    body = re.sub(r"//[^\n]*", "", body)
    names = [n.strip() for n in body.split(",")]
    return {snake(n) for n in names if n and n != "Count_"}


def file_format(path):
    """('pcap'|'pcapng', link type name) from the file header."""
    data = path.read_bytes()[:4096]
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        return "pcap", LINKTYPES.get(struct.unpack("<I", data[20:24])[0] & 0xFFFF, "?")
    if magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        return "pcap", LINKTYPES.get(struct.unpack(">I", data[20:24])[0] & 0xFFFF, "?")
    if magic == b"\x0a\x0d\x0d\x0a":
        bom = data[8:12]
        end = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
        off = 0
        while off + 12 <= len(data):  # walk blocks to the first Interface Description Block
            btype, blen = struct.unpack(end + "II", data[off:off + 8])
            if btype == 1:
                return "pcapng", LINKTYPES.get(struct.unpack(end + "H", data[off + 8:off + 10])[0], "?")
            if blen < 12:
                break
            off += blen
        return "pcapng", "?"
    return "?", "?"


def readme_rows(readme):
    """First-column file name -> list of cells, for table rows that name a capture."""
    rows = {}
    for line in readme.splitlines():
        m = re.match(r"\|\s*`?([\w.-]+\.pcap(?:ng)?)`?\s*\|", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in line.strip().strip("|").split("|")]
    return rows


def check_expect(path, names, errors):
    try:
        doc = json.loads(path.read_text())
    except ValueError as e:
        errors.append(f"{path.name}: not JSON: {e}")
        return set()
    used = set()
    if not isinstance(doc, dict):
        errors.append(f"{path.name}: not a JSON object")
        return set()
    for k in sorted(set(doc) - TOP_KEYS):
        errors.append(f"{path.name}: unknown key {k!r} (docs/golden-format.md)")
    if not isinstance(doc.get("note"), str) or not doc["note"]:
        errors.append(f"{path.name}: missing note (what the scenario was built to do)")
    conns = doc.get("connections")
    if not isinstance(conns, list) or not conns:
        errors.append(f"{path.name}: connections must be a non-empty list")
        conns = []
    for i, c in enumerate(conns):
        where = f"{path.name} connection {i}"
        for k in sorted(set(c) - CONN_KEYS):
            errors.append(f"{where}: unknown key {k!r} (docs/golden-format.md)")
        if c.get("outcome") not in OUTCOMES:
            errors.append(f"{where}: outcome {c.get('outcome')!r} not in {sorted(OUTCOMES)}")
        st = c.get("statuses")
        if not isinstance(st, list) or not all(isinstance(s, int) and 100 <= s <= 599 for s in st):
            errors.append(f"{where}: statuses must be a list of HTTP status codes")
        frames = c.get("frames")
        if not isinstance(frames, dict) or set(frames) != {"c2s", "s2c"}:
            errors.append(f"{where}: frames must have exactly c2s and s2c")
        else:
            for d, counts in frames.items():
                for op, n in counts.items():
                    if op not in OPCODES or not isinstance(n, int) or n < 1:
                        errors.append(f"{where}: frames.{d}.{op}={n!r} (opcode names {sorted(OPCODES)}, counts >= 1)")
        an = c.get("anomalies")
        if not isinstance(an, list) or len(set(an)) != len(an):
            errors.append(f"{where}: anomalies must be a list without duplicates")
            an = []
        used.update(an)
        # The verdict (docs/verdicts.md): its root cause and consequences are findings of the
        # connection, and both peers' beliefs are named.
        root = c.get("root_cause", "missing")
        if root == "missing":
            errors.append(f"{where}: root_cause is required (null when nothing went wrong)")
        elif root is not None and root not in an:
            errors.append(f"{where}: root_cause {root!r} is not one of its anomalies")
        cons = c.get("consequences")
        if not isinstance(cons, list) or not set(cons) <= set(an) or (root is None and cons):
            errors.append(f"{where}: consequences must be a list of its anomalies (empty without a root cause)")
        for peer in ("client", "server"):
            if c.get(peer) not in BELIEFS:
                errors.append(f"{where}: {peer} must be one of {sorted(BELIEFS)}")
    story = doc.get("story")
    if not isinstance(story, list) or not story or not all(isinstance(x, str) for x in story):
        errors.append(f"{path.name}: story must be a non-empty list of lines")
    ca = doc.get("capture_anomalies")
    if not isinstance(ca, list):
        errors.append(f"{path.name}: capture_anomalies must be a list")
        ca = []
    used.update(ca)
    for a in sorted(used - names):
        errors.append(f"{path.name}: anomaly id {a!r} is not in decoder/model/anomaly.h")
    return used


def main():
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    cap = repo / "captures"
    gen = (cap / "gen/generate.sh").read_text()
    m = re.search(r"SCENARIOS=\((.*?)\)", gen, re.S)
    scenarios = set(m.group(1).split()) if m else set()
    rows = readme_rows((cap / "README.md").read_text())
    names = anomaly_names(repo)
    errors = []
    captures = sorted(p for p in cap.iterdir() if p.suffix in (".pcap", ".pcapng"))
    if not captures:
        errors.append("no captures found")
    total = 0
    for p in captures:
        total += p.stat().st_size
        stem = p.name[: -len(p.suffix)]
        fmt, link = file_format(p)
        if fmt != p.suffix[1:]:
            errors.append(f"{p.name}: file is {fmt}, extension says {p.suffix[1:]}")
        row = rows.get(p.name)
        if row is None:
            errors.append(f"{p.name}: no row in captures/README.md")
        else:
            if len(row) != 6:
                errors.append(f"{p.name}: README row has {len(row)} cells, want 6")
            else:
                if fmt not in row[1] or link not in row[1].replace("`", ""):
                    errors.append(f"{p.name}: README format '{row[1]}' does not say {fmt}, {link}")
                scen = row[5].strip("` ")
                if scen not in scenarios:
                    errors.append(f"{p.name}: README scenario {scen!r} not in generate.sh SCENARIOS")
                elif f"sc_{scen.replace('-', '_')}()" not in gen:
                    errors.append(f"{p.name}: generate.sh has no function sc_{scen.replace('-', '_')}")
                elif stem not in gen:
                    errors.append(f"{p.name}: generate.sh never writes {stem}")
        exp = cap / f"{stem}.expect.json"
        if not exp.exists():
            errors.append(f"{p.name}: no {exp.name}")
        else:
            used = check_expect(exp, names, errors)
            if row is not None and len(row) == 6:
                listed = set(re.findall(r"[a-z][a-z0-9_]+", row[4].replace("none", "")))
                if listed != used:
                    errors.append(f"{p.name}: README anomaly ids {sorted(listed)} != expect file {sorted(used)}")
        if stem.startswith(("gin-", "nginx-", "k6-")) and not (cap / f"{stem}.server.log").exists():
            errors.append(f"{p.name}: scenario with a gin server but no {stem}.server.log")
        if stem.startswith("nginx-"):
            for suffix in (".nginx-access.log", ".nginx-error.log"):
                if not (cap / f"{stem}{suffix}").exists():
                    errors.append(f"{p.name}: nginx scenario without {stem}{suffix}")
    stems = {p.name[: -len(p.suffix)] for p in captures}
    for f in sorted(cap.iterdir()):
        if f.suffix in (".pcap", ".pcapng") or f.name in OTHER_FILES:
            continue
        suffix = next((x for x in (".expect.json",) + LOG_SUFFIXES if f.name.endswith(x)), None)
        if suffix is None:
            errors.append(f"{f.name}: unknown file in captures/ (captures, {', '.join(LOG_SUFFIXES)}, .expect.json)")
        elif f.name[: -len(suffix)] not in stems:
            errors.append(f"{f.name}: no capture {f.name[: -len(suffix)]}.pcap[ng]")
        elif suffix in LOG_SUFFIXES and SEPARATOR.search(f.read_text(errors="replace")):
            errors.append(f"{f.name}: a separator line: one file per server's log")
    for name in rows:
        if not (cap / name).exists():
            errors.append(f"README row for missing file {name}")
    if total > MAX_TOTAL_BYTES:
        errors.append(f"captures total {total} bytes > {MAX_TOTAL_BYTES}")
    for e in errors:
        print("captures:", e)
    print(f"captures: {len(captures)} captures, {total} bytes, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
