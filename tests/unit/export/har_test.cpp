// SPDX-License-Identifier: MIT
#include "decoder/export/har_writer.h"
#include "tests/unit/export/trace_fixture.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace wst {
namespace {

nlohmann::json harOf(const Trace& trace) {
    std::ostringstream out;
    writeHar(trace, out);
    return nlohmann::json::parse(out.str());
}

// Chrome DevTools' HAR importer (HARFormat.ts) throws on a non-number in these places.
void expectNumber(const nlohmann::json& j, const char* key) {
    ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_TRUE(j[key].is_number()) << key << " = " << j[key];
}

TEST(Har, EntryFollowsChromesImporterRules) {
    const nlohmann::json har = harOf(test::smallUpgradedTrace());
    EXPECT_EQ(har["log"]["version"], "1.2");
    EXPECT_EQ(har["log"]["creator"]["name"], "wstrace");
    ASSERT_EQ(har["log"]["entries"].size(), 1u);
    const nlohmann::json& entry = har["log"]["entries"][0];
    EXPECT_EQ(entry["_resourceType"], "websocket");
    EXPECT_EQ(entry["startedDateTime"], "2023-11-14T22:13:20.000Z");
    expectNumber(entry, "time");
    expectNumber(entry["request"], "headersSize");
    expectNumber(entry["request"], "bodySize");
    expectNumber(entry["response"], "status");
    expectNumber(entry["response"], "headersSize");
    expectNumber(entry["response"], "bodySize");
    expectNumber(entry["response"]["content"], "size");
    for (const char* t : {"send", "wait", "receive"})
        expectNumber(entry["timings"], t);
    EXPECT_EQ(entry["request"]["url"], "ws://127.0.0.2:8080/ws?room=1");
    EXPECT_EQ(entry["response"]["status"], 101);
    EXPECT_DOUBLE_EQ(entry["timings"]["wait"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(entry["timings"]["connect"].get<double>(), 0.05);
}

TEST(Har, MessagesHaveExactlyTheFourFieldsAndMatchTheTrace) {
    const Trace trace = test::smallUpgradedTrace();
    const nlohmann::json har = harOf(trace);
    nlohmann::json messages = nlohmann::json::array();
    for (const nlohmann::json& m : har["log"]["entries"][0]["_webSocketMessages"])
        if (m["type"] != "error")
            messages.push_back(m);
    ASSERT_EQ(messages.size(), 3u);
    for (const nlohmann::json& m : messages) {
        ASSERT_TRUE(m.is_object());
        EXPECT_EQ(m.size(), 4u) << m;
        EXPECT_TRUE(m["time"].is_number());
        EXPECT_TRUE(m["opcode"].is_number());
        EXPECT_TRUE(m["data"].is_string());
    }
    EXPECT_EQ(messages[0]["type"], "send");
    EXPECT_EQ(messages[0]["data"], "hello <server>");
    EXPECT_EQ(messages[1]["type"], "receive");
    EXPECT_EQ(messages[1]["opcode"], 1);
    EXPECT_EQ(messages[2]["opcode"], 2);
    EXPECT_EQ(messages[2]["data"], "AAEC/w=="); // binary goes as base64
    EXPECT_DOUBLE_EQ(messages[0]["time"].get<double>(), trace.messages[0].last.seconds());
}

TEST(Har, NonWebSocketConnectionsAreLeftOut) {
    Trace trace = test::smallUpgradedTrace();
    trace.connections[0].request->isUpgrade = false;
    trace.connections[0].outcome = Outcome::HttpOnly;
    EXPECT_TRUE(harOf(trace)["log"]["entries"].empty());
}

TEST(Har, FindingsGoInACustomKey) {
    const nlohmann::json entry = harOf(test::smallUpgradedTrace())["log"]["entries"][0];
    ASSERT_EQ(entry["_wstrace"]["anomalies"].size(), 1u);
    EXPECT_EQ(entry["_wstrace"]["anomalies"][0]["id"], "ws_frame_resynced");
    EXPECT_EQ(entry["_wstrace"]["anomalies"][0]["packet"], 6);
}

std::vector<nlohmann::json> errorFrames(const nlohmann::json& entry) {
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& m : entry["_webSocketMessages"])
        if (m["type"] == "error")
            out.push_back(m);
    return out;
}

TEST(Har, RootFindingsShowAsDevToolsErrorFrames) {
    const Trace trace = test::smallUpgradedTrace();
    const nlohmann::json entry = harOf(trace)["log"]["entries"][0];
    const auto errors = errorFrames(entry);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]["opcode"], -1); // Chrome's opcode for protocol errors
    const std::string text = errors[0]["data"];
    EXPECT_NE(text.find("ws_frame_resynced"), std::string::npos) << text;
    EXPECT_NE(text.find("(packet 6)"), std::string::npos) << text;
    // In time order among the messages.
    double last = 0;
    for (const nlohmann::json& m : entry["_webSocketMessages"]) {
        EXPECT_GE(m["time"].get<double>(), last);
        last = m["time"].get<double>();
    }
}

TEST(Har, CutAndIncompleteMessagesSaySo) {
    Trace trace = test::smallUpgradedTrace();
    trace.messages[0].length = 100000; // a prefix of 14 bytes kept
    trace.messages[1].complete = false;
    const auto errors = errorFrames(harOf(trace)["log"]["entries"][0]);
    std::string all;
    for (const nlohmann::json& e : errors)
        all += e["data"].get<std::string>() + "\n";
    EXPECT_NE(all.find("has 100000 bytes; only the first 14 are kept"), std::string::npos) << all;
    EXPECT_NE(all.find("incomplete"), std::string::npos) << all;
    EXPECT_EQ(harOf(trace)["log"]["entries"][0]["_wstrace"]["truncated"], 2);
}

TEST(Har, TimingsAreNonNegativeAndSumToTime) {
    const nlohmann::json entry = harOf(test::smallUpgradedTrace())["log"]["entries"][0];
    double sum = 0;
    for (const char* k : {"blocked", "dns", "connect", "send", "wait", "receive", "ssl"}) {
        const double v = entry["timings"][k].get<double>();
        EXPECT_TRUE(v >= 0 || v == -1) << k;
        if (v >= 0)
            sum += v;
    }
    for (const char* k : {"send", "wait", "receive"})
        EXPECT_GE(entry["timings"][k].get<double>(), 0) << k;
    EXPECT_DOUBLE_EQ(sum, entry["time"].get<double>());
    EXPECT_GT(entry["timings"]["receive"].get<double>(), 0); // the WebSocket session
}

TEST(Har, ConnectionIsTheServersPort) {
    const Trace trace = test::smallUpgradedTrace();
    const nlohmann::json entry = harOf(trace)["log"]["entries"][0];
    EXPECT_EQ(entry["connection"], std::to_string(trace.connections[0].server.port));
    EXPECT_NE(entry["connection"], std::to_string(trace.connections[0].client.port));
}

} // namespace
} // namespace wst
