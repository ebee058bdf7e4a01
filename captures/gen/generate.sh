#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the committed captures in captures/ from real WebSocket peers on loopback.
# Not part of CI: the tests read the committed files. Needs root (packet capture).
#
# Usage: captures/gen/generate.sh            every scenario
#        captures/gen/generate.sh NAME...    only these scenarios (see --list)
#        captures/gen/generate.sh --list     scenario names
#
# Each scenario starts its peers on 127.0.0.1 or ::1 (one port range per scenario), captures
# with tcpdump (classic pcap) or dumpcap (pcapng) filtered on those ports, stops every process
# it started by PID, and writes captures/<name>.<pcap|pcapng>, and beside it each server's own
# log, one file per server: <name>.server.log (the gin/Go server's stdout+stderr, or the raw
# server's), <name>.nginx-access.log and <name>.nginx-error.log (nginx), <name>.node.log (a node
# ws server). captures/<name>.expect.json and the README row are written by
# hand from the scenario's design and reviewed against the capture with tshark; re-check them
# when a scenario changes.
set -euo pipefail

GEN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$GEN/../.." && pwd)
OUT=${WST_CAPTURES_OUT:-$REPO/captures}
WORK=$(mktemp -d /tmp/wstrace-gen.XXXXXX)
BIN=$WORK/bin
PY=/usr/bin/python3 # Debian's python3 with python3-websockets, whatever PATH says
source "$GEN/lib.sh"
trap 'stop_all; [[ -n ${WST_GEN_KEEP:-} ]] || rm -rf "$WORK"' EXIT # WST_GEN_KEEP=1 keeps logs

SCENARIOS=(
  gin-healthy-echo
  gin-write-after-upgrade
  gin-write-after-upgrade-panic
  gin-200-then-101
  gin-return-after-upgrade
  gin-early-client-data
  gin-no-hijacker-500
  gin-origin-403
  gin-missing-headers-400
  raw-wrong-accept
  raw-unoffered-subprotocol
  raw-unoffered-extension
  raw-101-then-http
  node-rejects-unoffered
  py-websockets-deflate
  node-ws-ipv6
  dumpcap-two-link-types
  nginx-proxy-ok
  nginx-proxy-no-upgrade-headers
  chromium-deflate
  frame-client-unmasked
  frame-server-masked
  frame-control-too-large
  frame-control-fragmented
  frame-invalid-utf8
  frame-close-1005
  frame-rsv1-no-extension
  frame-ping-unanswered
  frame-rst-mid-message
  node-vs-gorilla
  gin-timeout-handler-hijack
  client-rejects-unoffered-extension
  nginx-proxy-idle-timeout
  nginx-proxy-upstream-closed
  k6-loadtest-gin
  k6-loadtest-gin-mistakes
  h2c-ws-echo
  h2c-ws-no-setting
  h2c-ws-refused
  h2c-ws-reset-mid-message
  h2c-ws-goaway
)

setup() {
  "$REPO/scripts/install-deps.sh" --with-peers
  # node ws, pinned by the committed package-lock.json
  (cd "$GEN/node" && timeout 300 npm ci --no-audit --no-fund >/dev/null)
  # Go programs in GOPATH mode against Debian's sources (no module proxy needed)
  mkdir -p "$BIN"
  local p
  for p in ginserver k6client k6load; do
    GO111MODULE=off GOPATH=/usr/share/gocode:$GEN/go GOCACHE=$WORK/gocache \
      timeout 600 go build -o "$BIN/$p" "wstgen/$p"
  done
}

# --- building blocks -------------------------------------------------------------------------

