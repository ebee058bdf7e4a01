// SPDX-License-Identifier: MIT
// TLS read without keys through the ConnectionAnalyzer: the handshake summary, every split
// point, alerts, the wrong protocol for the port, gaps, malformed records (docs/tls.md).
#include "decoder/verdict/verdict.h"
#include "tests/unit/analysis/conversation.h"
#include "tests/unit/tls/tls_bytes.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

const std::string kHello =
    clientHello("echo.example", {"h2", "http/1.1"}, {0x0a0a, 0x0304, 0x0303});

Conversation tls13(std::size_t chunk) {
    Conversation c;
    c.handshake();
    c.sendSplit(C2S, kHello, chunk);
    c.sendSplit(S2C,
                serverHello(0x0304, 0x1301) + tlsRecord(20, "\x01") + appData(40) + appData(300),
                chunk);
    c.sendSplit(C2S, tlsRecord(20, "\x01") + appData(53) + appData(200), chunk);
    c.fin(C2S).fin(S2C).end();
    return c;
}

TEST(Tls, Tls13HandshakeReadWithoutKeys) {
    Conversation c = tls13(100000);
    const Connection& conn = c.connection();
    ASSERT_TRUE(conn.tls);
    const TlsSummary& t = *conn.tls;
    EXPECT_EQ(t.version, "TLS 1.3");
    EXPECT_EQ(t.sni, "echo.example");
    EXPECT_EQ(t.alpnOffered, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(t.alpnChosen, ""); // encrypted in TLS 1.3 (EncryptedExtensions)
    EXPECT_EQ(t.offeredVersions, (std::vector<std::string>{"TLS 1.3", "TLS 1.2"})); // no GREASE
    EXPECT_EQ(t.cipherSuite, "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(t.encryptedRecords, 4u);
    EXPECT_EQ(t.encryptedBytes, 40u + 300 + 53 + 200);
    EXPECT_EQ(c.count(AnomalyId::TlsEncrypted), 1u);
    EXPECT_FALSE(conn.verdict.rootCause);
    EXPECT_NE(conn.verdict.headline.find("TLS 1.3, SNI echo.example"), std::string::npos)
        << conn.verdict.headline;
    EXPECT_NE(conn.verdict.headline.find("--tls-keylog"), std::string::npos);
    EXPECT_EQ(c.events(EventKind::HttpRequest), 0u);
}

TEST(Tls, EverySplitPointGivesTheSameSummary) {
    const Conversation whole = tls13(100000);
    for (std::size_t chunk : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 13u, 64u}) {
        const Conversation c = tls13(chunk);
        ASSERT_TRUE(c.connection().tls) << chunk;
        const TlsSummary& a = *c.connection().tls;
        const TlsSummary& b = *whole.connection().tls;
        EXPECT_EQ(a.sni, b.sni) << chunk;
        EXPECT_EQ(a.version, b.version) << chunk;
        EXPECT_EQ(a.alpnOffered, b.alpnOffered) << chunk;
        EXPECT_EQ(a.encryptedRecords, b.encryptedRecords) << chunk;
        EXPECT_EQ(a.encryptedBytes, b.encryptedBytes) << chunk;
        EXPECT_EQ(c.ids(), whole.ids()) << chunk;
    }
}

TEST(Tls, Tls12ShowsAlpnChosenAndH2Hint) {
    Conversation c;
    c.handshake();
    c.send(C2S, clientHello("h2.example", {"h2", "http/1.1"}, {}));
    c.send(S2C, serverHello(0x0303, 0xc02f, "h2"));
    c.send(C2S, tlsRecord(20, "\x01") + tlsRecord(22, std::string(40, 'x')) + appData(30));
    c.fin(C2S).fin(S2C).end();
    const TlsSummary& t = *c.connection().tls;
    EXPECT_EQ(t.version, "TLS 1.2");
    EXPECT_EQ(t.alpnChosen, "h2");
    EXPECT_EQ(t.cipherSuite, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    EXPECT_EQ(t.encryptedRecords, 2u); // the encrypted Finished and the application data
    EXPECT_NE(c.connection().verdict.headline.find("RFC 8441"), std::string::npos);
}

TEST(Tls, FatalAlertIsTheRootCause) {
    Conversation c;
    c.handshake();
    c.send(C2S, kHello);
    c.send(S2C, alertRecord(2, 70));
    c.fin(S2C).fin(C2S).end();
    const Connection& conn = c.connection();
    ASSERT_EQ(c.count(AnomalyId::TlsAlert), 1u);
    EXPECT_EQ(c.first(AnomalyId::TlsAlert)->detail, "server: fatal protocol_version (70)");
    EXPECT_EQ(conn.outcome, Outcome::Failed);
    EXPECT_EQ(conn.verdict.rootCause, AnomalyId::TlsAlert);
    EXPECT_FALSE(c.has(AnomalyId::TlsEncrypted));
}

TEST(Tls, CloseNotifyIsNoAnomaly) {
    Conversation c = tls13(100000);
    Conversation d;
    d.handshake();
    d.send(C2S, kHello);
    d.send(S2C, serverHello(0x0303, 0xc02f) + alertRecord(1, 0));
    d.end();
    EXPECT_FALSE(d.has(AnomalyId::TlsAlert));
    EXPECT_EQ(d.connection().tls->alerts.size(), 1u);
}

TEST(Tls, PlainHttpToTlsPortAnsweredWithAnAlert) {
    Conversation c;
    c.handshake();
    c.send(C2S, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    c.send(S2C, alertRecord(2, 10));
    c.fin(S2C).fin(C2S).end();
    EXPECT_EQ(c.count(AnomalyId::TlsHttpToTlsPort), 1u);
    EXPECT_EQ(c.connection().verdict.rootCause, AnomalyId::TlsHttpToTlsPort);
    EXPECT_FALSE(c.has(AnomalyId::HttpHeadMalformed));
}

TEST(Tls, PlainHttpToTlsPortAnsweredByGo) {
    Conversation c;
    c.handshake();
    c.send(C2S, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    c.send(S2C,
           "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
    c.fin(S2C).fin(C2S).end();
    EXPECT_EQ(c.count(AnomalyId::TlsHttpToTlsPort), 1u);
    EXPECT_EQ(c.connection().verdict.rootCause, AnomalyId::TlsHttpToTlsPort);
}

TEST(Tls, TlsToPlainPort) {
    Conversation c;
    c.handshake();
    c.send(C2S, kHello);
    c.send(S2C, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    c.fin(S2C).fin(C2S).end();
    ASSERT_EQ(c.count(AnomalyId::TlsToPlainPort), 1u);
    EXPECT_EQ(c.first(AnomalyId::TlsToPlainPort)->detail,
              "expected=a TLS ServerHello, found=\"HTTP/1.1 400 Bad Request\"");
    EXPECT_EQ(c.connection().verdict.rootCause, AnomalyId::TlsToPlainPort);
}

TEST(Tls, GapInsideARecordResumesAtTheNextRecord) {
    Conversation c;
    c.handshake();
    c.send(C2S, kHello);
    const std::string rec = appData(100);
    c.send(S2C, serverHello(0x0304, 0x1302) + rec.substr(0, 20));
    c.gap(S2C, 50);
    c.send(S2C, rec.substr(70) + appData(10) + appData(11));
    c.end();
    const TlsSummary& t = *c.connection().tls;
    EXPECT_EQ(c.count(AnomalyId::TlsRecordGap), 1u);
    EXPECT_NE(c.first(AnomalyId::TlsRecordGap)->detail.find("resuming at the next record"),
              std::string::npos);
    EXPECT_EQ(t.encryptedRecords, 2u); // the two after the damaged one
    EXPECT_EQ(t.encryptedBytes, 21u);
    EXPECT_FALSE(c.has(AnomalyId::TlsRecordMalformed));
}

TEST(Tls, GapThatTookAHeaderResynchronises) {
    Conversation c;
    c.handshake();
    c.send(C2S, kHello);
    c.send(S2C, serverHello(0x0304, 0x1301));
    c.gap(S2C, 3);
    c.send(S2C, appData(10).substr(3) + appData(12));
    c.end();
    EXPECT_EQ(c.count(AnomalyId::TlsRecordGap), 1u);
    EXPECT_EQ(c.connection().tls->encryptedRecords, 1u);
    EXPECT_EQ(c.connection().tls->encryptedBytes, 12u);
}

TEST(Tls, OversizedRecordIsMalformed) {
    for (std::size_t len : {(1u << 14) + 2049u, 65535u}) {
        Conversation c;
        c.handshake();
        c.send(C2S, kHello);
        std::string header = tlsRecord(23, "");
        header[3] = static_cast<char>(len >> 8);
        header[4] = static_cast<char>(len & 0xff);
        c.send(S2C, serverHello(0x0304, 0x1301) + header + std::string(100, 'x'));
        c.end();
        EXPECT_EQ(c.count(AnomalyId::TlsRecordMalformed), 1u) << len;
        EXPECT_EQ(c.connection().verdict.rootCause, AnomalyId::TlsRecordMalformed) << len;
    }
}

TEST(Tls, HandshakeSplitOverManyRecords) {
    // A ClientHello cut into 100 records of a few bytes each (RFC 8446 §5.1 allows it).
    const std::string hs = kHello.substr(5);
    std::string records;
    const std::size_t per = hs.size() / 100 + 1;
    for (std::size_t at = 0; at < hs.size(); at += per) {
        records += tlsRecord(22, hs.substr(at, per), 0x0301);
    }
    Conversation c;
    c.handshake();
    c.send(C2S, records);
    c.send(S2C, serverHello(0x0304, 0x1303));
    c.end();
    ASSERT_TRUE(c.connection().tls);
    EXPECT_EQ(c.connection().tls->sni, "echo.example");
    EXPECT_EQ(c.connection().tls->cipherSuite, "TLS_CHACHA20_POLY1305_SHA256");
}

TEST(Tls, TruncatedClientHelloIsMalformed) {
    std::string hello = kHello;
    hello[5 + 4 + 2 + 32] = '\x40'; // a session id length past the message end
    Conversation c;
    c.handshake();
    c.send(C2S, hello);
    c.end();
    EXPECT_EQ(c.count(AnomalyId::TlsHandshakeMalformed), 1u);
}

TEST(Tls, NoSynClientHelloFromTheGuessedServerFlips) {
    Conversation c(/*sawSyn=*/false);
    c.send(S2C, kHello);
    c.send(C2S, serverHello(0x0304, 0x1301) + appData(20));
    c.end();
    ASSERT_TRUE(c.connection().tls);
    EXPECT_EQ(c.connection().tls->sni, "echo.example");
    EXPECT_EQ(c.connection().tls->version, "TLS 1.3");
}

} // namespace
} // namespace wst::test
