// SPDX-License-Identifier: MIT
#include "ui/timeline_view.h"

#include "decoder/export/log_fields.h"
#include "decoder/logs/reconcile.h"
#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace wst::ui {

namespace {
constexpr double kSkew = 9.0;    ///< arrows slope down by this much: direction at a glance
constexpr double kTopPad = 18.0; ///< room between the lane titles and the first row
constexpr double kBottomPad = 36.0;
constexpr double kHitSlop = 9.0;
constexpr double kLogMarkDx = 11.0; ///< log marks sit this far right of the server lane
constexpr double kLogMarkSize = 4.5;
constexpr double kLogMarkStep = 10.0; ///< entries at the same time, side by side

/// A log entry's mark: a diamond, so it is not read as an anomaly's triangle or circle.
void drawLogMarker(QPainter& p, QPointF c, const QColor& colour) {
    p.save();
    p.setPen(QPen(colour.darker(150), 1.0));
    p.setBrush(colour);
    const QPointF pts[4] = {c + QPointF(0, -kLogMarkSize), c + QPointF(kLogMarkSize, 0),
                            c + QPointF(0, kLogMarkSize), c + QPointF(-kLogMarkSize, 0)};
    p.drawPolygon(pts, 4);
    p.restore();
}

void drawArrowHead(QPainter& p, QPointF from, QPointF to, double size) {
    const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
    const QPointF a = to - QPointF(std::cos(angle - 0.45) * size, std::sin(angle - 0.45) * size);
    const QPointF b = to - QPointF(std::cos(angle + 0.45) * size, std::sin(angle + 0.45) * size);
    QPainterPath head;
    head.moveTo(to);
    head.lineTo(a);
    head.lineTo(b);
    head.closeSubpath();
    p.fillPath(head, p.pen().color());
}

/// Triangle for warnings and errors, circle for info: the shape carries the severity too.
void drawSeverityMarker(QPainter& p, QPointF c, Severity s, const QColor& colour) {
    p.save();
    p.setPen(QPen(colour.darker(140), 1.0));
    p.setBrush(colour);
    if (s == Severity::Info) {
        p.drawEllipse(c, 5.5, 5.5);
    } else {
        const QPointF pts[3] = {c + QPointF(0, -7), c + QPointF(7, 5.5), c + QPointF(-7, 5.5)};
        p.drawPolygon(pts, 3);
        p.setPen(QPen(Qt::white, 1.6));
        p.drawLine(c + QPointF(0, -3), c + QPointF(0, 1.5));
        p.drawPoint(c + QPointF(0, 3.6));
    }
    p.restore();
}
} // namespace

