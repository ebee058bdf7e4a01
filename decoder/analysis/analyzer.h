// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/net/packet_decoder.h"
#include "capture/tcp/flow_table.h"
#include "decoder/model/trace_sink.h"

#include <memory>

namespace wst {

/// Turns TCP streams into the trace: one ConnectionAnalyzer per connection (TCP phase → HTTP
/// phase → WebSocket phase), everything it finds reported to a TraceSink in capture order.
/// Plugs into FlowTable as its FlowObserver. Single-threaded.
class Analyzer final : public FlowObserver {
public:
    Analyzer(TraceSink& sink, const Limits& limits);
    ~Analyzer() override;

    StreamSink& onConnectionStart(const ConnectionInfo& info) override;
    void onConnectionEnd(ConnId id, const SegmentInfo& last) override;

    /// A packet that carried no usable TCP segment (status != Ok, NotTcp, NotIp) or was cut by
    /// the snap length: becomes a capture-level anomaly.
    void onUndecodable(const RawPacket& packet, const DecodedPacket& decoded);
    void onTruncated(const RawPacket& packet);
    /// A capture-level anomaly about `packet` itself (its timestamp), with its detail.
    void onPacketAnomaly(const RawPacket& packet, AnomalyId id, std::string detail);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace wst
