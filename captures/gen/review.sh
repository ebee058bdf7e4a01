#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints what tshark (not wstrace) sees in a capture, for reviewing captures/*.expect.json:
# each TCP connection in order of first SYN, its HTTP heads, WebSocket frames and TCP ends.
# Usage: captures/gen/review.sh captures/NAME.pcap[ng]
set -euo pipefail
f=$1
# Decode HTTP on every port a SYN went to (the generator uses non-standard ports).
ports=$(tshark -r "$f" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e tcp.dstport 2>/dev/null | sort -u)
dec=()
for p in $ports; do dec+=(-d "tcp.port==$p,http"); done
echo "== $f ($(capinfos -t "$f" 2>/dev/null | sed -n 's/^File type: *//p'), $(capinfos -E "$f" 2>/dev/null | sed -n 's/^File encapsulation: *//p'))"
tshark -r "$f" "${dec[@]}" -o tcp.desegment_tcp_streams:TRUE -T fields -E separator='|' \
  -e frame.number -e tcp.stream -e tcp.srcport -e tcp.dstport -e tcp.flags.str -e tcp.len \
  -e http.request.line -e http.request.method -e http.request.uri -e http.response.code \
  -e websocket.fin -e websocket.rsv -e websocket.opcode -e websocket.mask -e websocket.payload_length \
  -e websocket.payload.close.status_code -e websocket.payload.close.reason \
  -e _ws.expert.message 2>/dev/null |
  awk -F'|' '{
    st=$2; if (!(st in seen)) { seen[st]=1; order[++n]=st }
    line=sprintf("  #%s %s>%s %s len=%s", $1, $3, $4, $5, $6)
    if ($8!="") line=line sprintf(" REQ %s %s", $8, $9)
    if ($7!="") { gsub(/\\r\\n/, "; ", $7); line=line " [" $7 "]" }
    if ($10!="") line=line " RESP " $10
    if ($13!="") line=line sprintf(" WS op=%s fin=%s rsv=%s mask=%s len=%s", $13, $11, $12, $14, $15)
    if ($16!="") line=line " close=" $16 " reason=\"" $17 "\""
    if ($18!="") line=line " !" $18
    out[st]=out[st] line "\n"
  } END { for (i=1;i<=n;i++) { printf "connection (tcp.stream %s)\n%s", order[i], out[order[i]] } }'
