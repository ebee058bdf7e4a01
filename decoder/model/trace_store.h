// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/chunked_vector.h"
#include "decoder/model/trace.h"
#include "decoder/model/trace_sink.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace wst::logs {
struct ServerLogReport;
}

namespace wst {

/// What happened since the previous batch, by value: safe to move to another thread.
///
/// `messages` and `anomalies` continue the numbering of all earlier batches: the first message
/// of this batch has index `firstMessage` in the whole run, and every Event's `ref` is such a
/// run-wide index (as in Trace). Appending batches in order therefore rebuilds exactly the
/// Trace of the run; only where one batch ends and the next begins depends on timing.
struct TraceBatch {
    std::uint64_t sequence = 0; ///< 0, 1, 2, ... per run
    /// Connections that started, changed or ended during the batch, each once with its latest
    /// summary, in order of their first mention in the batch.
    std::vector<Connection> connections;
    std::vector<Event> events; ///< capture order
    std::vector<Message> messages;
    std::uint32_t firstMessage = 0;
    /// Connection and capture-level anomalies, in the order they were reported.
    std::vector<Anomaly> anomalies;
    std::uint32_t firstAnomaly = 0;
    std::optional<CaptureStats> finished; ///< set on the last batch of a run
    /// Payload bytes cut so far in the run by the sink's PayloadBudget (0 without one).
    std::uint64_t payloadBytesDropped = 0;

    bool empty() const {
        return connections.empty() && events.empty() && anomalies.empty() && !finished;
    }
};

/// What one appended batch changed, so the GUI's models can emit exactly one insert per batch
/// and dataChanged only for the rows that changed.
struct TraceDelta {
    std::size_t oldConnectionCount = 0;
    std::size_t newConnectionCount = 0;
    std::vector<ConnId> updatedConnections;       ///< existing before the batch, summary changed
    std::vector<ConnId> connectionsWithNewEvents; ///< sorted, each once
    std::size_t oldAnomalyCount = 0;
    std::size_t newAnomalyCount = 0;
    std::size_t oldEventCount = 0;
    bool finished = false;
};

/// The whole trace of one run in memory: what the GUI shows and every whole-trace writer (JSON,
/// HAR, HTML report) reads. It is filled either as a TraceSink, call by call on the pipeline's
/// thread (the CLI), or from TraceBatch values in order (the GUI thread, from BatchingSink);
/// both give the same trace. Events and messages live in ChunkedVectors, so growing never
/// copies what is there (a 1 GB capture's trace has no moment with two copies of its events).
///
/// Layout: `events` in capture order; per connection the indices of its events and of its
/// anomalies; Event::ref indexes `messages` (WsMessage, control WsFrame) or `anomalies`
/// (Anomaly events). Nothing is removed until clear().
class Trace final : public TraceSink {
public:
    std::vector<Connection> connections;                ///< index = id - 1
    ChunkedVector<Event> events;                        ///< every event, capture order
    std::vector<std::vector<std::uint32_t>> eventIndex; ///< per connection: into `events`
    /// Payloads past a PayloadBudget keep only a head (see payloadBytesDropped).
    ChunkedVector<Message> messages;
    std::vector<Anomaly> anomalies; ///< capture and connection anomalies, report order
    std::vector<std::vector<std::uint32_t>> anomalyIndex; ///< per connection: into `anomalies`
    CaptureStats stats;
    /// Payload bytes the decoder retained but a BatchingSink's PayloadBudget cut (run total).
    std::uint64_t payloadBytesDropped = 0;
    bool finished = false;
    /// The server logs reconciled with this trace (--server-log, File → Add Server Log…), or
    /// null. Set once the trace is finished; writers read it where it is set.
    std::shared_ptr<const logs::ServerLogReport> serverLogs;

    /// The connection with this id, or nullptr when its summary has not arrived (ids may
    /// arrive with holes: `connections` then holds a placeholder with only its id set, so a
    /// list of rows stays indexable by id).
    const Connection* connection(ConnId id) const {
        return id >= 1 && id <= connections.size() && m_arrived[id - 1] ? &connections[id - 1]
                                                                        : nullptr;
    }
    /// Indices into `events` of one connection's events (empty for an unknown id).
    const std::vector<std::uint32_t>& eventsOf(ConnId id) const;
    /// Indices into `anomalies` of one connection's anomalies (empty for an unknown id).
    const std::vector<std::uint32_t>& anomaliesOf(ConnId id) const;
    /// The message a WsMessage or control WsFrame event carries, else nullptr.
    const Message* messageOf(const Event& e) const;
    /// The anomaly an Anomaly event carries, else nullptr.
    const Anomaly* anomalyOf(const Event& e) const;

    /// Appends a batch. Batches must come in sequence order; a batch whose message or anomaly
    /// numbering does not continue the trace is still applied, with its refs rebased.
    TraceDelta append(TraceBatch&& batch);
    void clear() { *this = Trace{}; }

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionUpdate(const Connection& c) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

private:
    /// Stores the latest summary of `c`; returns true when the connection was new.
    bool putConnection(Connection c);
    /// Makes room for connection `id`: placeholders (id set, nothing else) until it arrives.
    void reserveConnection(ConnId id);
    void putAnomaly(Anomaly a);
    /// Appends `e` (ref already pointing into this trace); returns its index.
    std::uint32_t putEvent(const Event& e);

    std::vector<bool> m_arrived; ///< per connection: its summary has arrived
};

} // namespace wst
