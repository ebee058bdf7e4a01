// SPDX-License-Identifier: MIT
// The connection analyzer's summary, events and invariants: a healthy session, the same bytes
// split differently, determinism, the anomaly cap, midstream recognition, HTTP text recovery,
// and capture-level anomalies.
#include "decoder/analysis/analyzer.h"
#include "tests/unit/analysis/conversation.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <tuple>

namespace wst::test {
namespace {

Conversation runHealthy(std::size_t split = 0) {
    Conversation c;
    c.handshake();
    auto send = [&](Direction d, const std::string& b, std::int64_t after = 100 * kUs) {
        if (split == 0) {
            c.send(d, b, after);
        } else {
            c.sendSplit(d, b, split, after);
        }
    };
    send(C2S, upgradeRequest());
    send(S2C, gorilla101(), 300 * kUs);
    send(C2S, clientText("hello"));
    send(S2C, serverText("hello back"));
    send(C2S, frame(0x9, "p", true));
    send(S2C, frame(0xA, "p", false));
    send(C2S, frame(0x2, std::string(70000, 'x'), true)); // 64-bit length, spans segments
    send(C2S, closeFrame(1000, "bye", true));
    send(S2C, closeFrame(1000, "", false)); // gorilla answers with the code alone
    c.fin(S2C).fin(C2S).end();
    return c;
}

// A 101 naming a subprotocol the client never offered: node ws's client closes without a frame
// (failed, with the reason in the notes), gorilla's goes on (upgraded).
TEST(Analyzer, ClientThatLeavesAfterAnUnofferedSubprotocolFailedTheUpgrade) {
    const std::string chosen = gorilla101("Sec-WebSocket-Protocol: chat\r\n");
    for (const bool clientSpeaks : {false, true}) {
        Conversation c;
        c.handshake();
        c.send(C2S, upgradeRequest());
        c.send(S2C, chosen, 300 * kUs);
        if (clientSpeaks) {
            c.send(C2S, clientText("hello"));
        }
        c.fin(C2S).fin(S2C).end();
        EXPECT_TRUE(c.has(AnomalyId::WsHandshakeUnofferedSubprotocol)) << clientSpeaks;
        EXPECT_EQ(c.connection().outcome, clientSpeaks ? Outcome::Upgraded : Outcome::Failed);
        const auto& notes = c.connection().notes;
        const bool explained = std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
            return n.find("the client rejected the 101") != std::string::npos;
        });
        EXPECT_EQ(explained, !clientSpeaks);
    }
}

// "clean" means the closing handshake completed without a failure code and TCP was closed in
// order (RFC 6455 §7.1.1-§7.1.4): each case changes one thing about a healthy close.
TEST(Analyzer, CleanCloseNeedsGoodCodesAndAnOrderlyTcpEnd) {
    struct Case {
        const char* what;
        std::uint16_t clientCode;
        std::uint16_t serverCode;
        bool serverFin;
        bool clean;
    };
    for (const Case k : {Case{"1000 both ways, FIN both ways", 1000, 1000, true, true},
                         Case{"1001 going away", 1001, 1000, true, true},
                         Case{"application code 4000", 4000, 4000, true, true},
                         Case{"client answers with 1002", 1002, 1000, true, false},
                         Case{"server closes with 1011", 1000, 1011, true, false},
                         Case{"server never sends FIN", 1000, 1000, false, false}}) {
        Conversation c;
        c.handshake();
        c.send(C2S, upgradeRequest());
        c.send(S2C, gorilla101(), 300 * kUs);
        c.send(S2C, closeFrame(k.serverCode, "", false));
        c.send(C2S, closeFrame(k.clientCode, "", true));
        if (k.serverFin) {
            c.fin(S2C);
        }
        c.fin(C2S).end();
        EXPECT_EQ(c.connection().cleanClose, k.clean) << k.what;
    }
}

