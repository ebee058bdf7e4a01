// SPDX-License-Identifier: MIT
#pragma once

// Drives one ConnectionAnalyzer through real StreamSink calls with real bytes, the way
// FlowTable would: per-direction stream offsets, increasing packet numbers and times.

#include "decoder/analysis/connection_analyzer.h"
#include "decoder/model/trace_store.h"
#include "tests/support/http_heads.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wst::test {

inline constexpr Direction C2S = Direction::ClientToServer;
inline constexpr Direction S2C = Direction::ServerToClient;
inline constexpr std::int64_t kUs = 1'000;
inline constexpr std::int64_t kMs = 1'000'000;
inline constexpr std::int64_t kS = 1'000'000'000;

// ---- bytes ---------------------------------------------------------------------------------

/// tests/support/ws_frames.h frames as text, for streams written as strings. Client frames
/// are masked with the default key.
std::string frame(std::uint8_t opcode, std::string_view payload, bool masked, bool fin = true,
                  std::uint8_t rsv = 0);
std::string clientText(std::string_view text);
std::string serverText(std::string_view text);
std::string closeFrame(std::uint16_t code, std::string_view reason, bool masked);

// ---- conversation --------------------------------------------------------------------------

class Conversation {
public:
    /// Client 10.0.0.1:(40000 + id - 1), server 10.0.0.2:8080.
    explicit Conversation(bool sawSyn = true, Limits limits = {}, ConnId id = 1);

    /// SYN, SYN-ACK (when sawSyn).
    Conversation& handshake();
    Conversation& send(Direction d, std::string_view bytes, std::int64_t afterNs = 100 * kUs);
    /// Sends `bytes` one segment per `chunk` bytes, all at the same time step.
    Conversation& sendSplit(Direction d, std::string_view bytes, std::size_t chunk,
                            std::int64_t afterNs = 100 * kUs);
    /// A bare ACK (no payload), seen only by onSegment, as FlowTable reports it.
    Conversation& ack(Direction d, std::int64_t afterNs = 100 * kUs);
    Conversation& gap(Direction d, std::uint64_t length, std::int64_t afterNs = 100 * kUs);
    Conversation& fin(Direction d, std::int64_t afterNs = 100 * kUs);
    Conversation& rst(Direction d, std::int64_t afterNs = 100 * kUs);
    Conversation& notice(Direction d, TcpNotice n);
    /// End of capture: finish() and onConnectionEnd.
    Conversation& end(std::int64_t afterNs = 1 * kMs);

    ConnectionAnalyzer& analyzer() { return *m_analyzer; }
    const Trace& store() const { return m_store; }
    const Connection& connection() const;
    std::size_t count(AnomalyId id) const;
    bool has(AnomalyId id) const { return count(id) > 0; }
    const Anomaly* first(AnomalyId id) const;
    std::vector<AnomalyId> ids() const;
    std::size_t events(EventKind k) const;

private:
    SegmentInfo next(std::int64_t afterNs);

    Trace m_store;
    Limits m_limits;
    ConnectionInfo m_info;
    std::unique_ptr<ConnectionAnalyzer> m_analyzer;
    std::uint64_t m_offset[2] = {0, 0};
    bool m_closed[2] = {false, false};
    PacketNumber m_packet = 0;
    Timestamp m_time{1'700'000'000 * kS};
    bool m_ended = false;
};

} // namespace wst::test
