// SPDX-License-Identifier: MIT
#include "decoder/http/fingerprint.h"
#include "tests/unit/http/test_util.h"

#include <gtest/gtest.h>

using namespace wst;

namespace {
std::string_view server(const std::string& head, std::string_view body = {}) {
    static std::vector<test::OwnedHead> keep; // views must outlive the call
    keep.push_back(test::response(head));
    return fingerprintServer(keep.back().head, body).name;
}
std::string_view client(const std::string& head) {
    static std::vector<test::OwnedHead> keep;
    keep.push_back(test::request(head));
    return fingerprintClient(keep.back().head).name;
}
const std::string kGorilla101 =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
std::string withDate(std::string head) {
    return head.insert(head.size() - 2, "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\n");
}
const std::string kGorilla400 =
    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
    "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\nContent-Length: 12\r\n\r\n";
} // namespace

TEST(Fingerprint, Servers) {
    // gorilla writes its own 101 (captures/gin-healthy-echo.pcap).
    EXPECT_EQ(server(kGorilla101), "gorilla/websocket");
    {
        const auto o = test::response(kGorilla101);
        EXPECT_EQ(fingerprintServer(o.head).alternative, "node ws"); // same bytes (LAB, captures/)
    }
    EXPECT_EQ(
        server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: x\r\nSec-WebSocket-Extensions: permessage-deflate; "
               "server_no_context_takeover; client_no_context_takeover\r\n\r\n"),
        "gorilla/websocket");
    EXPECT_EQ(
        server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: x\r\nSec-WebSocket-Extensions: permessage-deflate; "
               "client_max_window_bits=15\r\n\r\n"),
        "node ws");
    // A Date header rules gorilla out.
    EXPECT_EQ(server(withDate(kGorilla101)), "");
    // A 101 written by net/http (coder/websocket): Go-canonical names, sorted.
    EXPECT_EQ(
        server(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-Websocket-Accept: x\r\n"
            "Upgrade: websocket\r\n\r\n"),
        "Go net/http");
    // nginx 101 (captures/nginx-proxy-ok.pcapng).
    EXPECT_EQ(
        server("HTTP/1.1 101 Switching Protocols\r\nServer: nginx/1.22.1\r\nDate: x\r\n"
               "Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n"),
        "nginx");
    EXPECT_EQ(server(kGorilla400, "Bad Request\n"), "gorilla/websocket");
    EXPECT_EQ(server("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "X-Content-Type-Options: nosniff\r\nDate: x\r\nContent-Length: 19\r\n\r\n",
                     "404 page not found\n"),
              "Go net/http");
    EXPECT_EQ(server("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                     "Content-Length: 11\r\n\r\n",
                     "Bad Request"),
              "node ws");
    EXPECT_EQ(
        server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: x\r\nDate: x\r\nServer: Python/3.11 websockets/12.0\r\n\r\n"),
        "python websockets");
    EXPECT_EQ(server("HTTP/1.1 200 OK\r\nServer: SomethingElse\r\n\r\n"), "");
}

TEST(Fingerprint, NginxRelayingGorillaShowsTheUpstream) {
    // nginx in front of gorilla, Upgrade dropped, the backend's 400 relayed
    // (captures/nginx-proxy-no-upgrade-headers.pcapng).
    const auto o =
        test::response("HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nDate: x\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\n"
                       "Connection: keep-alive\r\nSec-Websocket-Version: 13\r\n"
                       "X-Content-Type-Options: nosniff\r\n\r\n");
    const auto f = fingerprintServer(o.head, "Bad Request\n");
    EXPECT_EQ(f.name, "nginx");
    EXPECT_EQ(f.upstream, "gorilla/websocket");
}

TEST(Fingerprint, Clients) {
    const std::string base = "GET /ws HTTP/1.1\r\nHost: a\r\n";
    EXPECT_EQ(client(base + "User-Agent: Grafana k6/1.0.0\r\n\r\n"), "k6");
    EXPECT_EQ(client(base + "User-Agent: k6/0.45.0 (https://k6.io/)\r\n\r\n"), "k6");
    EXPECT_EQ(
        client(base +
               "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0.0.0 Safari/537.36\r\n\r\n"),
        "Chromium");
    EXPECT_EQ(client(base + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
                            "Firefox/120.0\r\n\r\n"),
              "Firefox");
    EXPECT_EQ(client(base + "User-Agent: Go-http-client/1.1\r\n\r\n"),
              "Go (gorilla/websocket or net/http)");
    EXPECT_EQ(client(base + "User-Agent: Python/3.11 websockets/12.0\r\n\r\n"),
              "python websockets");
    EXPECT_EQ(client("GET /ws HTTP/1.1\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n"
                     "Connection: Upgrade\r\nUpgrade: websocket\r\nHost: a\r\n\r\n"),
              "node ws");
    EXPECT_EQ(client(base + "\r\n"), "");
}

