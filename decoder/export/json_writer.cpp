// SPDX-License-Identifier: MIT
#include "json_writer.h"

#include "json_fields.h"

#include <bitset>

namespace wst {

namespace {

/// Writes `"name": [` then one element per line, then `]`.
template <typename Range, typename ToJson>
void writeArray(std::ostream& out, std::string_view name, const Range& items, ToJson&& toJson,
                bool last = false) {
    out << "    \"" << name << "\": [";
    bool first = true;
    for (const auto& item : items) {
        out << (first ? "\n      " : ",\n      ") << json::dump(toJson(item));
        first = false;
    }
    out << (first ? "]" : "\n    ]") << (last ? "\n" : ",\n");
}

} // namespace

void writeJson(std::span<const TraceStore* const> runs, std::ostream& out) {
    std::bitset<kAnomalyIdCount> used;
    out << "{\n  \"schema\": " << json::dump(Json(json::kTraceSchema))
        << ",\n  \"generator\": " << json::dump(json::generator()) << ",\n  \"captures\": [";
    bool firstRun = true;
    for (const TraceStore* run : runs) {
        out << (firstRun ? "\n  {\n" : ",\n  {\n");
        firstRun = false;
        out << "    \"stats\": " << json::dump(json::stats(run->stats)) << ",\n";
        writeArray(out, "connections", run->connections,
                   [](const Connection& c) { return json::connection(c); });
        writeArray(out, "events", run->events, [](const Event& e) { return json::event(e); });
        writeArray(out, "messages", run->messages,
                   [](const Message& m) { return json::message(m); });
        writeArray(
            out, "anomalies", run->anomalies,
            [&used](const Anomaly& a) {
                used.set(static_cast<std::size_t>(a.id));
                return json::anomaly(a);
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

void writeJson(const TraceStore& run, std::ostream& out) {
    const TraceStore* runs[] = {&run};
    writeJson(runs, out);
}

} // namespace wst
