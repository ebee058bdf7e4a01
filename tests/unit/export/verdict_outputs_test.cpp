// SPDX-License-Identifier: MIT
// One verdict everywhere (docs/verdicts.md): the HTML report and the HAR tell the verdict and
// the story the analysis decided, on real captures, never a verdict of their own.
#include "decoder/export/encoding.h"
#include "decoder/export/har_writer.h"
#include "decoder/export/html_report.h"
#include "decoder/export/json_writer.h"
#include "decoder/verdict/story.h"
#include "tests/unit/export/pipeline_fixture.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace wst {
namespace {

using nlohmann::json;

Trace traceOf(const char* capture) {
    Trace trace;
    test::runPipeline(std::filesystem::path(WST_CAPTURES_DIR) / capture, trace);
    return trace;
}

std::string reportOf(const Trace& trace) {
    std::ostringstream out;
    writeHtmlReport(trace, out);
    return out.str();
}

json harOf(const Trace& trace) {
    std::ostringstream out;
    writeHar(trace, out);
    return json::parse(out.str());
}

// The story comes first, with the group's label, count, linked connections, why and what to
// do; then each connection opens with its headline and both peers' views.
TEST(HtmlReport, TellsTheStoryAndEachVerdict) {
    const Trace trace = traceOf("gin-200-then-101.pcapng");
    ASSERT_EQ(trace.connections.size(), 1u);
    const Connection& c = trace.connections[0];
    ASSERT_TRUE(c.finished);
    ASSERT_EQ(c.verdict.rootCause, AnomalyId::HijackTwoResponses);
    const std::string html = reportOf(trace);

    const auto story = html.find("<h2>Verdict</h2>");
    const auto table = html.find("<h2>Connections</h2>");
    ASSERT_NE(story, std::string::npos);
    EXPECT_LT(story, table);
    EXPECT_NE(html.find("1 connection: 1 with a problem, 1 group"), std::string::npos);
    const std::string label = "failed: Two HTTP responses to one upgrade request";
    const auto group = html.find(label, story);
    ASSERT_LT(group, table);
    EXPECT_LT(html.find("<a href=\"#c1\">#1</a>", group), table);
    const AnomalyInfo& info = anomalyInfo(AnomalyId::HijackTwoResponses);
    EXPECT_LT(html.find(htmlEscape(info.hint), group), table);
    EXPECT_LT(html.find(htmlEscape(info.explanation), group), table);

    // The connection table names the root cause.
    EXPECT_NE(html.find("<td><code>hijack_two_responses</code></td></tr>", table),
              std::string::npos);

    // The section opens with the verdict: headline, then what each peer believed.
    const auto section = html.find("id=\"c1\"");
    ASSERT_NE(section, std::string::npos);
    const auto headline = html.find(c.verdict.headline, section);
    const auto handshake = html.find("<h3>Handshake</h3>", section);
    EXPECT_LT(headline, handshake);
    EXPECT_LT(html.find("<th>client</th><td>no WebSocket: " + c.verdict.client.story, section),
              handshake);
    EXPECT_LT(html.find("<th>server</th><td>WebSocket: " + c.verdict.server.story, section),
              handshake);
}

// Findings nest under their root cause (Verdict::causedBy): the consequence's block opens
// inside the root's, which is marked.
TEST(HtmlReport, NestsFindingsUnderTheirRootCause) {
    const std::string html = reportOf(traceOf("gin-200-then-101.pcapng"));
    const auto anomalies = html.find("<h3>Anomalies</h3>");
    ASSERT_NE(anomalies, std::string::npos);
    const auto root = html.find("<code>hijack_two_responses</code>", anomalies);
    const auto consequence = html.find("<code>http_body_malformed</code>", anomalies);
    ASSERT_NE(root, std::string::npos);
    ASSERT_NE(consequence, std::string::npos);
    EXPECT_LT(root, consequence); // the root first, although it was found second
    EXPECT_NE(html.find("root cause</span>", root), std::string::npos);
    EXPECT_LT(html.find("root cause</span>", root), consequence);
    // No block closes between the root's and the consequence's: it is nested.
    EXPECT_GT(html.find("</div>", root), consequence);
}

// The handshake check says what the client got: after "200 then 101" it acted on the 200.
TEST(HtmlReport, StatusCheckIsTheResponseTheClientActedOn) {
    const std::string html = reportOf(traceOf("gin-200-then-101.pcapng"));
    EXPECT_NE(html.find("<tr><td>Status</td><td class=\"fail\">failed</td><td class=\"mono\">101"
                        "</td><td class=\"mono\">200 OK</td></tr>"),
              std::string::npos);
    EXPECT_EQ(html.find("<td>Status</td><td class=\"pass\">"), std::string::npos);
    EXPECT_NE(html.find("response (not acted on by the client)"), std::string::npos);
}

// The story's server-log remark appears once, with its count, not per connection.
TEST(HtmlReport, AccessLogLineOnce) {
    const Trace trace = traceOf("gin-write-after-upgrade.pcapng");
    CaptureStory story;
    for (const Connection& c : trace.connections) {
        story.add(c);
    }
    // gorilla's 101 bytes are node ws' too and nothing later tells them apart: "if gin".
    ASSERT_NE(story.accessLogMayShow200(), 0u);
    ASSERT_EQ(story.serverLogLines().size(), 1u);
    const std::string html = reportOf(trace);
    const std::string line = htmlEscape(story.serverLogLines().front());
    const auto at = html.find(line);
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(html.find(line, at + 1), std::string::npos);
    EXPECT_LT(at, html.find("<h2>Connections</h2>"));
}

// _wstrace carries the verdict as the JSON tells it; where it found a problem, DevTools'
// Status column says so, and the HAR's required fields keep their types.
TEST(Har, EntryCarriesTheVerdict) {
    const Trace trace = traceOf("gin-200-then-101.pcapng");
    const Connection& c = trace.connections[0];
    const json entry = harOf(trace)["log"]["entries"][0];
    const json& v = entry["_wstrace"]["verdict"];
    EXPECT_EQ(v["headline"], c.verdict.headline);
    EXPECT_EQ(v["client"]["belief"], "not_upgraded");
    EXPECT_EQ(v["client"]["story"], c.verdict.client.story);
    EXPECT_EQ(v["server"]["belief"], "upgraded");
    EXPECT_EQ(v["server"]["story"], c.verdict.server.story);
    EXPECT_EQ(v["root_cause"], "hijack_two_responses");
    EXPECT_EQ(v["what_to_do"], c.verdict.whatToDo);
    EXPECT_FALSE(c.verdict.whatToDo.empty());
    // root and caused_by index _wstrace.anomalies.
    const json& findings = entry["_wstrace"]["anomalies"];
    ASSERT_TRUE(v["root"].is_number());
    EXPECT_EQ(findings[v["root"].get<std::size_t>()]["id"], "hijack_two_responses");
    ASSERT_EQ(v["caused_by"].size(), findings.size());

    const json& response = entry["response"];
    EXPECT_EQ(response["status"], 200);
    ASSERT_TRUE(response["statusText"].is_string());
    EXPECT_EQ(response["statusText"], "OK — wstrace: " + c.verdict.headline);
    EXPECT_EQ(response["comment"], c.verdict.headline);
    EXPECT_TRUE(response["headers"].is_array());
    EXPECT_TRUE(response["headersSize"].is_number());
    EXPECT_TRUE(response["bodySize"].is_number());
}

TEST(Har, HealthyEntryKeepsTheWireReason) {
    const Trace trace = traceOf("gin-healthy-echo.pcap");
    const json har = harOf(trace);
    ASSERT_FALSE(har["log"]["entries"].empty());
    for (const json& entry : har["log"]["entries"]) {
        const json& v = entry["_wstrace"]["verdict"];
        EXPECT_TRUE(v["root_cause"].is_null());
        EXPECT_EQ(entry["response"]["statusText"], "Switching Protocols");
        EXPECT_FALSE(entry["response"].contains("comment"));
    }
}

// The same headline in the JSON, the HAR and the HTML report, for every capture's connections.
TEST(VerdictOutputs, SameHeadlineEverywhere) {
    for (const char* capture : {"gin-200-then-101.pcapng", "nginx-proxy-no-upgrade-headers.pcapng",
                                "gin-missing-headers-400.pcap", "raw-101-then-http.pcapng"}) {
        const Trace trace = traceOf(capture);
        std::ostringstream out;
        writeJson(trace, out);
        const json doc = json::parse(out.str());
        const json har = harOf(trace);
        const std::string html = reportOf(trace);
        const json& conns = doc["captures"][0]["connections"];
        ASSERT_EQ(conns.size(), trace.connections.size()) << capture;
        std::size_t entry = 0;
        for (std::size_t i = 0; i < trace.connections.size(); ++i) {
            const Connection& c = trace.connections[i];
            EXPECT_EQ(conns[i]["verdict"]["headline"], c.verdict.headline) << capture;
            EXPECT_NE(html.find(htmlEscape(c.verdict.headline)), std::string::npos) << capture;
            if (c.request && c.request->isUpgrade) {
                EXPECT_EQ(har["log"]["entries"][entry++]["_wstrace"]["verdict"]["headline"],
                          c.verdict.headline)
                    << capture;
            }
        }
    }
}

} // namespace
} // namespace wst
