// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QColor>
#include <QString>
#include <vector>

namespace wst::ui {

/// One bar of a chart: a label and a value.
struct StatBar {
    QString label;
    double value = 0;
    QColor colour; ///< the bar's own colour (outcomes, close codes); invalid: the chart's
};

/// Figures for the statistics page, computed from the document without Qt widgets.
struct CaptureStatistics {
    std::vector<StatBar> latency;        ///< handshake latency histogram, log-spaced bins
    std::vector<StatBar> outcomes;       ///< connections per outcome
    std::vector<StatBar> closeCodes;     ///< Close frames per code ("none" for TCP-only ends)
    std::vector<StatBar> messagesPerSec; ///< messages per second over capture time
    double rateBinSeconds = 1.0;
    std::size_t connections = 0, messages = 0, anomalies = 0;
};

CaptureStatistics computeStatistics(const Trace& doc);

} // namespace wst::ui
