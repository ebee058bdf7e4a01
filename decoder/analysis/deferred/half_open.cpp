// SPDX-License-Identifier: MIT
#include "decoder/analysis/deferred/half_open.h"

#include "decoder/model/format.h"

#include <fmt/format.h>
#include <string>
#include <utility>

namespace wst {

void HalfOpenTracker::onSegment(Direction d, const TcpSegment& segment, const SegmentInfo& info) {
    m_silence[index(opposite(d))].segments = 0;
    m_everSent[index(d)] = true;
    if (segment.payloadLengthOnWire == 0 || (segment.flags & tcpflag::Rst) != 0) {
        return;
    }
    Unanswered& u = m_silence[index(d)];
    if (u.segments == 0) {
        u.first = info;
        u.retransmissions = 0;
    } else if (segment.seq == u.lastSeq) {
        ++u.retransmissions;
    }
    ++u.segments;
    u.last = info.time;
    u.lastSeq = segment.seq;
}

void HalfOpenTracker::swapDirections() {
    std::swap(m_silence[0], m_silence[1]);
    std::swap(m_everSent[0], m_everSent[1]);
}

Finding HalfOpenTracker::conclude(Direction sender, TcpEnd senderEnd,
                                  std::uint64_t peerStreamEnd) const {
    // A live TCP peer ACKs within 500 ms (RFC 1122 §4.2.3.2, RFC 9293 §3.8.6.3). Three
    // unanswered segments over at least a second (retransmissions back off from 200 ms) and
    // nothing back until the end: the peer is gone. A peer never heard from at all is a
    // one-direction capture, not a half-open connection.
    constexpr std::size_t kMinSegments = 3;
    constexpr std::int64_t kMinSpan = 1'000'000'000;
    const Unanswered& u = m_silence[index(sender)];
    const Direction peer = opposite(sender);
    if (u.segments < kMinSegments || u.last - u.first.time < kMinSpan || !m_everSent[index(peer)]) {
        return std::nullopt;
    }
    const std::string until = senderEnd == TcpEnd::None
                                  ? std::string("the capture ended")
                                  : fmt::format("the {} gave up ({})", sideName(sender),
                                                senderEnd == TcpEnd::Rst ? "RST" : "FIN");
    return makeAnomaly(
        AnomalyId::TcpHalfOpen, peer, u.first, peerStreamEnd,
        fmt::format("the {} sent {} segments with data ({} retransmitted) over {}; the {} sent "
                    "nothing back, not even an ACK, until {}",
                    sideName(sender), u.segments, u.retransmissions,
                    formatDuration(u.last - u.first.time), sideName(peer), until));
}

} // namespace wst
