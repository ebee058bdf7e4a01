// SPDX-License-Identifier: MIT
#include "decoder/export/svg_ladder.h"

#include "decoder/export/encoding.h"

#include <fmt/format.h>

namespace wst {
namespace {

constexpr int kRowHeight = 22;
constexpr int kTop = 44;
constexpr int kTimeColumn = 96;

struct Row {
    const Event* event = nullptr;
    std::string label;
    const char* colour = "#444444";
    bool dashed = false;
    bool anomaly = false;
    std::string anomalyText;
};

const char* opcodeColour(std::uint8_t opcode) {
    switch (opcode) {
    case 0x1:
        return "#0072B2"; // text: blue
    case 0x2:
        return "#009E73"; // binary: bluish green
    case 0x8:
        return "#D55E00"; // close: vermillion
    case 0x9:
    case 0xA:
        return "#CC79A7"; // ping/pong: reddish purple
    default:
        return "#E69F00"; // continuation/reserved: orange
    }
}

std::string sizeText(std::uint64_t n) {
    if (n < 10'000)
        return fmt::format("{} B", n);
    if (n < 10'000'000)
        return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024);
    return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024 * 1024));
}

/// The label and colour of one event, or false when the event is not drawn as its own row.
bool describe(const Trace& trace, const Connection& c, const Event& e, Row& row) {
    row.event = &e;
    switch (e.kind) {
    case EventKind::TcpSyn:
        row.label = "SYN";
        row.colour = "#777777";
        return true;
    case EventKind::TcpSynAck:
        row.label = "SYN-ACK";
        row.colour = "#777777";
        return true;
    case EventKind::TcpFin:
        row.label = "FIN";
        row.colour = "#777777";
        return true;
    case EventKind::TcpRst:
        row.label = "RST";
        row.colour = "#C00000";
        return true;
    case EventKind::TcpGap:
        row.label = fmt::format("gap: {} lost", sizeText(e.length));
        row.colour = "#C00000";
        row.dashed = true;
        return true;
    case EventKind::HttpRequest:
        row.label = c.request ? fmt::format("{} {}", c.request->method, c.request->target)
                              : std::string("HTTP request");
        row.colour = "#000000";
        return true;
    case EventKind::HttpResponse: {
        row.label = fmt::format("HTTP {}", e.status);
        for (const ResponseSummary& r : c.responses)
            if (r.packet == e.packet && r.status == e.status && !r.reason.empty())
                row.label += " " + r.reason;
        row.colour = e.status == 101 ? "#000000" : "#C00000";
        return true;
    }
    case EventKind::Upgrade:
        row.label = upgradeLabel(c);
        return true;
    case EventKind::WsClose:
        row.label = e.closeCode ? fmt::format("Close {}", e.closeCode) : "Close (no code)";
        row.colour = opcodeColour(0x8);
        return true;
    case EventKind::WsMessage: {
        if (e.opcode == 0x8)
            return false; // drawn from its WsClose event, which carries the code
        std::string what(opcodeName(e.opcode));
        row.label = fmt::format("{} {}", what, sizeText(e.length));
        if (e.ref != Event::kNoRef && e.ref < trace.messages.size()) {
            const Message& m = trace.messages[e.ref];
            if (m.frames > 1)
                row.label += fmt::format(" ({} frames)", m.frames);
            if (m.compressed)
                row.label += " deflate";
        }
        row.colour = opcodeColour(e.opcode);
        return true;
    }
    case EventKind::WsFrame:
        // Data frames are drawn as their messages and Close frames as WsClose events; ping,
        // pong and reserved control frames have no message of their own, so they get a row.
        if ((e.opcode & 0x8) == 0 || e.opcode == 0x8)
            return false;
        row.label = fmt::format("{} {}", opcodeName(e.opcode), sizeText(e.length));
        row.colour = opcodeColour(e.opcode);
        return true;
    case EventKind::Anomaly:
        return false;
    }
    return false;
}

} // namespace

