// SPDX-License-Identifier: MIT
// GinLogs200 (hijack_gin_logs_200), fed the 101 and the end-of-connection evidence directly.
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

TEST(GinLogs200, FiresOnlyWhereTheEvidenceSaysGo) {
    // The 101 narrowed to gorilla/websocket (Connection::serverIsGo).
    GinLogs200 sure;
    sure.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    const Finding a = sure.conclude(/*serverIsGo=*/true, false);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->id, AnomalyId::HijackGinLogs200);
    EXPECT_EQ(a->direction, Direction::ServerToClient);
    EXPECT_EQ(a->packet, 4u);
    EXPECT_EQ(a->time, Timestamp{2'000});
    EXPECT_EQ(a->streamOffset, 120u);
    EXPECT_NE(sure.note().find("gin logs this upgrade as 200"), std::string_view::npos);

    // The layout both write and nothing later to tell them apart: no claim about gin.
    GinLogs200 either;
    either.onUpgrade(response(101, "gorilla/websocket or node ws"), true, kAt, 120);
    EXPECT_FALSE(either.conclude(/*serverIsGo=*/false, false));

    // Narrowed to node ws.
    GinLogs200 node;
    node.onUpgrade(response(101, "gorilla/websocket or node ws"), true, kAt, 120);
    EXPECT_FALSE(node.conclude(false, false));
    GinLogs200 nodeDeflate;
    nodeDeflate.onUpgrade(response(101, "node ws"), true, kAt, 120);
    EXPECT_FALSE(nodeDeflate.conclude(false, false));
}

TEST(GinLogs200, SilentWhenHttpFollowedThe101) {
    GinLogs200 p;
    p.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    EXPECT_FALSE(p.conclude(true, true));
}

TEST(GinLogs200, SilentForOtherServersAndFailedHandshakes) {
    GinLogs200 none;
    EXPECT_FALSE(none.conclude(true, false));
    // Go by evidence, but the 101 is not gorilla's (coder/websocket through net/http).
    GinLogs200 netHttp;
    netHttp.onUpgrade(response(101, "Go net/http"), true, kAt, 120);
    EXPECT_FALSE(netHttp.conclude(true, false));
    GinLogs200 nginx;
    nginx.onUpgrade(response(101, "nginx"), true, kAt, 120);
    EXPECT_FALSE(nginx.conclude(true, false));
    GinLogs200 failed;
    failed.onUpgrade(response(101, "gorilla/websocket"), false, kAt, 120);
    EXPECT_FALSE(failed.conclude(true, false));
}

} // namespace
} // namespace wst