# gin_start PORT LOGNAME [ADDR [FLAGS...]]: the gin server (extra ginserver FLAGS, e.g.
# -log-std); its stdout+stderr becomes captures/LOGNAME.server.log, nothing else goes there.
gin_start() {
  local port=$1 name=$2 host=${3:-127.0.0.1}
  shift $(($# < 3 ? $# : 3))
  [[ $host == *:* ]] && host="[$host]"
  GIN_LOG=$OUT/$name.server.log
  bg gin "$GIN_LOG" 60 env GIN_MODE=debug "$BIN/ginserver" -addr "$host:$port" -life 50s "$@"
  wait_line "$GIN_LOG" 'listening on' 10
}

gin_stop() {
  stop_bg gin
  # Keep the log reviewable: drop the colour escapes gin's Recovery writes unconditionally.
  sed -i 's/\x1b\[[0-9;]*m//g' "$GIN_LOG"
}

k6() { run 15 "$BIN/k6client" "$@"; }
rawclient() { run 15 "$PY" "$GEN/raw/rawclient.py" "$@"; }

# raw_server MODE PORT [HOST]: one-connection raw server, waits until it listens.
raw_server() {
  bg raw "$WORK/raw.log" 30 "$PY" "$GEN/raw/rawserver.py" "$1" "${3:-127.0.0.1}" "$2"
  wait_line "$WORK/raw.log" listening 10
}

# --- scenarios: gin + gorilla/websocket (Go 1.19, gin 1.8.1, gorilla 1.5.0 from Debian) ------

sc_gin_healthy_echo() { # healthy k6-like session; classic pcap on lo (Ethernet link type)
  gin_start 18101 gin-healthy-echo
  cap_start gin-healthy-echo.pcap tcpdump lo "" "tcp port 18101"
  k6 -url ws://127.0.0.1:18101/echo -mode healthy
  cap_stop; gin_stop
}

sc_gin_write_after_upgrade() { # the seed's story: c.JSON / c.String / c.Status after Upgrade
  gin_start 18102 gin-write-after-upgrade
  cap_start gin-write-after-upgrade.pcapng dumpcap lo "" "tcp port 18102"
  k6 -url ws://127.0.0.1:18102/after-json -mode session
  k6 -url ws://127.0.0.1:18102/after-string -mode session
  k6 -url ws://127.0.0.1:18102/after-status -mode session
  cap_stop; gin_stop
}

sc_gin_write_after_upgrade_panic() { # c.JSON mid-session panics; deferred Close drops TCP
  gin_start 18103 gin-write-after-upgrade-panic
  cap_start gin-write-after-upgrade-panic.pcapng dumpcap lo "" "tcp port 18103"
  k6 -url ws://127.0.0.1:18103/panic-drop -mode linger
  cap_stop; gin_stop
}

sc_gin_200_then_101() { # WriteHeaderNow before Upgrade: 200 flushed at Hijack, then 101
  gin_start 18104 gin-200-then-101
  cap_start gin-200-then-101.pcapng dumpcap lo "" "tcp port 18104"
  k6 -url ws://127.0.0.1:18104/prewrite -mode fail
  cap_stop; gin_stop
}

sc_gin_return_after_upgrade() { # handler returns right after Upgrade: FIN, no Close frame
  gin_start 18105 gin-return-after-upgrade
  cap_start gin-return-after-upgrade.pcapng dumpcap lo "" "tcp port 18105"
  k6 -url ws://127.0.0.1:18105/return -mode readfirst
  cap_stop; gin_stop
}

sc_gin_early_client_data() { # request and first frame in one segment: gorilla 1.5.0 closes
  gin_start 18106 gin-early-client-data
  cap_start gin-early-client-data.pcapng dumpcap lo "" "tcp port 18106"
  rawclient early-data 127.0.0.1 18106 /early-data
  cap_stop; gin_stop
}

sc_gin_no_hijacker_500() { # http.TimeoutHandler's writer is not a Hijacker: gorilla 500
  gin_start 18107 gin-no-hijacker-500
  cap_start gin-no-hijacker-500.pcapng dumpcap lo "" "tcp port 18107"
  k6 -url ws://127.0.0.1:18107/nohijack -mode fail
  cap_stop; gin_stop
}

sc_gin_timeout_handler_hijack() { # two writers without http.Hijacker
  # 1: gorilla's Upgrade behind http.TimeoutHandler: 500. 2: a hand-written WriteHeader(101)
  # behind a metrics wrapper: Go 1.19 sends it as a 1xx, then its own 200; the client's first
  # frame (266 bytes: its 16-bit length 0x010a holds a line feed) is read as a request: 400.
  # The client reads 100 ms after sending, so net/http's 400 and FIN always come before the
  # client's reaction to the 200 (without the pause the two race).
  gin_start 18110 gin-timeout-handler-hijack
  cap_start gin-timeout-handler-hijack.pcapng dumpcap lo "" "tcp port 18110"
  k6 -url ws://127.0.0.1:18110/nohijack -mode fail
  k6 -url ws://127.0.0.1:18110/hand-101 -mode session -size 266 -pause 100ms
  cap_stop; gin_stop
}

sc_k6_loadtest_gin() { # k6-style load: 300 connections from 10 VUs, 4 of them to /prewrite
  # One text echo and a normal close per healthy connection (keeps the file small); the four
  # failures are gin-200-then-101's shape. Classic pcap on lo.
  gin_start 18111 k6-loadtest-gin
  cap_start k6-loadtest-gin.pcap tcpdump lo "" "tcp port 18111"
  run 60 "$BIN/k6load" -base ws://127.0.0.1:18111 -conns 300 -vus 10 -fail-at 41,97,173,256
  cap_stop; gin_stop
}

sc_k6_loadtest_gin_mistakes() { # 300 connections, 9 of them to routes with hijack mistakes
  # The load of k6-loadtest-gin against the same gin server, but a handful of iterations dial
  # a mistaken route: 3 /after-json (c.JSON after the read loop: "response.Write on hijacked
  # connection", Recovery's dump with the Sec-WebSocket-Key, gin logs 500), 2 /after-status
  # (gin's "Headers were already written" warning, gin logs 500), 2 /prewrite (200 flushed
  # before the 101: two responses) and 2 /panic-drop (c.JSON mid-session panics, deferred
  # ws.Close drops TCP). The server logs with Go's default flags (date and time, to the
  # second), unlike every other scenario. Classic pcap on lo.
  gin_start 18112 k6-loadtest-gin-mistakes 127.0.0.1 -log-std
  cap_start k6-loadtest-gin-mistakes.pcap tcpdump lo "" "tcp port 18112"
  run 60 "$BIN/k6load" -base ws://127.0.0.1:18112 -conns 300 -vus 10 \
    -fail-at 37:/after-json,151:/after-json,262:/after-json,88:/after-status,203:/after-status,59:/prewrite,230:/prewrite,120:/panic-drop,284:/panic-drop
  cap_stop; gin_stop
}

sc_gin_origin_403() { # Origin host differs from Host: gorilla's default CheckOrigin, 403
  gin_start 18108 gin-origin-403
  cap_start gin-origin-403.pcapng dumpcap lo "" "tcp port 18108"
  k6 -url ws://127.0.0.1:18108/echo -mode fail -origin http://evil.example
  cap_stop; gin_stop
}

sc_gin_missing_headers_400() { # four requests, each missing one field: gorilla 400; -i any
  gin_start 18109 gin-missing-headers-400
  cap_start gin-missing-headers-400.pcap tcpdump any "" "tcp port 18109"
  local m
  for m in missing-upgrade missing-connection missing-version missing-key; do
    rawclient "$m" 127.0.0.1 18109 /echo
  done
  cap_stop; gin_stop
}

# --- scenarios: raw servers with broken handshakes (client: the k6-like gorilla client) -------

raw_handshake() { # raw_handshake NAME MODE PORT CLIENTMODE FILE TOOL IFACE LT [k6 flags]
  local name=$1 mode=$2 port=$3 cmode=$4 file=$5 tool=$6 iface=$7 lt=$8
  shift 8
  raw_server "$mode" "$port"
  cap_start "$file" "$tool" "$iface" "$lt" "tcp port $port"
  k6 -url "ws://127.0.0.1:$port/$name" -mode "$cmode" "$@"
  wait_exit raw 10
  cap_stop
}

sc_raw_wrong_accept() { raw_handshake ws wrong-accept 18201 fail raw-wrong-accept.pcap tcpdump any ""; }
sc_raw_unoffered_subprotocol() {
  raw_handshake ws unoffered-subprotocol 18202 session raw-unoffered-subprotocol.pcap tcpdump any ""
}
sc_raw_unoffered_extension() { # gorilla's client accepts it; it must not compress (no RSV1)
  raw_handshake ws unoffered-extension 18203 session raw-unoffered-extension.pcap tcpdump any "" \
    -no-write-compression
}
sc_node_rejects_unoffered() { # the same two 101s; node ws's client rejects both and leaves
  raw_server unoffered-subprotocol 18205
  cap_start node-rejects-unoffered.pcap tcpdump any "" "tcp port 18205 or tcp port 18206"
  run 10 node "$GEN/node/reject-unoffered.js" ws://127.0.0.1:18205/ws
  wait_exit raw 10
  raw_server unoffered-extension 18206
  run 10 node "$GEN/node/reject-unoffered.js" ws://127.0.0.1:18206/ws
  wait_exit raw 10
  cap_stop
}
sc_client_rejects_unoffered_extension() { # the raw 101 with permessage-deflate, nothing offered
  # python3-websockets' client (node ws's is in node-rejects-unoffered) rejects it and leaves.
  raw_server unoffered-extension 18207
  cap_start client-rejects-unoffered-extension.pcap tcpdump any "" "tcp port 18207"
  run 10 "$PY" "$GEN/py/reject_unoffered.py" ws://127.0.0.1:18207/ws
  wait_exit raw 10
  cap_stop
  cp "$WORK/raw.log" "$OUT/client-rejects-unoffered-extension.server.log"
}
sc_raw_101_then_http() {
  raw_handshake ws 101-then-http 18204 readfirst raw-101-then-http.pcapng dumpcap lo ""
}

# --- scenarios: other real stacks ------------------------------------------------------------

sc_py_websockets_deflate() { # python3-websockets both ends, permessage-deflate, window bits
  cap_start py-websockets-deflate.pcap tcpdump any "" "tcp port 18501"
  run 15 "$PY" "$GEN/py/deflate_pair.py" 18501
  cap_stop
}

sc_node_ws_ipv6() { # node ws both ends on [::1]: fragments + ping, 64-bit length, Close 1008
  cap_start node-ws-ipv6.pcapng dumpcap lo "" "tcp port 18601"
  run 15 node "$GEN/node/ws-ipv6.js" 18601
  cap_stop
}

sc_dumpcap_two_link_types() { # one pcapng, two interfaces of different link types (issue 21)
  # What `dumpcap -i eth0 -i lo` writes: an IDB per interface, each with its own link type.
  # Here lo (Ethernet-framed, LINKTYPE_ETHERNET) and any (LINKTYPE_LINUX_SLL2), each with its
  # own filter so every session is captured once: the node ws pair of node-ws-ipv6 on port
  # 18801 (seen on lo), then on 18802 (seen on any).
  local file=dumpcap-two-link-types.pcapng err=$WORK/capture.err
  rm -f "$OUT/$file"
  bg capture "$err" 120 dumpcap -i lo -f "tcp port 18801" -i any -f "tcp port 18802" \
    -s 262144 -w "$OUT/$file" -q
  wait_line "$err" 'Capturing on' 10
  sleep 0.5
  CAP_FILE=$file
  run 15 node "$GEN/node/ws-ipv6.js" 18801
  run 15 node "$GEN/node/ws-ipv6.js" 18802
  cap_stop
}

sc_node_vs_gorilla() { # node ws and gin/gorilla echo servers side by side, same 101 bytes
  # Four sessions: a node ws client, then the k6-like gorilla client, against each server;
  # every client echoes one text message and closes normally. gin's log is the .server.log,
  # the node ws server's the .node.log.
  gin_start 18702 node-vs-gorilla
  local nodelog=$OUT/node-vs-gorilla.node.log
  bg nodesrv "$nodelog" 30 node "$GEN/node/echo-peer.js" server 18701 2
  wait_line "$nodelog" listening 10
  cap_start node-vs-gorilla.pcapng dumpcap lo "" "tcp port 18701 or tcp port 18702"
  run 10 node "$GEN/node/echo-peer.js" client ws://127.0.0.1:18701/echo
  run 10 node "$GEN/node/echo-peer.js" client ws://127.0.0.1:18702/echo
  k6 -url ws://127.0.0.1:18701/echo -mode session
  k6 -url ws://127.0.0.1:18702/echo -mode session
  wait_exit nodesrv 5
  cap_stop; gin_stop
}

# nginx_proxy NAME LISTEN UPSTREAM HEADERS [CLIENTMODE] [PATH]: nginx in front of the gin server. Each
# server keeps its own log: gin's is NAME.server.log, nginx's access and error logs (the
# `wst` log_format of nginx.conf.in, error log at info) NAME.nginx-access.log and
# NAME.nginx-error.log.
nginx_proxy() {
  local name=$1 listen=$2 up=$3 headers=$4 cmode=${5:-session} path=${6:-/echo} prefix=$WORK/nginx-$1
  mkdir -p "$prefix"
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@LISTEN@|$listen|" -e "s|@UPSTREAM@|$up|" \
    -e "s|@UPGRADE_HEADERS@|$headers|" "$GEN/nginx/nginx.conf.in" >"$prefix/nginx.conf"
  gin_start "$up" "$name"
  bg nginx "$WORK/nginx.log" 60 nginx -p "$prefix" -c "$prefix/nginx.conf"
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $prefix/nginx.pid ]] && break; sleep 0.1; done
  [[ -s $prefix/nginx.pid ]] || { cat "$WORK/nginx.log" >&2; echo "gen: nginx did not start" >&2; return 1; }
  sleep 0.3
  # One capture holds both legs: client <-> nginx and nginx <-> gin.
  cap_start "$name.pcapng" dumpcap lo "" "tcp port $listen or tcp port $up"
  k6 -url "ws://127.0.0.1:$listen$path" -mode "$cmode"
  cap_stop
  stop_bg nginx; gin_stop
  cp "$prefix/access.log" "$OUT/$name.nginx-access.log"
  cp "$prefix/error.log" "$OUT/$name.nginx-error.log"
}

