// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <string>

namespace wst {

/// Options for one ladder diagram.
struct LadderOptions {
    std::size_t maxRows = 400; ///< events drawn; the rest are summarised in one last row
    int width = 760;
};

/// An inline SVG sequence ("ladder") diagram of one connection: a client lane and a server
/// lane, one row per event in capture order with its time relative to the first packet,
/// arrows for SYN/SYN-ACK, the HTTP request and responses, WebSocket messages coloured by
/// opcode (Okabe–Ito palette, colour-blind safe), Close frames, FIN/RST and gaps, and a red
/// marker on rows where an anomaly was reported. Self-contained: no external references.
std::string ladderSvg(const Trace& trace, const Connection& c, const LadderOptions& options = {});

} // namespace wst
