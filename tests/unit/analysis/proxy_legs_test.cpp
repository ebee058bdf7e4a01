// SPDX-License-Identifier: MIT
// The two legs of a proxy: the client's upgrade request and the proxy's forwarded copy, linked
// by target, method, time and key (the shape of captures/nginx-proxy-no-upgrade-headers.pcapng:
// the upstream request 4.8 ms after the client's, HTTP/1.0, no Upgrade), the refusal across
// legs, and the proxy's idle timeout measured from both legs (ProxyIdleTimeout).
#include "decoder/analysis/proxy_legs.h"
#include "tests/unit/analysis/conversation.h"

#include <fmt/format.h>
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

std::string nginxError(int status, std::string_view reason) {
    const std::string body = fmt::format("{}\n", reason);
    return fmt::format("HTTP/1.1 {} {}\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain; "
                       "charset=utf-8\r\nContent-Length: {}\r\nConnection: keep-alive\r\n"
                       "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n\r\n{}",
                       status, reason, body.size(), body);
}

Endpoint client(std::uint16_t port) {
    Endpoint e;
    e.address.bytes = {10, 0, 0, 1};
    e.port = port;
    return e;
}

/// Two legs on the same clock (each Conversation starts at the same time), wired to one
/// ProxyLegs the way the Analyzer wires them: the front leg is connection 1, the back leg 2.
struct Legs {
    ProxyLegs legs;
    Conversation front{true, {}, 1};
    Conversation back{true, {}, 2};

    Legs() {
        legs.onLink = [this](ConnId c, ConnId u, const ProxyLegs::Link& link) {
            EXPECT_EQ(c, 1u);
            front.analyzer().noteUpstreamLeg(u, link);
        };
        legs.onUpstreamAnswer = [this](ConnId c, ConnId, int status) {
            EXPECT_EQ(c, 1u);
            front.analyzer().noteUpstreamAnswer(status);
        };
        legs.onIdleTimeout = [this](const ProxyIdleTimeout::Match& m) {
            (m.conn == 1 ? front : back).analyzer().noteProxyIdleTimeout(m);
        };
        front.analyzer().setProxyLegs(&legs);
        back.analyzer().setProxyLegs(&legs);
    }
};

/// The front leg's request, the proxy's copy `delay` later, the backend's `backendAnswer` and
/// the proxy's `proxyAnswer` to the client. Returns the front leg's notes.
std::vector<std::string> refusedThroughTheProxy(Legs& l, const std::string& copy,
                                                std::int64_t delay,
                                                const std::string& backendAnswer,
                                                const std::string& proxyAnswer) {
    l.front.handshake().send(C2S, upgradeRequest("", "/echo"));
    l.back.handshake().send(C2S, copy, delay + 100 * kUs);
    l.back.send(S2C, backendAnswer).fin(S2C).fin(C2S).end();
    l.front.send(S2C, proxyAnswer, delay + 1 * kMs).fin(C2S).end();
    return l.front.connection().notes;
}

