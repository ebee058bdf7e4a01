// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/http_head_parser.h"
#include "decoder/model/trace.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

/// A guess at the software behind a head, from wire facts only: header order and spelling,
/// Server and User-Agent, error bodies (the captures in captures/README.md show each layout).
/// All strings are static.
struct Fingerprint {
    std::string_view name;     ///< "gorilla/websocket", "Go net/http", "nginx", "node ws",
                               ///< "python websockets", "k6", "Chromium", ... or "" (unknown)
    std::string_view evidence; ///< the wire fact that decided it, one short phrase
    /// A reverse proxy relayed an upstream answer whose upstream shows through ("nginx" in
    /// `name` and "gorilla/websocket" here), or "".
    std::string_view upstream;
    /// Another stack that writes the same bytes, or "": a gorilla-layout 101 is also exactly
    /// what node ws writes, so name "gorilla/websocket" comes with alternative "node ws".
    std::string_view alternative;

    bool known() const { return !name.empty(); }
};

/// Fingerprints the server from a response head and, for non-101 answers, the first bytes of
/// its body (error texts: gorilla's "Bad Request\n", Go's "400 Bad Request", node ws'
/// "Bad Request"). Notes:
/// - gorilla/websocket writes its 101 itself: exactly Upgrade, Connection, Sec-WebSocket-Accept
///   (then optional Sec-WebSocket-Protocol / -Extensions), no Date, no Server. node ws writes
///   the same three lines; without a permessage-deflate answer the two cannot be told apart,
///   and the evidence says so.
/// - A 101 written by Go net/http (coder/websocket, or WriteHeader(101)) has Go-canonical,
///   sorted names ("Sec-Websocket-Accept").
/// - A non-101 answer written by Go net/http: the handler's headers Go-canonical and sorted, then
///   the ones net/http adds itself in its fixed order (Date, Content-Length, Content-Type,
///   Connection, Transfer-Encoding), Date always (RFC 9110 §6.6.1: an origin server with a
///   clock MUST send it; node ws' abortHandshake sends none).
/// The 101 alone never tells gorilla/websocket from node ws: narrowServerFingerprint does, from
/// what the server did later on the same connection.
Fingerprint fingerprintServer(const HttpHead& response, std::string_view bodyPrefix = {});

/// fingerprintServer over a kept ResponseSummary (its headers and body prefix).
Fingerprint fingerprintServer(const ResponseSummary& response);

/// One side's Close frame, as the narrowing needs it.
struct CloseFact {
    bool sent = false;
    std::optional<std::uint16_t> code; ///< none: an empty Close body (1005 to the peer)
    std::string_view reason;
};

/// What the server did on the connection besides its 101, for narrowServerFingerprint. Only wire
/// facts; the analyzer gathers them when the connection ends.
struct ServerBehaviour {
    /// The server's other answers on this connection (before the 101, or HTTP written into the
    /// WebSocket stream after it), each fingerprinted with its body prefix.
    std::vector<Fingerprint> otherAnswers;
    CloseFact clientClose, serverClose; ///< each side's first Close frame
    /// The client's Close came first and the server's Close answered it.
    bool serverCloseAnswered = false;
    /// The client sent a text message that is not valid UTF-8 (ws_frame_invalid_utf8, c2s).
    bool clientSentInvalidUtf8 = false;
};

/// A 101's fingerprint after the connection's later behaviour was weighed.
struct NarrowedFingerprint {
    std::string name;     ///< as ResponseSummary::fingerprint: one stack, or "A or B"
    std::string evidence; ///< the 101's evidence, then "; " and each later fact that decided
    /// The evidence says the server is Go: gorilla/websocket (narrowed) or Go net/http. False
    /// while node ws remains possible.
    bool serverIsGo = false;
    bool narrowed = false; ///< a later fact removed a candidate
};

/// Narrows `of101` (fingerprintServer of the 101) with what the server did later. Only the
/// ambiguous gorilla/websocket-or-node-ws 101 is narrowed; any other fingerprint is returned as
/// it is. The rules, each a behaviour of one stack's defaults that the other's lacks:
/// - another answer on the connection written by Go net/http or gorilla (Go error reply, Go
///   header layout with Date, "400 Bad Request" parse-error reply) → gorilla/websocket;
///   node ws' abortHandshake reply → node ws;
/// - the client's Close had a reason and the server's Close answered it (RFC 6455 §5.5.1: the
///   endpoint typically echoes the status code): with the code alone → gorilla/websocket (its
///   default close handler drops the reason), code and the same reason → node ws (it echoes both);
/// - the server's Close 1002 reason is one of gorilla's protocol-error texts ("bad MASK",
///   "len > 125 for control", "FIN not set on control", "RSV1 set", "bad close code N", ...);
///   node ws sends its Close 1002 with the code alone → gorilla/websocket;
/// - the client sent invalid UTF-8 text and the server closed with a code other than 1007
///   (RFC 6455 §8.1: the endpoint MUST fail the connection; node ws does by default, gorilla
///   does not check) → not node ws.
/// Contradicting facts, or none, leave both names, and the evidence says so.
NarrowedFingerprint narrowServerFingerprint(const Fingerprint& of101, const ServerBehaviour& later);

/// Fingerprints the client from its request: k6 ("Grafana k6/" or "k6/" User-Agent), Chromium,
/// Firefox, Go (gorilla Dialer / net/http, "Go-http-client/"), python websockets, node ws (no
/// User-Agent, Sec-WebSocket-Version first).
Fingerprint fingerprintClient(const HttpHead& request);

/// How a gorilla/websocket error reply (Sec-Websocket-Version: 13, text/plain, body = status
/// text + "\n") looks, for the hijack anomalies.
enum class GorillaErrorShape : std::uint8_t {
    None,               ///< not a gorilla error reply
    Plain,              ///< exactly the status text and "\n"
    HijackNotSupported, ///< 500 "Internal Server Error\n": the writer is not a Hijacker
                        ///< (hijack_not_supported)
    WithAppOutput,      ///< more bytes after the status text line: the app wrote too
                        ///< (hijack_error_with_output)
};
/// Classifies a non-101 response and its body prefix (at least the first line of the body).
GorillaErrorShape gorillaErrorShape(const HttpHead& response, std::string_view bodyPrefix);

} // namespace wst
