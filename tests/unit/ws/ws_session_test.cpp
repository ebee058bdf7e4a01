// SPDX-License-Identifier: MIT
// WsSession: frames and messages as records, deflate through the session, gaps and resync.
#include "tests/unit/ws/session_recorder.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

constexpr Direction C = Direction::ClientToServer;
constexpr Direction S = Direction::ServerToClient;

TEST(WsSession, FragmentedTextWithPingBetween) {
    SessionRecorder rec;
    WsSession s(3, WsNegotiation{}, Limits{}, rec);
    run(s, {{S, frame(S, 0x1, "Hel", false)},
            {S, frame(S, 0x9, "p")},
            {S, frame(S, 0x0, "lo")},
            {C, frame(C, 0xA, "p")}});
    EXPECT_TRUE(rec.anomalies.empty()) << rec.anomalyList();
    ASSERT_EQ(rec.frames.size(), 4u);
    EXPECT_EQ(rec.frames[0].frame.streamOffset, 0u);
    EXPECT_EQ(rec.frames[1].frame.streamOffset, 5u);
    EXPECT_EQ(rec.frames[1].controlPayload, "p");
    EXPECT_EQ(rec.frames[2].frame.streamOffset, 8u);
    EXPECT_EQ(rec.frames[3].frame.flags(), frameflag::Fin | frameflag::Mask);
    // Messages: the ping (a control frame), the text, the pong.
    ASSERT_EQ(rec.messages.size(), 3u);
    EXPECT_EQ(rec.messages[0].message.opcode, 0x9);
    const Message& text = rec.messages[1].message;
    EXPECT_EQ(text.opcode, 0x1);
    EXPECT_EQ(text.payload, "Hello");
    EXPECT_EQ(text.frames, 2u);
    EXPECT_EQ(text.length, 5u);
    EXPECT_EQ(text.wireLength, 5u);
    EXPECT_TRUE(text.complete);
    EXPECT_EQ(text.connection, 3u);
    EXPECT_EQ(text.firstPacket, 1u);
    EXPECT_EQ(text.lastPacket, 3u);
    EXPECT_EQ(rec.messages[1].offset, 0u);
    EXPECT_EQ(s.outstandingPings(S), 0u);
}

TEST(WsSession, ReservedOpcodesAreNamedAsInTheExports) {
    // Anomaly details name opcodes with opcodeName(), like the JSON, CSV and text outputs.
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    FrameSpec f;
    f.opcode = 0xB;
    f.masked = true;
    f.payload = toBuf("x");
    run(s, {{S, wsFrame(f)}});
    const Anomaly* reserved = rec.find(AnomalyId::WsFrameReservedOpcode);
    ASSERT_NE(reserved, nullptr) << rec.anomalyList();
    EXPECT_TRUE(reserved->detail.ends_with("found=0xb")) << reserved->detail;
    const Anomaly* masked = rec.find(AnomalyId::WsFrameServerMasked);
    ASSERT_NE(masked, nullptr) << rec.anomalyList();
    EXPECT_TRUE(masked->detail.ends_with("on a 0xb frame")) << masked->detail;
}

std::string describe(const SessionRecorder& rec) {
    std::string out;
    for (const auto& f : rec.frames) {
        out += "frame " + std::to_string(f.frame.streamOffset) + " op " +
               std::to_string(f.frame.header.opcode) + " len " +
               std::to_string(f.frame.header.payloadLength) + " complete " +
               std::to_string(f.frame.complete) + " ctrl " + f.controlPayload + "\n";
    }
    for (const auto& m : rec.messages) {
        out += "message " + std::to_string(m.offset) + " op " + std::to_string(m.message.opcode) +
               " frames " + std::to_string(m.message.frames) + " wire " +
               std::to_string(m.message.wireLength) + " len " + std::to_string(m.message.length) +
               " " + m.message.payload + "\n";
    }
    for (const auto& a : rec.anomalies) {
        out += "anomaly " + std::to_string(static_cast<int>(a.id)) + " at " +
               std::to_string(a.streamOffset) + "\n";
    }
    return out;
}

