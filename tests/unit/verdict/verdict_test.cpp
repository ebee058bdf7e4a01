// SPDX-License-Identifier: MIT
// The verdict's rules, one table row each: the rule fires where it should and stays silent on
// the matching healthy input.
#include "decoder/verdict/story.h"
#include "decoder/verdict/verdict.h"

#include <gtest/gtest.h>
#include <vector>

namespace wst {
namespace {

using enum AnomalyId;
constexpr auto C2S = Direction::ClientToServer;
constexpr auto S2C = Direction::ServerToClient;

VerdictFinding at(AnomalyId id, std::optional<Direction> d, std::int64_t ns,
                  PacketNumber packet = 1) {
    return VerdictFinding{id, d, Timestamp{ns}, packet};
}

ResponseSummary response(int status) {
    ResponseSummary r;
    r.status = status;
    r.reason = status == 101 ? "Switching Protocols" : status == 200 ? "OK" : "Bad Request";
    return r;
}

/// An upgrade request answered with `statuses`; both sides FIN.
Connection upgradeConnection(std::vector<int> statuses, Outcome outcome) {
    Connection c;
    c.id = 1;
    c.outcome = outcome;
    c.request = RequestSummary{};
    c.request->isUpgrade = true;
    for (int s : statuses) {
        c.responses.push_back(response(s));
    }
    c.stats[0].tcpEnd = TcpEnd::Fin;
    c.stats[1].tcpEnd = TcpEnd::Fin;
    return c;
}

/// A healthy WebSocket session: 101, messages both ways, Close 1000 both ways, FIN both ways.
Connection healthy() {
    Connection c = upgradeConnection({101}, Outcome::Upgraded);
    for (DirectionStats& st : c.stats) {
        st.frames = 3;
        st.messages = 2;
        st.sentClose = true;
        st.closeCode = 1000;
    }
    c.cleanClose = true;
    return c;
}

// ---- causal table ---------------------------------------------------------------------------

struct CauseRow {
    const char* name;
    VerdictFinding cause;
    VerdictFinding effect;
    bool explains;
};

class CausalTable : public ::testing::TestWithParam<CauseRow> {};

TEST_P(CausalTable, ExplainsOnlyWhatFollows) {
    const CauseRow& row = GetParam();
    EXPECT_EQ(explains(row.cause, row.effect), row.explains) << row.name;
    if (row.explains) {
        EXPECT_FALSE(explains(row.effect, row.cause)) << row.name << ": never both ways";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, CausalTable,
    ::testing::Values(
        CauseRow{"stripped explains the refusal", at(HttpUpgradeStripped, S2C, 10),
                 at(HttpUpgradeRefused, S2C, 10), true},
        CauseRow{"stripped explains the backend's missing Upgrade", at(HttpUpgradeStripped, C2S, 5),
                 at(WsHandshakeMissingUpgrade, C2S, 5), true},
        CauseRow{"stripped explains nginx's HTTP/1.0", at(HttpUpgradeStripped, C2S, 5),
                 at(WsHandshakeBadHttpVersion, C2S, 5), true},
        CauseRow{"not-a-hijacker explains the 500 refusal", at(HijackNotSupported, S2C, 10),
                 at(HttpUpgradeRefused, S2C, 10), true},
        CauseRow{"a bad version explains the version list", at(WsHandshakeBadVersion, C2S, 1),
                 at(HttpVersionRejected, S2C, 2), true},
        CauseRow{"a refusal does not explain a bad request", at(HttpUpgradeRefused, S2C, 2),
                 at(WsHandshakeMissingKey, C2S, 1), false},
        CauseRow{"two responses explain the cut body", at(HijackTwoResponses, S2C, 8),
                 at(HttpBodyMalformed, S2C, 8), true},
        CauseRow{"two responses explain HTTP text as frames", at(HijackTwoResponses, S2C, 8),
                 at(HijackHttpInWebSocket, S2C, 8), true},
        CauseRow{"a gap explains a later desync in its direction", at(TcpGap, S2C, 1),
                 at(WsFrameDesyncAfterGap, S2C, 2), true},
        CauseRow{"a gap does not explain the other direction", at(TcpGap, S2C, 1),
                 at(WsFrameReservedOpcode, C2S, 2), false},
        CauseRow{"a gap does not explain what came before it", at(TcpGap, S2C, 5),
                 at(WsFrameReservedOpcode, S2C, 2), false},
        CauseRow{"a server gap hides the answer", at(TcpGap, S2C, 1),
                 at(HttpNoResponse, std::nullopt, 9), true},
        CauseRow{"HTTP in the stream explains the frame errors it causes",
                 at(HijackHttpInWebSocket, S2C, 3), at(WsFrameRsvWithoutExtension, S2C, 3), true},
        CauseRow{"a broken frame rule explains the close that follows",
                 at(WsFrameClientUnmasked, C2S, 3), at(WsCloseNotAnswered, S2C, 4), true},
        CauseRow{"a broken frame rule does not explain an earlier close",
                 at(WsFrameClientUnmasked, C2S, 9), at(WsCloseMissing, S2C, 4), false},
        CauseRow{"an idle timeout explains the missing Close", at(WsCloseIdleTimeout, S2C, 9),
                 at(WsCloseMissing, S2C, 9), true},
        CauseRow{"closed after the 101 explains the missing Close",
                 at(HijackClosedAfterUpgrade, S2C, 2), at(WsCloseMissing, S2C, 2), true},
        CauseRow{"an unanswered Close explains the abrupt end", at(WsCloseNotAnswered, S2C, 2),
                 at(WsCloseAbnormal, C2S, 3), true},
        CauseRow{"two unrelated frame rules stay apart", at(WsFrameClientUnmasked, C2S, 1),
                 at(WsFrameInvalidUtf8, S2C, 2), false},
        CauseRow{"a failed handshake explains frames after it", at(WsHandshakeWrongAccept, S2C, 1),
                 at(WsFrameAfterFailedHandshake, C2S, 2), true}),
    [](const ::testing::TestParamInfo<CauseRow>& row) {
        std::string name;
        for (const char* p = row.param.name; *p; ++p) {
            name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
        }
        return name;
    });

// ---- decideVerdict ----------------------------------------------------------------------------

TEST(Verdict, HealthySessionHasNoRootCauseAndBothRanWebSocket) {
    Connection c = healthy();
    decideVerdict(c, {});
    EXPECT_EQ(c.outcome, Outcome::Upgraded);
    EXPECT_FALSE(c.verdict.rootCause);
    EXPECT_EQ(c.verdict.root, -1);
    EXPECT_EQ(c.verdict.client.belief, Belief::Upgraded);
    EXPECT_EQ(c.verdict.server.belief, Belief::Upgraded);
    EXPECT_EQ(c.verdict.headline, "upgraded; closed cleanly");
    EXPECT_EQ(c.verdict.rootsBySeverity, (std::array<std::uint32_t, 3>{0, 0, 0}));
}

TEST(Verdict, OneCauseManyFindingsCountsOnce) {
    // A proxy that drops Upgrade: seen as five findings on the back leg.
    Connection c = upgradeConnection({400}, Outcome::Refused);
    const std::vector<VerdictFinding> f{
        at(WsHandshakeBadHttpVersion, C2S, 1), at(WsHandshakeMissingUpgrade, C2S, 1),
        at(WsHandshakeMissingConnection, C2S, 1), at(HttpUpgradeStripped, C2S, 1),
        at(HttpUpgradeRefused, S2C, 2)};
    decideVerdict(c, f);
    EXPECT_EQ(c.verdict.rootCause, HttpUpgradeStripped);
    EXPECT_EQ(c.verdict.root, 3);
    EXPECT_EQ(c.verdict.causedBy, (std::vector<std::int32_t>{3, 3, 3, -1, 3}));
    EXPECT_EQ(c.verdict.rootsBySeverity[static_cast<std::size_t>(Severity::Error)], 1u);
    EXPECT_EQ(c.verdict.headline, "refused: Proxy dropped the Upgrade headers (+4 consequences)");
    EXPECT_EQ(c.verdict.client.belief, Belief::NotUpgraded);
    EXPECT_EQ(c.verdict.server.belief, Belief::NotUpgraded);
    EXPECT_FALSE(c.verdict.whatToDo.empty());
}

TEST(Verdict, ProxyLegsNameEachOther) {
    Connection front = healthy();
    front.proxyLeg = ProxyLeg{2, true, 4'830'000};
    decideVerdict(front, {});
    EXPECT_EQ(front.verdict.headline,
              "upgraded; closed cleanly; client leg of the proxy, backend leg #2");
    Connection back = healthy();
    back.id = 2;
    back.proxyLeg = ProxyLeg{1, false, 4'830'000};
    decideVerdict(back, {});
    EXPECT_EQ(back.verdict.headline,
              "upgraded; closed cleanly; backend leg of the proxy, client leg #1");
    Connection alone = healthy();
    decideVerdict(alone, {});
    EXPECT_EQ(alone.verdict.headline.find("leg"), std::string::npos);
}

TEST(Verdict, RepeatsPointAtTheFirstOccurrence) {
    Connection c = healthy();
    const std::vector<VerdictFinding> f{at(WsFrameClientUnmasked, C2S, 1),
                                        at(WsFrameClientUnmasked, C2S, 2),
                                        at(WsFrameClientUnmasked, C2S, 3)};
    decideVerdict(c, f);
    EXPECT_EQ(c.verdict.causedBy, (std::vector<std::int32_t>{-1, 0, 0}));
    EXPECT_EQ(c.verdict.rootsBySeverity[static_cast<std::size_t>(Severity::Error)], 1u);
}

TEST(Verdict, RootOfWalksUpTheChain) {
    Verdict v;
    v.causedBy = {-1, 0, 1, -1};
    EXPECT_EQ(rootOf(v, 0), 0);
    EXPECT_EQ(rootOf(v, 2), 0);
    EXPECT_EQ(rootOf(v, 3), 3);
    EXPECT_EQ(rootOf(v, 4), -1);
}

TEST(Verdict, UnrelatedFindingsAreEachARootAndTheWorstLeads) {
    Connection c = healthy();
    const std::vector<VerdictFinding> f{at(WsFrameLengthNotMinimal, S2C, 1),
                                        at(WsFrameClientUnmasked, C2S, 2)};
    decideVerdict(c, f);
    EXPECT_EQ(c.verdict.causedBy, (std::vector<std::int32_t>{-1, -1}));
    EXPECT_EQ(c.verdict.rootCause, WsFrameClientUnmasked); // error beats warning
    EXPECT_EQ(c.verdict.rootsBySeverity, (std::array<std::uint32_t, 3>{0, 1, 1}));
}

TEST(Verdict, ARootCountsAtTheWorstSeverityOfWhatFollows) {
    // Early client data (a warning) made the server hang up unanswered (an error).
    Connection c = upgradeConnection({}, Outcome::Failed);
    const std::vector<VerdictFinding> f{at(WsHandshakeEarlyClientData, C2S, 1),
                                        at(HttpNoResponse, std::nullopt, 9)};
    decideVerdict(c, f);
    EXPECT_EQ(c.verdict.rootCause, WsHandshakeEarlyClientData);
    EXPECT_EQ(c.verdict.severity, Severity::Error);
    EXPECT_EQ(c.verdict.rootsBySeverity, (std::array<std::uint32_t, 3>{0, 0, 1}));
}

TEST(Verdict, InfoFindingIsNoRootCause) {
    Connection c = healthy();
    decideVerdict(c, std::vector<VerdictFinding>{at(WsFrameResynced, S2C, 1)});
    EXPECT_FALSE(c.verdict.rootCause);
    EXPECT_EQ(c.verdict.headline, "upgraded; closed cleanly");
    EXPECT_EQ(c.verdict.rootsBySeverity[0], 1u);
}

TEST(Verdict, ClientThatSaw200BeforeThe101Failed) {
    Connection c = upgradeConnection({200, 101}, Outcome::Upgraded);
    decideVerdict(c, std::vector<VerdictFinding>{at(HijackTwoResponses, S2C, 8)});
    EXPECT_EQ(c.outcome, Outcome::Failed);
    EXPECT_EQ(c.verdict.client.belief, Belief::NotUpgraded);
    EXPECT_EQ(c.verdict.server.belief, Belief::Upgraded);
    EXPECT_EQ(c.verdict.client.story, "saw 200 OK, then FIN");
    EXPECT_EQ(c.verdict.server.story, "sent 200 then 101, then FIN");
}

TEST(Verdict, HttpAfterThe101WithoutAFrameFailed) {
    // Go's 1xx path: WriteHeader(101), a failed Hijack, then net/http's own answers.
    Connection c = upgradeConnection({101, 200, 400}, Outcome::Upgraded);
    c.stats[0].frames = 2;
    c.stats[0].messages = 1;
    decideVerdict(c, std::vector<VerdictFinding>{at(HijackTwoResponses, S2C, 8),
                                                 at(HijackHttpInWebSocket, S2C, 8)});
    EXPECT_EQ(c.outcome, Outcome::Failed);
    EXPECT_EQ(c.verdict.client.belief, Belief::Upgraded);
    EXPECT_EQ(c.verdict.server.belief, Belief::Unknown) << "the bytes cannot tell which stack";
    EXPECT_NE(c.verdict.server.story.find("HTTP layer still answered"), std::string::npos);

    // Silent on a server that ran WebSocket before its late error (the frames say so).
    Connection ran = upgradeConnection({101, 500}, Outcome::Upgraded);
    ran.stats[1].frames = 3;
    decideVerdict(ran, std::vector<VerdictFinding>{at(HijackTwoResponses, S2C, 8)});
    EXPECT_EQ(ran.outcome, Outcome::Upgraded);
    EXPECT_EQ(ran.verdict.server.belief, Belief::Upgraded);
}

TEST(Verdict, SilentClientAfterAValid101IsUnknownNotFailed) {
    // The server sent frames, the client nothing and it is still open: no guess.
    Connection c = upgradeConnection({101}, Outcome::Upgraded);
    c.stats[0].tcpEnd = TcpEnd::None;
    c.stats[1].tcpEnd = TcpEnd::None;
    c.stats[1].frames = 2;
    decideVerdict(c, {});
    EXPECT_EQ(c.outcome, Outcome::Upgraded);
    EXPECT_EQ(c.verdict.client.belief, Belief::Unknown);
    EXPECT_EQ(c.verdict.headline, "upgraded; still open at the end of the capture");
}

TEST(Verdict, ClientThatRejectedThe101DidNotRunWebSocket) {
    Connection c = upgradeConnection({101}, Outcome::Failed); // the analyzer saw it leave
    decideVerdict(c, std::vector<VerdictFinding>{at(WsHandshakeUnofferedSubprotocol, S2C, 6),
                                                 at(WsCloseMissing, std::nullopt, 9)});
    EXPECT_EQ(c.verdict.client.belief, Belief::NotUpgraded);
    EXPECT_EQ(c.verdict.server.belief, Belief::Upgraded);
    EXPECT_EQ(c.verdict.rootCause, WsHandshakeUnofferedSubprotocol);
    EXPECT_EQ(c.verdict.causedBy[1], 0);
}

TEST(Verdict, FailureCloseCodeWithoutAFindingIsNamed) {
    Connection c = healthy();
    c.stats[1].closeCode = 1008;
    c.cleanClose = false;
    decideVerdict(c, {});
    EXPECT_EQ(c.verdict.headline, "upgraded; closed with Close 1008");
}

TEST(Verdict, UnansweredUpgradeServerNeverAnswered) {
    Connection c = upgradeConnection({}, Outcome::Failed);
    decideVerdict(c, std::vector<VerdictFinding>{at(HttpNoResponse, std::nullopt, 9)});
    EXPECT_EQ(c.verdict.server.belief, Belief::Unknown);
    EXPECT_EQ(c.verdict.client.belief, Belief::Unknown);
    EXPECT_EQ(c.verdict.server.story, "never answered, then FIN");
}

// ---- the story --------------------------------------------------------------------------------

TEST(CaptureStory, GroupsByRootCauseWorstFirst) {
    CaptureStory story;
    for (ConnId id = 1; id <= 12; ++id) {
        Connection c = healthy();
        c.id = id;
        decideVerdict(c, {});
        c.verdict.accessLogShows200 = true;
        story.add(c);
    }
    for (ConnId id : {17, 20}) {
        Connection c = upgradeConnection({200, 101}, Outcome::Upgraded);
        c.id = id;
        decideVerdict(c, std::vector<VerdictFinding>{at(HijackTwoResponses, S2C, 8)});
        story.add(c);
    }
    const std::vector<StoryGroup> groups = story.groups();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].rootCause, HijackTwoResponses);
    EXPECT_EQ(groups[0].count, 2u);
    EXPECT_EQ(groups[0].examples, (std::vector<ConnId>{17, 20}));
    EXPECT_FALSE(groups[0].whatToDo.empty());
    EXPECT_EQ(groups[1].count, 12u);
    EXPECT_EQ(groups[1].examples.size(), CaptureStory::kExamples);
    const std::vector<std::string> lines = story.lines();
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "2 failed: Two HTTP responses to one upgrade request (connections 17, 20)");
    EXPECT_EQ(lines[1], "12 upgraded; closed cleanly (connections 1, 2, 3, 4, 5, 6, 7, 8, …)");
    EXPECT_NE(lines[2].find("200 for 12 upgrades that the wire shows as 101"), std::string::npos);
    EXPECT_EQ(story.connections(), 14u);
}

TEST(CaptureStory, HealthyCaptureHasNoServerLogLine) {
    CaptureStory story;
    Connection c = healthy();
    decideVerdict(c, {});
    story.add(c);
    EXPECT_EQ(story.lines(),
              (std::vector<std::string>{"1 upgraded; closed cleanly (connection 1)"}));
    story.clear();
    EXPECT_TRUE(story.groups().empty());
}

} // namespace
} // namespace wst
