// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/gin_logs_200.h"

namespace wst {

void GinLogs200::onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo& at,
                           std::uint64_t offset) {
    constexpr std::string_view kGorilla = "gorilla/websocket";
    if (handshakeOk && response.status == 101 &&
        response.fingerprint.compare(0, kGorilla.size(), kGorilla) == 0) {
        m_candidate = true;
        m_ambiguous = response.fingerprint != kGorilla;
        m_at = at;
        m_offset = offset;
    }
}

Finding GinLogs200::conclude(bool httpAfter101) const {
    if (!m_candidate || httpAfter101) {
        return std::nullopt;
    }
    return makeAnomaly(
        AnomalyId::HijackGinLogs200, Direction::ServerToClient, m_at, m_offset,
        m_ambiguous ? "101 in the layout gorilla/websocket and node ws both write (Upgrade, "
                      "Connection, Sec-WebSocket-Accept first; no Date, no Server): if the server "
                      "is gin + gorilla, its access log shows 200 for this request"
                    : "101 written by gorilla/websocket on the hijacked connection (its deflate "
                      "answer): a gin access log shows 200 for this request");
}

std::string_view GinLogs200::note() const {
    if (m_ambiguous) {
        return "gorilla/websocket or node ws 101 (the same bytes): if the server is gin + "
               "gorilla, gin logs this upgrade as 200, and \"response.WriteHeader on hijacked "
               "connection\" log lines for it left no trace on the wire";
    }
    return "gorilla/websocket 101: gin logs this upgrade as 200, and \"response.WriteHeader on "
           "hijacked connection\" log lines for it left no trace on the wire";
}

} // namespace wst