TEST(WsSession, EverySplitPointGivesTheSameRecords) {
    // One server stream with everything that carries state across chunks: a compressed text
    // message in three fragments with a ping between them (context takeover, so the second
    // message depends on the first), a 16-bit-length binary, a code point split between
    // frames, and a Close.
    WsNegotiation n;
    n.deflate.enabled = true;
    Deflater d(15, false);
    const std::string text = "{\"price\": 12.5, \"name\": \"caf\xC3\xA9\"} repeated repeated";
    const Buf z1 = d.message(toBuf(text));
    const Buf z2 = d.message(toBuf(text + text));
    const std::size_t third = z1.size() / 3;
    const Buf stream = cat({
        frame(S, 0x1, Buf(z1.begin(), z1.begin() + static_cast<long>(third)), false, 4),
        frame(S, 0x9, "mid"),
        frame(S, 0x0, Buf(z1.begin() + static_cast<long>(third), z1.end() - 2), false),
        frame(S, 0x0, Buf(z1.end() - 2, z1.end())),
        frame(S, 0x1, z2, true, 4),
        frame(S, 0x2, Buf(300, 0x7f)),
        frame(S, 0x1, Buf{'a', 0xE2, 0x82}, false),
        frame(S, 0x0, Buf{0xAC, 'b'}),
        frame(S, 0x8, closeBody(1000, "done")),
    });
    auto parse = [&](std::vector<std::size_t> cuts) {
        SessionRecorder rec;
        WsSession s(1, n, Limits{}, rec);
        std::size_t start = 0;
        cuts.push_back(stream.size());
        for (std::size_t cut : cuts) {
            s.feed(S, Bytes(stream.data() + start, cut - start), start, {1, Timestamp{1}});
            start = cut;
        }
        s.feed(C, bytesOf(frame(C, 0xA, "mid")), 0, {2, Timestamp{2}});
        s.finish({3, Timestamp{3}});
        return describe(rec);
    };
    const std::string whole = parse({});
    EXPECT_NE(whole.find(text + text), std::string::npos) << whole;
    EXPECT_NE(whole.find("a\xE2\x82\xAC"
                         "b"),
              std::string::npos);
    EXPECT_EQ(whole.find("anomaly"), std::string::npos) << whole;
    for (std::size_t i = 1; i < stream.size(); ++i) {
        ASSERT_EQ(parse({i}), whole) << "split at " << i;
    }
    std::vector<std::size_t> everyByte;
    for (std::size_t i = 1; i < stream.size(); ++i) {
        everyByte.push_back(i);
    }
    EXPECT_EQ(parse(everyByte), whole);
}

TEST(WsSession, PayloadPrefixIsCappedAndTheRestCounted) {
    Limits limits;
    limits.payloadPrefixBytes = 10;
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, limits, rec);
    run(s, {{C, frame(C, 0x2, Buf(1000, 0x42))}, {S, frame(S, 0x1, std::string(500, 'x'))}});
    ASSERT_EQ(rec.messages.size(), 2u);
    EXPECT_EQ(rec.messages[0].message.payload, std::string(10, '\x42'));
    EXPECT_EQ(rec.messages[0].message.length, 1000u);
    EXPECT_EQ(rec.messages[0].message.wireLength, 1000u);
    EXPECT_EQ(rec.messages[1].message.payload, std::string(10, 'x'));
    EXPECT_EQ(rec.messages[1].message.length, 500u);
}

