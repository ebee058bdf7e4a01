// SPDX-License-Identifier: MIT
#include "decoder/http/http_body_tracker.h"
#include "tests/unit/http/test_util.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace wst;
using Status = HttpBodyTracker::Status;
using FK = BodyFraming::Kind;

namespace {

/// The outcome of feeding a whole stream in given pieces.
struct Fed {
    std::string outcome; ///< "complete N" (stream offset where the body ended),
                         ///< "need-more", or "error OFF reason"
    std::string payload; ///< decoded payload prefix
};

Fed feedPieces(const BodyFraming& f, const std::string& stream,
               const std::vector<std::size_t>& cuts, std::size_t prefixCap = 1 << 20) {
    HttpBodyTracker t;
    t.start(f);
    Fed out;
    std::size_t pos = 0;
    std::vector<std::size_t> bounds = cuts;
    bounds.push_back(stream.size());
    for (std::size_t end : bounds) {
        if (end < pos)
            continue;
        const std::string piece = stream.substr(pos, end - pos); // a fresh buffer per piece
        const auto r = t.feed(piece, &out.payload, prefixCap);
        if (r.status == Status::Complete) {
            out.outcome = fmt::format("complete {}", pos + r.consumed);
            EXPECT_EQ(t.wireBytes(), pos + r.consumed);
            return out;
        }
        if (r.status == Status::Error) {
            out.outcome = fmt::format("error {} {}", pos + r.consumed, r.reason);
            EXPECT_EQ(t.errorOffset(), pos + r.consumed);
            return out;
        }
        EXPECT_EQ(r.consumed, piece.size());
        pos = end;
    }
    out.outcome = "need-more";
    return out;
}

/// Whole, every single split point, and byte by byte must agree.
Fed expectSplitInvariant(const BodyFraming& f, const std::string& stream) {
    const Fed whole = feedPieces(f, stream, {});
    for (std::size_t k = 0; k <= stream.size(); ++k) {
        const Fed split = feedPieces(f, stream, {k});
        EXPECT_EQ(split.outcome, whole.outcome) << "split at " << k;
        EXPECT_EQ(split.payload, whole.payload) << "split at " << k;
    }
    std::vector<std::size_t> every;
    for (std::size_t k = 1; k < stream.size(); ++k)
        every.push_back(k);
    const Fed bytewise = feedPieces(f, stream, every);
    EXPECT_EQ(bytewise.outcome, whole.outcome);
    EXPECT_EQ(bytewise.payload, whole.payload);
    return whole;
}

BodyFraming chunked() {
    return BodyFraming{FK::Chunked, 0, false, {}};
}

const std::string k101 = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";

} // namespace

TEST(HttpBodyTracker, ChunkedWithExtensionsAndTrailersSplitAtEveryByte) {
    const std::string body =
        "4;name=value\r\nWiki\r\n5 ; a=\"b\"\r\npedia\r\nE\r\n in\r\n\r\nchunks."
        "\r\n0\r\nExpires: never\r\nX: y\r\n\r\n";
    const Fed f = expectSplitInvariant(chunked(), body + k101);
    EXPECT_EQ(f.outcome, fmt::format("complete {}", body.size()));
    EXPECT_EQ(f.payload, "Wikipedia in\r\n\r\nchunks.");
}

TEST(HttpBodyTracker, ChunkedToleratesBareLf) {
    const std::string body = "3\nabc\n0\n\n";
    const Fed f = expectSplitInvariant(chunked(), body + "next");
    EXPECT_EQ(f.outcome, fmt::format("complete {}", body.size()));
    EXPECT_EQ(f.payload, "abc");
}

TEST(HttpBodyTracker, TwoResponsesGoChunked200Then101) {
    // captures/gin-200-then-101.pcapng: net/http flushed "200, chunked" during Hijack, then
    // gorilla wrote its 101.
    // The chunked body never starts: the 101's status line is not a chunk size.
    const Fed f = expectSplitInvariant(chunked(), k101);
    EXPECT_EQ(f.outcome, "error 0 bad chunk size");
}

