// SPDX-License-Identifier: MIT
#include "decoder/export/html_report.h"

#include "decoder/export/encoding.h"
#include "decoder/export/log_fields.h"
#include "decoder/export/svg_ladder.h"
#include "decoder/http/handshake_review.h"
#include "decoder/verdict/story.h"
#include "decoder/verdict/verdict.h"
#include "wst/version.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {
namespace {

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;font-size:12px;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3} td.num{text-align:right}
.sev-error{color:#fff;background:#C00000;padding:1px 5px;border-radius:3px}
.sev-warning{color:#000;background:#E69F00;padding:1px 5px;border-radius:3px}
.sev-info{color:#fff;background:#0072B2;padding:1px 5px;border-radius:3px}
.pass{color:#007a3d;font-weight:bold} .fail{color:#C00000;font-weight:bold} .na{color:#888}
.conn{margin-bottom:28px}
.headers{display:flex;gap:16px;flex-wrap:wrap} .headers table{flex:1;min-width:300px}
code,.mono{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
.anomaly ul{margin:2px 0 4px 18px;padding:0}
.anomaly{border-left:4px solid #C00000;padding:4px 10px;margin:8px 0;background:#fbf3f3}
.anomaly.info{border-color:#0072B2;background:#f2f7fb} .anomaly.warning{border-color:#E69F00;background:#fdf8ee}
.anomaly .anomaly{margin:6px 0 2px 14px} .root{font-weight:bold;color:#C00000}
.verdict{font-size:15px;margin:8px 0} .story td.why{max-width:520px}
.peers th{width:60px} .headline{font-size:15px;margin:4px 0 6px}
.log-contradicts{color:#C00000;font-weight:bold} .log-log_only{color:#8a5a00;font-weight:bold}
.log-reached_wire{color:#007a3d} td.logtext{max-width:460px;word-break:break-all}
.muted{color:#666} svg.ladder{border:1px solid #eee;background:#fff;max-width:100%;height:auto}
@media print{body{margin:0;font-size:11px} a{color:inherit;text-decoration:none}
h1,h2,h3{break-after:avoid;page-break-after:avoid} h2{font-size:15px;margin:10px 0 4px}
h3{font-size:12px;margin:8px 0 3px} tr,.anomaly,svg.ladder,.peers{break-inside:avoid}
table{font-size:10px;margin:3px 0} th,td{padding:1px 4px} .conn{margin-bottom:10px}
.headers table{min-width:0} @page{margin:12mm}}
)";

/// The distinct finding ids of a connection, in report order, as the text summary names them.
std::string findingIds(const Trace& trace, const Connection& c) {
    std::string out;
    std::vector<AnomalyId> seen;
    for (std::uint32_t i : trace.anomaliesOf(c.id)) {
        const AnomalyId id = trace.anomalies[i].id;
        if (std::find(seen.begin(), seen.end(), id) != seen.end())
            continue;
        seen.push_back(id);
        out += fmt::format("{}<code>{}</code>", out.empty() ? "" : " ", anomalyName(id));
    }
    return out;
}

std::string sevBadge(Severity s) {
    return fmt::format("<span class=\"sev-{0}\">{0}</span>", toString(s));
}

std::string ms(std::optional<std::int64_t> ns) {
    return ns ? fmt::format("{:.3f} ms", static_cast<double>(*ns) / 1e6) : "—";
}

std::string statuses(const Connection& c) {
    std::string s;
    for (const ResponseSummary& r : c.responses)
        s += fmt::format("{}{}", s.empty() ? "" : ", ", r.status);
    return s.empty() ? "—" : s;
}

std::string closeText(const Connection& c) {
    std::string s;
    for (Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        const DirectionStats& st = c.stats[index(d)];
        const char* who = d == Direction::ClientToServer ? "client" : "server";
        if (st.sentClose)
            s += fmt::format("{}{} Close {}", s.empty() ? "" : "; ", who,
                             st.closeCode ? std::to_string(*st.closeCode) : "(no code)");
        if (st.tcpEnd != TcpEnd::None)
            s += fmt::format("{}{} {}", s.empty() ? "" : "; ", who,
                             st.tcpEnd == TcpEnd::Rst ? "RST" : "FIN");
    }
    return s.empty() ? "—" : s;
}

std::vector<const Anomaly*> anomaliesOf(const Trace& trace, const Connection& c) {
    std::vector<const Anomaly*> list;
    for (std::uint32_t i : trace.anomaliesOf(c.id)) {
        list.push_back(&trace.anomalies[i]);
    }
    return list;
}

void headerTable(std::ostream& out, const char* title, const std::vector<Header>& headers,
                 const std::string& firstLine) {
    out << "<table><tr><th colspan=\"2\">" << title << "</th></tr>";
    out << "<tr><td colspan=\"2\" class=\"mono\">" << htmlEscape(firstLine) << "</td></tr>";
    for (const Header& h : headers)
        out << "<tr><td class=\"mono\">" << htmlEscape(h.name) << "</td><td class=\"mono\">"
            << htmlEscape(h.value) << "</td></tr>";
    out << "</table>";
}

/// Opens one finding's block; the caller nests its consequences inside and closes it.
void anomalyBlock(std::ostream& out, const Anomaly& a, bool root) {
    const AnomalyInfo& info = anomalyInfo(a.id);
    out << fmt::format("<div class=\"anomaly {}\">{} <b>{}</b> <code>{}</code> — packet {}",
                       toString(info.severity), sevBadge(info.severity), htmlEscape(info.title),
                       anomalyName(a.id), a.packet);
    if (root)
        out << " — <span class=\"root\">root cause</span>";
    if (!a.detail.empty())
        out << " — <span class=\"mono\">" << htmlEscape(a.detail) << "</span>";
    out << "<br>" << htmlEscape(info.explanation);
    if (const auto causes = likelyCauses(info); !causes.empty()) {
        out << "<br><b>Likely causes:</b><ul>";
        for (std::string_view cause : causes)
            out << "<li>" << htmlEscape(cause) << "</li>";
        out << "</ul>";
    }
    if (!info.hint.empty())
        out << "<b>What to do:</b> " << htmlEscape(info.hint);
    if (!info.rfc.empty())
        out << " <span class=\"muted\">(" << htmlEscape(info.rfc) << ")</span>";
    out << "\n";
}

/// The root findings of a connection (Verdict::causedBy -1) that are causes, not remarks: the
/// primary root first.
std::string rootCauses(const Trace& trace, const Connection& c) {
    const Verdict& v = c.verdict;
    if (!c.finished || !v.rootCause)
        return "—";
    std::vector<AnomalyId> ids{*v.rootCause};
    const std::vector<std::uint32_t>& mine = trace.anomaliesOf(c.id);
    for (std::size_t i = 0; i < mine.size() && i < v.causedBy.size(); ++i) {
        const AnomalyId id = trace.anomalies[mine[i]].id;
        if (v.causedBy[i] < 0 && anomalyInfo(id).severity != Severity::Info &&
            std::find(ids.begin(), ids.end(), id) == ids.end())
            ids.push_back(id);
    }
    std::string s;
    for (AnomalyId id : ids)
        s += fmt::format("{}<code>{}</code>", s.empty() ? "" : "<br>", anomalyName(id));
    return s;
}

/// The capture's story (decoder/verdict/story.h): one line, then one row per group with its
/// connections, the explanation and what to do, then the access-log line.
void storySection(std::ostream& out, const Trace& trace,
                  const std::vector<const Connection*>& detailed) {
    CaptureStory story;
    for (const Connection& c : trace.connections)
        if (c.finished)
            story.add(c);
    const std::vector<StoryGroup> groups = story.groups();
    std::uint64_t withCause = 0;
    for (const StoryGroup& g : groups)
        withCause += g.rootCause ? g.count : 0;
    out << "<h2>Verdict</h2>\n";
    if (story.connections() == 0) {
        out << "<p class=\"verdict\">No finished connection.</p>\n";
        return;
    }
    out << fmt::format("<p class=\"verdict\"><b>{} connection{}: {}</b></p>\n", story.connections(),
                       story.connections() == 1 ? "" : "s",
                       withCause == 0 ? std::string("no problem found")
                                      : fmt::format("{} with a problem, {} group{}", withCause,
                                                    groups.size(), groups.size() == 1 ? "" : "s"));
    out << "<table class=\"story\"><tr><th>count</th><th>verdict</th><th>connections</th>"
           "<th>why</th><th>what to do</th></tr>\n";
    const auto isDetailed = [&](ConnId id) {
        return std::any_of(detailed.begin(), detailed.end(),
                           [id](const Connection* c) { return c->id == id; });
    };
    for (const StoryGroup& g : groups) {
        std::string ids;
        for (ConnId id : g.examples) {
            ids += ids.empty() ? "" : ", ";
            ids += isDetailed(id) ? fmt::format("<a href=\"#c{0}\">#{0}</a>", id)
                                  : fmt::format("#{}", id);
        }
        if (g.count > g.examples.size())
            ids += ", …";
        out << fmt::format("<tr><td class=\"num\">{}</td><td>{}{}</td><td>{}</td>"
                           "<td class=\"why\">{}</td><td class=\"why\">{}</td></tr>\n",
                           g.count, g.severity ? sevBadge(*g.severity) + " " : std::string(),
                           htmlEscape(g.label), ids, htmlEscape(g.explanation),
                           htmlEscape(g.whatToDo));
    }
    out << "</table>\n";
    for (const std::string& line : story.serverLogLines()) {
        out << "<p class=\"muted\">" << htmlEscape(line) << "</p>\n";
    }
}

/// One log entry as a table row: where, what it says, the mark, certainty and why.
std::string logRow(const logs::ServerLogReport& r, const logs::LogMatch& m, bool withConnection) {
    const logs::LogLine& e = r.logs->entries[m.entry];
    std::string certainty;
    if (m.connection != 0) {
        certainty = std::string(logs::toString(m.certainty));
        if (m.candidates > 1)
            certainty += fmt::format(", 1 of {}", m.candidates);
    }
    return fmt::format(
        "<tr>{}<td class=\"mono\">{}</td><td class=\"mono logtext\">{}</td><td "
        "class=\"log-{}\">{}</td><td>{}</td><td class=\"why\">{}</td></tr>\n",
        withConnection ? (m.connection != 0 ? fmt::format("<td>#{}</td>", m.connection)
                                            : std::string("<td>—</td>"))
                       : std::string(),
        htmlEscape(logLocation(r, e)), htmlEscape(e.text),
        m.connection != 0 ? logs::toString(m.mark) : "unmatched",
        m.connection != 0 ? htmlEscape(std::string(logs::describe(m.mark))) : "no connection",
        htmlEscape(certainty), htmlEscape(m.reason));
}

/// The server log beside the wire (docs/server-logs.md): files, clock, the story lines, the
/// table by path, and the entries that differ from the wire or match nothing.
void logsSection(std::ostream& out, const logs::ServerLogReport& r) {
    out << "<h2>Server log</h2>\n";
    for (const std::string& line : logFileLines(r))
        out << "<p class=\"muted\">" << htmlEscape(line) << "</p>\n";
    out << "<p class=\"muted\">" << htmlEscape(logs::clockText(r.clock)) << "</p>\n";
    if (!r.story.empty()) {
        out << "<ul>\n";
        for (const std::string& line : r.story)
            out << "<li>" << htmlEscape(line) << "</li>\n";
        out << "</ul>\n";
    }
    if (!r.paths.empty()) {
        out << "<table><tr><th>path</th><th>the log says</th><th>the wire shows</th>"
               "<th>contradict</th><th>log only</th><th>unmatched</th></tr>\n";
        for (const logs::PathRow& row : r.paths) {
            std::string logged, wire;
            for (const auto& [status, n] : row.loggedStatuses)
                logged += fmt::format("{}{} × {}", logged.empty() ? "" : ", ", n, status);
            for (const auto& [outcome, n] : row.wireOutcomes)
                wire += fmt::format("{}{} {}", wire.empty() ? "" : ", ", n, toString(outcome));
            out << fmt::format("<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td "
                               "class=\"num\">{}</td><td class=\"num\">{}</td><td "
                               "class=\"num\">{}</td></tr>\n",
                               htmlEscape(row.path), logged, wire, row.contradicts, row.logOnly,
                               row.unmatched);
        }
        out << "</table>\n";
    }
    std::size_t listed = 0;
    for (const logs::LogMatch& m : r.matches) {
        if (m.connection == 0 && listed < 50) {
            if (listed++ == 0)
                out << "<h3>Log entries that match no connection</h3>\n<table><tr><th>#</th>"
                       "<th>where</th><th>entry</th><th>mark</th><th>certainty</th><th>why</th>"
                       "</tr>\n";
            out << logRow(r, m, true);
        }
    }
    if (listed != 0)
        out << "</table>\n";
    if (r.unmatched() > listed)
        out << fmt::format("<p class=\"muted\">… {} more</p>\n", r.unmatched() - listed);
}

void connectionSection(std::ostream& out, const Trace& trace, const Connection& c) {
    out << fmt::format("<section class=\"conn\" id=\"c{0}\"><h2>Connection {0}: {1} → {2}</h2>\n",
                       c.id, htmlEscape(c.client.toString()), htmlEscape(c.server.toString()));
    // The verdict first (docs/verdicts.md): what went wrong, then what each peer believed.
    const Verdict& v = c.verdict;
    if (c.finished && !v.headline.empty()) {
        const std::string badge =
            v.rootCause ? sevBadge(anomalyInfo(*v.rootCause).severity) + " " : std::string();
        out << fmt::format("<p class=\"headline\">{}<b>{}</b></p>\n", badge,
                           htmlEscape(v.headline));
        out << "<table class=\"peers\">";
        for (const auto& [who, view] : {std::pair{"client", &v.client}, {"server", &v.server}}) {
            if (!view->story.empty())
                out << fmt::format("<tr><th>{}</th><td>{}</td></tr>", who,
                                   htmlEscape(peerText(*view)));
        }
        out << "</table>\n";
        if (!v.whatToDo.empty())
            out << "<p><b>What to do:</b> " << htmlEscape(v.whatToDo) << "</p>\n";
    }
    out << "<table>";
    out << fmt::format("<tr><th>outcome</th><td>{}</td><th>handshake latency</th><td>{}</td></tr>",
                       toString(c.outcome), ms(c.handshakeLatencyNs));
    out << fmt::format("<tr><th>packets</th><td>{} – {}</td><th>duration</th><td>{}</td></tr>",
                       c.firstPacket, c.lastPacket, ms(c.last - c.first));
    out << fmt::format(
        "<tr><th>messages c→s / s→c</th><td>{} / {}</td><th>close</th><td>{}</td></tr>",
        c.stats[0].messages, c.stats[1].messages, htmlEscape(closeText(c)));
    if (!c.responses.empty() && !c.responses.back().fingerprint.empty())
        out << fmt::format("<tr><th>server</th><td colspan=\"3\">{}</td></tr>",
                           htmlEscape(c.responses.back().fingerprint));
    out << "</table>\n";
    for (const std::string& note : c.notes)
        out << "<p class=\"muted\">" << htmlEscape(note) << "</p>\n";

    if (c.request || !c.responses.empty()) {
        out << "<h3>Handshake</h3><div class=\"headers\">";
        if (c.request)
            headerTable(out, "request", c.request->headers,
                        fmt::format("{} {} {}", c.request->method, c.request->target,
                                    c.request->httpVersion));
        // Which head the client acted on (responseActedOn), where there is more than one.
        const ResponseSummary* acted = responseActedOn(c);
        for (const ResponseSummary& r : c.responses)
            headerTable(out,
                        c.responses.size() < 2 || !acted ? "response"
                        : &r == acted                    ? "response (the client acted on this)"
                                                         : "response (not acted on by the client)",
                        r.headers, fmt::format("{} {} {}", r.httpVersion, r.status, r.reason));
        out << "</div>\n";
    }

    const std::vector<const Anomaly*> anomalies = anomaliesOf(trace, c);
    if (c.request && c.request->isUpgrade) {
        std::vector<AnomalyId> ids;
        for (const Anomaly* a : anomalies)
            ids.push_back(a->id);
        out << "<table><tr><th>check</th><th>result</th><th>expected</th><th>found</th></tr>";
        for (const HandshakeCheck& check : reviewHandshake(c, ids)) {
            if (check.result == CheckResult::NotApplicable && check.found.empty())
                continue;
            const char* cls = check.result == CheckResult::Passed   ? "pass"
                              : check.result == CheckResult::Failed ? "fail"
                                                                    : "na";
            const char* text = check.result == CheckResult::Passed   ? "passed"
                               : check.result == CheckResult::Failed ? "failed"
                                                                     : "not checked";
            out << fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td><td class=\"mono\">{}</td>"
                               "<td class=\"mono\">{}</td></tr>",
                               htmlEscape(check.name), cls, text, htmlEscape(check.expected),
                               htmlEscape(check.found));
        }
        out << "</table>\n";
    }

    if (!anomalies.empty()) {
        out << "<h3>Anomalies</h3>\n";
        // Each finding under the one it is a consequence of (Verdict::causedBy), the root cause
        // first; roots of their own after it.
        const std::vector<std::int32_t>& causedBy = v.causedBy;
        const auto parentOf = [&](std::size_t i) -> std::int64_t {
            return i < causedBy.size() ? causedBy[i] : -1;
        };
        const auto tree = [&](auto& self, std::size_t i) -> void {
            anomalyBlock(out, *anomalies[i], static_cast<std::int32_t>(i) == v.root);
            for (std::size_t k = 0; k < anomalies.size(); ++k)
                if (k != i && parentOf(k) == static_cast<std::int64_t>(i))
                    self(self, k);
            out << "</div>\n";
        };
        if (v.root >= 0 && static_cast<std::size_t>(v.root) < anomalies.size())
            tree(tree, static_cast<std::size_t>(v.root));
        for (std::size_t i = 0; i < anomalies.size(); ++i)
            if (parentOf(i) < 0 && static_cast<std::int32_t>(i) != v.root)
                tree(tree, i);
    }
    if (trace.serverLogs && !trace.serverLogs->matchesOf(c.id).empty()) {
        out << "<h3>Server log</h3>\n<table><tr><th>where</th><th>entry</th><th>mark</th>"
               "<th>certainty</th><th>why</th></tr>\n";
        for (std::uint32_t i : trace.serverLogs->matchesOf(c.id))
            out << logRow(*trace.serverLogs, trace.serverLogs->matches[i], false);
        out << "</table>\n";
    }
    out << "<h3>Timeline</h3>\n" << ladderSvg(trace, c) << "</section>\n";
}

void runSection(const Trace& trace, std::ostream& out, const ReportOptions& options,
                bool ownHeading) {
    const CaptureStats& st = trace.stats;
    std::array<std::size_t, 6> outcomes{};
    // Root causes, not findings: one misconfiguration is one problem (docs/verdicts.md).
    std::array<std::size_t, 3> bySeverity{};
    for (const Connection& c : trace.connections) {
        ++outcomes[static_cast<std::size_t>(c.outcome)];
        for (std::size_t s = 0; s < bySeverity.size(); ++s)
            bySeverity[s] += c.verdict.rootsBySeverity[s];
    }

    if (ownHeading)
        out << "<h1 class=\"run\">" << htmlEscape(st.source) << "</h1>\n";
    out << fmt::format("<p class=\"muted\">{} · wstrace {} · capture {} to {}</p>\n",
                       htmlEscape(st.source), kVersion, isoTime(st.first), isoTime(st.last));
    if (!st.error.empty())
        out << "<p class=\"fail\">Capture error: " << htmlEscape(st.error) << "</p>\n";

    // Which connections get a full section: worst severity first, then capture order.
    std::vector<const Connection*> detailed;
    for (const Connection& c : trace.connections)
        detailed.push_back(&c);
    std::stable_sort(
        detailed.begin(), detailed.end(), [](const Connection* a, const Connection* b) {
            const int sa = a->worstSeverity() ? static_cast<int>(*a->worstSeverity()) : -1;
            const int sb = b->worstSeverity() ? static_cast<int>(*b->worstSeverity()) : -1;
            return std::min(sa, 1) > std::min(sb, 1); // errors and warnings before the rest
        });
    if (detailed.size() > options.maxDetailedConnections)
        detailed.resize(options.maxDetailedConnections);
    std::sort(detailed.begin(), detailed.end(),
              [](const Connection* a, const Connection* b) { return a->id < b->id; });

    storySection(out, trace, detailed);
    if (trace.serverLogs)
        logsSection(out, *trace.serverLogs);

    out << "<table><tr><th>packets</th><th>connections</th>";
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        out << "<th>" << toString(static_cast<Outcome>(i)) << "</th>";
    out << "<th>errors</th><th>warnings</th><th>info</th></tr><tr>"; // root causes
    out << fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", st.packets,
                       trace.connections.size());
    for (std::size_t n : outcomes)
        out << "<td class=\"num\">" << n << "</td>";
    out << fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        bySeverity[2], bySeverity[1], bySeverity[0]);
    out << "</tr></table>\n<p class=\"muted\">errors, warnings, info: root causes (a finding "
           "another one explains is its consequence and not counted again)</p>\n";

    out << "<h2>Connections</h2>\n<table><tr><th>#</th><th>client</th><th>server</th><th>request"
           "</th><th>status</th><th>outcome</th><th>latency</th><th>msgs c→s</th><th>msgs s→c"
           "</th><th>close</th><th>anomalies</th><th>root cause</th></tr>\n";
    for (const Connection& c : trace.connections) {
        const bool linked = std::binary_search(
            detailed.begin(), detailed.end(), &c,
            [](const Connection* a, const Connection* b) { return a->id < b->id; });
        const auto worst = c.worstSeverity();
        const std::uint32_t total =
            c.anomaliesBySeverity[0] + c.anomaliesBySeverity[1] + c.anomaliesBySeverity[2];
        out << fmt::format(
            "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">"
            "{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            linked ? fmt::format("<a href=\"#c{0}\">{0}</a>", c.id) : std::to_string(c.id),
            htmlEscape(c.client.toString()), htmlEscape(c.server.toString()),
            c.request ? htmlEscape(c.request->method + " " + c.request->target) : "—", statuses(c),
            toString(c.outcome), ms(c.handshakeLatencyNs), c.stats[0].messages, c.stats[1].messages,
            htmlEscape(closeText(c)),
            worst ? fmt::format("{} {} {}", total, sevBadge(*worst), findingIds(trace, c)) : "0",
            rootCauses(trace, c));
    }
    out << "</table>\n";
    if (detailed.size() < trace.connections.size())
        out << fmt::format("<p class=\"muted\">{} of {} connections are shown in detail below "
                           "(those with errors or warnings first).</p>\n",
                           detailed.size(), trace.connections.size());

    for (const Connection* c : detailed)
        connectionSection(out, trace, *c);
}

} // namespace

void writeHtmlReport(const Trace& trace, std::ostream& out, const ReportOptions& options) {
    writeHtmlReport(std::vector<const Trace*>{&trace}, out, options);
}

void writeHtmlReport(const std::vector<const Trace*>& runs, std::ostream& out,
                     const ReportOptions& options) {
    std::string title;
    for (const Trace* run : runs)
        title += (title.empty() ? "" : ", ") + run->stats.source;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
    out << "<title>wstrace report — " << htmlEscape(title) << "</title>\n";
    out << "<style>" << kStyle << "</style></head><body>\n";
    out << "<h1>wstrace report</h1>\n";
    for (const Trace* run : runs)
        runSection(*run, out, options, runs.size() > 1);
    out << "</body></html>\n";
}

} // namespace wst