TEST(ConnectionAnalyzer, HealthySessionSummary) {
    const Conversation c = runHealthy();
    const Connection& k = c.connection();
    EXPECT_TRUE(k.finished);
    EXPECT_EQ(k.outcome, Outcome::Upgraded);
    ASSERT_TRUE(k.request.has_value());
    EXPECT_EQ(k.request->method, "GET");
    EXPECT_EQ(k.request->key, kKey);
    EXPECT_TRUE(k.request->isUpgrade);
    ASSERT_EQ(k.responses.size(), 1u);
    EXPECT_EQ(k.responses[0].status, 101);
    EXPECT_EQ(k.responses[0].accept, kAccept);
    // The 101's bytes are node ws' too; the Close reply without the reason narrows it.
    EXPECT_EQ(k.responses[0].fingerprint, "gorilla/websocket");
    EXPECT_NE(k.responses[0].fingerprintEvidence.find("with its code alone"), std::string::npos)
        << k.responses[0].fingerprintEvidence;
    EXPECT_TRUE(k.serverIsGo);
    ASSERT_TRUE(k.handshakeLatencyNs.has_value());
    EXPECT_EQ(*k.handshakeLatencyNs, 300 * kUs);

    const DirectionStats& cs = k.stats[0];
    const DirectionStats& sc = k.stats[1];
    EXPECT_EQ(cs.frames, 4u);
    EXPECT_EQ(cs.framesByOpcode[0x1], 1u);
    EXPECT_EQ(cs.framesByOpcode[0x2], 1u);
    EXPECT_EQ(cs.framesByOpcode[0x9], 1u);
    EXPECT_EQ(cs.framesByOpcode[0x8], 1u);
    EXPECT_EQ(cs.messages, 2u);
    EXPECT_EQ(sc.frames, 3u);
    EXPECT_EQ(sc.messages, 1u);
    EXPECT_TRUE(cs.sentClose);
    EXPECT_EQ(cs.closeCode, 1000);
    EXPECT_EQ(cs.closeReason, "bye");
    EXPECT_EQ(k.firstClose, C2S);
    EXPECT_EQ(k.firstTcpEnd, S2C);
    EXPECT_EQ(cs.tcpEnd, TcpEnd::Fin);
    EXPECT_TRUE(k.cleanClose);
    EXPECT_EQ(cs.packets, 5u);
    EXPECT_EQ(cs.bytes, upgradeRequest().size() + clientText("hello").size() +
                            frame(0x9, "p", true).size() +
                            frame(0x2, std::string(70000, 'x'), true).size() +
                            closeFrame(1000, "bye", true).size());
    // Nothing wrong: gin's access log line is the verdict's fact, not an anomaly.
    EXPECT_TRUE(c.ids().empty());
    EXPECT_EQ(k.anomaliesBySeverity[0], 0u);
    EXPECT_TRUE(k.verdict.accessLogShows200 || k.verdict.accessLogMayShow200);
    EXPECT_FALSE(k.notes.empty());
    EXPECT_EQ(k.verdict.headline, "upgraded; closed cleanly");

    EXPECT_EQ(c.events(EventKind::TcpSyn), 1u);
    EXPECT_EQ(c.events(EventKind::TcpSynAck), 1u);
    EXPECT_EQ(c.events(EventKind::HttpRequest), 1u);
    EXPECT_EQ(c.events(EventKind::HttpResponse), 1u);
    EXPECT_EQ(c.events(EventKind::Upgrade), 1u);
    EXPECT_EQ(c.events(EventKind::WsFrame), 7u);
    EXPECT_EQ(c.events(EventKind::WsMessage), 3u);
    EXPECT_EQ(c.events(EventKind::WsClose), 2u);
    EXPECT_EQ(c.events(EventKind::TcpFin), 2u);
}