TimelineView::TimelineView(const SessionController* session, QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_session(session) {
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(420, 200);
    connect(session, &SessionController::reset, this, [this] {
        m_connection = 0;
        rebuild();
    });
    connect(session, &SessionController::batchApplied, this, &TimelineView::onBatch);
    connect(session, &SessionController::serverLogsChanged, this, [this] {
        rebuildLogMarks();
        viewport()->update();
    });
}

void TimelineView::rebuildLogMarks() {
    m_logMarks.clear();
    const std::shared_ptr<const logs::ServerLogReport>& report = m_session->document().serverLogs;
    if (!report || m_connection == 0) {
        return;
    }
    const Connection* c = m_session->document().connection(m_connection);
    for (std::uint32_t i : report->matchesOf(m_connection)) {
        const logs::LogMatch& m = report->matches[i];
        if (!m.timeNs) {
            continue;
        }
        // timeNs starts the interval the log's resolution leaves (a whole second for gin and
        // nginx): within it, the mark goes where the connection ended (gin logs a request when
        // its handler returns), so a second-resolution line is not drawn a second early.
        const logs::LogLine& e = report->logs->entries[m.entry];
        // An entry without a time of its own (gin's debug warnings) has its neighbour's.
        const std::int64_t precision =
            e.time ? std::max<std::int64_t>(e.time->precisionNs, 1) : 1'000'000'000;
        std::int64_t at = *m.timeNs;
        if (c && precision > 1) {
            at = std::clamp(c->last.ns, *m.timeNs, *m.timeNs + precision - 1);
        }
        QString tip = QStringLiteral("<b>Server log</b> — %1<br><tt>%2</tt>")
                          .arg(qsHtml(logs::describe(m.mark)), qsHtml(logMatchLine(*report, m)));
        if (precision >= 1'000'000'000) {
            tip += QStringLiteral("<br><i>The log gives this time to the second: drawn where the "
                                  "connection ends within it.</i>");
        }
        m_logMarks.push_back({Timestamp{at}, m.mark, tip});
    }
}

std::vector<QPointF> TimelineView::logMarkCentres(const TimelineGeometry& g, double topY,
                                                  const LaneLayout& lanes) const {
    // At its time beside the server lane; marks that would overlap (a write, its warning and
    // the access line logged in the same millisecond) move right, side by side.
    std::vector<QPointF> out;
    out.reserve(m_logMarks.size());
    for (const LogMarkItem& m : m_logMarks) {
        const double y = topY + g.timeToPos(m.time);
        double x = lanes.serverX + kLogMarkDx;
        for (int column = 0; column < 6; ++column) {
            const bool taken = std::any_of(out.begin(), out.end(), [&](const QPointF& c) {
                return std::abs(c.x() - x) < 1 && std::abs(c.y() - y) < 2 * kLogMarkSize + 1;
            });
            if (!taken) {
                break;
            }
            x += kLogMarkStep;
        }
        out.emplace_back(x, y);
    }
    return out;
}

QPoint TimelineView::logMarkPos(int i) const {
    const std::vector<QPointF> c =
        logMarkCentres(m_geometry, top(), LaneLayout::forWidth(viewport()->width()));
    return c[static_cast<std::size_t>(i)].toPoint();
}

int TimelineView::logMarkAt(QPoint pos) const {
    if (pos.y() < LaneLayout::kHeaderHeight) {
        return -1;
    }
    const std::vector<QPointF> centres =
        logMarkCentres(m_geometry, top(), LaneLayout::forWidth(viewport()->width()));
    for (int i = static_cast<int>(centres.size()) - 1; i >= 0; --i) { // the one drawn on top
        const QPointF c = centres[static_cast<std::size_t>(i)];
        if (std::abs(pos.x() - c.x()) <= kLogMarkSize + 2 &&
            std::abs(pos.y() - c.y()) <= kLogMarkSize + 2) {
            return i;
        }
    }
    return -1;
}

void TimelineView::setConnection(ConnId id) {
    if (id == m_connection) {
        return;
    }
    m_connection = id;
    m_geometry = {};
    verticalScrollBar()->setValue(0);
    rebuild();
}

void TimelineView::setGranularity(Granularity g) {
    if (g == m_granularity) {
        return;
    }
    m_granularity = g;
    rebuild();
}

void TimelineView::onBatch(const TraceDelta& delta) {
    if (m_connection != 0 &&
        std::binary_search(delta.connectionsWithNewEvents.begin(),
                           delta.connectionsWithNewEvents.end(), m_connection)) {
        rebuild();
    }
}

void TimelineView::rebuild() {
    const std::uint32_t selectedEvent =
        m_selected >= 0 && m_selected < static_cast<int>(m_items.size())
            ? m_items[static_cast<std::size_t>(m_selected)].event
            : Event::kNoRef;
    const std::uint32_t selectedAnomaly =
        m_selected >= 0 && m_selected < static_cast<int>(m_items.size())
            ? m_items[static_cast<std::size_t>(m_selected)].anomaly
            : Event::kNoRef;
    m_items = buildTimelineItems(m_session->document(), m_connection, m_granularity);
    std::vector<Timestamp> times;
    times.reserve(m_items.size());
    for (const TimelineItem& it : m_items) {
        times.push_back(it.time);
    }
    const double zoom = m_geometry.zoom();
    m_geometry = TimelineGeometry::spaced(times);
    m_geometry.setZoom(zoom);
    m_selected = -1;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        if ((selectedEvent != Event::kNoRef && m_items[i].event == selectedEvent) ||
            (selectedAnomaly != Event::kNoRef && m_items[i].anomaly == selectedAnomaly)) {
            m_selected = static_cast<int>(i);
        }
    }
    rebuildLogMarks();
    updateScrollBars();
    viewport()->update();
}

double TimelineView::top() const {
    return LaneLayout::kHeaderHeight + kTopPad;
}

