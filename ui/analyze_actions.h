// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <QObject>
#include <QString>

class QAction;
class QMenu;

namespace wst::ui {

class FollowStreamDialog;
class MainWindow;

/// What a Wireshark or DevTools user reaches for (issue 17): the Analyze menu (Follow Stream,
/// Find, Find Next, Go to Packet) and Help → Keyboard Shortcuts and Anomalies (F1). Each action
/// only asks for its input and calls the functions below, which tests call directly.
class AnalyzeActions final : public QObject {
    Q_OBJECT
public:
    /// Adds the Analyze menu before `window`'s Help menu, and the F1 entry to `help`.
    AnalyzeActions(MainWindow* window, QMenu* help);

    /// Opens Follow Stream for the selected connection (non-modal); null when none is selected.
    FollowStreamDialog* followStream();
    /// Selects the connection and frame-table row of packet `packet`; false when no connection
    /// has it.
    bool goToPacket(PacketNumber packet);
    /// Finds `text` (case-insensitive) after the selected connection, wrapping: first in the
    /// list's columns (addresses, host, path, status, outcome, verdict), then in the message
    /// payloads the trace kept; selects the connection (and the message's row). False when
    /// nothing matches.
    bool find(const QString& text);
    QString lastFind() const { return m_lastFind; }
    /// The F1 page: every shortcut of the window's menus, then the anomaly catalog.
    QString helpHtml() const;

    QAction* followAction() const { return m_follow; }
    QAction* findAction() const { return m_find; }
    QAction* goToAction() const { return m_goTo; }
    QAction* helpAction() const { return m_help; }

private:
    MainWindow* m_window;
    QAction* m_follow;
    QAction* m_find;
    QAction* m_findNext;
    QAction* m_goTo;
    QAction* m_help;
    QString m_lastFind;
};

} // namespace wst::ui