sc_nginx_proxy_ok() {
  nginx_proxy nginx-proxy-ok 18301 18302 \
    '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";'
}

sc_nginx_proxy_no_upgrade_headers() { # the classic mistake: plain proxy_pass
  nginx_proxy nginx-proxy-no-upgrade-headers 18303 18304 '            # no Upgrade/Connection headers'
}

sc_nginx_proxy_idle_timeout() { # one echo, then silence: nginx closes both legs after 2 s
  nginx_proxy nginx-proxy-idle-timeout 18305 18306 \
    '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";\n            proxy_read_timeout 2s;\n            proxy_send_timeout 2s;' \
    linger
  # nginx's "upstream timed out ... while proxying upgraded connection" is in the .nginx-error.log.
}

sc_nginx_proxy_upstream_closed() { # gin takes the connection and closes it: nginx answers 502
  nginx_proxy nginx-proxy-upstream-closed 18307 18308 \
    '            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";' \
    session /hijack-close
  # nginx's "upstream prematurely closed connection while reading response header from
  # upstream" is in the .nginx-error.log, its 502 in the .nginx-access.log.
}

sc_chromium_deflate() { # headless Chromium as the client; SLL v1 via -i any -y LINUX_SLL
  local ud
  ud=$(mktemp -d "$WORK/chromium.XXXXXX")
  bg pyws "$WORK/chromium-server.log" 40 "$PY" "$GEN/py/chromium_server.py" 18401 18402
  wait_line "$WORK/chromium-server.log" listening 10
  cap_start chromium-deflate.pcap tcpdump any LINUX_SLL "tcp port 18402"
  bg_group chromium "$WORK/chromium.log" 40 chromium --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$ud" http://127.0.0.1:18401/
  wait_line "$WORK/chromium-server.log" "done" 30 || true
  stop_bg chromium
  wait_exit pyws 5
  cap_stop
}

