// SPDX-License-Identifier: MIT
#include "ui/models/follow_stream.h"

#include "decoder/model/format.h"
#include "ui/models/event_text.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <QStringDecoder>

namespace wst::ui {

namespace {
/// Payload bytes shown per frame; the rest is counted ("… 12 KiB more").
constexpr qsizetype kMaxShown = 4096;

} // namespace

QString hexDump(const QByteArray& bytes) {
    QString out;
    for (qsizetype off = 0; off < bytes.size(); off += 16) {
        out += QStringLiteral("%1  ").arg(off, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (off + i < bytes.size()) {
                const auto b = static_cast<unsigned char>(bytes[off + i]);
                out += QStringLiteral("%1 ").arg(b, 2, 16, QLatin1Char('0'));
                ascii += b >= 0x20 && b < 0x7f ? QChar(b) : QChar('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == 7) {
                out += QLatin1Char(' ');
            }
        }
        out += QStringLiteral(" |") + ascii + QStringLiteral("|\n");
    }
    return out;
}

namespace {

QString payloadText(const StreamChunk& c, bool hex) {
    const QByteArray shown = c.bytes.left(kMaxShown);
    QString s;
    if (hex || c.binary) {
        s = hexDump(shown);
        if (s.endsWith(QLatin1Char('\n'))) {
            s.chop(1);
        }
    } else {
        s = QString::fromUtf8(shown);
    }
    const std::uint64_t more =
        c.missing + static_cast<std::uint64_t>(c.bytes.size() - shown.size());
    if (more > 0) {
        s += QStringLiteral("%1… %2 more not kept").arg(s.isEmpty() ? "" : "\n", formatBytes(more));
    }
    return s;
}
} // namespace

QByteArray httpHeadBytes(const RequestSummary& r) {
    QByteArray out =
        QByteArray::fromStdString(r.method + " " + r.target + " " + r.httpVersion) + "\r\n";
    for (const Header& h : r.headers) {
        out += QByteArray::fromStdString(h.name + ": " + h.value) + "\r\n";
    }
    return out;
}

QByteArray httpHeadBytes(const ResponseSummary& r) {
    QByteArray out = QByteArray::fromStdString(r.httpVersion) + ' ' + QByteArray::number(r.status) +
                     ' ' + QByteArray::fromStdString(r.reason) + "\r\n";
    for (const Header& h : r.headers) {
        out += QByteArray::fromStdString(h.name + ": " + h.value) + "\r\n";
    }
    if (!r.bodyPrefix.empty()) {
        out += "\r\n" + QByteArray::fromStdString(r.bodyPrefix);
    }
    return out;
}

bool looksLikeText(const QByteArray& bytes) {
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString s = utf8.decode(bytes);
    if (utf8.hasError()) {
        return false;
    }
    for (QChar ch : s) {
        if (ch.unicode() < 0x20 && ch != QLatin1Char('\t') && ch != QLatin1Char('\n') &&
            ch != QLatin1Char('\r')) {
            return false;
        }
    }
    return true;
}

std::vector<StreamChunk> followStream(const Trace& doc, ConnId conn) {
    std::vector<StreamChunk> out;
    const Connection* c = doc.connection(conn);
    if (!c) {
        return out;
    }
    for (std::uint32_t i : selectEvents(doc, conn, Granularity::Frames)) {
        const Event& e = doc.events[i];
        StreamChunk k;
        k.direction = e.direction;
        k.packet = e.packet;
        k.time = e.time;
        k.event = i;
        switch (e.kind) {
        case EventKind::HttpRequest:
            if (!c->request) {
                continue;
            }
            k.title = QStringLiteral("HTTP request");
            k.bytes = httpHeadBytes(*c->request);
            break;
        case EventKind::HttpResponse: {
            const ResponseSummary* r = responseOf(*c, e);
            if (!r) {
                continue;
            }
            k.title = QStringLiteral("HTTP response %1").arg(r->status);
            k.bytes = httpHeadBytes(*r);
            break;
        }
        case EventKind::WsFrame: {
            k.kind = StreamChunk::Kind::Frame;
            const FramePayload fp = framePayload(doc, i);
            const std::string_view bytes = framePayloadBytes(fp);
            k.bytes = QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size()));
            const QString flags = frameFlagsLabel(e);
            k.title = QStringLiteral("%1%2 %3").arg(
                qs(opcodeName(e.opcode)), flags.isEmpty() ? QString() : QStringLiteral(" ") + flags,
                formatBytes(e.length));
            if (fp.wholeMessage) {
                k.title += QStringLiteral(" (the whole message, inflated)");
                k.missing = fp.message ? fp.message->length - k.bytes.size() : 0;
            } else {
                k.missing = e.length > static_cast<std::uint64_t>(k.bytes.size())
                                ? e.length - static_cast<std::uint64_t>(k.bytes.size())
                                : 0;
            }
            const std::uint8_t op = fp.opcode;
            k.binary = op == 0x2 || (op != 0x1 && !looksLikeText(k.bytes));
            break;
        }
        case EventKind::WsMessage: // not selected in frames mode; a message has its frames
            continue;
        case EventKind::WsClose: {
            k.kind = StreamChunk::Kind::Frame;
            k.title = QStringLiteral("close ") + eventSummary(doc, e, i);
            break;
        }
        case EventKind::TcpGap:
            k.kind = StreamChunk::Kind::Gap;
            k.title = eventSummary(doc, e, i);
            break;
        case EventKind::TcpFin:
        case EventKind::TcpRst:
            k.kind = StreamChunk::Kind::TcpEnd;
            k.title = eventTypeLabel(doc, e);
            break;
        default:
            continue; // SYN, SYN-ACK, the upgrade divider: no bytes of their own
        }
        out.push_back(std::move(k));
    }
    return out;
}

