// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/unanswered_upgrade.h"

#include "decoder/analysis/patterns.h"
#include "decoder/model/format.h"

#include <fmt/format.h>
#include <string>
#include <utility>

namespace wst {

void UnansweredUpgrade::onRequest(const SegmentInfo& requestEnd, std::uint64_t serverBytes) {
    m_waiting = true;
    m_serverGap = false;
    m_requestEnd = requestEnd;
    m_serverBytesAtRequest = serverBytes;
}

Finding UnansweredUpgrade::onTcpEnd(Direction d, bool rst, const SegmentInfo& info,
                                    std::uint64_t serverBytes, std::uint64_t streamEnd,
                                    bool earlyClientData, std::string_view clientSent) {
    if (!m_waiting || serverBytes != m_serverBytesAtRequest) {
        return std::nullopt;
    }
    m_waiting = false;
    const std::string_view how = rst ? "RST" : "FIN";
    const std::int64_t wait = info.time - m_requestEnd.time;
    std::string detail;
    if (d == Direction::ServerToClient) {
        detail = fmt::format("server {} {} after the request, no response byte", how,
                             formatDuration(wait));
        if (earlyClientData) {
            detail += "; the client had sent data before the 101: a server may close on it "
                      "(gorilla/websocket ≤1.5.3 does: \"client sent data before handshake is "
                      "complete\")";
        }
    } else {
        detail = fmt::format("client gave up ({}) {} after the request, no response byte", how,
                             formatDuration(wait));
        const std::string known = knownTimeout(wait, WaitKind::Handshake);
        if (!known.empty()) {
            detail += fmt::format("; {}", known);
        }
    }
    if (!clientSent.empty()) {
        detail += fmt::format("; {}", clientSent);
    }
    return makeAnomaly(AnomalyId::HttpNoResponse, d, info, streamEnd, std::move(detail));
}

Finding UnansweredUpgrade::conclude(const SegmentInfo& last, std::uint64_t serverBytes,
                                    std::uint64_t serverStreamEnd, std::string_view clientSent) {
    // Long past any normal handshake: the handler may be blocked before it upgrades.
    constexpr std::int64_t kLongWait = 5'000'000'000;
    if (!m_waiting || m_serverGap || serverBytes != m_serverBytesAtRequest ||
        last.time - m_requestEnd.time < kLongWait) {
        return std::nullopt;
    }
    m_waiting = false;
    std::string detail =
        fmt::format("no response byte in the {} from the request to the end of the capture (the "
                    "handler may be blocked before Upgrade)",
                    formatDuration(last.time - m_requestEnd.time));
    if (!clientSent.empty()) {
        detail += fmt::format("; {}", clientSent);
    }
    return makeAnomaly(AnomalyId::HttpNoResponse, Direction::ServerToClient, last, serverStreamEnd,
                       std::move(detail));
}

} // namespace wst