TEST(Fingerprint, GorillaErrorShapes) {
    const auto shape = [](const std::string& head, std::string_view body) {
        const auto o = test::response(head);
        return gorillaErrorShape(o.head, body);
    };
    EXPECT_EQ(shape(kGorilla400, "Bad Request\n"), GorillaErrorShape::Plain);
    // hijack_not_supported: the writer is not a Hijacker (captures/gin-no-hijacker-500.pcapng).
    const std::string g500 =
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
        "Content-Length: 22\r\n\r\n";
    EXPECT_EQ(shape(g500, "Internal Server Error\n"), GorillaErrorShape::HijackNotSupported);
    // hijack_error_with_output: the app appended JSON after gorilla's 403.
    const std::string g403 = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                             "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
                             "Content-Length: 45\r\n\r\n";
    EXPECT_EQ(shape(g403, "Forbidden\n{\"code\":500,\"msg\":\"upgrade failed\"}"),
              GorillaErrorShape::WithAppOutput);
    EXPECT_EQ(shape(g403, "Forbidden\n"),
              GorillaErrorShape::WithAppOutput); // Content-Length says more
    EXPECT_EQ(shape("HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\n", "Forbidden"),
              GorillaErrorShape::None);
    EXPECT_EQ(shape(kGorilla400, "Something else\n"), GorillaErrorShape::None);
}

// ---- narrowServerFingerprint: each rule fires on its input and stays silent on the healthy,
// ambiguous one (a gorilla-layout 101 and nothing later that tells the stacks apart).
namespace {

Fingerprint ambiguous101() {
    static const test::OwnedHead o = test::response(kGorilla101);
    return fingerprintServer(o.head);
}

CloseFact closeOf(std::uint16_t code, std::string_view reason) {
    return CloseFact{true, code, reason};
}

/// The client closed first with `clientReason`; the server answered with `serverReason`.
ServerBehaviour closeReply(std::string_view clientReason, std::string_view serverReason) {
    ServerBehaviour b;
    b.clientClose = closeOf(1000, clientReason);
    b.serverClose = closeOf(1000, serverReason);
    b.serverCloseAnswered = true;
    return b;
}

struct NarrowCase {
    const char* rule;
    ServerBehaviour fires;
    std::string_view narrowsTo;
    ServerBehaviour silent; ///< stays "gorilla/websocket or node ws"
};

std::vector<NarrowCase> narrowCases() {
    std::vector<NarrowCase> v;
    // Close reply without the reason: gorilla's default close handler.
    v.push_back(
        {"reply drops the reason", closeReply("bye", ""), "gorilla/websocket", closeReply("", "")});
    // Close reply echoing code and reason: node ws.
    v.push_back(
        {"reply echoes the reason", closeReply("bye", "bye"), "node ws", closeReply("", "")});
    {
        // The server's Close came first: its reason says nothing about echoing.
        ServerBehaviour first = closeReply("bye", "");
        first.serverCloseAnswered = false;
        v.push_back({"reply drops the reason (not a reply)", closeReply("bye", ""),
                     "gorilla/websocket", first});
    }
    {
        ServerBehaviour b;
        b.clientClose = closeOf(1002, "");
        b.serverClose = closeOf(1002, "bad MASK");
        ServerBehaviour joined = b;
        joined.serverClose = closeOf(1002, "RSV1 set, bad MASK");
        ServerBehaviour other = b;
        other.serverClose = closeOf(1002, "protocol error"); // not gorilla's text
        v.push_back({"gorilla protocol-error text", b, "gorilla/websocket", other});
        v.push_back({"gorilla protocol-error texts joined", joined, "gorilla/websocket", other});
        ServerBehaviour code = b;
        code.serverClose = closeOf(1002, "bad close code 1005");
        v.push_back({"gorilla bad close code", code, "gorilla/websocket", other});
    }
    {
        ServerBehaviour utf8;
        utf8.clientSentInvalidUtf8 = true;
        utf8.clientClose = closeOf(1000, "");
        utf8.serverClose = closeOf(1000, "");
        utf8.serverCloseAnswered = true;
        ServerBehaviour failed = utf8;
        failed.serverClose = closeOf(1007, ""); // what node ws does (RFC 6455 §8.1)
        v.push_back({"invalid UTF-8 accepted", utf8, "gorilla/websocket", failed});
    }
    {
        ServerBehaviour go;
        go.otherAnswers.push_back({"Go net/http", "Go's header layout", {}, {}});
        ServerBehaviour nginx;
        nginx.otherAnswers.push_back({"nginx", "Server header", {}, {}});
        v.push_back({"another answer is Go's", go, "gorilla/websocket", nginx});
        ServerBehaviour node;
        node.otherAnswers.push_back({"node ws", "abortHandshake reply", {}, {}});
        v.push_back({"another answer is node ws'", node, "node ws", nginx});
        // Contradicting facts: both remain.
        ServerBehaviour both = closeReply("bye", "");
        both.otherAnswers.push_back({"node ws", "abortHandshake reply", {}, {}});
        v.push_back({"contradiction", go, "gorilla/websocket", both});
    }
    return v;
}

} // namespace