TEST(WsSession, WithoutMessagePayloadsOnlyThePayloadsAreMissing) {
    // Limits::keepMessagePayloads = false (the CLI's text summary): the same frames, messages,
    // lengths and anomalies — invalid UTF-8 in plain and compressed text included — with empty
    // message payloads; close codes and reasons are still read.
    WsNegotiation n;
    n.deflate.enabled = true;
    Deflater d(15, false);
    Buf badText(300, 'a');
    badText[250] = 0xFF;
    const std::vector<Step> steps = {{C, frame(C, 0x2, Buf(5000, 0x42))},
                                     {S, frame(S, 0x1, std::string(40, 'x'), false)},
                                     {S, frame(S, 0x9, "ping")},
                                     {S, frame(S, 0x0, std::string(40, 'y'))},
                                     {C, frame(C, 0x1, badText)},
                                     {S, frame(S, 0x1, d.message(badText), true, 4)},
                                     {S, frame(S, 0x8, closeBody(1001, "going away"))}};
    auto parse = [&](bool keep) {
        Limits limits;
        limits.keepMessagePayloads = keep;
        SessionRecorder rec;
        WsSession s(1, n, limits, rec);
        run(s, steps);
        return rec;
    };
    const SessionRecorder kept = parse(true);
    const SessionRecorder bare = parse(false);
    EXPECT_EQ(kept.count(AnomalyId::WsFrameInvalidUtf8), 2u) << kept.anomalyList();
    EXPECT_EQ(bare.anomalyList(), kept.anomalyList());
    ASSERT_EQ(bare.frames.size(), kept.frames.size());
    for (std::size_t i = 0; i < kept.frames.size(); ++i) {
        EXPECT_EQ(bare.frames[i].frame.streamOffset, kept.frames[i].frame.streamOffset);
        EXPECT_EQ(bare.frames[i].frame.header.payloadLength,
                  kept.frames[i].frame.header.payloadLength);
        EXPECT_EQ(bare.frames[i].controlPayload, kept.frames[i].controlPayload);
        EXPECT_EQ(bare.frames[i].closeReason, kept.frames[i].closeReason);
    }
    EXPECT_EQ(bare.frames.back().closeReason, "going away");
    ASSERT_EQ(bare.messages.size(), kept.messages.size());
    std::size_t binary = 0, text = 0;
    for (std::size_t i = 0; i < kept.messages.size(); ++i) {
        const Message& k = kept.messages[i].message;
        const Message& b = bare.messages[i].message;
        EXPECT_EQ(b.opcode, k.opcode);
        EXPECT_EQ(b.frames, k.frames);
        EXPECT_EQ(b.length, k.length);
        EXPECT_EQ(b.wireLength, k.wireLength);
        EXPECT_EQ(b.complete, k.complete);
        EXPECT_TRUE(b.payload.empty()) << i;
        if (k.opcode == 0x2) {
            ++binary;
            EXPECT_EQ(k.payload, std::string(5000, '\x42'));
        } else if (k.opcode == 0x1) {
            ++text;
            EXPECT_FALSE(k.payload.empty());
        }
    }
    EXPECT_EQ(binary, 1u);
    EXPECT_EQ(text, 3u);
}

TEST(WsSession, ValidTextIsMarkedOnlyWhenEveryByteWasChecked) {
    // Message::validText lets exporters skip a second UTF-8 check; it must be false whenever
    // the decoder did not see and accept every byte of a text message.
    WsNegotiation n;
    n.deflate.enabled = true;
    Deflater d(15, false);
    Buf bad(20, 'a');
    bad[10] = 0xC3; // a lead byte without its continuation
    SessionRecorder rec;
    WsSession s(1, n, Limits{}, rec);
    run(s, {{S, frame(S, 0x1, "caf\xC3\xA9")},
            {S, frame(S, 0x1, bad)},
            {S, frame(S, 0x2, "caf\xC3\xA9")},
            {S, frame(S, 0x1, d.message(toBuf("compressed \xE2\x9C\x93")), true, 4)},
            {S, frame(S, 0x1, "cut ", false)},
            {S, {}, 3},
            {S, frame(S, 0x1, "after")}});
    using Seen = std::vector<std::pair<int, bool>>;
    Seen seen;
    for (const auto& m : rec.messages) {
        seen.emplace_back(m.message.opcode, m.message.validText);
    }
    // The message cut by the gap is not marked; the whole one after the resynchronisation is.
    const Seen expected = {{1, true}, {1, false}, {2, false}, {1, true}, {1, false}, {1, true}};
    EXPECT_EQ(seen, expected);
}

