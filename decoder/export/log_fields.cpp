// SPDX-License-Identifier: MIT
#include "decoder/export/log_fields.h"

#include "decoder/export/encoding.h"

#include <fmt/format.h>

namespace wst {

namespace {

using logs::LogLine;
using logs::LogMatch;
using logs::ServerLogReport;

std::string baseName(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string wireOutcomes(const logs::PathRow& row) {
    std::string out;
    for (const auto& [outcome, n] : row.wireOutcomes) {
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", n, toString(outcome));
    }
    return out.empty() ? "no connection" : out;
}

std::string loggedStatuses(const logs::PathRow& row) {
    std::string out;
    for (const auto& [status, n] : row.loggedStatuses) {
        out += fmt::format("{}{} × {}", out.empty() ? "" : ", ", n, status);
    }
    return out.empty() ? "no access entry" : out;
}

} // namespace

std::string logLocation(const ServerLogReport& r, const LogLine& e) {
    const std::string name =
        e.file < r.logs->files.size() ? baseName(r.logs->files[e.file].path) : "log";
    return fmt::format("{}:{}", name, e.line);
}

std::string logMatchLine(const ServerLogReport& r, const LogMatch& m) {
    const LogLine& e = r.logs->entries[m.entry];
    std::string text = e.text;
    if (text.size() > 160) {
        text.resize(157);
        text += "...";
    }
    if (m.connection == 0) {
        return fmt::format("{}  {} — {}", logLocation(r, e), terminalSafe(text),
                           terminalSafe(m.reason));
    }
    return fmt::format("{}  {} — {} ({}{}): {}", logLocation(r, e), terminalSafe(text),
                       logs::describe(m.mark), logs::toString(m.certainty),
                       m.candidates > 1 ? fmt::format(", 1 of {}", m.candidates) : "",
                       terminalSafe(m.reason));
}

std::vector<std::string> logPathTable(const ServerLogReport& r) {
    std::vector<std::string> out;
    if (r.paths.empty()) {
        return out;
    }
    std::size_t width = 4;
    for (const logs::PathRow& row : r.paths) {
        width = std::max(width, std::min<std::size_t>(row.path.size(), 40));
    }
    out.push_back(
        fmt::format("{:<{}}  {:<28}  {}", "path", width, "the log says", "the wire shows"));
    for (const logs::PathRow& row : r.paths) {
        std::string marks;
        const auto add = [&](std::uint64_t n, std::string_view what) {
            if (n != 0) {
                marks += fmt::format("{}{} {}", marks.empty() ? "" : ", ", n, what);
            }
        };
        add(row.contradicts, "contradict");
        add(row.logOnly, "log only");
        add(row.unmatched, "unmatched");
        out.push_back(fmt::format("{:<{}}  {:<28}  {}{}", terminalSafe(row.path), width,
                                  loggedStatuses(row), wireOutcomes(row),
                                  marks.empty() ? "" : "  (" + marks + ")"));
    }
    return out;
}

std::vector<std::string> logFileLines(const ServerLogReport& r) {
    std::vector<std::string> out;
    for (const logs::LogFile& f : r.logs->files) {
        std::string sources;
        for (std::size_t s = 0; s < std::size(f.stats.bySource); ++s) {
            if (f.stats.bySource[s] != 0) {
                sources += fmt::format("{}{} {}", sources.empty() ? "" : ", ", f.stats.bySource[s],
                                       logs::toString(static_cast<logs::LogSource>(s)));
            }
        }
        out.push_back(fmt::format(
            "{}: {} line{}, {} entr{}{}{}{}", baseName(f.path), f.stats.physicalLines,
            f.stats.physicalLines == 1 ? "" : "s", f.stats.entries,
            f.stats.entries == 1 ? "y" : "ies", sources.empty() ? "" : " (" + sources + ")",
            f.stats.unrecognised != 0 ? fmt::format(", {} unrecognised", f.stats.unrecognised) : "",
            f.stats.malformed != 0 ? fmt::format(", {} malformed", f.stats.malformed) : ""));
    }
    return out;
}

namespace json {

Json logLine(const ServerLogReport& r, const LogMatch& m) {
    const LogLine& e = r.logs->entries[m.entry];
    Json j;
    j["file"] = e.file < r.logs->files.size() ? r.logs->files[e.file].path : "";
    j["line"] = e.line;
    j["lines"] = e.lines;
    j["source"] = logs::toString(e.source);
    j["kind"] = logs::toString(e.kind);
    j["time_ns"] = m.timeNs ? Json(*m.timeNs) : Json(nullptr);
    j["status"] = e.status != 0 ? Json(e.status) : Json(nullptr);
    if (e.statusFrom != 0) {
        j["status_written"] = e.statusFrom;
    }
    j["method"] = e.method.empty() ? Json(nullptr) : Json(e.method);
    j["path"] = e.path.empty() ? Json(nullptr) : Json(e.path);
    j["client_ip"] = e.clientIp.empty() ? Json(nullptr) : Json(e.clientIp);
    j["client_port"] = e.clientPort != 0 ? Json(e.clientPort) : Json(nullptr);
    j["latency_ns"] = e.latencyNs ? Json(*e.latencyNs) : Json(nullptr);
    if (!e.wsKey.empty()) {
        j["sec_websocket_key"] = e.wsKey;
    }
    if (!e.message.empty()) {
        j["message"] = e.message;
    }
    j["text"] = e.text;
    j["connection"] = m.connection != 0 ? Json(m.connection) : Json(nullptr);
    if (m.connection != 0) {
        j["certainty"] = logs::toString(m.certainty);
        j["candidates"] = m.candidates;
        j["mark"] = logs::toString(m.mark);
    }
    j["reason"] = m.reason;
    return j;
}

Json logLinesOf(const ServerLogReport& r, ConnId id) {
    Json a = Json::array();
    for (std::uint32_t i : r.matchesOf(id)) {
        a.push_back(logLine(r, r.matches[i]));
    }
    return a;
}

Json logsSection(const ServerLogReport& r) {
    Json j;
    Json files = Json::array();
    for (const logs::LogFile& f : r.logs->files) {
        Json bySource = Json::object();
        for (std::size_t s = 0; s < std::size(f.stats.bySource); ++s) {
            if (f.stats.bySource[s] != 0) {
                bySource[std::string(logs::toString(static_cast<logs::LogSource>(s)))] =
                    f.stats.bySource[s];
            }
        }
        files.push_back(Json{{"path", f.path},
                             {"lines", f.stats.physicalLines},
                             {"entries", f.stats.entries},
                             {"by_source", bySource},
                             {"unrecognised", f.stats.unrecognised},
                             {"malformed", f.stats.malformed}});
    }
    j["files"] = files;
    const std::string_view basis = logs::toString(r.clock.basis);
    j["clock"] = Json{{"offset_ns", r.clock.offsetNs},
                      {"basis", basis},
                      {"samples", r.clock.samples},
                      {"text", logs::clockText(r.clock)}};
    j["story"] = r.story;
    j["counts"] = Json{{"reached_wire", r.count(logs::LogMark::ReachedWire)},
                       {"log_only", r.count(logs::LogMark::LogOnly)},
                       {"contradicts", r.count(logs::LogMark::Contradicts)},
                       {"unmatched", r.unmatched()}};
    Json paths = Json::array();
    for (const logs::PathRow& row : r.paths) {
        Json logged = Json::object();
        for (const auto& [status, n] : row.loggedStatuses) {
            logged[std::to_string(status)] = n;
        }
        Json wire = Json::object();
        for (const auto& [outcome, n] : row.wireOutcomes) {
            wire[std::string(toString(outcome))] = n;
        }
        paths.push_back(Json{{"path", row.path},
                             {"logged_statuses", logged},
                             {"wire_outcomes", wire},
                             {"reached_wire", row.reachedWire},
                             {"log_only", row.logOnly},
                             {"contradicts", row.contradicts},
                             {"unmatched", row.unmatched}});
    }
    j["paths"] = paths;
    // The first kListedUnmatched entries that matched nothing (a day's log beside a minute's
    // capture would otherwise be copied whole); `counts.unmatched` counts them all.
    constexpr std::size_t kListedUnmatched = 1000;
    Json unmatched = Json::array();
    for (const LogMatch& m : r.matches) {
        if (m.connection == 0 && unmatched.size() < kListedUnmatched) {
            unmatched.push_back(logLine(r, m));
        }
    }
    j["unmatched"] = unmatched;
    j["dropped_entries"] = r.logs->droppedEntries;
    return j;
}

} // namespace json

} // namespace wst
