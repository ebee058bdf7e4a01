// SPDX-License-Identifier: MIT
#pragma once

// fmt::formatter specialisations for the domain types, so the CLI, logs and exporters print
// them the same way. Each accepts the string format specs (width, alignment): `{:>21}`.
//   Endpoint   "10.0.0.1:80", "[::1]:80"
//   Timestamp  seconds since the epoch with nanoseconds: "1700000000.000123456"
//   AnomalyId  its catalog name: "hijack_two_responses"
//   Severity   "info" | "warning" | "error"
//   Outcome    "upgraded" | "refused" | "failed" | "http_only" | "tcp_only" | "midstream"
//   Direction  "c2s" | "s2c"

#include "capture/core/types.h"
#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"

#include <fmt/format.h>

namespace wst {

/// A Timestamp as "S.NNNNNNNNN" (epoch seconds, 9 decimals; negative times get a sign).
std::string formatTimestamp(Timestamp t);

/// A duration in nanoseconds in the most readable unit: "850 ns", "12.3 µs", "4.56 ms", "2.000 s".
std::string formatDuration(std::int64_t ns);

} // namespace wst

template <>
struct fmt::formatter<wst::Endpoint> : fmt::formatter<fmt::string_view> {
    auto format(const wst::Endpoint& e, fmt::format_context& ctx) const {
        const std::string s = e.toString();
        return fmt::formatter<fmt::string_view>::format(s, ctx);
    }
};

template <>
struct fmt::formatter<wst::Timestamp> : fmt::formatter<fmt::string_view> {
    auto format(wst::Timestamp t, fmt::format_context& ctx) const {
        const std::string s = wst::formatTimestamp(t);
        return fmt::formatter<fmt::string_view>::format(s, ctx);
    }
};

template <>
struct fmt::formatter<wst::AnomalyId> : fmt::formatter<fmt::string_view> {
    auto format(wst::AnomalyId id, fmt::format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(wst::anomalyName(id), ctx);
    }
};

template <>
struct fmt::formatter<wst::Severity> : fmt::formatter<fmt::string_view> {
    auto format(wst::Severity s, fmt::format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(wst::toString(s), ctx);
    }
};

template <>
struct fmt::formatter<wst::Outcome> : fmt::formatter<fmt::string_view> {
    auto format(wst::Outcome o, fmt::format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(wst::toString(o), ctx);
    }
};

template <>
struct fmt::formatter<wst::Direction> : fmt::formatter<fmt::string_view> {
    auto format(wst::Direction d, fmt::format_context& ctx) const {
        return fmt::formatter<fmt::string_view>::format(wst::toString(d), ctx);
    }
};
