// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <ostream>

namespace wst {

/// One line per timeline event as it happens, like tcpdump's one line per packet: what
/// `wstrace --format events` prints, and what a paced replay (`--replay-speed`) or a live
/// capture shows while it runs. Times are seconds since the first packet of the run. The
/// stream is flushed after every line so a person (or a pipe) sees events when they occur.
/// Keeps no per-connection state.
class EventLogWriter final : public TraceSink {
public:
    explicit EventLogWriter(std::ostream& out);

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

    /// Characters of payload shown per message line.
    static constexpr std::size_t kPreviewChars = 60;

private:
    double relative(Timestamp t);

    std::ostream& m_out;
    bool m_haveStart = false;
    Timestamp m_start;
};

} // namespace wst
