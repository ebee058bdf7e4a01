// SPDX-License-Identifier: MIT
#include "ui/models/statistics.h"

#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wst::ui {

CaptureStatistics computeStatistics(const Trace& doc) {
    CaptureStatistics s;
    s.connections = doc.connections.size();
    s.messages = doc.messages.size();
    s.anomalies = doc.anomalies.size();

    // Handshake latency: decade bins from 10 µs to 10 s, open-ended at both ends.
    static const double kEdges[] = {1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
    static const char* const kLabels[] = {"<10µs",  "<100µs", "<1ms", "<10ms",
                                          "<100ms", "<1s",    "<10s", "≥10s"};
    std::vector<double> latency(8, 0.0);
    std::map<Outcome, double> outcomes;
    std::map<int, double> codes;
    for (const Connection& c : doc.connections) {
        if (c.id == 0) {
            continue;
        }
        outcomes[c.outcome] += 1;
        if (c.handshakeLatencyNs) {
            const double ns = static_cast<double>(*c.handshakeLatencyNs);
            std::size_t bin = 0;
            while (bin < 7 && ns >= kEdges[bin]) {
                ++bin;
            }
            latency[bin] += 1;
        }
        for (const DirectionStats& d : c.stats) {
            if (d.sentClose) {
                codes[d.closeCode ? *d.closeCode : 0] += 1;
            }
        }
        if (c.outcome == Outcome::Upgraded && !c.stats[0].sentClose && !c.stats[1].sentClose &&
            c.finished) {
            codes[-1] += 1;
        }
    }
    for (std::size_t i = 0; i < latency.size(); ++i) {
        s.latency.push_back({QString::fromUtf8(kLabels[i]), latency[i], QColor()});
    }
    for (const auto& [o, n] : outcomes) {
        // Issue 17: "failed" is not drawn in the green of "upgraded".
        s.outcomes.push_back({outcomeLabel(o), n, palette::forOutcome(o)});
    }
    for (const auto& [code, n] : codes) {
        s.closeCodes.push_back(
            {code < 0    ? QStringLiteral("no Close")
             : code == 0 ? QStringLiteral("no code")
                         : QString::number(code),
             n,
             code < 0 ? palette::tcp() : palette::forCloseCode(static_cast<std::uint16_t>(code))});
    }

    // Messages per second: up to 60 bins over the capture's message time span.
    if (!doc.messages.empty()) {
        std::int64_t first = doc.messages.front().first.ns, last = first;
        for (const Message& m : doc.messages) {
            first = std::min(first, m.first.ns);
            last = std::max(last, m.first.ns);
        }
        const double span = std::max(1e-3, static_cast<double>(last - first) / 1e9);
        // Round the bin width to 1, 2 or 5 × 10^k seconds.
        const double raw = span / 60.0;
        const double decade = std::pow(10.0, std::floor(std::log10(raw)));
        double width = decade;
        for (double m : {1.0, 2.0, 5.0, 10.0}) {
            if (decade * m >= raw) {
                width = decade * m;
                break;
            }
        }
        s.rateBinSeconds = width;
        const auto bins = static_cast<std::size_t>(std::floor(span / width)) + 1;
        std::vector<double> counts(bins, 0.0);
        for (const Message& m : doc.messages) {
            const auto b =
                static_cast<std::size_t>(static_cast<double>(m.first.ns - first) / 1e9 / width);
            counts[std::min(b, bins - 1)] += 1;
        }
        for (std::size_t i = 0; i < bins; ++i) {
            s.messagesPerSec.push_back({QStringLiteral("+%1").arg(qs(formatDuration(
                                            static_cast<std::int64_t>(i * width * 1e9)))),
                                        counts[i] / width, QColor()});
        }
    }
    return s;
}

} // namespace wst::ui
