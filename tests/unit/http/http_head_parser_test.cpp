// SPDX-License-Identifier: MIT
#include "decoder/http/http_head_parser.h"
#include "tests/unit/http/test_util.h"

#include <gtest/gtest.h>
#include <string>

using namespace wst;
using Kind = HttpHeadParser::Kind;
using Status = HttpHeadParser::Status;

namespace {

// RFC 6455 §1.2/§1.3 opening handshake.
const std::string kRequest = "GET /chat HTTP/1.1\r\n"
                             "Host: server.example.com\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Origin: http://example.com\r\n"
                             "Sec-WebSocket-Protocol: chat, superchat\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "\r\n";
const std::string kResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                              "Sec-WebSocket-Protocol: chat\r\n"
                              "\r\n";

/// A readable, complete description of a result and head, to compare feeding strategies.
std::string describe(const HttpHeadParser::Result& r, const HttpHead& h) {
    switch (r.status) {
    case Status::NeedMore:
        return "need-more";
    case Status::Error:
        return fmt::format("error off={} reason=\"{}\"", r.consumed, r.reason);
    case Status::Complete:
        break;
    }
    std::string s =
        fmt::format("complete len={} req={} method={} target={} version={} {}.{} "
                    "status={} reason={} lf={} fold={} lead={}",
                    r.consumed, h.isRequest, h.method, h.target, h.version, h.versionMajor,
                    h.versionMinor, h.status, h.reason, h.bareLf, h.obsFold, h.leadingEmptyLines);
    for (const auto& hv : h.headers)
        s += fmt::format(" [{}]=[{}]", hv.name, hv.value);
    return s;
}

std::string parseOnce(Kind kind, const std::string& bytes, std::size_t max = 64 * 1024) {
    HttpHeadParser p(kind, max);
    HttpHead h;
    return describe(p.parse(bytes, h), h);
}

/// Feeds growing prefixes of `bytes` to one parser, one byte more each time (a fresh buffer
/// each time); checks that every call before the decisive byte said NeedMore and every call
/// after it repeats the same answer; returns that answer.
std::string parseGrowing(Kind kind, const std::string& bytes, std::size_t max = 64 * 1024) {
    HttpHeadParser p(kind, max);
    HttpHead h;
    std::string decided;
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
        const std::string prefix = bytes.substr(0, n);
        const auto r = p.parse(prefix, h);
        const std::string d = describe(r, h);
        if (!decided.empty()) {
            EXPECT_EQ(d, decided) << "at prefix " << n;
        } else if (r.status != Status::NeedMore) {
            decided = d;
            if (r.status == Status::Complete) {
                EXPECT_EQ(r.consumed, n) << "completed before its blank line was seen";
            }
        }
    }
    return decided.empty() ? "need-more" : decided;
}

/// Every split point: the parser sees the first k bytes, then the whole input.
void expectSplitInvariant(Kind kind, const std::string& bytes, std::size_t max = 64 * 1024) {
    const std::string whole = parseOnce(kind, bytes, max);
    for (std::size_t k = 0; k <= bytes.size(); ++k) {
        HttpHeadParser p(kind, max);
        HttpHead h;
        const std::string first = bytes.substr(0, k);
        p.parse(first, h);
        EXPECT_EQ(describe(p.parse(bytes, h), h), whole) << "split at " << k;
    }
    EXPECT_EQ(parseGrowing(kind, bytes, max), whole);
}

} // namespace

TEST(HttpHeadParser, RequestFieldsByteExact) {
    HttpHeadParser p(Kind::Request, 64 * 1024);
    HttpHead h;
    const auto r = p.parse(kRequest, h);
    ASSERT_EQ(r.status, Status::Complete) << r.reason;
    EXPECT_EQ(r.consumed, kRequest.size());
    EXPECT_EQ(h.headLength, kRequest.size());
    EXPECT_TRUE(h.isRequest);
    EXPECT_EQ(h.method, "GET");
    EXPECT_EQ(h.target, "/chat");
    EXPECT_EQ(h.version, "HTTP/1.1");
    EXPECT_TRUE(h.atLeastHttp11());
    ASSERT_EQ(h.headers.size(), 7u);
    EXPECT_EQ(h.headers[0].name, "Host");
    EXPECT_EQ(h.headers[0].value, "server.example.com");
    EXPECT_EQ(h.headers[3].value, "dGhlIHNhbXBsZSBub25jZQ==");
    EXPECT_EQ(h.header("sec-websocket-version"), "13");
    EXPECT_FALSE(h.bareLf);
    // Zero-copy: views point into the input.
    EXPECT_GE(h.method.data(), kRequest.data());
    EXPECT_LT(h.headers[6].value.data(), kRequest.data() + kRequest.size());
}

