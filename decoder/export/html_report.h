// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <ostream>

namespace wst {

struct ReportOptions {
    /// Connections drawn in full (ladder, handshake, anomalies). When a capture has more,
    /// those with warnings or errors come first; every connection stays in the summary table.
    std::size_t maxDetailedConnections = 100;
};

/// A self-contained HTML report: a summary of the capture, a table of every connection, and
/// for each detailed connection its ladder diagram as inline SVG, the handshake checks and the
/// anomalies with their explanations. No external resources (no scripts, fonts, images or
/// links off the page); prints on paper with one connection per block.
void writeHtmlReport(const Trace& trace, std::ostream& out, const ReportOptions& options = {});
/// One page for several runs (one per `-r` file), each under its own heading.
void writeHtmlReport(const std::vector<const Trace*>& runs, std::ostream& out,
                     const ReportOptions& options = {});

} // namespace wst
