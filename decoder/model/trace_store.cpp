// SPDX-License-Identifier: MIT
#include "decoder/model/trace_store.h"

#include <algorithm>
#include <utility>

namespace wst {

namespace {
const std::vector<std::uint32_t> kNone;
} // namespace

const std::vector<std::uint32_t>& Trace::eventsOf(ConnId id) const {
    return id >= 1 && id <= eventIndex.size() ? eventIndex[id - 1] : kNone;
}

const std::vector<std::uint32_t>& Trace::anomaliesOf(ConnId id) const {
    return id >= 1 && id <= anomalyIndex.size() ? anomalyIndex[id - 1] : kNone;
}

const Message* Trace::messageOf(const Event& e) const {
    if (e.ref == Event::kNoRef || e.kind == EventKind::Anomaly || e.ref >= messages.size()) {
        return nullptr;
    }
    return &messages[e.ref];
}

const Anomaly* Trace::anomalyOf(const Event& e) const {
    if (e.kind != EventKind::Anomaly || e.ref >= anomalies.size()) {
        return nullptr;
    }
    return &anomalies[e.ref];
}

void Trace::reserveConnection(ConnId id) {
    if (id <= connections.size()) {
        return;
    }
    const std::size_t old = connections.size();
    connections.resize(id);
    for (std::size_t i = old; i < connections.size(); ++i) {
        connections[i].id = static_cast<ConnId>(i + 1);
    }
    eventIndex.resize(id);
    anomalyIndex.resize(id);
    m_arrived.resize(id, false);
}

bool Trace::putConnection(Connection c) {
    const bool fresh = c.id > connections.size();
    reserveConnection(c.id);
    m_arrived[c.id - 1] = true;
    connections[c.id - 1] = std::move(c);
    return fresh;
}

void Trace::putAnomaly(Anomaly a) {
    if (a.connection != 0) {
        reserveConnection(a.connection);
        anomalyIndex[a.connection - 1].push_back(static_cast<std::uint32_t>(anomalies.size()));
    }
    anomalies.push_back(std::move(a));
}

std::uint32_t Trace::putEvent(const Event& e) {
    const auto at = static_cast<std::uint32_t>(events.size());
    if (e.connection != 0) {
        reserveConnection(e.connection);
        eventIndex[e.connection - 1].push_back(at);
    }
    events.push_back(e);
    return at;
}

void Trace::onConnectionStart(const Connection& c) {
    if (c.id != 0) {
        putConnection(c);
    }
}

void Trace::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    Event stored = e;
    stored.ref = Event::kNoRef;
    if (message != nullptr) {
        stored.ref = static_cast<std::uint32_t>(messages.size());
        messages.push_back(*message);
    } else if (anomaly != nullptr) {
        stored.ref = static_cast<std::uint32_t>(anomalies.size());
        putAnomaly(*anomaly);
    }
    putEvent(stored);
}

void Trace::onConnectionUpdate(const Connection& c) {
    onConnectionStart(c);
}

void Trace::onConnectionEnd(const Connection& c) {
    onConnectionStart(c);
}

void Trace::onCaptureAnomaly(const Anomaly& a) {
    putAnomaly(a);
}

void Trace::onFinish(const CaptureStats& s) {
    stats = s;
    finished = true;
}

TraceDelta Trace::append(TraceBatch&& batch) {
    TraceDelta d;
    d.oldConnectionCount = connections.size();
    d.oldAnomalyCount = anomalies.size();
    d.oldEventCount = events.size();

    for (Connection& c : batch.connections) {
        if (c.id == 0) {
            continue;
        }
        const ConnId id = c.id;
        if (!putConnection(std::move(c)) && id <= d.oldConnectionCount) {
            d.updatedConnections.push_back(id);
        }
    }

    // Refs in a batch are run-wide; rebase them if this trace missed part of the run.
    const std::int64_t messageShift =
        static_cast<std::int64_t>(messages.size()) - static_cast<std::int64_t>(batch.firstMessage);
    const std::int64_t anomalyShift =
        static_cast<std::int64_t>(anomalies.size()) - static_cast<std::int64_t>(batch.firstAnomaly);
    for (Message& m : batch.messages) {
        messages.push_back(std::move(m));
    }
    for (Anomaly& a : batch.anomalies) {
        putAnomaly(std::move(a));
    }
    d.newAnomalyCount = anomalies.size();

    for (Event e : batch.events) {
        if (e.ref != Event::kNoRef) {
            const std::int64_t shift = e.kind == EventKind::Anomaly ? anomalyShift : messageShift;
            e.ref = static_cast<std::uint32_t>(static_cast<std::int64_t>(e.ref) + shift);
        }
        if (e.connection != 0 && (d.connectionsWithNewEvents.empty() ||
                                  d.connectionsWithNewEvents.back() != e.connection)) {
            d.connectionsWithNewEvents.push_back(e.connection);
        }
        putEvent(e);
    }
    std::sort(d.connectionsWithNewEvents.begin(), d.connectionsWithNewEvents.end());
    d.connectionsWithNewEvents.erase(
        std::unique(d.connectionsWithNewEvents.begin(), d.connectionsWithNewEvents.end()),
        d.connectionsWithNewEvents.end());
    // Events or anomalies may have named a connection whose summary has not arrived yet: it
    // is a placeholder row until then.
    d.newConnectionCount = connections.size();

    payloadBytesDropped = std::max(payloadBytesDropped, batch.payloadBytesDropped);
    if (batch.finished) {
        stats = std::move(*batch.finished);
        finished = true;
        d.finished = true;
    }
    return d;
}

} // namespace wst
