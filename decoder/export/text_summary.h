// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/logs/reconcile.h"
#include "decoder/model/trace_sink.h"
#include "decoder/verdict/story.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace wst {

/// The human summary `wstrace -r FILE` prints: the capture's story first (connections grouped
/// by verdict, each group's explanation and what to do once), then a block per connection
/// (endpoints, verdict, what each peer believed and did, request line, responses, handshake
/// latency, messages each way, how it closed, the findings nested under the root cause they
/// follow from), then capture-level anomalies and totals. A capture of more than kListAll
/// connections lists only the connections with a finding (`verbose`: all). Keeps only the
/// anomalies of connections still open (capped per connection) and fixed-size totals; the
/// blocks wait for the story in a temporary file, so memory does not grow with the capture.
/// Blocks come in the order connections end, which for a file is capture order and then, at
/// the end of the file, id order for the connections still open.
class TextSummaryWriter final : public TraceSink {
public:
    /// Writes a header line naming `source` at once. `streaming` (live capture, paced replay):
    /// each block is written when its connection ends and the story comes at the end.
    TextSummaryWriter(std::ostream& out, const std::string& source, bool streaming = false,
                      bool verbose = false);
    ~TextSummaryWriter() override;

    /// Up to this many connections every block is listed; past it only those with a finding.
    static constexpr std::size_t kListAll = 10;

    /// Repeats of one anomaly id in one direction of a connection are folded into its first line,
    /// which then lists the packet numbers of up to this many more.
    static constexpr std::size_t kRepeatPackets = 10;

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;

    /// Reconciles these server logs with the connections as they end; the story then tells
    /// what the log claims against the wire (docs/server-logs.md). Call before the first event.
    void reconcileLogs(std::shared_ptr<const logs::ServerLogs> logs,
                       logs::ReconcileOptions options);

    /// Connections whose block is still to be written (their anomalies are held until then).
    std::size_t openConnections() const { return m_open.size(); }

private:
    /// One anomaly id in one direction of one connection: its first occurrence in full, then only
    /// packets.
    struct Group {
        Anomaly first;
        std::uint32_t firstIndex = 0; ///< of `first` among the connection's stored anomalies
        std::uint64_t count = 0;
        std::vector<PacketNumber> morePackets; ///< at most kRepeatPackets
    };
    /// At most one group per anomaly id and direction, in order of first occurrence.
    /// The last data message of a direction when it was cut short (Message::complete false):
    /// shown as a `cut` line unless a later message of that direction completed (issue 21).
    struct Cut {
        bool cut = false;
        std::uint8_t opcode = 0;
        std::uint64_t captured = 0;  ///< payload bytes seen on the wire
        std::uint64_t announced = 0; ///< payload length its last frame header announced
        PacketNumber packet = 0;     ///< where that frame began
    };
    struct Pending {
        std::vector<Group> groups;
        std::vector<std::uint32_t> groupOf; ///< per stored anomaly, its group
        std::array<Cut, 2> cuts{};          ///< by index(Direction)
        std::array<Cut, 2> lastFrame{};     ///< the last data frame header of each direction
    };
    void keep(Pending& p, const Anomaly& a);
    std::string connectionBlock(const Connection& c, const Pending& p) const;
    std::string anomalyLines(const Pending& p, const Verdict* verdict) const;
    void writeBlock(std::string block, bool healthy);
    void keepBlock(std::string block, bool healthy); ///< past kListAll: to the file or counted
    void writeStory();
    void writeLogs(const logs::ServerLogReport& r);

    std::ostream& m_out;
    bool m_streaming;
    bool m_verbose;
    /// File runs: blocks wait here for the story. While at most kListAll connections have
    /// ended they are kept in memory; past that the healthy ones are dropped and the rest
    /// go to a temporary file.
    std::vector<std::pair<std::string, bool>> m_firstBlocks;
    std::FILE* m_spool = nullptr;
    bool m_spoolOpened = false;   ///< tried once; m_spool stays null if tmpfile() failed
    std::uint64_t m_unlisted = 0; ///< healthy connections not listed
    CaptureStory m_story;
    std::unique_ptr<logs::LogReconciler> m_logs; ///< with --server-log
    std::unordered_map<ConnId, Pending> m_open;
    Pending m_capture;
    std::uint64_t m_connections = 0;
    std::array<std::uint64_t, 6> m_outcomes{};
    std::array<std::uint64_t, kAnomalyIdCount> m_anomalyCounts{};
    std::array<std::uint64_t, 2> m_messages{};
    std::array<std::uint64_t, 3> m_roots{}; ///< root causes by severity
};

} // namespace wst
