// SPDX-License-Identifier: MIT
// The writers on a trace made by the real pipeline: every format parses, and its counts equal
// the generator's ground truth and the Trace.
#include "decoder/export/csv_writer.h"
#include "decoder/export/har_writer.h"
#include "decoder/export/json_writer.h"
#include "decoder/export/jsonl_writer.h"
#include "decoder/export/text_summary.h"
#include "decoder/model/sink_fanout.h"
#include "tests/unit/export/pipeline_fixture.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

using namespace wst;
using nlohmann::json;

namespace {

struct Written {
    Trace store;
    std::string json, jsonl, csvFrames, csvMessages, text;
    std::size_t textOpenAtEnd = 0;
};

const Written& written() {
    static const Written w = [] {
        Written out;
        std::ostringstream jsonl, frames, messages, text, doc;
        JsonlWriter jsonlWriter(jsonl, "load.pcap");
        CsvWriter frameWriter(frames, CsvWriter::Rows::Frames);
        CsvWriter messageWriter(messages, CsvWriter::Rows::Messages);
        TextSummaryWriter textWriter(text, "load.pcap");
        FanoutSink all{&out.store, &jsonlWriter, &frameWriter, &messageWriter, &textWriter};
        test::runPipeline(test::generatedCapture().pcap, all);
        writeJson(out.store, doc);
        out.json = doc.str();
        out.jsonl = jsonl.str();
        out.csvFrames = frames.str();
        out.csvMessages = messages.str();
        out.text = text.str();
        out.textOpenAtEnd = textWriter.openConnections();
        return out;
    }();
    return w;
}

std::uint64_t truthTotal(const char* field) {
    return test::generatedCapture().truth["totals"][field].get<std::uint64_t>();
}

/// RFC 4180 records: fields split on commas outside quotes, "" inside quotes is one quote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                rows.back().back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                rows.back().back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            rows.emplace_back(1);
        } else {
            rows.back().back() += c;
        }
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) {
        rows.pop_back();
    }
    return rows;
}

TEST(JsonWriter, DocumentMatchesTheTraceAndTheGroundTruth) {
    const Written& w = written();
    const json doc = json::parse(w.json);
    EXPECT_EQ(doc["schema"], "wstrace.trace/2");
    ASSERT_EQ(doc["captures"].size(), 1u);
    const json& run = doc["captures"][0];
    EXPECT_EQ(run["connections"].size(), w.store.connections.size());
    EXPECT_EQ(run["events"].size(), w.store.events.size());
    EXPECT_EQ(run["messages"].size(), w.store.messages.size());
    EXPECT_EQ(run["stats"]["packets"], w.store.stats.packets);

    // Per connection and direction, the frame counts by opcode equal the generator's.
    const json& truth = test::generatedCapture().truth["connections"];
    ASSERT_EQ(truth.size(), run["connections"].size());
    std::map<std::string, const json*> byClient;
    for (const json& c : run["connections"]) {
        byClient[c["client"].get<std::string>()] = &c;
    }
    for (const json& t : truth) {
        const auto it = byClient.find(t["client"].get<std::string>());
        ASSERT_NE(it, byClient.end()) << t["client"];
        EXPECT_EQ((*it->second)["outcome"], "upgraded");
        for (const char* d : {"c2s", "s2c"}) {
            EXPECT_EQ((*it->second)[d]["frames_by_opcode"], t[d]["framesByOpcode"])
                << t["client"] << " " << d;
        }
    }

    // Events refer to messages by index; every index is in range and the kinds agree.
    for (const json& e : run["events"]) {
        if (e.contains("message")) {
            ASSERT_LT(e["message"].get<std::size_t>(), run["messages"].size());
        }
    }
}

TEST(JsonlWriter, OneObjectPerLineInCaptureOrder) {
    const Written& w = written();
    std::istringstream lines(w.jsonl);
    std::string line;
    std::vector<json> objects;
    while (std::getline(lines, line)) {
        objects.push_back(json::parse(line)); // throws (fails) on a malformed line
    }
    ASSERT_GE(objects.size(), 2u);
    EXPECT_EQ(objects.front()["type"], "run");
    EXPECT_EQ(objects.front()["schema"], "wstrace.lines/2");
    EXPECT_EQ(objects.back()["type"], "finish");
    std::map<std::string, std::uint64_t> types;
    std::uint64_t frames = 0;
    for (const json& o : objects) {
        ++types[o["type"].get<std::string>()];
        if (o["type"] == "event" && o["kind"] == "ws_frame") {
            ++frames;
        }
    }
    EXPECT_EQ(frames, truthTotal("frames"));
    EXPECT_EQ(types["connection_start"], w.store.connections.size());
    EXPECT_EQ(types["connection_end"], w.store.connections.size());
    // Every event is a line ("anomaly" for anomaly events), and so is each capture anomaly.
    std::size_t anomalyEvents = 0;
    for (const Event& e : w.store.events) {
        anomalyEvents += e.kind == EventKind::Anomaly ? 1 : 0;
    }
    const std::size_t captureAnomalies = w.store.anomalies.size() - anomalyEvents;
    EXPECT_EQ(types["event"] + types["anomaly"], w.store.events.size() + captureAnomalies);
}

TEST(CsvWriter, OneRowPerFrame) {
    const auto rows = parseCsv(written().csvFrames);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0][0], "connection");
    EXPECT_EQ(rows.size() - 1, truthTotal("frames"));
    for (const auto& r : rows) {
        EXPECT_EQ(r.size(), rows[0].size());
    }
}

