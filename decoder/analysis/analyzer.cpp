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
    /// Indexed by ConnId - 1 (ids are dense); released when the connection ends. The slots of
    /// HTTP/2 WebSocket streams (ids from newId) stay empty.
    std::vector<std::unique_ptr<ConnectionAnalyzer>> connections;
    /// The trace's ids: FlowTable numbers TCP connections, and each RFC 8441 WebSocket stream
    /// of an HTTP/2 connection is a connection too, numbered when its CONNECT is seen; so the
    /// trace id of flow N is flowIds[N - 1]. Without HTTP/2 the two are equal.
    std::vector<ConnId> flowIds;
    ConnId lastId = 0;
    ConnId newId() { return ++lastId; }
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

StreamSink& Analyzer::onConnectionStart(const ConnectionInfo& flow) {
    Impl* impl = m_impl.get();
    ConnectionInfo info = flow;
    info.id = impl->newId();
    if (impl->flowIds.size() < flow.id) {
        impl->flowIds.resize(flow.id, 0);
    }
    impl->flowIds[flow.id - 1] = info.id;
    auto& conns = impl->connections;
    if (conns.size() < info.id) {
        conns.resize(info.id);
    }
    auto& slot = conns[info.id - 1];
    slot = std::make_unique<ConnectionAnalyzer>(info, impl->sink, impl->limits);
    slot->setProxyLegs(&impl->legs);
    slot->setInflateBudget(&impl->inflateBudget);
    slot->setIdAllocator([impl] { return impl->newId(); });
    return *slot;
}

void Analyzer::onConnectionEnd(ConnId flow, const SegmentInfo& last) {
    auto& conns = m_impl->connections;
    const ConnId id =
        flow != 0 && flow <= m_impl->flowIds.size() ? m_impl->flowIds[flow - 1] : ConnId{0};
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