TEST(HttpHeadParser, ResponseFieldsByteExact) {
    HttpHeadParser p(Kind::Response, 64 * 1024);
    HttpHead h;
    const auto r = p.parse(kResponse, h);
    ASSERT_EQ(r.status, Status::Complete) << r.reason;
    EXPECT_EQ(r.consumed, kResponse.size());
    EXPECT_FALSE(h.isRequest);
    EXPECT_EQ(h.status, 101);
    EXPECT_EQ(h.reason, "Switching Protocols");
    EXPECT_EQ(h.version, "HTTP/1.1");
    ASSERT_EQ(h.headers.size(), 4u);
    EXPECT_EQ(h.headers[2].name, "Sec-WebSocket-Accept");
}

TEST(HttpHeadParser, EveryPrefixNeedsMoreAndEverySplitAgrees) {
    expectSplitInvariant(Kind::Request, kRequest);
    expectSplitInvariant(Kind::Response, kResponse);
    for (std::size_t n = 0; n < kRequest.size(); ++n)
        EXPECT_EQ(parseOnce(Kind::Request, kRequest.substr(0, n)), "need-more") << n;
    for (std::size_t n = 0; n < kResponse.size(); ++n)
        EXPECT_EQ(parseOnce(Kind::Response, kResponse.substr(0, n)), "need-more") << n;
}

TEST(HttpHeadParser, BytesAfterTheHeadAreNotConsumed) {
    // The 101 and the first server frame in one segment: the hand-off point is the head end.
    const std::string bytes = kResponse + "\x81\x05hello";
    HttpHeadParser p(Kind::Response, 64 * 1024);
    HttpHead h;
    const auto r = p.parse(bytes, h);
    ASSERT_EQ(r.status, Status::Complete);
    EXPECT_EQ(r.consumed, kResponse.size());
    expectSplitInvariant(Kind::Response, bytes);
}

TEST(HttpHeadParser, PipelinedRequests) {
    const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string bytes = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + second;
    HttpHeadParser p(Kind::Request, 64 * 1024);
    HttpHead h;
    auto r = p.parse(bytes, h);
    ASSERT_EQ(r.status, Status::Complete);
    EXPECT_EQ(h.target, "/a");
    const std::string_view rest = std::string_view(bytes).substr(r.consumed);
    EXPECT_EQ(rest, second);
    p.reset();
    r = p.parse(rest, h);
    ASSERT_EQ(r.status, Status::Complete);
    EXPECT_EQ(h.target, "/b");
    EXPECT_EQ(r.consumed, second.size());
}

TEST(HttpHeadParser, ResponseWithoutReasonPhrase) {
    const std::string bytes = "HTTP/1.1 101\r\nUpgrade: websocket\r\n\r\n";
    EXPECT_EQ(parseOnce(Kind::Response, bytes),
              "complete len=36 req=false method= target= version=HTTP/1.1 1.1 status=101 "
              "reason= lf=false fold=false lead=0 [Upgrade]=[websocket]");
    expectSplitInvariant(Kind::Response, bytes);
    expectSplitInvariant(Kind::Response, "HTTP/1.0 200 \r\n\r\n");
}

TEST(HttpHeadParser, HeadTooLarge) {
    const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"; // 27 bytes
    // Exactly at the limit: fine. One byte over: too large, at offset = limit.
    EXPECT_EQ(parseOnce(Kind::Request, head, head.size()).substr(0, 15), "complete len=27");
    EXPECT_EQ(parseOnce(Kind::Request, head, head.size() - 1),
              "error off=26 reason=\"head too large\"");
    expectSplitInvariant(Kind::Request, head, head.size() - 1);
    // An endless header line is cut at the limit whatever the segmentation.
    const std::string endless = "GET / HTTP/1.1\r\nX: " + std::string(500, 'a');
    EXPECT_EQ(parseOnce(Kind::Request, endless, 100), "error off=100 reason=\"head too large\"");
    expectSplitInvariant(Kind::Request, endless, 100);
    // A request line longer than the limit.
    EXPECT_EQ(parseOnce(Kind::Request, "GET /" + std::string(200, 'a'), 64),
              "error off=64 reason=\"head too large\"");
}

