// SPDX-License-Identifier: MIT
#include "ui/overview_view.h"

#include "decoder/model/format.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QAbstractItemModel>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

namespace wst::ui {

OverviewView::OverviewView(const SessionController* session, QAbstractItemModel* rows,
                           QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_session(session)
    , m_rows(rows) {
    m_rowHeight = std::max(18, fontMetrics().height() + 4);
    setMouseTracking(true);
    auto later = [this] { relayout(); };
    connect(rows, &QAbstractItemModel::rowsInserted, this, later);
    connect(rows, &QAbstractItemModel::rowsRemoved, this, later);
    connect(rows, &QAbstractItemModel::modelReset, this, later);
    connect(rows, &QAbstractItemModel::layoutChanged, this, later);
    connect(rows, &QAbstractItemModel::dataChanged, viewport(), [this] { viewport()->update(); });
    relayout();
}

void OverviewView::setCurrentConnection(ConnId id) {
    m_current = id;
    viewport()->update();
}

ConnId OverviewView::connectionAtRow(int row) const {
    return m_rows->index(row, 0).data(ConnectionListModel::ConnIdRole).toUInt();
}

void OverviewView::relayout() {
    const Trace& doc = m_session->document();
    Timestamp first{0}, last{0};
    bool any = false;
    for (const Connection& c : doc.connections) {
        if (c.first.ns == 0 && c.last.ns == 0) {
            continue;
        }
        if (!any || c.first < first) {
            first = c.first;
        }
        if (!any || c.last > last) {
            last = c.last;
        }
        any = true;
    }
    const double zoom = m_geometry.zoom();
    const double offset = m_geometry.offset();
    const double width = std::max(100.0, viewport()->width() - labelWidth() - 16);
    m_geometry = TimelineGeometry::linear(first, last, width);
    m_geometry.setZoom(zoom);
    m_geometry.setOffset(offset);
    const int rows = m_rows->rowCount();
    verticalScrollBar()->setRange(
        0, std::max(0, rows * m_rowHeight + kAxisHeight - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(m_rowHeight);
    horizontalScrollBar()->setRange(
        0, std::max(0, static_cast<int>(m_geometry.contentLength() - width)));
    horizontalScrollBar()->setPageStep(static_cast<int>(width));
    viewport()->update();
}

void OverviewView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    relayout();
}

void OverviewView::scrollContentsBy(int, int) {
    m_geometry.setOffset(horizontalScrollBar()->value());
    viewport()->update();
}

void OverviewView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const double anchor = event->position().x() - labelWidth();
        m_geometry.zoomAt(std::pow(1.25, event->angleDelta().y() / 120.0), anchor);
        const double wanted = m_geometry.offset();
        relayout();
        horizontalScrollBar()->setValue(static_cast<int>(std::lround(wanted)));
        m_geometry.setOffset(horizontalScrollBar()->value());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void OverviewView::mouseReleaseEvent(QMouseEvent* event) {
    const int y =
        static_cast<int>(event->position().y()) - kAxisHeight + verticalScrollBar()->value();
    if (y < 0 || event->button() != Qt::LeftButton) {
        return;
    }
    const int row = y / m_rowHeight;
    if (row < m_rows->rowCount()) {
        m_current = connectionAtRow(row);
        viewport()->update();
        emit connectionClicked(m_current);
    }
}

bool OverviewView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int y = help->pos().y() - kAxisHeight + verticalScrollBar()->value();
        const int row = y / m_rowHeight;
        if (y >= 0 && row < m_rows->rowCount()) {
            const QModelIndex i = m_rows->index(row, 0);
            const Connection* c = m_session->document().connection(connectionAtRow(row));
            if (c) {
                QString tip =
                    QStringLiteral("<b>#%1</b> %2 → %3<br>%4 · %5")
                        .arg(c->id)
                        .arg(QString::fromStdString(c->client.toString()),
                             QString::fromStdString(c->server.toString()), outcomeLabel(c->outcome),
                             qs(formatDuration(c->last - c->first)));
                const QString anomalies = m_rows->index(row, ConnectionListModel::AnomaliesColumn)
                                              .data(Qt::ToolTipRole)
                                              .toString();
                if (!anomalies.isEmpty()) {
                    tip += QStringLiteral("<br>") + anomalies.toHtmlEscaped().replace(
                                                        QLatin1Char('\n'), QStringLiteral("<br>"));
                }
                QToolTip::showText(help->globalPos(), tip, viewport());
                (void)i;
                return true;
            }
        }
        QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void OverviewView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    const Trace& doc = m_session->document();
    const int rows = m_rows->rowCount();
    const int scroll = verticalScrollBar()->value();
    const int firstRow = std::max(0, scroll / m_rowHeight);
    const int lastRow = std::min(rows - 1, (scroll + viewport()->height()) / m_rowHeight);
    const double x0 = labelWidth();
    const double right = viewport()->width() - 8;
    m_lastPainted = 0;
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    for (int row = firstRow; row <= lastRow; ++row) {
        const double y = kAxisHeight + row * m_rowHeight - scroll;
        const ConnId id = connectionAtRow(row);
        const Connection* c = doc.connection(id);
        if (!c) {
            continue;
        }
        ++m_lastPainted;
        if (id == m_current) {
            QColor band = pal.color(QPalette::Highlight);
            band.setAlpha(60);
            p.fillRect(QRectF(0, y, viewport()->width(), m_rowHeight), band);
        } else if (row % 2) {
            p.fillRect(QRectF(0, y, viewport()->width(), m_rowHeight),
                       pal.color(QPalette::AlternateBase));
        }
        const QString label = QStringLiteral("#%1  %2").arg(id).arg(
            c->request ? QString::fromStdString(c->request->host + c->request->target)
                       : QString::fromStdString(c->server.toString()));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(6, y, x0 - 12, m_rowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(label, Qt::ElideRight, static_cast<int>(x0 - 12)));
        p.save();
        p.setClipRect(QRectF(x0, y, right - x0, m_rowHeight));
        const double mid = y + m_rowHeight / 2.0;
        // Lifetime.
        const double a = x0 + m_geometry.timeToPos(c->first);
        const double b = std::max(a + 2, x0 + m_geometry.timeToPos(c->last));
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::Mid));
        p.drawRoundedRect(QRectF(a, mid - 2, b - a, 4), 2, 2);
        // Handshake: request to the last response head.
        if (c->request && !c->responses.empty()) {
            const double h0 = x0 + m_geometry.timeToPos(c->request->time);
            const double h1 = std::max(h0 + 3, x0 + m_geometry.timeToPos(c->responses.back().time));
            p.setBrush(palette::forOutcome(c->outcome));
            p.drawRoundedRect(QRectF(h0, mid - 5, h1 - h0, 10), 2, 2);
        }
        // Close frames.
        for (const DirectionStats& s : c->stats) {
            if (s.sentClose) {
                const double x = x0 + m_geometry.timeToPos(s.closeTime);
                p.setPen(QPen(palette::close(), 2));
                p.drawLine(QPointF(x, mid - 6), QPointF(x, mid + 6));
            }
        }
        // Anomalies (at most a few dozen per row: markers would merge anyway).
        const auto& anomalies = doc.anomaliesOf(id);
        const std::size_t step = std::max<std::size_t>(1, anomalies.size() / 32);
        for (std::size_t k = 0; k < anomalies.size(); k += step) {
            const Anomaly& an = doc.anomalies[anomalies[k]];
            const double x = x0 + m_geometry.timeToPos(an.time);
            const QColor colour = palette::forSeverity(an.severity());
            p.setPen(QPen(colour.darker(140), 0.8));
            p.setBrush(colour);
            const QPointF pts[3] = {{x, mid - 7}, {x + 5, mid + 2}, {x - 5, mid + 2}};
            p.drawPolygon(pts, 3);
        }
        p.restore();
    }
    // Time axis.
    p.fillRect(QRectF(0, 0, viewport()->width(), kAxisHeight), pal.color(QPalette::Window));
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(0, kAxisHeight - 0.5), QPointF(viewport()->width(), kAxisHeight - 0.5));
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(6, 0, x0 - 12, kAxisHeight), Qt::AlignVCenter | Qt::AlignLeft,
               QStringLiteral("%1 connections").arg(rows));
    const Timestamp t0 = m_geometry.posToTime(0 - m_geometry.offset());
    const int ticks = std::max(2, static_cast<int>((right - x0) / 110));
    for (int k = 0; k <= ticks; ++k) {
        const double x = x0 + (right - x0) * k / ticks;
        const Timestamp t = m_geometry.posToTime(x - x0);
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(QPointF(x, kAxisHeight - 5), QPointF(x, kAxisHeight));
        p.setPen(pal.color(QPalette::PlaceholderText));
        // The outer labels lean inwards so they are never cut at the edges.
        const QRectF box = k == 0       ? QRectF(x, 2, 100, kAxisHeight - 6)
                           : k == ticks ? QRectF(x - 100, 2, 100, kAxisHeight - 6)
                                        : QRectF(x - 50, 2, 100, kAxisHeight - 6);
        const Qt::Alignment align = k == 0       ? Qt::AlignLeft | Qt::AlignVCenter
                                    : k == ticks ? Qt::AlignRight | Qt::AlignVCenter
                                                 : Qt::AlignCenter;
        p.drawText(box, align, QStringLiteral("+") + qs(formatDuration(t - t0)));
    }
    if (rows == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect(), Qt::AlignCenter, QStringLiteral("No connections"));
    }
}

} // namespace wst::ui
