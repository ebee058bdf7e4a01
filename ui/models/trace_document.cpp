// SPDX-License-Identifier: MIT
#include "ui/models/trace_document.h"

#include <algorithm>

namespace wst::ui {

namespace {
const std::vector<std::uint32_t> kEmpty;
}

const std::vector<std::uint32_t>& TraceDocument::eventsOf(ConnId id) const {
    return id >= 1 && id <= eventIndex.size() ? eventIndex[id - 1] : kEmpty;
}

const std::vector<std::uint32_t>& TraceDocument::anomaliesOf(ConnId id) const {
    return id >= 1 && id <= anomalyIndex.size() ? anomalyIndex[id - 1] : kEmpty;
}

const Message* TraceDocument::messageOf(const Event& e) const {
    if (e.ref == Event::kNoRef || e.kind == EventKind::Anomaly || e.ref >= messages.size()) {
        return nullptr;
    }
    return &messages[e.ref];
}

const Anomaly* TraceDocument::anomalyOf(const Event& e) const {
    if (e.kind != EventKind::Anomaly || e.ref >= anomalies.size()) {
        return nullptr;
    }
    return &anomalies[e.ref];
}

DocumentDelta TraceDocument::apply(TraceBatch&& batch) {
    DocumentDelta d;
    d.oldConnectionCount = connections.size();
    d.oldAnomalyCount = anomalies.size();
    d.oldEventCount = events.size();

    for (Connection& c : batch.connections) {
        if (c.id == 0) {
            continue;
        }
        if (c.id > connections.size()) {
            const std::size_t old = connections.size();
            connections.resize(c.id);
            for (std::size_t i = old; i < connections.size(); ++i) {
                connections[i].id = static_cast<ConnId>(i + 1);
            }
            eventIndex.resize(c.id);
            anomalyIndex.resize(c.id);
        } else if (c.id <= d.oldConnectionCount) {
            d.updatedConnections.push_back(c.id);
        }
        connections[c.id - 1] = std::move(c);
    }
    d.newConnectionCount = connections.size();

    // Refs in a batch are run-wide; rebase them if this document missed part of the run.
    const std::int64_t messageShift =
        static_cast<std::int64_t>(messages.size()) - static_cast<std::int64_t>(batch.firstMessage);
    const std::int64_t anomalyShift =
        static_cast<std::int64_t>(anomalies.size()) - static_cast<std::int64_t>(batch.firstAnomaly);
    for (Message& m : batch.messages) {
        messages.push_back(std::move(m));
    }
    for (Anomaly& a : batch.anomalies) {
        if (a.connection != 0) {
            if (a.connection > anomalyIndex.size()) {
                anomalyIndex.resize(a.connection);
            }
            anomalyIndex[a.connection - 1].push_back(static_cast<std::uint32_t>(anomalies.size()));
        }
        anomalies.push_back(std::move(a));
    }
    d.newAnomalyCount = anomalies.size();

    for (Event e : batch.events) {
        if (e.ref != Event::kNoRef) {
            const std::int64_t shift = e.kind == EventKind::Anomaly ? anomalyShift : messageShift;
            e.ref = static_cast<std::uint32_t>(static_cast<std::int64_t>(e.ref) + shift);
        }
        if (e.connection != 0) {
            if (e.connection > eventIndex.size()) {
                eventIndex.resize(e.connection);
            }
            auto& idx = eventIndex[e.connection - 1];
            if (idx.empty() || d.connectionsWithNewEvents.empty() ||
                d.connectionsWithNewEvents.back() != e.connection) {
                d.connectionsWithNewEvents.push_back(e.connection);
            }
            idx.push_back(static_cast<std::uint32_t>(events.size()));
        }
        events.push_back(e);
    }
    std::sort(d.connectionsWithNewEvents.begin(), d.connectionsWithNewEvents.end());
    d.connectionsWithNewEvents.erase(
        std::unique(d.connectionsWithNewEvents.begin(), d.connectionsWithNewEvents.end()),
        d.connectionsWithNewEvents.end());
    // Events or anomalies may name a connection whose summary has not arrived yet.
    if (eventIndex.size() > connections.size() || anomalyIndex.size() > connections.size()) {
        const std::size_t n = std::max(eventIndex.size(), anomalyIndex.size());
        const std::size_t old = connections.size();
        connections.resize(n);
        for (std::size_t i = old; i < n; ++i) {
            connections[i].id = static_cast<ConnId>(i + 1);
        }
        d.newConnectionCount = n;
    }
    eventIndex.resize(connections.size());
    anomalyIndex.resize(connections.size());

    payloadBytesDropped = std::max(payloadBytesDropped, batch.payloadBytesDropped);
    if (batch.finished) {
        stats = std::move(*batch.finished);
        finished = true;
        d.finished = true;
    }
    return d;
}

} // namespace wst::ui
