// SPDX-License-Identifier: MIT
#include "decoder/export/encoding.h"
#include "decoder/export/json_fields.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

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

std::string eventJson(const Event& e, const Message* embedded, bool refs, std::int64_t origin = 0) {
    std::string out;
    json::appendEvent(out, e, embedded, refs, origin);
    return out;
}

std::string messageJson(const Message& m) {
    std::string out;
    json::appendMessage(out, m);
    return out;
}

/// The keys of a parsed object, in the order written.
std::vector<std::string> keysOf(const Json& j) {
    std::vector<std::string> keys;
    for (const auto& item : j.items()) {
        keys.push_back(item.key());
    }
    return keys;
}

TEST(FastJson, EventsAreWrittenExactlyAsDocumented) {
    // docs/json-schema.md: the common fields, then those of the kind, then the reference.
    Event e;
    e.kind = EventKind::WsFrame;
    e.time.ns = 1500;
    e.packet = 7;
    e.connection = 2;
    e.direction = Direction::ServerToClient;
    e.streamOffset = 130;
    e.length = 6;
    e.opcode = 0x9;
    e.frameFlags = frameflag::Fin | frameflag::Mask;
    e.ref = 3;
    EXPECT_EQ(
        eventJson(e, nullptr, true, 1000),
        R"({"time_ns":1500,"rel_ns":500,"packet":7,"connection":2,"direction":"s2c","kind":"ws_frame",)"
        R"("offset":130,"length":6,"opcode":"ping","fin":true,"rsv1":false,"rsv2":false,)"
        R"("rsv3":false,"masked":true,"message":3})");
    // A streaming sink's events carry no meaningful ref: it is not written.
    EXPECT_EQ(
        eventJson(e, nullptr, false, 1000),
        R"({"time_ns":1500,"rel_ns":500,"packet":7,"connection":2,"direction":"s2c","kind":"ws_frame",)"
        R"("offset":130,"length":6,"opcode":"ping","fin":true,"rsv1":false,"rsv2":false,)"
        R"("rsv3":false,"masked":true})");

    Event close;
    close.kind = EventKind::WsClose;
    close.ref = Event::kNoRef;
    EXPECT_EQ(
        eventJson(close, nullptr, true),
        R"({"time_ns":0,"rel_ns":0,"packet":0,"connection":0,"direction":"c2s","kind":"ws_close",)"
        R"("offset":0,"length":0,"close_code":null})");
    close.closeCode = 1001;
    EXPECT_EQ(
        eventJson(close, nullptr, true),
        R"({"time_ns":0,"rel_ns":0,"packet":0,"connection":0,"direction":"c2s","kind":"ws_close",)"
        R"("offset":0,"length":0,"close_code":1001})");

    Event response;
    response.kind = EventKind::HttpResponse;
    response.status = 101;
    response.ref = Event::kNoRef;
    EXPECT_EQ(eventJson(response, nullptr, true),
              R"({"time_ns":0,"rel_ns":0,"packet":0,"connection":0,"direction":"c2s",)"
              R"("kind":"http_response","offset":0,"length":0,"status":101})");

    Event anomaly;
    anomaly.kind = EventKind::Anomaly;
    anomaly.time.ns = -5;
    anomaly.ref = 12;
    EXPECT_EQ(
        eventJson(anomaly, nullptr, true),
        R"({"time_ns":-5,"rel_ns":-5,"packet":0,"connection":0,"direction":"c2s","kind":"anomaly",)"
        R"("offset":0,"length":0,"anomaly":12})");
}

TEST(FastJson, MessagesAreWrittenExactlyAsDocumented) {
    Message m;
    m.connection = 2;
    m.direction = Direction::ServerToClient;
    m.opcode = 0x1;
    m.payload = "say \"hi\"\n";
    m.length = m.payload.size();
    m.frames = 1;
    m.wireLength = 11;
    m.first.ns = 10;
    m.last.ns = 20;
    m.firstPacket = 4;
    m.lastPacket = 5;
    EXPECT_EQ(messageJson(m),
              R"({"connection":2,"direction":"s2c","opcode":"text","compressed":false,)"
              R"("complete":true,"frames":1,"wire_length":11,"length":9,"first_ns":10,)"
              R"("last_ns":20,"first_packet":4,"last_packet":5,"payload_truncated":false,)"
              R"("payload":{"encoding":"text","data":"say \"hi\"\n"}})");

    Message bin;
    bin.opcode = 0x2;
    bin.compressed = true;
    bin.complete = false;
    bin.payload = std::string("\x00\x01\xfe\xff", 4);
    bin.length = 10;
    EXPECT_EQ(messageJson(bin),
              R"({"connection":0,"direction":"c2s","opcode":"binary","compressed":true,)"
              R"("complete":false,"frames":1,"wire_length":0,"length":10,"first_ns":0,)"
              R"("last_ns":0,"first_packet":0,"last_packet":0,"payload_truncated":true,)"
              R"("payload":{"encoding":"base64","data":"AAH+/w=="}})");

    // A streamed event embeds its message (and never a ref).
    Event e;
    e.kind = EventKind::WsMessage;
    e.opcode = 0x2;
    e.ref = 9;
    EXPECT_EQ(
        eventJson(e, &bin, false),
        R"({"time_ns":0,"rel_ns":0,"packet":0,"connection":0,"direction":"c2s","kind":"ws_message",)"
        R"("offset":0,"length":0,"opcode":"binary","message":)" +
            messageJson(bin) + "}");
}

