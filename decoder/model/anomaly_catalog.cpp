// SPDX-License-Identifier: MIT
// The anomaly catalog: one row per AnomalyId, in enum order. This table is the only place that
// decides an anomaly's severity and its words; docs/anomalies.md is generated from it
// (anomalyCatalogMarkdown(), checked by the model_anomaly_docs test). Causes are one per line,
// most common first. The captures that show each row's wire facts, and how they were made, are
// listed in captures/README.md.
#include "decoder/model/anomaly.h"

#include <algorithm>
#include <array>

namespace wst {
namespace {

using enum AnomalyId;
constexpr Severity I = Severity::Info, W = Severity::Warning, E = Severity::Error;

constexpr std::array kCatalog{
    // ---- capture -------------------------------------------------------------------------
    AnomalyInfo{CaptureTruncatedPacket, "capture_truncated_packet", W,
                "Packet cut by the snap length", "",
                "The capture file holds fewer bytes of this packet than were on the wire, so part "
                "of its payload is missing and shows up as a gap in the TCP stream.",
                "tcpdump or dumpcap run with a small -s snap length\n"
                "a capture filter or tool that keeps only headers\n"
                "a damaged or truncated capture file",
                "Capture again with the full packet length (tcpdump -s 0)."},
    AnomalyInfo{CapturePacketUndecodable, "capture_packet_undecodable", W,
                "Packet could not be decoded", "",
                "The link, IP or TCP header of this packet is malformed or of an unsupported "
                "kind, so its bytes were not given to any connection.",
                "an unsupported link type or tunnel encapsulation\n"
                "a corrupted capture file\n"
                "a packet damaged on the capture host (offload artefacts)",
                "Check the link type with `tcpdump -r FILE -c 1 -e`; capture on an interface "
                "that shows plain Ethernet or cooked (any) headers."},
    AnomalyInfo{CaptureIpFragment, "capture_ip_fragment", W, "IP fragment not reassembled",
                "RFC 791 §2.3",
                "The packet is an IP fragment. wstrace does not reassemble IP fragments, so the "
                "TCP bytes inside it are treated as missing.",
                "a path MTU smaller than the segments the sender produced\n"
                "a tunnel or VPN fragmenting encapsulated traffic",
                "Capture closer to an endpoint, or fix the MTU so TCP segments fit unfragmented."},
    AnomalyInfo{CaptureTimeBackwards, "capture_time_backwards", W,
                "Packet timestamp earlier than the packet before it", "",
                "This packet's capture time lies before the previous packet's. wstrace takes the "
                "previous packet's time for it, so that durations and latencies never come out "
                "negative; times after it are as recorded. The detail says by how much the clock "
                "went back.",
                "packets merged from several interfaces or files out of time order (mergecap -a)\n"
                "the capture host's clock stepped back (NTP correction) during the capture\n"
                "a capture file edited or written by a tool that does not keep time order",
                "Sort the file by time (reordercap) or merge captures by time (mergecap without "
                "-a); check the capture host's clock."},
    AnomalyInfo{CaptureTimestampInvalid, "capture_timestamp_invalid", W,
                "Packet timestamp with an impossible fraction", "",
                "The record's sub-second field holds a second or more (a microsecond field of "
                "10^6 or above, a nanosecond field of 10^9 or above), which no capture tool "
                "writes. wstrace reads it as libpcap does (the excess carries into the seconds), "
                "so the time may be wrong.",
                "a damaged capture file\n"
                "a tool that wrote nanoseconds into a microsecond pcap file (magic a1b2c3d4)",
                "Check the tool that wrote the file; rewrite it with editcap or tcpdump -w."},
    // ---- tcp -----------------------------------------------------------------------------
    AnomalyInfo{TcpPartialConnection, "tcp_partial_connection", I,
                "Connection picked up mid-stream", "RFC 9293 §3.5",
                "No SYN was captured for this connection: the capture started after it opened. "
                "The first bytes may sit in the middle of an HTTP head or a WebSocket frame.",
                "the capture started after the connection was established\n"
                "a long-lived WebSocket connection opened before tcpdump ran",
                "Start the capture before the client connects to see the handshake."},
    AnomalyInfo{TcpGap, "tcp_gap", W, "Bytes missing from the TCP stream", "RFC 9293 §3.10",
                "Some bytes of this direction were never captured. Anything that overlaps them "
                "(an HTTP head, a WebSocket frame) cannot be decoded exactly.",
                "packets dropped by the capture (kernel buffer full, busy host)\n"
                "the capture began or ended in the middle of a retransmission\n"
                "asymmetric routing: some segments took a path the capture did not see",
                "Use a larger capture buffer (tcpdump -B), a BPF filter to capture less, or "
                "capture on the endpoint itself."},
    AnomalyInfo{TcpOverlapConflict, "tcp_overlap_conflict", W,
                "Retransmitted bytes differ from the original", "RFC 9293 §3.10.7.4",
                "A retransmission carried different bytes for a range already delivered or "
                "already waiting out of order. wstrace kept the first copy; the detail says "
                "whether a Linux receiver would have taken the same one (it delivers bytes in "
                "sequence: bytes already delivered win, and of two waiting copies the one that "
                "starts lower). The stream may not be what the receiver saw.",
                "a middlebox rewriting payload\n"
                "TCP evasion or injection attempts\n"
                "a buggy TCP offload engine on the capture host",
                "Capture on the receiving host to see which copy it accepted."},
    AnomalyInfo{TcpBufferLimitExceeded, "tcp_buffer_limit_exceeded", W,
                "Out-of-order buffer limit reached", "",
                "Too many out-of-order bytes waited for a missing segment. wstrace gave up on the "
                "hole and skipped ahead, reporting it as a gap.",
                "heavy packet loss in the capture\n"
                "a very large receive window with one early segment missing",
                "Raise the reassembly limit, or capture with fewer drops."},
    AnomalyInfo{TcpDataAfterFin, "tcp_data_after_fin", W, "Data after FIN", "RFC 9293 §3.10.7.4",
                "This side sent payload beyond the sequence number of its own FIN, which a TCP "
                "receiver must ignore.",
                "a broken TCP stack or middlebox\n"
                "a capture that merged two connections on a reused 4-tuple",
                "Check whether the 4-tuple was reused quickly (port exhaustion in load tests)."},
    AnomalyInfo{TcpDataAfterRst, "tcp_data_after_rst", W, "Data after RST", "RFC 9293 §3.10.7.4",
                "Payload arrived after this side reset the connection; the peer will not accept "
                "it.",
                "segments reordered around the RST\n"
                "an application still writing after its socket was aborted",
                "Look at what caused the RST; the later bytes never reached the application."},
    AnomalyInfo{TcpRstOutOfWindow, "tcp_rst_out_of_window", W,
                "RST outside the receive window, ignored", "RFC 5961 §3.2; RFC 9293 §3.10.7.4",
                "A RST arrived whose sequence number lies outside the window the receiver "
                "would accept (below what it already acknowledged, or beyond its advertised "
                "window). A receiver following RFC 5961 drops it silently, so wstrace does too: "
                "the connection goes on, and its later bytes are still analysed.",
                "an off-path or on-path attacker injecting resets (blind reset attack)\n"
                "a confused middlebox or firewall resetting with stale sequence numbers\n"
                "a capture merging two connections on a reused 4-tuple",
                "Compare the RST's IP TTL and IP id with the sender's other packets: a "
                "different hop count points at injection. The peer's behaviour after it shows "
                "that it was ignored."},
    AnomalyInfo{TcpFinOutOfWindow, "tcp_fin_out_of_window", W, "FIN out of sequence order, ignored",
                "RFC 9293 §3.10.7.4",
                "A FIN arrived whose sequence number lies before bytes this side already sent, "
                "below what the receiver already acknowledged, or beyond the receive window. A "
                "receiver processes a FIN only in sequence order, so this one ends nothing: "
                "wstrace keeps the direction open and analyses the bytes that follow.",
                "an attacker injecting a FIN to hide the rest of the stream\n"
                "a confused middlebox closing with stale sequence numbers\n"
                "a capture merging two connections on a reused 4-tuple",
                "Compare the FIN's IP TTL and IP id with the sender's other packets; see "
                "whether the sender went on sending data after it."},
    AnomalyInfo{TcpSynInConnection, "tcp_syn_in_connection", W,
                "SYN with a new sequence number inside an open connection, ignored",
                "RFC 5961 §4; RFC 9293 §3.10.7.4",
                "A SYN with another initial sequence number arrived on the 4-tuple of a "
                "connection whose two sides had both spoken and which had not ended. A "
                "receiver answers such a SYN with a challenge ACK and keeps the connection, so "
                "wstrace does not split it. Only if the peer accepts the SYN (a SYN-ACK for it) "
                "does a new connection start there.",
                "an attacker injecting a SYN to reset or split the connection\n"
                "a client that rebooted and reused its port while the server kept the old "
                "connection (its RST follows the challenge ACK)\n"
                "a NAT reusing a mapping too early",
                "Look for the challenge ACK and a RST after it; compare the SYN's IP TTL with "
                "the client's other packets."},
    AnomalyInfo{TcpRstDuringHandshake, "tcp_rst_during_handshake", W,
                "Connection reset during the TCP handshake", "RFC 9293 §3.5.2",
                "The SYN was answered with RST, or the connection was reset before it carried any "
                "data: nothing was listening, or the server refused new connections.",
                "no process listening on the port\n"
                "accept queue overflow with net.ipv4.tcp_abort_on_overflow=1 during a load test\n"
                "a firewall rejecting the connection",
                "Check the listener and its backlog (ss -ltn); in load tests raise somaxconn and "
                "the server's accept rate."},
    AnomalyInfo{TcpHalfOpen, "tcp_half_open", W, "Half-open connection: one side went silent",
                "RFC 9293 §3.5.1",
                "One side kept sending (data, pings or retransmissions) while the other side sent "
                "nothing at all, not even a TCP acknowledgement, until the capture or the "
                "connection ended. The silent side has vanished without FIN or RST; the sender "
                "learns it only when its retransmissions time out, a keepalive or ping timeout "
                "fires, or an RST comes back.",
                "a client device went offline (sleep, Wi-Fi or mobile network lost)\n"
                "a NAT or conntrack entry expired on an idle connection\n"
                "the peer host died or a load balancer member was removed\n"
                "a capture that sees only one direction (asymmetric routing) looks the same",
                "Use WebSocket pings with a pong deadline (gorilla pongWait) or TCP keepalive so "
                "that dead peers are noticed; check NAT/conntrack timeouts against the ping "
                "interval."},
    // ---- http ----------------------------------------------------------------------------
    AnomalyInfo{HttpHeadMalformed, "http_head_malformed", E, "Malformed HTTP head",
                "RFC 9112 §2–§5",
                "The bytes where an HTTP request or response head was expected do not follow "
                "HTTP/1.x syntax. The rest of this direction cannot be read as HTTP.",
                "a non-HTTP protocol on the port (TLS, a binary protocol)\n"
                "bytes lost before the head (see tcp_gap)\n"
                "WebSocket frames sent where the server expected HTTP",
                "Check that the port speaks plain HTTP/1.1; for TLS traffic capture before "
                "encryption or decrypt with key logs."},
    AnomalyInfo{HttpHeadTooLarge, "http_head_too_large", E, "HTTP head too large", "RFC 9112 §2.3",
                "The head did not end within the configured limit, so parsing stopped.",
                "huge cookies or headers added by a proxy\n"
                "a non-HTTP stream that never contains an empty line",
                "Raise the head limit if the traffic is genuine HTTP."},
    AnomalyInfo{
        HttpBodyMalformed, "http_body_malformed", W, "Malformed HTTP body framing",
        "RFC 9112 §6–§7",
        "The body of a response does not follow its own framing (Content-Length or "
        "chunked). A common wire shape is a chunked 200 whose next \"chunk size\" is "
        "another status line.",
        "Go net/http flushed a 200 during Hijack and the WebSocket library then wrote a 101 "
        "(see hijack_two_responses)\n"
        "a proxy that rewrote the body without fixing its framing",
        "See the other anomalies on this connection; the framing error is usually a "
        "symptom."},
    AnomalyInfo{HttpUpgradeRefused, "http_upgrade_refused", E,
                "Upgrade answered with an error status", "RFC 6455 §4.2.2",
                "The client asked to switch to WebSocket and the server (or a proxy) answered with "
                "a final status other than 101. Clients report \"bad handshake\" or \"Unexpected "
                "response code\" with this status.",
                "403: origin check failed (gorilla's default CheckOrigin rejects an Origin whose "
                "host differs from Host) or auth middleware ran first\n"
                "400 or 426: a handshake header is missing or wrong; often a proxy that did not "
                "forward Upgrade/Connection\n"
                "404 or 405: no WebSocket route for this path or method (gin 404 for a POST on a "
                "GET route)\n"
                "500 or 501: the ResponseWriter could not be hijacked (http.TimeoutHandler, gzip "
                "or metrics middleware)\n"
                "502, 503 or 504: the proxy could not reach or wait for the upstream",
                "Read the status and body in the detail: Go libraries put the reason in the body. "
                "Compare the request headers with what the server checks."},
    AnomalyInfo{HttpUpgradeIgnored, "http_upgrade_ignored", E,
                "Upgrade answered with 200 and nothing more", "RFC 6455 §4.1",
                "The server answered the upgrade request like an ordinary HTTP request (200) and "
                "never sent a 101. Clients fail with \"Unexpected response code: 200\"; k6 reports "
                "status 200 and \"bad handshake\".",
                "the request reached an ordinary handler: wrong path, SPA fallback route\n"
                "a Go handler returned without calling Upgrade (gin then writes 200)\n"
                "a proxy route without WebSocket support answering by itself",
                "Check the route and the proxy configuration for this path; make sure the handler "
                "calls Upgrade on every path."},
    AnomalyInfo{HttpUpgradeRedirected, "http_upgrade_redirected", W, "Upgrade redirected",
                "RFC 6455 §4.1",
                "The upgrade request got a 3xx redirect. Browsers do not follow redirects for "
                "WebSocket; some other clients do.",
                "http→https or trailing-slash redirects in front of the WebSocket route\n"
                "a login redirect from auth middleware",
                "Point the client at the final URL."},
    AnomalyInfo{HttpNoResponse, "http_no_response", E, "Upgrade request never answered",
                "RFC 6455 §4.1",
                "The connection ended (or the wait went on) without any HTTP response to the "
                "upgrade request. The client sees EOF, a timeout or close code 1006.",
                "gorilla/websocket ≤1.5.3 closes the connection silently when the client sent data "
                "before the 101 (\"client sent data before handshake is complete\")\n"
                "a handler panicked before upgrading; net/http closes the connection\n"
                "the handler blocked (database, lock) until the client's handshake timeout: 45 s "
                "for gorilla's DefaultDialer, 60 s for k6\n"
                "the server process crashed",
                "Look at the server log at that time; check for client data before the 101 and "
                "for slow work before Upgrade."},
    AnomalyInfo{HttpUpgradeStripped, "http_upgrade_stripped", E,
                "Proxy dropped the Upgrade headers", "RFC 9110 §7.6.1",
                "The request carries Sec-WebSocket-Key but lacks the Upgrade or Connection token, "
                "or an error came back through a proxy from a WebSocket library. Upgrade and "
                "Connection are hop-by-hop headers that proxies remove unless told otherwise.",
                "nginx location without proxy_http_version 1.1 and proxy_set_header "
                "Upgrade $http_upgrade / Connection \"upgrade\"\n"
                "Apache without ws:// proxying or the Upgrade rewrite condition\n"
                "a generic L7 load balancer without WebSocket support",
                "Configure the proxy to forward Upgrade and Connection (nginx: proxy_http_version "
                "1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "
                "\"upgrade\")."},
    AnomalyInfo{HttpVersionRejected, "http_version_rejected", E, "WebSocket version rejected",
                "RFC 6455 §4.4",
                "The server answered with the Sec-WebSocket-Version values it supports, and the "
                "client's version is not among them.",
                "an old or custom client sending a draft version (8, 7, ...)\n"
                "a proxy rewriting Sec-WebSocket-Version",
                "Use a client that speaks version 13."},
    AnomalyInfo{
        HttpHttp2Connection, "http_http2_connection", I, "HTTP/2 connection (not decoded)",
        "RFC 9113 §3; RFC 8441",
        "The connection speaks HTTP/2 in a form wstrace cannot decode. Cleartext HTTP/2 (the "
        "preface \"PRI * HTTP/2.0\" or Upgrade: h2c) is decoded (docs/http2.md); this says that "
        "the HTTP/2 bytes themselves were not readable. A WebSocket inside it (an RFC 8441 "
        "extended CONNECT stream) is not shown.",
        "HTTP/2 inside TLS (ALPN h2) without the session keys\n"
        "an HTTP/2 prior-knowledge proxy hop whose start was not captured",
        "Capture with the TLS keys (SSLKEYLOGFILE), capture the HTTP/1.1 leg (between the proxy "
        "and the upstream), or force HTTP/1.1 for WebSocket connections on the client or proxy."},
    // ---- tls ------------------------------------------------------------------------------
    AnomalyInfo{TlsEncrypted, "tls_encrypted", I, "TLS connection, not decrypted",
                "RFC 8446 §2; RFC 5246 §7",
                "The client opened TLS (a ClientHello was the first thing it sent). What the "
                "handshake shows in clear is in the connection's TLS summary (version, SNI, ALPN, "
                "cipher suite; in TLS 1.2 also the certificate); the HTTP request and the "
                "WebSocket frames inside are encrypted and not analysed. With TLS 1.3 the "
                "server's ALPN choice and certificate are encrypted too.",
                "a wss:// or https:// connection captured without its session keys",
                "Give the client's key log (SSLKEYLOGFILE, Go tls.Config.KeyLogWriter, Python "
                "keylog_filename; docs/tls.md) to see the WebSocket; decryption is not built yet, "
                "so until then capture the plain leg behind the TLS terminator. An ALPN of h2 "
                "means a browser runs WebSocket over HTTP/2 (RFC 8441), not an HTTP/1.1 Upgrade."},
    AnomalyInfo{TlsAlert, "tls_alert", E, "TLS alert", "RFC 8446 §6; RFC 5246 §7.2",
                "A peer sent a TLS alert record in clear, usually during the handshake: the TLS "
                "connection failed before any HTTP or WebSocket byte. The detail names the alert "
                "and who sent it (handshake_failure 40: no common cipher suite or parameters; "
                "protocol_version 70: no common TLS version; bad_certificate 42 / unknown_ca 48: "
                "the client does not trust the server's certificate; certificate_unknown 46; "
                "unrecognized_name 112: the server has no certificate for the SNI). "
                "close_notify (0) is a warning-level orderly end and is not reported.",
                "a self-signed or private-CA certificate the client does not trust (unknown_ca, "
                "bad_certificate)\n"
                "client and server with no TLS version in common (a client forcing TLS 1.3 "
                "against a TLS 1.2-only server: protocol_version)\n"
                "no cipher suite in common (handshake_failure)\n"
                "SNI naming a host the server has no certificate for",
                "Read the alert's name in the detail: trust the certificate's CA on the client "
                "(or fix the chain the server sends), align the TLS versions and cipher suites, "
                "or send the right SNI."},
    AnomalyInfo{TlsHttpToTlsPort, "tls_http_to_tls_port", E, "Plain HTTP sent to a TLS port",
                "RFC 8446 §5.1",
                "The client sent a plain HTTP request where the server expects a TLS "
                "ClientHello. The server answered with a TLS alert, or with a 400 such as nginx's "
                "\"The plain HTTP request was sent to HTTPS port\" or Go's \"Client sent an HTTP "
                "request to an HTTPS server\", or closed the connection.",
                "ws:// used where wss:// is needed (the URL scheme)\n"
                "a proxy forwarding plain HTTP to a TLS upstream (nginx proxy_pass http:// to an "
                "https port)\n"
                "a health check without TLS",
                "Use wss:// (or https:// upstream in the proxy) for this port."},
    AnomalyInfo{TlsToPlainPort, "tls_to_plain_port", E, "TLS sent to a plain HTTP port",
                "RFC 8446 §4.1.2",
                "The client started TLS (a ClientHello) but the server does not speak TLS on "
                "this port: it answered with plain HTTP (typically 400 Bad Request) or bytes that "
                "are not a TLS record, or closed the connection.",
                "wss:// used where the server listens for ws://\n"
                "TLS terminated twice: a proxy forwarding TLS to a plain backend\n"
                "a load balancer port configured for TCP pass-through in front of a plain server",
                "Use ws:// for this port, or enable TLS on the server."},
    AnomalyInfo{TlsRecordGap, "tls_record_gap", W, "Bytes lost in the TLS record stream",
                "RFC 8446 §5.1",
                "TCP bytes were lost (tcp_gap) inside the TLS record stream. The record they "
                "belonged to is skipped; reading resumes at the next record boundary when the "
                "lost bytes lay inside a record whose header was seen, else at the next "
                "plausible record header.",
                "packets dropped by the capture (tcpdump buffer, snap length)\n"
                "the capture started or ended mid-record",
                "Capture with a larger buffer (tcpdump -B) or closer to the peer."},
    AnomalyInfo{TlsRecordMalformed, "tls_record_malformed", E, "Malformed TLS record",
                "RFC 8446 §5.1; RFC 5246 §6.2",
                "A TLS record header is not valid: an unknown content type, a version that is "
                "not 3.x, or a length above 2^14 + 2048 bytes. The rest of this direction is "
                "not read as TLS.",
                "a peer that is not speaking TLS after all\n"
                "bytes lost before the header without a gap being visible",
                "Check what the peer really sends on this port."},
    AnomalyInfo{TlsHandshakeMalformed, "tls_handshake_malformed", W,
                "Malformed TLS handshake message", "RFC 8446 §4; RFC 5246 §7.4",
                "A handshake message in clear (ClientHello, ServerHello, Certificate) does not "
                "parse: a length that overruns its message, or a message larger than wstrace "
                "keeps (256 KiB). Its fields are left out of the TLS summary.",
                "a broken or hostile TLS implementation\n"
                "a certificate chain larger than 256 KiB",
                "Compare with tshark's dissection of the same packets."},
    // ---- ws_handshake --------------------------------------------------------------------
    AnomalyInfo{WsHandshakeBadMethod, "ws_handshake_bad_method", E, "Upgrade request is not GET",
                "RFC 6455 §4.1", "A WebSocket opening handshake must be a GET request.",
                "a client library misconfigured to POST\n"
                "an HTTP/2 extended CONNECT request downgraded by a proxy",
                "Send the handshake as GET; servers answer 405 otherwise."},
    AnomalyInfo{WsHandshakeBadHttpVersion, "ws_handshake_bad_http_version", E,
                "Upgrade request older than HTTP/1.1", "RFC 6455 §4.1",
                "The handshake must use HTTP/1.1 or later. Some servers accept HTTP/1.0 anyway "
                "(gorilla answers HTTP/1.1 101); others answer 426.",
                "nginx forwarding upstream with the default proxy_http_version 1.0\n"
                "a hand-written client",
                "Use HTTP/1.1 (nginx: proxy_http_version 1.1)."},
    AnomalyInfo{WsHandshakeMissingHost, "ws_handshake_missing_host", E,
                "Upgrade request without Host", "RFC 6455 §4.1; RFC 9112 §3.2",
                "An HTTP/1.1 request must carry Host; Go net/http answers 400 \"missing required "
                "Host header\".",
                "a hand-written client", "Send a Host header."},
    AnomalyInfo{WsHandshakeMissingUpgrade, "ws_handshake_missing_upgrade", E,
                "Upgrade header lacks websocket", "RFC 6455 §4.1",
                "The request has no Upgrade header with the token websocket.",
                "a proxy that removed the hop-by-hop Upgrade header\n"
                "a client that forgot it",
                "Forward or send Upgrade: websocket."},
    AnomalyInfo{WsHandshakeMissingConnection, "ws_handshake_missing_connection", E,
                "Connection header lacks upgrade", "RFC 6455 §4.1; RFC 9110 §7.6.1",
                "The request's Connection header has no upgrade token (it is a token list: "
                "\"keep-alive, Upgrade\" is fine).",
                "nginx without proxy_set_header Connection \"upgrade\" (sends Connection: close)\n"
                "a client that replaced the header with keep-alive",
                "Send or forward Connection: Upgrade."},
    AnomalyInfo{WsHandshakeMissingKey, "ws_handshake_missing_key", E, "Sec-WebSocket-Key missing",
                "RFC 6455 §4.1", "The request has no Sec-WebSocket-Key.",
                "a hand-written client\n"
                "a proxy that stripped Sec-* headers",
                "Send a fresh random 16-byte key, base64-encoded."},
    AnomalyInfo{WsHandshakeBadKey, "ws_handshake_bad_key", E, "Sec-WebSocket-Key malformed",
                "RFC 6455 §4.1",
                "The key is not the base64 encoding of 16 bytes. gorilla 1.5.0 accepts any "
                "non-empty key; 1.5.1 and later answer 400.",
                "a client that sends a constant or hex key\n"
                "an HTTP/2-to-HTTP/1.1 proxy inventing a key of the wrong length",
                "Generate 16 random bytes and base64-encode them."},
    AnomalyInfo{WsHandshakeMultipleKey, "ws_handshake_multiple_key", E,
                "Sec-WebSocket-Key sent more than once", "RFC 6455 §11.3.1",
                "The key header appears more than once; coder/websocket answers 400.",
                "a proxy adding its own key next to the client's", "Send the key exactly once."},
    AnomalyInfo{WsHandshakeBadVersion, "ws_handshake_bad_version", E,
                "Sec-WebSocket-Version is not 13", "RFC 6455 §4.1",
                "The request's version is missing or not 13.", "an old or draft-era client",
                "Send Sec-WebSocket-Version: 13."},
    AnomalyInfo{WsHandshakeResponseMissingUpgrade, "ws_handshake_response_missing_upgrade", E,
                "101 without Upgrade: websocket", "RFC 6455 §4.2.2",
                "The 101 lacks an Upgrade header with websocket; clients fail the handshake.",
                "a hand-written 101\n"
                "a proxy rewriting the response",
                "Send Upgrade: websocket in the 101."},
    AnomalyInfo{WsHandshakeResponseMissingConnection, "ws_handshake_response_missing_connection", E,
                "101 without Connection: Upgrade", "RFC 6455 §4.2.2",
                "The 101 lacks the upgrade token in Connection. Browsers and Go clients fail; "
                "Node ws does not check it.",
                "Go net/http before the fix for golang/go#36381 replaced Connection: Upgrade with "
                "Connection: close when the request asked for close\n"
                "a proxy rewriting Connection",
                "Upgrade Go; make sure nothing rewrites Connection on the 101."},
    AnomalyInfo{WsHandshakeMissingAccept, "ws_handshake_missing_accept", E,
                "101 without Sec-WebSocket-Accept", "RFC 6455 §4.2.2",
                "The 101 has no Sec-WebSocket-Accept; every client fails the handshake.",
                "a hand-written server", "Send the accept value computed from the key."},
    AnomalyInfo{WsHandshakeMultipleAccept, "ws_handshake_multiple_accept", E,
                "Sec-WebSocket-Accept sent more than once", "RFC 6455 §11.3.3",
                "The 101 carries several accept headers.",
                "a proxy adding its own handshake headers to the upstream's",
                "Send the accept header exactly once."},
    AnomalyInfo{WsHandshakeWrongAccept, "ws_handshake_wrong_accept", E,
                "Sec-WebSocket-Accept does not match the key", "RFC 6455 §4.2.2",
                "The accept value is not base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)) "
                "for the key the client sent. Clients fail with \"bad handshake\" or \"Incorrect "
                "Sec-WebSocket-Accept\"; the server believes it succeeded.",
                "a proxy that regenerated the key upstream and passed the upstream accept back "
                "(IIS/ARR, chained proxies)\n"
                "a hand-written server hashing the decoded key or using a wrong GUID",
                "Compare the key each hop sees; fix the proxy or the accept computation."},
    AnomalyInfo{WsHandshakeUnofferedSubprotocol, "ws_handshake_unoffered_subprotocol", E,
                "Server chose a subprotocol the client did not offer", "RFC 6455 §4.1; §4.2.2",
                "Browsers and Node ws fail the connection; gorilla and k6 do not check, so a load "
                "test passes where browsers fail.",
                "gorilla with Upgrader.Subprotocols unset echoing a Sec-WebSocket-Protocol the "
                "application put in responseHeader\n"
                "a server that always sends its one protocol",
                "Choose only among the offered protocols (gorilla: set Upgrader.Subprotocols)."},
    AnomalyInfo{WsHandshakeSubprotocolNotChosen, "ws_handshake_subprotocol_not_chosen", W,
                "Client offered subprotocols, server chose none", "RFC 6455 §4.2.2",
                "Legal by the RFC, but Chromium and Node ws fail the connection when they offered "
                "a subprotocol and got none back.",
                "a server that ignores Sec-WebSocket-Protocol\n"
                "no overlap between the client's and the server's lists",
                "Configure the server's protocol list, or stop offering protocols."},
    AnomalyInfo{WsHandshakeUnofferedExtension, "ws_handshake_unoffered_extension", E,
                "Server accepted an extension the client did not offer", "RFC 6455 §9.1",
                "The 101 lists an extension that was not in the request. Go clients fail with "
                "\"invalid compression negotiation\"; browsers fail too.",
                "a proxy that stripped Sec-WebSocket-Extensions from the request but not the "
                "response\n"
                "a server configured to always compress",
                "Answer only with extensions the client offered."},
    AnomalyInfo{WsHandshakeResponseBodyHeaders, "ws_handshake_response_body_headers", W,
                "101 response carries body or content-coding headers",
                "RFC 9110 §8.6, RFC 9112 §6.1",
                "The 101 has Content-Length, Transfer-Encoding or Content-Encoding. A 101 has no "
                "body: the bytes after it are WebSocket frames. A Content-Encoding means a "
                "compression layer rewrote the response and may also compress the frames.",
                "HTTP compression middleware (gzip) wrapping the WebSocket route\n"
                "a proxy that adds Content-Length: 0 to every response\n"
                "a hand-written 101",
                "Exclude the WebSocket path from compression middleware; a 101 must carry no body "
                "headers."},
    AnomalyInfo{WsHandshakeEarlyClientData, "ws_handshake_early_client_data", W,
                "Client sent data before the 101", "RFC 6455 §4.1",
                "Bytes followed the upgrade request before any response byte. The client must "
                "wait for the server's handshake before sending frames.",
                "a client that sends its first message on connect without waiting\n"
                "the request and the first frame coalesced into one segment (Nagle, TSO)",
                "Send only after the open event. gorilla ≤1.5.3 servers close such connections "
                "without an answer (see http_no_response)."},
    AnomalyInfo{WsHandshakeNotSeen, "ws_handshake_not_seen", I,
                "WebSocket recognised without its handshake", "",
                "The opening handshake was not captured; the connection was recognised from its "
                "frames (mask bits, opcodes, lengths). Negotiated extensions and subprotocol are "
                "unknown, so compression and UTF-8 checks are weaker.",
                "the capture started after the connection opened",
                "Start the capture before the connection opens."},
    // ---- ws_frame ------------------------------------------------------------------------
    AnomalyInfo{WsFrameClientUnmasked, "ws_frame_client_unmasked", E, "Client frame not masked",
                "RFC 6455 §5.1",
                "Every frame from client to server must be masked; the server must close the "
                "connection (gorilla answers Close 1002 \"bad MASK\").",
                "a non-browser client that skips masking\n"
                "a proxy that unmasks and re-sends frames",
                "Mask every client frame with a fresh random key."},
    AnomalyInfo{WsFrameServerMasked, "ws_frame_server_masked", E, "Server frame masked",
                "RFC 6455 §5.1",
                "A server must never mask its frames; clients close the connection.",
                "a client-side library used in server mode\n"
                "a misbuilt proxy",
                "Do not mask frames sent by the server."},
    AnomalyInfo{WsFrameRsvWithoutExtension, "ws_frame_rsv_without_extension", E,
                "Reserved bit set without an extension", "RFC 6455 §5.2; RFC 7692 §6",
                "RSV1–3 must be 0 unless a negotiated extension defines them; RSV1 means "
                "compressed only when permessage-deflate was agreed, and never on control or "
                "continuation frames.",
                "compressed frames after a proxy stripped Sec-WebSocket-Extensions from the 101\n"
                "HTTP text inside the WebSocket stream (\"HT\" reads as RSV1 + opcode 8)\n"
                "garbage on the stream",
                "Compress only when permessage-deflate was negotiated on this connection."},
    AnomalyInfo{WsFrameReservedOpcode, "ws_frame_reserved_opcode", E, "Reserved opcode",
                "RFC 6455 §5.2",
                "Opcodes 0x3–0x7 and 0xB–0xF are reserved; the receiver must fail the connection.",
                "a desynchronised stream (bytes lost or inserted)\n"
                "a buggy hand-written framer",
                "Check for gaps or stray bytes before this frame."},
    AnomalyInfo{WsFrameControlTooLarge, "ws_frame_control_too_large", E,
                "Control frame longer than 125 bytes", "RFC 6455 §5.5",
                "Close, Ping and Pong carry at most 125 bytes of payload.",
                "large ping payloads from a custom client\n"
                "long close reasons not truncated by the application",
                "Keep control payloads ≤ 125 bytes."},
    AnomalyInfo{WsFrameControlFragmented, "ws_frame_control_fragmented", E,
                "Control frame without FIN", "RFC 6455 §5.4; §5.5",
                "Control frames must not be fragmented.", "a buggy framer",
                "Send control frames with FIN set."},
    AnomalyInfo{WsFrameLengthNotMinimal, "ws_frame_length_not_minimal", W,
                "Payload length not minimally encoded", "RFC 6455 §5.2",
                "A 16- or 64-bit length field was used for a length that fits a shorter form.",
                "a framer that always uses the 16- or 64-bit length",
                "Encode lengths in the shortest form."},
    AnomalyInfo{WsFrameLengthMsbSet, "ws_frame_length_msb_set", E,
                "64-bit payload length with the top bit set", "RFC 6455 §5.2",
                "The most significant bit of a 64-bit length must be 0.",
                "a desynchronised stream\n"
                "a framer writing a signed length",
                "Check for gaps before this frame."},
    AnomalyInfo{WsFrameContinuationWithoutStart, "ws_frame_continuation_without_start", E,
                "Continuation frame without a message to continue", "RFC 6455 §5.4",
                "A continuation frame arrived while no fragmented message was open (gorilla: "
                "\"continuation after FIN\").",
                "a framer that sets FIN on the first fragment\n"
                "a lost first fragment",
                "Send the first fragment with its opcode and FIN clear."},
    AnomalyInfo{WsFrameInterleavedMessage, "ws_frame_interleaved_message", E,
                "New message inside a fragmented message", "RFC 6455 §5.4",
                "A text or binary frame started while a fragmented message was unfinished "
                "(gorilla: \"data before FIN\").",
                "two writers on one connection without a lock (gorilla allows one concurrent "
                "writer)\n"
                "a framer that forgot the final fragment",
                "Serialise writes per connection."},
    AnomalyInfo{WsFrameInvalidUtf8, "ws_frame_invalid_utf8", E, "Text message is not UTF-8",
                "RFC 6455 §5.6; §8.1",
                "A text message does not decode as UTF-8. Browsers and Node ws close with 1007; "
                "gorilla and k6 deliver it silently, so it works in a load test and fails in "
                "browsers.",
                "binary data sent as a text message\n"
                "a gorilla echo server reflecting a client's invalid text (gorilla does not "
                "validate)\n"
                "truncation in the middle of a multi-byte character",
                "Send binary data with the binary opcode; validate text before sending."},
    AnomalyInfo{WsFrameAfterClose, "ws_frame_after_close", W, "Frame after Close",
                "RFC 6455 §5.5.1",
                "This side sent a frame after its own Close frame; after Close it must not send "
                "more data.",
                "a writer goroutine still running after the close\n"
                "a close sent from one thread while another keeps writing",
                "Stop writers before sending Close."},
    AnomalyInfo{WsFrameDesyncAfterGap, "ws_frame_desync_after_gap", W,
                "Frame boundaries lost after a gap", "",
                "Bytes of this WebSocket direction are missing, so wstrace no longer knows where "
                "the next frame starts. Frames are skipped until a plausible frame header is "
                "found.",
                "capture loss (see tcp_gap)",
                "Capture with fewer drops; frames after this point are reconstructed."},
    AnomalyInfo{WsFrameResynced, "ws_frame_resynced", I, "Frame boundaries found again", "",
                "After a gap, decoding resumed at a byte sequence that looks like a frame header "
                "(valid opcode, mask bit right for the direction, sensible length, followed by "
                "another plausible header). Counts for this direction are a lower bound.",
                "capture loss earlier in this direction",
                "Treat frame counts around the gap as approximate."},
    AnomalyInfo{WsFramePingUnanswered, "ws_frame_ping_unanswered", W, "Ping without a Pong",
                "RFC 6455 §5.5.2",
                "A Ping got no Pong with the same payload from the other side, which stayed "
                "open for more than 100 ms after it (a peer that sent Close sooner was already "
                "closing and owed none).",
                "the receiving application does not read (gorilla answers pings only inside "
                "its read loop)\n"
                "a custom ping handler that does not write a pong\n"
                "a saturated write path or a half-open connection",
                "Make sure every connection has a reader; check the ping handler."},
    AnomalyInfo{WsFrameAfterFailedHandshake, "ws_frame_after_failed_handshake", E,
                "WebSocket frames after a failed handshake", "RFC 6455 §4.1",
                "Frame bytes were sent although the handshake did not succeed: the sender "
                "believed it had upgraded while the peer did not.",
                "a client that sends without waiting for (or checking) the 101\n"
                "a server that believes Upgrade succeeded after it flushed another status first "
                "(see hijack_two_responses)",
                "Start sending only after a valid 101."},
    // ---- ws_close ------------------------------------------------------------------------
    AnomalyInfo{WsClosePayloadOneByte, "ws_close_payload_one_byte", E,
                "Close frame with a 1-byte body", "RFC 6455 §5.5.1",
                "A Close body is empty or starts with a 2-byte status code; 1 byte is invalid. "
                "gorilla treats it as no status; browsers and Node ws fail.",
                "a proxy or application writing a 1-byte close payload",
                "Send an empty Close or a 2-byte code."},
    AnomalyInfo{WsCloseCodeInvalid, "ws_close_code_invalid", E, "Invalid close code",
                "RFC 6455 §7.4.2",
                "The close code is outside the ranges allowed on the wire (below 1000, 1004, "
                "1016–2999 unassigned, 5000 and above).",
                "an application passing an arbitrary number to close()",
                "Use 1000–1003, 1007–1014 or a 3000–4999 application code."},
    AnomalyInfo{WsCloseCodeReservedOnWire, "ws_close_code_reserved_on_wire", E,
                "Local-only close code sent on the wire", "RFC 6455 §7.4.1",
                "1005, 1006 and 1015 describe what an endpoint observed locally and must never be "
                "sent in a Close frame. gorilla will send 1006 if the application asks; peers "
                "reject it (gorilla \"bad close code 1006\").",
                "an application echoing the code it observed (1006) into its own close call",
                "Send 1000 or 1001 instead."},
    AnomalyInfo{WsCloseReasonInvalidUtf8, "ws_close_reason_invalid_utf8", E,
                "Close reason is not UTF-8", "RFC 6455 §5.5.1",
                "The reason after the close code must be UTF-8.",
                "a reason truncated to 123 bytes in the middle of a character\n"
                "binary data put into the reason",
                "Send a short UTF-8 reason, truncated on a character boundary."},
    AnomalyInfo{WsCloseNotAnswered, "ws_close_not_answered", W, "Close never answered",
                "RFC 6455 §5.5.1",
                "One side sent Close and the other never sent its own Close back before the "
                "connection ended (or for a long time).",
                "the peer does not read, so it never processes the Close (gorilla handles "
                "control frames only inside its read loop)\n"
                "a proxy that dropped the frame\n"
                "a deadlocked peer",
                "Keep a reader running until the close handshake completes."},
    AnomalyInfo{WsCloseMissing, "ws_close_missing", W, "TCP closed without a Close frame",
                "RFC 6455 §7.1.1; §7.1.5",
                "The connection ended with FIN or RST while the WebSocket was open and no Close "
                "frame was sent. The peer reports close code 1006 (abnormal closure).",
                "the server process crashed or was restarted\n"
                "a proxy or load balancer idle timeout (nginx proxy_read_timeout 60 s, AWS ALB 60 "
                "s, Cloudflare 100 s)\n"
                "a ping timeout: gorilla's pongWait read deadline expired and the handler closed "
                "the socket\n"
                "the handler returned and a deferred Close closed the socket",
                "Send a Close frame before closing TCP; if the close came after a round-number "
                "idle time, raise the proxy timeout or send pings."},
    AnomalyInfo{WsCloseAbnormal, "ws_close_abnormal", W, "Client did not wait for the Close reply",
                "RFC 6455 §7.1.1; §5.5.1",
                "The client sent Close and closed TCP at once, without waiting for the server's "
                "Close. The server's reply then meets a closed socket (often an RST), and the "
                "server should have been the one to close TCP first. A server that sends Close "
                "and closes at once is allowed to (§7.1.7) and is not flagged.",
                "k6/ws socket.close() sends Close and closes the TCP connection immediately\n"
                "gorilla's client protocol-error path (Close 1002 with the error text, then "
                "close)\n"
                "a client that treats close() as fire-and-forget",
                "Wait for the server's Close (or a short timeout) before closing TCP."},
    AnomalyInfo{WsCloseIdleTimeout, "ws_close_idle_timeout", W,
                "Closed by an idle timeout (proxy or load balancer)", "RFC 6455 §7.1.5",
                "No frame went either way for a while, then the server side closed TCP (FIN or "
                "RST) without a Close frame, after a quiet time that matches a well-known idle "
                "timeout of a proxy or load balancer. When the capture holds both legs of a "
                "proxy (client to proxy, proxy to backend), the proxy closing both within 50 ms "
                "after the same silence is its idle timeout whatever its length, and the detail "
                "gives the measured time and the other leg. Both peers report 1006 (abnormal "
                "closure). Data frames reset such timers; some devices do not count control "
                "frames.",
                "nginx proxy_read_timeout (default 60 s)\n"
                "AWS ALB idle timeout (default 60 s)\n"
                "Cloudflare (100 s)\n"
                "a cloud load balancer with a 30 s idle timeout (GCP, unverified)",
                "Send WebSocket pings (or data) more often than the idle timeout, or raise the "
                "timeout (nginx proxy_read_timeout, ALB idle_timeout)."},
    // ---- ws_deflate ----------------------------------------------------------------------
    AnomalyInfo{WsDeflateBadParameters, "ws_deflate_bad_parameters", E,
                "Invalid permessage-deflate parameters", "RFC 7692 §7.1",
                "The permessage-deflate offer or answer has unknown or duplicate parameters, a "
                "window size out of 8–15, client_max_window_bits in an answer that was not "
                "offered, or a window larger than offered.",
                "a server answering client_max_window_bits that the client did not offer\n"
                "a gorilla client receiving a response without both no_context_takeover "
                "parameters (\"invalid compression negotiation\")",
                "Answer only with parameters the offer allows."},
    AnomalyInfo{WsDeflateError, "ws_deflate_error", E, "Compressed message does not inflate",
                "RFC 7692 §7.2.2",
                "zlib could not decompress this message with the negotiated parameters.",
                "context takeover state lost (capture started mid-stream, or a gap)\n"
                "a sender that reset its compressor without negotiating no_context_takeover\n"
                "corrupted data",
                "Check the negotiated context-takeover parameters on both sides."},
    AnomalyInfo{WsDeflateSizeLimit, "ws_deflate_size_limit", W,
                "Decompressed message over the size limit", "RFC 7692 §8",
                "The message inflated beyond the configured limit; decompression stopped there "
                "(a compression bomb looks like this).",
                "a genuinely huge message\n"
                "a compression bomb",
                "Raise the limit if the traffic is trusted."},
    AnomalyInfo{WsDeflateBudgetExceeded, "ws_deflate_budget_exceeded", W,
                "Decompression work budget spent", "RFC 7692 §8",
                "Decompressing this connection (or the whole capture) took more work than the "
                "configured budget: decompressed bytes, and a window copy for every empty final "
                "block that restarts the inflater. The connection's later compressed messages "
                "are counted (frames, wire length) but not decompressed, so their payload and "
                "UTF-8 are not checked.",
                "a reset storm: thousands of empty final deflate blocks that produce nothing\n"
                "many decompression bombs in one capture\n"
                "a genuinely huge, very compressible stream",
                "Raise --max-inflate-work or --max-inflate-work-total if the traffic is "
                "trusted."},
    AnomalyInfo{WsDeflateControlCompressed, "ws_deflate_control_compressed", E,
                "Compressed control frame", "RFC 7692 §6.1",
                "RSV1 is set on a control frame; permessage-deflate never compresses control "
                "frames.",
                "a framer that applies compression to every frame",
                "Send control frames uncompressed."},
    // ---- hijack --------------------------------------------------------------------------
    AnomalyInfo{HijackTwoResponses, "hijack_two_responses", E,
                "Two HTTP responses to one upgrade request", "RFC 9110 §15.2; RFC 6455 §4.2.2",
                "The server sent a second response head on the same connection. The client only "
                "believes the first one: after \"200 then 101\" a Go or k6 client reports status "
                "200 and \"bad handshake\" while the server thinks the upgrade worked; after "
                "\"101 then an error\" the client reads the error text as a frame (\"RSV1 set, FIN "
                "not set on control\").",
                "Go net/http handler wrote through the ResponseWriter before Upgrade "
                "(WriteHeader, c.Status + write, c.String, c.JSON, Flush): net/http flushes that "
                "status during Hijack, then gorilla writes its 101\n"
                "gin middleware calling c.Writer.WriteHeaderNow() before the WebSocket handler\n"
                "Go 1.19/1.20 sends WriteHeader(101) at once as an informational response; a "
                "failed Hijack then adds http.Error's 500 (coder/websocket with gin 1.11.0)\n"
                "two Node ws WebSocketServers on one HTTP server: one answers 101, the other "
                "writes 400 on the same socket",
                "Do not write headers, status or body before Upgrade; with Node ws use noServer "
                "and route upgrades yourself."},
    AnomalyInfo{HijackHttpInWebSocket, "hijack_http_in_websocket", E,
                "HTTP text inside the WebSocket stream", "RFC 9110 §7.8; RFC 6455 §5.2",
                "Where a frame header should start, the stream holds \"HTTP/1.\" (or a request "
                "line). Peers read \"HT\" as a non-final Close with RSV1 set and fail with "
                "\"RSV1 set, FIN not set on control\" or \"Invalid frame header\".",
                "the handler kept using the ResponseWriter after the connection was upgraded "
                "while net/http still owned it (a 101 written without Hijack)\n"
                "a Go handler returned after writing 101 without hijacking; net/http parsed the "
                "client's first frame as a request and answered 400\n"
                "two Node ws servers on one HTTP server (websockets/ws#1478)\n"
                "a proxy that resumed HTTP processing on an upgraded connection",
                "Make sure exactly one component owns the connection after the 101."},
    AnomalyInfo{HijackClosedAfterUpgrade, "hijack_closed_after_upgrade", E,
                "Connection closed right after the 101", "RFC 6455 §7.1.1; §5.5.1",
                "Shortly after the 101, and before the server sent any frame or Close, the "
                "server closed TCP. The client reports close code 1006 (abnormal closure, "
                "unexpected EOF).",
                "the WebSocket handler returned right after Upgrade (goroutines started, defer "
                "ws.Close() in the handler)\n"
                "an error path after Upgrade (auth, first message) closing without a Close frame\n"
                "a panic in the handler recovered by gin's Recovery while a deferred Close closed "
                "the socket\n"
                "the client failed the handshake (wrong accept, unoffered subprotocol or "
                "extension) and dropped the connection",
                "Keep the handler running for the connection's life; close with a Close frame."},
    AnomalyInfo{HijackErrorWithOutput, "hijack_error_with_output", W,
                "Error response with application output appended", "RFC 9110 §15",
                "A WebSocket library already wrote its error response and the application wrote "
                "again into the same body. The server log may show a different status than the "
                "wire (gin ≤1.8 logs the overriding code).",
                "gin c.JSON(500, ...) in the `if err != nil` branch after a failed Upgrade: "
                "gorilla already replied with http.Error\n"
                "an error middleware writing after the handler",
                "Do not write a response after Upgrade fails: the library has answered."},
    AnomalyInfo{HijackNotSupported, "hijack_not_supported", E,
                "Server could not take over the connection", "RFC 6455 §4.2.2",
                "The WebSocket library could not hijack the connection and answered 500 (gorilla) "
                "or 501 (coder/websocket).",
                "http.TimeoutHandler wrapping the route (its writer has no Hijack)\n"
                "gzip, metrics or logging middleware wrapping the ResponseWriter without "
                "forwarding Hijack\n"
                "the request arrived over HTTP/2, where no writer can be hijacked\n"
                "gin 1.11.0 refusing Hijack after WriteHeaderNow",
                "Exclude the WebSocket route from wrapping middleware, or make the wrapper "
                "implement http.Hijacker."},
    // ---- h2: HTTP/2 frames (RFC 9113) and WebSocket over HTTP/2 (RFC 8441) ----------------
    AnomalyInfo{H2PrefaceInvalid, "h2_preface_invalid", E, "HTTP/2 connection preface wrong",
                "RFC 9113 §3.4",
                "The client started HTTP/2 but its first bytes are not the 24-byte connection "
                "preface \"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n\". A server closes such a "
                "connection with PROTOCOL_ERROR; the client direction is not decoded further.",
                "a client that skipped the preface after an Upgrade: h2c (the preface is still "
                "required, RFC 7540 §3.5)\n"
                "a non-HTTP/2 protocol sent to an h2c port",
                "Fix the client's HTTP/2 start; check what really listens on the port."},
    AnomalyInfo{H2FrameMalformed, "h2_frame_malformed", E, "Malformed HTTP/2 frame",
                "RFC 9113 §4–§6",
                "An HTTP/2 frame breaks a rule of its type: a wrong length (PING not 8 bytes, "
                "SETTINGS not a multiple of 6), a frame on the wrong stream (DATA on stream 0, "
                "SETTINGS on a stream), padding longer than the frame, a zero window increment, "
                "a setting outside its range, or another frame inside a header block. Peers "
                "answer with a connection or stream error (PROTOCOL_ERROR, FRAME_SIZE_ERROR).",
                "a buggy or hand-rolled HTTP/2 implementation\n"
                "bytes that are not HTTP/2 after an h2c upgrade\n"
                "a fuzzer or attack traffic",
                "Check the detail for the rule; update or fix the sending HTTP/2 stack."},
    AnomalyInfo{H2FrameTooLarge, "h2_frame_too_large", E, "HTTP/2 frame larger than allowed",
                "RFC 9113 §4.2",
                "A frame is longer than the receiver's SETTINGS_MAX_FRAME_SIZE (16384 unless "
                "raised), a FRAME_SIZE_ERROR. A non-DATA frame larger than wstrace buffers "
                "(1 MiB) is skipped, and if it carried a header block the direction stops.",
                "a sender that ignores the peer's SETTINGS_MAX_FRAME_SIZE\n"
                "a SETTINGS frame raising the limit that was lost in a gap\n"
                "attack traffic",
                "Make the sender honour SETTINGS_MAX_FRAME_SIZE."},
    AnomalyInfo{H2HeaderBlockTooLarge, "h2_header_block_too_large", W,
                "HTTP/2 header block too large", "RFC 9113 §4.3, §6.10; RFC 9113 §10.5.1",
                "A header block spans too many CONTINUATION frames (more than 32) or too many "
                "bytes (Limits::httpHeadBytes), or decodes to more than that. wstrace keeps "
                "decoding it, so HPACK stays in step, but drops fields past the bound. A "
                "CONTINUATION flood makes servers buffer without limit "
                "(CVE-2024-27316 and related).",
                "a CONTINUATION flood attack\n"
                "an application sending huge headers (cookies, tokens)",
                "Cap header sizes on the server (SETTINGS_MAX_HEADER_LIST_SIZE); update servers "
                "vulnerable to the CONTINUATION flood. Raise --max-head if the headers are "
                "legitimate."},
    AnomalyInfo{H2HpackError, "h2_hpack_error", E, "HPACK header block undecodable",
                "RFC 7541 §4.2, §6; RFC 9113 §4.3",
                "libnghttp2's HPACK inflater rejected a header block: an index outside the "
                "tables, a bad Huffman string, or a dynamic table size update above the "
                "SETTINGS_HEADER_TABLE_SIZE the receiver allowed (the table-size bomb). HPACK "
                "state is shared by every later block, so the direction is not decoded further; "
                "peers end the connection with COMPRESSION_ERROR.",
                "a table size update larger than the peer's setting (attack or bug)\n"
                "a header block lost in a gap before this one\n"
                "a broken HPACK encoder",
                "Check the encoder's handling of SETTINGS_HEADER_TABLE_SIZE; capture from the "
                "connection's start."},
    AnomalyInfo{H2SettingsFlood, "h2_settings_flood", W, "HTTP/2 SETTINGS flood",
                "RFC 9113 §6.5.3; CVE-2019-9515",
                "One side sent more than 32 SETTINGS frames the other had not acknowledged. "
                "Each must be acknowledged, so a flood makes the receiver queue work; servers "
                "end such connections with ENHANCE_YOUR_CALM.",
                "a SETTINGS flood attack\n"
                "a peer that stopped reading while the other kept changing settings",
                "Update the server (nghttp2, Go, Node fixed CVE-2019-9515); rate-limit "
                "SETTINGS."},
    AnomalyInfo{H2DesyncAfterGap, "h2_desync_after_gap", W, "HTTP/2 lost after a gap",
                "RFC 9113 §4.1",
                "Bytes of an HTTP/2 direction were not captured outside a DATA payload. HTTP/2 "
                "frames carry no marker to resynchronise on, and HPACK state depends on every "
                "header block, so the direction is not decoded further. Its WebSocket streams "
                "stop with it.",
                "packet loss at the capture point (tcp_gap)\n"
                "the snap length cut packets",
                "Capture without loss (a larger buffer: tcpdump -B), with -s 0."},
    AnomalyInfo{H2WsConnectNotEnabled, "h2_ws_connect_not_enabled", E,
                "Extended CONNECT before the server enabled it", "RFC 8441 §3, §4",
                "The client sent a CONNECT with :protocol (a WebSocket over HTTP/2) although the "
                "server had not sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 before it. A server "
                "that does not know the setting treats :protocol as a malformed request "
                "(RST_STREAM PROTOCOL_ERROR or a 400). The detail says whether the setting "
                "came later or never. Browsers do not send the CONNECT without the setting: "
                "they open the WebSocket over HTTP/1.1 instead.",
                "a server without RFC 8441 support (Node http2 without enableConnectProtocol, "
                "nginx, many proxies)\n"
                "a client that does not wait for the server's SETTINGS before its CONNECT\n"
                "a proxy between them that removed the setting",
                "Enable RFC 8441 on the server (Node: settings: { enableConnectProtocol: true }; "
                "Envoy: allow_connect), or have the client wait for the server's SETTINGS and "
                "fall back to HTTP/1.1 when the setting is absent."},
    AnomalyInfo{H2WsConnectRefused, "h2_ws_connect_refused", E, "Extended CONNECT refused",
                "RFC 8441 §5; RFC 9110 §15",
                "The server answered the extended CONNECT of a WebSocket with a status other "
                "than 2xx. On HTTP/2 a 200 replaces the 101 of RFC 6455; anything else means "
                "no WebSocket, like a refused Upgrade on HTTP/1.1.",
                "the path has no WebSocket endpoint (404)\n"
                "authentication or Origin checks failed (401, 403)\n"
                "the server does not support :protocol websocket (400, 501)",
                "Read the status and the response headers; fix the URL, the credentials or the "
                "server's RFC 8441 support."},
    AnomalyInfo{H2WsStatus101, "h2_ws_status_101", E, "101 on HTTP/2", "RFC 9113 §8.6; RFC 8441 §5",
                "The server answered an extended CONNECT with 101 Switching Protocols. HTTP/2 "
                "has no protocol switch: the 101 status is forbidden, and clients treat it as "
                "malformed; a WebSocket over HTTP/2 is accepted with 200.",
                "a server or proxy that translated an HTTP/1.1 101 into HTTP/2 verbatim\n"
                "a hand-written RFC 8441 handler copying the HTTP/1.1 handshake",
                "Answer the extended CONNECT with :status 200 (no Sec-WebSocket-Accept)."},
    AnomalyInfo{H2WsConnectMalformed, "h2_ws_connect_malformed", E,
                "Extended CONNECT request malformed", "RFC 8441 §4, §5; RFC 9113 §8.3",
                "The CONNECT with :protocol websocket lacks a pseudo-header RFC 8441 requires "
                "(:scheme, :path, :authority) or has a wrong Sec-WebSocket-Version (must be "
                "13). Servers reject it as a malformed request.",
                "a client that builds the extended CONNECT like a classic CONNECT (only "
                ":authority)\n"
                "a client that forgot Sec-WebSocket-Version",
                "Send :method CONNECT, :protocol websocket, :scheme, :path, :authority and "
                "sec-websocket-version: 13."},
    AnomalyInfo{H2WsStreamReset, "h2_ws_stream_reset", W, "WebSocket stream reset without a Close",
                "RFC 8441 §6; RFC 9113 §8.5",
                "RST_STREAM ended the HTTP/2 stream of a WebSocket before both sides had sent "
                "a Close frame. On HTTP/2 the stream reset replaces the TCP close: a reset "
                "with any error code is the abnormal closure (RFC 8441 §6; 1006 for the "
                "application). The detail names the error code and its meaning.",
                "the browser tab or client went away (CANCEL)\n"
                "a server or proxy timeout\n"
                "the application aborted the socket without a Close handshake",
                "Close WebSockets with a Close frame before ending the stream; look at the error "
                "code for who gave up."},
    AnomalyInfo{H2WsStreamResetMidMessage, "h2_ws_stream_reset_mid_message", E,
                "WebSocket stream reset mid-message", "RFC 8441 §6; RFC 6455 §7.1.7",
                "RST_STREAM ended the WebSocket stream while a WebSocket frame or a fragmented "
                "message was still being sent: the receiver lost the rest of it.",
                "the sender was killed or timed out while writing\n"
                "a proxy reset the stream (flow control, size limit)",
                "Find who sent the RST_STREAM and why (the error code); finish messages and "
                "send a Close before ending the stream."},
    AnomalyInfo{H2WsGoawayOpenStreams, "h2_ws_goaway_open_streams", W,
                "GOAWAY with open WebSocket streams", "RFC 9113 §6.8; RFC 8441",
                "One side sent GOAWAY while WebSocket streams were still open on the HTTP/2 "
                "connection. Streams at or below its last stream id may finish, but the "
                "connection is going away, and long-lived WebSockets on it end with it.",
                "a server restart or graceful shutdown\n"
                "a proxy rotating its connections (max age, max requests)\n"
                "a protocol error (see the GOAWAY error code)",
                "Have clients reconnect WebSockets on GOAWAY; drain WebSockets with Close 1001 "
                "before shutting down."},
};

static_assert(kCatalog.size() == kAnomalyIdCount, "one catalog row per AnomalyId");

constexpr bool rowsInEnumOrder() {
    for (std::size_t i = 0; i < kCatalog.size(); ++i) {
        if (static_cast<std::size_t>(kCatalog[i].id) != i) {
            return false;
        }
    }
    return true;
}
static_assert(rowsInEnumOrder(), "catalog rows must follow the AnomalyId order");

} // namespace

std::span<const AnomalyInfo> anomalyCatalog() {
    return kCatalog;
}

const AnomalyInfo& anomalyInfo(AnomalyId id) {
    const auto i = static_cast<std::size_t>(id);
    return kCatalog[i < kCatalog.size() ? i : 0];
}

std::string_view anomalyName(AnomalyId id) {
    const auto i = static_cast<std::size_t>(id);
    return i < kCatalog.size() ? kCatalog[i].name : std::string_view{"unknown"};
}

std::optional<AnomalyId> anomalyFromName(std::string_view name) {
    for (const AnomalyInfo& row : kCatalog) {
        if (row.name == name) {
            return row.id;
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> likelyCauses(const AnomalyInfo& info) {
    std::vector<std::string_view> out;
    std::string_view rest = info.causes;
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find('\n'), rest.size());
        if (end > 0) {
            out.push_back(rest.substr(0, end));
        }
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return out;
}

std::string_view toString(Severity s) {
    switch (s) {
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "unknown";
}

std::optional<Severity> severityFromName(std::string_view name) {
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Error}) {
        if (toString(s) == name) {
            return s;
        }
    }
    return std::nullopt;
}

} // namespace wst
