// SPDX-License-Identifier: MIT
// Adversarial tests: inputs placed against an unreadable page (any over-read faults at once,
// as in picohttpparser's test.c), and deterministic mutations of real handshakes fed whole and
// split, which must agree and stay within bounds.
#include "decoder/http/fingerprint.h"
#include "decoder/http/handshake_validator.h"
#include "decoder/http/http_body_tracker.h"
#include "decoder/http/http_head_parser.h"
#include "decoder/model/anomaly.h"

#include <algorithm>
#include <cstring>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

using namespace wst;
using Kind = HttpHeadParser::Kind;
using Status = HttpHeadParser::Status;

namespace {

/// Two pages: the second is PROT_NONE. place() copies bytes so they end exactly at the guard.
class GuardedBuffer {
public:
    GuardedBuffer() {
        m_page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        void* p =
            mmap(nullptr, 2 * m_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return;
        m_base = static_cast<char*>(p);
        if (mprotect(m_base + m_page, m_page, PROT_NONE) != 0) {
            munmap(m_base, 2 * m_page);
            m_base = nullptr;
        }
    }
    ~GuardedBuffer() {
        if (m_base != nullptr)
            munmap(m_base, 2 * m_page);
    }
    GuardedBuffer(const GuardedBuffer&) = delete;
    GuardedBuffer& operator=(const GuardedBuffer&) = delete;

    bool ok() const { return m_base != nullptr; }
    std::size_t capacity() const { return m_page; }
    std::string_view place(std::string_view bytes) {
        char* at = m_base + m_page - bytes.size();
        std::memcpy(at, bytes.data(), bytes.size());
        return {at, bytes.size()};
    }

private:
    char* m_base = nullptr;
    std::size_t m_page = 0;
};

const std::vector<std::string>& requestSeeds() {
    static const std::vector<std::string> seeds = {
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: "
        "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: chat, "
        "superchat\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; "
        "client_max_window_bits\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Grafana k6/1.0.0\r\nConnection: "
        "Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: "
        "13\r\nUpgrade: websocket\r\n\r\n",
        "POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nX: folded\n  value\n\n",
    };
    return seeds;
}

const std::vector<std::string>& responseSeeds() {
    static const std::vector<std::string> seeds = {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
        "Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: "
        "chat\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
        "client_max_window_bits=10\r\n\r\n",
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; "
        "charset=utf-8\r\nSec-Websocket-Version: "
        "13\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 12\r\n\r\nBad Request\n",
        "HTTP/1.1 200 OK\r\nDate: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    };
    return seeds;
}

std::string mutate(std::string s, std::mt19937& rng) {
    std::uniform_int_distribution<int> op(0, 5);
    std::uniform_int_distribution<int> byte(0, 255);
    static constexpr char kInteresting[] = {'\r', '\n', ' ', '\t', ':', ',',
                                            ';',  '=',  '"', '\0', 'H'};
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t at = rng() % s.size();
        switch (op(rng)) {
        case 0:
            s[at] = static_cast<char>(byte(rng));
            break;
        case 1:
            s[at] = kInteresting[rng() % sizeof(kInteresting)];
            break;
        case 2:
            s.erase(at, 1 + rng() % 8);
            break;
        case 3:
            s.insert(at, 1, kInteresting[rng() % sizeof(kInteresting)]);
            break;
        case 4:
            s.insert(at, s.substr(rng() % s.size(), rng() % 16)); // duplicate a slice
            break;
        default:
            s.resize(at); // truncate
            break;
        }
    }
    return s;
}

std::string describe(const HttpHeadParser::Result& r, const HttpHead& h) {
    std::string s = std::to_string(static_cast<int>(r.status)) + " " + std::to_string(r.consumed) +
                    " " + std::string(r.reason);
    if (r.status == Status::Complete) {
        s += " " + std::string(h.method) + " " + std::string(h.target) + " " +
             std::to_string(h.status);
        for (const auto& hv : h.headers)
            s += "|" + std::string(hv.name) + "=" + std::string(hv.value);
    }
    return s;
}

} // namespace

TEST(HttpRobustness, HeadParserNeverReadsPastTheInput) {
    GuardedBuffer guard;
    ASSERT_TRUE(guard.ok());
    std::vector<std::pair<Kind, std::string>> inputs;
    for (const auto& s : requestSeeds())
        inputs.emplace_back(Kind::Request, s);
    for (const auto& s : responseSeeds())
        inputs.emplace_back(Kind::Response, s);
    for (const auto& [kind, text] : inputs) {
        ASSERT_LE(text.size(), guard.capacity());
        // Every prefix against the guard, with a fresh parser and with one parser growing.
        HttpHeadParser growing(kind, 64 * 1024);
        for (std::size_t n = 0; n <= text.size(); ++n) {
            const std::string_view at = guard.place(std::string_view(text).substr(0, n));
            HttpHead h1, h2;
            HttpHeadParser fresh(kind, 64 * 1024);
            const auto a = fresh.parse(at, h1);
            const auto b = growing.parse(at, h2);
            EXPECT_EQ(describe(a, h1), describe(b, h2)) << n;
            if (a.status == Status::Complete) {
                // Validators and fingerprints read only the views.
                const auto report =
                    kind == Kind::Request ? validateRequest(h1) : validateResponse(h1, h1);
                (void)report;
                (void)fingerprintServer(h1, at.substr(a.consumed));
                (void)fingerprintClient(h1);
            }
        }
    }
}

TEST(HttpRobustness, BodyTrackerNeverReadsPastTheInput) {
    GuardedBuffer guard;
    ASSERT_TRUE(guard.ok());
    const std::string body = "4;x=\"y\"\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n";
    for (std::size_t n = 0; n <= body.size(); ++n) {
        HttpBodyTracker t;
        t.start(BodyFraming{BodyFraming::Kind::Chunked, 0, false, {}});
        const std::string_view at = guard.place(std::string_view(body).substr(0, n));
        const auto r = t.feed(at);
        EXPECT_EQ(r.status, n == body.size() ? Status::Complete : Status::NeedMore) << n;
    }
}

TEST(HttpRobustness, MutatedHeadsAgreeWholeAndSplit) {
    std::mt19937 rng(20261124); // deterministic
    int complete = 0, errors = 0;
    for (int iter = 0; iter < 3000; ++iter) {
        const bool isRequest = iter % 2 == 0;
        const auto& seeds = isRequest ? requestSeeds() : responseSeeds();
        const std::string input = mutate(seeds[rng() % seeds.size()], rng);
        const Kind kind = isRequest ? Kind::Request : Kind::Response;
        const std::size_t max = 64 + rng() % 512; // small limits exercise "head too large"

        HttpHeadParser whole(kind, max);
        HttpHead hw;
        const auto rw = whole.parse(input, hw);
        const std::string expected = describe(rw, hw);
        if (rw.status == Status::Complete) {
            ++complete;
            EXPECT_LE(rw.consumed, input.size());
            EXPECT_LE(rw.consumed, max);
            (void)validateRequest(hw);
            (void)validateResponse(hw, hw);
            (void)fingerprintServer(hw, std::string_view(input).substr(rw.consumed));
            (void)fingerprintClient(hw);
            (void)responseBodyFraming(hw, "GET");
            (void)requestBodyFraming(hw);
        } else if (rw.status == Status::Error) {
            ++errors;
            EXPECT_LE(rw.consumed, std::max(input.size(), max)) << input;
            EXPECT_FALSE(rw.reason.empty());
        }
        // Three random split points, each a fresh buffer.
        HttpHeadParser split(kind, max);
        HttpHead hs;
        std::vector<std::size_t> cuts = {rng() % (input.size() + 1), rng() % (input.size() + 1),
                                         rng() % (input.size() + 1)};
        std::sort(cuts.begin(), cuts.end());
        for (std::size_t c : cuts) {
            const std::string prefix = input.substr(0, c);
            split.parse(prefix, hs);
        }
        EXPECT_EQ(describe(split.parse(input, hs), hs), expected) << input;
    }
    // The mutations must reach both outcomes, or the test proves little.
    EXPECT_GT(complete, 100);
    EXPECT_GT(errors, 100);
}

TEST(HttpRobustness, MutatedChunkedBodiesAgreeWholeAndSplit) {
    std::mt19937 rng(6455);
    const std::string seed =
        "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n"
        "Expires: never\r\n\r\nHTTP/1.1 101 Switching Protocols\r\n\r\n";
    int complete = 0, errors = 0;
    for (int iter = 0; iter < 3000; ++iter) {
        const std::string input = mutate(seed, rng);
        const auto run = [&](std::size_t cut) {
            HttpBodyTracker t(64, 64);
            t.start(BodyFraming{BodyFraming::Kind::Chunked, 0, false, {}});
            std::string payload;
            const auto a = t.feed(std::string_view(input).substr(0, cut), &payload, 1024);
            if (a.status == Status::Complete)
                return "C" + std::to_string(a.consumed) + payload;
            if (a.status == Status::Error)
                return "E" + std::to_string(a.consumed) + std::string(a.reason);
            EXPECT_EQ(a.consumed, cut);
            const auto b = t.feed(std::string_view(input).substr(cut), &payload, 1024);
            if (b.status == Status::Complete)
                return "C" + std::to_string(cut + b.consumed) + payload;
            if (b.status == Status::Error)
                return "E" + std::to_string(cut + b.consumed) + std::string(b.reason);
            return "N" + payload;
        };
        const std::string whole = run(input.size());
        complete += whole[0] == 'C';
        errors += whole[0] == 'E';
        EXPECT_EQ(run(rng() % (input.size() + 1)), whole) << input;
    }
    EXPECT_GT(complete, 100);
    EXPECT_GT(errors, 100);
}