TEST(FastJson, EveryEventAndMessageParsesBackToItsFields) {
    // Every kind and flag combination, and messages of every payload shape, read back by
    // nlohmann::json's parser: valid JSON, the documented keys in order, the right values.
    const std::vector<std::string> common = {"time_ns",   "rel_ns", "packet", "connection",
                                             "direction", "kind",   "offset", "length"};
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
            for (const bool refs : {true, false}) {
                SCOPED_TRACE(testing::Message()
                             << "kind " << kind << " flags " << int(flags) << " refs " << refs);
                const Json j = Json::parse(eventJson(e, nullptr, refs, 1'000'000));
                std::vector<std::string> keys = common;
                EXPECT_EQ(j["time_ns"], e.time.ns);
                EXPECT_EQ(j["rel_ns"], e.time.ns - 1'000'000);
                EXPECT_EQ(j["packet"], e.packet);
                EXPECT_EQ(j["connection"], e.connection);
                EXPECT_EQ(j["direction"], json::directionName(e.direction));
                EXPECT_EQ(j["kind"], toString(e.kind));
                EXPECT_EQ(j["offset"], e.streamOffset);
                EXPECT_EQ(j["length"], e.length);
                switch (e.kind) {
                case EventKind::WsFrame:
                    keys.insert(keys.end(), {"opcode", "fin", "rsv1", "rsv2", "rsv3", "masked"});
                    EXPECT_EQ(j["opcode"], opcodeName(e.opcode));
                    EXPECT_EQ(j["fin"], (flags & frameflag::Fin) != 0);
                    EXPECT_EQ(j["rsv1"], (flags & frameflag::Rsv1) != 0);
                    EXPECT_EQ(j["rsv2"], (flags & frameflag::Rsv2) != 0);
                    EXPECT_EQ(j["rsv3"], (flags & frameflag::Rsv3) != 0);
                    EXPECT_EQ(j["masked"], (flags & frameflag::Mask) != 0);
                    break;
                case EventKind::WsMessage:
                    keys.push_back("opcode");
                    EXPECT_EQ(j["opcode"], opcodeName(e.opcode));
                    break;
                case EventKind::WsClose:
                    keys.push_back("close_code");
                    EXPECT_EQ(j["close_code"], e.closeCode == 0 ? Json(nullptr) : Json(1001));
                    break;
                case EventKind::HttpResponse:
                    keys.push_back("status");
                    EXPECT_EQ(j["status"], 101);
                    break;
                default:
                    break;
                }
                if (refs && e.ref != Event::kNoRef) {
                    const char* ref = e.kind == EventKind::Anomaly ? "anomaly" : "message";
                    keys.push_back(ref);
                    EXPECT_EQ(j[ref], e.ref);
                }
                EXPECT_EQ(keysOf(j), keys);
            }
        }
    }
    const std::string payloads[] = {"", "plain",
                                    "quote\" back\\ nl\n tab\t nul" + std::string(1, '\0'),
                                    "\xc3\xa9\xe2\x82", std::string("\x00\xff\x80", 3)};
    for (const std::string& p : payloads) {
        for (std::uint8_t opcode : {0x1, 0x2, 0x8}) {
            for (std::uint64_t length : {p.size(), p.size() + 10}) {
                SCOPED_TRACE(testing::Message() << "payload of " << p.size() << " opcode "
                                                << int(opcode) << " length " << length);
                Message m;
                m.connection = 2;
                m.direction = Direction::ServerToClient;
                m.opcode = opcode;
                m.compressed = length > p.size();
                m.payload = p;
                m.length = length;
                m.wireLength = length / 2;
                const Json j = Json::parse(messageJson(m));
                EXPECT_EQ(keysOf(j),
                          (std::vector<std::string>{
                              "connection", "direction", "opcode", "compressed", "complete",
                              "frames", "wire_length", "length", "first_ns", "last_ns",
                              "first_packet", "last_packet", "payload_truncated", "payload"}));
                EXPECT_EQ(j["opcode"], opcodeName(opcode));
                EXPECT_EQ(j["compressed"], m.compressed);
                EXPECT_EQ(j["length"], length);
                EXPECT_EQ(j["wire_length"], length / 2);
                EXPECT_EQ(j["payload_truncated"], p.size() < length);
                EXPECT_EQ(j["payload"], json::payload(m));

                Event e;
                e.kind = EventKind::WsMessage;
                e.opcode = opcode;
                const Json streamed = Json::parse(eventJson(e, &m, false));
                EXPECT_EQ(keysOf(streamed).back(), "message");
                EXPECT_EQ(streamed["message"], j);
            }
        }
    }
}

TEST(TerminalQuoted, QuotesAndBackslashesFromTheWireCannotEndTheStringOrPassForEscapes) {
    EXPECT_EQ(terminalQuoted("bye"), "\"bye\"");
    EXPECT_EQ(terminalQuoted("say \"bye\""), "\"say \\\"bye\\\"\"");
    // A literal backslash-x-4-1 from the peer stays distinguishable from an escaped byte.
    EXPECT_EQ(terminalQuoted("\\x41"), "\"\\\\x41\"");
    EXPECT_EQ(terminalQuoted("\x01"), "\"\\x01\"");
    EXPECT_EQ(terminalQuoted(""), "\"\"");
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