TEST(CsvWriter, OneRowPerMessageWithQuotedPayloads) {
    const Written& w = written();
    const auto rows = parseCsv(w.csvMessages);
    ASSERT_FALSE(rows.empty());
    // Data messages and control frames (close, ping, pong), as the JSON's messages have them.
    const auto isRow = [](const Event& e) {
        return (e.kind == EventKind::WsMessage ||
                (e.kind == EventKind::WsFrame && e.opcode >= 0x8)) &&
               e.ref != Event::kNoRef;
    };
    std::size_t messageEvents = 0, controlEvents = 0;
    for (const Event& e : w.store.events) {
        messageEvents += isRow(e);
        controlEvents += isRow(e) && e.kind == EventKind::WsFrame;
    }
    EXPECT_GT(controlEvents, 0u);
    EXPECT_EQ(rows.size() - 1, messageEvents);
    ASSERT_GT(rows.size(), 1u);
    const auto column = [&](std::string_view name) {
        const auto it = std::find(rows[0].begin(), rows[0].end(), name);
        EXPECT_NE(it, rows[0].end()) << name;
        return static_cast<std::size_t>(it - rows[0].begin());
    };
    const std::size_t payloadColumn = column("payload");
    const std::size_t encodingColumn = column("payload_encoding");
    const std::size_t truncatedColumn = column("payload_truncated");
    const std::size_t closeColumn = column("close_code");
    const std::size_t opcodeColumn = column("opcode");
    const std::size_t relColumn = column("first_rel_ns");
    // The generator's chat messages are JSON text: commas and quotes that must survive.
    bool sawQuotedText = false, sawClose = false;
    std::size_t row = 1;
    for (const Event& e : w.store.events) {
        if (!isRow(e)) {
            continue;
        }
        ASSERT_EQ(rows[row].size(), rows[0].size()) << "row " << row;
        const Message& m = w.store.messages[e.ref];
        EXPECT_EQ(rows[row][opcodeColumn], opcodeName(m.opcode));
        EXPECT_EQ(rows[row][truncatedColumn], m.payload.size() < m.length ? "1" : "0");
        EXPECT_EQ(rows[row][relColumn],
                  std::to_string(m.first.ns - w.store.events.front().time.ns));
        if (m.opcode == 0x8 && m.payload.size() >= 2) {
            const int code = (static_cast<unsigned char>(m.payload[0]) << 8) |
                             static_cast<unsigned char>(m.payload[1]);
            EXPECT_EQ(rows[row][closeColumn], std::to_string(code));
            sawClose = true;
        } else {
            EXPECT_EQ(rows[row][closeColumn], "");
        }
        if (rows[row][encodingColumn] == "text") {
            EXPECT_EQ(rows[row][payloadColumn], m.payload);
            sawQuotedText |= m.payload.find_first_of(",\"") != std::string::npos;
        }
        ++row;
    }
    EXPECT_TRUE(sawQuotedText);
    EXPECT_TRUE(sawClose);
}

TEST(CsvWriter, QuotesExactlyAsRfc4180Says) {
    EXPECT_EQ(CsvWriter::quote("plain"), "plain");
    EXPECT_EQ(CsvWriter::quote(""), "");
    EXPECT_EQ(CsvWriter::quote("a,b"), "\"a,b\"");
    EXPECT_EQ(CsvWriter::quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(CsvWriter::quote("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(CsvWriter::quote("cr\r"), "\"cr\r\"");
}

TEST(TextSummary, EveryConnectionAndTheTotals) {
    const Written& w = written();
    EXPECT_EQ(w.text.rfind("== load.pcap\n", 0), 0u);
    for (const Connection& c : w.store.connections) {
        EXPECT_NE(w.text.find("\n#" + std::to_string(c.id) + "  " + c.client.toString()),
                  std::string::npos)
            << c.id;
    }
    EXPECT_NE(w.text.find(std::to_string(w.store.connections.size()) + " connections: " +
                          std::to_string(w.store.connections.size()) + " upgraded"),
              std::string::npos)
        << w.text;
    // Per-connection state is released when each connection ends.
    EXPECT_EQ(w.textOpenAtEnd, 0u);
}

// The HAR entry carries the response the client acted on (what DevTools shows as the
// status), on the real captures of both orders; every head stays in _wstrace.responses.
TEST(Har, EntryShowsTheResponseTheClientActedOn) {
    struct Case {
        const char* capture;
        int shown;
        int other;
    };
    for (const Case k :
         {Case{"gin-200-then-101.pcapng", 200, 101}, Case{"raw-101-then-http.pcapng", 101, 400}}) {
        Trace trace;
        test::runPipeline(std::filesystem::path(WST_CAPTURES_DIR) / k.capture, trace);
        std::ostringstream out;
        writeHar(trace, out);
        const json har = json::parse(out.str());
        ASSERT_EQ(har["log"]["entries"].size(), 1u) << k.capture;
        const json& entry = har["log"]["entries"][0];
        EXPECT_EQ(entry["response"]["status"], k.shown) << k.capture;
        const json& heads = entry["_wstrace"]["responses"];
        ASSERT_EQ(heads.size(), 2u) << k.capture;
        EXPECT_EQ(heads[0]["status"], k.shown);
        EXPECT_EQ(heads[0]["actedOn"], true);
        EXPECT_EQ(heads[1]["status"], k.other);
        EXPECT_EQ(heads[1]["actedOn"], false);
    }
}

} // namespace
