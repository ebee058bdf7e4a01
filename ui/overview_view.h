// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/timeline_geometry.h"

#include <QAbstractScrollArea>

class QAbstractItemModel;

namespace wst::ui {

class SessionController;

/// All connections at once, a row each in the order of the (filtered, sorted) connection list:
/// a thin lifetime bar from first to last packet, a thick handshake bar from request to
/// response coloured by outcome, a Close tick, and anomaly markers at their time. Only the
/// visible rows are painted, so it stays fluid with tens of thousands of connections.
/// Ctrl+wheel zooms the time axis around the cursor; a click selects the connection.
class OverviewView final : public QAbstractScrollArea {
    Q_OBJECT
public:
    /// `rows` is the connection list as shown (rows carry ConnIdRole = Qt::UserRole + 2).
    OverviewView(const SessionController* session, QAbstractItemModel* rows,
                 QWidget* parent = nullptr);

    void setCurrentConnection(ConnId id);
    /// Rows painted by the last paint (for tests: it stays small however many rows there are).
    int lastPaintedRows() const { return m_lastPainted; }
    int rowHeight() const { return m_rowHeight; }

signals:
    void connectionClicked(quint32 id);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;

private:
    void relayout();
    ConnId connectionAtRow(int row) const;
    double labelWidth() const { return 210; }

    const SessionController* m_session;
    QAbstractItemModel* m_rows;
    TimelineGeometry m_geometry;
    ConnId m_current = 0;
    int m_rowHeight = 18;
    int m_lastPainted = 0;
    static constexpr int kAxisHeight = 24;
};

} // namespace wst::ui
