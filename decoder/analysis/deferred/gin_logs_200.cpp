// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/gin_logs_200.h"

namespace wst {

void GinLogs200::onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo& at,
                           std::uint64_t offset) {
    if (handshakeOk && response.status == 101 && response.fingerprint == "gorilla/websocket") {
        m_candidate = true;
        m_at = at;
        m_offset = offset;
    }
}

Finding GinLogs200::conclude(bool httpAfter101) const {
    if (!m_candidate || httpAfter101) {
        return std::nullopt;
    }
    return makeAnomaly(AnomalyId::HijackGinLogs200, Direction::ServerToClient, m_at, m_offset,
                       "101 written by gorilla/websocket on the hijacked connection (Upgrade, "
                       "Connection, Sec-WebSocket-Accept first; no Date, no Server): a gin access "
                       "log shows 200 for this request");
}

} // namespace wst
