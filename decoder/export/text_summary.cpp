// SPDX-License-Identifier: MIT
#include "decoder/export/text_summary.h"

#include "decoder/export/encoding.h"
#include "decoder/export/log_fields.h"
#include "decoder/http2/h2_frame.h"
#include "decoder/verdict/verdict.h"

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
               : fmt::format("Close {} {}", *s.closeCode, terminalQuoted(s.closeReason));
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

TextSummaryWriter::TextSummaryWriter(std::ostream& out, const std::string& source, bool streaming,
                                     bool verbose)
    : m_out(out)
    , m_streaming(streaming)
    , m_verbose(verbose) {
    m_out << fmt::format("== {}\n", source);
}

TextSummaryWriter::~TextSummaryWriter() {
    if (m_spool) {
        std::fclose(m_spool);
    }
}

void TextSummaryWriter::keep(Pending& p, const Anomaly& a) {
    const auto stored = static_cast<std::uint32_t>(p.groupOf.size());
    for (std::size_t i = 0; i < p.groups.size(); ++i) {
        Group& g = p.groups[i];
        if (g.first.id == a.id && g.first.direction == a.direction) {
            ++g.count;
            if (g.morePackets.size() < kRepeatPackets) {
                g.morePackets.push_back(a.packet);
            }
            p.groupOf.push_back(static_cast<std::uint32_t>(i));
            return;
        }
    }
    p.groupOf.push_back(static_cast<std::uint32_t>(p.groups.size()));
    p.groups.push_back(Group{a, stored, 1, {}});
}

void TextSummaryWriter::reconcileLogs(std::shared_ptr<const logs::ServerLogs> logs,
                                      logs::ReconcileOptions options) {
    m_logs = std::make_unique<logs::LogReconciler>(std::move(logs), options);
}

void TextSummaryWriter::onConnectionStart(const Connection& c) {
    m_open.try_emplace(c.id);
}

void TextSummaryWriter::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    if (anomaly) {
        ++m_anomalyCounts[static_cast<std::size_t>(anomaly->id)];
        keep(m_open[e.connection], *anomaly);
    }
    // Data frames and messages only: a cut control frame is its own anomaly.
    if (e.kind == EventKind::WsFrame && e.opcode < 0x8) {
        Cut& f = m_open[e.connection].lastFrame[index(e.direction)];
        f.announced = e.length;
        f.packet = e.packet;
    } else if (e.kind == EventKind::WsMessage && message != nullptr && e.opcode < 0x8) {
        Pending& p = m_open[e.connection];
        Cut& c = p.cuts[index(e.direction)];
        c = p.lastFrame[index(e.direction)];
        c.cut = !message->complete;
        c.opcode = e.opcode;
        c.captured = message->wireLength;
    }
}

void TextSummaryWriter::onCaptureAnomaly(const Anomaly& a) {
    ++m_anomalyCounts[static_cast<std::size_t>(a.id)];
    ++m_roots[static_cast<std::size_t>(a.severity())];
    keep(m_capture, a);
}

void TextSummaryWriter::onConnectionEnd(const Connection& c) {
    auto it = m_open.find(c.id);
    static const Pending kNone;
    writeBlock(connectionBlock(c, it == m_open.end() ? kNone : it->second), !c.verdict.rootCause);
    if (it != m_open.end()) {
        m_open.erase(it); // the per-connection state ends with the connection
    }
    m_story.add(c);
    if (m_logs) {
        m_logs->add(c);
    }
    for (std::size_t sev = 0; sev < m_roots.size(); ++sev) {
        m_roots[sev] += c.verdict.rootsBySeverity[sev];
    }
    ++m_connections;
    ++m_outcomes[static_cast<std::size_t>(c.outcome)];
    m_messages[0] += c.stats[0].messages;
    m_messages[1] += c.stats[1].messages;
}

void TextSummaryWriter::writeBlock(std::string block, bool healthy) {
    if (m_streaming) {
        m_out << block;
        return;
    }
    if (!m_spoolOpened && m_connections < kListAll) {
        m_firstBlocks.emplace_back(std::move(block), healthy);
        return;
    }
    if (!m_spoolOpened) {
        // More than kListAll connections: from here on the blocks wait in a file (with
        // --verbose too), and without it the healthy ones are counted by the story, not listed.
        m_spoolOpened = true;
        m_spool = std::tmpfile();
        std::vector<std::pair<std::string, bool>> first = std::move(m_firstBlocks);
        m_firstBlocks.clear();
        for (auto& [text, wasHealthy] : first) {
            keepBlock(std::move(text), wasHealthy);
        }
    }
    keepBlock(std::move(block), healthy);
}

