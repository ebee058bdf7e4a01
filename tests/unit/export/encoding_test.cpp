// SPDX-License-Identifier: MIT
#include "export/json_fields.h"

#include <gtest/gtest.h>

using namespace wst;

namespace {

TEST(Utf8, AcceptsWellFormedAndRejectsTheRest) {
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_TRUE(isValidUtf8("hello"));
    EXPECT_TRUE(isValidUtf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(isValidUtf8("\xc3"));             // cut short
    EXPECT_FALSE(isValidUtf8("\xc0\xaf"));         // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));     // UTF-16 surrogate
    EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80")); // above U+10FFFF
    EXPECT_FALSE(isValidUtf8("\x80"));             // lone continuation byte
    EXPECT_FALSE(isValidUtf8("\xff"));
}

Message textMessage(std::string payload, std::uint64_t length) {
    Message m;
    m.opcode = 0x1;
    m.payload = std::move(payload);
    m.length = length;
    return m;
}

TEST(PayloadJson, TextAsTextBinaryAsBase64) {
    EXPECT_EQ(json::payload(textMessage("hi", 2)), (Json{{"encoding", "text"}, {"data", "hi"}}));
    Message bin;
    bin.opcode = 0x2;
    bin.payload = std::string("\x00\x01\xfe\xff", 4);
    bin.length = 4;
    EXPECT_EQ(json::payload(bin), (Json{{"encoding", "base64"}, {"data", "AAH+/w=="}}));
}

TEST(PayloadJson, PrefixCutInsideACharacterIsTrimmedToWholeCharacters) {
    // "é€" is 5 bytes; a 4-byte prefix of a longer message ends inside the euro sign.
    EXPECT_EQ(json::payload(textMessage("\xc3\xa9\xe2\x82", 10)),
              (Json{{"encoding", "text"}, {"data", "\xc3\xa9"}}));
    // The same bytes as a complete message are not valid text: shown as base64.
    EXPECT_EQ(json::payload(textMessage("\xc3\xa9\xe2\x82", 4))["encoding"], "base64");
}

TEST(EventJson, FrameFlagsAndReferences) {
    Event e;
    e.kind = EventKind::WsFrame;
    e.opcode = 0x9;
    e.frameFlags = frameflag::Fin | frameflag::Mask;
    e.ref = 3;
    const Json j = json::event(e);
    EXPECT_EQ(j["opcode"], "ping");
    EXPECT_EQ(j["fin"], true);
    EXPECT_EQ(j["masked"], true);
    EXPECT_EQ(j["rsv1"], false);
    EXPECT_EQ(j["message"], 3);
    EXPECT_EQ(j["direction"], "c2s");

    // A streaming sink's events carry no meaningful ref: only an embedded message is written.
    EXPECT_FALSE(json::streamedEvent(e, nullptr).contains("message"));
    Message m;
    m.opcode = 0x9;
    m.payload = "p";
    m.length = 1;
    EXPECT_EQ(json::streamedEvent(e, &m)["message"]["payload"]["data"], "cA==");
}

} // namespace
