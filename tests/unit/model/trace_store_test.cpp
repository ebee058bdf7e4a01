// SPDX-License-Identifier: MIT
#include "decoder/model/trace_store.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

Connection makeConnection(ConnId id) {
    Connection c;
    c.id = id;
    c.client.port = static_cast<std::uint16_t>(40000 + id);
    c.server.port = 80;
    return c;
}

Event makeEvent(ConnId conn, EventKind kind, std::int64_t ns) {
    Event e;
    e.connection = conn;
    e.kind = kind;
    e.time = Timestamp{ns};
    e.ref = 12345; // whatever the producer put there, the store assigns its own
    return e;
}

TEST(Trace, AssignsRefsToMessagesAndAnomalies) {
    Trace store;
    store.onConnectionStart(makeConnection(1));
    Message m;
    m.connection = 1;
    m.payload = "hello";
    Anomaly a;
    a.id = AnomalyId::WsCloseMissing;
    a.connection = 1;
    a.detail = "expected=close, found=fin";

    store.onEvent(makeEvent(1, EventKind::TcpSyn, 1), nullptr, nullptr);
    store.onEvent(makeEvent(1, EventKind::WsMessage, 2), &m, nullptr);
    store.onEvent(makeEvent(1, EventKind::Anomaly, 3), nullptr, &a);
    store.onEvent(makeEvent(1, EventKind::WsMessage, 4), &m, nullptr);

    ASSERT_EQ(store.events.size(), 4u);
    EXPECT_EQ(store.events[0].ref, Event::kNoRef);
    EXPECT_EQ(store.events[1].ref, 0u);
    EXPECT_EQ(store.events[2].ref, 0u);
    EXPECT_EQ(store.events[3].ref, 1u);
    ASSERT_EQ(store.messages.size(), 2u);
    EXPECT_EQ(store.messages[1].payload, "hello");
    ASSERT_EQ(store.anomalies.size(), 1u);
    EXPECT_EQ(store.anomalies[0].detail, "expected=close, found=fin");
}

TEST(Trace, IndexesEventsPerConnection) {
    Trace store;
    store.onConnectionStart(makeConnection(1));
    store.onConnectionStart(makeConnection(2));
    store.onEvent(makeEvent(1, EventKind::TcpSyn, 1), nullptr, nullptr);
    store.onEvent(makeEvent(2, EventKind::TcpSyn, 2), nullptr, nullptr);
    store.onEvent(makeEvent(1, EventKind::TcpSynAck, 3), nullptr, nullptr);
    store.onEvent(makeEvent(2, EventKind::TcpFin, 4), nullptr, nullptr);
    store.onEvent(makeEvent(2, EventKind::TcpFin, 5), nullptr, nullptr);

    ASSERT_EQ(store.eventIndex.size(), 2u);
    EXPECT_EQ(store.eventIndex[0], (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(store.eventIndex[1], (std::vector<std::uint32_t>{1, 3, 4}));
    for (std::uint32_t i : store.eventIndex[1]) {
        EXPECT_EQ(store.events[i].connection, 2u);
    }
}

TEST(Trace, ConnectionLookupAndUpdates) {
    Trace store;
    EXPECT_EQ(store.connection(1), nullptr);
    store.onConnectionStart(makeConnection(2)); // ids may arrive with holes
    EXPECT_EQ(store.connection(1), nullptr);
    ASSERT_NE(store.connection(2), nullptr);
    EXPECT_EQ(store.connection(2)->client.port, 40002);
    EXPECT_EQ(store.connection(0), nullptr);
    EXPECT_EQ(store.connection(3), nullptr);

    Connection updated = makeConnection(2);
    updated.outcome = Outcome::Upgraded;
    store.onConnectionUpdate(updated);
    EXPECT_EQ(store.connection(2)->outcome, Outcome::Upgraded);
    EXPECT_FALSE(store.connection(2)->finished);

    updated.finished = true;
    store.onConnectionEnd(updated);
    EXPECT_TRUE(store.connection(2)->finished);
}

TEST(Trace, CaptureAnomaliesAndFinish) {
    Trace store;
    Anomaly a;
    a.id = AnomalyId::CaptureTruncatedPacket;
    a.packet = 7;
    store.onCaptureAnomaly(a);
    ASSERT_EQ(store.anomalies.size(), 1u);
    EXPECT_EQ(store.anomalies[0].packet, 7u);
    EXPECT_TRUE(store.events.empty());

    CaptureStats s;
    s.packets = 42;
    EXPECT_FALSE(store.finished);
    store.onFinish(s);
    EXPECT_TRUE(store.finished);
    EXPECT_EQ(store.stats.packets, 42u);
}

} // namespace
} // namespace wst