void TextSummaryWriter::keepBlock(std::string block, bool healthy) {
    if (healthy && !m_verbose) {
        ++m_unlisted;
        return;
    }
    if (!m_spool) {
        m_out << block; // no temporary file: the block goes out now, before the story
        return;
    }
    std::fwrite(block.data(), 1, block.size(), m_spool);
}

std::string TextSummaryWriter::anomalyLines(const Pending& p, const Verdict* verdict) const {
    // Each group under the group of the finding its first occurrence follows from.
    const std::size_t n = p.groups.size();
    std::vector<std::int64_t> parent(n, -1);
    std::size_t primary = n;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t first = p.groups[i].firstIndex;
        if (verdict && first < verdict->causedBy.size() && verdict->causedBy[first] >= 0) {
            const auto cause = static_cast<std::size_t>(verdict->causedBy[first]);
            if (cause < p.groupOf.size() && p.groupOf[cause] != i) {
                parent[i] = p.groupOf[cause];
            }
        }
        if (verdict && verdict->root >= 0 &&
            static_cast<std::size_t>(verdict->root) < p.groupOf.size() &&
            p.groupOf[static_cast<std::size_t>(verdict->root)] == i) {
            primary = i;
        }
    }
    std::string out;
    const auto line = [&](std::size_t gi, std::size_t depth) {
        const Group& g = p.groups[gi];
        const Anomaly& a = g.first;
        const AnomalyInfo& info = anomalyInfo(a.id);
        std::string where = a.packet != 0 ? fmt::format("packet {}", a.packet) : "";
        if (a.direction) {
            where += fmt::format("{}{}", where.empty() ? "" : ", ",
                                 *a.direction == Direction::ClientToServer ? "client→server"
                                                                           : "server→client");
        }
        const std::string indent =
            depth == 0 ? std::string("    ! ") : std::string(4 + 2 * depth, ' ') + "↳ ";
        out += fmt::format("{}{:<7} {} ({}): {}{}{}\n", indent, toString(info.severity), info.name,
                           where.empty() ? "connection" : where, info.title,
                           a.detail.empty() ? "" : fmt::format(" [{}]", terminalSafe(a.detail)),
                           gi == primary ? " — root cause" : "");
        if (g.count > 1) {
            std::string packets;
            for (PacketNumber packet : g.morePackets) {
                packets += fmt::format("{}{}", packets.empty() ? "" : ", ", packet);
            }
            out += fmt::format("{:{}}        … {} more, packet{} {}{}\n", "", indent.size(),
                               g.count - 1, g.count > 2 ? "s" : "", packets,
                               g.count - 1 > g.morePackets.size() ? ", …" : "");
        }
    };
    const auto tree = [&](auto& self, std::size_t gi, std::size_t depth) -> void {
        line(gi, depth);
        for (std::size_t k = 0; k < n; ++k) {
            if (parent[k] == static_cast<std::int64_t>(gi)) {
                self(self, k, depth + 1);
            }
        }
    };
    if (primary < n) {
        tree(tree, primary, 0);
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (parent[i] < 0 && i != primary) {
            tree(tree, i, 0);
        }
    }
    return out;
}

