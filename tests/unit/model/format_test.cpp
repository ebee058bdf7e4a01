// SPDX-License-Identifier: MIT
#include "decoder/model/format.h"
#include "decoder/model/trace.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

TEST(Format, Endpoint) {
    Endpoint e;
    e.address.bytes = {10, 0, 0, 1};
    e.port = 8080;
    EXPECT_EQ(fmt::format("{}", e), "10.0.0.1:8080");
    EXPECT_EQ(fmt::format("[{:>15}]", e), "[  10.0.0.1:8080]");
    Endpoint v6;
    v6.address.v6 = true;
    v6.address.bytes[15] = 1;
    v6.port = 80;
    EXPECT_EQ(fmt::format("{}", v6), "[::1]:80");
}

TEST(Format, Timestamp) {
    EXPECT_EQ(fmt::format("{}", Timestamp::fromSecondsNanos(1700000000, 123456)),
              "1700000000.000123456");
    EXPECT_EQ(fmt::format("{}", Timestamp{0}), "0.000000000");
    EXPECT_EQ(fmt::format("{}", Timestamp{-500'000'000}), "-0.500000000");
}

TEST(Format, Duration) {
    EXPECT_EQ(formatDuration(850), "850 ns");
    EXPECT_EQ(formatDuration(12'345), "12.3 µs");
    EXPECT_EQ(formatDuration(4'560'000), "4.56 ms");
    EXPECT_EQ(formatDuration(2'000'000'000), "2.000 s");
}

TEST(Format, Enums) {
    EXPECT_EQ(fmt::format("{}", AnomalyId::HijackTwoResponses), "hijack_two_responses");
    EXPECT_EQ(fmt::format("{}", Severity::Warning), "warning");
    EXPECT_EQ(fmt::format("{:<8}|", Severity::Info), "info    |");
    EXPECT_EQ(fmt::format("{}", Outcome::HttpOnly), "http_only");
    EXPECT_EQ(fmt::format("{}", Outcome::Midstream), "midstream");
    EXPECT_EQ(fmt::format("{}", Direction::ServerToClient), "s2c");
    EXPECT_EQ(fmt::format("{}", Direction::ClientToServer), "c2s");
}

TEST(Format, Names) {
    EXPECT_EQ(opcodeName(0x1), "text");
    EXPECT_EQ(opcodeName(0x8), "close");
    EXPECT_EQ(opcodeName(0xA), "pong");
    EXPECT_EQ(opcodeName(0x3), "0x3");
    EXPECT_EQ(opcodeName(0xB), "0xb"); // docs/json-schema.md: reserved opcodes in lower case
    EXPECT_EQ(toString(EventKind::HttpResponse), "http_response");
    EXPECT_EQ(toString(EventKind::TcpSynAck), "tcp_synack");
    EXPECT_EQ(toString(TcpEnd::Rst), "rst");
}

TEST(Connection, WorstSeverity) {
    Connection c;
    EXPECT_FALSE(c.worstSeverity().has_value());
    c.anomaliesBySeverity[0] = 3;
    EXPECT_EQ(c.worstSeverity(), Severity::Info);
    c.anomaliesBySeverity[1] = 1;
    EXPECT_EQ(c.worstSeverity(), Severity::Warning);
    c.anomaliesBySeverity[2] = 1;
    EXPECT_EQ(c.worstSeverity(), Severity::Error);
}

Connection withResponses(Outcome o, std::initializer_list<int> statuses) {
    Connection c;
    c.outcome = o;
    for (int s : statuses) {
        ResponseSummary r;
        r.status = s;
        c.responses.push_back(r);
    }
    return c;
}

// The client acts on its first final answer; 1xx interim heads come before it (RFC 9110 §15.2).
TEST(Format, ResponseActedOnIsTheFirstFinalAnswer) {
    const auto acted = [](std::initializer_list<int> statuses) {
        const Connection c = withResponses(Outcome::Failed, statuses);
        const ResponseSummary* r = responseActedOn(c);
        return r ? r->status : 0;
    };
    EXPECT_EQ(acted({200, 101}), 200);
    EXPECT_EQ(acted({101, 400}), 101);
    EXPECT_EQ(acted({100, 103, 101}), 101);
    EXPECT_EQ(acted({100}), 0);
    EXPECT_EQ(acted({}), 0);
}

// The Upgrade event's label is true for both peers: only where both ran WebSocket did "both"
// switch.
TEST(Format, UpgradeLabelSaysWhoSwitched) {
    EXPECT_EQ(upgradeLabel(withResponses(Outcome::Upgraded, {101})), "switched to WebSocket");
    EXPECT_EQ(upgradeLabel(withResponses(Outcome::Midstream, {})), "switched to WebSocket");
    EXPECT_EQ(upgradeLabel(withResponses(Outcome::Failed, {200, 101})),
              "server switched to WebSocket; the client saw 200 and failed");
    EXPECT_EQ(upgradeLabel(withResponses(Outcome::Failed, {100, 101})),
              "server switched to WebSocket; the client failed the handshake");
    EXPECT_EQ(upgradeLabel(withResponses(Outcome::Failed, {101, 400})),
              "server switched to WebSocket; the client failed the handshake");
}

} // namespace
} // namespace wst
