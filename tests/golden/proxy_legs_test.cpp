// SPDX-License-Identifier: MIT
// A reverse proxy's two legs through the real pipeline (file source, FlowTable with its linger,
// Analyzer): the captures taken on an nginx host link both legs, each naming the other, and a
// hand-built capture of a proxy closing both idle legs reports the proxy's idle timeout on
// both, whichever leg is concluded first.
#include "tests/golden/support.h"
#include "tests/support/http_heads.h"
#include "tests/support/pcap_conversation.h"
#include "tests/support/ws_frames.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace wst;
using namespace wst::golden;
using namespace wst::test;

namespace {

std::vector<const Anomaly*> anomaliesOf(const Trace& t, ConnId id, AnomalyId which) {
    std::vector<const Anomaly*> out;
    for (const Anomaly& a : t.anomalies) {
        if (a.connection == id && a.id == which) {
            out.push_back(&a);
        }
    }
    return out;
}

bool hasNote(const Connection& c, std::string_view text) {
    for (const std::string& n : c.notes) {
        if (n.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

/// Runs a capture of captures/ and checks that its connections 1 (client → nginx) and 2
/// (nginx → backend) name each other.
Trace linkedLegs(const std::string& name) {
    Trace t;
    EXPECT_EQ(runCapture(capturesDir() / name, t), "");
    EXPECT_EQ(t.connections.size(), 2u);
    if (t.connections.size() != 2) {
        return t;
    }
    const Connection& front = t.connections[0];
    const Connection& back = t.connections[1];
    EXPECT_TRUE(front.proxyLeg && back.proxyLeg) << name;
    if (front.proxyLeg && back.proxyLeg) {
        EXPECT_EQ(front.proxyLeg->other, back.id);
        EXPECT_TRUE(front.proxyLeg->otherIsUpstream);
        EXPECT_EQ(back.proxyLeg->other, front.id);
        EXPECT_FALSE(back.proxyLeg->otherIsUpstream);
        EXPECT_EQ(front.proxyLeg->delayNs, back.proxyLeg->delayNs);
        EXPECT_GT(front.proxyLeg->delayNs, 0);
        EXPECT_LT(front.proxyLeg->delayNs, 50'000'000);
    }
    return t;
}

TEST(ProxyLegsCapture, NginxWithTheUpgradeHeadersLinksBothLegs) {
    const Trace t = linkedLegs("nginx-proxy-ok.pcapng");
    ASSERT_EQ(t.connections.size(), 2u);
    EXPECT_FALSE(hasNote(t.connections[0], "back leg"));
}

TEST(ProxyLegsCapture, NginxStrippingUpgradeExplainsTheRelayedRefusal) {
    const Trace t = linkedLegs("nginx-proxy-no-upgrade-headers.pcapng");
    ASSERT_EQ(t.connections.size(), 2u);
    EXPECT_TRUE(hasNote(t.connections[0], "the proxy (nginx/1.22.1) stripped Upgrade on the back "
                                          "leg (connection #2), which is why its backend "
                                          "answered 400"));
}

constexpr std::uint32_t kClient = 0x0a000001, kProxy = 0x0a000002, kBackend = 0x0a000003;

/// A client ↔ proxy ↔ backend WebSocket, one echo relayed, then 2 s of silence until the proxy
/// closes both legs 50 µs apart. `backLegFirst`: the back leg's peer answers the FIN at once
/// and the client only 1 s later, so the back leg is concluded first.
fs::path writeIdleLegs(bool backLegFirst) {
    const fs::path path = fs::path(testing::TempDir()) /
                          (backLegFirst ? "proxy-idle-back-first.pcap" : "proxy-idle.pcap");
    PcapOut out(path.string());
    std::int64_t clock = 1'700'000'000'000'000'000;
    PcapConversation front(out, clock, {kClient, 51000}, {kProxy, 80});
    PcapConversation back(out, clock, {kProxy, 40100}, {kBackend, 8080}, 7000, 900000);
    front.handshake();
    front.send(0, upgradeRequest("", "/echo"));
    back.handshake();
    back.send(0, upgradeRequest("", "/echo"));
    back.send(1, gorilla101());
    front.send(1, nginx101());
    const Buf ask = frame(Direction::ClientToServer, 0x1, "hi");
    const Buf answer = frame(Direction::ServerToClient, 0x1, "hi");
    front.send(0, ask);
    back.send(0, ask);
    back.send(1, answer);
    front.send(1, answer);
    clock += 2'000'000'000; // proxy_read_timeout 2s
    front.fin(1);           // the proxy closes both legs
    back.fin(0);
    if (backLegFirst) {
        back.fin(1);
        clock += 1'000'000'000;
        front.fin(0);
    } else {
        front.fin(0);
        clock += 1'000'000'000;
        back.fin(1);
    }
    // Later traffic moves capture time past both legs' linger: they end one after the other.
    clock += 10'000'000'000;
    PcapConversation later(out, clock, {kClient, 51001}, {kProxy, 80});
    later.normalSession(1);
    out.close();
    return path;
}

TEST(ProxyLegsCapture, ProxyIdleTimeoutIsReportedOnBothLegsWhicheverEndsFirst) {
    for (const bool backLegFirst : {false, true}) {
        Trace t;
        ASSERT_EQ(runCapture(writeIdleLegs(backLegFirst), t), "");
        ASSERT_EQ(t.connections.size(), 3u);
        // Connections are numbered by first packet: the front leg is 1, the back leg 2.
        for (const ConnId id : {ConnId{1}, ConnId{2}}) {
            const ConnId other = id == 1 ? 2 : 1;
            const auto idle = anomaliesOf(t, id, AnomalyId::WsCloseIdleTimeout);
            ASSERT_EQ(idle.size(), 1u) << "connection " << id << ", backLegFirst " << backLegFirst;
            EXPECT_TRUE(idle[0]->detail.starts_with("proxy idle timeout of 2.000 s: both legs "
                                                    "closed"))
                << idle[0]->detail;
            EXPECT_NE(idle[0]->detail.find(fmt::format("connection #{} is the other leg", other)),
                      std::string::npos)
                << idle[0]->detail;
            EXPECT_TRUE(anomaliesOf(t, id, AnomalyId::WsCloseMissing).empty());
            ASSERT_TRUE(t.connections[id - 1].proxyLeg);
            EXPECT_EQ(t.connections[id - 1].proxyLeg->other, other);
        }
        EXPECT_FALSE(t.connections[2].proxyLeg); // 10 s later, another target
    }
}

} // namespace
