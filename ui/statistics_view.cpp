// SPDX-License-Identifier: MIT
#include "ui/statistics_view.h"

#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QPainter>
#include <QPainterPath>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace wst::ui {

StatisticsView::StatisticsView(const SessionController* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    m_timer->setInterval(400);
    connect(m_timer, &QTimer::timeout, this, &StatisticsView::recompute);
    auto dirty = [this] {
        m_dirty = true;
        if (isVisible() && !m_timer->isActive()) {
            m_timer->start();
        }
    };
    connect(session, &SessionController::reset, this, dirty);
    connect(session, &SessionController::batchApplied, this, dirty);
    connect(session, &SessionController::loadFinished, this, [this] { recompute(); });
    setMinimumSize(360, 260);
}

void StatisticsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_dirty) {
        recompute();
    }
}

void StatisticsView::recompute() {
    m_stats = computeStatistics(m_session->document());
    m_dirty = false;
    update();
}

void StatisticsView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    renderTo(p, rect());
}

void StatisticsView::renderTo(QPainter& p, const QRect& target) const {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(target, palette().color(QPalette::Base));
    const double w = target.width() / 2.0, h = target.height() / 2.0;
    const QPointF o = target.topLeft();
    paintChart(p, QRectF(o.x(), o.y(), w, h), QStringLiteral("Handshake latency (connections)"),
               m_stats.latency, palette::text(), false);
    paintChart(p, QRectF(o.x() + w, o.y(), w, h), QStringLiteral("Outcomes (connections)"),
               m_stats.outcomes, palette::upgraded(), false);
    paintChart(p, QRectF(o.x(), o.y() + h, w, h), QStringLiteral("Close codes (Close frames)"),
               m_stats.closeCodes, palette::close(), false);
    paintChart(
        p, QRectF(o.x() + w, o.y() + h, w, h),
        QStringLiteral("Messages per second (bins of %1)")
            .arg(qs(formatDuration(static_cast<std::int64_t>(m_stats.rateBinSeconds * 1e9)))),
        m_stats.messagesPerSec, palette::binary(), true);
    p.restore();
}

void StatisticsView::paintChart(QPainter& p, const QRectF& r, const QString& title,
                                const std::vector<StatBar>& bars, const QColor& colour,
                                bool line) const {
    const QPalette pal = palette();
    const QRectF box = r.adjusted(10, 10, -10, -10);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(box, 6, 6);
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    const QFontMetricsF fm(font());
    p.drawText(box.adjusted(10, 6, -10, 0), Qt::AlignTop | Qt::AlignLeft, title);
    p.setFont(font());
    const QRectF plot = box.adjusted(48, fm.height() + 16, -14, -fm.height() - 14);
    if (plot.width() < 20 || plot.height() < 20) {
        return;
    }
    double max = 0;
    for (const StatBar& b : bars) {
        max = std::max(max, b.value);
    }
    if (bars.empty() || max <= 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot, Qt::AlignCenter, QStringLiteral("no data"));
        return;
    }
    // A "nice" top for the y axis.
    const double mag = std::pow(10.0, std::floor(std::log10(max)));
    double top = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (mag * m >= max) {
            top = mag * m;
            break;
        }
    }
    p.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DotLine));
    for (int k = 0; k <= 4; ++k) {
        const double y = plot.bottom() - plot.height() * k / 4;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.save();
        p.setPen(pal.color(QPalette::PlaceholderText));
        const double v = top * k / 4;
        p.drawText(QRectF(box.left(), y - fm.height() / 2, 44, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter,
                   v >= 100 || v == std::floor(v) ? QString::number(v, 'f', 0)
                                                  : QString::number(v, 'g', 3));
        p.restore();
    }
    const double slot = plot.width() / static_cast<double>(bars.size());
    const int labelEvery = std::max(
        1, static_cast<int>(std::ceil(fm.horizontalAdvance(QStringLiteral("+00.0 ms")) / slot)));
    if (line) {
        QPainterPath path;
        for (std::size_t i = 0; i < bars.size(); ++i) {
            const QPointF pt(plot.left() + slot * (static_cast<double>(i) + 0.5),
                             plot.bottom() - plot.height() * bars[i].value / top);
            i == 0 ? path.moveTo(pt) : path.lineTo(pt);
        }
        QPainterPath area = path;
        area.lineTo(plot.left() + slot * (static_cast<double>(bars.size()) - 0.5), plot.bottom());
        area.lineTo(plot.left() + slot * 0.5, plot.bottom());
        area.closeSubpath();
        QColor fill = colour;
        fill.setAlpha(60);
        p.fillPath(area, fill);
        p.setPen(QPen(colour, 2));
        p.drawPath(path);
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double x = plot.left() + slot * static_cast<double>(i);
        if (!line) {
            const double bh = plot.height() * bars[i].value / top;
            p.setPen(Qt::NoPen);
            p.setBrush(bars[i].colour.isValid() ? bars[i].colour : colour);
            p.drawRoundedRect(QRectF(x + slot * 0.15, plot.bottom() - bh, slot * 0.7, bh), 2, 2);
            if (bars[i].value > 0) {
                p.setPen(pal.color(QPalette::Text));
                p.drawText(QRectF(x, plot.bottom() - bh - fm.height() - 1, slot, fm.height()),
                           Qt::AlignCenter, QString::number(bars[i].value, 'g', 6));
            }
        }
        if (static_cast<int>(i) % labelEvery == 0) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRectF(x - slot * (labelEvery - 1) / 2.0, plot.bottom() + 3,
                              slot * labelEvery, fm.height()),
                       Qt::AlignCenter,
                       fm.elidedText(bars[i].label, Qt::ElideRight, slot * labelEvery));
        }
    }
    p.setPen(QPen(pal.color(QPalette::Dark), 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
}

} // namespace wst::ui
