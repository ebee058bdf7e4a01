// SPDX-License-Identifier: MIT
// UpgradeRefusal (http_upgrade_refused and its sharper diagnoses), fed answers directly.
#include "decoder/analysis/deferred/upgrade_refusal.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

const SegmentInfo kAt{6, Timestamp{5'000}};
const std::vector<std::string_view> kNoFailedChecks;

ResponseSummary answer(int status, std::string reason) {
    ResponseSummary r;
    r.status = status;
    r.reason = std::move(reason);
    return r;
}

TEST(UpgradeRefusal, ErrorAnswerIsRefusedAtItsBodyEnd) {
    const std::vector<ResponseSummary> responses{answer(403, "Forbidden")};
    UpgradeRefusal p;
    p.onAnswer(0, kAt, 210);
    EXPECT_TRUE(p.waiting());
    const auto found = p.resolve(responses, nullptr, kNoFailedChecks, false);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, AnomalyId::HttpUpgradeRefused);
    EXPECT_EQ(found[0].direction, Direction::ServerToClient);
    EXPECT_EQ(found[0].packet, 6u);
    EXPECT_EQ(found[0].streamOffset, 210u);
    EXPECT_FALSE(p.waiting());
    EXPECT_TRUE(p.resolve(responses, nullptr, kNoFailedChecks, true).empty()); // decided once
}

TEST(UpgradeRefusal, SharperDiagnosisComesWithTheRefusal) {
    ResponseSummary r = answer(426, "Upgrade Required");
    r.headers.push_back({"Sec-WebSocket-Version", "13"});
    RequestSummary request;
    request.version = "8";
    const std::vector<ResponseSummary> responses{r};
    UpgradeRefusal p;
    p.onAnswer(0, kAt, 210);
    const auto found = p.resolve(responses, &request, kNoFailedChecks, false);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].id, AnomalyId::HttpUpgradeRefused);
    EXPECT_EQ(found[1].id, AnomalyId::HttpVersionRejected);
}

TEST(UpgradeRefusal, A200WaitsForTheEndOfTheConnection) {
    const std::vector<ResponseSummary> responses{answer(200, "OK")};
    UpgradeRefusal p;
    p.onAnswer(0, kAt, 210);
    EXPECT_TRUE(p.resolve(responses, nullptr, kNoFailedChecks, false).empty());
    EXPECT_TRUE(p.waiting());
    const auto found = p.resolve(responses, nullptr, kNoFailedChecks, true);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, AnomalyId::HttpUpgradeIgnored);
}

TEST(UpgradeRefusal, SilentWhenSupersededOrNeverAnswered) {
    const std::vector<ResponseSummary> responses{answer(200, "OK")};
    UpgradeRefusal second;
    second.onAnswer(0, kAt, 210);
    second.supersede(); // a second head followed: hijack_two_responses, not a refusal
    EXPECT_TRUE(second.resolve(responses, nullptr, kNoFailedChecks, true).empty());
    UpgradeRefusal none;
    EXPECT_TRUE(none.resolve(responses, nullptr, kNoFailedChecks, true).empty());
}

} // namespace
} // namespace wst
