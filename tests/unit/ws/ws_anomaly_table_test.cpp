// SPDX-License-Identifier: MIT
// One row per frame/close/deflate anomaly WsSession emits: it fires on the bad input and
// stays silent on the matching good input (which raises no anomaly at all).
#include "tests/unit/ws/session_recorder.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

constexpr Direction C = Direction::ClientToServer;
constexpr Direction S = Direction::ServerToClient;

struct Case {
    const char* name;
    AnomalyId id;
    std::vector<Step> bad;
    std::vector<Step> good;
    bool deflate = false;
    std::size_t inflateCap = 64 * 1024 * 1024;
};

WsNegotiation negotiation(bool deflate) {
    WsNegotiation n;
    n.deflate.enabled = deflate;
    return n;
}

Buf compressed(std::string_view text) {
    Deflater d(15, true);
    return d.message(toBuf(text));
}

Buf unmaskedFrom(Direction, std::uint8_t opcode, std::string_view payload) {
    FrameSpec s;
    s.opcode = opcode;
    s.payload = toBuf(payload);
    return wsFrame(s);
}

Buf maskedFrom(std::uint8_t opcode, std::string_view payload) {
    FrameSpec s;
    s.opcode = opcode;
    s.payload = toBuf(payload);
    s.masked = true;
    return wsFrame(s);
}

