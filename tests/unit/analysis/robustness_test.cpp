// SPDX-License-Identifier: MIT
// The analyzer under hostile or oddly cut input: every split of the hijack byte sequences gives
// the same verdict, and random bytes, gaps and closes never crash it or grow it without bound.
#include "tests/unit/analysis/conversation.h"

#include <gtest/gtest.h>
#include <map>
#include <random>

namespace wst::test {
namespace {

struct Outcome {
    std::vector<AnomalyId> ids;
    std::uint64_t s2cFrames = 0;
    std::uint64_t s2cMessages = 0;
    std::size_t responses = 0;
};

Outcome runServerBytes(const std::string& s2c, std::size_t split) {
    Conversation c;
    c.handshake().send(C2S, upgradeRequest());
    if (split == 0) {
        c.send(S2C, s2c);
    } else {
        c.sendSplit(S2C, s2c, split);
    }
    c.fin(S2C).end();
    return {c.ids(), c.connection().stats[index(S2C)].frames,
            c.connection().stats[index(S2C)].messages, c.connection().responses.size()};
}

TEST(Robustness, HijackPatternsSurviveEverySplit) {
    const std::string node400 = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: "
                                "text/html\r\nContent-Length: 11\r\n\r\nBad Request";
    const std::string chunked200 = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string cases[] = {
        gorilla101() + node400,                                        // two responses, HTTP in WS
        gorilla101() + serverText("a") + node400 + serverText("b"),    // HTTP in WS, recovered
        chunked200 + gorilla101() + serverText(std::string(300, 'x')), // two responses
        gorilla101() + frame(0x2, std::string(70000, 'y'), false) + serverText("z"),
    };
    for (const std::string& bytes : cases) {
        const Outcome whole = runServerBytes(bytes, 0);
        for (std::size_t split = 1; split <= 17; ++split) {
            const Outcome parts = runServerBytes(bytes, split);
            EXPECT_EQ(parts.ids, whole.ids) << "split " << split;
            EXPECT_EQ(parts.s2cFrames, whole.s2cFrames) << "split " << split;
            EXPECT_EQ(parts.s2cMessages, whole.s2cMessages) << "split " << split;
            EXPECT_EQ(parts.responses, whole.responses) << "split " << split;
        }
    }
}

TEST(Robustness, RandomInputNeverBreaksTheAnalyzer) {
    std::mt19937_64 rng(20261124);
    const std::string seeds[] = {upgradeRequest(),
                                 gorilla101(),
                                 clientText("hello"),
                                 serverText("world"),
                                 closeFrame(1000, "x", true),
                                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                                 frame(0x9, "p", false),
                                 "GET / HTTP/1.1\r\n\r\n"};
    Limits limits;
    limits.anomaliesPerConnectionAndId = 5;
    for (int round = 0; round < 300; ++round) {
        Conversation c(round % 3 != 0, limits);
        if (round % 3 != 0) {
            c.handshake();
        }
        const int steps = 5 + static_cast<int>(rng() % 40);
        for (int i = 0; i < steps; ++i) {
            const Direction d = (rng() & 1) != 0 ? C2S : S2C;
            switch (rng() % 6) {
            case 0:
            case 1:
                c.send(d, seeds[rng() % std::size(seeds)], static_cast<std::int64_t>(rng() % kS));
                break;
            case 2: {
                std::string junk(rng() % 200, '\0');
                for (char& b : junk) {
                    b = static_cast<char>(rng());
                }
                c.send(d, junk);
                break;
            }
            case 3: {
                // A valid piece, cut anywhere.
                const std::string& s = seeds[rng() % std::size(seeds)];
                c.send(d, s.substr(0, rng() % (s.size() + 1)));
                break;
            }
            case 4:
                c.gap(d, 1 + rng() % 100);
                break;
            default:
                if (rng() % 8 == 0) {
                    c.fin(d);
                }
                break;
            }
        }
        c.end();
        const Connection& k = c.connection();
        EXPECT_TRUE(k.finished);
        for (const auto& [id, n] : [&] {
                 std::map<AnomalyId, std::size_t> counts;
                 for (const Anomaly& a : c.store().anomalies) {
                     ++counts[a.id];
                 }
                 return counts;
             }()) {
            EXPECT_LE(n, limits.anomaliesPerConnectionAndId) << anomalyName(id);
        }
        EXPECT_LE(k.responses.size(), 16u);
    }
}

} // namespace
} // namespace wst::test
