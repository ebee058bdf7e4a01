// SPDX-License-Identifier: MIT
#include "decoder/export/json_writer.h"

#include "decoder/export/json_fields.h"
#include "decoder/export/log_fields.h"

#include <bitset>

namespace wst {

namespace {

/// Writes `"name": [` then one element per line, then `]`. `append(std::string&, item)` adds
/// one element's JSON text.
template <typename Range, typename Append>
void writeArray(std::ostream& out, std::string_view name, const Range& items, Append&& append,
                bool last = false) {
    out << "    \"" << name << "\": [";
    std::string line;
    bool first = true;
    for (const auto& item : items) {
        line.assign(first ? "\n      " : ",\n      ");
        append(line, item);
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
        first = false;
    }
    out << (first ? "]" : "\n    ]") << (last ? "\n" : ",\n");
}

} // namespace

void writeJson(std::span<const Trace* const> runs, std::ostream& out) {
    std::bitset<kAnomalyIdCount> used;
    out << "{\n  \"schema\": " << json::dump(Json(json::kTraceSchema))
        << ",\n  \"generator\": " << json::dump(json::generator()) << ",\n  \"captures\": [";
    bool firstRun = true;
    for (const Trace* run : runs) {
        out << (firstRun ? "\n  {\n" : ",\n  {\n");
        firstRun = false;
        // rel_ns counts from the first event; origin_ns says when that is, as a string (exact
        // where a number past 2^53 is not: jq 1.6, JavaScript).
        const std::int64_t origin =
            run->events.empty() ? run->stats.first.ns : run->events.front().time.ns;
        Json stats = json::stats(run->stats);
        stats["origin_ns"] = std::to_string(origin);
        out << "    \"stats\": " << json::dump(stats) << ",\n";
        // The story first, and each anomaly's cause as an index into this capture's anomalies.
        CaptureStory story;
        std::vector<std::int64_t> causeOf(run->anomalies.size(), -1);
        for (const Connection& c : run->connections) {
            if (!c.finished) {
                continue;
            }
            story.add(c);
            const std::vector<std::uint32_t>& mine = run->anomaliesOf(c.id);
            for (std::size_t i = 0; i < mine.size() && i < c.verdict.causedBy.size(); ++i) {
                const std::int32_t cause = c.verdict.causedBy[i];
                if (cause >= 0 && static_cast<std::size_t>(cause) < mine.size()) {
                    causeOf[mine[i]] = mine[static_cast<std::size_t>(cause)];
                }
            }
        }
        out << "    \"story\": " << json::dump(json::story(story)) << ",\n";
        const logs::ServerLogReport* logs = run->serverLogs.get();
        if (logs) {
            out << "    \"logs\": " << json::dump(json::logsSection(*logs)) << ",\n";
        }
        writeArray(out, "connections", run->connections,
                   [logs](std::string& s, const Connection& c) {
                       Json j = json::connection(c);
                       if (logs) {
                           j["log_lines"] = json::logLinesOf(*logs, c.id);
                       }
                       s += json::dump(j);
                   });
        // Events and messages are the bulk of a document: written without building a DOM.
        writeArray(out, "events", run->events, [origin](std::string& s, const Event& e) {
            json::appendEvent(s, e, nullptr, true, origin);
        });
        writeArray(out, "messages", run->messages,
                   [](std::string& s, const Message& m) { json::appendMessage(s, m); });
        writeArray(
            out, "anomalies", run->anomalies,
            [&used, &causeOf, n = std::size_t{0}](std::string& s, const Anomaly& a) mutable {
                used.set(static_cast<std::size_t>(a.id));
                Json j = json::anomaly(a);
                j["caused_by"] = causeOf[n] < 0 ? Json(nullptr) : Json(causeOf[n]);
                ++n;
                s += json::dump(j);
            },
            true);
        out << "  }";
    }
    out << (firstRun ? "],\n" : "\n  ],\n");

    // Explanations once per id rather than once per occurrence.
    out << "  \"catalog\": {";
    bool firstEntry = true;
    for (const AnomalyInfo& info : anomalyCatalog()) {
        if (!used.test(static_cast<std::size_t>(info.id))) {
            continue;
        }
        out << (firstEntry ? "\n    " : ",\n    ") << json::dump(Json(info.name)) << ": "
            << json::dump(json::catalogEntry(info.id));
        firstEntry = false;
    }
    out << (firstEntry ? "}\n}\n" : "\n  }\n}\n");
}

void writeJson(const Trace& run, std::ostream& out) {
    const Trace* runs[] = {&run};
    writeJson(runs, out);
}

} // namespace wst
