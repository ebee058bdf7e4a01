// SPDX-License-Identifier: MIT
#pragma once

// Deferred patterns: anomalies that a ConnectionAnalyzer can only decide on later evidence
// (a gap, the next head, the other side's FIN, the end of the connection). Each is a small
// class of its own here, holding just what it waits with, and is fed by ConnectionAnalyzer,
// which keeps the phase dispatch and reports what the patterns find.
//
// How to add one:
//  1. decoder/analysis/deferred/<name>.h and .cpp (listed in decoder/analysis/CMakeLists.txt):
//     a class named after what it recognises, its state, methods named after the evidence that
//     feeds it (onTcpEnd, onUpgrade, ...), and a method that decides and returns a Finding
//     (a built Anomaly, connection left 0). It sees no TraceSink and no ConnectionAnalyzer:
//     anything else it needs comes in as arguments.
//  2. A member of ConnectionAnalyzer, fed where the evidence arrives; what it returns goes to
//     ConnectionAnalyzer::report. Direction-indexed state swaps in ConnectionAnalyzer::flip.
//  3. tests/unit/analysis/deferred/<name>_test.cpp, listed in tests/unit/analysis/CMakeLists.txt:
//     feeds the class directly; it fires where it should and stays silent on healthy input.

#include "decoder/model/anomaly.h"

#include <optional>
#include <string_view>

namespace wst {

/// What a deferred pattern decided: an anomaly to report, or nothing.
using Finding = std::optional<Anomaly>;

/// "client" or "server", for details.
inline std::string_view sideName(Direction d) {
    return d == Direction::ClientToServer ? "client" : "server";
}

} // namespace wst
