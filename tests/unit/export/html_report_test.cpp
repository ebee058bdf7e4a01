// SPDX-License-Identifier: MIT
#include "decoder/export/html_report.h"
#include "decoder/export/svg_ladder.h"
#include "tests/unit/export/trace_fixture.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sstream>

namespace wst {
namespace {

std::string reportOf(const Trace& trace) {
    std::ostringstream out;
    writeHtmlReport(trace, out);
    return out.str();
}

TEST(HtmlReport, HasNoExternalResources) {
    const std::string html = reportOf(test::smallUpgradedTrace());
    // The only URL allowed is the SVG namespace name, which is never fetched.
    const std::string ns = "xmlns=\"http://www.w3.org/2000/svg\"";
    std::string scrubbed = html;
    for (auto at = scrubbed.find(ns); at != std::string::npos; at = scrubbed.find(ns, at)) {
        scrubbed.erase(at, ns.size());
    }
    EXPECT_EQ(scrubbed.find("http://"), std::string::npos);
    EXPECT_EQ(scrubbed.find("https://"), std::string::npos);
    EXPECT_EQ(scrubbed.find("<script"), std::string::npos);
    EXPECT_EQ(scrubbed.find("<link"), std::string::npos);
    EXPECT_EQ(scrubbed.find("url(http"), std::string::npos);
}

TEST(HtmlReport, EscapesCapturedText) {
    Trace trace = test::smallUpgradedTrace();
    trace.connections[0].request->target = "/<script>alert(1)</script>";
    const std::string html = reportOf(trace);
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert"), std::string::npos);
}

TEST(HtmlReport, ShowsConnectionChecksAndAnomalyExplanation) {
    const std::string html = reportOf(test::smallUpgradedTrace());
    EXPECT_NE(html.find("id=\"c1\""), std::string::npos);
    EXPECT_NE(html.find("Sec-WebSocket-Accept"), std::string::npos);
    // The Accept check is the validator's: recomputed from the key, shown as expected/found.
    EXPECT_NE(html.find("<td class=\"pass\">passed</td><td class=\"mono\">"
                        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=</td>"),
              std::string::npos);
    EXPECT_NE(html.find("ws_frame_resynced"), std::string::npos);
    EXPECT_NE(html.find(std::string(anomalyInfo(AnomalyId::WsFrameResynced).title)),
              std::string::npos);
}

TEST(HtmlReport, AWrongAcceptFailsItsCheck) {
    Trace trace = test::smallUpgradedTrace();
    for (Header& h : trace.connections[0].responses[0].headers)
        if (h.name == "Sec-WebSocket-Accept")
            h.value = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const std::string html = reportOf(trace);
    EXPECT_NE(html.find("<td>Sec-WebSocket-Accept</td><td class=\"fail\">failed</td>"),
              std::string::npos);
}

TEST(HtmlReport, ConnectionTableNamesTheFindingIds) {
    const std::string html = reportOf(test::smallUpgradedTrace());
    const std::size_t table = html.find("<h2>Connections</h2>");
    ASSERT_NE(table, std::string::npos);
    const std::size_t end = html.find("</table>", table);
    EXPECT_NE(html.substr(table, end - table).find("<code>ws_frame_resynced</code>"),
              std::string::npos);
}

TEST(HtmlReport, PrintLetsLongSectionsBreakButKeepsHeadingsWithTheirContent) {
    const std::string html = reportOf(test::smallUpgradedTrace());
    // A section longer than a page may not be kept whole (that left pages three quarters empty).
    EXPECT_EQ(html.find(".conn{page-break-inside:avoid"), std::string::npos);
    EXPECT_NE(html.find("h1,h2,h3{break-after:avoid"), std::string::npos);
}

TEST(SvgLadder, EveryRowShowsItsPacketNumber) {
    const Trace trace = test::smallUpgradedTrace();
    const std::string svg = ladderSvg(trace, trace.connections[0]);
    for (std::uint32_t i : trace.eventsOf(1)) {
        const Event& e = trace.events[i];
        if (e.packet != 0 && e.kind != EventKind::Anomaly && e.kind != EventKind::WsFrame)
            EXPECT_NE(svg.find(fmt::format("class=\"pkt\">#{}<", e.packet)), std::string::npos)
                << "packet " << e.packet;
    }
}

TEST(SvgLadder, OneArrowPerDrawnEventAndAnomalyMarker) {
    const Trace trace = test::smallUpgradedTrace();
    const std::string svg = ladderSvg(trace, trace.connections[0]);
    // SYN, SYN-ACK, request, 101, 3 messages, ping, Close, FIN: 10 arrows; the upgrade is a band
    // (a tenth row without an arrow).
    std::size_t arrows = 0;
    for (std::size_t pos = 0; (pos = svg.find("marker-end=", pos)) != std::string::npos; ++pos)
        ++arrows;
    EXPECT_EQ(arrows, 10u);
    EXPECT_NE(svg.find("ping 4 B"), std::string::npos);
    EXPECT_NE(svg.find("switched to WebSocket"), std::string::npos);
    EXPECT_NE(svg.find("Close 1000"), std::string::npos);
    EXPECT_NE(svg.find("ws_frame_resynced"), std::string::npos); // the marker's tooltip
    EXPECT_NE(svg.find("<circle"), std::string::npos);
}

TEST(SvgLadder, CapsRowsAndSaysHowManyAreHidden) {
    const Trace trace = test::smallUpgradedTrace();
    const std::string svg = ladderSvg(trace, trace.connections[0], {.maxRows = 3});
    EXPECT_NE(svg.find("… 8 more events not drawn"), std::string::npos);
}

} // namespace
} // namespace wst
