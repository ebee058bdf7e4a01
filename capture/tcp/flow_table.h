// SPDX-License-Identifier: MIT
#pragma once

#include "core/limits.h"
#include "net/packet_decoder.h"
#include "stream_sink.h"

#include <memory>

namespace wst {

/// Static facts about a connection, fixed when it is first seen.
struct ConnectionInfo {
    ConnId id = 0;
    Endpoint client;
    Endpoint server;
    bool sawSyn = false; ///< false: picked up mid-stream
    SegmentInfo first;
};

/// Creates the sink for each new connection and learns when a connection is finished.
class FlowObserver {
public:
    virtual ~FlowObserver() = default;
    /// A new connection; the returned sink receives its events until onConnectionEnd.
    virtual StreamSink& onConnectionStart(const ConnectionInfo& info) = 0;
    /// The connection is complete (both directions closed, RST, idle expiry or capture end);
    /// its sink is not called again and may be released.
    virtual void onConnectionEnd(ConnId id, const SegmentInfo& last) = 0;
};

/// Keeps one entry per TCP connection (keyed by both endpoints, either direction), assigns
/// ConnIds in order of first appearance, and runs two TcpReassemblers per connection.
class FlowTable {
public:
    FlowTable(FlowObserver& observer, const Limits& limits);
    ~FlowTable();
    FlowTable(const FlowTable&) = delete;
    FlowTable& operator=(const FlowTable&) = delete;

    void onSegment(const TcpSegment& segment, const SegmentInfo& info);
    /// Live mode: ends connections idle for longer than Limits::idleTimeoutNs before `now`.
    void expireIdle(Timestamp now);
    /// End of input: flushes every open connection (gaps for held-back holes, then close with
    /// EndOfCapture) in ConnId order.
    void finish(const SegmentInfo& last);

    std::size_t openConnections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace wst