TEST(HttpBodyTracker, MalformedChunkedFramingHasOffsets) {
    struct Case {
        std::string stream;
        std::string outcome;
    };
    const Case cases[] = {
        {"zz\r\n", "error 0 bad chunk size"},
        {"5\r\nhelloXX", "error 8 missing CRLF after chunk data"},
        {"5\r\nhello\rX", "error 9 missing CRLF after chunk data"},
        {"12345678901234567\r\n", "error 16 chunk size too large"},
        {"5\rX", "error 2 bare CR in chunk size line"},
        {"5 x\r\n", "error 2 bad chunk size"},
        {"0\r\n\rX", "error 4 bad trailer section"},
        {";ext\r\n", "error 0 bad chunk size"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.stream);
        EXPECT_EQ(expectSplitInvariant(chunked(), c.stream).outcome, c.outcome);
    }
}

TEST(HttpBodyTracker, ChunkedBoundsExtensionsAndTrailers) {
    HttpBodyTracker t(/*maxLineBytes=*/8, /*maxTrailerBytes=*/16);
    t.start(chunked());
    auto r = t.feed("1;123456789\r\n");
    EXPECT_EQ(r.status, Status::Error);
    EXPECT_EQ(r.reason, "chunk extension too long");
    EXPECT_EQ(r.consumed, 10u);
    // Sticky.
    EXPECT_EQ(t.feed("x").status, Status::Error);

    t.start(chunked());
    r = t.feed("0\r\nX-Trailer: " + std::string(100, 'a'));
    EXPECT_EQ(r.status, Status::Error);
    EXPECT_EQ(r.reason, "trailers too large");
    EXPECT_EQ(r.consumed, 3u + 16u);
}

TEST(HttpBodyTracker, LargestChunkSizeDoesNotOverflow) {
    HttpBodyTracker t;
    t.start(chunked());
    const auto r = t.feed("ffffffffffffffff\r\nabc");
    EXPECT_EQ(r.status, Status::NeedMore);
    EXPECT_EQ(t.payloadBytes(), 3u);
}

TEST(HttpBodyTracker, ContentLengthThenNextHead) {
    const Fed f = expectSplitInvariant(BodyFraming{FK::Length, 5, false, {}}, "hello" + k101);
    EXPECT_EQ(f.outcome, "complete 5");
    EXPECT_EQ(f.payload, "hello");
}

TEST(HttpBodyTracker, UntilCloseConsumesEverything) {
    const Fed f = expectSplitInvariant(BodyFraming{FK::UntilClose, 0, false, {}}, "abc" + k101);
    EXPECT_EQ(f.outcome, "need-more");
    EXPECT_EQ(f.payload, "abc" + k101);
}

TEST(HttpBodyTracker, NoBodyCompletesAtOnce) {
    HttpBodyTracker t;
    t.start(BodyFraming{});
    EXPECT_TRUE(t.done());
    const auto r = t.feed(k101);
    EXPECT_EQ(r.status, Status::Complete);
    EXPECT_EQ(r.consumed, 0u);
}

TEST(HttpBodyTracker, PayloadPrefixIsCapped) {
    const Fed f = feedPieces(chunked(), "a\r\n0123456789\r\n0\r\n\r\n", {5}, 4);
    EXPECT_EQ(f.payload, "0123");
}

TEST(HttpBodyFraming, ResponsesWithoutBody) {
    const auto mk = [](std::string statusLine) {
        return test::response(statusLine +
                              "\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n");
    };
    for (const char* line :
         {"HTTP/1.1 100 Continue", "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 103 Early Hints",
          "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified"}) {
        const auto o = mk(line);
        EXPECT_EQ(responseBodyFraming(o.head, "GET").kind, FK::None) << line;
    }
    const auto ok = mk("HTTP/1.1 200 OK");
    EXPECT_EQ(responseBodyFraming(ok.head, "HEAD").kind, FK::None);
    EXPECT_EQ(responseBodyFraming(ok.head, "CONNECT").kind, FK::UntilClose);
}

