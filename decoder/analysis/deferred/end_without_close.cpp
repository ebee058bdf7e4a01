// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/end_without_close.h"

#include "decoder/analysis/patterns.h"
#include "decoder/model/format.h"

#include <fmt/format.h>
#include <utility>

namespace wst {

void EndWithoutClose::onTcpEnd(Direction d, bool rst, const SegmentInfo& info,
                               Timestamp lastActivity, std::size_t outstandingPings) {
    if (m_noted) {
        return;
    }
    m_noted = true;
    m_dir = d;
    m_at = info;
    const std::int64_t idle = info.time - lastActivity;
    // RFC 6455 §7.1.5: without a Close frame the peer's close code is 1006.
    std::string detail =
        fmt::format("{} {} while the WebSocket was open, without a Close "
                    "frame; {} since the last frame; the {} reports 1006",
                    sideName(d), rst ? "RST" : "FIN", formatDuration(idle), sideName(opposite(d)));
    if (outstandingPings > 0) {
        detail += fmt::format("; ping timeout: {} ping(s) from the {} unanswered (a read "
                              "deadline renewed by pongs, as gorilla's pongWait or node ws' "
                              "heartbeat examples do)",
                              outstandingPings, sideName(d));
    } else {
        const std::string known = knownTimeout(idle, WaitKind::Idle);
        if (!known.empty()) {
            detail += fmt::format("; {}", known);
            m_idleTimeout = d == Direction::ServerToClient;
        }
    }
    m_detail = std::move(detail);
}

void EndWithoutClose::onProxyIdleTimeout(std::string_view detail) {
    if (!m_noted || m_proxyIdle) {
        return;
    }
    m_proxyIdle = true;
    m_idleTimeout = true;
    m_detail = fmt::format("{}; {}", detail, m_detail);
}

Finding EndWithoutClose::conclude(const std::array<std::uint64_t, 2>& streamEnd) {
    if (!m_noted) {
        return std::nullopt;
    }
    return makeAnomaly(m_idleTimeout ? AnomalyId::WsCloseIdleTimeout : AnomalyId::WsCloseMissing,
                       m_dir, m_at, streamEnd[index(m_dir)], std::move(m_detail));
}

} // namespace wst
