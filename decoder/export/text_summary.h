// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace wst {

/// The human summary `wstrace -r FILE` prints: a block per connection when the connection ends
/// (endpoints, outcome, request line, responses, handshake latency, messages each way, how it
/// closed, each anomaly with its packet number and title), then capture-level anomalies and
/// totals. Keeps only the anomalies of connections still open (capped per connection) and
/// fixed-size totals, so memory does not grow with the capture. Blocks come in the order
/// connections end, which for a file is capture order and then, at the end of the file, id
/// order for the connections still open.
class TextSummaryWriter final : public TraceSink {
public:
    /// Writes a header line naming `source` at once.
    TextSummaryWriter(std::ostream& out, const std::string& source);

    /// Repeats of one anomaly id in one direction of a connection are folded into its first line,
    /// which then lists the packet numbers of up to this many more.
    static constexpr std::size_t kRepeatPackets = 10;

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

    /// Connections whose block is still to be written (their anomalies are held until then).
    std::size_t openConnections() const { return m_open.size(); }

private:
    /// One anomaly id in one direction of one connection: its first occurrence in full, then only
    /// packets.
    struct Group {
        Anomaly first;
        std::uint64_t count = 0;
        std::vector<PacketNumber> morePackets; ///< at most kRepeatPackets
    };
    /// At most one group per anomaly id and direction, in order of first occurrence.
    struct Pending {
        std::vector<Group> groups;
    };
    void keep(Pending& p, const Anomaly& a);
    void writeConnection(const Connection& c, const Pending& p);
    void writeAnomalyLines(const Pending& p, std::string_view indent);

    std::ostream& m_out;
    std::unordered_map<ConnId, Pending> m_open;
    Pending m_capture;
    std::uint64_t m_connections = 0;
    std::array<std::uint64_t, 6> m_outcomes{};
    std::array<std::uint64_t, kAnomalyIdCount> m_anomalyCounts{};
    std::array<std::uint64_t, 2> m_messages{};
};

} // namespace wst