void TimelineView::updateScrollBars() {
    const double content = top() + m_geometry.contentLength() + kBottomPad;
    const int page = viewport()->height();
    QScrollBar* bar = verticalScrollBar();
    bar->setPageStep(page);
    bar->setSingleStep(22);
    bar->setRange(0, std::max(0, static_cast<int>(std::ceil(content)) - page));
    m_geometry.setOffset(bar->value());
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TimelineView::scrollContentsBy(int, int) {
    m_geometry.setOffset(verticalScrollBar()->value());
    viewport()->update();
}

void TimelineView::zoomBy(double factor) {
    const double anchor = viewport()->height() / 2.0 - top();
    m_geometry.zoomAt(factor, anchor);
    const double wanted = m_geometry.offset();
    updateScrollBars();
    verticalScrollBar()->setValue(static_cast<int>(std::lround(wanted)));
    m_geometry.setOffset(verticalScrollBar()->value());
    viewport()->update();
}

void TimelineView::resetZoom() {
    m_geometry.setZoom(1.0);
    updateScrollBars();
    viewport()->update();
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        const double anchor = event->position().y() - top();
        m_geometry.zoomAt(std::pow(1.25, steps), anchor);
        const double wanted = m_geometry.offset();
        updateScrollBars();
        verticalScrollBar()->setValue(static_cast<int>(std::lround(wanted)));
        m_geometry.setOffset(verticalScrollBar()->value());
        viewport()->update();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

int TimelineView::itemY(int i) const {
    return static_cast<int>(std::lround(top() + m_geometry.slotPos(static_cast<std::size_t>(i))));
}

int TimelineView::itemAt(QPoint pos) const {
    if (m_items.empty() || pos.y() < LaneLayout::kHeaderHeight) {
        return -1;
    }
    const std::ptrdiff_t slot = m_geometry.slotAt(pos.y() - top() - kSkew / 2);
    if (slot < 0) {
        return -1;
    }
    const double y = top() + m_geometry.slotPos(static_cast<std::size_t>(slot));
    return std::abs(pos.y() - (y + kSkew / 2)) <= kHitSlop + kSkew / 2 ? static_cast<int>(slot)
                                                                       : -1;
}

void TimelineView::ensureVisible(int item) {
    if (item < 0) {
        return;
    }
    const int y = itemY(item);
    const int h = viewport()->height();
    if (y < top() || y > h - 40) {
        QScrollBar* bar = verticalScrollBar();
        bar->setValue(bar->value() + y - h / 3);
        m_geometry.setOffset(bar->value());
    }
}

void TimelineView::selectEvent(std::uint32_t eventIndex) {
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        if (m_items[i].event == eventIndex) {
            m_selected = static_cast<int>(i);
            ensureVisible(m_selected);
            viewport()->update();
            return;
        }
    }
}

void TimelineView::selectAnomaly(std::uint32_t anomalyIndex) {
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        if (m_items[i].anomaly == anomalyIndex) {
            m_selected = static_cast<int>(i);
            ensureVisible(m_selected);
            viewport()->update();
            return;
        }
    }
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        m_pressPos = event->position().toPoint();
        m_pressScroll = verticalScrollBar()->value();
        m_dragging = false;
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) {
        const int dy = event->position().toPoint().y() - m_pressPos.y();
        if (m_dragging || std::abs(dy) > 4) {
            m_dragging = true;
            viewport()->setCursor(Qt::ClosedHandCursor);
            verticalScrollBar()->setValue(m_pressScroll - dy);
        }
        return;
    }
    viewport()->setCursor(itemAt(event->position().toPoint()) >= 0 ? Qt::PointingHandCursor
                                                                   : Qt::ArrowCursor);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        return;
    }
    viewport()->unsetCursor();
    if (m_dragging) {
        m_dragging = false;
        return;
    }
    const int i = itemAt(event->position().toPoint());
    if (i < 0) {
        return;
    }
    activate(i);
}

