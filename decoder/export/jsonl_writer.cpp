// SPDX-License-Identifier: MIT
#include "decoder/export/jsonl_writer.h"

#include "decoder/export/json_fields.h"
#include "decoder/export/log_fields.h"

namespace wst {

JsonlWriter::JsonlWriter(std::ostream& out, const std::string& source)
    : m_out(out) {
    line("run", json::dump(Json{{"schema", json::kLinesSchema},
                                {"generator", json::generator()},
                                {"source", source}}));
}

void JsonlWriter::line(std::string_view type, std::string_view key, const std::string& body) {
    m_out << R"({"type":")" << type << R"(",")" << key << "\":" << body << "}\n";
}

void JsonlWriter::line(std::string_view type, const std::string& objectBody) {
    // Splices "type" in front of the object's own fields: `{"type":"…",` + body without `{`.
    m_out << R"({"type":")" << type << '"';
    if (objectBody.size() > 2) {
        m_out << ',' << std::string_view(objectBody).substr(1);
    } else {
        m_out << '}';
    }
    m_out << '\n';
}

void JsonlWriter::reconcileLogs(std::shared_ptr<const logs::ServerLogs> logs,
                                logs::ReconcileOptions options) {
    m_logs = std::make_unique<logs::LogReconciler>(std::move(logs), options);
}

void JsonlWriter::onConnectionStart(const Connection& c) {
    line("connection_start", "connection", json::dump(json::connection(c)));
}

void JsonlWriter::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    if (anomaly) {
        line("anomaly", json::dump(json::anomaly(*anomaly)));
        return;
    }
    // The hot path (one line per frame and message): no DOM, one reused buffer.
    m_line.assign(R"({"type":"event")");
    const std::size_t brace = m_line.size();
    if (!m_origin) {
        m_origin = e.time.ns; // rel_ns counts from the run's first event (as in the JSON)
    }
    json::appendEvent(m_line, e, message, false, *m_origin);
    m_line[brace] = ','; // `{"type":"event"` + `{"time_ns":…}` → `{"type":"event","time_ns":…}`
    m_line += '\n';
    m_out.write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
}

void JsonlWriter::onConnectionEnd(const Connection& c) {
    line("connection_end", "connection", json::dump(json::connection(c)));
    m_story.add(c);
    if (m_logs) {
        m_logs->add(c);
    }
}

void JsonlWriter::onCaptureAnomaly(const Anomaly& a) {
    line("anomaly", json::dump(json::anomaly(a)));
}

void JsonlWriter::onFinish(const CaptureStats& stats) {
    if (m_logs) {
        const std::shared_ptr<const logs::ServerLogReport> r = m_logs->finish();
        m_logs.reset();
        for (const logs::LogMatch& m : r->matches) {
            if (m.connection != 0) {
                line("log_line", json::dump(json::logLine(*r, m)));
            }
        }
        line("logs", "logs", json::dump(json::logsSection(*r)));
    }
    line("story", "story", json::dump(json::story(m_story)));
    Json finish = json::stats(stats);
    finish["origin_ns"] = std::to_string(m_origin.value_or(stats.first.ns));
    line("finish", "stats", json::dump(finish));
    m_out.flush();
}

} // namespace wst
