// SPDX-License-Identifier: MIT
#include "decoder/analysis/analyzer.h"

#include "decoder/analysis/connection_analyzer.h"
#include "decoder/analysis/proxy_legs.h"

#include <fmt/format.h>
#include <vector>

namespace wst {

struct Analyzer::Impl {
    Impl(TraceSink& s, const Limits& l)
        : sink(s)
        , limits(l) {}
    TraceSink& sink;
    Limits limits;
    /// Indexed by ConnId - 1 (ids are dense); released when the connection ends.
    std::vector<std::unique_ptr<ConnectionAnalyzer>> connections;
    std::array<std::uint32_t, kAnomalyIdCount> captureAnomalies{};
    ProxyLegs legs; ///< http_upgrade_stripped across a proxy's two legs

    void linkLegs(ConnId client, ConnId upstream, std::int64_t delay) {
        if (client != 0 && client <= connections.size() && connections[client - 1]) {
            connections[client - 1]->noteUpstreamLeg(upstream, delay);
        }
    }

    void captureAnomaly(AnomalyId id, const RawPacket& p, std::string detail) {
        // Capture-level anomalies share the per-id bound (a damaged file can have millions).
        if (captureAnomalies[static_cast<std::size_t>(id)]++ >=
            limits.anomaliesPerConnectionAndId) {
            return;
        }
        Anomaly a;
        a.id = id;
        a.time = p.time;
        a.packet = p.number;
        a.detail = std::move(detail);
        sink.onCaptureAnomaly(a);
    }
};

Analyzer::Analyzer(TraceSink& sink, const Limits& limits)
    : m_impl(std::make_unique<Impl>(sink, limits)) {
    m_impl->legs.onLink = [impl = m_impl.get()](ConnId c, ConnId u, std::int64_t d) {
        impl->linkLegs(c, u, d);
    };
}

Analyzer::~Analyzer() = default;

StreamSink& Analyzer::onConnectionStart(const ConnectionInfo& info) {
    auto& conns = m_impl->connections;
    if (conns.size() < info.id) {
        conns.resize(info.id);
    }
    auto& slot = conns[info.id - 1];
    slot = std::make_unique<ConnectionAnalyzer>(info, m_impl->sink, m_impl->limits);
    slot->setProxyLegs(&m_impl->legs);
    return *slot;
}

void Analyzer::onConnectionEnd(ConnId id, const SegmentInfo& last) {
    auto& conns = m_impl->connections;
    if (id == 0 || id > conns.size() || !conns[id - 1]) {
        return;
    }
    conns[id - 1]->finish(last);
    conns[id - 1].reset();
}

void Analyzer::onUndecodable(const RawPacket& packet, const DecodedPacket& decoded) {
    switch (decoded.status) {
    case DecodeStatus::Ok:
    case DecodeStatus::NotTcp:
    case DecodeStatus::NotIp:
        return; // other traffic, not an error
    case DecodeStatus::IpFragment:
        m_impl->captureAnomaly(AnomalyId::CaptureIpFragment, packet,
                               fmt::format("{}", decoded.detail));
        return;
    case DecodeStatus::Truncated:
        m_impl->captureAnomaly(AnomalyId::CaptureTruncatedPacket, packet,
                               fmt::format("headers cut short: {}", decoded.detail));
        return;
    default:
        m_impl->captureAnomaly(AnomalyId::CapturePacketUndecodable, packet,
                               fmt::format("{}: {}", toString(decoded.status), decoded.detail));
        return;
    }
}

void Analyzer::onTruncated(const RawPacket& packet) {
    m_impl->captureAnomaly(
        AnomalyId::CaptureTruncatedPacket, packet,
        fmt::format("captured {} of {} bytes", packet.capturedLength, packet.originalLength));
}

} // namespace wst
