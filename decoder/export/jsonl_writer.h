// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/logs/reconcile.h"
#include "decoder/model/trace_sink.h"
#include "decoder/verdict/story.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace wst {

/// Streams the trace as JSON Lines ("wstrace.lines/2", docs/json-schema.md): one object per
/// line, each with a "type" — "run" first, then "connection_start", "event" (messages
/// embedded), "anomaly", "connection_end" in capture order, and "finish" with the capture stats
/// last. Keeps no state between calls, so memory does not depend on the capture's size; the
/// fields are those of the JSON document.
class JsonlWriter final : public TraceSink {
public:
    /// Writes the "run" line for `source` (a file path or interface name) at once.
    JsonlWriter(std::ostream& out, const std::string& source);

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

    /// With --server-log: `log_line` lines (one per matched log entry, with its connection) and a
    /// `logs` line before the story (docs/server-logs.md).
    void reconcileLogs(std::shared_ptr<const logs::ServerLogs> logs,
                       logs::ReconcileOptions options);

private:
    void line(std::string_view type, std::string_view key, const std::string& body);
    void line(std::string_view type, const std::string& objectBody);

    std::ostream& m_out;
    std::string m_line;
    std::optional<std::int64_t> m_origin; ///< the first event's time: what rel_ns counts from
    std::unique_ptr<logs::LogReconciler> m_logs;
    CaptureStory m_story; ///< the "story" line before "finish"
};

} // namespace wst
