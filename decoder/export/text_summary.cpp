// SPDX-License-Identifier: MIT
#include "decoder/export/text_summary.h"

#include "decoder/export/encoding.h"

#include <fmt/format.h>

namespace wst {

namespace {

std::string side(Direction d) {
    return d == Direction::ClientToServer ? "client" : "server";
}

std::string duration(std::int64_t ns) {
    if (ns < 1'000'000) {
        return fmt::format("{:.1f} µs", static_cast<double>(ns) / 1e3);
    }
    if (ns < 10'000'000'000) {
        return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
    }
    return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9);
}

/// "3 (text 2, binary 1)" — counts by the opcode of each message's first frame.
std::string messageCounts(const DirectionStats& s) {
    std::string out = fmt::format("{}", s.messages);
    std::string parts;
    for (std::size_t op = 0; op < s.messagesByOpcode.size(); ++op) {
        if (s.messagesByOpcode[op] == 0) {
            continue;
        }
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ",
                             opcodeName(static_cast<std::uint8_t>(op)), s.messagesByOpcode[op]);
    }
    if (!parts.empty()) {
        out += fmt::format(" ({})", parts);
    }
    return out;
}

std::string closeFrame(const DirectionStats& s) {
    if (!s.sentClose) {
        return "no Close";
    }
    if (!s.closeCode) {
        return "Close (no code)";
    }
    return s.closeReason.empty()
               ? fmt::format("Close {}", *s.closeCode)
               : fmt::format("Close {} \"{}\"", *s.closeCode, terminalSafe(s.closeReason));
}

/// How the WebSocket and then the TCP connection ended, in one line.
std::string closeLine(const Connection& c) {
    const DirectionStats& cs = c.stats[index(Direction::ClientToServer)];
    const DirectionStats& ss = c.stats[index(Direction::ServerToClient)];
    std::string out;
    if (c.firstClose) {
        const DirectionStats& first = c.stats[index(*c.firstClose)];
        const DirectionStats& second = c.stats[index(opposite(*c.firstClose))];
        out = fmt::format("{} sent {} first; {} {}", side(*c.firstClose), closeFrame(first),
                          side(opposite(*c.firstClose)),
                          second.sentClose ? "answered " + closeFrame(second) : "never answered");
    } else if (cs.sentClose || ss.sentClose) {
        out = fmt::format("client {}, server {}", closeFrame(cs), closeFrame(ss));
    } else {
        out = "no Close frame";
    }
    if (c.firstTcpEnd) {
        const TcpEnd how = c.stats[index(*c.firstTcpEnd)].tcpEnd;
        out += fmt::format("; TCP {} from the {} first", how == TcpEnd::Rst ? "RST" : "FIN",
                           side(*c.firstTcpEnd));
    } else {
        out += "; TCP still open at the end of the capture";
    }
    if (c.cleanClose) {
        out += " — clean";
    }
    return out;
}

} // namespace

TextSummaryWriter::TextSummaryWriter(std::ostream& out, const std::string& source)
    : m_out(out) {
    m_out << fmt::format("== {}\n", source);
}

void TextSummaryWriter::keep(Pending& p, const Anomaly& a) {
    for (Group& g : p.groups) {
        if (g.first.id == a.id && g.first.direction == a.direction) {
            ++g.count;
            if (g.morePackets.size() < kRepeatPackets) {
                g.morePackets.push_back(a.packet);
            }
            return;
        }
    }
    p.groups.push_back(Group{a, 1, {}});
}

void TextSummaryWriter::onConnectionStart(const Connection& c) {
    m_open.try_emplace(c.id);
}

void TextSummaryWriter::onEvent(const Event& e, const Message*, const Anomaly* anomaly) {
    if (anomaly) {
        ++m_anomalyCounts[static_cast<std::size_t>(anomaly->id)];
        keep(m_open[e.connection], *anomaly);
    }
}

void TextSummaryWriter::onCaptureAnomaly(const Anomaly& a) {
    ++m_anomalyCounts[static_cast<std::size_t>(a.id)];
    keep(m_capture, a);
}

void TextSummaryWriter::onConnectionEnd(const Connection& c) {
    auto it = m_open.find(c.id);
    static const Pending kNone;
    writeConnection(c, it == m_open.end() ? kNone : it->second);
    if (it != m_open.end()) {
        m_open.erase(it); // the per-connection state ends with the connection
    }
    ++m_connections;
    ++m_outcomes[static_cast<std::size_t>(c.outcome)];
    m_messages[0] += c.stats[0].messages;
    m_messages[1] += c.stats[1].messages;
}

void TextSummaryWriter::writeAnomalyLines(const Pending& p, std::string_view indent) {
    for (const Group& g : p.groups) {
        const Anomaly& a = g.first;
        const AnomalyInfo& info = anomalyInfo(a.id);
        std::string where = a.packet != 0 ? fmt::format("packet {}", a.packet) : "";
        if (a.direction) {
            where += fmt::format("{}{}", where.empty() ? "" : ", ",
                                 *a.direction == Direction::ClientToServer ? "client→server"
                                                                           : "server→client");
        }
        m_out << fmt::format("{}{:<7} {} ({}): {}{}\n", indent, toString(info.severity), info.name,
                             where.empty() ? "connection" : where, info.title,
                             a.detail.empty() ? "" : fmt::format(" [{}]", terminalSafe(a.detail)));
        if (g.count > 1) {
            std::string packets;
            for (PacketNumber n : g.morePackets) {
                packets += fmt::format("{}{}", packets.empty() ? "" : ", ", n);
            }
            m_out << fmt::format("{:{}}        … {} more, packet{} {}{}\n", "", indent.size(),
                                 g.count - 1, g.count > 2 ? "s" : "", packets,
                                 g.count - 1 > g.morePackets.size() ? ", …" : "");
        }
    }
}