# --- scenarios: framing rules broken by raw peers (RFC 6455 §5) ------------------------------

frame_client() { # frame_client MODE PORT FILE [HOST]: raw client against the gin echo server
  local mode=$1 port=$2 file=$3 host=${4:-127.0.0.1}
  gin_start "$port" "${file%.*}" "$host"
  cap_start "$file" tcpdump lo "" "tcp port $port"
  rawclient "$mode" "$host" "$port" /echo
  cap_stop; gin_stop
}

sc_frame_client_unmasked() { frame_client unmasked 18801 frame-client-unmasked.pcap; }
sc_frame_control_too_large() { frame_client control-too-large 18803 frame-control-too-large.pcap; }
sc_frame_control_fragmented() { frame_client control-fragmented 18804 frame-control-fragmented.pcap; }
sc_frame_invalid_utf8() { frame_client invalid-utf8 18805 frame-invalid-utf8.pcap ::1; } # IPv6
sc_frame_close_1005() { frame_client close-1005 18806 frame-close-1005.pcap; }
sc_frame_rsv1_no_extension() { frame_client rsv1 18807 frame-rsv1-no-extension.pcap; }

sc_frame_server_masked() { # raw server masks its frame; the gorilla client fails with 1002
  raw_handshake ws masked-frame 18802 readfirst frame-server-masked.pcap tcpdump lo ""
}