TEST(ConnectionAnalyzer, MessagesCarryUnmaskedPrefixes) {
    const Conversation c = runHealthy();
    std::vector<std::string> texts;
    for (const Event& e : c.store().events) {
        if (e.kind == EventKind::WsMessage && e.opcode == 0x1) {
            ASSERT_NE(e.ref, Event::kNoRef);
            texts.push_back(c.store().messages[e.ref].payload);
        }
        if (e.kind == EventKind::WsFrame && e.opcode == 0x8) {
            ASSERT_NE(e.ref, Event::kNoRef) << "control frames carry their payload";
            // The client's "bye"; the server answers with the code alone.
            EXPECT_EQ(c.store().messages[e.ref].payload.substr(2), e.direction == C2S ? "bye" : "");
        }
    }
    EXPECT_EQ(texts, (std::vector<std::string>{"hello", "hello back"}));
}

TEST(ConnectionAnalyzer, PayloadPrefixIsCapped) {
    Limits limits;
    limits.payloadPrefixBytes = 16;
    Conversation c(true, limits);
    c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    c.send(C2S, frame(0x2, std::string(1000, 'z'), true)).end();
    for (const Event& e : c.store().events) {
        if (e.kind == EventKind::WsMessage) {
            EXPECT_EQ(e.length, 1000u);
            EXPECT_EQ(c.store().messages[e.ref].payload, std::string(16, 'z'));
        }
    }
}

// The same bytes cut into segments of any size give the same frames, messages and anomalies.
TEST(ConnectionAnalyzer, SegmentationDoesNotChangeTheResult) {
    const Conversation whole = runHealthy();
    for (std::size_t split : {1u, 2u, 3u, 7u, 13u, 1448u}) {
        const Conversation parts = runHealthy(split);
        EXPECT_EQ(parts.ids(), whole.ids()) << "split " << split;
        EXPECT_EQ(parts.connection().stats[0].framesByOpcode,
                  whole.connection().stats[0].framesByOpcode)
            << "split " << split;
        EXPECT_EQ(parts.connection().stats[1].frames, whole.connection().stats[1].frames);
        EXPECT_EQ(parts.connection().outcome, whole.connection().outcome);
        ASSERT_EQ(parts.store().messages.size(), whole.store().messages.size());
        for (std::size_t i = 0; i < whole.store().messages.size(); ++i) {
            EXPECT_EQ(parts.store().messages[i].payload, whole.store().messages[i].payload);
            EXPECT_EQ(parts.store().messages[i].length, whole.store().messages[i].length);
        }
    }
}

TEST(ConnectionAnalyzer, SameInputTwiceGivesIdenticalEvents) {
    const Conversation a = runHealthy(5);
    const Conversation b = runHealthy(5);
    ASSERT_EQ(a.store().events.size(), b.store().events.size());
    for (std::size_t i = 0; i < a.store().events.size(); ++i) {
        const Event& x = a.store().events[i];
        const Event& y = b.store().events[i];
        EXPECT_EQ(std::tie(x.time, x.packet, x.streamOffset, x.length, x.kind, x.direction,
                           x.opcode, x.frameFlags, x.closeCode, x.status, x.ref),
                  std::tie(y.time, y.packet, y.streamOffset, y.length, y.kind, y.direction,
                           y.opcode, y.frameFlags, y.closeCode, y.status, y.ref));
    }
    ASSERT_EQ(a.store().anomalies.size(), b.store().anomalies.size());
    for (std::size_t i = 0; i < a.store().anomalies.size(); ++i) {
        EXPECT_EQ(a.store().anomalies[i].detail, b.store().anomalies[i].detail);
    }
}

TEST(ConnectionAnalyzer, AnomaliesAreCappedPerIdAndCounted) {
    Limits limits;
    limits.anomaliesPerConnectionAndId = 3;
    Conversation c(true, limits);
    c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    for (int i = 0; i < 10; ++i) {
        c.send(S2C, serverText("x")).gap(C2S, 4);
    }
    c.end();
    EXPECT_EQ(c.count(AnomalyId::TcpGap), 3u);
    const Connection& k = c.connection();
    EXPECT_GE(k.anomaliesDropped, 7u);
    EXPECT_GE(k.anomaliesBySeverity[static_cast<int>(Severity::Warning)], 10u);
    EXPECT_EQ(k.stats[0].gaps, 10u);
    EXPECT_EQ(k.stats[0].gapBytes, 40u);
}

