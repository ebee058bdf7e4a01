// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wst {

/// ws_close_missing and ws_close_idle_timeout: TCP ended (FIN or RST) while the WebSocket was
/// open, and no Close frame followed at all. The first such end is noted with its idle time and
/// outstanding pings; whether a Close came after all is known only when the connection ends.
/// The server side ending after a well-known idle time (a proxy or load balancer closing idle
/// tunnels) is ws_close_idle_timeout; anything else is ws_close_missing.
class EndWithoutClose {
public:
    /// Direction `d` ended TCP (`rst`: with a RST) at `info`, while no Close frame had been
    /// sent either way. `lastActivity`: the last frame or the 101, whichever came later;
    /// `outstandingPings`: pings `d` sent that were not answered. Only the first end counts.
    void onTcpEnd(Direction d, bool rst, const SegmentInfo& info, Timestamp lastActivity,
                  std::size_t outstandingPings);
    /// At the end of a connection that saw no Close frame at all: the anomaly of the first
    /// end, placed at `streamEnd` of its direction.
    Finding conclude(const std::array<std::uint64_t, 2>& streamEnd);

private:
    bool m_noted = false;
    bool m_idleTimeout = false;
    Direction m_dir = Direction::ServerToClient;
    SegmentInfo m_at;
    std::string m_detail;
};

} // namespace wst