sc_frame_ping_unanswered() { # gorilla server pings, the client never reads so never pongs
  gin_start 18808 frame-ping-unanswered
  cap_start frame-ping-unanswered.pcap tcpdump lo "" "tcp port 18808"
  k6 -url ws://127.0.0.1:18808/ping-timeout -mode noread
  cap_stop; gin_stop
}

sc_frame_rst_mid_message() { # RST (SO_LINGER 0) in the middle of a 1 MiB binary frame
  raw_handshake ws rst-mid-message 18809 readfirst frame-rst-mid-message.pcap tcpdump any LINUX_SLL
}

# h2c_ws NAME PORT SERVERMODE CLIENTMODE: WebSocket over HTTP/2 (RFC 8441) in cleartext, prior
# knowledge, with Node's own http2 module on both sides (node/h2-ws.js frames the WebSocket
# frames itself). The server serves one session and exits; its output is NAME.node.log.
h2c_ws() {
  local name=$1 port=$2 smode=$3 cmode=$4 nodelog=$OUT/$1.node.log
  bg h2srv "$nodelog" 20 node "$GEN/node/h2-ws.js" server "$port" "$smode"
  wait_line "$nodelog" listening 10
  cap_start "$name.pcapng" dumpcap lo "" "tcp port $port"
  run 10 node "$GEN/node/h2-ws.js" client "$port" "$cmode"
  wait_exit h2srv 5
  cap_stop
}