TEST(WsSession, TextIsValidatedBeyondThePrefix) {
    Limits limits;
    limits.payloadPrefixBytes = 4;
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, limits, rec);
    Buf text(100, 'a');
    text[90] = 0xFF;
    run(s, {{S, frame(S, 0x1, text)}});
    ASSERT_EQ(rec.count(AnomalyId::WsFrameInvalidUtf8), 1u);
    EXPECT_NE(rec.find(AnomalyId::WsFrameInvalidUtf8)->detail.find("byte 90"), std::string::npos);
}

TEST(WsSession, DeflateRoundTripWithContextTakeover) {
    for (bool noTakeover : {false, true}) {
        for (int bits : {9, 12, 15}) {
            WsNegotiation n;
            n.deflate.enabled = true;
            n.deflate.serverMaxWindowBits = static_cast<std::uint8_t>(bits);
            n.deflate.serverNoContextTakeover = noTakeover;
            SessionRecorder rec;
            WsSession s(1, n, Limits{}, rec);
            Deflater d(bits, noTakeover);
            std::vector<Step> steps;
            std::vector<std::string> texts;
            for (int i = 0; i < 5; ++i) {
                texts.push_back("{\"seq\":" + std::to_string(i) + ",\"data\":\"" +
                                std::string(200, static_cast<char>('a' + i % 3)) + "\"}");
                const Buf z = d.message(toBuf(texts.back()));
                // Fragment the compressed payload; RSV1 on the first frame only.
                const std::size_t half = z.size() / 2;
                steps.push_back(
                    {S,
                     frame(S, 0x1, Buf(z.begin(), z.begin() + static_cast<long>(half)), false, 4)});
                steps.push_back(
                    {S, frame(S, 0x0, Buf(z.begin() + static_cast<long>(half), z.end()))});
            }
            run(s, steps);
            EXPECT_TRUE(rec.anomalies.empty()) << rec.anomalyList();
            ASSERT_EQ(rec.messages.size(), 5u);
            for (int i = 0; i < 5; ++i) {
                const Message& m = rec.messages[static_cast<std::size_t>(i)].message;
                EXPECT_TRUE(m.compressed);
                EXPECT_EQ(m.payload, texts[static_cast<std::size_t>(i)]) << bits << noTakeover;
                EXPECT_EQ(m.length, texts[static_cast<std::size_t>(i)].size());
                EXPECT_LT(m.wireLength, m.length);
            }
        }
    }
}

TEST(WsSession, DeflateBombStopsAtTheCapWithBoundedPrefix) {
    WsNegotiation n;
    n.deflate.enabled = true;
    Limits limits;
    limits.inflatedBytesPerMessage = 1 << 20;
    limits.payloadPrefixBytes = 1000;
    SessionRecorder rec;
    WsSession s(1, n, limits, rec);
    Deflater d(15, false, 9);
    const Buf z = d.message(Buf(16u << 20, 'A'));
    run(s,
        {{S, frame(S, 0x1, z, true, 4)}, {S, frame(S, 0x1, d.message(toBuf("after")), true, 4)}});
    EXPECT_EQ(rec.count(AnomalyId::WsDeflateSizeLimit), 1u);
    ASSERT_EQ(rec.messages.size(), 2u);
    EXPECT_EQ(rec.messages[0].message.length, 1u << 20);
    EXPECT_EQ(rec.messages[0].message.payload.size(), 1000u);
    // With context takeover the window is now incomplete: no false deflate error follows.
    EXPECT_EQ(rec.count(AnomalyId::WsDeflateError), 0u);
}

