// SPDX-License-Identifier: MIT
#include "decoder/model/batching_sink.h"

#include <utility>

namespace wst {

namespace {
/// Reading the clock costs about as much as storing an event; look only every few events.
constexpr std::uint32_t kClockCheckEvery = 64;
} // namespace

BatchingSink::BatchingSink(Callback callback, std::chrono::milliseconds interval,
                           std::size_t maxEvents)
    : m_callback(std::move(callback))
    , m_interval(interval)
    , m_maxEvents(maxEvents == 0 ? 1 : maxEvents)
    , m_lastFlush(std::chrono::steady_clock::now()) {
    m_batch.sequence = m_nextSequence;
}

void BatchingSink::upsert(const Connection& c) {
    if (c.id == 0) {
        return;
    }
    if (m_slot.size() < c.id) {
        m_slot.resize(c.id, -1);
    }
    std::int32_t& slot = m_slot[c.id - 1];
    if (slot < 0) {
        slot = static_cast<std::int32_t>(m_batch.connections.size());
        m_batch.connections.push_back(c);
    } else {
        m_batch.connections[static_cast<std::size_t>(slot)] = c;
    }
}

void BatchingSink::onConnectionStart(const Connection& c) {
    upsert(c);
    maybeFlush();
}

void BatchingSink::onConnectionUpdate(const Connection& c) {
    upsert(c);
    maybeFlush();
}

void BatchingSink::onConnectionEnd(const Connection& c) {
    upsert(c);
    m_batch.connections[static_cast<std::size_t>(m_slot[c.id - 1])].finished = true;
    maybeFlush();
}

void BatchingSink::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    Event copy = e;
    copy.ref = Event::kNoRef;
    if (message) {
        copy.ref = m_messageCount++;
        m_batch.messages.push_back(m_payloadBudget.copy(*message));
    } else if (anomaly) {
        copy.ref = m_anomalyCount++;
        m_batch.anomalies.push_back(*anomaly);
    }
    m_batch.events.push_back(copy);
    maybeFlush();
}

void BatchingSink::onCaptureAnomaly(const Anomaly& a) {
    ++m_anomalyCount;
    m_batch.anomalies.push_back(a);
    maybeFlush();
}

void BatchingSink::onFinish(const CaptureStats& stats) {
    m_batch.finished = stats;
    flush();
}

void BatchingSink::maybeFlush() {
    if (m_batch.events.size() >= m_maxEvents) {
        flush();
        return;
    }
    if (++m_sinceClockCheck >= kClockCheckEvery) {
        m_sinceClockCheck = 0;
        poll();
    }
}

void BatchingSink::poll() {
    if (std::chrono::steady_clock::now() - m_lastFlush >= m_interval) {
        flush();
    }
}

void BatchingSink::flush() {
    m_lastFlush = std::chrono::steady_clock::now();
    m_sinceClockCheck = 0;
    if (m_batch.empty()) {
        return;
    }
    for (const Connection& c : m_batch.connections) {
        m_slot[c.id - 1] = -1;
    }
    m_batch.payloadBytesDropped = m_payloadBudget.dropped();
    TraceBatch out = std::move(m_batch);
    m_batch = TraceBatch{};
    m_batch.sequence = ++m_nextSequence;
    m_batch.firstMessage = m_messageCount;
    m_batch.firstAnomaly = m_anomalyCount;
    m_callback(std::move(out));
}

} // namespace wst
