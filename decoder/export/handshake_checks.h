// SPDX-License-Identifier: MIT
#pragma once

#include "model/trace.h"

#include <string>
#include <vector>

namespace wst {

enum class CheckResult : std::uint8_t { Passed, Failed, NotApplicable };

/// One RFC 6455 §4 handshake rule as shown to a person: passed, failed (with the anomaly's
/// "expected=…, found=…" detail) or not applicable (e.g. no response was seen).
struct HandshakeCheck {
    std::string name;
    CheckResult result = CheckResult::NotApplicable;
    std::string detail;
};

/// The handshake checks of one connection, derived from its summaries and the anomalies the
/// analyzer reported for it (the validator's findings), in the order a person reads a
/// handshake: request line and headers, then the response. Shared by the GUI's handshake
/// panel and the HTML report so both always agree.
std::vector<HandshakeCheck> handshakeChecks(const Connection& c,
                                            const std::vector<const Anomaly*>& anomalies);

} // namespace wst
