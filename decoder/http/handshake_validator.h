// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/http_head_parser.h"
#include "decoder/http/ws_extensions.h"
#include "decoder/model/anomaly.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

/// What kind of request a head is, from the WebSocket point of view.
enum class UpgradeKind : std::uint8_t {
    None,      ///< plain HTTP: no Upgrade: websocket and no Sec-WebSocket-Key
    WebSocket, ///< asks for websocket (Upgrade token websocket), valid or not
    /// Has Sec-WebSocket-Key but neither an Upgrade "websocket" nor a Connection "upgrade" token:
    /// a proxy dropped the hop-by-hop headers (http_upgrade_stripped; RFC 9110 §7.6.1).
    Stripped,
    /// Sec-WebSocket-Key and a Connection "upgrade" token but no Upgrade: websocket. Still a
    /// WebSocket attempt; the validator reports the missing Upgrade.
    KeyWithoutUpgrade,
};

/// Classifies a request head. Upgrade to another protocol (h2c) without a key is None.
UpgradeKind classifyRequest(const HttpHead& request);
/// True for WebSocket, Stripped and KeyWithoutUpgrade: the handshake rules apply.
bool isWebSocketAttempt(const HttpHead& request);
/// True when the request asks to upgrade to websocket (Upgrade header token, any case).
bool isUpgradeRequest(const HttpHead& request);

/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) (RFC 6455 §4.2.2 item 5.4),
/// computed with OpenSSL libcrypto. `key` is used as given (already trimmed by the parser).
std::string computeAccept(std::string_view key);
/// True when `key` is the base64 encoding of exactly 16 bytes (RFC 6455 §4.1 item 7).
bool isValidKey(std::string_view key);

enum class CheckResult : std::uint8_t { Passed, Failed, NotApplicable };
std::string_view toString(CheckResult r);

/// One rule applied to one header (or the start line).
struct HandshakeCheck {
    std::string_view name; ///< "Method", "Upgrade", "Sec-WebSocket-Accept", ... (static)
    CheckResult result = CheckResult::NotApplicable;
    std::string expected; ///< what the rule asks for, readable ("13", "token websocket")
    std::string found;    ///< what the head had ("(absent)" when missing)
    /// Set exactly when result == Failed. Some failures are informational (e.g.
    /// WsHandshakeSubprotocolNotChosen); the severity comes from the anomaly catalog.
    std::optional<AnomalyId> anomaly;
    std::string detail; ///< Failed: "expected=…, found=…" (plus context); empty otherwise
};

/// What the handshake agreed on.
struct Negotiated {
    std::string subprotocol;             ///< the 101's Sec-WebSocket-Protocol, or ""
    std::vector<std::string> extensions; ///< extension names the 101 accepted, in order
    DeflateParams deflate;               ///< permessage-deflate, if accepted
};

/// The outcome of validating one request or one request/response pair.
struct HandshakeReport {
    std::vector<HandshakeCheck> checks; ///< in a fixed order (see validateRequest/Response)
    Negotiated negotiated;              ///< validateResponse on a 101 only

    /// True when no check failed.
    bool ok() const;
    /// The first check with this name, or nullptr.
    const HandshakeCheck* find(std::string_view name) const;
    /// The anomaly ids of all failed checks, in check order.
    std::vector<AnomalyId> anomalies() const;
};

/// Applies the client rules of RFC 6455 §4.1 / §4.2.1 to a request the caller considers a
/// WebSocket attempt (isWebSocketAttempt). Checks, in order:
/// "Method" (GET; WsHandshakeBadMethod), "HTTP-Version" (≥ 1.1; WsHandshakeBadHttpVersion),
/// "Host" (exactly one; WsHandshakeMissingHost), "Upgrade" (token websocket;
/// WsHandshakeMissingUpgrade), "Connection" (token upgrade; WsHandshakeMissingConnection),
/// "Upgrade stripped" (fails with HttpUpgradeStripped for UpgradeKind::Stripped, beside the two
/// generic failures; passes otherwise),
/// "Sec-WebSocket-Key" (once, base64 of 16 bytes; WsHandshakeMissingKey / MultipleKey / BadKey),
/// "Sec-WebSocket-Version" (exactly 13; WsHandshakeBadVersion), "permessage-deflate" (each
/// offer's parameters valid, RFC 7692 §7; WsDeflateBadParameters; NotApplicable if not offered).
HandshakeReport validateRequest(const HttpHead& request);

/// Applies the server rules of RFC 6455 §4.2.2 / §4.4 and RFC 7692 §7 to `response`, the
/// server's answer to `request`. Checks, in order:
/// - "Status": 101 passes; 1xx interim responses are NotApplicable; 2xx fails with
///   HttpUpgradeIgnored, 3xx with HttpUpgradeRedirected, 4xx/5xx with HttpUpgradeRefused (the
///   analyzer may reclassify, e.g. HijackTwoResponses when another response follows).
/// - Non-101 only: "Sec-WebSocket-Version" — a response that lists versions (RFC 6455 §4.4)
///   not including the request's fails with HttpVersionRejected (gorilla's "13" on every error
///   reply does not count when the request asked for 13).
/// - 101 only: "Upgrade" (WsHandshakeResponseMissingUpgrade), "Connection"
///   (WsHandshakeResponseMissingConnection), "Body headers" (no Content-Length,
///   Transfer-Encoding or Content-Encoding on a 101; WsHandshakeResponseBodyHeaders),
///   "Sec-WebSocket-Accept" (WsHandshakeMissingAccept /
///   MultipleAccept / WrongAccept; NotApplicable without a request key),
///   "Sec-WebSocket-Protocol" (WsHandshakeUnofferedSubprotocol for an unoffered or multiple
///   choice; WsHandshakeSubprotocolNotChosen when offered and none chosen),
///   "Sec-WebSocket-Extensions" (WsHandshakeUnofferedExtension for an unoffered or repeated
///   extension), "permessage-deflate" (response parameters valid and matching an offer;
///   WsDeflateBadParameters).
/// On a 101, `negotiated` holds the agreed subprotocol, extensions and deflate parameters.
HandshakeReport validateResponse(const HttpHead& request, const HttpHead& response);

} // namespace wst
