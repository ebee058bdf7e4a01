// SPDX-License-Identifier: MIT
// FrameParser: byte-exact RFC 6455 §5.7 examples, every prefix, every split point, gaps.
#include "decoder/ws/frame_parser.h"
#include "tests/unit/ws/ws_test_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace wst::test {
namespace {

/// Records callbacks as text. Consecutive payload chunks are merged, so that the record does
/// not depend on how the bytes were split.
class Recorder final : public FrameHandler {
public:
    std::vector<std::string> events;
    std::string payload;
    std::uint64_t expectPayloadOffset = 0;
    std::uint64_t wanted = UINT64_MAX;

    void onFrameHeader(const FrameHeader& h, std::uint64_t offset) override {
        flush();
        events.push_back(fmt::format("header off={} fin={} rsv={} op={} mask={} key={:02x}{:02x}"
                                     "{:02x}{:02x} len={} hlen={} nonmin={} msb={}",
                                     offset, h.fin, h.rsv, h.opcode, h.masked, h.maskKey[0],
                                     h.maskKey[1], h.maskKey[2], h.maskKey[3], h.payloadLength,
                                     h.headerLength, h.lengthNotMinimal, h.lengthMsbSet));
        expectPayloadOffset = 0;
    }
    void onPayload(Bytes b, std::uint64_t payloadOffset) override {
        EXPECT_EQ(payloadOffset, expectPayloadOffset);
        expectPayloadOffset += b.size();
        payload.append(reinterpret_cast<const char*>(b.data()), b.size());
    }
    void onFrameEnd() override {
        flush();
        events.push_back("end");
    }
    std::uint64_t payloadWanted(const FrameHeader& h) override {
        return std::min(wanted, h.payloadLength);
    }
    void onPayloadSkipped(std::uint64_t n, std::uint64_t payloadOffset) override {
        EXPECT_EQ(payloadOffset, expectPayloadOffset);
        expectPayloadOffset += n;
        skipped += n;
    }
    void onPayloadGap(std::uint64_t n, std::uint64_t payloadOffset) override {
        flush();
        EXPECT_EQ(payloadOffset, expectPayloadOffset);
        expectPayloadOffset += n;
        events.push_back(fmt::format("payload-gap {}", n));
    }
    void onDesync(std::uint64_t offset) override {
        flush();
        events.push_back(fmt::format("desync {}", offset));
    }
    void onResync(std::uint64_t offset, std::uint64_t skip) override {
        flush();
        events.push_back(fmt::format("resync {} skipped={}", offset, skip));
    }
    void flush() {
        if (!payload.empty()) {
            events.push_back("payload " + payload);
            payload.clear();
        }
        if (skipped) {
            events.push_back(fmt::format("skipped {}", skipped));
            skipped = 0;
        }
    }
    std::uint64_t skipped = 0;
};

std::vector<std::string> parseWhole(const Buf& b) {
    Recorder r;
    FrameParser p(r);
    p.feed(bytesOf(b), 0);
    r.flush();
    return r.events;
}

std::vector<std::string> parseSplit(const Buf& b, std::vector<std::size_t> cuts) {
    Recorder r;
    FrameParser p(r);
    std::size_t start = 0;
    cuts.push_back(b.size());
    for (std::size_t cut : cuts) {
        p.feed(Bytes(b.data() + start, cut - start), start);
        start = cut;
    }
    r.flush();
    return r.events;
}

// RFC 6455 §5.7 examples, byte for byte.
const Buf kUnmaskedHello{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
const Buf kMaskedHello{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
const Buf kFragmentedHello{0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f};
const Buf kPing{0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
const Buf kMaskedPong{0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};

Buf binary256() {
    Buf b{0x82, 0x7E, 0x01, 0x00};
    for (int i = 0; i < 256; ++i) {
        b.push_back(static_cast<std::uint8_t>(i));
    }
    return b;
}

Buf binary64k() {
    Buf b{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
    for (int i = 0; i < 65536; ++i) {
        b.push_back(static_cast<std::uint8_t>(i * 7));
    }
    return b;
}

TEST(FrameParser, Rfc6455UnmaskedHello) {
    EXPECT_EQ(parseWhole(kUnmaskedHello),
              (std::vector<std::string>{
                  "header off=0 fin=true rsv=0 op=1 mask=false key=00000000 len=5 hlen=2 "
                  "nonmin=false msb=false",
                  "payload Hello", "end"}));
}

TEST(FrameParser, Rfc6455MaskedHello) {
    EXPECT_EQ(parseWhole(kMaskedHello),
              (std::vector<std::string>{
                  "header off=0 fin=true rsv=0 op=1 mask=true key=37fa213d len=5 hlen=6 "
                  "nonmin=false msb=false",
                  "payload Hello", "end"}));
}

TEST(FrameParser, Rfc6455FragmentedHello) {
    EXPECT_EQ(parseWhole(kFragmentedHello),
              (std::vector<std::string>{
                  "header off=0 fin=false rsv=0 op=1 mask=false key=00000000 len=3 hlen=2 "
                  "nonmin=false msb=false",
                  "payload Hel", "end",
                  "header off=5 fin=true rsv=0 op=0 mask=false key=00000000 len=2 hlen=2 "
                  "nonmin=false msb=false",
                  "payload lo", "end"}));
}

TEST(FrameParser, Rfc6455PingAndMaskedPong) {
    EXPECT_EQ(parseWhole(cat({kPing, kMaskedPong})),
              (std::vector<std::string>{
                  "header off=0 fin=true rsv=0 op=9 mask=false key=00000000 len=5 hlen=2 "
                  "nonmin=false msb=false",
                  "payload Hello", "end",
                  "header off=7 fin=true rsv=0 op=10 mask=true key=37fa213d len=5 hlen=6 "
                  "nonmin=false msb=false",
                  "payload Hello", "end"}));
}

TEST(FrameParser, Rfc6455Binary256And64k) {
    const Buf b256 = binary256();
    const auto e256 = parseWhole(b256);
    ASSERT_EQ(e256.size(), 3u);
    EXPECT_EQ(e256[0], "header off=0 fin=true rsv=0 op=2 mask=false key=00000000 len=256 hlen=4 "
                       "nonmin=false msb=false");
    EXPECT_EQ(e256[1], "payload " + std::string(b256.begin() + 4, b256.end()));

    const Buf b64 = binary64k();
    const auto e64 = parseWhole(b64);
    ASSERT_EQ(e64.size(), 3u);
    EXPECT_EQ(e64[0], "header off=0 fin=true rsv=0 op=2 mask=false key=00000000 len=65536 "
                      "hlen=10 nonmin=false msb=false");
    EXPECT_EQ(e64[1], "payload " + std::string(b64.begin() + 10, b64.end()));
}

TEST(FrameParser, EveryPrefixNeedsMore) {
    for (const Buf& f : {kUnmaskedHello, kMaskedHello, kPing, kMaskedPong, binary256()}) {
        const Buf b = f;
        auto header = parseFrameHeader(bytesOf(b));
        ASSERT_TRUE(header);
        for (std::size_t n = 0; n < b.size(); ++n) {
            Recorder r;
            FrameParser p(r);
            p.feed(Bytes(b.data(), n), 0);
            r.flush();
            // Before the whole header: nothing. Before the last payload byte: no end.
            if (n < header->headerLength) {
                EXPECT_TRUE(r.events.empty()) << n;
                EXPECT_FALSE(parseFrameHeader(Bytes(b.data(), n))) << n;
            }
            EXPECT_TRUE(r.events.empty() || r.events.back() != "end") << n;
            EXPECT_EQ(p.midFrame(), n > 0) << n;
        }
    }
}

TEST(FrameParser, TestFramesAreTheRfcExamples) {
    // tests/support builds the RFC 6455 §5.7 examples byte for byte, and 64-bit lengths in
    // network order (§5.2).
    constexpr Direction C = Direction::ClientToServer, S = Direction::ServerToClient;
    EXPECT_EQ(frame(S, 0x1, "Hello"), kUnmaskedHello);
    EXPECT_EQ(frame(C, 0x1, "Hello"), kMaskedHello);
    EXPECT_EQ(cat(frame(S, 0x1, "Hel", false), frame(S, 0x0, "lo")), kFragmentedHello);
    EXPECT_EQ(frame(S, 0x9, "Hello"), kPing);
    EXPECT_EQ(frame(C, 0xA, "Hello"), kMaskedPong);
    FrameSpec big;
    big.opcode = 0x2;
    big.lengthOverride = 0x0102030405060708;
    EXPECT_EQ(wsFrame(big), (Buf{0x82, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(FrameParser, EverySplitPointGivesTheSameCallbacks) {
    FrameSpec masked16;
    masked16.opcode = 0x2;
    masked16.masked = true;
    masked16.payload = Buf(300, 0xAB);
    FrameSpec masked64;
    masked64.opcode = 0x2;
    masked64.masked = true;
    masked64.form = LenForm::Force64;
    masked64.payload = toBuf("sixty-four");
    const Buf stream = cat({kFragmentedHello, kMaskedHello, kPing, kMaskedPong, wsFrame(masked16),
                            wsFrame(masked64), Buf{0x88, 0x00}});
    const auto whole = parseWhole(stream);
    for (std::size_t i = 0; i <= stream.size(); ++i) {
        EXPECT_EQ(parseSplit(stream, {i}), whole) << "split at " << i;
    }
    // Two cuts: every pair inside the first 60 bytes (headers split in every way).
    for (std::size_t i = 0; i <= 60; ++i) {
        for (std::size_t j = i; j <= 60; ++j) {
            ASSERT_EQ(parseSplit(stream, {i, j}), whole) << i << "," << j;
        }
    }
    // One byte at a time.
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < stream.size(); ++i) {
        cuts.push_back(i);
    }
    EXPECT_EQ(parseSplit(stream, cuts), whole);
}

TEST(FrameParser, NonMinimalAndMsbLengthsAreFlagged) {
    FrameSpec s;
    s.payload = toBuf("abc");
    s.form = LenForm::Force16;
    auto h = parseFrameHeader(bytesOf(wsFrame(s)));
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->lengthNotMinimal);
    EXPECT_EQ(h->payloadLength, 3u);
    s.form = LenForm::Force64;
    h = parseFrameHeader(bytesOf(wsFrame(s)));
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->lengthNotMinimal);
    EXPECT_EQ(h->headerLength, 10);
    s.payload = Buf(200, 'x');
    s.form = LenForm::Force16;
    h = parseFrameHeader(bytesOf(wsFrame(s)));
    EXPECT_FALSE(h->lengthNotMinimal);

    // MSB set: the header is reported, then the framing is lost.
    Buf msb{0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 5, 'a', 'b'};
    const auto events = parseWhole(msb);
    ASSERT_GE(events.size(), 2u);
    EXPECT_NE(events[0].find("msb=true"), std::string::npos);
    EXPECT_EQ(events[1], "desync 10");
}

TEST(FrameParser, PayloadWantedLimitsWhatIsShown) {
    Recorder r;
    r.wanted = 4;
    FrameParser p(r);
    FrameSpec s;
    s.opcode = 0x2;
    s.masked = true;
    s.payload = toBuf("0123456789");
    const Buf b = wsFrame(s);
    p.feed(Bytes(b.data(), 9), 0); // header (6) + 3 payload bytes
    p.feed(Bytes(b.data() + 9, b.size() - 9), 9);
    r.flush();
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.events[1], "payload 0123");
    EXPECT_EQ(r.events[2], "skipped 6");
    EXPECT_EQ(r.events[3], "end");
}

TEST(FrameParser, GapInsidePayloadKeepsSync) {
    Recorder r;
    FrameParser p(r);
    const Buf a = cat({frame(Direction::ServerToClient, 0x2, "0123456789"), kUnmaskedHello});
    p.feed(Bytes(a.data(), 5), 0);
    EXPECT_TRUE(p.onGap(4)); // bytes 5..8 lost, inside the payload (2..11)
    p.feed(Bytes(a.data() + 9, a.size() - 9), 9);
    r.flush();
    EXPECT_FALSE(p.desynced());
    EXPECT_EQ(r.events[1], "payload 012");
    EXPECT_EQ(r.events[2], "payload-gap 4");
    EXPECT_EQ(r.events[3], "payload 789");
    EXPECT_EQ(r.events[4], "end");
    EXPECT_NE(r.events[5].find("off=12"), std::string::npos);
    EXPECT_EQ(r.events[6], "payload Hello");
}

TEST(FrameParser, GapEndingThePayloadEndsTheFrame) {
    Recorder r;
    FrameParser p(r);
    const Buf a = cat({frame(Direction::ServerToClient, 0x2, "0123456789"), kUnmaskedHello});
    p.feed(Bytes(a.data(), 4), 0);
    EXPECT_TRUE(p.onGap(8));
    p.feed(Bytes(a.data() + 12, a.size() - 12), 12);
    r.flush();
    EXPECT_EQ(r.events[2], "payload-gap 8");
    EXPECT_EQ(r.events[3], "end");
    EXPECT_EQ(r.events[6], "end");
}

TEST(FrameParser, GapOutsidePayloadDesyncsThenResyncs) {
    Recorder r;
    FrameParser p(r);
    FrameExpectations exp;
    exp.masked = false;
    p.setExpectations(exp);
    const Buf a = kUnmaskedHello;
    p.feed(Bytes(a.data(), 1), 0);
    EXPECT_FALSE(p.onGap(100)); // the header itself is cut
    EXPECT_TRUE(p.desynced());
    // Garbage (the tail of an unknown frame), then two good frames.
    const Buf rest = cat({toBuf("\x03\xff\xfe garbage"), kUnmaskedHello, kPing});
    p.feed(bytesOf(rest), 101);
    r.flush();
    EXPECT_FALSE(p.desynced());
    ASSERT_EQ(r.events.size(), 8u);
    EXPECT_EQ(r.events[0], "desync 1");
    EXPECT_EQ(r.events[1], "resync 112 skipped=11");
    EXPECT_NE(r.events[2].find("off=112"), std::string::npos);
    EXPECT_EQ(r.events[3], "payload Hello");
}

TEST(FrameParser, ResyncFindsHeaderStraddlingFeeds) {
    const Buf garbage = toBuf("\x03\xff\xfe garbage");
    const Buf frames = cat({kUnmaskedHello, kPing});
    const Buf rest = cat({garbage, frames});
    FrameExpectations exp;
    exp.masked = false;
    // Cut anywhere: the resync lands on the first frame, at stream offset 101 + 11.
    for (std::size_t cut = 0; cut <= rest.size(); ++cut) {
        Recorder r;
        FrameParser p(r);
        p.setExpectations(exp);
        p.feed(Bytes(kUnmaskedHello.data(), 1), 0);
        EXPECT_FALSE(p.onGap(100));
        p.feed(Bytes(rest.data(), cut), 101);
        p.feed(Bytes(rest.data() + cut, rest.size() - cut), 101 + cut);
        r.flush();
        ASSERT_GE(r.events.size(), 2u) << cut;
        EXPECT_EQ(r.events[1], "resync 112 skipped=11") << cut;
        EXPECT_EQ(r.events.back(), "end") << cut;
        EXPECT_EQ(r.events.size(), 8u) << cut;
    }
}

TEST(FrameParser, ScanTailIsNotJoinedAcrossAGap) {
    // "\x81\x05Hel" then a gap then "lo": joined, they would look like a frame; they are not.
    Recorder r;
    FrameParser p(r);
    FrameExpectations exp;
    exp.masked = false;
    p.setExpectations(exp);
    p.onGap();
    const Buf a{0x81, 0x05, 'H', 'e', 'l'};
    const Buf b{'l', 'o'};
    p.feed(bytesOf(a), 10);
    EXPECT_FALSE(p.onGap(5));
    p.feed(bytesOf(b), 20);
    r.flush();
    EXPECT_TRUE(p.desynced());
    EXPECT_EQ(r.events, (std::vector<std::string>{"desync 0"}));
}

TEST(FrameParser, UnknownGapDesyncs) {
    Recorder r;
    FrameParser p(r);
    p.feed(bytesOf(kUnmaskedHello), 0);
    p.onGap();
    EXPECT_TRUE(p.desynced());
    p.resync();
    EXPECT_FALSE(p.desynced());
    p.feed(bytesOf(kPing), 50);
    r.flush();
    EXPECT_EQ(r.events.back(), "end");
    EXPECT_NE(r.events[r.events.size() - 3].find("off=50"), std::string::npos);
}

} // namespace
} // namespace wst::test
