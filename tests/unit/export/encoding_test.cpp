// SPDX-License-Identifier: MIT
#include "decoder/export/encoding.h"
#include "decoder/export/json_fields.h"

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
    // A bad byte at every position of a long ASCII run (the eight-byte fast path).
    for (std::size_t at = 0; at < 40; ++at) {
        std::string s(40, 'a');
        EXPECT_TRUE(isValidUtf8(s));
        s[at] = '\x80';
        EXPECT_FALSE(isValidUtf8(s)) << at;
        s[at] = '\xc3';
        if (at + 1 < s.size()) {
            s[at + 1] = '\xa9';
            EXPECT_TRUE(isValidUtf8(s)) << at;
        }
    }
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

namespace {

TEST(Base64, Rfc4648VectorsAppendedAfterExistingText) {
    // RFC 4648 §10 test vectors, appended after text already in the buffer.
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        std::string out = "prefix:";
        appendBase64(out, plain);
        EXPECT_EQ(out, "prefix:" + encoded);
        EXPECT_EQ(base64Encode(plain), encoded);
    }
}

TEST(FastJson, StringEscapingEqualsNlohmann) {
    std::string all;
    for (int c = 0; c < 128; ++c) {
        all += static_cast<char>(c);
    }
    all += "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";
    for (std::size_t cut = 0; cut <= 128; ++cut) {
        const std::string s = all.substr(0, cut) + all.substr(128);
        std::string fast;
        json::appendString(fast, s);
        EXPECT_EQ(fast, json::dump(Json(s))) << "prefix " << cut;
    }
}

TEST(FastJson, EventsAndMessagesEqualTheDomPath) {
    // Every kind and flag combination, and messages of every payload shape.
    for (int kind = 0; kind <= static_cast<int>(EventKind::Anomaly); ++kind) {
        for (std::uint8_t flags : {0, 1, 2, 4, 8, 16, 31}) {
            Event e;
            e.kind = static_cast<EventKind>(kind);
            e.time.ns = -5 + kind;
            e.packet = 12345678901ULL;
            e.streamOffset = 1ULL << 40;
            e.length = 7;
            e.connection = 4;
            e.direction = flags & 1 ? Direction::ServerToClient : Direction::ClientToServer;
            e.opcode = static_cast<std::uint8_t>(kind % 16);
            e.frameFlags = flags;
            e.closeCode = flags == 0 ? 0 : 1001;
            e.status = 101;
            e.ref = flags == 31 ? Event::kNoRef : 9;
            std::string fast;
            json::appendEvent(fast, e, nullptr, true);
            EXPECT_EQ(fast, json::dump(json::event(e)));
            fast.clear();
            json::appendEvent(fast, e, nullptr, false);
            EXPECT_EQ(fast, json::dump(json::streamedEvent(e, nullptr)));
        }
    }
    const std::string payloads[] = {"", "plain",
                                    "quote\" back\\ nl\n tab\t nul" + std::string(1, '\0'),
                                    "\xc3\xa9\xe2\x82", std::string("\x00\xff\x80", 3)};
    for (const std::string& p : payloads) {
        for (std::uint8_t opcode : {0x1, 0x2, 0x8}) {
            for (std::uint64_t length : {p.size(), p.size() + 10}) {
                Message m;
                m.connection = 2;
                m.direction = Direction::ServerToClient;
                m.opcode = opcode;
                m.compressed = length > p.size();
                m.payload = p;
                m.length = length;
                m.wireLength = length / 2;
                std::string fast;
                json::appendMessage(fast, m);
                EXPECT_EQ(fast, json::dump(json::message(m)));
                Event e;
                e.kind = EventKind::WsMessage;
                fast.clear();
                json::appendEvent(fast, e, &m, false);
                EXPECT_EQ(fast, json::dump(json::streamedEvent(e, &m)));
            }
        }
    }
}

TEST(TerminalSafe, KeepsTextAndEscapesControlsAndBrokenBytes) {
    EXPECT_EQ(terminalSafe("GET /chat HTTP/1.1"), "GET /chat HTTP/1.1");
    EXPECT_EQ(terminalSafe("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"),
              "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
    // An ANSI colour sequence and a bell from a hostile peer are shown, not executed.
    EXPECT_EQ(terminalSafe("\x1b[31mred\a"), "\\x1b[31mred\\x07");
    EXPECT_EQ(terminalSafe("a\r\nb\x7f"), "a\\x0d\\x0ab\\x7f");
    // C1 controls (U+0080..U+009F) too: CSI is U+009B.
    EXPECT_EQ(terminalSafe("x\xc2\x9by"), "x\\xc2\\x9by");
    // Bytes that are not UTF-8: a lone continuation, a cut sequence, an overlong form.
    EXPECT_EQ(terminalSafe("\x80"), "\\x80");
    EXPECT_EQ(terminalSafe("ok\xe2\x82"), "ok\\xe2\\x82");
    EXPECT_EQ(terminalSafe("\xc0\xaf"), "\\xc0\\xaf");
    EXPECT_EQ(terminalSafe(std::string_view("a\0b", 3)), "a\\x00b");
    // Whatever goes in, what comes out is valid UTF-8 without control characters.
    std::string all;
    for (int c = 0; c < 256; ++c) {
        all += static_cast<char>(c);
    }
    const std::string safe = terminalSafe(all + all);
    EXPECT_TRUE(isValidUtf8(safe));
    for (const char ch : safe) {
        const auto c = static_cast<unsigned char>(ch);
        EXPECT_FALSE(c < 0x20 || c == 0x7f) << static_cast<int>(c);
    }
}

} // namespace
