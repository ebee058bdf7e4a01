// SPDX-License-Identifier: MIT
// reviewHandshake: the validator's checks re-run on the captured summaries, plus the
// connection-level ones, as the GUI's handshake panel and the HTML report show them.
#include "decoder/http/handshake_review.h"
#include "tests/unit/export/trace_fixture.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

const HandshakeCheck* find(const std::vector<HandshakeCheck>& checks, std::string_view name) {
    for (const HandshakeCheck& c : checks)
        if (c.name == name)
            return &c;
    return nullptr;
}

TEST(HandshakeReview, CleanHandshakePassesEveryCheck) {
    const Trace trace = test::smallUpgradedTrace();
    const auto checks = reviewHandshake(trace.connections[0], {});
    ASSERT_FALSE(checks.empty());
    for (const HandshakeCheck& c : checks)
        EXPECT_NE(c.result, CheckResult::Failed) << c.name << ": " << c.detail;
    const HandshakeCheck* accept = find(checks, "Sec-WebSocket-Accept");
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->result, CheckResult::Passed);
    EXPECT_EQ(accept->found, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 §1.3
}

TEST(HandshakeReview, TwoFinalResponsesFailSingleResponse) {
    Trace trace = test::smallUpgradedTrace();
    Connection c = trace.connections[0];
    ResponseSummary ok200;
    ok200.status = 200;
    ok200.reason = "OK";
    ok200.httpVersion = "HTTP/1.1";
    ok200.headers = {{"Transfer-Encoding", "chunked"}};
    c.responses.insert(c.responses.begin(), ok200);
    const auto checks = reviewHandshake(c, {});
    const HandshakeCheck* single = find(checks, "Single response");
    ASSERT_NE(single, nullptr);
    EXPECT_EQ(single->result, CheckResult::Failed);
    EXPECT_EQ(single->anomaly, AnomalyId::HijackTwoResponses);
    EXPECT_EQ(single->found, "200, 101");
    // The answer checked is the one the client acted on, the 200: the Status check says what
    // the client got (never "passed 101"), and the 101's own header checks do not apply.
    const HandshakeCheck* status = find(checks, "Status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->result, CheckResult::Failed);
    EXPECT_EQ(status->found, "200 OK");
    EXPECT_EQ(find(checks, "Sec-WebSocket-Accept"), nullptr);
}

TEST(HandshakeReview, InterimThen101ChecksThe101) {
    Trace trace = test::smallUpgradedTrace();
    Connection c = trace.connections[0];
    ResponseSummary early;
    early.status = 103;
    early.reason = "Early Hints";
    early.httpVersion = "HTTP/1.1";
    c.responses.insert(c.responses.begin(), early);
    const auto checks = reviewHandshake(c, {});
    EXPECT_EQ(find(checks, "Status")->result, CheckResult::Passed);
    EXPECT_EQ(find(checks, "Sec-WebSocket-Accept")->result, CheckResult::Passed);
}

TEST(HandshakeReview, InterimResponsesAreNotASecondAnswer) {
    Trace trace = test::smallUpgradedTrace();
    Connection c = trace.connections[0];
    ResponseSummary early;
    early.status = 100;
    early.reason = "Continue";
    early.httpVersion = "HTTP/1.1";
    c.responses.insert(c.responses.begin(), early);
    EXPECT_EQ(find(reviewHandshake(c, {}), "Single response")->result, CheckResult::Passed);
}

TEST(HandshakeReview, EarlyClientDataAndMissingKey) {
    Trace trace = test::smallUpgradedTrace();
    Connection c = trace.connections[0];
    std::erase_if(c.request->headers,
                  [](const Header& h) { return h.name == "Sec-WebSocket-Key"; });
    const auto checks = reviewHandshake(c, {AnomalyId::WsHandshakeEarlyClientData});
    EXPECT_EQ(find(checks, "No data before the 101")->result, CheckResult::Failed);
    const HandshakeCheck* key = find(checks, "Sec-WebSocket-Key");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->result, CheckResult::Failed);
    EXPECT_EQ(key->anomaly, AnomalyId::WsHandshakeMissingKey);
}

TEST(HandshakeReview, NoRequestNoChecks) {
    Trace trace = test::smallUpgradedTrace();
    Connection c = trace.connections[0];
    c.request.reset();
    EXPECT_TRUE(reviewHandshake(c, {}).empty());
}

} // namespace
} // namespace wst
