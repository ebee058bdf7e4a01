// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QLabel;

namespace wst::ui {

class LiveCaptureController;
class MainWindow;
struct LiveCaptureSettings;

/// The live-capture glue of one window: the Start/Stop actions (MainWindow puts them in its
/// Capture menu and toolbar), the dialog, the refusal message and the status-bar counters (a
/// label MainWindow adds to its status bar). Owned by the window: MainWindow::liveCapture().
class LiveCaptureUi final : public QObject {
    Q_OBJECT
public:
    explicit LiveCaptureUi(MainWindow* window);

    LiveCaptureController* controller() const { return m_controller; }
    QAction* startAction() const { return m_start; }
    QAction* stopAction() const { return m_stop; }
    QLabel* statusLabel() const { return m_status; }

    /// Opens the live-capture dialog (window-modal, returns at once).
    void openDialog();
    /// Starts capturing with `settings`; on refusal shows the message box (and returns false).
    bool start(const LiveCaptureSettings& settings);
    /// The text of the last refusal shown, or "".
    QString lastRefusal() const { return m_lastRefusal; }

private:
    void updateStatus();

    MainWindow* m_window;
    LiveCaptureController* m_controller;
    QAction* m_start;
    QAction* m_stop;
    QLabel* m_status;
    QString m_lastRefusal;
};

} // namespace wst::ui
