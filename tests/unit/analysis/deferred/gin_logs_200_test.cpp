// SPDX-License-Identifier: MIT
// GinLogs200 (gin's access log shows 200 for a 101), fed the 101 and the end-of-connection evidence
// directly.
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

using C = GinLogs200::Conclusion;

TEST(GinLogs200, CertainOnlyWhereTheEvidenceSaysGo) {
    // The 101 narrowed to gorilla/websocket (Connection::serverIsGo).
    GinLogs200 sure;
    sure.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    EXPECT_EQ(sure.conclude(/*serverIsGo=*/true, false, false), C::Certain);
    EXPECT_NE(GinLogs200::note(C::Certain).find("gin logs this upgrade as 200"),
              std::string_view::npos);

    // The layout both write and nothing later to tell them apart: only "if the server is gin".
    GinLogs200 either;
    either.onUpgrade(response(101, "gorilla/websocket or node ws"), true, kAt, 120);
    EXPECT_EQ(either.conclude(/*serverIsGo=*/false, /*stillAmbiguous=*/true, false), C::IfGin);
    EXPECT_NE(GinLogs200::note(C::IfGin).find("if the server is gin"), std::string_view::npos);

    // Narrowed to node ws.
    GinLogs200 node;
    node.onUpgrade(response(101, "gorilla/websocket or node ws"), true, kAt, 120);
    EXPECT_EQ(node.conclude(false, false, false), C::None);
    GinLogs200 nodeDeflate;
    nodeDeflate.onUpgrade(response(101, "node ws"), true, kAt, 120);
    EXPECT_EQ(nodeDeflate.conclude(false, false, false), C::None);
    EXPECT_EQ(GinLogs200::note(C::None), "");
}

TEST(GinLogs200, SilentWhenHttpFollowedThe101) {
    GinLogs200 p;
    p.onUpgrade(response(101, "gorilla/websocket"), true, kAt, 120);
    EXPECT_EQ(p.conclude(true, false, true), C::None);
    EXPECT_EQ(p.conclude(false, true, true), C::None);
}

TEST(GinLogs200, SilentForOtherServersAndFailedHandshakes) {
    GinLogs200 none;
    EXPECT_EQ(none.conclude(true, false, false), C::None);
    // Go by evidence, but the 101 is not gorilla's (coder/websocket through net/http).
    GinLogs200 netHttp;
    netHttp.onUpgrade(response(101, "Go net/http"), true, kAt, 120);
    EXPECT_EQ(netHttp.conclude(true, false, false), C::None);
    GinLogs200 nginx;
    nginx.onUpgrade(response(101, "nginx"), true, kAt, 120);
    EXPECT_EQ(nginx.conclude(true, false, false), C::None);
    GinLogs200 failed;
    failed.onUpgrade(response(101, "gorilla/websocket"), false, kAt, 120);
    EXPECT_EQ(failed.conclude(true, true, false), C::None);
}

} // namespace
} // namespace wst
