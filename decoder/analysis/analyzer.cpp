// SPDX-License-Identifier: MIT
#include "decoder/analysis/analyzer.h"

#include "decoder/analysis/anomaly_limit.h"
#include "decoder/analysis/connection_analyzer.h"
#include "decoder/analysis/proxy_legs.h"

#include <fmt/format.h>
#include <vector>

namespace wst {

struct Analyzer::Impl {
    Impl(TraceSink& s, const Limits& l)
        : sink(s)
        , limits(l)
        , captureLimit(l.anomaliesPerConnectionAndId)
        , inflateBudget(l.inflateWorkPerCapture, l.inflateWorkPerCompressedByte) {}
    TraceSink& sink;
    Limits limits;
    /// Indexed by ConnId - 1 (ids are dense); released when the connection ends.
    std::vector<std::unique_ptr<ConnectionAnalyzer>> connections;
    AnomalyLimit captureLimit;   ///< capture-level anomalies share the per-id bound
    ProxyLegs legs;              ///< the two legs of a proxy (proxy_legs.h)
    InflateBudget inflateBudget; ///< Limits::inflateWorkPerCapture, shared by all connections

    ConnectionAnalyzer* live(ConnId id) {
        return id != 0 && id <= connections.size() ? connections[id - 1].get() : nullptr;
    }
    void captureAnomaly(AnomalyId id, const RawPacket& p, std::string detail) {
        if (!captureLimit.admit(id)) {
            return;
        }
        const Anomaly a =
            makeAnomaly(id, std::nullopt, SegmentInfo{p.number, p.time}, 0, std::move(detail));
        sink.onCaptureAnomaly(a);
    }
};

Analyzer::Analyzer(TraceSink& sink, const Limits& limits)
    : m_impl(std::make_unique<Impl>(sink, limits)) {
    // A leg is told about the other while it lives; a connection lingers for seconds after its
    // end, so the other leg's request, answer and TCP end all come before it is concluded.
    Impl* impl = m_impl.get();
    impl->legs.onLink = [impl](ConnId client, ConnId upstream, const ProxyLegs::Link& link) {
        if (ConnectionAnalyzer* c = impl->live(client)) {
            c->noteUpstreamLeg(upstream, link);
        }
    };
    impl->legs.onUpstreamAnswer = [impl](ConnId client, ConnId, int status) {
        if (ConnectionAnalyzer* c = impl->live(client)) {
            c->noteUpstreamAnswer(status);
        }
    };
    impl->legs.onIdleTimeout = [impl](const ProxyIdleTimeout::Match& m) {
        if (ConnectionAnalyzer* c = impl->live(m.conn)) {
            c->noteProxyIdleTimeout(m);
        }
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
    slot->setInflateBudget(&m_impl->inflateBudget);
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

void Analyzer::onPacketAnomaly(const RawPacket& packet, AnomalyId id, std::string detail) {
    m_impl->captureAnomaly(id, packet, std::move(detail));
}

void Analyzer::onTruncated(const RawPacket& packet) {
    m_impl->captureAnomaly(
        AnomalyId::CaptureTruncatedPacket, packet,
        fmt::format("captured {} of {} bytes", packet.capturedLength, packet.originalLength));
}

} // namespace wst