TEST(WsSession, SpentInflateBudgetCountsTheRestWithoutInflating) {
    // Issue 21: a reset storm (empty final blocks, 03 00) spends the connection's budget; the
    // anomaly comes once, and later compressed messages are counted but not inflated.
    WsNegotiation n;
    n.deflate.enabled = true;
    n.deflate.serverNoContextTakeover = true;
    Limits limits;
    limits.inflateWorkPerConnection = 64 * Inflater::kRestartWork;
    limits.inflateWorkPerCompressedByte = 0;
    SessionRecorder rec;
    InflateBudget capture(std::uint64_t{1} << 40, 0);
    WsSession s(1, n, limits, rec, &capture);
    Buf storm;
    for (int i = 0; i < 1000; ++i) {
        storm.insert(storm.end(), {0x03, 0x00});
    }
    Deflater d(15, true);
    const Buf after = d.message(toBuf("after the storm"));
    run(s, {{S, frame(S, 0x2, storm, true, 4)},
            {S, frame(S, 0x1, after, true, 4)},
            {S, frame(S, 0x1, after, true, 4)}});
    EXPECT_EQ(rec.count(AnomalyId::WsDeflateBudgetExceeded), 1u);
    ASSERT_EQ(rec.messages.size(), 3u);
    for (const auto& m : rec.messages) {
        EXPECT_TRUE(m.message.compressed);
        EXPECT_EQ(m.message.length, 0u);
    }
    EXPECT_EQ(rec.messages[2].message.wireLength, after.size());
    EXPECT_EQ(rec.count(AnomalyId::WsDeflateError), 0u);
    EXPECT_FALSE(capture.spent());
}

TEST(WsSession, SpentCaptureBudgetStopsAnotherConnection) {
    WsNegotiation n;
    n.deflate.enabled = true;
    n.deflate.serverNoContextTakeover = true;
    Limits limits;
    Deflater d(15, true);
    const Buf z = d.message(Buf(1 << 20, 'A'));
    InflateBudget capture(1 << 19, 0); // half of one message
    SessionRecorder first, second;
    WsSession a(1, n, limits, first, &capture);
    run(a, {{S, frame(S, 0x2, z, true, 4)}});
    EXPECT_EQ(first.count(AnomalyId::WsDeflateBudgetExceeded), 1u);
    EXPECT_TRUE(capture.spent());
    WsSession b(2, n, limits, second, &capture);
    run(b, {{S, frame(S, 0x2, z, true, 4)}});
    EXPECT_EQ(second.count(AnomalyId::WsDeflateBudgetExceeded), 1u);
    ASSERT_EQ(second.messages.size(), 1u);
    EXPECT_EQ(second.messages[0].message.length, 0u);
    EXPECT_EQ(second.messages[0].message.wireLength, z.size());
}

TEST(WsSession, CloseIsRecorded) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    run(s,
        {{C, frame(C, 0x8, closeBody(1001, "going away"))}, {S, frame(S, 0x8, closeBody(1001))}});
    EXPECT_TRUE(rec.anomalies.empty()) << rec.anomalyList();
    EXPECT_TRUE(s.closeSent(C));
    EXPECT_TRUE(s.closeSent(S));
    EXPECT_EQ(s.closeCode(C), 1001);
    EXPECT_EQ(s.closeReason(C), "going away");
    EXPECT_EQ(s.closePacket(C), 1u);
    EXPECT_EQ(s.closePacket(S), 2u);
    ASSERT_EQ(rec.frames.size(), 2u);
    EXPECT_EQ(rec.frames[0].frame.closeCode, 1001);
    EXPECT_EQ(rec.frames[0].closeReason, "going away");
}

TEST(WsSession, SecondCloseDoesNotReplaceTheFirst) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    run(s,
        {{S, frame(S, 0x8, closeBody(1001, "first"))}, {S, frame(S, 0x8, closeBody(4000, "x"))}});
    EXPECT_EQ(rec.count(AnomalyId::WsFrameAfterClose), 1u);
    EXPECT_EQ(s.closeCode(S), 1001);
    EXPECT_EQ(s.closeReason(S), "first");
    EXPECT_EQ(s.closePacket(S), 1u);
}