sc_h2c_ws_echo() { # SETTINGS_ENABLE_CONNECT_PROTOCOL=1, CONNECT, 200, three echoes, Close 1000
  h2c_ws h2c-ws-echo 18901 ok ok
}

sc_h2c_ws_no_setting() { # the server never enables RFC 8441; the client sends the CONNECT anyway
  h2c_ws h2c-ws-no-setting 18902 no-setting ok
}

sc_h2c_ws_refused() { # the server answers the extended CONNECT with 403
  h2c_ws h2c-ws-refused 18903 refuse ok
}

sc_h2c_ws_reset_mid_message() { # the server sends half a frame, then RST_STREAM INTERNAL_ERROR
  h2c_ws h2c-ws-reset-mid-message 18904 reset-mid ok
}

sc_h2c_ws_goaway() { # the server sends GOAWAY while the WebSocket stream is open
  h2c_ws h2c-ws-goaway 18905 goaway ok
}

# --- main ------------------------------------------------------------------------------------

if [[ ${1:-} == --list ]]; then
  printf '%s\n' "${SCENARIOS[@]}"
  exit 0
fi
[[ $(id -u) -eq 0 ]] || { echo "generate.sh: run as root (packet capture)" >&2; exit 2; }
want=("$@")
((${#want[@]})) || want=("${SCENARIOS[@]}")
for s in "${want[@]}"; do
  declare -F "sc_${s//-/_}" >/dev/null || { echo "generate.sh: unknown scenario $s" >&2; exit 2; }
done
# WST_GEN_SKIP_SETUP=1: the peers are installed already (the h2c-* scenarios need only node).
[[ -n ${WST_GEN_SKIP_SETUP:-} ]] || setup
for s in "${want[@]}"; do
  echo "gen: scenario $s"
  "sc_${s//-/_}"
done
echo "gen: done; peer output: $WORK/peers.log (kept only with WST_GEN_KEEP=1)"
