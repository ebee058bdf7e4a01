// SPDX-License-Identifier: MIT
#pragma once

#include "capture/net/packet_decoder.h"
#include "decoder/analysis/deferred/deferred.h"
#include "decoder/model/trace.h"

#include <array>
#include <cstdint>

namespace wst {

/// tcp_half_open: one side kept sending data while the other sent nothing at all, not even an
/// ACK, until the end. Fed every segment in packet order; decided when the connection ends.
/// Holds two counters per direction.
class HalfOpenTracker {
public:
    /// Every TCP segment of the connection, data or not (StreamSink::onSegment). Any segment,
    /// even a bare ACK, answers what the peer sent so far.
    void onSegment(Direction d, const TcpSegment& segment, const SegmentInfo& info);
    /// Client and server were swapped (the role was guessed wrong before).
    void swapDirections();
    /// At the end of the connection: the peer of `sender` is gone if `sender` sent at least
    /// three data segments over a second or more that nothing answered, and the peer had sent
    /// something before (else it is a one-direction capture). `senderEnd`: how the sender's
    /// TCP ended; `peerStreamEnd`: the peer's stream offset, where the anomaly is placed.
    Finding conclude(Direction sender, TcpEnd senderEnd, std::uint64_t peerStreamEnd) const;

private:
    /// Data segments one side sent since the other side's last segment of any kind.
    struct Unanswered {
        std::uint32_t segments = 0;
        std::uint32_t retransmissions = 0; ///< segments that repeated the previous sequence number
        std::uint32_t lastSeq = 0;
        SegmentInfo first;
        Timestamp last;
    };
    std::array<Unanswered, 2> m_silence{};
    std::array<bool, 2> m_everSent{}; ///< the direction sent at least one segment
};

} // namespace wst