TEST(NarrowServerFingerprint, EachRuleFiresAndStaysSilentOnTheAmbiguousInput) {
    for (const NarrowCase& k : narrowCases()) {
        const NarrowedFingerprint hit = narrowServerFingerprint(ambiguous101(), k.fires);
        EXPECT_EQ(hit.name, k.narrowsTo) << k.rule;
        EXPECT_TRUE(hit.narrowed) << k.rule;
        EXPECT_EQ(hit.serverIsGo, k.narrowsTo == "gorilla/websocket") << k.rule;
        // The evidence keeps the 101's fact and adds the one that decided.
        EXPECT_EQ(hit.evidence.rfind(ambiguous101().evidence, 0), 0u) << hit.evidence;
        EXPECT_GT(hit.evidence.size(), ambiguous101().evidence.size() + 2) << k.rule;

        const NarrowedFingerprint miss = narrowServerFingerprint(ambiguous101(), k.silent);
        EXPECT_EQ(miss.name, "gorilla/websocket or node ws") << k.rule;
        EXPECT_FALSE(miss.narrowed) << k.rule;
        EXPECT_FALSE(miss.serverIsGo) << k.rule;
    }
}

TEST(NarrowServerFingerprint, SaysSoWhenNothingTellsThemApart) {
    const NarrowedFingerprint n = narrowServerFingerprint(ambiguous101(), ServerBehaviour{});
    EXPECT_EQ(n.name, "gorilla/websocket or node ws");
    EXPECT_NE(n.evidence.find("nothing the server did later tells them apart"), std::string::npos);
    ServerBehaviour both = closeReply("bye", "");
    both.otherAnswers.push_back({"node ws", "abortHandshake reply", {}, {}});
    EXPECT_NE(narrowServerFingerprint(ambiguous101(), both).evidence.find("contradicts"),
              std::string::npos);
}

TEST(NarrowServerFingerprint, LeavesOtherFingerprintsAlone) {
    const ServerBehaviour node = closeReply("bye", "bye");
    const NarrowedFingerprint gorilla =
        narrowServerFingerprint({"gorilla/websocket", "deflate answer", {}, {}}, node);
    EXPECT_EQ(gorilla.name, "gorilla/websocket"); // its deflate answer already decided
    EXPECT_TRUE(gorilla.serverIsGo);
    EXPECT_FALSE(gorilla.narrowed);
    const NarrowedFingerprint goHttp =
        narrowServerFingerprint({"Go net/http", "canonical", {}, {}}, ServerBehaviour{});
    EXPECT_TRUE(goHttp.serverIsGo);
    const NarrowedFingerprint nginx =
        narrowServerFingerprint({"nginx", "Server header", {}, {}}, closeReply("bye", ""));
    EXPECT_EQ(nginx.name, "nginx");
    EXPECT_FALSE(nginx.serverIsGo);
    EXPECT_EQ(narrowServerFingerprint({}, ServerBehaviour{}).name, "");
}

TEST(Fingerprint, GoHeaderLayoutWithDate) {
    // captures/gin-200-then-101.pcapng: the handler's header, then net/http's own.
    EXPECT_EQ(server("HTTP/1.1 200 OK\r\nX-Request-Id: gen-200-then-101\r\n"
                     "Date: Tue, 24 Nov 2026 20:36:17 GMT\r\nTransfer-Encoding: chunked\r\n\r\n"),
              "Go net/http");
    // Silent: net/http's own headers out of their order, a non-canonical name, no Date.
    EXPECT_EQ(server("HTTP/1.1 200 OK\r\nX-Request-Id: a\r\nTransfer-Encoding: chunked\r\n"
                     "Date: Tue, 24 Nov 2026 20:36:17 GMT\r\n\r\n"),
              "");
    EXPECT_EQ(server("HTTP/1.1 200 OK\r\nX-Request-ID: a\r\nDate: x\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n"),
              "");
    EXPECT_EQ(server("HTTP/1.1 200 OK\r\nX-Request-Id: a\r\nTransfer-Encoding: chunked\r\n\r\n"),
              "");
}