void TimelineView::activate(int i) {
    m_selected = i;
    viewport()->update();
    const TimelineItem& it = m_items[static_cast<std::size_t>(i)];
    if (it.event != Event::kNoRef) {
        emit eventClicked(it.event);
    } else if (it.anomaly != Event::kNoRef) {
        emit anomalyClicked(it.anomaly);
    }
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    const int last = static_cast<int>(m_items.size()) - 1;
    int target = -1;
    switch (event->key()) {
    case Qt::Key_Down:
        target = std::min(last, m_selected + 1);
        break;
    case Qt::Key_Up:
        target = std::max(0, m_selected - 1);
        break;
    case Qt::Key_Home:
        target = 0;
        break;
    case Qt::Key_End:
        target = last;
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    if (target >= 0 && last >= 0) {
        activate(target);
        ensureVisible(target);
    }
    event->accept();
}

bool TimelineView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int mark = logMarkAt(help->pos());
        if (mark >= 0) {
            QToolTip::showText(help->globalPos(),
                               m_logMarks[static_cast<std::size_t>(mark)].tooltip, viewport());
            return true;
        }
        const int i = itemAt(help->pos());
        if (i >= 0) {
            QToolTip::showText(
                help->globalPos(),
                timelineTooltip(m_session->document(), m_items[static_cast<std::size_t>(i)]),
                viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QSize TimelineView::exportSize() const {
    return {std::max(viewport()->width(), 760),
            static_cast<int>(std::ceil(top() + m_geometry.contentLength() + kBottomPad))};
}

void TimelineView::renderTo(QPainter& painter, const QRect& target) const {
    TimelineGeometry g = m_geometry;
    g.setOffset(0);
    const double room = target.height() - top() - kBottomPad;
    if (g.contentLength() > room && room > 0) {
        g.setZoom(g.zoom() * room / g.contentLength());
        g.setOffset(0);
    }
    painter.save();
    painter.translate(target.topLeft());
    painter.setClipRect(QRect(QPoint(0, 0), target.size()));
    paintLadder(painter, QRectF(QPointF(0, 0), QSizeF(target.size())), g, top());
    painter.restore();
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    paintLadder(p, QRectF(viewport()->rect()), m_geometry, top());
}

void TimelineView::paintLadder(QPainter& p, const QRectF& area, const TimelineGeometry& g,
                               double topY) const {
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const QPalette pal = palette();
    p.fillRect(area, pal.color(QPalette::Base));
    const Trace& doc = m_session->document();
    const Connection* c = doc.connection(m_connection);
    if (!c) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter,
                   QStringLiteral("Select a connection to see its timeline"));
        return;
    }
    const LaneLayout lanes = LaneLayout::forWidth(area.width());
    const QColor grid = pal.color(QPalette::Mid);

    // Lanes.
    p.setPen(QPen(grid, 2.0));
    p.drawLine(QPointF(lanes.clientX, lanes.headerHeight), QPointF(lanes.clientX, area.height()));
    p.drawLine(QPointF(lanes.serverX, lanes.headerHeight), QPointF(lanes.serverX, area.height()));

    // Visible rows only.
    std::ptrdiff_t first = g.slotAt(-topY - 40);
    if (first < 0) {
        first = 0;
    }
    const QFont baseFont = font();
    QFont small = baseFont;
    small.setPointSizeF(baseFont.pointSizeF() * 0.85);
    const QFontMetricsF smallFm(small);
    double lastAxisLabel = -1e9;
    // The rows on screen, and which of them keep their text at this zoom (issue 17).
    std::vector<std::size_t> rows;
    std::vector<double> ys;
    std::vector<bool> priority;
    for (std::size_t i = static_cast<std::size_t>(first); i < m_items.size(); ++i) {
        const double y = topY + g.slotPos(i);
        if (y > area.height() + 20) {
            break;
        }
        if (y < lanes.headerHeight - 20) {
            continue;
        }
        rows.push_back(i);
        ys.push_back(y);
        priority.push_back(m_items[i].shape == TimelineItem::Shape::Anomaly ||
                           static_cast<int>(i) == m_selected);
    }
    const std::vector<bool> labelled =
        thinLabels(ys, priority, QFontMetricsF(baseFont).height() + 2);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const std::size_t i = rows[k];
        const double y = ys[k];
        const TimelineItem& it = m_items[i];
        if (static_cast<int>(i) == m_selected) {
            QColor band = pal.color(QPalette::Highlight);
            band.setAlpha(48);
            p.fillRect(QRectF(0, y - 11, area.width(), 22 + kSkew), band);
        }
        // Time axis: capture-relative time, skipped where labels would overlap.
        if (y - lastAxisLabel >= smallFm.height()) {
            p.setFont(small);
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRectF(4, y - smallFm.height() / 2, lanes.axisRight - 12, smallFm.height()),
                       Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("+") + qs(formatDuration(it.time - c->first)));
            if (it.packet) {
                p.drawText(QRectF(lanes.packetLeft, y - smallFm.height() / 2,
                                  lanes.kPacketWidth - 8, smallFm.height()),
                           Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("#%1").arg(it.packet));
            }
            lastAxisLabel = y;
        }
        p.setFont(baseFont);
        paintItem(p, it, y, lanes, labelled[k]);
    }

    // The server's log entries at their time, beside the server lane.
    const std::vector<QPointF> centres = logMarkCentres(g, topY, lanes);
    for (std::size_t i = 0; i < m_logMarks.size(); ++i) {
        const QPointF at = centres[i];
        if (at.y() < lanes.headerHeight - 10 || at.y() > area.height() + 10) {
            continue;
        }
        drawLogMarker(p, at, palette::forLogMark(m_logMarks[i].mark));
    }

    // Lane titles stay on top while scrolling.
    p.fillRect(QRectF(0, 0, area.width(), lanes.headerHeight), pal.color(QPalette::Window));
    p.setPen(QPen(grid, 1.0));
    p.drawLine(QPointF(0, lanes.headerHeight), QPointF(area.width(), lanes.headerHeight));
    QFont bold = baseFont;
    bold.setBold(true);
    const QFontMetricsF boldFm(bold);
    auto title = [&](double x, const QString& name, const QString& endpoint) {
        const double w =
            std::max(boldFm.horizontalAdvance(name), smallFm.horizontalAdvance(endpoint)) + 20;
        const QRectF box(x - w / 2, 4, w, lanes.headerHeight - 8);
        p.setPen(QPen(grid, 1.0));
        p.setBrush(pal.color(QPalette::Base));
        p.drawRoundedRect(box, 5, 5);
        p.setPen(pal.color(QPalette::Text));
        p.setFont(bold);
        p.drawText(box.adjusted(0, 2, 0, -box.height() / 2), Qt::AlignCenter, name);
        p.setFont(small);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(box.adjusted(0, box.height() / 2 - 2, 0, -2), Qt::AlignCenter, endpoint);
    };
    QString server = QStringLiteral("Server");
    if (!c->responses.empty() && !c->responses.back().fingerprint.empty()) {
        server +=
            QStringLiteral(" (%1)").arg(QString::fromStdString(c->responses.back().fingerprint));
    }
    title(lanes.clientX, QStringLiteral("Client"), QString::fromStdString(c->client.toString()));
    title(lanes.serverX, server, QString::fromStdString(c->server.toString()));
    p.setFont(small);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(4, 4, lanes.axisRight - 12, lanes.headerHeight - 8),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("time"));
    p.drawText(QRectF(lanes.packetLeft, 4, lanes.kPacketWidth - 8, lanes.headerHeight - 8),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("packet"));
    p.setFont(baseFont);
}

