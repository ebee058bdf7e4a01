// SPDX-License-Identifier: MIT
// CloseNotAnswered (ws_close_not_answered), fed Close and TCP end times directly.
#include "decoder/analysis/deferred/close_not_answered.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

constexpr Direction C2S = Direction::ClientToServer;
constexpr Direction S2C = Direction::ServerToClient;
constexpr std::int64_t kMs = 1'000'000;

struct Fixture {
    std::array<DirectionStats, 2> stats{};
    CloseNotAnswered p;

    void close(Direction d, std::int64_t ms, std::uint16_t code = 1000) {
        DirectionStats& s = stats[index(d)];
        s.sentClose = true;
        s.closeCode = code;
        s.closeTime = Timestamp{ms * kMs};
    }
    void end(Direction d, std::int64_t ms, PacketNumber packet, TcpEnd how = TcpEnd::Fin) {
        DirectionStats& s = stats[index(d)];
        s.tcpEnd = how;
        s.tcpEndTime = Timestamp{ms * kMs};
        p.onTcpEnd(d, packet);
    }
    Finding conclude(Direction first, std::int64_t lastMs) const {
        return p.conclude(first, stats, SegmentInfo{99, Timestamp{lastMs * kMs}});
    }
};

TEST(CloseNotAnswered, PeerClosedTcpWithoutReplying) {
    Fixture f;
    f.close(S2C, 100, 1001);
    f.end(C2S, 400, 7, TcpEnd::Rst);
    const Finding a = f.conclude(S2C, 500);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::WsCloseNotAnswered);
    EXPECT_EQ(a->direction, C2S); // the side that did not answer
    EXPECT_EQ(a->packet, 7u);
    EXPECT_EQ(a->time, Timestamp{400 * kMs});
    EXPECT_NE(a->detail.find("the client closed TCP (RST)"), std::string::npos) << a->detail;
    EXPECT_NE(a->detail.find("the server's Close 1001 without a Close reply"), std::string::npos)
        << a->detail;
}

TEST(CloseNotAnswered, SenderGaveUpWaiting) {
    Fixture f;
    f.close(C2S, 0);
    f.end(C2S, 30'000, 5);
    const Finding a = f.conclude(C2S, 31'000);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_EQ(a->packet, 5u);
    EXPECT_NE(a->detail.find("Node ws closeTimeout"), std::string::npos) << a->detail;
}

TEST(CloseNotAnswered, NoReplyUntilTheCaptureEnded) {
    Fixture f;
    f.close(C2S, 0);
    const Finding a = f.conclude(C2S, 6'000);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->packet, 99u);
    EXPECT_FALSE(f.conclude(C2S, 4'000)); // the reply could still come
}

TEST(CloseNotAnswered, SilentOnACompletedOrImpossibleReply) {
    Fixture answered;
    answered.close(C2S, 0);
    answered.close(S2C, 5);
    EXPECT_FALSE(answered.conclude(C2S, 10'000));

    Fixture peerGone; // the peer had closed TCP before the Close reached it
    peerGone.end(S2C, 0, 3);
    peerGone.close(C2S, 10);
    EXPECT_FALSE(peerGone.conclude(C2S, 10'000));

    Fixture noWait; // Close and FIN at once: no reply was awaited
    noWait.close(S2C, 100);
    noWait.end(S2C, 102, 4);
    EXPECT_FALSE(noWait.conclude(S2C, 10'000));
}

TEST(CloseNotAnswered, CloseTextNamesTheCode) {
    DirectionStats st;
    EXPECT_EQ(closeText(st), "Close");
    st.closeCode = 1000;
    EXPECT_EQ(closeText(st), "Close 1000");
}

} // namespace
} // namespace wst
