// SPDX-License-Identifier: MIT
#include "ui/models/timeline_items.h"

#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <algorithm>

namespace wst::ui {

namespace {
TimelineItem itemForEvent(const Trace& doc, const Connection& c, std::uint32_t index) {
    const Event& e = doc.events[index];
    TimelineItem it;
    it.kind = e.kind;
    it.direction = e.direction;
    it.time = e.time;
    it.packet = e.packet;
    it.event = index;
    it.opcode = e.opcode;
    it.status = e.status;
    it.colour = palette::tcp();
    switch (e.kind) {
    case EventKind::TcpSyn:
    case EventKind::TcpSynAck:
    case EventKind::TcpFin:
        it.label = eventTypeLabel(doc, e);
        break;
    case EventKind::TcpRst:
        it.label = QStringLiteral("RST");
        it.colour = palette::error();
        it.bold = true;
        break;
    case EventKind::TcpGap:
        it.shape = TimelineItem::Shape::Gap;
        it.label = QStringLiteral("%1 missing").arg(formatBytes(e.length));
        it.colour = palette::error();
        it.dashed = true;
        break;
    case EventKind::HttpRequest:
        it.colour = palette::http();
        it.label = c.request
                       ? QStringLiteral("%1 %2").arg(qs(c.request->method), qs(c.request->target))
                       : QStringLiteral("HTTP request");
        break;
    case EventKind::HttpResponse: {
        const ResponseSummary* r = responseOf(c, e);
        it.label = r ? QStringLiteral("%1 %2").arg(r->status).arg(qs(r->reason))
                     : QStringLiteral("HTTP %1").arg(e.status);
        const bool upgradeAsked = c.request && c.request->isUpgrade;
        if (e.status == 101) {
            it.colour = palette::upgraded();
            it.bold = true;
        } else {
            it.colour = upgradeAsked ? palette::refused() : palette::http();
            it.dashed = upgradeAsked;
        }
        if (r && !r->bodyPrefix.empty()) {
            QString body = qs(r->bodyPrefix).simplified();
            if (body.size() > 60) {
                body = body.left(60) + QStringLiteral("…");
            }
            it.note = QStringLiteral("body: ") + body;
        }
        break;
    }
    case EventKind::Upgrade:
        it.shape = TimelineItem::Shape::Divider;
        it.label = qs(upgradeLabel(c));
        it.colour = palette::upgraded();
        it.dashed = true;
        break;
    case EventKind::WsFrame:
    case EventKind::WsMessage: {
        it.colour = palette::forOpcode(e.opcode);
        it.label = QStringLiteral("%1  %2").arg(qs(opcodeName(e.opcode)), formatBytes(e.length));
        if (e.kind == EventKind::WsFrame && !(e.frameFlags & frameflag::Fin)) {
            it.label += QStringLiteral("  (no FIN)");
        }
        if (const Message* m = doc.messageOf(e); m && e.opcode == 0x1 && !m->payload.empty()) {
            QString text = QString::fromUtf8(m->payload.data(),
                                             static_cast<qsizetype>(
                                                 std::min<std::size_t>(m->payload.size(), 240)))
                               .simplified();
            if (text.size() > 80) {
                text = text.left(80) + QStringLiteral("…");
            }
            it.note = text;
        }
        if (e.opcode == 0x8) {
            it.label =
                e.closeCode ? QStringLiteral("Close %1").arg(e.closeCode) : QStringLiteral("Close");
            // Issue 17: only a failing Close stands out; 1000 is the normal end.
            it.colour = palette::forCloseCode(e.closeCode);
            it.bold = !palette::isNormalClose(e.closeCode);
        }
        break;
    }
    case EventKind::WsClose: {
        it.colour = palette::forCloseCode(e.closeCode);
        it.bold = !palette::isNormalClose(e.closeCode);
        it.label =
            e.closeCode ? QStringLiteral("Close %1").arg(e.closeCode) : QStringLiteral("Close");
        const QString name = closeCodeName(e.closeCode);
        if (!name.isEmpty()) {
            it.label += QStringLiteral(" ") + name;
        }
        break;
    }
    case EventKind::Anomaly:
        break;
    }
    return it;
}

TimelineItem itemForAnomaly(const Trace& doc, std::uint32_t index) {
    const Anomaly& a = doc.anomalies[index];
    const AnomalyInfo& info = anomalyInfo(a.id);
    TimelineItem it;
    it.shape = TimelineItem::Shape::Anomaly;
    it.kind = EventKind::Anomaly;
    it.time = a.time;
    it.packet = a.packet;
    it.anomaly = index;
    it.severity = info.severity;
    it.colour = palette::forSeverity(info.severity);
    it.direction = a.direction.value_or(Direction::ClientToServer);
    it.bothLanes = !a.direction.has_value();
    it.label = qs(info.name);
    it.note = qs(info.title);
    return it;
}
} // namespace

std::vector<TimelineItem> buildTimelineItems(const Trace& doc, ConnId conn,
                                             Granularity granularity) {
    std::vector<TimelineItem> items;
    const Connection* c = doc.connection(conn);
    if (!c) {
        return items;
    }
    const std::vector<std::uint32_t> events = selectEvents(doc, conn, granularity);
    const auto& anomalies = doc.anomaliesOf(conn);
    items.reserve(events.size() + anomalies.size());
    std::vector<TimelineItem> marks;
    marks.reserve(anomalies.size());
    for (std::uint32_t i : anomalies) {
        marks.push_back(itemForAnomaly(doc, i));
    }
    // Anomalies follow the last event at or before their packet (or time, without a packet).
    std::stable_sort(marks.begin(), marks.end(), [](const TimelineItem& a, const TimelineItem& b) {
        return a.packet != b.packet ? a.packet < b.packet : a.time < b.time;
    });
    std::size_t m = 0;
    auto placeBefore = [&](const Event* next) {
        while (m < marks.size() && (!next || (marks[m].packet != 0 ? marks[m].packet < next->packet
                                                                   : marks[m].time < next->time))) {
            items.push_back(marks[m++]);
        }
    };
    for (std::uint32_t i : events) {
        placeBefore(&doc.events[i]);
        items.push_back(itemForEvent(doc, *c, i));
    }
    placeBefore(nullptr);
    return items;
}

QString timelineTooltip(const Trace& doc, const TimelineItem& item) {
    QString tip;
    if (item.shape == TimelineItem::Shape::Anomaly) {
        const Anomaly& a = doc.anomalies[item.anomaly];
        const AnomalyInfo& info = anomalyInfo(a.id);
        tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                  .arg(qsHtml(info.title), qsHtml(info.name), severityLabel(info.severity));
        if (!a.detail.empty()) {
            tip += QStringLiteral("<br><tt>%1</tt>").arg(qsHtml(a.detail));
        }
        tip += QStringLiteral("<br>%1").arg(qsHtml(info.explanation));
    } else if (item.event != Event::kNoRef) {
        const Event& e = doc.events[item.event];
        tip = QStringLiteral("<b>%1</b> %2<br>%3")
                  .arg(eventTypeLabel(doc, e).toHtmlEscaped(), directionLabel(e.direction),
                       eventSummary(doc, e, item.event).toHtmlEscaped());
        const QString flags = frameFlagsLabel(e);
        if (!flags.isEmpty()) {
            tip += QStringLiteral("<br>flags: %1").arg(flags);
        }
    }
    const Connection* c =
        doc.connection(item.event != Event::kNoRef ? doc.events[item.event].connection
                                                   : doc.anomalies[item.anomaly].connection);
    if (c) {
        tip += QStringLiteral("<br>+%1").arg(qs(formatDuration(item.time - c->first)));
    }
    if (item.packet) {
        tip += QStringLiteral(" · packet %1").arg(item.packet);
    }
    return tip;
}

} // namespace wst::ui