std::string TextSummaryWriter::connectionBlock(const Connection& c, const Pending& p) const {
    std::string out;
    const Verdict& v = c.verdict;
    out += fmt::format("\n#{}  {} → {}  {}{}\n", c.id, c.client.toString(), c.server.toString(),
                       v.headline.empty() ? std::string(toString(c.outcome)) : v.headline,
                       c.sawSyn ? "" : " (no SYN seen)");
    if (!v.client.story.empty()) {
        out += fmt::format("    client    {}\n", terminalSafe(peerText(v.client)));
    }
    if (!v.server.story.empty()) {
        out += fmt::format("    server    {}\n", terminalSafe(peerText(v.server)));
    }
    if (c.h2stream) {
        const Http2Stream& h = *c.h2stream;
        std::string end = h.end.empty() ? std::string("open") : h.end;
        if (h.resetCode) {
            end += fmt::format(" {} ({}) from the {}", h2::errorCodeName(*h.resetCode),
                               h2::errorCodeMeaning(*h.resetCode),
                               h.resetBy == Direction::ClientToServer ? "client" : "server");
        }
        out += fmt::format("    http2     stream {} of HTTP/2 connection #{} (RFC 8441); ended: "
                           "{}\n",
                           h.streamId, h.connection, end);
    }
    if (c.http2) {
        const Http2Summary& h = *c.http2;
        std::string ws;
        for (const ConnId id : h.webSockets) {
            ws += fmt::format("{}#{}", ws.empty() ? "" : ", ", id);
        }
        out += fmt::format("    http2     {} ({}), {} stream(s){}; server "
                           "SETTINGS_ENABLE_CONNECT_PROTOCOL={}\n",
                           "HTTP/2", h.start, h.streams,
                           ws.empty() ? "" : "; WebSocket streams: " + ws,
                           h.enableConnectProtocol ? fmt::format("{}", *h.enableConnectProtocol)
                                                   : std::string("(never sent)"));
    }
    if (c.tls) {
        const TlsSummary& t = *c.tls;
        std::string alpn;
        for (const std::string& a : t.alpnOffered) {
            alpn += (alpn.empty() ? "" : ",") + a;
        }
        out += fmt::format("    tls       {}  SNI {}  ALPN offered {} chosen {}  cipher {}\n",
                           t.version.empty() ? "(no ServerHello)" : t.version,
                           t.sni.empty() ? "-" : terminalSafe(t.sni),
                           alpn.empty() ? "-" : terminalSafe(alpn),
                           !t.alpnChosen.empty()    ? terminalSafe(t.alpnChosen)
                           : t.version == "TLS 1.3" ? std::string("(encrypted)")
                                                    : std::string("-"),
                           t.cipherSuite.empty() ? "-" : t.cipherSuite);
        if (!t.certSubject.empty()) {
            out += fmt::format("    cert      {}  issuer {}  valid {} .. {}\n",
                               terminalSafe(t.certSubject), terminalSafe(t.certIssuer),
                               t.certNotBefore, t.certNotAfter);
        }
        for (const std::string& a : t.alerts) {
            out += fmt::format("    alert     {}\n", a);
        }
        out += fmt::format("    keys      {}\n", t.decryption);
    }
    if (c.request) {
        const RequestSummary& r = *c.request;
        // Everything from the wire goes through terminalSafe: a capture is a stranger's input.
        out += fmt::format("    request   {} {} {}{}  (packet {})\n", terminalSafe(r.method),
                           terminalSafe(r.target), terminalSafe(r.httpVersion),
                           r.host.empty() ? "" : "  Host: " + terminalSafe(r.host), r.packet);
    }
    for (const ResponseSummary& r : c.responses) {
        out += fmt::format("    response  {} {} {}{}  (packet {})\n", terminalSafe(r.httpVersion),
                           r.status, terminalSafe(r.reason),
                           r.fingerprint.empty() ? "" : "  [" + terminalSafe(r.fingerprint) + "]",
                           r.packet);
    }
    if (c.handshakeLatencyNs) {
        out += fmt::format("    handshake {}\n", duration(*c.handshakeLatencyNs));
    }
    const DirectionStats& cs = c.stats[index(Direction::ClientToServer)];
    const DirectionStats& ss = c.stats[index(Direction::ServerToClient)];
    if (c.outcome == Outcome::Upgraded || c.outcome == Outcome::Midstream || cs.frames != 0 ||
        ss.frames != 0) {
        out += fmt::format("    messages  client→server {}; server→client {}\n", messageCounts(cs),
                           messageCounts(ss));
        out += fmt::format("    close     {}\n", closeLine(c));
    } else {
        out += fmt::format(
            "    tcp       client→server {} B, server→client {} B; {}\n", cs.bytes, ss.bytes,
            c.firstTcpEnd
                ? fmt::format("{} from the {} first",
                              c.stats[index(*c.firstTcpEnd)].tcpEnd == TcpEnd::Rst ? "RST" : "FIN",
                              side(*c.firstTcpEnd))
                : std::string("still open at the end of the capture"));
    }
    if (cs.gaps + ss.gaps != 0) {
        out += fmt::format("    gaps      {} ({} bytes missing)\n", cs.gaps + ss.gaps,
                           cs.gapBytes + ss.gapBytes);
    }
    // The last message of a direction cut short: JSON says `complete: false`; say it here too.
    for (const Direction d : {Direction::ClientToServer, Direction::ServerToClient}) {
        const Cut& cut = p.cuts[index(d)];
        if (!cut.cut) {
            continue;
        }
        const char* what = cut.opcode == 0x1 ? "text" : cut.opcode == 0x2 ? "binary" : "data";
        out +=
            fmt::format("    cut       {} {} message cut short: its frame at packet {} "
                        "announced {} payload bytes, {} were seen; {}\n",
                        d == Direction::ClientToServer ? "client→server" : "server→client", what,
                        cut.packet, cut.announced, cut.captured,
                        cs.gaps + ss.gaps != 0 ? "the stream ended, or lost bytes, inside it"
                                               : "the capture or the connection ended inside it");
    }
    for (const std::string& note : c.notes) {
        out += fmt::format("    note      {}\n", terminalSafe(note));
    }
    out += anomalyLines(p, &v);
    return out;
}