std::vector<Case> cases() {
    std::vector<Case> v;
    v.push_back({"client unmasked",
                 AnomalyId::WsFrameClientUnmasked,
                 {{C, unmaskedFrom(C, 0x1, "hi")}},
                 {{C, frame(C, 0x1, "hi")}}});
    v.push_back({"server masked",
                 AnomalyId::WsFrameServerMasked,
                 {{S, maskedFrom(0x1, "hi")}},
                 {{S, frame(S, 0x1, "hi")}}});
    v.push_back({"rsv1 without deflate",
                 AnomalyId::WsFrameRsvWithoutExtension,
                 {{S, frame(S, 0x1, "hi", true, 4)}},
                 {{S, frame(S, 0x1, "hi")}}});
    v.push_back({"rsv2",
                 AnomalyId::WsFrameRsvWithoutExtension,
                 {{C, frame(C, 0x2, "hi", true, 2)}},
                 {{C, frame(C, 0x2, "hi")}}});
    v.push_back({"rsv3 on deflate connection",
                 AnomalyId::WsFrameRsvWithoutExtension,
                 {{C, frame(C, 0x2, "hi", true, 1)}},
                 {{C, frame(C, 0x2, "hi")}},
                 true});
    {
        const Buf z = compressed("hello hello hello");
        const Buf a(z.begin(), z.begin() + 4);
        const Buf b(z.begin() + 4, z.end());
        v.push_back({"rsv1 on continuation",
                     AnomalyId::WsFrameRsvWithoutExtension,
                     {{S, frame(S, 0x1, a, false, 4)}, {S, frame(S, 0x0, b, true, 4)}},
                     {{S, frame(S, 0x1, a, false, 4)}, {S, frame(S, 0x0, b, true, 0)}},
                     true});
    }
    v.push_back({"reserved opcode 3",
                 AnomalyId::WsFrameReservedOpcode,
                 {{S, frame(S, 0x3, "x")}},
                 {{S, frame(S, 0x2, "x")}}});
    v.push_back({"reserved opcode B",
                 AnomalyId::WsFrameReservedOpcode,
                 {{C, frame(C, 0xB, "x")}},
                 {{C, frame(C, 0xA, "x")}}});
    v.push_back({"control too large",
                 AnomalyId::WsFrameControlTooLarge,
                 {{S, frame(S, 0xA, Buf(126, 'p'))}},
                 {{S, frame(S, 0xA, Buf(125, 'p'))}}});
    v.push_back({"control fragmented",
                 AnomalyId::WsFrameControlFragmented,
                 {{S, frame(S, 0xA, "p", false)}},
                 {{S, frame(S, 0xA, "p", true)}}});
    {
        FrameSpec nonmin;
        nonmin.opcode = 0x2;
        nonmin.payload = toBuf("12345");
        nonmin.form = LenForm::Force16;
        FrameSpec nonmin64 = nonmin;
        nonmin64.form = LenForm::Force64;
        nonmin64.payload = Buf(300, 'z');
        FrameSpec ok16 = nonmin64;
        ok16.form = LenForm::Minimal;
        v.push_back({"length not minimal 16",
                     AnomalyId::WsFrameLengthNotMinimal,
                     {{S, wsFrame(nonmin)}},
                     {{S, frame(S, 0x2, "12345")}}});
        v.push_back({"length not minimal 64",
                     AnomalyId::WsFrameLengthNotMinimal,
                     {{S, wsFrame(nonmin64)}},
                     {{S, wsFrame(ok16)}}});
        FrameSpec ok64;
        ok64.opcode = 0x2;
        ok64.payload = Buf(70000, 'q');
        Buf msb = toBuf("\x82\x7f\x80");
        msb.insert(msb.end(), {0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c'});
        v.push_back(
            {"length msb set", AnomalyId::WsFrameLengthMsbSet, {{S, msb}}, {{S, wsFrame(ok64)}}});
    }
    v.push_back({"continuation without start",
                 AnomalyId::WsFrameContinuationWithoutStart,
                 {{S, frame(S, 0x0, "lo")}},
                 {{S, frame(S, 0x1, "Hel", false)}, {S, frame(S, 0x0, "lo")}}});
    v.push_back(
        {"interleaved message",
         AnomalyId::WsFrameInterleavedMessage,
         {{S, frame(S, 0x1, "Hel", false)}, {S, frame(S, 0x2, "x")}},
         // A control frame between fragments is allowed (RFC 6455 §5.4).
         {{S, frame(S, 0x1, "Hel", false)}, {S, frame(S, 0xA, "")}, {S, frame(S, 0x0, "lo")}}});
    v.push_back({"invalid utf8",
                 AnomalyId::WsFrameInvalidUtf8,
                 {{C, frame(C, 0x1, Buf{'a', 0xC0, 0xAF})}},
                 {{C, frame(C, 0x1, Buf{'a', 0xC3, 0xA9})}}});
    v.push_back({"utf8 cut at message end",
                 AnomalyId::WsFrameInvalidUtf8,
                 {{S, frame(S, 0x1, Buf{'a', 0xC3}, false)}, {S, frame(S, 0x0, "")}},
                 // A code point split between two fragments is fine.
                 {{S, frame(S, 0x1, Buf{'a', 0xC3}, false)}, {S, frame(S, 0x0, Buf{0xA9})}}});
    v.push_back({"invalid utf8 in compressed text",
                 AnomalyId::WsFrameInvalidUtf8,
                 {{S, frame(
                          S, 0x1,
                          [] {
                              Deflater d(15, true);
                              return d.message(Buf{'o', 'k', 0xFF});
                          }(),
                          true, 4)}},
                 {{S, frame(S, 0x1, compressed("ok \xC3\xA9"), true, 4)}},
                 true});
    v.push_back({"frame after close",
                 AnomalyId::WsFrameAfterClose,
                 {{S, frame(S, 0x8, closeBody(1000))}, {S, frame(S, 0x1, "late")}},
                 {{S, frame(S, 0x1, "early")}, {S, frame(S, 0x8, closeBody(1000))}}});
    v.push_back({"ping unanswered",
                 AnomalyId::WsFramePingUnanswered,
                 {{S, frame(S, 0x9, "beat")}, {C, frame(C, 0x1, "data")}},
                 {{S, frame(S, 0x9, "beat")}, {C, frame(C, 0xA, "beat")}}});
    v.push_back({"pong with other payload",
                 AnomalyId::WsFramePingUnanswered,
                 {{C, frame(C, 0x9, "1")}, {S, frame(S, 0xA, "2")}},
                 // An endpoint may answer only the latest of several pings (§5.5.3).
                 {{C, frame(C, 0x9, "1")}, {C, frame(C, 0x9, "2")}, {S, frame(S, 0xA, "2")}}});
    v.push_back({"close one byte",
                 AnomalyId::WsClosePayloadOneByte,
                 {{C, frame(C, 0x8, Buf{0x03})}},
                 {{C, frame(C, 0x8, Buf{})}}});
    for (std::uint16_t code : {0, 999, 1004, 1016, 2999, 5000, 65535}) {
        v.push_back({"close code invalid",
                     AnomalyId::WsCloseCodeInvalid,
                     {{S, frame(S, 0x8, closeBody(code))}},
                     {{S, frame(S, 0x8, closeBody(1000))}}});
    }
    for (std::uint16_t code : {1005, 1006, 1015}) {
        v.push_back({"close code reserved",
                     AnomalyId::WsCloseCodeReservedOnWire,
                     {{S, frame(S, 0x8, closeBody(code))}},
                     {{S, frame(S, 0x8, closeBody(1001))}}});
    }
    for (std::uint16_t code : {1002, 1003, 1007, 1011, 1012, 1014, 3000, 4999}) {
        v.push_back(
            {"close code valid",
             AnomalyId::WsCloseCodeInvalid,
             {{S,
               frame(S, 0x8, closeBody(static_cast<std::uint16_t>(code == 3000 ? 2000 : 1004)))}},
             {{S, frame(S, 0x8, closeBody(code, "why"))}}});
    }
    v.push_back({"close reason not utf8",
                 AnomalyId::WsCloseReasonInvalidUtf8,
                 {{C, frame(C, 0x8, cat({closeBody(1000), Buf{0xFF, 0xFE}}))}},
                 {{C, frame(C, 0x8, closeBody(1000, "bye \xC3\xA9"))}}});
    v.push_back({"deflate error",
                 AnomalyId::WsDeflateError,
                 {{S, frame(S, 0x2, Buf{0xFF, 0xFF, 0xFF, 0x01}, true, 4)}},
                 {{S, frame(S, 0x2, compressed("binary but fine"), true, 4)}},
                 true});
    {
        Case c{"deflate size limit",
               AnomalyId::WsDeflateSizeLimit,
               {{S, frame(S, 0x1, compressed(std::string(10000, 'a')), true, 4)}},
               {{S, frame(S, 0x1, compressed(std::string(1000, 'a')), true, 4)}},
               true};
        c.inflateCap = 5000;
        v.push_back(c);
    }
    v.push_back({"compressed control",
                 AnomalyId::WsDeflateControlCompressed,
                 {{C, frame(C, 0xA, "x", true, 4)}},
                 {{C, frame(C, 0xA, "x")}},
                 true});
    {
        // A gap that swallows a frame boundary desynchronises; one inside a payload does not.
        const Buf big = frame(S, 0x2, Buf(100, 'b'));
        const Buf head(big.begin(), big.begin() + 10);
        const Buf tail(big.begin() + 60, big.end());
        const Buf after = cat({frame(S, 0x1, "one"), frame(S, 0x1, "two")});
        const std::vector<Step> lostBoundary{
            {S, head}, {S, {}, static_cast<std::uint64_t>(big.size() - 10 + 7)}, {S, after}};
        const std::vector<Step> insidePayload{{S, head}, {S, {}, 50}, {S, tail}, {S, after}};
        v.push_back(
            {"desync after gap", AnomalyId::WsFrameDesyncAfterGap, lostBoundary, insidePayload});
        v.push_back({"resynced", AnomalyId::WsFrameResynced, lostBoundary, insidePayload});
    }
    v.push_back({"http in websocket",
                 AnomalyId::HijackHttpInWebSocket,
                 {{S, frame(S, 0x1, "ok")},
                  {S, toBuf("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")}},
                 {{S, frame(S, 0x1, "ok")}, {S, frame(S, 0x1, "HTTP/1.1 is just text here")}}});
    return v;
}

TEST(WsAnomalyTable, FiresOnBadAndStaysSilentOnGood) {
    for (const Case& c : cases()) {
        Limits limits;
        limits.inflatedBytesPerMessage = c.inflateCap;
        {
            SessionRecorder rec;
            WsSession s(7, negotiation(c.deflate), limits, rec);
            run(s, c.bad);
            const Anomaly* a = rec.find(c.id);
            ASSERT_NE(a, nullptr) << c.name << "\n" << rec.anomalyList();
            EXPECT_EQ(a->connection, 7u) << c.name;
            EXPECT_TRUE(a->direction.has_value()) << c.name;
            EXPECT_NE(a->detail.find("expected="), std::string::npos) << c.name;
            EXPECT_NE(a->detail.find("found="), std::string::npos) << c.name;
            EXPECT_GT(a->packet, 0u) << c.name;
        }
        {
            SessionRecorder rec;
            WsSession s(7, negotiation(c.deflate), limits, rec);
            run(s, c.good);
            EXPECT_TRUE(rec.anomalies.empty()) << c.name << "\n" << rec.anomalyList();
        }
    }
}

TEST(WsAnomalyTable, EveryBadInputGivesTheSameAnomaliesAtEverySplit) {
    // The anomalies (id, direction, offset) do not depend on how TCP cut the bytes.
    // With gaps: after a desync the parser keeps a short tail of scanned bytes, so the small
    // frames here are found wherever the segments end.
    for (const Case& c : cases()) {
        std::size_t total = 0;
        for (const Step& st : c.bad) {
            total += st.bytes.size();
        }
        if (total > 400) {
            continue;
        }
        Limits limits;
        limits.inflatedBytesPerMessage = c.inflateCap;
        SessionRecorder whole;
        {
            WsSession s(1, negotiation(c.deflate), limits, whole);
            run(s, c.bad);
        }
        for (std::size_t stepIndex = 0; stepIndex < c.bad.size(); ++stepIndex) {
            for (std::size_t cut = 1; cut < c.bad[stepIndex].bytes.size(); ++cut) {
                std::vector<Step> split;
                for (std::size_t i = 0; i < c.bad.size(); ++i) {
                    const Buf& b = c.bad[i].bytes;
                    if (i != stepIndex) {
                        split.push_back(c.bad[i]);
                        continue;
                    }
                    split.push_back(
                        {c.bad[i].dir, Buf(b.begin(), b.begin() + static_cast<long>(cut))});
                    split.push_back(
                        {c.bad[i].dir, Buf(b.begin() + static_cast<long>(cut), b.end())});
                }
                SessionRecorder rec;
                WsSession s(1, negotiation(c.deflate), limits, rec);
                run(s, split);
                ASSERT_EQ(rec.anomalies.size(), whole.anomalies.size())
                    << c.name << " cut " << cut << "\n"
                    << rec.anomalyList();
                for (std::size_t i = 0; i < rec.anomalies.size(); ++i) {
                    EXPECT_EQ(rec.anomalies[i].id, whole.anomalies[i].id) << c.name;
                    EXPECT_EQ(rec.anomalies[i].streamOffset, whole.anomalies[i].streamOffset)
                        << c.name;
                }
            }
        }
    }
}

} // namespace
} // namespace wst::test
