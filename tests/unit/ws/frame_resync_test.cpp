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

// issue 21: one plausible follower is not enough evidence inside a payload. Two headers back
// to back and then bytes that are no header are rejected; a chain of kResyncChain is taken.
TEST(FrameResync, TwoHeadersFollowedByNoHeaderAreNotEnough) {
    const Buf two = cat({frame(Direction::ServerToClient, 0x1, "ab"),
                         frame(Direction::ServerToClient, 0x2, "cd"), toBuf("\xff\xff\xff")});
    EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(two), server()));
    const Buf three = cat({frame(Direction::ServerToClient, 0x1, "ab"),
                           frame(Direction::ServerToClient, 0x2, "cd"),
                           frame(Direction::ServerToClient, 0x2, "ef"), toBuf("\xff\xff\xff")});
    const auto at = findPlausibleFrameHeader(bytesOf(three), server());
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, 0u);
}

// RFC 6455 §7.4: a Close whose code no endpoint may send (16684, 1005, 1006) or a one-byte
// Close payload is no frame boundary.
TEST(FrameResync, CloseWithAnImpossibleCodeIsNotPlausible) {
    auto closeWith = [](std::uint16_t code) {
        std::string payload;
        payload += static_cast<char>(code >> 8);
        payload += static_cast<char>(code & 0xff);
        return frame(Direction::ServerToClient, 0x8, payload);
    };
    for (std::uint16_t bad : {std::uint16_t{16684}, std::uint16_t{1005}, std::uint16_t{1006},
                              std::uint16_t{999}, std::uint16_t{5000}}) {
        const Buf all = cat({toBuf("\xff\xff"), closeWith(bad)});
        EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(all), server())) << bad;
    }
    for (std::uint16_t good : {std::uint16_t{1000}, std::uint16_t{1011}, std::uint16_t{4000}}) {
        const Buf all = cat({toBuf("\xff\xff"), closeWith(good)});
        const auto at = findPlausibleFrameHeader(bytesOf(all), server());
        ASSERT_TRUE(at) << good;
        EXPECT_EQ(*at, 2u);
    }
}

TEST(FrameResync, HttpTextHasNoPlausibleHeader) {
    const Buf http = toBuf("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    EXPECT_FALSE(findPlausibleFrameHeader(bytesOf(http), server()));
}

} // namespace
} // namespace wst::test
