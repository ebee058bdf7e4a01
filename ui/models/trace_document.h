// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/batching_sink.h"
#include "decoder/model/trace.h"
#include "ui/models/chunked_vector.h"

#include <cstdint>
#include <vector>

namespace wst::ui {

/// What one applied batch changed, so models can emit exactly one insert per batch and
/// dataChanged only for the rows that moved.
struct DocumentDelta {
    std::size_t oldConnectionCount = 0;
    std::size_t newConnectionCount = 0;
    std::vector<ConnId> updatedConnections; ///< existing before the batch, summary changed
    std::vector<ConnId> connectionsWithNewEvents;
    std::size_t oldAnomalyCount = 0;
    std::size_t newAnomalyCount = 0;
    std::size_t oldEventCount = 0;
    bool finished = false;
};

/// The GUI thread's copy of one run's trace, rebuilt from TraceBatch values in order (the
/// pipeline thread never touches it). Views and models read it; only SessionController writes.
/// Mirrors TraceStore's layout: events in capture order, per-connection indices into them,
/// Event::ref pointing into `messages` or `anomalies`.
struct TraceDocument {
    std::vector<Connection> connections;                ///< index = id - 1
    ChunkedVector<Event> events;                        ///< capture order
    std::vector<std::vector<std::uint32_t>> eventIndex; ///< per connection: into `events`
    /// Payloads past the worker's payload budget keep only a head (PayloadBudget).
    ChunkedVector<Message> messages;
    std::vector<Anomaly> anomalies; ///< capture and connection anomalies, report order
    std::vector<std::vector<std::uint32_t>> anomalyIndex; ///< per connection: into `anomalies`
    CaptureStats stats;
    /// Payload bytes the decoder retained but the worker's PayloadBudget cut (run total).
    std::uint64_t payloadBytesDropped = 0;
    bool finished = false;

    const Connection* connection(ConnId id) const {
        return id >= 1 && id <= connections.size() ? &connections[id - 1] : nullptr;
    }
    const std::vector<std::uint32_t>& eventsOf(ConnId id) const;
    const std::vector<std::uint32_t>& anomaliesOf(ConnId id) const;
    const Message* messageOf(const Event& e) const;
    const Anomaly* anomalyOf(const Event& e) const;

    /// Appends a batch. Batches must come in sequence order; a batch whose message or anomaly
    /// numbering does not continue the document is still applied, with its refs rebased.
    DocumentDelta apply(TraceBatch&& batch);
    void clear() { *this = TraceDocument{}; }
};

} // namespace wst::ui
