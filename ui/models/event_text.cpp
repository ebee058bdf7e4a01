// SPDX-License-Identifier: MIT
#include "ui/models/event_text.h"

#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <algorithm>

namespace wst::ui {

namespace {
bool isControl(std::uint8_t opcode) {
    return opcode >= 0x8;
}

QString preview(const std::string& payload, std::size_t max = 96) {
    QString s = QString::fromUtf8(payload.data(),
                                  static_cast<qsizetype>(std::min(payload.size(), max * 4)));
    s.replace(QLatin1Char('\n'), QStringLiteral("⏎"));
    s.replace(QLatin1Char('\r'), QString());
    s.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (s.size() > static_cast<qsizetype>(max)) {
        s = s.left(static_cast<qsizetype>(max)) + QStringLiteral("…");
    }
    return s;
}
} // namespace

std::vector<std::uint32_t> selectEvents(const Trace& doc, ConnId conn, Granularity granularity) {
    const auto& index = doc.eventsOf(conn);
    bool hasCloseEvent[2] = {false, false};
    for (std::uint32_t i : index) {
        const Event& e = doc.events[i];
        if (e.kind == EventKind::WsClose) {
            hasCloseEvent[wst::index(e.direction)] = true;
        }
    }
    std::vector<std::uint32_t> out;
    out.reserve(index.size());
    for (std::size_t k = 0; k < index.size(); ++k) {
        const Event& e = doc.events[index[k]];
        const int d = wst::index(e.direction);
        bool keep = true;
        switch (e.kind) {
        case EventKind::Anomaly:
            keep = false;
            break;
        case EventKind::WsMessage:
            // Control "messages" duplicate their single frame; keep the frame instead.
            keep = granularity == Granularity::Messages &&
                   !(isControl(e.opcode) && k > 0 &&
                     doc.events[index[k - 1]].kind == EventKind::WsFrame &&
                     doc.events[index[k - 1]].packet == e.packet);
            break;
        case EventKind::WsFrame:
            if (granularity == Granularity::Messages) {
                keep = isControl(e.opcode);
            }
            if (e.opcode == 0x8 && hasCloseEvent[d]) {
                keep = false; // the WsClose event stands for it
            }
            break;
        default:
            break;
        }
        if (keep) {
            out.push_back(index[k]);
        }
    }
    // Issue 17: rows are placed at their event's time. A message's event is written when its
    // last frame arrives but stands at its first frame's time, so a ping sent between two
    // fragments comes first in capture order although it is later: order by time (stable, so
    // events of one instant keep their capture order).
    const auto earlier = [&doc](std::uint32_t a, std::uint32_t b) {
        return doc.events[a].time < doc.events[b].time;
    };
    if (!std::is_sorted(out.begin(), out.end(), earlier)) {
        std::stable_sort(out.begin(), out.end(), earlier);
    }
    return out;
}

FramePayload framePayload(const Trace& doc, std::uint32_t eventIndex) {
    FramePayload out;
    if (eventIndex >= doc.events.size()) {
        return out;
    }
    const Event& e = doc.events[eventIndex];
    out.length = e.length;
    out.opcode = e.opcode;
    if (const Message* m = doc.messageOf(e)) {
        out.message = m; // a message, or a control frame (its own message)
        out.wholeMessage = e.kind == EventKind::WsMessage;
        out.opcode = m->opcode;
        return out;
    }
    if (e.kind != EventKind::WsFrame || isControl(e.opcode)) {
        return out;
    }
    const auto& list = doc.eventsOf(e.connection);
    const auto at = std::lower_bound(list.begin(), list.end(), eventIndex);
    if (at == list.end() || *at != eventIndex) {
        return out;
    }
    const std::size_t pos = static_cast<std::size_t>(at - list.begin());
    // Back to the frame that started the message (its opcode is not a continuation), adding up
    // the payloads before this one (RFC 6455 §5.4: fragments of one message are not
    // interleaved with another data message in the same direction).
    if (e.opcode == 0x0) {
        std::size_t steps = 0;
        for (std::size_t k = pos; k-- > 0 && steps < kFrameSearchLimit; ++steps) {
            const Event& f = doc.events[list[k]];
            if (f.direction != e.direction || f.kind != EventKind::WsFrame || isControl(f.opcode)) {
                continue;
            }
            out.offset += f.length;
            ++out.index;
            if (f.opcode != 0x0) {
                out.opcode = f.opcode;
                break;
            }
        }
    }
    // Forward to the message event, which follows its last frame.
    std::size_t steps = 0;
    for (std::size_t k = pos + 1; k < list.size() && steps < kFrameSearchLimit; ++k, ++steps) {
        const Event& m = doc.events[list[k]];
        if (m.direction == e.direction && m.kind == EventKind::WsMessage && !isControl(m.opcode)) {
            out.message = doc.messageOf(m);
            break;
        }
    }
    if (out.message && out.message->compressed) {
        out.wholeMessage = true; // RFC 7692: inflated bytes do not split at frame boundaries
        out.offset = 0;
    }
    return out;
}

std::string_view framePayloadBytes(const FramePayload& p) {
    if (!p.message) {
        return {};
    }
    const std::string& all = p.message->payload;
    if (p.wholeMessage) {
        return all;
    }
    if (p.offset >= all.size()) {
        return {};
    }
    return std::string_view(all).substr(static_cast<std::size_t>(p.offset),
                                        static_cast<std::size_t>(p.length));
}

QString directionLabel(Direction d) {
    return d == Direction::ClientToServer ? QStringLiteral("C→S") : QStringLiteral("S→C");
}

const ResponseSummary* responseOf(const Connection& c, const Event& e) {
    for (const ResponseSummary& r : c.responses) {
        if (r.packet == e.packet && (e.status == 0 || r.status == e.status)) {
            return &r;
        }
    }
    for (const ResponseSummary& r : c.responses) {
        if (r.status == e.status) {
            return &r;
        }
    }
    return nullptr;
}

QString closeCodeName(std::uint16_t code) {
    switch (code) {
    case 1000:
        return QStringLiteral("normal closure");
    case 1001:
        return QStringLiteral("going away");
    case 1002:
        return QStringLiteral("protocol error");
    case 1003:
        return QStringLiteral("unsupported data");
    case 1005:
        return QStringLiteral("no status");
    case 1006:
        return QStringLiteral("abnormal closure");
    case 1007:
        return QStringLiteral("invalid payload data");
    case 1008:
        return QStringLiteral("policy violation");
    case 1009:
        return QStringLiteral("message too big");
    case 1010:
        return QStringLiteral("mandatory extension");
    case 1011:
        return QStringLiteral("internal error");
    case 1015:
        return QStringLiteral("TLS handshake");
    default:
        return {};
    }
}

QString eventTypeLabel(const Trace& doc, const Event& e) {
    switch (e.kind) {
    case EventKind::TcpSyn:
        return QStringLiteral("SYN");
    case EventKind::TcpSynAck:
        return QStringLiteral("SYN-ACK");
    case EventKind::TcpFin:
        return QStringLiteral("FIN");
    case EventKind::TcpRst:
        return QStringLiteral("RST");
    case EventKind::TcpGap:
        return QStringLiteral("gap");
    case EventKind::HttpRequest: {
        const Connection* c = doc.connection(e.connection);
        return c && c->request && !c->request->method.empty()
                   ? QString::fromStdString(c->request->method)
                   : QStringLiteral("request");
    }
    case EventKind::HttpResponse:
        return e.status ? QString::number(e.status) : QStringLiteral("response");
    case EventKind::Upgrade:
        return QStringLiteral("upgrade");
    case EventKind::WsFrame:
    case EventKind::WsMessage:
        return qs(opcodeName(e.opcode));
    case EventKind::WsClose:
        return QStringLiteral("close");
    case EventKind::Anomaly: {
        const Anomaly* a = doc.anomalyOf(e);
        return a ? qs(anomalyName(a->id)) : QStringLiteral("anomaly");
    }
    }
    return {};
}

QString frameFlagsLabel(const Event& e) {
    // Messages too (issue 17): FIN, and RSV1 for a compressed one (RFC 7692 §6).
    if (e.kind != EventKind::WsFrame && e.kind != EventKind::WsMessage) {
        return {};
    }
    QStringList f;
    if (e.frameFlags & frameflag::Fin) {
        f << QStringLiteral("FIN");
    }
    if (e.frameFlags & frameflag::Rsv1) {
        f << QStringLiteral("RSV1");
    }
    if (e.frameFlags & frameflag::Rsv2) {
        f << QStringLiteral("RSV2");
    }
    if (e.frameFlags & frameflag::Rsv3) {
        f << QStringLiteral("RSV3");
    }
    if (e.frameFlags & frameflag::Mask) {
        f << QStringLiteral("MASK");
    }
    return f.join(QLatin1Char(' '));
}

QString eventSummary(const Trace& doc, const Event& e, std::uint32_t eventIndex) {
    const Connection* c = doc.connection(e.connection);
    switch (e.kind) {
    case EventKind::TcpSyn:
        return QStringLiteral("TCP connection opened by the client");
    case EventKind::TcpSynAck:
        return QStringLiteral("TCP connection accepted by the server");
    case EventKind::TcpFin:
        return QStringLiteral("TCP FIN: no more data from the %1")
            .arg(e.direction == Direction::ClientToServer ? "client" : "server");
    case EventKind::TcpRst:
        return QStringLiteral("TCP RST: connection reset by the %1")
            .arg(e.direction == Direction::ClientToServer ? "client" : "server");
    case EventKind::TcpGap:
        return QStringLiteral("%1 missing from the capture").arg(formatBytes(e.length));
    case EventKind::HttpRequest:
        if (c && c->request) {
            return QStringLiteral("%1 %2 %3")
                .arg(QString::fromStdString(c->request->method),
                     QString::fromStdString(c->request->target),
                     QString::fromStdString(c->request->httpVersion));
        }
        return QStringLiteral("HTTP request");
    case EventKind::HttpResponse: {
        const ResponseSummary* r = c ? responseOf(*c, e) : nullptr;
        if (r) {
            QString s = QStringLiteral("%1 %2 %3")
                            .arg(QString::fromStdString(r->httpVersion))
                            .arg(r->status)
                            .arg(QString::fromStdString(r->reason));
            if (!r->bodyPrefix.empty()) {
                s += QStringLiteral("  ·  ") + preview(r->bodyPrefix, 60);
            }
            return s;
        }
        return QStringLiteral("HTTP %1").arg(e.status);
    }
    case EventKind::Upgrade:
        if (c && c->outcome == Outcome::Failed) {
            return qs(upgradeLabel(*c)); // only the server switched
        }
        return QStringLiteral("Both sides switched to WebSocket");
    case EventKind::WsFrame:
    case EventKind::WsMessage: {
        const Message* m = doc.messageOf(e);
        QString s = formatBytes(e.length);
        if (m && e.opcode == 0x1) {
            s += QStringLiteral("  ") + preview(m->payload);
        } else if (m && (e.opcode == 0x9 || e.opcode == 0xA) && !m->payload.empty()) {
            s += QStringLiteral("  ") + preview(m->payload, 40);
        } else if (!m && e.kind == EventKind::WsFrame && eventIndex < doc.events.size()) {
            // A data frame: its slice of the message (issue 17: frames mode had no preview).
            const FramePayload fp = framePayload(doc, eventIndex);
            if (fp.message && fp.opcode == 0x1) {
                s += QStringLiteral("  ") + preview(std::string(framePayloadBytes(fp)));
            }
        }
        if (m && m->compressed) {
            s += QStringLiteral("  (deflate, %1 on the wire)").arg(formatBytes(m->wireLength));
        }
        if (m && !m->complete) {
            s += QStringLiteral("  [incomplete]");
        }
        return s;
    }
    case EventKind::WsClose: {
        if (e.closeCode == 0) {
            return QStringLiteral("Close without status code");
        }
        QString s = QString::number(e.closeCode);
        const QString name = closeCodeName(e.closeCode);
        if (!name.isEmpty()) {
            s += QStringLiteral(" ") + name;
        }
        if (c) {
            const std::string& reason = c->stats[index(e.direction)].closeReason;
            if (!reason.empty()) {
                s += QStringLiteral(": \"%1\"").arg(preview(reason, 60));
            }
        }
        return s;
    }
    case EventKind::Anomaly: {
        const Anomaly* a = doc.anomalyOf(e);
        return a ? QString::fromStdString(a->detail) : QString();
    }
    }
    return {};
}

} // namespace wst::ui
