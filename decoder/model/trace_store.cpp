// SPDX-License-Identifier: MIT
#include "decoder/model/trace_sink.h"

namespace wst {

const Connection* TraceStore::connection(ConnId id) const {
    if (id == 0 || id > connections.size() || connections[id - 1].id != id) {
        return nullptr;
    }
    return &connections[id - 1];
}

void TraceStore::onConnectionStart(const Connection& c) {
    if (c.id == 0) {
        return;
    }
    if (connections.size() < c.id) {
        connections.resize(c.id);
        eventIndex.resize(c.id);
    }
    connections[c.id - 1] = c;
}

void TraceStore::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    Event stored = e;
    stored.ref = Event::kNoRef;
    if (message != nullptr) {
        stored.ref = static_cast<std::uint32_t>(messages.size());
        messages.push_back(*message);
    } else if (anomaly != nullptr) {
        stored.ref = static_cast<std::uint32_t>(anomalies.size());
        anomalies.push_back(*anomaly);
    }
    const auto at = static_cast<std::uint32_t>(events.size());
    events.push_back(stored);
    if (e.connection != 0) {
        if (eventIndex.size() < e.connection) {
            eventIndex.resize(e.connection);
        }
        eventIndex[e.connection - 1].push_back(at);
    }
}

void TraceStore::onConnectionUpdate(const Connection& c) {
    onConnectionStart(c);
}

void TraceStore::onConnectionEnd(const Connection& c) {
    onConnectionStart(c);
}

void TraceStore::onCaptureAnomaly(const Anomaly& a) {
    anomalies.push_back(a);
}

void TraceStore::onFinish(const CaptureStats& s) {
    stats = s;
    finished = true;
}

} // namespace wst
