// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/statistics.h"

#include <QWidget>

class QTimer;

namespace wst::ui {

class SessionController;

/// Four plots painted with QPainter: handshake latency histogram, outcomes, close codes and
/// messages per second. Recomputed at most a few times a second while a capture loads.
class StatisticsView final : public QWidget {
    Q_OBJECT
public:
    explicit StatisticsView(const SessionController* session, QWidget* parent = nullptr);

    const CaptureStatistics& statistics() const { return m_stats; }
    /// Paints the four plots into `target` (also used for export).
    void renderTo(QPainter& painter, const QRect& target) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void recompute();
    void paintChart(QPainter& p, const QRectF& r, const QString& title,
                    const std::vector<StatBar>& bars, const QColor& colour, bool line) const;

    const SessionController* m_session;
    CaptureStatistics m_stats;
    QTimer* m_timer;
    bool m_dirty = true;
};

} // namespace wst::ui
