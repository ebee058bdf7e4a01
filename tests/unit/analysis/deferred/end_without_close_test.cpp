// SPDX-License-Identifier: MIT
// EndWithoutClose (ws_close_missing, ws_close_idle_timeout), fed TCP ends directly.
#include "decoder/analysis/deferred/end_without_close.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

constexpr Direction C2S = Direction::ClientToServer;
constexpr Direction S2C = Direction::ServerToClient;
constexpr std::int64_t kS = 1'000'000'000;
const std::array<std::uint64_t, 2> kStreamEnd{300, 700};

SegmentInfo at(PacketNumber packet, std::int64_t seconds) {
    return {packet, Timestamp{seconds * kS}};
}

TEST(EndWithoutClose, ClientEndIsCloseMissing) {
    EndWithoutClose p;
    p.onTcpEnd(C2S, false, at(9, 15), Timestamp{10 * kS}, 0);
    const Finding a = p.conclude(kStreamEnd);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::WsCloseMissing);
    EXPECT_EQ(a->direction, C2S);
    EXPECT_EQ(a->packet, 9u);
    EXPECT_EQ(a->streamOffset, 300u);
    EXPECT_NE(a->detail.find("client FIN while the WebSocket was open"), std::string::npos)
        << a->detail;
    EXPECT_NE(a->detail.find("the server reports 1006"), std::string::npos) << a->detail;
}

TEST(EndWithoutClose, ServerEndAfterAKnownIdleTimeIsIdleTimeout) {
    EndWithoutClose p;
    p.onTcpEnd(S2C, true, at(9, 70), Timestamp{10 * kS}, 0);
    p.onTcpEnd(C2S, false, at(10, 71), Timestamp{10 * kS}, 0); // only the first end counts
    const Finding a = p.conclude(kStreamEnd);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::WsCloseIdleTimeout);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_EQ(a->streamOffset, 700u);
    EXPECT_NE(a->detail.find("server RST"), std::string::npos) << a->detail;
    EXPECT_NE(a->detail.find("nginx proxy_read_timeout"), std::string::npos) << a->detail;
}

TEST(EndWithoutClose, OutstandingPingsNameAPingTimeout) {
    EndWithoutClose p;
    p.onTcpEnd(S2C, false, at(9, 70), Timestamp{10 * kS}, 2);
    const Finding a = p.conclude(kStreamEnd);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::WsCloseMissing); // a ping timeout, not an idle proxy
    EXPECT_NE(a->detail.find("2 ping(s) from the server unanswered"), std::string::npos)
        << a->detail;
}

TEST(EndWithoutClose, SilentWithoutATcpEnd) {
    EndWithoutClose p;
    EXPECT_FALSE(p.conclude(kStreamEnd));
}

} // namespace
} // namespace wst
