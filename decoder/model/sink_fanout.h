// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace wst {

/// Forwards every call to each of its sinks in the order given. The sinks are not owned.
class FanoutSink final : public TraceSink {
public:
    FanoutSink() = default;
    FanoutSink(std::initializer_list<TraceSink*> sinks);
    void add(TraceSink& sink) { m_sinks.push_back(&sink); }

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionUpdate(const Connection& c) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

private:
    std::vector<TraceSink*> m_sinks;
};

/// Counts root causes by severity: each connection's findings that follow from no other
/// (Verdict::rootsBySeverity, when the connection ends) and every capture-level anomaly. What
/// `--fail-on` gates on: the echoes of one cause count once. Keeps no per-connection state.
class AnomalyTally final : public TraceSink {
public:
    std::array<std::uint64_t, 3> bySeverity{}; ///< root causes, indexed by Severity

    /// The most severe root cause seen, if any.
    std::optional<Severity> worst() const;
    /// True when at least one root cause has severity `threshold` or worse.
    bool atLeast(Severity threshold) const;

    void onConnectionStart(const Connection&) override {}
    void onEvent(const Event&, const Message*, const Anomaly*) override {}
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats&) override {}
};

} // namespace wst