std::string ladderSvg(const Trace& trace, const Connection& c, const LadderOptions& options) {
    const auto& index = trace.eventsOf(c.id);
    std::vector<Row> rows;
    std::size_t hidden = 0;
    for (std::uint32_t i : index) {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::Anomaly) {
            // Mark the row of the packet the anomaly points at, or the last row drawn.
            const Anomaly* a = e.ref < trace.anomalies.size() ? &trace.anomalies[e.ref] : nullptr;
            Row* target = rows.empty() ? nullptr : &rows.back();
            for (auto it = rows.rbegin(); it != rows.rend(); ++it)
                if (it->event->packet == e.packet) {
                    target = &*it;
                    break;
                }
            if (target && a) {
                target->anomaly = true;
                target->anomalyText += fmt::format("{}{}", target->anomalyText.empty() ? "" : "; ",
                                                   anomalyName(a->id));
            }
            continue;
        }
        Row row;
        if (!describe(trace, c, e, row))
            continue;
        if (rows.size() >= options.maxRows) {
            ++hidden;
            continue;
        }
        rows.push_back(std::move(row));
    }

    const int width = options.width;
    const int clientX = kTimeColumn + 90;
    const int serverX = width - 110;
    const int height = kTop + static_cast<int>(rows.size() + (hidden ? 1 : 0)) * kRowHeight + 16;

    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Arial, sans-serif\" "
        "font-size=\"12\" role=\"img\" aria-label=\"connection {2} ladder diagram\">\n"
        "<defs><marker id=\"arrow{2}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
        "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n",
        width, height, c.id);
    svg += fmt::format("<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">client "
                       "{}</text>\n",
                       clientX, htmlEscape(c.client.toString()));
    svg += fmt::format("<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">server "
                       "{}</text>\n",
                       serverX, htmlEscape(c.server.toString()));
    svg += fmt::format("<text x=\"4\" y=\"16\" fill=\"#666\">time (ms)</text>\n");
    svg += fmt::format("<text x=\"{}\" y=\"16\" fill=\"#666\">packet</text>\n", kTimeColumn + 6);
    const int laneBottom = height - 8;
    for (int x : {clientX, serverX})
        svg += fmt::format("<line x1=\"{0}\" y1=\"24\" x2=\"{0}\" y2=\"{1}\" stroke=\"#999\" "
                           "stroke-width=\"2\"/>\n",
                           x, laneBottom);

    int y = kTop;
    for (const Row& row : rows) {
        const Event& e = *row.event;
        const double ms = static_cast<double>(e.time - c.first) / 1e6;
        svg +=
            fmt::format("<g><title>packet {} — {}{}{}</title>\n", e.packet, htmlEscape(row.label),
                        row.anomaly ? " — " : "", htmlEscape(row.anomalyText));
        svg += fmt::format("<text x=\"4\" y=\"{}\" fill=\"#666\">{:.3f}</text>\n", y + 4, ms);
        // The packet number beside every row, as findings cite it (issue 18): printed reports
        // have no tooltip.
        if (e.packet != 0)
            svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#666\" font-size=\"10\" "
                               "class=\"pkt\">#{}</text>\n",
                               kTimeColumn + 6, y + 4, e.packet);
        if (e.kind == EventKind::Upgrade) {
            svg +=
                fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"#F0E442\" "
                            "fill-opacity=\"0.35\"/><text x=\"{}\" y=\"{}\" "
                            "text-anchor=\"middle\">{}</text>\n",
                            clientX, y - 10, serverX - clientX, (clientX + serverX) / 2, y + 1,
                            htmlEscape(row.label));
        } else {
            const bool fromClient = e.direction == Direction::ClientToServer;
            const int x1 = fromClient ? clientX : serverX;
            const int x2 = fromClient ? serverX : clientX;
            svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
                               "stroke-width=\"1.6\"{} marker-end=\"url(#arrow{})\"/>\n",
                               x1, y, x2, y, row.colour,
                               row.dashed ? " stroke-dasharray=\"5,3\"" : "", c.id);
            svg += fmt::format(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
                (clientX + serverX) / 2, y - 4, row.colour, htmlEscape(row.label));
        }
        if (row.anomaly) {
            const int mx = e.direction == Direction::ClientToServer ? clientX : serverX;
            svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#C00000\"/>"
                               "<text x=\"{}\" y=\"{}\" fill=\"#fff\" font-size=\"10\" "
                               "text-anchor=\"middle\" font-weight=\"bold\">!</text>\n",
                               mx, y, mx, y + 4);
        }
        svg += "</g>\n";
        y += kRowHeight;
    }
    if (hidden)
        svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#666\">… {} more "
                           "events not drawn</text>\n",
                           (clientX + serverX) / 2, y, hidden);
    svg += "</svg>\n";
    return svg;
}

} // namespace wst