void TimelineView::paintItem(QPainter& p, const TimelineItem& it, double y, const LaneLayout& lanes,
                             bool withText) const {
    const QPalette pal = palette();
    const double fromX = it.direction == Direction::ClientToServer ? lanes.clientX : lanes.serverX;
    const double toX = it.direction == Direction::ClientToServer ? lanes.serverX : lanes.clientX;
    const QFontMetricsF fm(p.font());
    const double laneGap = lanes.serverX - lanes.clientX;
    switch (it.shape) {
    case TimelineItem::Shape::Arrow: {
        QPen pen(it.colour, it.bold ? 2.4 : 1.5);
        if (it.dashed) {
            pen.setStyle(Qt::DashLine);
        }
        p.setPen(pen);
        const QPointF a(fromX, y), b(toX, y + kSkew);
        p.drawLine(a, b - QPointF(toX > fromX ? 3 : -3, 0));
        p.setPen(QPen(it.colour, 1));
        drawArrowHead(p, a, b, 9);
        if (!withText) {
            break;
        }
        QFont f = p.font();
        f.setBold(it.bold);
        p.setFont(f);
        const QString text = QFontMetricsF(f).elidedText(it.label, Qt::ElideRight, laneGap - 24);
        p.setPen(it.colour.darker(
            it.kind == EventKind::WsFrame || it.kind == EventKind::WsMessage ? 135 : 110));
        p.drawText(QRectF(lanes.clientX + 12, y - fm.height() - 1, laneGap - 24, fm.height()),
                   Qt::AlignCenter, text);
        f.setBold(false);
        p.setFont(f);
        if (!it.note.isEmpty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(
                QRectF(lanes.notesLeft, y - fm.height() / 2 + kSkew / 2,
                       lanes.packetLeft - lanes.notesLeft - 8, fm.height()),
                Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(it.note, Qt::ElideRight, lanes.packetLeft - lanes.notesLeft - 8));
        }
        break;
    }
    case TimelineItem::Shape::Divider: {
        QPen pen(it.colour, 1.2, Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(lanes.clientX - 24, y + kSkew / 2),
                   QPointF(lanes.serverX + 24, y + kSkew / 2));
        if (!withText) {
            break;
        }
        const double w = fm.horizontalAdvance(it.label) + 18;
        const QRectF pill((lanes.clientX + lanes.serverX) / 2 - w / 2,
                          y + kSkew / 2 - fm.height() / 2 - 2, w, fm.height() + 4);
        p.setBrush(pal.color(QPalette::Base));
        p.setPen(QPen(it.colour, 1.2));
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        p.setPen(it.colour.darker(130));
        p.drawText(pill, Qt::AlignCenter, it.label);
        p.setBrush(Qt::NoBrush);
        break;
    }
    case TimelineItem::Shape::Gap: {
        // A zig-zag break on the sender's lane.
        QPainterPath zig;
        zig.moveTo(fromX, y - 6);
        for (int k = 0; k < 4; ++k) {
            zig.lineTo(fromX + (k % 2 ? -5 : 5), y - 3 + k * 4);
        }
        zig.lineTo(fromX, y + 13);
        p.setPen(QPen(it.colour, 2));
        p.drawPath(zig);
        if (!withText) {
            break;
        }
        p.drawText(QRectF(lanes.clientX + 12, y - fm.height() / 2, laneGap - 24, fm.height()),
                   Qt::AlignCenter, it.label);
        break;
    }
    case TimelineItem::Shape::Anomaly: {
        const double my = y + kSkew / 2;
        const bool serverSide = !it.bothLanes && it.direction == Direction::ServerToClient;
        const double mx = serverSide ? lanes.serverX : lanes.clientX;
        if (it.bothLanes) {
            QColor line = it.colour;
            line.setAlpha(140);
            p.setPen(QPen(line, 1, Qt::DotLine));
            p.drawLine(QPointF(lanes.clientX, my), QPointF(lanes.serverX, my));
        }
        drawSeverityMarker(p, QPointF(mx, my), it.severity, it.colour);
        if (!withText) {
            break;
        }
        QFont f = p.font();
        f.setBold(true);
        p.setFont(f);
        const QFontMetricsF bfm(f);
        // Server-side marks write towards the client lane, others towards the gutter.
        const QRectF room = serverSide ? QRectF(lanes.axisRight + 4, my - bfm.height() / 2,
                                                lanes.serverX - lanes.axisRight - 18, bfm.height())
                                       : QRectF(mx + 14, my - bfm.height() / 2,
                                                lanes.packetLeft - mx - 22, bfm.height());
        // "id — title" when it fits, else the title alone (the tooltip has both).
        QString full = QStringLiteral("%1 — %2").arg(it.label, it.note);
        if (bfm.horizontalAdvance(full) > room.width()) {
            full = it.note;
        }
        const QString text = bfm.elidedText(full, Qt::ElideRight, room.width());
        const double tw = bfm.horizontalAdvance(text);
        const QRectF box = serverSide ? QRectF(room.right() - tw, room.top(), tw, room.height())
                                      : QRectF(room.left(), room.top(), tw, room.height());
        p.fillRect(box.adjusted(-4, -1, 4, 1), pal.color(QPalette::Base));
        p.setPen(it.colour.darker(125));
        p.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, text);
        f.setBold(false);
        p.setFont(f);
        break;
    }
    }
}

} // namespace wst::ui
