// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"
#include "ui/models/event_text.h"

#include <QColor>
#include <QString>
#include <vector>

namespace wst::ui {

/// One row of the ladder diagram, computed from the trace without any painting so tests can
/// assert what the timeline shows.
struct TimelineItem {
    enum class Shape {
        Arrow,   ///< from the sender's lane to the receiver's lane (TCP, HTTP, frames, Close)
        Divider, ///< across both lanes: "switched to WebSocket"
        Gap,     ///< a break on the sender's lane: bytes missing from the capture
        Anomaly, ///< a marker on the lane (or both) and a note in the gutter
    };
    Shape shape = Shape::Arrow;
    EventKind kind = EventKind::TcpSyn;
    Direction direction = Direction::ClientToServer;
    bool bothLanes = false; ///< anomalies that concern the whole connection
    Timestamp time;
    PacketNumber packet = 0;
    std::uint32_t event = Event::kNoRef;   ///< index into Trace::events
    std::uint32_t anomaly = Event::kNoRef; ///< index into Trace::anomalies
    std::uint8_t opcode = 0;
    std::uint16_t status = 0;
    Severity severity = Severity::Info;
    QString label; ///< drawn on the arrow ("GET /ws", "101 Switching Protocols", "text 42 B")
    QString note;  ///< drawn in the gutter (anomaly title, body preview), may be empty
    QColor colour;
    bool dashed = false; ///< non-101 answers to an upgrade, gaps
    bool bold = false;   ///< RST, 101
};

/// The rows of `conn`'s ladder in time order: events chosen by selectEvents(granularity), then
/// each anomaly placed right after the last event at or before its packet.
std::vector<TimelineItem> buildTimelineItems(const Trace& doc, ConnId conn,
                                             Granularity granularity);

/// The multi-line tooltip of an item (computed on hover only).
QString timelineTooltip(const Trace& doc, const TimelineItem& item);

} // namespace wst::ui
