// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace wst {

/// Streams WebSocket traffic as CSV (RFC 4180: CRLF line ends, fields holding a comma, quote,
/// CR or LF are quoted with quotes doubled), one header row then one row per frame or per
/// message in capture order. Keeps no per-connection state. Columns: docs/json-schema.md.
class CsvWriter final : public TraceSink {
public:
    enum class Rows { Frames, Messages };

    CsvWriter(std::ostream& out, Rows rows);

    void onConnectionStart(const Connection&) override {}
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionEnd(const Connection&) override {}
    void onCaptureAnomaly(const Anomaly&) override {}
    void onFinish(const CaptureStats& stats) override;

    /// Quotes one field if RFC 4180 §2 requires it.
    static std::string quote(std::string_view field);

    /// The `-r` file (or interface) the next rows come from: the `source` column, and the
    /// start the `*_us` columns count from (the run's first event). Empty until set.
    void setSource(std::string source);

private:
    std::ostream& m_out;
    Rows m_rows;
    std::string m_source;
    std::optional<std::int64_t> m_start; ///< the run's first event time, ns

    std::int64_t relative(Timestamp t) const;
};

} // namespace wst