TEST(ConnectionAnalyzer, MidstreamFramesFixTheDirection) {
    // No SYN, and the port guess was wrong: the "client" sends unmasked frames.
    Conversation c(false);
    c.send(C2S, serverText("from the server") + serverText("again"));
    c.send(S2C, clientText("from the client"));
    c.end();
    const Connection& k = c.connection();
    EXPECT_EQ(k.outcome, Outcome::Midstream);
    EXPECT_EQ(k.client.port, 8080) << "client and server swapped by the mask bits";
    EXPECT_EQ(k.server.port, 40000);
    EXPECT_EQ(k.stats[index(S2C)].messages, 2u);
    EXPECT_EQ(k.stats[index(C2S)].messages, 1u);
    EXPECT_EQ(c.count(AnomalyId::WsHandshakeNotSeen), 1u);
    EXPECT_FALSE(c.has(AnomalyId::WsFrameClientUnmasked));
    EXPECT_FALSE(c.has(AnomalyId::WsFrameServerMasked));
}

TEST(ConnectionAnalyzer, MidstreamStartsInsideAFrame) {
    Conversation c(false);
    const std::string first = serverText(std::string(40, 'a'));
    c.send(S2C, first.substr(10) + serverText("b") + serverText("c")).end();
    EXPECT_EQ(c.connection().outcome, Outcome::Midstream);
    EXPECT_EQ(c.connection().stats[index(S2C)].messages, 2u);
}

TEST(ConnectionAnalyzer, HttpTextInsideTheStreamIsParsedAndSkipped) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    c.send(S2C, serverText("a"));
    c.send(S2C,
           "HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\nBad Request" + serverText("b"));
    c.end();
    const Anomaly* a = c.first(AnomalyId::HijackHttpInWebSocket);
    ASSERT_NE(a, nullptr);
    EXPECT_NE(a->detail.find("HTTP/1.1 400 Bad Request"), std::string::npos) << a->detail;
    EXPECT_EQ(c.connection().stats[index(S2C)].messages, 2u) << "frames resume after the body";
    EXPECT_EQ(c.events(EventKind::HttpResponse), 2u);
    EXPECT_FALSE(c.has(AnomalyId::WsFrameRsvWithoutExtension));
}

TEST(ConnectionAnalyzer, TwoResponsesStillDecodeTheLateUpgrade) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest());
    c.send(S2C, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    c.send(S2C, gorilla101() + serverText("hi")).fin(C2S).end();
    EXPECT_EQ(c.connection().outcome, Outcome::Failed);
    EXPECT_EQ(c.connection().responses.size(), 2u);
    EXPECT_EQ(c.connection().stats[index(S2C)].messages, 1u);
    EXPECT_FALSE(c.has(AnomalyId::HttpUpgradeIgnored));
    EXPECT_FALSE(c.connection().verdict.accessLogShows200 ||
                 c.connection().verdict.accessLogMayShow200)
        << "the client never saw that 101";
    EXPECT_FALSE(c.has(AnomalyId::HijackClosedAfterUpgrade)) << "explained by the first answer";
}

TEST(ConnectionAnalyzer, EarlyDataIsNotBlamedWhenTheAnswerWasLost) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest() + clientText("hi"));
    c.gap(S2C, gorilla101().size()).send(S2C, serverText("a") + serverText("b")).end();
    EXPECT_FALSE(c.has(AnomalyId::WsHandshakeEarlyClientData));
    EXPECT_TRUE(c.has(AnomalyId::WsHandshakeNotSeen));
    EXPECT_EQ(c.connection().outcome, Outcome::Midstream);
    EXPECT_EQ(c.connection().stats[index(C2S)].messages, 1u) << "held client frame decoded";
    EXPECT_FALSE(c.has(AnomalyId::HttpNoResponse));
}

