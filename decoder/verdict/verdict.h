// SPDX-License-Identifier: MIT
#pragma once

// The verdict of one connection: what each peer believed and did, one root cause and the
// findings it explains (docs/verdicts.md). Decided once, when the connection ends, from the
// connection's summary and its stored findings; every output reads Connection::verdict.

#include "decoder/model/trace.h"

#include <optional>
#include <span>

namespace wst {

/// What the verdict needs of one stored finding (an Anomaly without its detail).
struct VerdictFinding {
    AnomalyId id = AnomalyId::Count_;
    std::optional<Direction> direction;
    Timestamp time;
    PacketNumber packet = 0;

    static VerdictFinding of(const Anomaly& a) { return {a.id, a.direction, a.time, a.packet}; }
};

/// Whether finding `cause` explains finding `effect` on the same connection (the causal table
/// of docs/verdicts.md). Never true both ways.
bool explains(const VerdictFinding& cause, const VerdictFinding& effect);

/// Decides `c.verdict` from the connection's summary and its stored findings in report order,
/// and settles the outcome where the peers' beliefs show it: a client that never took the
/// server's 101 makes an `upgraded` connection `failed`.
void decideVerdict(Connection& c, std::span<const VerdictFinding> findings);

/// The root finding that finding `i` follows from (walking Verdict::causedBy up), `i` itself
/// for a root, or -1 when `i` is out of range.
std::int32_t rootOf(const Verdict& v, std::size_t i);

/// "failed: Two HTTP responses to one upgrade request", "upgraded; closed cleanly": the words
/// of a verdict without the connection's details (story groups use it).
std::string verdictLabel(Outcome outcome, std::optional<AnomalyId> rootCause, bool cleanClose,
                         bool ended);

/// A TLS connection's summary in one line: "TLS 1.3, SNI example.org, ALPN offered h2,http/1.1
/// (choice encrypted); no keys: ..." (the verdict headline's TLS part; docs/tls.md).
std::string tlsLine(const TlsSummary& t);

/// One peer's view as every output words it: "WebSocket: sent 101, …" where it ran WebSocket,
/// "no WebSocket: …" where it did not, the story alone where the bytes do not tell.
std::string peerText(const PeerView& v);

} // namespace wst
