// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QSplitter;
class QTreeWidget;

namespace wst::ui {

class SessionController;

/// The "Server Log" tab beside the anomaly, handshake and payload panes: the server's own lines
/// for the selected connection (decoder/logs/reconcile.h), one row each with where it is, the
/// entry, its mark (contradicts red, log only amber, reached the wire green), how sure the match
/// is and why; above them the capture's story of log against wire (the story lines, the files,
/// the clock), and with no connection selected the table by path. With no log added it says how
/// to add one. It only shows the report in the document (Trace::serverLogs).
class ServerLogPanel final : public QWidget {
    Q_OBJECT
public:
    explicit ServerLogPanel(const SessionController* session, QWidget* parent = nullptr);

    void setConnection(ConnId id);
    /// The entries listed for the selected connection (tests read them).
    QTreeWidget* entries() const { return m_entries; }
    /// The capture-level story above them ("" with no log).
    QString storyText() const;
    /// The table by path (shown when no connection is selected).
    QString pathTableText() const;
    /// The hint shown when no log was added, else "".
    QString hintText() const;

    static constexpr int kWhereColumn = 0;
    static constexpr int kEntryColumn = 1;
    static constexpr int kMarkColumn = 2;
    static constexpr int kCertaintyColumn = 3;
    static constexpr int kReasonColumn = 4;

private:
    void refresh();

    const SessionController* m_session;
    ConnId m_connection = 0;
    QLabel* m_hint;
    QLabel* m_story;
    QScrollArea* m_storyScroll = nullptr;
    QSplitter* m_split = nullptr;
    QTreeWidget* m_entries;
    QLabel* m_paths;
};

} // namespace wst::ui