struct BadCase {
    Kind kind;
    std::string bytes;
    std::size_t offset;
    std::string_view reason;
};

TEST(HttpHeadParser, BadLinesReportTheOffendingByte) {
    const BadCase cases[] = {
        // A WebSocket frame where a status line should be (hijack_http_in_websocket): rejected at
        // its first byte.
        {Kind::Response, "\x81\x05hello", 0, "bad status line"},
        {Kind::Response, "http/1.1 200 OK\r\n\r\n", 0, "bad status line"},
        {Kind::Response, "HTTP/1.1 20x OK\r\n\r\n", 11, "bad status code"},
        {Kind::Response, "HTTP/1.1 2000 OK\r\n\r\n", 12, "bad status code"},
        {Kind::Response, "HTTP/1.1  200 OK\r\n\r\n", 9, "bad status code"},
        {Kind::Response, "HTTP/1.1 200 O\x01K\r\n\r\n", 14, "bad reason phrase"},
        {Kind::Response, "HTTP/1.1 200 OK\rX\r\n\r\n", 16, "bare CR"},
        {Kind::Response, "HTTP/11 200 OK\r\n\r\n", 6, "bad status line"},
        {Kind::Request, "\x16\x03\x01\x02\x00", 0, "bad request line"}, // TLS ClientHello
        {Kind::Request, "GET /\r\n\r\n", 5, "bad request target"},      // HTTP/0.9
        {Kind::Request, "GE(T / HTTP/1.1\r\n\r\n", 2, "bad method"},
        {Kind::Request, "GET  / HTTP/1.1\r\n\r\n", 4, "bad request target"},
        {Kind::Request, "GET / HTTX/1.1\r\n\r\n", 9, "bad HTTP version"},
        {Kind::Request, "GET / HTTP/1.1x\r\n\r\n", 14, "bad HTTP version"},
        {Kind::Request, "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 20, "white space before colon"},
        {Kind::Request, "GET / HTTP/1.1\r\nHo(st: x\r\n\r\n", 18, "bad header name"},
        {Kind::Request, "GET / HTTP/1.1\r\nNoColon\r\n\r\n", 23, "missing colon in header"},
        {Kind::Request, "GET / HTTP/1.1\r\n: x\r\n\r\n", 16, "empty header name"},
        {Kind::Request, "GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", 20, "bad header value"},
        {Kind::Request, "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 20, "bare CR"},
        {Kind::Request, "GET / HTTP/1.1\r\n folded\r\nX: y\r\n\r\n", 16,
         "white space before first header"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.bytes);
        EXPECT_EQ(parseOnce(c.kind, c.bytes),
                  fmt::format("error off={} reason=\"{}\"", c.offset, c.reason));
        expectSplitInvariant(c.kind, c.bytes);
    }
}

TEST(HttpHeadParser, StartLineErrorsDoNotWaitForTheLineEnd) {
    // Garbage is rejected as soon as its first bad byte arrives, not after 64 KiB.
    EXPECT_EQ(parseOnce(Kind::Response, "\x81"), "error off=0 reason=\"bad status line\"");
    EXPECT_EQ(parseOnce(Kind::Response, "HTTP/1.1 2x"), "error off=10 reason=\"bad status code\"");
    EXPECT_EQ(parseOnce(Kind::Request, "GET / HTTP/2"), "need-more");
}

TEST(HttpHeadParser, ErrorsAreSticky) {
    HttpHeadParser p(Kind::Response, 1024);
    HttpHead h;
    EXPECT_EQ(p.parse("XTTP", h).status, Status::Error);
    const auto r = p.parse("XTTP/1.1 200 OK\r\n\r\n", h);
    EXPECT_EQ(r.status, Status::Error);
    EXPECT_EQ(r.consumed, 0u);
    p.reset();
    EXPECT_EQ(p.parse("HTTP/1.1 200 OK\r\n\r\n", h).status, Status::Complete);
}

TEST(HttpHeadParser, ToleratesBareLfAndNotesIt) {
    const std::string bytes = "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: "
                              "Upgrade\r\n\n";
    HttpHeadParser p(Kind::Response, 1024);
    HttpHead h;
    const auto r = p.parse(bytes, h);
    ASSERT_EQ(r.status, Status::Complete) << r.reason;
    EXPECT_EQ(r.consumed, bytes.size());
    EXPECT_TRUE(h.bareLf);
    EXPECT_EQ(h.reason, "Switching Protocols");
    EXPECT_EQ(h.header("Connection"), "Upgrade");
    expectSplitInvariant(Kind::Response, bytes);
    expectSplitInvariant(Kind::Request, "GET / HTTP/1.1\nHost: a\n\n");
}

TEST(HttpHeadParser, ToleratesObsFoldAndNotesIt) {
    const std::string bytes =
        "GET / HTTP/1.1\r\nConnection: keep-alive,\r\n Upgrade\r\nX: 1\r\n\r\n";
    HttpHeadParser p(Kind::Request, 1024);
    HttpHead h;
    ASSERT_EQ(p.parse(bytes, h).status, Status::Complete);
    EXPECT_TRUE(h.obsFold);
    ASSERT_EQ(h.headers.size(), 2u);
    EXPECT_EQ(h.headers[0].value, "keep-alive,\r\n Upgrade");
    EXPECT_TRUE(h.hasToken("connection", "upgrade"));
    EXPECT_TRUE(h.hasToken("Connection", "Keep-Alive"));
    expectSplitInvariant(Kind::Request, bytes);
}

TEST(HttpHeadParser, SkipsEmptyLinesBeforeARequest) {
    const std::string bytes = "\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n";
    HttpHeadParser p(Kind::Request, 1024);
    HttpHead h;
    const auto r = p.parse(bytes, h);
    ASSERT_EQ(r.status, Status::Complete);
    EXPECT_EQ(r.consumed, bytes.size());
    EXPECT_EQ(h.leadingEmptyLines, 2u);
    EXPECT_EQ(h.target, "/x");
    expectSplitInvariant(Kind::Request, bytes);
    // Not for responses (RFC 9112 §2.2 is about requests).
    EXPECT_EQ(parseOnce(Kind::Response, "\r\nHTTP/1.1 200 OK\r\n\r\n"),
              "error off=0 reason=\"bad status line\"");
}

TEST(HttpHeadParser, TokenListsAcrossRepeatedHeadersAnyCase) {
    const auto o = test::request("GET / HTTP/1.1\r\nconnection: keep-alive\r\nCONNECTION: "
                                 "Upgrade\r\nUpgrade: WebSocket\r\nX: \"a, upgrade\"\r\n\r\n");
    const HttpHead& h = o.head;
    EXPECT_TRUE(h.hasToken("Connection", "upgrade"));
    EXPECT_TRUE(h.hasToken("upgrade", "websocket"));
    EXPECT_FALSE(h.hasToken("Connection", "close"));
    EXPECT_FALSE(h.hasToken("X", "upgrade")); // inside a quoted string
    EXPECT_EQ(h.count("connection"), 2u);
    EXPECT_EQ(h.header("Connection"), "keep-alive");
    EXPECT_EQ(h.header("Missing"), "");
}

TEST(HttpHeadParser, EmptyValuesAndTrailingWhitespace) {
    const auto o = test::request("GET / HTTP/1.1\r\nA:\r\nB: \t v \t\r\n\r\n");
    ASSERT_EQ(o.head.headers.size(), 2u);
    EXPECT_EQ(o.head.headers[0].value, "");
    EXPECT_EQ(o.head.headers[1].value, "v");
}

TEST(HttpHeadParser, LongHeadByteByByteIsLinear) {
    // ~60 KiB head fed one byte at a time: with rescanning this would be ~1.8e9 steps.
    std::string bytes = "GET / HTTP/1.1\r\n";
    while (bytes.size() < 60000)
        bytes += "X-Filler: " + std::string(100, 'a') + "\r\n";
    bytes += "X-Long: " + std::string(3000, 'b') + "\r\n\r\n";
    HttpHeadParser p(Kind::Request, 64 * 1024);
    HttpHead h;
    HttpHeadParser::Result r;
    for (std::size_t n = 1; n <= bytes.size(); ++n) {
        r = p.parse(std::string_view(bytes).substr(0, n), h);
        if (n < bytes.size()) {
            ASSERT_EQ(r.status, Status::NeedMore) << n;
        }
    }
    ASSERT_EQ(r.status, Status::Complete);
    EXPECT_EQ(h.headers.back().value.size(), 3000u);
}