QString followStreamText(const std::vector<StreamChunk>& chunks, bool hex) {
    QString out;
    for (const StreamChunk& c : chunks) {
        const QString who = directionLabel(c.direction);
        switch (c.kind) {
        case StreamChunk::Kind::HttpHead:
            out += QStringLiteral("%1 #%2 %3\n%4\n")
                       .arg(who)
                       .arg(c.packet)
                       .arg(c.title, hex ? hexDump(c.bytes) : QString::fromUtf8(c.bytes));
            break;
        case StreamChunk::Kind::Frame: {
            const QString payload = payloadText(c, hex);
            out += QStringLiteral("%1 #%2 [%3]%4\n")
                       .arg(who)
                       .arg(c.packet)
                       .arg(c.title, payload.isEmpty() ? QString()
                                     : payload.contains(QLatin1Char('\n'))
                                         ? QStringLiteral("\n") + payload
                                         : QStringLiteral(" ") + payload);
            break;
        }
        case StreamChunk::Kind::Gap:
        case StreamChunk::Kind::TcpEnd:
            out += QStringLiteral("%1 #%2 (%3)\n").arg(who).arg(c.packet).arg(c.title);
            break;
        }
    }
    return out;
}

QString followStreamHtml(const std::vector<StreamChunk>& chunks, bool hex) {
    // Wireshark's Follow TCP Stream colours: client red on pink, server blue on light blue.
    const QString clientStyle = QStringLiteral("color:#7f0000;background:#fbeded;");
    const QString serverStyle = QStringLiteral("color:#00007f;background:#ededfb;");
    QString html = QStringLiteral("<pre style='margin:0'>");
    for (const StreamChunk& c : chunks) {
        const QString style = c.direction == Direction::ClientToServer ? clientStyle : serverStyle;
        const QString where = QStringLiteral("<span style='color:#808080'>%1 #%2</span> ")
                                  .arg(directionLabel(c.direction))
                                  .arg(c.packet);
        switch (c.kind) {
        case StreamChunk::Kind::HttpHead:
            html += where + QStringLiteral("<span style='color:#808080'>%1</span>\n").arg(c.title);
            html += QStringLiteral("<span style='%1'>%2</span>\n")
                        .arg(style,
                             (hex ? hexDump(c.bytes) : QString::fromUtf8(c.bytes)).toHtmlEscaped());
            break;
        case StreamChunk::Kind::Frame: {
            const QString payload = payloadText(c, hex);
            html += where + QStringLiteral("<span style='%1'><b>[%2]</b>%3</span>\n")
                                .arg(style, c.title.toHtmlEscaped(),
                                     payload.isEmpty() ? QString()
                                     : payload.contains(QLatin1Char('\n'))
                                         ? QStringLiteral("\n") + payload.toHtmlEscaped()
                                         : QStringLiteral(" ") + payload.toHtmlEscaped());
            break;
        }
        case StreamChunk::Kind::Gap:
        case StreamChunk::Kind::TcpEnd:
            html += where +
                    QStringLiteral("<span style='color:%1'>(%2)</span>\n")
                        .arg(c.kind == StreamChunk::Kind::Gap || c.title == QStringLiteral("RST")
                                 ? palette::error().name()
                                 : palette::tcp().name(),
                             c.title.toHtmlEscaped());
            break;
        }
    }
    html += QStringLiteral("</pre>");
    return html;
}

} // namespace wst::ui
