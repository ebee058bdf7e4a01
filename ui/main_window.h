// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

#include <QMainWindow>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;
class QToolBar;
class QToolButton;

namespace wst::logs {
struct ServerLogs;
}

namespace wst::ui {

class AnalyzeActions;
class AnomalyModel;
class AnomalyPanel;
class ConnectionFilterProxy;
class ConnectionListModel;
class ExportActions;
class FilterBar;
class FrameDetailView;
class FrameTableModel;
class HandshakePanel;
class LiveCaptureUi;
class OverviewView;
class PayloadView;
class ReplayBar;
class ReplayController;
class ServerLogPanel;
class SessionController;
class StatisticsView;
class StoryTracker;
class TimelineView;
class VerdictStrip;

/// The wstrace-gui window: connection list (with the verdict strip and the filter bar), overview
/// and statistics on the left; the selected connection's ladder on the right; its frames, the
/// anomaly panel, the handshake checks and the payload below. Loads run on SessionController's
/// worker; the window only wires selections together and shows progress and errors. It builds every
/// menu (File, View, Capture, Help), the Capture and Replay toolbars and the status bar itself, and
/// owns the live-capture, replay and export objects behind them.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Starts loading `path` (replacing what is shown) and remembers it in Recent Files. When
    /// `path` cannot be opened as a capture, the error is shown (lastError) and the capture
    /// shown, the window title and Recent Files stay as they were; returns false.
    bool openFile(const QString& path);
    /// File → Add Server Log… without the dialog: reads the log at `path` (logs::readLogFile),
    /// adds it to the logs already added to this capture, reconciles them with its connections
    /// and shows the result (Trace::serverLogs). False, with a warning (or only lastError when
    /// dialogs are off), when no finished capture is open or the file is not a log wstrace
    /// recognises; the capture stays as it is. Opening another capture drops the logs.
    bool addServerLog(const QString& path);
    /// Selects connection `id` in the list (clearing the filter if it hides it).
    void selectConnection(ConnId id);
    /// Jumps to anomaly `index`: its connection, its spot on the timeline, its frame.
    void jumpToAnomaly(quint32 index);
    /// When false, errors are only recorded (lastError) instead of shown in a dialog.
    void setDialogsEnabled(bool on) { m_dialogs = on; }
    QString lastError() const { return m_lastError; }
    ConnId selectedConnection() const { return m_selected; }

    /// File → Export, one action per format (filled by ExportActions).
    QMenu* exportMenu() const { return m_exportMenu; }
    /// Capture → Start/Stop, the live-capture dialog and its status-bar counters.
    LiveCaptureUi* liveCapture() const { return m_live; }
    /// File → Replay… and the Replay toolbar (hidden until a replay starts).
    ReplayController* replayController() const { return m_replay; }
    ReplayBar* replayBar() const { return m_replayBar; }
    ExportActions* exportActions() const { return m_exportActions; }

    SessionController* session() const { return m_session; }
    ConnectionListModel* connectionModel() const { return m_connections; }
    ConnectionFilterProxy* connectionProxy() const { return m_proxy; }
    FrameTableModel* frameModel() const { return m_frames; }
    AnomalyModel* anomalyModel() const { return m_anomalies; }
    QTableView* connectionTable() const { return m_connectionTable; }
    QTableView* frameTable() const { return m_frameTable; }
    TimelineView* timeline() const { return m_timeline; }
    HandshakePanel* handshakePanel() const { return m_handshake; }
    AnomalyPanel* anomalyPanel() const { return m_anomalyPanel; }
    PayloadView* payloadView() const { return m_payload; }
    /// The "Frame" tab: the selected frame's header fields and its bytes on the wire.
    FrameDetailView* frameDetail() const { return m_frameDetail; }
    /// Analyze menu (Follow Stream, Find, Go to Packet) and Help → Keyboard Shortcuts (F1).
    AnalyzeActions* analyzeActions() const { return m_analyze; }
    /// The "Server Log" tab: the selected connection's log entries, the capture's log story.
    ServerLogPanel* serverLogPanel() const { return m_serverLog; }
    /// File → Add Server Log… (enabled while a finished capture is shown).
    QAction* addServerLogAction() const { return m_addLogAction; }
    OverviewView* overview() const { return m_overview; }
    StatisticsView* statisticsView() const { return m_statistics; }
    FilterBar* filterBar() const { return m_filterBar; }
    /// The capture's story above the connection list, and what it reads.
    VerdictStrip* verdictStrip() const { return m_strip; }
    StoryTracker* story() const { return m_story; }
    /// Above the list while a filter or a verdict group hides rows: "0 of 1,000 connections
    /// shown" (hidden when every row is shown).
    QLabel* shownLabel() const { return m_shownLabel; }
    /// The status bar's counts: "… · 2 root causes (1 error, 1 warning) · 7 findings".
    QString countsText() const;
    QTabWidget* leftTabs() const { return m_leftTabs; }
    QTabWidget* detailTabs() const { return m_detailTabs; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildToolBars();
    void buildStatusBar();
    void openDialog();
    void openReplayDialog();
    void addServerLogDialog();
    void updateActions();
    void updateRecentMenu();
    void addRecent(const QString& path);
    void onLoadFinished(bool cancelled, const QString& error);
    void onConnectionChanged();
    void onFrameChanged();
    void showHandshake();
    void selectEvent(quint32 eventIndex);
    void updateStatus();
    void updateShown();
    void showError(const QString& title, const QString& text);
    /// Window geometry, toolbars, splitters and column widths, kept between runs (QSettings).
    void saveLayout() const;
    void restoreLayout();

    SessionController* m_session;
    ConnectionListModel* m_connections;
    ConnectionFilterProxy* m_proxy;
    FrameTableModel* m_frames;
    AnomalyModel* m_anomalies;
    StoryTracker* m_story;
    FilterBar* m_filterBar;
    VerdictStrip* m_strip;
    QTableView* m_connectionTable;
    QTableView* m_frameTable;
    TimelineView* m_timeline;
    HandshakePanel* m_handshake;
    AnomalyPanel* m_anomalyPanel;
    PayloadView* m_payload;
    FrameDetailView* m_frameDetail;
    AnalyzeActions* m_analyze = nullptr;
    ServerLogPanel* m_serverLog;
    OverviewView* m_overview;
    StatisticsView* m_statistics;
    QTabWidget* m_leftTabs;
    QTabWidget* m_detailTabs;
    QSplitter* m_mainSplit;
    QSplitter* m_topSplit;
    QSplitter* m_bottomSplit;
    LiveCaptureUi* m_live;
    ReplayController* m_replay;
    ReplayBar* m_replayBar;
    ExportActions* m_exportActions = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_replayAction = nullptr;
    QAction* m_addLogAction = nullptr;
    /// The logs added to the capture shown (File → Add Server Log…), null before the first.
    std::shared_ptr<const logs::ServerLogs> m_logs;
    QMenu* m_exportMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_captureMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QToolBar* m_captureBar = nullptr;
    QLabel* m_fileLabel;
    QLabel* m_shownLabel;
    QLabel* m_countsLabel;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QTimer* m_progressTimer;
    ConnId m_selected = 0;
    QString m_lastError;
    bool m_dialogs = true;
};

} // namespace wst::ui