void TextSummaryWriter::writeConnection(const Connection& c, const Pending& p) {
    m_out << fmt::format("\n#{}  {} → {}  {}{}\n", c.id, c.client.toString(), c.server.toString(),
                         toString(c.outcome), c.sawSyn ? "" : " (no SYN seen)");
    if (c.request) {
        const RequestSummary& r = *c.request;
        // Everything from the wire goes through terminalSafe: a capture is a stranger's input.
        m_out << fmt::format("    request   {} {} {}{}  (packet {})\n", terminalSafe(r.method),
                             terminalSafe(r.target), terminalSafe(r.httpVersion),
                             r.host.empty() ? "" : "  Host: " + terminalSafe(r.host), r.packet);
    }
    for (const ResponseSummary& r : c.responses) {
        m_out << fmt::format("    response  {} {} {}{}  (packet {})\n", terminalSafe(r.httpVersion),
                             r.status, terminalSafe(r.reason),
                             r.fingerprint.empty() ? "" : "  [" + terminalSafe(r.fingerprint) + "]",
                             r.packet);
    }
    if (c.handshakeLatencyNs) {
        m_out << fmt::format("    handshake {}\n", duration(*c.handshakeLatencyNs));
    }
    const DirectionStats& cs = c.stats[index(Direction::ClientToServer)];
    const DirectionStats& ss = c.stats[index(Direction::ServerToClient)];
    if (c.outcome == Outcome::Upgraded || c.outcome == Outcome::Midstream || cs.frames != 0 ||
        ss.frames != 0) {
        m_out << fmt::format("    messages  client→server {}; server→client {}\n",
                             messageCounts(cs), messageCounts(ss));
        m_out << fmt::format("    close     {}\n", closeLine(c));
    } else {
        m_out << fmt::format(
            "    tcp       client→server {} B, server→client {} B; {}\n", cs.bytes, ss.bytes,
            c.firstTcpEnd
                ? fmt::format("{} from the {} first",
                              c.stats[index(*c.firstTcpEnd)].tcpEnd == TcpEnd::Rst ? "RST" : "FIN",
                              side(*c.firstTcpEnd))
                : std::string("still open at the end of the capture"));
    }
    if (cs.gaps + ss.gaps != 0) {
        m_out << fmt::format("    gaps      {} ({} bytes missing)\n", cs.gaps + ss.gaps,
                             cs.gapBytes + ss.gapBytes);
    }
    for (const std::string& note : c.notes) {
        m_out << fmt::format("    note      {}\n", terminalSafe(note));
    }
    writeAnomalyLines(p, "    ! ");
}

void TextSummaryWriter::onFinish(const CaptureStats& stats) {
    if (!m_capture.groups.empty()) {
        m_out << "\ncapture-level anomalies\n";
        writeAnomalyLines(m_capture, "    ! ");
    }
    std::string outcomes;
    for (std::size_t o = 0; o < m_outcomes.size(); ++o) {
        if (m_outcomes[o] != 0) {
            outcomes += fmt::format("{}{} {}", outcomes.empty() ? "" : ", ", m_outcomes[o],
                                    toString(static_cast<Outcome>(o)));
        }
    }
    m_out << fmt::format("\ntotals    {} packets ({} TCP, {} undecodable), {} bytes\n",
                         stats.packets, stats.tcpPackets, stats.undecodable, stats.bytes);
    if (stats.kernel) {
        // tcpdump's three exit counters, so a live summary says whether it saw everything.
        m_out << fmt::format("          {} received by filter, {} dropped by kernel, {} dropped "
                             "by interface\n",
                             stats.kernel->receivedByFilter, stats.kernel->droppedByKernel,
                             stats.kernel->droppedByInterface);
    }
    m_out << fmt::format("          {} connection{}{}\n", m_connections,
                         m_connections == 1 ? "" : "s", outcomes.empty() ? "" : ": " + outcomes);
    m_out << fmt::format("          messages client→server {}, server→client {}\n", m_messages[0],
                         m_messages[1]);
    std::array<std::uint64_t, 3> bySeverity{};
    for (const AnomalyInfo& info : anomalyCatalog()) {
        bySeverity[static_cast<std::size_t>(info.severity)] +=
            m_anomalyCounts[static_cast<std::size_t>(info.id)];
    }
    m_out << fmt::format("anomalies {} error, {} warning, {} info\n", bySeverity[2], bySeverity[1],
                         bySeverity[0]);
    // Most severe first, then catalog order: a stable order for diffs.
    for (int sev = 2; sev >= 0; --sev) {
        for (const AnomalyInfo& info : anomalyCatalog()) {
            const std::uint64_t n = m_anomalyCounts[static_cast<std::size_t>(info.id)];
            if (n != 0 && static_cast<int>(info.severity) == sev) {
                m_out << fmt::format("          {:<7} {:>6} × {}  {}\n", toString(info.severity), n,
                                     info.name, info.title);
            }
        }
    }
    if (!stats.error.empty()) {
        m_out << fmt::format("error     {}\n", stats.error);
    }
    m_out.flush();
}

} // namespace wst