TEST(ConnectionAnalyzer, NoResponseAfterEarlyDataNamesGorilla) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest() + clientText("hi")).fin(S2C).end();
    ASSERT_TRUE(c.has(AnomalyId::WsHandshakeEarlyClientData));
    const Anomaly* a = c.first(AnomalyId::HttpNoResponse);
    ASSERT_NE(a, nullptr);
    EXPECT_NE(a->detail.find("gorilla"), std::string::npos) << a->detail;
    EXPECT_EQ(c.connection().outcome, Outcome::Failed);
}

TEST(ConnectionAnalyzer, UnansweredRequestAtCaptureEnd) {
    Conversation slow;
    slow.handshake().send(C2S, upgradeRequest()).end(6 * kS);
    EXPECT_TRUE(slow.has(AnomalyId::HttpNoResponse));
    Conversation recent; // the answer could still come
    recent.handshake().send(C2S, upgradeRequest()).end(2 * kS);
    EXPECT_FALSE(recent.has(AnomalyId::HttpNoResponse));
}

TEST(ConnectionAnalyzer, RefusalDetailsNameTheCause) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest("Origin: http://evil.example\r\n"));
    c.send(S2C, gorillaError(403, "Forbidden", "Forbidden\n")).fin(C2S).end();
    const Anomaly* a = c.first(AnomalyId::HttpUpgradeRefused);
    ASSERT_NE(a, nullptr);
    EXPECT_NE(a->detail.find("expected=101, found=403"), std::string::npos) << a->detail;
    EXPECT_NE(a->detail.find("evil.example"), std::string::npos) << a->detail;
    EXPECT_EQ(c.connection().outcome, Outcome::Refused);
    EXPECT_EQ(c.connection().responses[0].bodyPrefix, "Forbidden\n");
}

TEST(ConnectionAnalyzer, IdleCloseNamesTheTimeout) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    c.send(C2S, clientText("hi")).fin(S2C, 60 * kS).end();
    const Anomaly* a = c.first(AnomalyId::WsCloseIdleTimeout);
    ASSERT_NE(a, nullptr);
    EXPECT_NE(a->detail.find("60 s"), std::string::npos) << a->detail;
    EXPECT_NE(a->detail.find("nginx"), std::string::npos) << a->detail;

    // The client closing after the same quiet time is not a proxy's timeout: the fact stays
    // a missing Close, with the time named.
    Conversation d;
    d.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    d.send(C2S, clientText("hi")).fin(C2S, 60 * kS).end();
    EXPECT_FALSE(d.has(AnomalyId::WsCloseIdleTimeout));
    const Anomaly* m = d.first(AnomalyId::WsCloseMissing);
    ASSERT_NE(m, nullptr);
    EXPECT_NE(m->detail.find("60 s"), std::string::npos) << m->detail;
}

// gorilla's protocol-error path: Close and FIN at once, then the client's Close reply draws a
// RST. RFC 6455 §7.1.7 allows a server to do this (and §7.1.1 wants the server to close TCP
// first): no close anomaly, but the RST
// (seen only as the client direction's PeerReset) is on the timeline.
TEST(ConnectionAnalyzer, ServerCloseThenResetIsNotAbnormal) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    c.send(S2C, closeFrame(1002, "bad MASK", false)).fin(S2C, 20 * kUs);
    c.send(C2S, closeFrame(1002, "", true)).rst(S2C).end();
    EXPECT_FALSE(c.has(AnomalyId::WsCloseAbnormal));
    EXPECT_FALSE(c.has(AnomalyId::WsCloseNotAnswered));
    EXPECT_FALSE(c.has(AnomalyId::WsCloseMissing));
    EXPECT_EQ(c.events(EventKind::TcpRst), 1u);
    EXPECT_EQ(c.connection().firstClose, S2C);
    EXPECT_FALSE(c.connection().cleanClose) << "ended by a reset";
}

