// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/gin_logs_200.h"

namespace wst {

void GinLogs200::onUpgrade(const ResponseSummary& response, bool handshakeOk, const SegmentInfo& at,
                           std::uint64_t offset) {
    // gorilla's layout, whether or not node ws remains possible: the end decides.
    constexpr std::string_view kGorilla = "gorilla/websocket";
    m_candidate = handshakeOk && response.status == 101 &&
                  response.fingerprint.compare(0, kGorilla.size(), kGorilla) == 0;
    m_at = at;
    m_offset = offset;
}

Finding GinLogs200::conclude(bool serverIsGo, bool httpAfter101) const {
    if (!m_candidate || !serverIsGo || httpAfter101) {
        return std::nullopt;
    }
    return makeAnomaly(AnomalyId::HijackGinLogs200, Direction::ServerToClient, m_at, m_offset,
                       "101 written by gorilla/websocket on the hijacked connection (the server's "
                       "fingerprint evidence says Go): a gin access log shows 200 for this "
                       "request");
}

std::string_view GinLogs200::note() const {
    return "gorilla/websocket 101: gin logs this upgrade as 200, and \"response.WriteHeader on "
           "hijacked connection\" log lines for it left no trace on the wire";
}

} // namespace wst
