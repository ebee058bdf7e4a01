// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/analysis/deferred/deferred.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wst {

/// ws_close_missing and ws_close_idle_timeout: TCP ended (FIN or RST) while the WebSocket was
/// open, and no Close frame followed at all. The first such end is noted with its idle time and
/// outstanding pings; whether a Close came after all is known only when the connection ends.
/// The server side ending after a well-known idle time (a proxy or load balancer closing idle
/// tunnels) is ws_close_idle_timeout, and so is a proxy closing both of its legs after the same
/// silence, whatever its length (ProxyIdleTimeout, decoder/analysis/proxy_legs.h, measures it and
/// calls onProxyIdleTimeout); anything else is ws_close_missing.
class EndWithoutClose {
public:
    /// Direction `d` ended TCP (`rst`: with a RST) at `info`, while no Close frame had been
    /// sent either way. `lastActivity`: the last frame or the 101, whichever came later;
    /// `outstandingPings`: pings `d` sent that were not answered. Only the first end counts.
    void onTcpEnd(Direction d, bool rst, const SegmentInfo& info, Timestamp lastActivity,
                  std::size_t outstandingPings);
    /// onTcpEnd noted an end.
    bool noted() const { return m_noted; }
    /// The end noted was a proxy's idle timeout measured from both of its legs:
    /// ws_close_idle_timeout with `detail` ("proxy idle timeout of 2.00 s: ...") before the end's
    /// own detail.
    void onProxyIdleTimeout(std::string_view detail);
    /// At the end of a connection that saw no Close frame at all: the anomaly of the first
    /// end, placed at `streamEnd` of its direction.
    Finding conclude(const std::array<std::uint64_t, 2>& streamEnd);

private:
    bool m_noted = false;
    bool m_idleTimeout = false;
    bool m_proxyIdle = false;
    Direction m_dir = Direction::ServerToClient;
    SegmentInfo m_at;
    std::string m_detail;
};

} // namespace wst