TEST(HttpBodyFraming, ResponseFramingRules) {
    const auto framing = [](std::string headers) {
        const auto o = test::response("HTTP/1.1 200 OK\r\n" + headers + "\r\n");
        return responseBodyFraming(o.head, "GET");
    };
    auto f = framing("Content-Length: 12\r\n");
    EXPECT_EQ(f.kind, FK::Length);
    EXPECT_EQ(f.length, 12u);
    EXPECT_EQ(framing("Content-Length: 0\r\n").kind, FK::None);
    EXPECT_EQ(framing("Transfer-Encoding: chunked\r\n").kind, FK::Chunked);
    EXPECT_EQ(framing("Transfer-Encoding: gzip, Chunked\r\n").kind, FK::Chunked);
    EXPECT_EQ(framing("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n").kind,
              FK::Chunked);
    EXPECT_EQ(framing("Transfer-Encoding: gzip\r\n").kind, FK::UntilClose);
    EXPECT_EQ(framing("").kind, FK::UntilClose);
    f = framing("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n");
    EXPECT_EQ(f.kind, FK::Chunked);
    EXPECT_TRUE(f.lengthIgnored);
    f = framing("Content-Length: 5, 5\r\nContent-Length: 5\r\n");
    EXPECT_EQ(f.kind, FK::Length);
    EXPECT_TRUE(f.error.empty());
    f = framing("Content-Length: 5\r\nContent-Length: 6\r\n");
    EXPECT_EQ(f.kind, FK::UntilClose);
    EXPECT_EQ(f.error, "conflicting Content-Length");
    f = framing("Content-Length: -1\r\n");
    EXPECT_EQ(f.error, "bad Content-Length");
    f = framing("Content-Length: 99999999999999999999\r\n");
    EXPECT_EQ(f.error, "bad Content-Length");
}

TEST(HttpBodyFraming, RequestFramingRules) {
    const auto framing = [](std::string headers) {
        const auto o = test::request("POST /x HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n");
        return requestBodyFraming(o.head);
    };
    EXPECT_EQ(framing("").kind, FK::None);
    EXPECT_EQ(framing("Content-Length: 4\r\n").kind, FK::Length);
    EXPECT_EQ(framing("Transfer-Encoding: chunked\r\n").kind, FK::Chunked);
    const auto bad = framing("Transfer-Encoding: gzip\r\n");
    EXPECT_EQ(bad.kind, FK::None);
    EXPECT_EQ(bad.error, "Transfer-Encoding without final chunked");
    EXPECT_EQ(framing("Transfer-Encoding: chunked, gzip\r\n").error,
              "Transfer-Encoding without final chunked");
}

TEST(HttpBodyTracker, KeepAliveRequestsWithBodies) {
    // Pipelined: POST with a chunked body, POST with a length, then the upgrade request.
    const std::string stream = "POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "3\r\nabc\r\n0\r\n\r\n"
                               "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxy"
                               "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n";
    std::string_view rest = stream;
    std::vector<std::string> targets;
    std::string payloads;
    HttpHeadParser parser(HttpHeadParser::Kind::Request, 4096);
    HttpBodyTracker body;
    while (!rest.empty()) {
        HttpHead h;
        parser.reset();
        const auto r = parser.parse(rest, h);
        ASSERT_EQ(r.status, HttpHeadParser::Status::Complete) << r.reason;
        targets.emplace_back(h.target);
        rest.remove_prefix(r.consumed);
        body.start(requestBodyFraming(h));
        const auto b = body.feed(rest, &payloads, 100);
        ASSERT_EQ(b.status, Status::Complete);
        rest.remove_prefix(b.consumed);
    }
    EXPECT_EQ(targets, (std::vector<std::string>{"/a", "/b", "/ws"}));
    EXPECT_EQ(payloads, "abcxy");
}

TEST(HttpBodyTracker, InterimResponsesThen101) {
    // 100 Continue and 103 Early Hints have no body; the 101 that follows is found.
    const std::string stream = "HTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" +
                               k101;
    std::string_view rest = stream;
    std::vector<int> statuses;
    HttpHeadParser parser(HttpHeadParser::Kind::Response, 4096);
    while (!rest.empty()) {
        HttpHead h;
        parser.reset();
        const auto r = parser.parse(rest, h);
        ASSERT_EQ(r.status, HttpHeadParser::Status::Complete);
        statuses.push_back(h.status);
        EXPECT_EQ(responseBodyFraming(h, "GET").kind, FK::None);
        rest.remove_prefix(r.consumed);
    }
    EXPECT_EQ(statuses, (std::vector<int>{100, 103, 101}));
}
