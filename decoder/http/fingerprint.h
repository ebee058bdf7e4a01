// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/http_head_parser.h"

#include <string_view>

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
Fingerprint fingerprintServer(const HttpHead& response, std::string_view bodyPrefix = {});

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
