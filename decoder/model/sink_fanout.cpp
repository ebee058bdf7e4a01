// SPDX-License-Identifier: MIT
#include "decoder/model/sink_fanout.h"

namespace wst {

FanoutSink::FanoutSink(std::initializer_list<TraceSink*> sinks)
    : m_sinks(sinks) {}

void FanoutSink::onConnectionStart(const Connection& c) {
    for (TraceSink* s : m_sinks) {
        s->onConnectionStart(c);
    }
}

void FanoutSink::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    for (TraceSink* s : m_sinks) {
        s->onEvent(e, message, anomaly);
    }
}

void FanoutSink::onConnectionUpdate(const Connection& c) {
    for (TraceSink* s : m_sinks) {
        s->onConnectionUpdate(c);
    }
}

void FanoutSink::onConnectionEnd(const Connection& c) {
    for (TraceSink* s : m_sinks) {
        s->onConnectionEnd(c);
    }
}

void FanoutSink::onCaptureAnomaly(const Anomaly& a) {
    for (TraceSink* s : m_sinks) {
        s->onCaptureAnomaly(a);
    }
}

void FanoutSink::onFinish(const CaptureStats& stats) {
    for (TraceSink* s : m_sinks) {
        s->onFinish(stats);
    }
}

std::optional<Severity> AnomalyTally::worst() const {
    for (int s = 2; s >= 0; --s) {
        if (bySeverity[static_cast<std::size_t>(s)] > 0) {
            return static_cast<Severity>(s);
        }
    }
    return std::nullopt;
}

bool AnomalyTally::atLeast(Severity threshold) const {
    const auto w = worst();
    return w && *w >= threshold;
}

void AnomalyTally::onConnectionEnd(const Connection& c) {
    for (std::size_t s = 0; s < bySeverity.size(); ++s) {
        bySeverity[s] += c.verdict.rootsBySeverity[s];
    }
}

void AnomalyTally::onCaptureAnomaly(const Anomaly& a) {
    ++bySeverity[static_cast<std::size_t>(a.severity())];
}

} // namespace wst
