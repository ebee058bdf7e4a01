// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/payload_budget.h"
#include "decoder/model/trace_store.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace wst {

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
