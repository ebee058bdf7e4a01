// SPDX-License-Identifier: MIT
#pragma once

// The per-format line parsers log_reader.cpp dispatches to, one file each, and the small
// scanning helpers they share. Each takes one physical line (ANSI codes and CR removed) and
// fills `out` when it recognises it; none allocates for a line it does not recognise.

#include "decoder/logs/log_line.h"

#include <optional>
#include <string_view>

namespace wst::logs {

/// What a parser made of a line.
enum class Parsed : std::uint8_t { No, Yes, Malformed };

Parsed parseGinLine(std::string_view line, LogLine& out); ///< gin_log.cpp: [GIN], [GIN-debug]
/// gin_log.cpp: the first line of a Recovery dump ("[Recovery] 2026/11/24 - 20:36:10 panic
/// recovered:"), possibly after a Go log prefix.
bool isRecoveryStart(std::string_view line, LogLine& out);
/// gin_log.cpp: one more line of a Recovery dump; false when the dump has ended before it.
bool continueRecovery(std::string_view line, LogLine& dump, int& state);
Parsed parseGoLine(std::string_view line, LogLine& out);    ///< go_http_log.cpp
Parsed parseNginxLine(std::string_view line, LogLine& out); ///< nginx_log.cpp
Parsed parseJsonLine(std::string_view line, LogLine& out);  ///< json_log.cpp

namespace scan {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value);
/// "2026/11/24" or "2026-11-24" at `at` (10 chars).
bool date(std::string_view s, std::size_t at, LogTime& t);
/// "20:36:10" with an optional ".123456" fraction at `at`; returns the length read, 0 if none.
std::size_t clock(std::string_view s, std::size_t at, LogTime& t);
/// A Go duration as fmt prints it ("1.432598ms", "394.699µs", "2.001009984s", "1m2.5s", "12ns").
std::optional<std::int64_t> goDuration(std::string_view s);
std::string_view trim(std::string_view s);
/// Splits "127.0.0.1:5000" / "[::1]:5000" into ip and port (port 0 when absent).
void hostPort(std::string_view s, std::string& ip, std::uint16_t& port);
/// The status in "… close 1000 (normal) …" after "websocket: close ", else 0.
int closeCode(std::string_view message);

} // namespace scan

} // namespace wst::logs
