// SPDX-License-Identifier: MIT
#include "decoder/model/anomaly.h"

#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace wst {
namespace {

bool isSnakeCase(std::string_view s) {
    if (s.empty() || s.front() == '_' || s.back() == '_') {
        return false;
    }
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return s.find("__") == std::string_view::npos;
}

TEST(AnomalyCatalog, OneRowPerIdInEnumOrder) {
    const auto rows = anomalyCatalog();
    ASSERT_EQ(rows.size(), kAnomalyIdCount);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(static_cast<std::size_t>(rows[i].id), i) << rows[i].name;
        EXPECT_EQ(&anomalyInfo(rows[i].id), &rows[i]);
    }
}

TEST(AnomalyCatalog, NamesAreUniqueSnakeCaseWithFamilyPrefix) {
    static constexpr std::string_view kFamilies[] = {
        "capture_",  "tcp_",        "http_",   "ws_handshake_", "ws_frame_",
        "ws_close_", "ws_deflate_", "hijack_", "h2_",           "tls_"};
    std::set<std::string_view> seen;
    for (const AnomalyInfo& row : anomalyCatalog()) {
        EXPECT_TRUE(isSnakeCase(row.name)) << row.name;
        EXPECT_TRUE(seen.insert(row.name).second) << "duplicate " << row.name;
        int families = 0;
        for (std::string_view f : kFamilies) {
            families += row.name.starts_with(f) ? 1 : 0;
        }
        EXPECT_EQ(families, 1) << row.name;
    }
}

TEST(AnomalyCatalog, EveryRowHasItsText) {
    for (const AnomalyInfo& row : anomalyCatalog()) {
        EXPECT_FALSE(row.title.empty()) << row.name;
        EXPECT_FALSE(row.explanation.empty()) << row.name;
        EXPECT_FALSE(row.causes.empty()) << row.name;
        EXPECT_FALSE(row.hint.empty()) << row.name;
        EXPECT_NE(row.causes.back(), '\n') << row.name;
        EXPECT_EQ(row.causes.find("\n\n"), std::string_view::npos) << row.name;
        if (!row.rfc.empty()) {
            EXPECT_TRUE(row.rfc.starts_with("RFC ")) << row.name;
        }
    }
}

TEST(AnomalyCatalog, LikelyCausesAreTheLinesOfTheRow) {
    for (const AnomalyInfo& row : anomalyCatalog()) {
        std::string joined;
        for (std::string_view cause : likelyCauses(row)) {
            EXPECT_FALSE(cause.empty()) << row.name;
            EXPECT_EQ(cause.find('\n'), std::string_view::npos) << row.name;
            joined += joined.empty() ? "" : "\n";
            joined += cause;
        }
        EXPECT_EQ(joined, row.causes) << row.name;
    }
    AnomalyInfo row = anomalyInfo(AnomalyId::TcpGap);
    row.causes = "first\n\nsecond\n";
    EXPECT_EQ(likelyCauses(row), (std::vector<std::string_view>{"first", "second"}));
    row.causes = "";
    EXPECT_TRUE(likelyCauses(row).empty());
}

TEST(AnomalyCatalog, NameLookupRoundTrips) {
    for (const AnomalyInfo& row : anomalyCatalog()) {
        const auto id = anomalyFromName(row.name);
        ASSERT_TRUE(id.has_value()) << row.name;
        EXPECT_EQ(*id, row.id);
        EXPECT_EQ(anomalyName(row.id), row.name);
    }
    EXPECT_FALSE(anomalyFromName("no_such_anomaly").has_value());
    EXPECT_FALSE(anomalyFromName("").has_value());
    EXPECT_EQ(anomalyName(AnomalyId::Count_), "unknown");
}

TEST(AnomalyCatalog, SeverityNamesRoundTrip) {
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Error}) {
        EXPECT_EQ(severityFromName(toString(s)), s);
    }
    EXPECT_FALSE(severityFromName("fatal").has_value());
}

TEST(AnomalyCatalog, SeverityComesFromTheTable) {
    Anomaly a;
    a.id = AnomalyId::WsFrameResynced;
    EXPECT_EQ(a.severity(), Severity::Info);
    a.id = AnomalyId::HijackTwoResponses;
    EXPECT_EQ(a.severity(), Severity::Error);
    EXPECT_EQ(anomalyName(AnomalyId::HijackTwoResponses), "hijack_two_responses");
    EXPECT_EQ(anomalyName(AnomalyId::WsHandshakeWrongAccept), "ws_handshake_wrong_accept");
}

TEST(AnomalyCatalog, MarkdownListsEveryAnomaly) {
    const std::string md = anomalyCatalogMarkdown();
    for (const AnomalyInfo& row : anomalyCatalog()) {
        EXPECT_NE(md.find("\n### " + std::string(row.name) + "\n"), std::string::npos) << row.name;
    }
    EXPECT_EQ(md, anomalyCatalogMarkdown()) << "not deterministic";
}

// docs/anomalies.md is generated; regenerate with `cmake --build build --target
// update-anomaly-docs` after editing the catalog.
TEST(AnomalyDocs, CommittedFileIsCurrent) {
    std::ifstream in(WST_ANOMALY_DOCS, std::ios::binary);
    ASSERT_TRUE(in) << "missing " << WST_ANOMALY_DOCS;
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_TRUE(text.str() == anomalyCatalogMarkdown())
        << "docs/anomalies.md is stale: run `cmake --build build --target update-anomaly-docs`";
}

} // namespace
} // namespace wst