void TextSummaryWriter::writeStory() {
    m_out << fmt::format("\nverdict   {} connection{}\n", m_story.connections(),
                         m_story.connections() == 1 ? "" : "s");
    for (const StoryGroup& g : m_story.groups()) {
        std::string ids;
        for (ConnId id : g.examples) {
            ids += fmt::format("{}{}", ids.empty() ? "" : ", ", id);
        }
        m_out << fmt::format("  {:>6} {}  (#{}{})\n", g.count, g.label, ids,
                             g.count > g.examples.size() ? ", …" : "");
        if (!g.explanation.empty()) {
            m_out << fmt::format("           why: {}\n", g.explanation);
        }
        if (!g.whatToDo.empty()) {
            m_out << fmt::format("           do:  {}\n", g.whatToDo);
        }
    }
    // With the server's own log given, its reconciliation below replaces what the wire alone
    // can only suggest about the access log.
    if (!m_logs) {
        for (const std::string& line : m_story.serverLogLines()) {
            m_out << fmt::format("  note   {}\n", line);
        }
    }
    if (m_logs) {
        writeLogs(*m_logs->finish());
        m_logs.reset();
    }
    if (m_unlisted != 0) {
        m_out << fmt::format("  ({} connection{} without a finding not listed below; --verbose "
                             "lists every connection)\n",
                             m_unlisted, m_unlisted == 1 ? "" : "s");
    }
}

void TextSummaryWriter::writeLogs(const logs::ServerLogReport& r) {
    const std::vector<std::string> files = logFileLines(r);
    for (std::size_t i = 0; i < files.size(); ++i) {
        m_out << fmt::format("{}{}\n", i == 0 ? "\nserver log  " : "            ",
                             terminalSafe(files[i]));
    }
    m_out << fmt::format("            {}\n", logs::clockText(r.clock));
    for (const std::string& line : logPathTable(r)) {
        m_out << fmt::format("    {}\n", line);
    }
    for (const std::string& line : r.story) {
        m_out << fmt::format("  log    {}\n", terminalSafe(line));
    }
    // Per connection, what needs reading: without --verbose the entries that are not simply
    // on the wire, less gin's 200 for an upgrade that worked (the story line counts those).
    constexpr std::size_t kShown = 30;
    std::size_t shown = 0, hidden = 0;
    for (std::size_t id = 1; id <= r.byConnection.size(); ++id) {
        for (std::uint32_t i : r.byConnection[id - 1]) {
            const logs::LogMatch& m = r.matches[i];
            const logs::LogLine& e = r.logs->entries[m.entry];
            const bool routine =
                m.mark == logs::LogMark::ReachedWire ||
                (m.mark == logs::LogMark::Contradicts && e.source == logs::LogSource::GinLogger &&
                 e.status == 200 && m.reason.find("the upgrade worked") != std::string::npos);
            if (!m_verbose && (routine || shown >= kShown)) {
                hidden += !routine;
                continue;
            }
            m_out << fmt::format("  #{:<5} {}\n", id, logMatchLine(r, m));
            ++shown;
        }
    }
    if (hidden != 0) {
        m_out << fmt::format("  (… {} more log entr{} that differ from the wire; --verbose lists "
                             "them all)\n",
                             hidden, hidden == 1 ? "y" : "ies");
    }
    std::size_t unmatchedShown = 0;
    for (const logs::LogMatch& m : r.matches) {
        if (m.connection == 0 && unmatchedShown < (m_verbose ? 1000 : 5)) {
            m_out << fmt::format("  no match {}\n", logMatchLine(r, m));
            ++unmatchedShown;
        }
    }
    if (r.unmatched() > unmatchedShown) {
        m_out << fmt::format("  (… {} more unmatched)\n", r.unmatched() - unmatchedShown);
    }
}

void TextSummaryWriter::onFinish(const CaptureStats& stats) {
    if (!m_streaming) {
        writeStory();
        for (const auto& [text, healthy] : m_firstBlocks) {
            m_out << text;
        }
        m_firstBlocks.clear();
        if (m_spool) {
            std::rewind(m_spool);
            char buf[65536];
            std::size_t n = 0;
            while ((n = std::fread(buf, 1, sizeof buf, m_spool)) > 0) {
                m_out.write(buf, static_cast<std::streamsize>(n));
            }
            std::fclose(m_spool);
            m_spool = nullptr;
        }
    }
    if (!m_capture.groups.empty()) {
        m_out << "\ncapture-level anomalies\n";
        m_out << anomalyLines(m_capture, nullptr);
    }
    if (m_streaming) {
        writeStory();
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
    // Root causes: a finding that follows from another is not a problem of its own.
    m_out << fmt::format("anomalies {} error, {} warning, {} info; root causes {} error, {} "
                         "warning, {} info\n",
                         bySeverity[2], bySeverity[1], bySeverity[0], m_roots[2], m_roots[1],
                         m_roots[0]);
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
