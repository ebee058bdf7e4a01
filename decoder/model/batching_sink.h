// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/payload_budget.h"
#include "decoder/model/trace_sink.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace wst {

/// What happened since the previous batch, by value: safe to move to another thread.
///
/// `messages` and `anomalies` continue the numbering of all earlier batches: the first message
/// of this batch has index `firstMessage` in the whole run, and every Event's `ref` is such a
/// run-wide index (as in TraceStore). Appending batches in order therefore rebuilds exactly the
/// TraceStore of the run; only where one batch ends and the next begins depends on timing.
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

/// A TraceSink that gathers everything into TraceBatch values and hands each to a callback
/// when `interval` of wall time has passed since the last hand-over or `maxEvents` events are
/// waiting, and always at onFinish. Meant for the GUI worker: the callback runs on the pipeline
/// thread and typically posts the batch to the GUI thread. Knows nothing about Qt.
class BatchingSink final : public TraceSink {
public:
    using Callback = std::function<void(TraceBatch&&)>;

    explicit BatchingSink(Callback callback,
                          std::chrono::milliseconds interval = std::chrono::milliseconds(50),
                          std::size_t maxEvents = 20000);

    /// Caps the message payload bytes all batches of the run carry together (see
    /// PayloadBudget); unlimited by default. Set it before the first event.
    void setPayloadBudget(std::uint64_t totalBytes) { m_payloadBudget = PayloadBudget(totalBytes); }

    /// Hands over the pending batch if the interval has passed (call from Pipeline's idle
    /// and progress callbacks so a quiet live capture still shows its latest state).
    void poll();
    /// Hands over whatever is pending now, if anything.
    void flush();

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionUpdate(const Connection& c) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

private:
    void upsert(const Connection& c);
    void maybeFlush();

    Callback m_callback;
    std::chrono::steady_clock::duration m_interval;
    std::size_t m_maxEvents;
    std::chrono::steady_clock::time_point m_lastFlush;
    TraceBatch m_batch;
    PayloadBudget m_payloadBudget;
    /// Position of each connection in m_batch.connections, by id - 1; -1 when absent.
    std::vector<std::int32_t> m_slot;
    std::uint64_t m_nextSequence = 0;
    std::uint32_t m_messageCount = 0;
    std::uint32_t m_anomalyCount = 0;
    std::uint32_t m_sinceClockCheck = 0;
};

} // namespace wst