TEST(ConnectionAnalyzer, CloseMissingWaitsForTheWholeConnection) {
    // The server FINs with no Close either way; the client's late Close settles it.
    Conversation late;
    late.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    late.send(S2C, serverText("x")).fin(S2C, 5 * kS).send(C2S, closeFrame(1000, "", true));
    late.end();
    EXPECT_FALSE(late.has(AnomalyId::WsCloseMissing));
    Conversation none;
    none.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
    none.send(S2C, serverText("x")).fin(S2C, 5 * kS).fin(C2S).end();
    const Anomaly* a = none.first(AnomalyId::WsCloseMissing);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->direction, S2C);
    EXPECT_NE(a->detail.find("server FIN"), std::string::npos) << a->detail;
}

TEST(ConnectionAnalyzer, TcpNoticesBecomeAnomalies) {
    Conversation c;
    c.handshake()
        .notice(C2S, TcpNotice::OverlapConflict)
        .notice(C2S, TcpNotice::BufferLimitExceeded)
        .notice(S2C, TcpNotice::DataAfterFin)
        .notice(S2C, TcpNotice::DataAfterRst)
        .notice(S2C, TcpNotice::ZeroWindow)
        .end();
    EXPECT_EQ(c.ids(), (std::vector<AnomalyId>{
                           AnomalyId::TcpOverlapConflict, AnomalyId::TcpBufferLimitExceeded,
                           AnomalyId::TcpDataAfterFin, AnomalyId::TcpDataAfterRst}));
    Conversation partial(false);
    partial.end();
    EXPECT_TRUE(partial.has(AnomalyId::TcpPartialConnection));
    EXPECT_EQ(partial.connection().outcome, Outcome::TcpOnly);
}

