// SPDX-License-Identifier: MIT
#pragma once

#include "ui/models/timeline_geometry.h"
#include "ui/models/timeline_items.h"

#include <QAbstractScrollArea>
#include <QPointF>
#include <QString>

class QPainter;

namespace wst {
struct TraceDelta;
namespace logs {
enum class LogMark : std::uint8_t;
}
} // namespace wst

namespace wst::ui {

class SessionController;

/// The selected connection as a ladder diagram: client and server lanes, time downwards, one
/// row per event (TimelineGeometry's spaced scale), arrows coloured by opcode, anomalies in the
/// notes gutter. Ctrl+wheel zooms around the cursor, wheel and drag pan, hover shows a tooltip,
/// a click selects the event (eventClicked) or the anomaly (anomalyClicked); Up/Down/Home/End
/// move the selection row by row.
/// Painting only reads TimelineItem values and the geometry; renderTo() draws the same picture
/// into any QPainter (QImage for PNG, QSvgGenerator for SVG).
class TimelineView final : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit TimelineView(const SessionController* session, QWidget* parent = nullptr);

    void setConnection(ConnId id);
    ConnId connection() const { return m_connection; }
    void setGranularity(Granularity g);

    const std::vector<TimelineItem>& items() const { return m_items; }
    const TimelineGeometry& geometry() const { return m_geometry; }

    /// Highlights the row of document event `eventIndex` and scrolls it into view.
    void selectEvent(std::uint32_t eventIndex);
    /// Highlights the row of document anomaly `anomalyIndex` and scrolls it into view.
    void selectAnomaly(std::uint32_t anomalyIndex);
    /// The highlighted item, or -1.
    int selectedItem() const { return m_selected; }
    /// The item drawn at viewport point `p`, or -1.
    int itemAt(QPoint viewportPos) const;
    /// Viewport y of item `i`'s row (tests click there).
    int itemY(int i) const;

    /// A server-log entry of the connection drawn on the ladder at its time (beside the server
    /// lane, coloured by its mark), from Trace::serverLogs.
    struct LogMarkItem {
        Timestamp time;
        logs::LogMark mark;
        QString tooltip; ///< the entry line and its mark (logMatchLine)
    };
    const std::vector<LogMarkItem>& logMarks() const { return m_logMarks; }
    /// Viewport point of log mark `i` (tests hover there).
    QPoint logMarkPos(int i) const;
    /// The log mark drawn at viewport point `p`, or -1.
    int logMarkAt(QPoint viewportPos) const;

    /// Size that shows the whole ladder at the current zoom (for export).
    QSize exportSize() const;
    /// Draws the whole ladder into `target`: the zoom is reduced if needed so every row fits.
    void renderTo(QPainter& painter, const QRect& target) const;

    void zoomBy(double factor);
    void resetZoom();

signals:
    void eventClicked(quint32 eventIndex);
    void anomalyClicked(quint32 anomalyIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;

private:
    void rebuild();
    void rebuildLogMarks();
    /// Where each of m_logMarks is drawn (viewport or export coordinates).
    std::vector<QPointF> logMarkCentres(const TimelineGeometry& g, double topY,
                                        const LaneLayout& lanes) const;
    void onBatch(const TraceDelta& delta);
    void updateScrollBars();
    void ensureVisible(int item);
    void activate(int item);
    void paintLadder(QPainter& p, const QRectF& area, const TimelineGeometry& g, double top) const;
    /// Draws one row; `withText` false draws only its arrow or marker (thinLabels).
    void paintItem(QPainter& p, const TimelineItem& it, double y, const LaneLayout& lanes,
                   bool withText = true) const;
    double top() const;

    const SessionController* m_session;
    ConnId m_connection = 0;
    Granularity m_granularity = Granularity::Messages;
    std::vector<TimelineItem> m_items;
    std::vector<LogMarkItem> m_logMarks;
    TimelineGeometry m_geometry;
    int m_selected = -1;
    QPoint m_pressPos;
    int m_pressScroll = 0;
    bool m_dragging = false;
};

} // namespace wst::ui