TEST(WsSession, GapInsidePayloadMarksMessageIncompleteOnly) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    const Buf f = frame(S, 0x2, Buf(100, 1));
    const Buf next = frame(S, 0x1, "next");
    s.feed(S, Bytes(f.data(), 20), 0, {1, Timestamp{1}});
    s.onGap(S, 20, 30, {2, Timestamp{2}});
    s.feed(S, Bytes(f.data() + 50, f.size() - 50), 50, {3, Timestamp{3}});
    s.feed(S, bytesOf(next), f.size(), {4, Timestamp{4}});
    s.finish({5, Timestamp{5}});
    EXPECT_TRUE(rec.anomalies.empty()) << rec.anomalyList();
    ASSERT_EQ(rec.messages.size(), 2u);
    EXPECT_FALSE(rec.messages[0].message.complete);
    EXPECT_EQ(rec.messages[0].message.length, 100u);
    EXPECT_FALSE(rec.frames[0].frame.complete);
    EXPECT_TRUE(rec.messages[1].message.complete);
    EXPECT_EQ(rec.messages[1].message.payload, "next");
}

TEST(WsSession, GapAcrossFramesDesyncsAndResyncs) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    const Buf a = frame(C, 0x1, "first message");
    const Buf b = cat({frame(C, 0x1, "second"), frame(C, 0x1, "third")});
    s.feed(C, Bytes(a.data(), 10), 0, {1, Timestamp{1}});
    s.onGap(C, 10, 500, {2, Timestamp{2}});
    EXPECT_TRUE(s.desynced(C));
    // Tail of some lost frame, then two good frames.
    const Buf tail = toBuf("\x01\x02\x03");
    s.feed(C, bytesOf(cat({tail, b})), 510, {3, Timestamp{3}});
    s.finish({4, Timestamp{4}});
    EXPECT_FALSE(s.desynced(C));
    EXPECT_EQ(rec.count(AnomalyId::WsFrameDesyncAfterGap), 1u);
    ASSERT_EQ(rec.count(AnomalyId::WsFrameResynced), 1u);
    EXPECT_EQ(rec.find(AnomalyId::WsFrameResynced)->streamOffset, 513u);
    ASSERT_EQ(rec.messages.size(), 3u);
    EXPECT_FALSE(rec.messages[0].message.complete); // cut by the gap
    EXPECT_EQ(rec.messages[1].message.payload, "second");
    EXPECT_EQ(rec.messages[2].message.payload, "third");
    EXPECT_EQ(rec.messages[1].offset, 513u);
}

TEST(WsSession, HttpTextAfterUpgradeThenFramesAgain) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    run(s, {{S, toBuf("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")},
            {S, cat({frame(S, 0x1, "hello"), frame(S, 0x1, "again")})}});
    EXPECT_EQ(rec.count(AnomalyId::HijackHttpInWebSocket), 1u);
    EXPECT_EQ(rec.count(AnomalyId::WsFrameResynced), 1u);
    // Only these two: "HT" is not also reported as a fragmented, compressed Close.
    EXPECT_EQ(rec.anomalies.size(), 2u) << rec.anomalyList();
    EXPECT_FALSE(s.closeSent(S)); // "HT" is not taken for a Close, nor reported as a frame
    for (const auto& f : rec.frames) {
        EXPECT_NE(f.frame.header.opcode, 0x8);
    }
    ASSERT_GE(rec.messages.size(), 2u);
    EXPECT_EQ(rec.messages[rec.messages.size() - 2].message.payload, "hello");
}

