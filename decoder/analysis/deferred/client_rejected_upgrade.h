// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"

#include <optional>
#include <string>
#include <vector>

namespace wst {

/// A client that rejected a 101 (RFC 6455 §4.1: a client fails the connection when the server
/// chose a subprotocol or an extension it did not offer). The 101 alone cannot tell: browsers
/// and Node ws fail such a handshake, gorilla/websocket and k6 go on. What the client did next
/// can: one that closes TCP without sending a single WebSocket frame rejected it, and the
/// connection failed although the server believes it upgraded. Unlike the other deferred
/// patterns this one decides the outcome, not an anomaly: the mismatch is already reported.
class ClientRejectedUpgrade {
public:
    /// The 101 that switched the connection has `mismatch` (ws_handshake_unoffered_subprotocol
    /// or ws_handshake_unoffered_extension; other ids are ignored).
    void onMismatch(AnomalyId mismatch);
    /// At the end: why the connection failed (for Connection::notes), if the client sent no
    /// WebSocket frame and closed TCP (`clientEnd` FIN or RST) after such a 101.
    std::optional<std::string> conclude(std::uint64_t clientFrames, TcpEnd clientEnd) const;

private:
    std::vector<AnomalyId> m_mismatches;
};

} // namespace wst
