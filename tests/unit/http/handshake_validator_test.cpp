// SPDX-License-Identifier: MIT
#include "decoder/http/handshake_validator.h"
#include "tests/unit/http/test_util.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>

using namespace wst;
using test::replaced;

namespace {

// RFC 6455 §1.2 handshake, plus a permessage-deflate offer and answer.
const std::string kGoodRequest =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    "\r\n";
const std::string kGoodResponse =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "Sec-WebSocket-Protocol: chat\r\n"
    "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
    "client_max_window_bits=10\r\n"
    "\r\n";

bool has(const std::vector<AnomalyId>& v, AnomalyId id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

std::vector<AnomalyId> anomaliesOf(const std::string& req, const std::string& resp) {
    const auto q = test::request(req);
    const auto r = test::response(resp);
    auto all = validateRequest(q.head).anomalies();
    const auto more = validateResponse(q.head, r.head).anomalies();
    all.insert(all.end(), more.begin(), more.end());
    return all;
}

} // namespace

TEST(Handshake, Rfc6455Section13KeyAndAccept) {
    EXPECT_EQ(computeAccept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_TRUE(isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
}

TEST(Handshake, KeyMustBeBase64OfSixteenBytes) {
    EXPECT_TRUE(isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    EXPECT_FALSE(isValidKey(""));
    EXPECT_FALSE(isValidKey("abc"));                          // gorilla 1.5.0 accepts this
    EXPECT_FALSE(isValidKey("AAAAAAAAAAAAAAAAAAAAAAA="));     // 17 bytes
    EXPECT_FALSE(isValidKey("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")); // 20 bytes
    EXPECT_FALSE(isValidKey("AAAAAAAAAAAAAAAAAAAA*A=="));     // not in the alphabet
    EXPECT_FALSE(isValidKey("AAAAAAAAAAAAAAAAAAAAAAA"));
}

TEST(Handshake, GoodPairPassesEveryCheck) {
    const auto q = test::request(kGoodRequest);
    const auto r = test::response(kGoodResponse);
    const auto req = validateRequest(q.head);
    EXPECT_TRUE(req.ok());
    for (const auto& c : req.checks)
        EXPECT_NE(c.result, CheckResult::Failed) << c.name << ": " << c.detail;
    const auto resp = validateResponse(q.head, r.head);
    EXPECT_TRUE(resp.ok());
    for (const auto& c : resp.checks) {
        EXPECT_EQ(c.result, CheckResult::Passed) << c.name << ": " << c.detail;
        EXPECT_FALSE(c.anomaly.has_value());
        EXPECT_TRUE(c.detail.empty());
    }
    const auto* accept = resp.find("Sec-WebSocket-Accept");
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->expected, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(resp.negotiated.subprotocol, "chat");
    EXPECT_EQ(resp.negotiated.extensions, std::vector<std::string>{"permessage-deflate"});
    const DeflateParams& d = resp.negotiated.deflate;
    EXPECT_TRUE(d.enabled);
    EXPECT_TRUE(d.serverNoContextTakeover);
    EXPECT_FALSE(d.clientNoContextTakeover);
    EXPECT_EQ(d.clientMaxWindowBits, 10);
    EXPECT_EQ(d.serverMaxWindowBits, 15);
    EXPECT_EQ(d.windowBits(Direction::ClientToServer), 10);
    EXPECT_TRUE(d.noContextTakeover(Direction::ServerToClient));
}

TEST(Handshake, TokenListsAnyCaseAndRepeatedHeadersPass) {
    const std::string req =
        replaced(replaced(kGoodRequest, "Upgrade: websocket", "upgrade: WebSocket"),
                 "Connection: Upgrade", "Connection: keep-alive\r\nconnection: UPGRADE");
    const std::string resp =
        replaced(kGoodResponse, "Connection: Upgrade", "Connection: keep-alive, upgrade");
    EXPECT_TRUE(anomaliesOf(req, resp).empty());
    const auto q = test::request(req);
    EXPECT_EQ(classifyRequest(q.head), UpgradeKind::WebSocket);
}

struct AnomalyCase {
    const char* label;
    AnomalyId id;
    std::string request;
    std::string response;
};

// One row per handshake anomaly the validator emits: each fires on its bad input and stays
// silent on the good pair (checked once for all ids below).
TEST(Handshake, AnomalyTable) {
    const std::string gorilla400 = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; "
                                   "charset=utf-8\r\nSec-Websocket-Version: 13\r\n"
                                   "X-Content-Type-Options: nosniff\r\nContent-Length: 12\r\n\r\n";
    const AnomalyCase cases[] = {
        {"POST", AnomalyId::WsHandshakeBadMethod, replaced(kGoodRequest, "GET", "POST"),
         kGoodResponse},
        {"HTTP/1.0", AnomalyId::WsHandshakeBadHttpVersion,
         replaced(kGoodRequest, "HTTP/1.1", "HTTP/1.0"), kGoodResponse},
        {"no Host", AnomalyId::WsHandshakeMissingHost,
         replaced(kGoodRequest, "Host: server.example.com\r\n", ""), kGoodResponse},
        {"two Hosts", AnomalyId::WsHandshakeMissingHost,
         replaced(kGoodRequest, "Host: server.example.com\r\n", "Host: a\r\nHost: b\r\n"),
         kGoodResponse},
        {"Upgrade: h2c", AnomalyId::WsHandshakeMissingUpgrade,
         replaced(kGoodRequest, "Upgrade: websocket", "Upgrade: h2c"), kGoodResponse},
        {"Connection: keep-alive", AnomalyId::WsHandshakeMissingConnection,
         replaced(kGoodRequest, "Connection: Upgrade", "Connection: keep-alive"), kGoodResponse},
        {"no key", AnomalyId::WsHandshakeMissingKey,
         replaced(kGoodRequest, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
         kGoodResponse},
        {"short key", AnomalyId::WsHandshakeBadKey,
         replaced(kGoodRequest, "dGhlIHNhbXBsZSBub25jZQ==", "abc"), kGoodResponse},
        {"two keys", AnomalyId::WsHandshakeMultipleKey,
         replaced(kGoodRequest,
                  "Origin:", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nOrigin:"),
         kGoodResponse},
        {"version 8", AnomalyId::WsHandshakeBadVersion,
         replaced(kGoodRequest, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"),
         kGoodResponse},
        {"no version", AnomalyId::WsHandshakeBadVersion,
         replaced(kGoodRequest, "Sec-WebSocket-Version: 13\r\n", ""), kGoodResponse},
        {"proxy stripped", AnomalyId::HttpUpgradeStripped,
         replaced(replaced(replaced(kGoodRequest, "Upgrade: websocket\r\n", ""),
                           "Connection: Upgrade", "Connection: close"),
                  "HTTP/1.1", "HTTP/1.0"),
         kGoodResponse},
        {"101 without Upgrade", AnomalyId::WsHandshakeResponseMissingUpgrade, kGoodRequest,
         replaced(kGoodResponse, "Upgrade: websocket\r\n", "")},
        {"101 Connection: close", AnomalyId::WsHandshakeResponseMissingConnection, kGoodRequest,
         replaced(kGoodResponse, "Connection: Upgrade", "Connection: close")},
        {"101 with Content-Length", AnomalyId::WsHandshakeResponseBodyHeaders, kGoodRequest,
         replaced(kGoodResponse, "Upgrade: websocket\r\n",
                  "Upgrade: websocket\r\nContent-Length: 0\r\n")},
        {"gzip middleware on a 101", AnomalyId::WsHandshakeResponseBodyHeaders, kGoodRequest,
         replaced(kGoodResponse, "Upgrade: websocket\r\n",
                  "Upgrade: websocket\r\nContent-Encoding: gzip\r\n")},
        {"no Accept", AnomalyId::WsHandshakeMissingAccept, kGoodRequest,
         replaced(kGoodResponse, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", "")},
        {"two Accepts", AnomalyId::WsHandshakeMultipleAccept, kGoodRequest,
         replaced(kGoodResponse, "Sec-WebSocket-Protocol",
                  "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol")},
        {"wrong Accept", AnomalyId::WsHandshakeWrongAccept, kGoodRequest,
         replaced(kGoodResponse, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo")},
        {"unoffered subprotocol", AnomalyId::WsHandshakeUnofferedSubprotocol, kGoodRequest,
         replaced(kGoodResponse, "Protocol: chat", "Protocol: mqtt")},
        {"two subprotocols", AnomalyId::WsHandshakeUnofferedSubprotocol, kGoodRequest,
         replaced(kGoodResponse, "Protocol: chat", "Protocol: chat, superchat")},
        {"subprotocol not chosen", AnomalyId::WsHandshakeSubprotocolNotChosen, kGoodRequest,
         replaced(kGoodResponse, "Sec-WebSocket-Protocol: chat\r\n", "")},
        {"unoffered extension", AnomalyId::WsHandshakeUnofferedExtension,
         replaced(kGoodRequest,
                  "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", ""),
         kGoodResponse},
        {"bad deflate offer", AnomalyId::WsDeflateBadParameters,
         replaced(kGoodRequest, "client_max_window_bits", "client_max_window_bits=16"),
         kGoodResponse},
        {"bad deflate answer", AnomalyId::WsDeflateBadParameters, kGoodRequest,
         replaced(kGoodResponse, "client_max_window_bits=10", "client_max_window_bits")},
        {"deflate answer not matching", AnomalyId::WsDeflateBadParameters,
         replaced(kGoodRequest, "client_max_window_bits", "server_max_window_bits=10"),
         kGoodResponse},
        {"refused", AnomalyId::HttpUpgradeRefused, kGoodRequest,
         "HTTP/1.1 403 Forbidden\r\nContent-Length: 10\r\n\r\n"},
        {"ignored", AnomalyId::HttpUpgradeIgnored, kGoodRequest,
         "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"},
        {"redirected", AnomalyId::HttpUpgradeRedirected, kGoodRequest,
         "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\n\r\n"},
        {"version rejected", AnomalyId::HttpVersionRejected,
         replaced(kGoodRequest, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"),
         "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8x\r\n\r\n"},
    };
    const auto good = anomaliesOf(kGoodRequest, kGoodResponse);
    EXPECT_TRUE(good.empty());
    for (const auto& c : cases) {
        SCOPED_TRACE(c.label);
        const auto found = anomaliesOf(c.request, c.response);
        EXPECT_TRUE(has(found, c.id));
        EXPECT_FALSE(has(good, c.id));
    }
}

TEST(Handshake, FailuresCarryExpectedFoundDetail) {
    const auto q = test::request(kGoodRequest);
    const auto r = test::response(replaced(kGoodResponse, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "xyz="));
    const auto report = validateResponse(q.head, r.head);
    const auto* c = report.find("Sec-WebSocket-Accept");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->result, CheckResult::Failed);
    EXPECT_EQ(c->anomaly, AnomalyId::WsHandshakeWrongAccept);
    EXPECT_EQ(c->expected, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(c->found, "xyz=");
    EXPECT_EQ(c->detail, "expected=s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, found=xyz=");
    EXPECT_FALSE(report.ok());

    const auto missing = validateRequest(
        test::request(replaced(kGoodRequest, "Host: server.example.com\r\n", "")).head);
    EXPECT_EQ(missing.find("Host")->detail, "expected=one Host header, found=(absent)");
}

TEST(Handshake, GorillaErrorVersionHeaderIsNotAVersionRejection) {
    // gorilla puts "Sec-Websocket-Version: 13" on every error reply: with a version-13 request
    // that is not a version rejection.
    const auto q =
        test::request(replaced(kGoodRequest, "Connection: Upgrade", "Connection: keep-alive"));
    const auto r =
        test::response("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
                       "Content-Length: 12\r\n\r\n");
    const auto report = validateResponse(q.head, r.head);
    EXPECT_FALSE(has(report.anomalies(), AnomalyId::HttpVersionRejected));
    EXPECT_TRUE(has(report.anomalies(), AnomalyId::HttpUpgradeRefused));
    EXPECT_EQ(report.find("Sec-WebSocket-Version")->result, CheckResult::NotApplicable);
}

TEST(Handshake, InterimResponseIsNotAVerdict) {
    const auto q = test::request(kGoodRequest);
    const auto r = test::response("HTTP/1.1 100 Continue\r\n\r\n");
    const auto report = validateResponse(q.head, r.head);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.find("Status")->result, CheckResult::NotApplicable);
}

TEST(Handshake, ClassifyRequests) {
    const auto kind = [](const std::string& text) {
        return classifyRequest(test::request(text).head);
    };
    EXPECT_EQ(kind(kGoodRequest), UpgradeKind::WebSocket);
    EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), UpgradeKind::None);
    EXPECT_EQ(kind("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: "
                   "h2c\r\n\r\n"),
              UpgradeKind::None);
    // nginx without proxy_http_version 1.1 / Upgrade headers, upstream leg
    // (captures/nginx-proxy-no-upgrade-headers.pcapng).
    EXPECT_EQ(kind("GET /x HTTP/1.0\r\nHost: up\r\nConnection: close\r\nSec-WebSocket-Key: "
                   "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
              UpgradeKind::Stripped);
    EXPECT_EQ(kind("GET /x HTTP/1.1\r\nHost: up\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                   "dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"),
              UpgradeKind::KeyWithoutUpgrade);
    EXPECT_TRUE(isUpgradeRequest(test::request(kGoodRequest).head));
    EXPECT_TRUE(
        isWebSocketAttempt(test::request("GET / HTTP/1.1\r\nSec-WebSocket-Key: x\r\n\r\n").head));
}

TEST(Handshake, StrippedRequestKeepsTheGenericFailures) {
    const auto q =
        test::request("GET /x HTTP/1.1\r\nHost: up\r\nConnection: close\r\nSec-WebSocket-Key: "
                      "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    const auto report = validateRequest(q.head);
    EXPECT_EQ(report.anomalies(), (std::vector<AnomalyId>{AnomalyId::WsHandshakeMissingUpgrade,
                                                          AnomalyId::WsHandshakeMissingConnection,
                                                          AnomalyId::HttpUpgradeStripped}));
    EXPECT_EQ(report.find("Upgrade stripped")->detail,
              "expected=Upgrade: websocket and Connection: Upgrade with Sec-WebSocket-Key, "
              "found=Upgrade: (absent); Connection: close (a proxy did not forward the hop-by-hop "
              "Upgrade headers)");
    // With the Connection token left, it is a broken attempt, not a stripped one.
    const auto k =
        test::request("GET /x HTTP/1.1\r\nHost: up\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                      "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    EXPECT_EQ(validateRequest(k.head).anomalies(),
              std::vector<AnomalyId>{AnomalyId::WsHandshakeMissingUpgrade});
}

TEST(Handshake, NoSubprotocolOfferedNoneChosenIsNotApplicable) {
    const std::string req =
        replaced(kGoodRequest, "Sec-WebSocket-Protocol: chat, superchat\r\n", "");
    const std::string resp = replaced(kGoodResponse, "Sec-WebSocket-Protocol: chat\r\n", "");
    const auto q = test::request(req);
    const auto r = test::response(resp);
    const auto report = validateResponse(q.head, r.head);
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.find("Sec-WebSocket-Protocol")->result, CheckResult::NotApplicable);
    EXPECT_EQ(report.negotiated.subprotocol, "");
}

TEST(Handshake, DeclinedDeflateLeavesItDisabled) {
    const auto q = test::request(kGoodRequest);
    const auto r =
        test::response(replaced(kGoodResponse,
                                "Sec-WebSocket-Extensions: permessage-deflate; "
                                "server_no_context_takeover; client_max_window_bits=10\r\n",
                                ""));
    const auto report = validateResponse(q.head, r.head);
    EXPECT_TRUE(report.ok());
    EXPECT_FALSE(report.negotiated.deflate.enabled);
    EXPECT_TRUE(report.negotiated.extensions.empty());
}

TEST(Handshake, GorillaK6DeflateAnswerMatchesK6Offer) {
    const std::string offer =
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    const auto q =
        test::request(replaced(kGoodRequest, "permessage-deflate; client_max_window_bits", offer));
    const auto r = test::response(replaced(
        kGoodResponse, "permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
        offer));
    const auto report = validateResponse(q.head, r.head);
    EXPECT_TRUE(report.ok()) << report.anomalies().size();
    EXPECT_TRUE(report.negotiated.deflate.clientNoContextTakeover);
    EXPECT_TRUE(report.negotiated.deflate.serverNoContextTakeover);
}
