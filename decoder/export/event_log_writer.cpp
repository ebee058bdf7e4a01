// SPDX-License-Identifier: MIT
#include "decoder/export/event_log_writer.h"

#include "decoder/export/encoding.h"

#include <fmt/format.h>

namespace wst {
namespace {

const char* arrow(Direction d) {
    return d == Direction::ClientToServer ? "c>s" : "s>c";
}

/// A one-line preview of a payload, quoted: printable ASCII kept (`"` and `\` escaped),
/// everything else as '.'; "…" after the quotes when it was cut.
std::string preview(std::string_view payload, std::size_t max) {
    std::string out = "\"";
    for (std::size_t i = 0; i < payload.size() && i < max; ++i) {
        const unsigned char ch = static_cast<unsigned char>(payload[i]);
        if (ch == '"' || ch == '\\') {
            out += '\\';
        }
        out += ch >= 0x20 && ch < 0x7f ? static_cast<char>(ch) : '.';
    }
    out += '"';
    if (payload.size() > max)
        out += "…";
    return out;
}

} // namespace

EventLogWriter::EventLogWriter(std::ostream& out)
    : m_out(out) {}

double EventLogWriter::relative(Timestamp t) {
    if (!m_haveStart) {
        m_start = t;
        m_haveStart = true;
    }
    return static_cast<double>(t - m_start) / 1e9;
}

void EventLogWriter::onConnectionStart(const Connection& c) {
    m_out << fmt::format("{:12.6f} #{:<5} open {} -> {}{}\n", relative(c.first), c.id,
                         c.client.toString(), c.server.toString(), c.sawSyn ? "" : " (mid-stream)")
          << std::flush;
}

void EventLogWriter::onEvent(const Event& e, const Message* message, const Anomaly* anomaly) {
    std::string what;
    switch (e.kind) {
    case EventKind::TcpSyn:
        what = "SYN";
        break;
    case EventKind::TcpSynAck:
        what = "SYN-ACK";
        break;
    case EventKind::TcpFin:
        what = "FIN";
        break;
    case EventKind::TcpRst:
        what = "RST";
        break;
    case EventKind::TcpGap:
        what = fmt::format("gap of {} bytes", e.length);
        break;
    case EventKind::HttpRequest:
        what = fmt::format("HTTP request ({} bytes)", e.length);
        break;
    case EventKind::HttpResponse:
        what = fmt::format("HTTP response {}", e.status);
        break;
    case EventKind::Upgrade:
        what = "switched to WebSocket";
        break;
    case EventKind::WsFrame:
        // Data frames are told as their messages, Close frames by WsClose with the code;
        // control frames (ping, pong) have no message event, so they get their own line.
        if ((e.opcode & 0x8) == 0 || e.opcode == 0x8)
            return;
        [[fallthrough]];
    case EventKind::WsMessage:
        what = fmt::format("{} {} B", opcodeName(e.opcode), e.length);
        if (message && (e.opcode == 0x1 || e.opcode == 0x9 || e.opcode == 0xA))
            what += " " + preview(message->payload, kPreviewChars);
        break;
    case EventKind::WsClose:
        what = e.closeCode ? fmt::format("Close {}", e.closeCode) : "Close (no code)";
        break;
    case EventKind::Anomaly:
        if (!anomaly)
            return;
        what = fmt::format("! {} {}{}{}", toString(anomaly->severity()), anomalyName(anomaly->id),
                           anomaly->detail.empty() ? "" : ": ", terminalSafe(anomaly->detail));
        break;
    }
    m_out << fmt::format("{:12.6f} #{:<5} {} {} (packet {})\n", relative(e.time), e.connection,
                         arrow(e.direction), what, e.packet)
          << std::flush;
}

void EventLogWriter::onConnectionEnd(const Connection& c) {
    m_out << fmt::format("{:12.6f} #{:<5} end {}\n", relative(c.last), c.id, toString(c.outcome))
          << std::flush;
}

void EventLogWriter::onCaptureAnomaly(const Anomaly& a) {
    m_out << fmt::format("{:12.6f} capture ! {} {}{}{} (packet {})\n", relative(a.time),
                         toString(a.severity()), anomalyName(a.id), a.detail.empty() ? "" : ": ",
                         terminalSafe(a.detail), a.packet)
          << std::flush;
}

void EventLogWriter::onFinish(const CaptureStats& stats) {
    m_out << fmt::format("-- {}: {} packets{}\n", stats.source, stats.packets,
                         stats.kernel
                             ? fmt::format(", {} dropped by the kernel, {} by the interface",
                                           stats.kernel->droppedByKernel,
                                           stats.kernel->droppedByInterface)
                             : std::string())
          << std::flush;
}

} // namespace wst
