// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/close_not_answered.h"

#include "decoder/analysis/patterns.h"
#include "decoder/model/format.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;

const char* how(const DirectionStats& st) {
    return st.tcpEnd == TcpEnd::Rst ? "RST" : "FIN";
}

} // namespace

std::string closeText(const DirectionStats& st) {
    return st.closeCode ? fmt::format("Close {}", *st.closeCode) : std::string("Close");
}

void CloseNotAnswered::onTcpEnd(Direction d, PacketNumber packet) {
    m_endPacket[index(d)] = packet;
}

Finding CloseNotAnswered::conclude(Direction firstClose, const std::array<DirectionStats, 2>& stats,
                                   const SegmentInfo& last) const {
    const Direction x = firstClose;
    const Direction p = opposite(x);
    const DirectionStats& sx = stats[index(x)];
    const DirectionStats& sp = stats[index(p)];
    if (sp.sentClose) {
        return std::nullopt;
    }
    const bool xEnded = sx.tcpEnd != TcpEnd::None;
    const bool pEnded = sp.tcpEnd != TcpEnd::None;
    if (pEnded && sp.tcpEndTime <= sx.closeTime) {
        return std::nullopt; // the peer had closed TCP before the Close arrived: it could not
                             // answer
    }
    if (xEnded && sx.tcpEndTime - sx.closeTime < 10 * kMs &&
        (!pEnded || sx.tcpEndTime <= sp.tcpEndTime)) {
        return std::nullopt; // the sender did not wait for a reply (ws_close_abnormal for a client)
    }
    std::string detail;
    SegmentInfo at = last;
    if (pEnded && (!xEnded || sp.tcpEndTime <= sx.tcpEndTime)) {
        detail = fmt::format("the {} closed TCP ({}) {} after the {}'s {} without a Close reply",
                             sideName(p), how(sp), formatDuration(sp.tcpEndTime - sx.closeTime),
                             sideName(x), closeText(sx));
        at = SegmentInfo{m_endPacket[index(p)], sp.tcpEndTime};
    } else if (xEnded) {
        const std::int64_t wait = sx.tcpEndTime - sx.closeTime;
        detail = fmt::format("no Close reply; the {} closed TCP ({}) {} after its {}", sideName(x),
                             how(sx), formatDuration(wait), closeText(sx));
        const std::string known = knownTimeout(wait, WaitKind::CloseWait);
        if (!known.empty()) {
            detail += fmt::format("; {}", known);
        }
        at = SegmentInfo{m_endPacket[index(x)], sx.tcpEndTime};
    } else if (last.time - sx.closeTime >= 5 * kSecond) {
        detail = fmt::format("{} sent {}; no Close reply in the {} until the capture ended",
                             sideName(x), closeText(sx), formatDuration(last.time - sx.closeTime));
    } else {
        return std::nullopt; // the capture ended while the reply could still come
    }
    return makeAnomaly(AnomalyId::WsCloseNotAnswered, p, at, 0, std::move(detail));
}

} // namespace wst