bool hasNote(const std::vector<std::string>& notes, std::string_view text) {
    for (const std::string& n : notes) {
        if (n.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

TEST(ProxyLegs, StrippedCopyExplainsTheBackendsRefusalOnTheFrontLeg) {
    Legs l;
    const auto notes = refusedThroughTheProxy(l, strippedCopy(), 5 * kMs,
                                              gorillaError(400, "Bad Request", "Bad Request\n"),
                                              nginxError(400, "Bad Request"));
    EXPECT_TRUE(hasNote(notes, "the proxy (nginx/1.22.1) stripped Upgrade on the back leg "
                               "(connection #2), which is why its backend answered 400: it "
                               "forwarded this upgrade request 5.00 ms later without "
                               "Upgrade/Connection"))
        << (notes.empty() ? "" : notes.back());
    ASSERT_TRUE(l.front.connection().proxyLeg);
    EXPECT_EQ(l.front.connection().proxyLeg->other, 2u);
    EXPECT_TRUE(l.front.connection().proxyLeg->otherIsUpstream);
    EXPECT_EQ(l.front.connection().proxyLeg->delayNs, 5 * kMs);
    ASSERT_TRUE(l.back.connection().proxyLeg);
    EXPECT_EQ(l.back.connection().proxyLeg->other, 1u);
    EXPECT_FALSE(l.back.connection().proxyLeg->otherIsUpstream);
    EXPECT_EQ(l.back.connection().proxyLeg->delayNs, 5 * kMs);
}

TEST(ProxyLegs, StrippedCopyWithAnotherAnswerOnTheFrontLegStillNamesTheProxy) {
    Legs l;
    const auto notes = refusedThroughTheProxy(l, strippedCopy(), 5 * kMs,
                                              gorillaError(400, "Bad Request", "Bad Request\n"),
                                              nginxError(502, "Bad Gateway"));
    EXPECT_TRUE(hasNote(notes, "stripped Upgrade on the back leg (connection #2): it forwarded"));
    EXPECT_FALSE(hasNote(notes, "which is why"));
}

TEST(ProxyLegs, CopyWithTheUpgradeHeadersIsLinkedWithoutAStrippedNote) {
    Legs l;
    l.front.handshake().send(C2S, upgradeRequest("", "/echo"));
    l.back.handshake().send(C2S, upgradeRequest("", "/echo"), 5 * kMs);
    // The link is on both connections as soon as the copy arrives (onConnectionUpdate), before
    // either ends.
    ASSERT_TRUE(l.front.connection().proxyLeg);
    EXPECT_FALSE(l.front.connection().finished);
    EXPECT_EQ(l.front.connection().proxyLeg->other, 2u);
    ASSERT_TRUE(l.back.connection().proxyLeg);
    EXPECT_EQ(l.back.connection().proxyLeg->other, 1u);
    l.back.send(S2C, gorilla101()).fin(C2S).fin(S2C).end();
    l.front.send(S2C, nginx101(), 6 * kMs).fin(C2S).fin(S2C).end();
    EXPECT_FALSE(hasNote(l.front.connection().notes, "back leg"));
}

TEST(ProxyLegs, BackendRefusalRelayedByTheProxyPointsAtTheBackend) {
    Legs l;
    const auto notes = refusedThroughTheProxy(l, upgradeRequest("", "/echo"), 5 * kMs,
                                              gorillaError(403, "Forbidden", "Forbidden\n"),
                                              nginxError(403, "Forbidden"));
    EXPECT_TRUE(hasNote(notes, "the backend refused the upgrade on the back leg (connection #2) "
                               "with 403, and the proxy (nginx/1.22.1) relayed its answer"));
}

TEST(ProxyLegs, SilentOutsideTheWindowOrForAnotherTarget) {
    for (const auto& [copy, delay] :
         {std::pair{strippedCopy(), 200 * kMs}, std::pair{strippedCopy("/other"), 5 * kMs},
          std::pair{upgradeRequest("", "/other"), 5 * kMs}}) {
        Legs l;
        const auto notes =
            refusedThroughTheProxy(l, copy, delay, gorillaError(400, "Bad Request", "x\n"),
                                   nginxError(400, "Bad Request"));
        EXPECT_FALSE(l.front.connection().proxyLeg);
        EXPECT_FALSE(l.back.connection().proxyLeg);
        EXPECT_FALSE(hasNote(notes, "back leg"));
    }
}

TEST(ProxyLegs, KeysMustAgreeWhenBothCarryOne) {
    ProxyLegs legs;
    const Timestamp t{1'000 * kS};
    ProxyLegs::Request a{1, t, "GET", "/ws", "aaaaaaaaaaaaaaaaaaaaaa==", true, client(1)};
    EXPECT_FALSE(legs.onRequest(a));
    ProxyLegs::Request other{
        2, Timestamp{t.ns + kMs}, "GET", "/ws", "bbbbbbbbbbbbbbbbbbbbbb==", false, client(2)};
    EXPECT_FALSE(legs.onRequest(other));
    ProxyLegs::Request same{3, Timestamp{t.ns + 2 * kMs}, "GET", "/ws", a.key, false, client(3)};
    const auto link = legs.onRequest(same);
    ASSERT_TRUE(link);
    EXPECT_EQ(link->clientLeg, 1u);
    EXPECT_EQ(link->delay, 2 * kMs);
    EXPECT_TRUE(link->stripped);
}

TEST(ProxyLegs, CopyWithTheUpgradeHeadersNeedsTheSameKey) {
    ProxyLegs legs;
    const Timestamp t{1'000 * kS};
    const std::string_view key = "aaaaaaaaaaaaaaaaaaaaaa==";
    EXPECT_FALSE(legs.onRequest({1, t, "GET", "/ws", key, true, client(1)}));
    // Another client's request for the same target: its own key, so an original of its own.
    EXPECT_FALSE(legs.onRequest(
        {2, Timestamp{t.ns + kMs}, "GET", "/ws", "bbbbbbbbbbbbbbbbbbbbbb==", true, client(2)}));
    // Without a key, a full upgrade request is not told from another client's: no link.
    EXPECT_FALSE(legs.onRequest({3, Timestamp{t.ns + 2 * kMs}, "GET", "/ws", "", true, client(3)}));
    const auto link =
        legs.onRequest({4, Timestamp{t.ns + 3 * kMs}, "GET", "/ws", key, true, client(4)});
    ASSERT_TRUE(link);
    EXPECT_EQ(link->clientLeg, 1u);
    EXPECT_EQ(link->delay, 3 * kMs);
    EXPECT_FALSE(link->stripped);
    // Each original links once, and a linked copy is no original: a third request with the
    // same key links to nothing.
    EXPECT_FALSE(
        legs.onRequest({5, Timestamp{t.ns + 4 * kMs}, "GET", "/ws", key, true, client(5)}));
}

TEST(ProxyLegs, TheSameClientEndpointAgainIsNotAProxyLeg) {
    // The same connection seen twice (before and after a NAT on the capture host) keeps its
    // client endpoint; a proxy's copy comes from the proxy's own.
    ProxyLegs legs;
    const Timestamp t{1'000 * kS};
    const std::string_view key = "aaaaaaaaaaaaaaaaaaaaaa==";
    EXPECT_FALSE(legs.onRequest({1, t, "GET", "/ws", key, true, client(1)}));
    EXPECT_FALSE(legs.onRequest({2, Timestamp{t.ns + kMs}, "GET", "/ws", key, true, client(1)}));
}

TEST(ProxyLegs, LinksTheNewestAmongManyUnderALoadTest) {
    // 100 000 upgrade requests in 10 s: only the last kWindow (and at most kMaxEntries) stay.
    ProxyLegs legs;
    const Timestamp t0{1'000 * kS};
    for (ConnId i = 1; i <= 100'000; ++i) {
        legs.onRequest({i, Timestamp{t0.ns + static_cast<std::int64_t>(i) * 100 * kUs}, "GET",
                        "/ws", "", true, client(static_cast<std::uint16_t>(i))});
    }
    const Timestamp end{t0.ns + 100'000 * 100 * kUs};
    // The first request expired long ago; the newest one still links.
    const auto late =
        legs.onRequest({200'000, Timestamp{end.ns + kMs}, "GET", "/ws", "", false, client(1)});
    ASSERT_TRUE(late);
    EXPECT_EQ(late->clientLeg, 100'000u);
}

// ---- ProxyIdleTimeout ------------------------------------------------------------------------

constexpr Timestamp kT0{2'000 * kS};

/// A leg's end `silenceNs` after its last frame, at kT0 + `atNs`, by the proxy's side unless
/// `ended` says otherwise.
ProxyIdleTimeout::LegEnd legEnd(ConnId conn, ConnId other, bool backLeg, std::int64_t atNs,
                                std::int64_t silenceNs, std::optional<Direction> ended = {}) {
    ProxyIdleTimeout::LegEnd e;
    e.conn = conn;
    e.other = other;
    e.backLeg = backLeg;
    e.ended = ended.value_or(backLeg ? C2S : S2C);
    e.end = Timestamp{kT0.ns + atNs};
    e.lastActivity = Timestamp{e.end.ns - silenceNs};
    return e;
}

TEST(ProxyIdleTimeout, BothLegsClosedAfterTheSameSilenceMatchWhicheverEndsFirst) {
    for (const bool frontFirst : {true, false}) {
        ProxyIdleTimeout p;
        const auto front = legEnd(1, 2, false, frontFirst ? 0 : 53 * kUs, 2 * kS);
        const auto back = legEnd(2, 1, true, frontFirst ? 53 * kUs : 0, 2 * kS - 30 * kUs);
        EXPECT_FALSE(p.onLegEnd(frontFirst ? front : back));
        const auto m = p.onLegEnd(frontFirst ? back : front);
        ASSERT_TRUE(m) << frontFirst;
        const ProxyIdleTimeout::Match frontView = frontFirst ? ProxyIdleTimeout::swapped(*m) : *m;
        EXPECT_EQ(frontView.conn, 1u);
        EXPECT_EQ(frontView.other, 2u);
        EXPECT_EQ(frontView.apart, 53 * kUs);
        EXPECT_EQ(ProxyIdleTimeout::detail(frontView),
                  "proxy idle timeout of 2.000 s: both legs closed 53.0 µs apart after 2.000 s "
                  "of silence; connection #2 is the other leg");
    }
}

TEST(ProxyIdleTimeout, AnyIdleTimeIsMeasured) {
    ProxyIdleTimeout p;
    EXPECT_FALSE(p.onLegEnd(legEnd(7, 9, false, 0, 37 * kS)));
    const auto m = p.onLegEnd(legEnd(9, 7, true, 2 * kMs, 37 * kS + 5 * kMs));
    ASSERT_TRUE(m);
    EXPECT_NE(ProxyIdleTimeout::detail(*m).find("proxy idle timeout of 37.005 s"),
              std::string::npos);
}

TEST(ProxyIdleTimeout, SilentOnHealthyOrOtherEnds) {
    struct Case {
        const char* what;
        ProxyIdleTimeout::LegEnd first, second;
    };
    const Case cases[] = {
        {"two legs closing far apart", legEnd(1, 2, false, 0, 2 * kS),
         legEnd(2, 1, true, 300 * kMs, 2 * kS + 300 * kMs)},
        {"different silences", legEnd(1, 2, false, 0, 2 * kS), legEnd(2, 1, true, 1 * kMs, 5 * kS)},
        {"the backend ended first (relayed, not the proxy's timer)", legEnd(1, 2, false, 0, 2 * kS),
         legEnd(2, 1, true, 1 * kMs, 2 * kS, S2C)},
        {"the client ended the front leg", legEnd(1, 2, false, 0, 2 * kS, C2S),
         legEnd(2, 1, true, 1 * kMs, 2 * kS)},
        {"traffic, not silence", legEnd(1, 2, false, 0, 20 * kMs),
         legEnd(2, 1, true, 1 * kMs, 20 * kMs)},
        {"legs of other connections", legEnd(1, 2, false, 0, 2 * kS),
         legEnd(3, 4, true, 1 * kMs, 2 * kS)},
        {"two front legs", legEnd(1, 2, false, 0, 2 * kS), legEnd(2, 1, false, 1 * kMs, 2 * kS)},
    };
    for (const Case& c : cases) {
        ProxyIdleTimeout p;
        EXPECT_FALSE(p.onLegEnd(c.first)) << c.what;
        EXPECT_FALSE(p.onLegEnd(c.second)) << c.what;
    }
    // One leg alone closing after idle.
    ProxyIdleTimeout alone;
    EXPECT_FALSE(alone.onLegEnd(legEnd(1, 2, false, 0, 60 * kS)));
    // Unanswered pings of the side that ended: a ping timeout, not an idle timer.
    ProxyIdleTimeout pings;
    auto pinged = legEnd(1, 2, false, 0, 2 * kS);
    pinged.outstandingPings = 1;
    EXPECT_FALSE(pings.onLegEnd(pinged));
    EXPECT_FALSE(pings.onLegEnd(legEnd(2, 1, true, 1 * kMs, 2 * kS)));
}

TEST(ProxyIdleTimeout, KeepsFactsOnlyForAShortTime) {
    // 100 000 legs ending 1 ms apart: each is kept kEndsApart at most, so the map stays small
    // and an old end cannot pair with a late one.
    ProxyIdleTimeout p;
    for (ConnId i = 1; i <= 100'000; ++i) {
        EXPECT_FALSE(p.onLegEnd(
            legEnd(i, 1'000'000 + i, false, static_cast<std::int64_t>(i) * kMs, 2 * kS)));
    }
    EXPECT_FALSE(p.onLegEnd(legEnd(1'000'001, 1, true, 100'001 * kMs, 2 * kS)));
    const auto m = p.onLegEnd(legEnd(1'100'000, 100'000, true, 100'001 * kMs, 2 * kS));
    ASSERT_TRUE(m);
}

// ---- both legs through ConnectionAnalyzers ---------------------------------------------------

/// Both legs upgraded, one echo (the last frame at the same time on both clocks), then
/// `silence` of nothing; the proxy ends the front leg (server FIN) and `apart` later the back
/// leg (client FIN); the peers answer with FIN. `backFirst`: the back leg is concluded first.
void idleLegs(Legs& l, std::int64_t silence, std::int64_t apart, bool backFirst = false) {
    l.front.handshake().send(C2S, upgradeRequest("", "/echo"));
    l.back.handshake().send(C2S, upgradeRequest("", "/echo"), 1 * kMs);
    l.back.send(S2C, gorilla101());
    l.front.send(S2C, nginx101(), 1 * kMs);
    l.front.send(C2S, clientText("hi"));
    l.back.send(C2S, clientText("hi"), 1 * kMs);
    l.back.send(S2C, serverText("hi"));
    l.front.send(S2C, serverText("hi"), 1 * kMs); // both clocks agree from here
    l.front.fin(S2C, silence);
    l.back.fin(C2S, silence + apart);
    l.front.fin(C2S);
    l.back.fin(S2C);
    if (backFirst) {
        l.back.end(5 * kS);
        l.front.end(5 * kS);
    } else {
        l.front.end(5 * kS);
        l.back.end(5 * kS);
    }
}

TEST(ProxyIdleTimeout, BothLegsReportTheProxysIdleTimeout) {
    for (const bool backFirst : {false, true}) {
        Legs l;
        idleLegs(l, 2 * kS, 53 * kUs, backFirst);
        const Anomaly* front = l.front.first(AnomalyId::WsCloseIdleTimeout);
        const Anomaly* back = l.back.first(AnomalyId::WsCloseIdleTimeout);
        ASSERT_TRUE(front) << backFirst;
        ASSERT_TRUE(back) << backFirst;
        EXPECT_FALSE(l.front.has(AnomalyId::WsCloseMissing));
        EXPECT_FALSE(l.back.has(AnomalyId::WsCloseMissing));
        EXPECT_EQ(front->direction, S2C);
        EXPECT_EQ(back->direction, C2S);
        EXPECT_TRUE(front->detail.starts_with(
            "proxy idle timeout of 2.000 s: both legs closed 53.0 µs apart after 2.000 s of "
            "silence; connection #2 is the other leg; server FIN while the WebSocket was open"))
            << front->detail;
        EXPECT_NE(back->detail.find("after 2.000 s of silence; connection #1 is the other leg; "
                                    "client FIN"),
                  std::string::npos)
            << back->detail;
    }
}

TEST(ProxyIdleTimeout, LegsClosingFarApartOrOneLegAloneAreCloseMissing) {
    Legs apart;
    idleLegs(apart, 2 * kS, 400 * kMs);
    EXPECT_TRUE(apart.front.has(AnomalyId::WsCloseMissing));
    EXPECT_TRUE(apart.back.has(AnomalyId::WsCloseMissing));
    EXPECT_FALSE(apart.front.has(AnomalyId::WsCloseIdleTimeout));
    EXPECT_FALSE(apart.back.has(AnomalyId::WsCloseIdleTimeout));

    // The front leg's client leaves after 2 s of silence; the back leg closes in order later.
    Legs alone;
    alone.front.handshake().send(C2S, upgradeRequest("", "/echo"));
    alone.back.handshake().send(C2S, upgradeRequest("", "/echo"), 1 * kMs);
    alone.back.send(S2C, gorilla101());
    alone.front.send(S2C, nginx101(), 1 * kMs);
    alone.front.fin(C2S, 2 * kS).fin(S2C);
    alone.back.send(C2S, closeFrame(1001, "", true), 2 * kS)
        .send(S2C, closeFrame(1001, "", false))
        .fin(S2C)
        .fin(C2S);
    alone.front.end(5 * kS);
    alone.back.end(5 * kS);
    EXPECT_TRUE(alone.front.has(AnomalyId::WsCloseMissing));
    EXPECT_FALSE(alone.front.has(AnomalyId::WsCloseIdleTimeout));
    EXPECT_FALSE(alone.back.has(AnomalyId::WsCloseIdleTimeout));
}

} // namespace
} // namespace wst::test
