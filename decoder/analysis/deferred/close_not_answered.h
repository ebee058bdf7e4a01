// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"
#include "decoder/model/trace.h"

#include <array>
#include <string>

namespace wst {

/// "Close 1000", or "Close" for a Close frame without a code.
std::string closeText(const DirectionStats& st);

/// ws_close_not_answered: the first Close frame never got one back (RFC 6455 §5.5.1), decided
/// when the connection ends from both directions' Close and TCP end times. Not reported when
/// the peer had closed TCP before the Close reached it, when the sender closed TCP at once
/// without waiting (ws_close_abnormal covers a client doing so), or when the capture ended
/// within 5 s of the Close while a reply could still come.
class CloseNotAnswered {
public:
    /// Direction `d`'s first FIN or RST, carried by `packet`.
    void onTcpEnd(Direction d, PacketNumber packet);
    /// At the end of the connection: `firstClose` sent the first Close frame; `stats` hold
    /// both directions' Close and TCP end; `last` is the connection's last packet.
    Finding conclude(Direction firstClose, const std::array<DirectionStats, 2>& stats,
                     const SegmentInfo& last) const;

private:
    std::array<PacketNumber, 2> m_endPacket{}; ///< packet of each side's FIN/RST
};

} // namespace wst