TEST(WsSession, HtHeaderThatIsNotHttpGetsTheUsualChecks) {
    // 0x48 0x54 followed by something other than "TP/1.": a (broken) Close after all.
    Buf bad{0x48, 0x54};
    bad.insert(bad.end(), 0x54, 'z');
    for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{5}}) {
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        if (cut == 0) {
            run(s, {{S, bad}});
        } else {
            run(s, {{S, Buf(bad.begin(), bad.begin() + static_cast<long>(cut))},
                    {S, Buf(bad.begin() + static_cast<long>(cut), bad.end())}});
        }
        EXPECT_EQ(rec.count(AnomalyId::HijackHttpInWebSocket), 0u);
        EXPECT_EQ(rec.count(AnomalyId::WsFrameControlFragmented), 1u) << cut;
        EXPECT_EQ(rec.count(AnomalyId::WsFrameRsvWithoutExtension), 1u) << cut;
        ASSERT_EQ(rec.frames.size(), 1u);
        EXPECT_EQ(rec.frames[0].frame.header.opcode, 0x8);
    }
    // Cut before the fifth payload byte: the checks still run when the frame is reported.
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    run(s, {{S, Buf(bad.begin(), bad.begin() + 4)}});
    EXPECT_EQ(rec.count(AnomalyId::WsFrameControlFragmented), 1u);
}

TEST(WsSession, MidstreamRelaxesExtensionRules) {
    WsNegotiation n;
    n.handshakeSeen = false;
    SessionRecorder rec;
    WsSession s(1, n, Limits{}, rec);
    Deflater d(15, false);
    d.message(toBuf("an earlier message we never saw"));
    run(s, {{S, frame(S, 0x1, d.message(toBuf("refers to an earlier message we never saw")), true,
                      4)}});
    EXPECT_EQ(rec.count(AnomalyId::WsFrameRsvWithoutExtension), 0u);
    EXPECT_EQ(rec.count(AnomalyId::WsDeflateError), 0u);
    EXPECT_EQ(rec.count(AnomalyId::WsFrameInvalidUtf8), 0u);
    ASSERT_EQ(rec.messages.size(), 1u);
    EXPECT_TRUE(rec.messages[0].message.compressed);
}

TEST(WsSession, Rsv1WithoutNegotiationKeepsThePayloadAsSent) {
    // The handshake was seen and negotiated no extension: RSV1 is an error, not compression.
    // The message is the bytes on the wire ("hi"), not an empty result of inflating them.
    for (const Direction d : {C, S}) {
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        run(s, {{d, frame(d, 0x1, "hi", true, 4)}, {d, frame(d, 0x2, "\x01\x02", true, 4)}});
        EXPECT_EQ(rec.count(AnomalyId::WsFrameRsvWithoutExtension), 2u);
        EXPECT_EQ(rec.count(AnomalyId::WsDeflateError), 0u);
        EXPECT_EQ(rec.count(AnomalyId::WsFrameInvalidUtf8), 0u);
        ASSERT_EQ(rec.messages.size(), 2u);
        EXPECT_FALSE(rec.messages[0].message.compressed);
        EXPECT_EQ(rec.messages[0].message.payload, "hi");
        EXPECT_EQ(rec.messages[0].message.length, 2u);
        EXPECT_TRUE(rec.messages[0].message.validText);
        EXPECT_EQ(rec.messages[1].message.payload, std::string("\x01\x02", 2));
    }
}

TEST(WsSession, TooManyOutstandingPingsAreBounded) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    std::vector<Step> steps;
    for (int i = 0; i < 40; ++i) {
        steps.push_back({S, frame(S, 0x9, std::to_string(i))});
    }
    run(s, steps, false);
    EXPECT_EQ(s.outstandingPings(S), WsSession::kMaxOutstandingPings);
    EXPECT_EQ(rec.count(AnomalyId::WsFramePingUnanswered), 40 - WsSession::kMaxOutstandingPings);
    s.finish({100, Timestamp{100}});
    EXPECT_EQ(rec.count(AnomalyId::WsFramePingUnanswered), 40u);
    EXPECT_EQ(s.outstandingPings(S), 0u);
}