TEST(ConnectionAnalyzer, IgnoredControlSegmentsSayWhere) {
    // Issue 21: the TCP layer ignored these segments; the anomaly says where they lay.
    Conversation c;
    c.handshake();
    const SegmentInfo at{9, Timestamp{}};
    c.analyzer().onNotice(S2C, TcpNotice::RstOutOfWindow, at, 20, 1'000'000'000);
    c.analyzer().onNotice(S2C, TcpNotice::FinOutOfWindow, at, 20, static_cast<std::uint64_t>(-16));
    c.analyzer().onNotice(C2S, TcpNotice::SynInConnection, at, 10, 777);
    c.analyzer().onNotice(C2S, TcpNotice::OverlapConflictLaterWins, at, 4, 10);
    c.end();
    const Anomaly* rst = c.first(AnomalyId::TcpRstOutOfWindow);
    ASSERT_NE(rst, nullptr);
    EXPECT_NE(rst->detail.find("from offset 20, found=+1000000000"), std::string::npos)
        << rst->detail;
    const Anomaly* fin = c.first(AnomalyId::TcpFinOutOfWindow);
    ASSERT_NE(fin, nullptr);
    EXPECT_NE(fin->detail.find("found=-16"), std::string::npos) << fin->detail;
    const Anomaly* syn = c.first(AnomalyId::TcpSynInConnection);
    ASSERT_NE(syn, nullptr);
    EXPECT_NE(syn->detail.find("isn=777"), std::string::npos) << syn->detail;
    const Anomaly* overlap = c.first(AnomalyId::TcpOverlapConflict);
    ASSERT_NE(overlap, nullptr);
    EXPECT_NE(overlap->detail.find("a Linux receiver takes the later one"), std::string::npos)
        << overlap->detail;
}

TEST(ConnectionAnalyzer, HeadPastTheLimitIsTooLarge) {
    Limits limits;
    limits.httpHeadBytes = 256;
    Conversation big(true, limits);
    big.handshake().sendSplit(C2S, upgradeRequest("X-Pad: " + std::string(600, 'p') + "\r\n"), 100);
    big.end();
    EXPECT_TRUE(big.has(AnomalyId::HttpHeadTooLarge));
    EXPECT_FALSE(big.has(AnomalyId::HttpHeadMalformed));
    Conversation fits(true, limits);
    fits.handshake().send(C2S, upgradeRequest()).end();
    EXPECT_FALSE(fits.has(AnomalyId::HttpHeadTooLarge));
}

TEST(ConnectionAnalyzer, PlainHttpIsHttpOnly) {
    Conversation c;
    c.handshake().send(C2S, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    c.send(S2C, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    c.send(C2S, "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    c.send(S2C, "HTTP/1.1 204 No Content\r\n\r\n").fin(C2S).fin(S2C).end();
    EXPECT_EQ(c.connection().outcome, Outcome::HttpOnly);
    EXPECT_TRUE(c.ids().empty());
    EXPECT_EQ(c.events(EventKind::HttpResponse), 2u);
}

TEST(Analyzer, CaptureAnomaliesAreBoundedAndSkipOtherTraffic) {
    Trace store;
    Limits limits;
    limits.anomaliesPerConnectionAndId = 2;
    Analyzer analyzer(store, limits);
    RawPacket p;
    p.number = 7;
    p.capturedLength = 60;
    p.originalLength = 1500;
    DecodedPacket d;
    d.status = DecodeStatus::NotTcp;
    analyzer.onUndecodable(p, d);
    EXPECT_TRUE(store.anomalies.empty()) << "UDP is not an error";
    d.status = DecodeStatus::BadTcpHeader;
    d.detail = "data offset 3";
    for (int i = 0; i < 5; ++i) {
        analyzer.onUndecodable(p, d);
    }
    analyzer.onTruncated(p);
    ASSERT_EQ(store.anomalies.size(), 3u);
    EXPECT_EQ(store.anomalies[0].id, AnomalyId::CapturePacketUndecodable);
    EXPECT_EQ(store.anomalies[0].packet, 7u);
    EXPECT_EQ(store.anomalies[2].id, AnomalyId::CaptureTruncatedPacket);
    EXPECT_NE(store.anomalies[2].detail.find("60 of 1500"), std::string::npos);
}

TEST(Analyzer, RoutesConnectionsAndFinishesThem) {
    Trace store;
    Limits limits;
    Analyzer analyzer(store, limits);
    ConnectionInfo info;
    info.id = 1;
    info.sawSyn = true;
    StreamSink& sink = analyzer.onConnectionStart(info);
    const std::string req = upgradeRequest();
    sink.onData(C2S, 0, Bytes(reinterpret_cast<const std::uint8_t*>(req.data()), req.size()),
                SegmentInfo{1, Timestamp{1}});
    analyzer.onConnectionEnd(1, SegmentInfo{2, Timestamp{2}});
    analyzer.onConnectionEnd(1, SegmentInfo{3, Timestamp{3}}); // ignored
    ASSERT_NE(store.connection(1), nullptr);
    EXPECT_TRUE(store.connection(1)->finished);
    EXPECT_EQ(store.connection(1)->outcome, Outcome::Failed);
}

} // namespace
} // namespace wst::test

namespace wst::test {
namespace {

// http_upgrade_ignored is decided when no second head can answer the upgrade request any more: at
// the end of the connection, or as soon as the client sends its next request on it (keep-alive).
TEST(ConnectionAnalyzer, IgnoredUpgradeIsDecidedByTheNextRequest) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest());
    c.send(S2C, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_FALSE(c.has(AnomalyId::HttpUpgradeIgnored)) << "a second head may still come";
    c.send(C2S, "GET /other HTTP/1.1\r\nHost: example.com\r\n\r\n", 2 * kS);
    EXPECT_TRUE(c.has(AnomalyId::HttpUpgradeIgnored));
    c.send(S2C, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").fin(C2S).end();
    EXPECT_EQ(c.count(AnomalyId::HttpUpgradeIgnored), 1u);
    EXPECT_FALSE(c.has(AnomalyId::HijackTwoResponses));
}

} // namespace
} // namespace wst::test
