// SPDX-License-Identifier: MIT
// http_upgrade_stripped across the two legs of a proxy: the client's upgrade request and the
// proxy's forwarded copy, linked by target, method, time and key (the shape of
// captures/nginx-proxy-no-upgrade-headers.pcapng: the upstream request 4.8 ms after the
// client's, HTTP/1.0, no Upgrade).
#include "decoder/analysis/proxy_legs.h"
#include "tests/unit/analysis/conversation.h"

#include <gtest/gtest.h>

namespace wst::test {
namespace {

std::string replace(std::string s, std::string_view from, std::string_view to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}

/// nginx without proxy_http_version 1.1 / proxy_set_header: HTTP/1.0, Connection: close, the
/// key and version kept, Upgrade dropped.
std::string strippedCopy(std::string_view target = "/echo") {
    std::string r = replace(upgradeRequest("", target), "Connection: Upgrade", "Connection: close");
    r = replace(r, "Upgrade: websocket\r\n", "");
    return replace(r, "HTTP/1.1", "HTTP/1.0");
}

const std::string kNginx400 =
    "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain; "
    "charset=utf-8\r\nContent-Length: 12\r\nConnection: keep-alive\r\nSec-Websocket-Version: "
    "13\r\nX-Content-Type-Options: nosniff\r\n\r\nBad Request\n";

/// Runs the two legs side by side (same clock) and returns the client leg's notes.
std::vector<std::string> twoLegs(const std::string& upstreamRequest, std::int64_t delay) {
    ProxyLegs legs;
    Conversation client(true, {}, 1);
    Conversation upstream(true, {}, 2);
    legs.onLink = [&](ConnId c, ConnId u, std::int64_t d) {
        EXPECT_EQ(c, 1u);
        client.analyzer().noteUpstreamLeg(u, d);
    };
    client.analyzer().setProxyLegs(&legs);
    upstream.analyzer().setProxyLegs(&legs);
    client.handshake().send(C2S, upgradeRequest("", "/echo"));
    upstream.handshake().send(C2S, upstreamRequest, delay + 100 * kUs);
    upstream.send(S2C, gorillaError(400, "Bad Request", "Bad Request\n")).fin(S2C).fin(C2S).end();
    client.send(S2C, kNginx400, delay + 1 * kMs).fin(C2S).end();
    return client.connection().notes;
}

bool mentionsUpstream(const std::vector<std::string>& notes) {
    for (const std::string& n : notes) {
        if (n.find("as connection 2 without Upgrade/Connection") != std::string::npos) {
            return true;
        }
    }
    return false;
}

TEST(ProxyLegs, StrippedCopyNamesTheProxyAndTheUpstreamConnection) {
    const auto notes = twoLegs(strippedCopy(), 5 * kMs);
    ASSERT_TRUE(mentionsUpstream(notes)) << notes.size();
    bool named = false;
    for (const std::string& n : notes) {
        named = named || n.find("the proxy (nginx/1.22.1) forwarded") != std::string::npos;
    }
    EXPECT_TRUE(named);
}

TEST(ProxyLegs, SilentWhenTheCopyKeepsTheUpgradeHeaders) {
    EXPECT_FALSE(mentionsUpstream(twoLegs(upgradeRequest("", "/echo"), 5 * kMs)));
}

TEST(ProxyLegs, SilentOutsideTheWindowOrForAnotherTarget) {
    EXPECT_FALSE(mentionsUpstream(twoLegs(strippedCopy(), 200 * kMs)));
    EXPECT_FALSE(mentionsUpstream(twoLegs(strippedCopy("/other"), 5 * kMs)));
}

TEST(ProxyLegs, KeysMustAgreeWhenBothCarryOne) {
    ProxyLegs legs;
    const Timestamp t{1'000 * kS};
    ProxyLegs::Request a{1, t, "GET", "/ws", "aaaaaaaaaaaaaaaaaaaaaa==", true};
    EXPECT_FALSE(legs.onRequest(a));
    ProxyLegs::Request other{2,     Timestamp{t.ns + kMs},      "GET",
                             "/ws", "bbbbbbbbbbbbbbbbbbbbbb==", false};
    EXPECT_FALSE(legs.onRequest(other));
    ProxyLegs::Request same{3, Timestamp{t.ns + 2 * kMs}, "GET", "/ws", a.key, false};
    const auto link = legs.onRequest(same);
    ASSERT_TRUE(link);
    EXPECT_EQ(link->clientLeg, 1u);
    EXPECT_EQ(link->delay, 2 * kMs);
}

TEST(ProxyLegs, LinksTheNewestAmongManyUnderALoadTest) {
    // 100 000 upgrade requests in 10 s: only the last kWindow (and at most kMaxEntries) stay.
    ProxyLegs legs;
    const Timestamp t0{1'000 * kS};
    for (ConnId i = 1; i <= 100'000; ++i) {
        legs.onRequest({i, Timestamp{t0.ns + static_cast<std::int64_t>(i) * 100 * kUs}, "GET",
                        "/ws", "", true});
    }
    const Timestamp end{t0.ns + 100'000 * 100 * kUs};
    // The first request expired long ago; the newest one still links.
    const auto late = legs.onRequest({200'000, Timestamp{end.ns + kMs}, "GET", "/ws", "", false});
    ASSERT_TRUE(late);
    EXPECT_EQ(late->clientLeg, 100'000u);
}

} // namespace
} // namespace wst::test