TEST(WsSession, BrokenPingOrClosingPeerOwesNoPong) {
    {
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        run(s, {{C, frame(C, 0x9, "frag", false)}, {C, frame(C, 0x9, Buf(126, 'x'))}});
        EXPECT_EQ(rec.count(AnomalyId::WsFrameControlFragmented), 1u);
        EXPECT_EQ(rec.count(AnomalyId::WsFrameControlTooLarge), 1u);
        EXPECT_EQ(rec.count(AnomalyId::WsFramePingUnanswered), 0u);
    }
    {
        // The pinged side answers with Close 1002 instead (gorilla on a protocol error).
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        run(s, {{S, frame(S, 0x9, "beat")}, {C, frame(C, 0x8, closeBody(1002))}});
        EXPECT_TRUE(rec.anomalies.empty()) << rec.anomalyList();
    }
    {
        // A ping sent after the pinger's own Close is owed nothing either.
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        run(s, {{S, frame(S, 0x8, closeBody(1000))}, {S, frame(S, 0x9, "late")}});
        EXPECT_EQ(rec.count(AnomalyId::WsFrameAfterClose), 1u);
        EXPECT_EQ(rec.count(AnomalyId::WsFramePingUnanswered), 0u);
    }
}

TEST(WsSession, PingStillUnansweredWhenThePeerClosesLaterIsFlagged) {
    // The server pings at t = 0; the client sends Close `after` later and never pongs. Within
    // kPongGrace it may have been closing already; a second later it simply did not answer.
    struct Case {
        std::int64_t after;
        std::size_t flagged;
    };
    for (const Case c : {Case{1'000'000'000, 1}, Case{WsSession::kPongGrace + 1, 1},
                         Case{WsSession::kPongGrace - 1, 0}, Case{10'000'000, 0}}) {
        SessionRecorder rec;
        WsSession s(1, WsNegotiation{}, Limits{}, rec);
        const Buf ping = frame(S, 0x9, "beat");
        const Buf close = frame(C, 0x8, closeBody(1000));
        const Buf answer = frame(S, 0x8, closeBody(1000));
        const std::int64_t t0 = 1'000'000'000;
        s.feed(S, Bytes(ping.data(), ping.size()), 0, {1, Timestamp{t0}});
        s.feed(C, Bytes(close.data(), close.size()), 0, {2, Timestamp{t0 + c.after}});
        s.feed(S, Bytes(answer.data(), answer.size()), ping.size(),
               {3, Timestamp{t0 + c.after + 1000}});
        s.finish({4, Timestamp{t0 + c.after + 2000}});
        EXPECT_EQ(rec.count(AnomalyId::WsFramePingUnanswered), c.flagged) << c.after;
        if (c.flagged == 1) {
            ASSERT_EQ(rec.anomalies.size(), 1u) << rec.anomalyList();
            EXPECT_EQ(rec.anomalies[0].packet, 1u) << "pinned to the ping";
            EXPECT_NE(rec.anomalies[0].detail.find("although the client closed"), std::string::npos)
                << rec.anomalies[0].detail;
        }
    }
}

TEST(WsSession, EndCutsOpenMessage) {
    SessionRecorder rec;
    WsSession s(1, WsNegotiation{}, Limits{}, rec);
    const Buf f = frame(C, 0x1, "unfinished business");
    s.feed(C, Bytes(f.data(), 12), 0, {1, Timestamp{1}});
    s.endDirection(C, {2, Timestamp{2}});
    s.endDirection(C, {3, Timestamp{3}}); // idempotent
    ASSERT_EQ(rec.frames.size(), 1u);
    EXPECT_FALSE(rec.frames[0].frame.complete);
    ASSERT_EQ(rec.messages.size(), 1u);
    EXPECT_FALSE(rec.messages[0].message.complete);
    EXPECT_EQ(rec.messages[0].message.payload, "unfini");
}

} // namespace
} // namespace wst::test
