// SPDX-License-Identifier: MIT
// findPlausibleFrameHeader / isPlausibleFrameHeader: resynchronising after a gap.
#include "decoder/ws/frame_parser.h"
#include "tests/unit/ws/ws_test_util.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

FrameExpectations server() {
    FrameExpectations e;
    e.masked = false;
    return e;
}
FrameExpectations client() {
    FrameExpectations e;
    e.masked = true;
    return e;
}

TEST(FrameResync, PlausibleHeaderRules) {
    const auto s = server();
    EXPECT_TRUE(isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x1, "hi")), s));
    // Wrong mask bit for the direction.
    EXPECT_FALSE(isPlausibleFrameHeader(bytesOf(frame(Direction::ClientToServer, 0x1, "hi")), s));
    EXPECT_TRUE(
        isPlausibleFrameHeader(bytesOf(frame(Direction::ClientToServer, 0x1, "hi")), client()));
    // Reserved opcode, RSV without extension, fragmented or large control, continuation.
    EXPECT_FALSE(isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x3, "")), s));
    EXPECT_FALSE(
        isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x1, "a", true, 4)), s));
    auto deflate = s;
    deflate.allowedRsv = 4;
    EXPECT_TRUE(isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x1, "a", true, 4)),
                                       deflate));
    EXPECT_FALSE(isPlausibleFrameHeader(
        bytesOf(frame(Direction::ServerToClient, 0x9, "a", true, 4)), deflate));
    EXPECT_FALSE(
        isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x9, "a", false)), s));
    EXPECT_FALSE(
        isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x9, Buf(126, 'x'))), s));
    EXPECT_FALSE(isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x0, "a")), s));
    auto cont = s;
    cont.allowContinuation = true;
    EXPECT_TRUE(isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x0, "a")), cont));
    // Non-minimal length, oversize, incomplete header.
    FrameSpec nonmin;
    nonmin.payload = toBuf("abc");
    nonmin.form = LenForm::Force16;
    EXPECT_FALSE(isPlausibleFrameHeader(bytesOf(wsFrame(nonmin)), s));
    auto small = s;
    small.maxPayload = 2;
    EXPECT_FALSE(
        isPlausibleFrameHeader(bytesOf(frame(Direction::ServerToClient, 0x1, "abc")), small));
    EXPECT_FALSE(
        isPlausibleFrameHeader(Bytes(frame(Direction::ServerToClient, 0x1, "").data(), 1), s));
}

TEST(FrameResync, FindsConfirmedHeaderAfterGarbage) {
    const Buf good = cat({frame(Direction::ServerToClient, 0x1, "first"),
                          frame(Direction::ServerToClient, 0x2, "second")});
    const Buf garbage = toBuf("\xff\xee\xdd\x13\x37");
    const Buf all = cat({garbage, good});
    const auto at = findPlausibleFrameHeader(bytesOf(all), server());
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, garbage.size());
}

TEST(FrameResync, FrameEndingAtDataEndIsConfirmed) {
    const Buf all = cat({toBuf("\xff\xff"), frame(Direction::ClientToServer, 0x1, "x")});
    const auto at = findPlausibleFrameHeader(bytesOf(all), client());
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, 2u);
}

TEST(FrameResync, UnconfirmedCandidateIsRejected) {
    // 0x81 0x05 looks like a text frame of 5 bytes, but what follows it is no header.
    const Buf all = toBuf("\x81\x05hello\xff\xff\xff");
    EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(all), server()));
    // And a frame running past the end cannot be confirmed.
    const Buf cut = toBuf("\x81\x05hel");
    EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(cut), server()));
}

TEST(FrameResync, HttpTextHasNoPlausibleHeader) {
    const Buf http = toBuf("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(http), server()));
}

} // namespace
} // namespace wst::test
