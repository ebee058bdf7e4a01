// SPDX-License-Identifier: MIT
// UnansweredUpgrade (http_no_response), fed the request, the server's bytes and TCP ends.
#include "decoder/analysis/deferred/unanswered_upgrade.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

constexpr Direction C2S = Direction::ClientToServer;
constexpr Direction S2C = Direction::ServerToClient;
constexpr std::int64_t kS = 1'000'000'000;

SegmentInfo at(PacketNumber packet, std::int64_t seconds) {
    return {packet, Timestamp{seconds * kS}};
}

TEST(UnansweredUpgrade, ClientGivesUpAfterAKnownTimeout) {
    UnansweredUpgrade p;
    p.onRequest(at(3, 0), 0);
    EXPECT_TRUE(p.waiting());
    EXPECT_TRUE(p.serverSilent(0));
    const Finding a = p.onTcpEnd(C2S, false, at(9, 60), 0, 180, false);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::HttpNoResponse);
    EXPECT_EQ(a->direction, C2S);
    EXPECT_EQ(a->packet, 9u);
    EXPECT_EQ(a->streamOffset, 180u);
    EXPECT_NE(a->detail.find("client gave up (FIN) 60.000 s after the request"), std::string::npos)
        << a->detail;
    EXPECT_NE(a->detail.find("k6"), std::string::npos) << a->detail;
    EXPECT_FALSE(p.waiting());
}

TEST(UnansweredUpgrade, ServerCloseNamesEarlyClientData) {
    UnansweredUpgrade p;
    p.onRequest(at(3, 0), 0);
    const Finding a = p.onTcpEnd(S2C, true, at(5, 1), 0, 0, true);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_NE(a->detail.find("server RST"), std::string::npos) << a->detail;
    EXPECT_NE(a->detail.find("client sent data before handshake is complete"), std::string::npos)
        << a->detail;
}

TEST(UnansweredUpgrade, SaysWhatTheClientSentWhileItWaited) {
    constexpr std::string_view kSent = "the client sent 27 bytes while it waited: 1 complete frame";
    UnansweredUpgrade p;
    p.onRequest(at(3, 0), 0);
    const Finding a = p.onTcpEnd(S2C, false, at(5, 1), 0, 0, false, kSent);
    ASSERT_TRUE(a);
    EXPECT_NE(a->detail.find(kSent), std::string::npos) << a->detail;
    UnansweredUpgrade q;
    q.onRequest(at(3, 0), 0);
    const Finding b = q.conclude(at(20, 6), 0, 0, kSent);
    ASSERT_TRUE(b);
    EXPECT_NE(b->detail.find(kSent), std::string::npos) << b->detail;
    // Nothing sent: nothing said.
    UnansweredUpgrade r;
    r.onRequest(at(3, 0), 0);
    const Finding c = r.onTcpEnd(S2C, false, at(5, 1), 0, 0, false);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->detail.find("while it waited"), std::string::npos) << c->detail;
}

TEST(UnansweredUpgrade, StillWaitingWhenTheCaptureEnds) {
    UnansweredUpgrade p;
    p.onRequest(at(3, 0), 40);
    const Finding a = p.conclude(at(20, 6), 40, 40);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_EQ(a->packet, 20u);
    EXPECT_EQ(a->streamOffset, 40u);

    UnansweredUpgrade early;
    early.onRequest(at(3, 0), 40);
    EXPECT_FALSE(early.conclude(at(20, 4), 40, 40)); // a handshake may still be under way
}

TEST(UnansweredUpgrade, SilentOnceTheServerSpokeOrAnswered) {
    UnansweredUpgrade spoke;
    spoke.onRequest(at(3, 0), 0);
    EXPECT_FALSE(spoke.serverSilent(12));
    EXPECT_FALSE(spoke.onTcpEnd(C2S, false, at(9, 60), 12, 0, false));
    EXPECT_FALSE(spoke.conclude(at(10, 70), 12, 12));

    UnansweredUpgrade answered;
    answered.onRequest(at(3, 0), 0);
    answered.onAnswer();
    EXPECT_FALSE(answered.onTcpEnd(C2S, false, at(9, 60), 0, 0, false));

    UnansweredUpgrade lost; // the answer may be in the lost bytes
    lost.onRequest(at(3, 0), 0);
    lost.onServerGap();
    EXPECT_TRUE(lost.serverGap());
    EXPECT_FALSE(lost.serverSilent(0));
    EXPECT_FALSE(lost.conclude(at(10, 70), 0, 100));
}

} // namespace
} // namespace wst
