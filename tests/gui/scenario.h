// SPDX-License-Identifier: MIT
#pragma once

// Hand-built traces for model and view tests: the three shapes the story needs (a healthy
// upgrade, "200 then 101", a refused upgrade), driven through the real BatchingSink so the
// batches look exactly like the pipeline's.

#include "decoder/model/batching_sink.h"
#include "tests/support/http_heads.h"

#include <vector>

namespace wst::test {

/// Builds one trace by calling TraceSink methods in capture order.
class Scenario {
public:
    Scenario();

    /// conn 1: SYN, SYN-ACK, GET /ws, 101, upgrade, JSON text both ways, ping/pong, binary,
    /// Close 1000 each way, FIN both ways. Anomalies: none.
    void addHealthy();
    /// conn 2: GET /ws answered by "200 OK" and then "101" in the next packet, then FIN;
    /// anomaly hijack_two_responses at the 101's packet.
    void addTwoResponses();
    /// conn 3: GET /chat answered 403 Forbidden, FIN; anomaly http_upgrade_refused.
    void addRefused();

    /// Flushes and returns every batch in order (the last one carries `finished`).
    std::vector<TraceBatch> finish();

private:
    Connection start(std::uint16_t clientPort, const char* target);
    void event(Connection& c, EventKind kind, Direction d, std::uint64_t length = 0,
               std::uint8_t opcode = 0, std::uint16_t status = 0, std::uint16_t closeCode = 0);
    void message(Connection& c, Direction d, std::uint8_t opcode, const std::string& payload);
    void anomaly(Connection& c, AnomalyId id, std::optional<Direction> d, std::string detail);
    void response(Connection& c, int status, const char* reason, bool upgrade);

    std::vector<TraceBatch> m_batches;
    BatchingSink m_sink;
    PacketNumber m_packet = 0;
    std::int64_t m_now = 1'700'000'000'000'000'000;
    ConnId m_next = 1;
};

} // namespace wst::test
