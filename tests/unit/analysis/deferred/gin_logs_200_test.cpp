// SPDX-License-Identifier: MIT
// GinLogs200 (hijack_gin_logs_200), fed the 101 directly.
#include "decoder/analysis/deferred/gin_logs_200.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

ResponseSummary response(int status, std::string fingerprint) {
    ResponseSummary r;
    r.status = status;
    r.fingerprint = std::move(fingerprint);
    return r;
}

const SegmentInfo kAt{4, Timestamp{2'000}};

TEST(GinLogs200, SaysIfWhereNodeWsWritesTheSameBytes) {
    GinLogs200 sure;
    sure.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    ASSERT_TRUE(sure.conclude(false));
    EXPECT_EQ(sure.note().find("if the server is gin"), std::string_view::npos);

    GinLogs200 either;
    either.onUpgrade(response(101, "gorilla/websocket or node ws"), true, kAt, 120);
    const Finding a = either.conclude(false);
    ASSERT_TRUE(a);
    EXPECT_NE(a->detail.find("if the server is gin + gorilla"), std::string::npos) << a->detail;
    EXPECT_NE(either.note().find("gorilla/websocket or node ws"), std::string_view::npos);
    EXPECT_NE(either.note().find("if the server is gin + gorilla"), std::string_view::npos);

    GinLogs200 node;
    node.onUpgrade(response(101, "node ws"), true, kAt, 120);
    EXPECT_FALSE(node.conclude(false));
}

TEST(GinLogs200, FiresOnACleanGorilla101) {
    GinLogs200 p;
    p.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    const Finding a = p.conclude(false);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::HijackGinLogs200);
    EXPECT_EQ(a->direction, Direction::ServerToClient);
    EXPECT_EQ(a->packet, 4u);
    EXPECT_EQ(a->time, Timestamp{2'000});
    EXPECT_EQ(a->streamOffset, 120u);
}

TEST(GinLogs200, SilentWhenHttpFollowedThe101) {
    GinLogs200 p;
    p.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    EXPECT_FALSE(p.conclude(true));
}

TEST(GinLogs200, SilentForOtherServersAndFailedHandshakes) {
    GinLogs200 none;
    EXPECT_FALSE(none.conclude(false));
    GinLogs200 nginx;
    nginx.onUpgrade(response(101, "nginx"), true, kAt, 120);
    EXPECT_FALSE(nginx.conclude(false));
    GinLogs200 failed;
    failed.onUpgrade(response(101, "gorilla/websocket"), false, kAt, 120);
    EXPECT_FALSE(failed.conclude(false));
}

} // namespace
} // namespace wst
