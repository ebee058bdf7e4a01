// SPDX-License-Identifier: MIT
// HalfOpenTracker (tcp_half_open), fed segment by segment.
#include "decoder/analysis/deferred/half_open.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

constexpr Direction C2S = Direction::ClientToServer;
constexpr Direction S2C = Direction::ServerToClient;
constexpr std::int64_t kMs = 1'000'000;

struct Feed {
    HalfOpenTracker tracker;
    PacketNumber packet = 0;

    void segment(Direction d, std::int64_t atMs, std::uint32_t seq, std::uint32_t payload,
                 std::uint8_t flags = tcpflag::Ack) {
        TcpSegment s;
        s.seq = seq;
        s.flags = flags;
        s.payloadLengthOnWire = payload;
        tracker.onSegment(d, s, SegmentInfo{++packet, Timestamp{atMs * kMs}});
    }
};

TEST(HalfOpenTracker, FiresWhenThePeerFallsSilent) {
    Feed f;
    f.segment(S2C, 0, 500, 10); // the server was heard from
    f.segment(C2S, 100, 1000, 20);
    f.segment(C2S, 400, 1000, 20); // retransmission
    f.segment(C2S, 1200, 1000, 20);
    const Finding a = f.tracker.conclude(C2S, TcpEnd::Rst, 10);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::TcpHalfOpen);
    EXPECT_EQ(a->direction, S2C); // about the silent peer
    EXPECT_EQ(a->packet, 2u);     // the first unanswered segment
    EXPECT_EQ(a->streamOffset, 10u);
    EXPECT_NE(a->detail.find("sent 3 segments with data (2 retransmitted)"), std::string::npos)
        << a->detail;
    EXPECT_NE(a->detail.find("the client gave up (RST)"), std::string::npos) << a->detail;
    EXPECT_FALSE(f.tracker.conclude(S2C, TcpEnd::None, 0));
}

TEST(HalfOpenTracker, SilentWhenAnAckAnswers) {
    Feed f;
    f.segment(S2C, 0, 500, 10);
    f.segment(C2S, 100, 1000, 20);
    f.segment(C2S, 400, 1020, 20);
    f.segment(S2C, 500, 510, 0); // a bare ACK answers what came before
    f.segment(C2S, 1200, 1040, 20);
    EXPECT_FALSE(f.tracker.conclude(C2S, TcpEnd::None, 0));
}

TEST(HalfOpenTracker, SilentWithinASecondOrOnAOneDirectionCapture) {
    Feed quick;
    quick.segment(S2C, 0, 500, 10);
    for (int i = 0; i < 5; ++i) {
        quick.segment(C2S, 100 + i * 100, 1000, 20);
    }
    EXPECT_FALSE(quick.tracker.conclude(C2S, TcpEnd::None, 0));

    Feed oneWay; // the server never heard from: not a half-open connection
    for (int i = 0; i < 5; ++i) {
        oneWay.segment(C2S, i * 500, 1000 + i * 20, 20);
    }
    EXPECT_FALSE(oneWay.tracker.conclude(C2S, TcpEnd::None, 0));
}

TEST(HalfOpenTracker, RstAndEmptySegmentsAreNotUnansweredData) {
    Feed f;
    f.segment(S2C, 0, 500, 10);
    f.segment(C2S, 100, 1000, 0);
    f.segment(C2S, 600, 1000, 20, tcpflag::Rst);
    f.segment(C2S, 1200, 1000, 0);
    EXPECT_FALSE(f.tracker.conclude(C2S, TcpEnd::Rst, 0));
}

TEST(HalfOpenTracker, SwapFollowsTheRoles) {
    Feed f;
    f.segment(C2S, 0, 500, 10);
    f.segment(S2C, 100, 1000, 20);
    f.segment(S2C, 700, 1020, 20);
    f.segment(S2C, 1300, 1040, 20);
    f.tracker.swapDirections(); // the guessed server was the client
    const Finding a = f.tracker.conclude(C2S, TcpEnd::None, 0);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_NE(a->detail.find("until the capture ended"), std::string::npos) << a->detail;
    EXPECT_FALSE(f.tracker.conclude(S2C, TcpEnd::None, 0));
}

} // namespace
} // namespace wst
