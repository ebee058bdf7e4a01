// SPDX-License-Identifier: MIT
#pragma once

// The mismatch and hijack patterns (docs/anomalies.md), as pure functions over what the
// analyzer has kept of a connection (a ResponseSummary outlives the head's bytes): refusal
// classification (http_upgrade_refused, http_upgrade_ignored, http_upgrade_stripped,
// hijack_not_supported, http_version_rejected for RFC 6455 §4.4), the gorilla error-body check
// (hijack_error_with_output) and the well-known timeouts. Server fingerprints are
// decoder/http's (fingerprint.h).

#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

/// First value of header `name` (case-insensitive), or "".
std::string_view headerValue(const ResponseSummary& r, std::string_view name);

/// True if the response's Server header names a reverse proxy or CDN (nginx, Apache, envoy,
/// HAProxy, Cloudflare, ...).
bool isProxyServer(std::string_view server);

/// A gorilla/websocket error reply: Go's http.Error headers plus Sec-Websocket-Version (as in
/// captures/gin-origin-403.pcapng).
bool looksLikeGorillaError(const ResponseSummary& response);

/// What an upgrade request's non-101 final answer means (the ids above; RFC 6455 §4.4).
struct Refusal {
    AnomalyId id = AnomalyId::HttpUpgradeRefused;
    std::string detail; ///< "expected=101, found=403 Forbidden; …"
};

/// `failedRequestChecks`: names of the request checks that failed ("Upgrade", "Origin", ...).
/// `bodyPrefix`: the body's first bytes, when already known.
Refusal classifyRefusal(const ResponseSummary& response, const RequestSummary* request,
                        const std::vector<std::string_view>& failedRequestChecks,
                        std::string_view bodyPrefix);

/// hijack_error_with_output: the body of a gorilla-style error carries bytes after the
/// library's own text line. Returns the appended part ("" when there is none).
std::string_view appendedErrorOutput(int status, std::string_view reasonPhrase,
                                     std::string_view body);

/// What a wait of a given length is known for (the table in knownTimeout).
enum class WaitKind : std::uint8_t {
    Handshake, ///< request sent, no response, then the client gave up (http_no_response)
    Idle,      ///< no frames either way, then FIN/RST without Close (ws_close_idle_timeout)
    CloseWait, ///< Close sent, no reply, then the sender closed TCP (ws_close_not_answered)
};

/// "≈60 s: k6 handshake timeout" when `ns` is within min(2 %, 1 s) of a well-known timeout for
/// that kind of wait; "" otherwise.
std::string knownTimeout(std::int64_t ns, WaitKind kind);

/// Printable, bounded rendering of bytes for details: "Bad Request\n" → "Bad Request\\n".
std::string quoteBytes(std::string_view bytes, std::size_t max = 80);

} // namespace wst
