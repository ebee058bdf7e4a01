// SPDX-License-Identifier: MIT
#include "tests/golden/support.h"

#include "capture/source/open_capture_file.h"
#include "decoder/pipeline/pipeline.h"
#include "decoder/verdict/story.h"
#include "decoder/verdict/verdict.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

namespace wst::golden {

namespace fs = std::filesystem;

fs::path capturesDir() {
    const char* env = std::getenv("WST_CAPTURES_DIR");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(WST_CAPTURES_DIR);
}

std::vector<fs::path> listCaptures(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) {
        return out;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path expectPathFor(const fs::path& capture) {
    fs::path p = capture;
    p.replace_extension(".expect.json");
    return p;
}

std::vector<fs::path> serverLogPathsFor(const fs::path& capture) {
    std::vector<fs::path> found;
    for (const char* suffix :
         {".server.log", ".nginx-access.log", ".nginx-error.log", ".node.log"}) {
        fs::path p = capture;
        p.replace_extension(suffix);
        if (fs::exists(p)) {
            found.push_back(std::move(p));
        }
    }
    return found;
}

std::string runCapture(const fs::path& capture, TraceSink& sink, const Limits& limits) {
    // The CLI's and GUI's way in (issue 21: libpcap alone refused a pcapng with two link types
    // and the run ended with an empty trace).
    std::string error;
    auto source = openCaptureFile(capture.string(), error);
    if (!source) {
        return error;
    }
    Pipeline::Options options;
    options.limits = limits;
    Pipeline pipeline(*source, sink, std::move(options));
    return pipeline.run().error; // a capture that ends in damage fails the golden test
}

namespace {

Json frameCounts(const DirectionStats& s) {
    Json out = Json::object();
    for (std::size_t op = 0; op < s.framesByOpcode.size(); ++op) {
        if (s.framesByOpcode[op] != 0) {
            out[std::string(opcodeName(static_cast<std::uint8_t>(op)))] = s.framesByOpcode[op];
        }
    }
    return out;
}

Json idSet(const std::set<std::string>& ids) {
    Json out = Json::array();
    for (const std::string& id : ids) {
        out.push_back(id);
    }
    return out;
}

Json sortedSet(const Json& list) {
    std::set<std::string> ids;
    for (const Json& v : list) {
        ids.insert(v.get<std::string>());
    }
    return idSet(ids);
}

} // namespace

Json projection(const Trace& trace) {
    std::vector<std::set<std::string>> perConnection(trace.connections.size());
    std::set<std::string> captureLevel;
    for (const Anomaly& a : trace.anomalies) {
        const std::string name(anomalyName(a.id));
        if (a.connection == 0 || a.connection > perConnection.size()) {
            captureLevel.insert(name);
        } else {
            perConnection[a.connection - 1].insert(name);
        }
    }
    Json connections = Json::array();
    CaptureStory story;
    for (const Connection& c : trace.connections) {
        if (c.id == 0) {
            continue;
        }
        Json statuses = Json::array();
        for (const ResponseSummary& r : c.responses) {
            statuses.push_back(r.status);
        }
        // The verdict: the root cause and the ids attached under it (its own repeats left out).
        const Verdict& v = c.verdict;
        const std::vector<std::uint32_t>& mine = trace.anomaliesOf(c.id);
        std::set<std::string> consequences;
        for (std::size_t i = 0; i < mine.size() && i < v.causedBy.size(); ++i) {
            const AnomalyId id = trace.anomalies[mine[i]].id;
            if (v.rootCause && rootOf(v, i) == v.root && id != *v.rootCause) {
                consequences.insert(std::string(anomalyName(id)));
            }
        }
        connections.push_back(
            Json{{"client_port", c.client.port},
                 {"outcome", toString(c.outcome)},
                 {"statuses", std::move(statuses)},
                 {"frames", Json{{"c2s", frameCounts(c.stats[index(Direction::ClientToServer)])},
                                 {"s2c", frameCounts(c.stats[index(Direction::ServerToClient)])}}},
                 {"anomalies", idSet(perConnection[c.id - 1])},
                 {"root_cause", v.rootCause ? Json(anomalyName(*v.rootCause)) : Json(nullptr)},
                 {"consequences", idSet(consequences)},
                 {"client", std::string(toString(v.client.belief))},
                 {"server", std::string(toString(v.server.belief))}});
        if (c.h2stream) {
            // A WebSocket over HTTP/2 (RFC 8441): which stream carried it and how it ended.
            connections.back()["h2_stream"] =
                Json{{"stream_id", c.h2stream->streamId}, {"end", c.h2stream->end}};
        }
        story.add(c);
    }
    Json out{{"connections", std::move(connections)},
             {"capture_anomalies", idSet(captureLevel)},
             {"story", story.lines()}};
    if (trace.serverLogs) {
        out["server_log"] = serverLogProjection(*trace.serverLogs);
    }
    return out;
}

Json serverLogProjection(const logs::ServerLogReport& r) {
    // Counts by what a reviewer can check in the log and the capture: source, kind, how sure
    // the match is and its mark ("unmatched" for none).
    std::map<std::string, std::uint64_t> counts;
    Json marks = Json::array();
    for (const logs::LogMatch& m : r.matches) {
        const logs::LogLine& e = r.logs->entries[m.entry];
        std::string key =
            std::string(logs::toString(e.source)) + " " + std::string(logs::toString(e.kind));
        key += m.connection == 0 ? std::string(" unmatched")
                                 : " " + std::string(logs::toString(m.certainty)) + " " +
                                       std::string(logs::toString(m.mark));
        ++counts[key];
    }
    Json c = Json::object();
    for (const auto& [k, n] : counts) {
        c[k] = n;
    }
    const std::string_view basis = logs::toString(r.clock.basis);
    return Json{{"clock", basis}, {"matches", std::move(c)}, {"story", r.story}};
}

std::string normalise(Json& expected, Json& actual) {
    static const std::set<std::string> kTop = {
        "connections", "capture_anomalies", "story", "server_log", "note", "comment"};
    static const std::set<std::string> kConn = {
        "client_port",  "outcome", "statuses", "frames",    "anomalies", "root_cause",
        "consequences", "client",  "server",   "h2_stream", "note",      "comment"};
    // The verdict is part of every expected file (docs/golden-format.md).
    static const std::vector<std::string> kVerdict = {"root_cause", "consequences", "client",
                                                      "server"};
    if (!expected.is_object()) {
        return "the expected file is not a JSON object";
    }
    for (const auto& [key, value] : expected.items()) {
        if (!kTop.contains(key)) {
            return "unknown key '" + key + "'";
        }
    }
    expected.erase("note");
    expected.erase("comment");
    if (!expected.contains("connections") || !expected.contains("capture_anomalies") ||
        !expected.contains("story")) {
        return "'connections', 'capture_anomalies' and 'story' are required";
    }
    // A capture with a server log beside it has its reconciliation reviewed too.
    if (actual.contains("server_log") != expected.contains("server_log")) {
        return actual.contains("server_log")
                   ? "'server_log' is required: a server log lies beside the capture"
                   : "'server_log' given, but no server log lies beside the capture";
    }
    expected["capture_anomalies"] = sortedSet(expected["capture_anomalies"]);
    Json& conns = expected["connections"];
    for (std::size_t i = 0; i < conns.size(); ++i) {
        Json& c = conns[i];
        for (const auto& [key, value] : c.items()) {
            if (!kConn.contains(key)) {
                return "connection " + std::to_string(i + 1) + ": unknown key '" + key + "'";
            }
        }
        c.erase("note");
        c.erase("comment");
        for (const std::string& key : kVerdict) {
            if (!c.contains(key)) {
                return "connection " + std::to_string(i + 1) + ": '" + key + "' is required";
            }
        }
        if (c.contains("anomalies")) {
            c["anomalies"] = sortedSet(c["anomalies"]);
        }
        c["consequences"] = sortedSet(c["consequences"]);
        if (!c.contains("client_port") && i < actual["connections"].size()) {
            actual["connections"][i].erase("client_port");
        }
        // Bring the keys into the projection's order so the diff lines up.
        Json ordered = Json::object();
        for (const char* key : {"client_port", "outcome", "statuses", "frames", "anomalies",
                                "root_cause", "consequences", "client", "server", "h2_stream"}) {
            if (c.contains(key)) {
                ordered[key] = c[key];
            }
        }
        c = std::move(ordered);
    }
    return "";
}

namespace {

std::string setDifference(const Json& expected, const Json& actual) {
    std::set<std::string> want, got;
    for (const Json& v : expected) {
        want.insert(v.get<std::string>());
    }
    for (const Json& v : actual) {
        got.insert(v.get<std::string>());
    }
    std::string missing, unexpected;
    for (const std::string& id : want) {
        if (!got.contains(id)) {
            missing += (missing.empty() ? "" : ", ") + id;
        }
    }
    for (const std::string& id : got) {
        if (!want.contains(id)) {
            unexpected += (unexpected.empty() ? "" : ", ") + id;
        }
    }
    std::string out;
    if (!missing.empty()) {
        out += "missing [" + missing + "]";
    }
    if (!unexpected.empty()) {
        out += (out.empty() ? "" : ", ") + std::string("unexpected [") + unexpected + "]";
    }
    return out;
}

} // namespace

std::string describeDifferences(const Json& expected, const Json& actual) {
    std::string out;
    const Json& want = expected["connections"];
    const Json& got = actual["connections"];
    if (want.size() != got.size()) {
        out += "connections: expected " + std::to_string(want.size()) + ", found " +
               std::to_string(got.size()) + "\n";
    }
    for (std::size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
        const std::string name = "connection " + std::to_string(i + 1);
        for (const auto& [key, value] : want[i].items()) {
            if (!got[i].contains(key) || got[i][key] == value) {
                continue;
            }
            if (key == "anomalies" || key == "consequences") {
                out += name + ": " + key + ": " + setDifference(value, got[i][key]) + "\n";
            } else {
                out += name + ": " + key + ": expected " + value.dump() + ", found " +
                       got[i][key].dump() + "\n";
            }
        }
    }
    if (expected.value("server_log", Json()) != actual.value("server_log", Json())) {
        out += "server_log: expected " + expected.value("server_log", Json()).dump() + ", found " +
               actual.value("server_log", Json()).dump() + "\n";
    }
    if (expected["story"] != actual["story"]) {
        out += "story: expected " + expected["story"].dump() + ", found " + actual["story"].dump() +
               "\n";
    }
    if (expected["capture_anomalies"] != actual["capture_anomalies"]) {
        out += "capture_anomalies: " +
               setDifference(expected["capture_anomalies"], actual["capture_anomalies"]) + "\n";
    }
    return out;
}

std::string captureTestName(const std::filesystem::path& capture) {
    std::string name = capture.filename().string();
    for (char& c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
            c = '_';
        }
    }
    return name;
}

} // namespace wst::golden
