// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/net/packet_decoder.h"
#include "capture/tcp/stream_sink.h"

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

/// Keeps one entry per TCP connection (keyed by both endpoints, either direction, and the IP
/// version), assigns ConnIds densely from 1 in order of first appearance, and runs two
/// TcpReassemblers per connection.
///
/// Who is the client: the sender of the first SYN (or the receiver of the first SYN-ACK). When
/// the connection is picked up mid-stream (PartialConnection notice), the server is the side
/// whose port is below 1024 if exactly one is; otherwise the side with the lower port (clients
/// use ephemeral ports, 32768-60999 on Linux, 49152-65535 per IANA); with equal ports the
/// sender of the first packet seen is the client.
///
/// Lifetime: a connection ends (onConnectionEnd) when both directions ended with FIN, or after
/// a RST (both directions close: Rst for the sender, PeerReset for the other) — then it lingers
/// for 5 s of capture time to absorb late ACKs and report data after a RST — or on idle
/// expiry, on a new SYN with another initial sequence number on the same 4-tuple (which starts
/// a new connection with a SynAfterClose notice), when Limits::maxConnections is reached
/// (least recently active first), or at finish(). Its memory is released when it ends.
///
/// Cost: one hash lookup per packet (a keyed hash, so crafted addresses cannot make lookups
/// slow: docs/limits.md, "Hash flooding"); nothing is allocated for in-order packets.
class FlowTable {
public:
    /// `stableMemory`: where packet bytes stay readable while the table exists
    /// (PacketSource::stableMemory()); the reassemblers then remember recent payloads by
    /// reference instead of copying them.
    FlowTable(FlowObserver& observer, const Limits& limits, Bytes stableMemory = {});
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
