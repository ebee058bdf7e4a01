// SPDX-License-Identifier: MIT
#include "ui/analyze_actions.h"

#include "ui/follow_stream_dialog.h"
#include "ui/main_window.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <cctype>
#include <limits>

namespace wst::ui {

AnalyzeActions::AnalyzeActions(MainWindow* window, QMenu* help)
    : QObject(window)
    , m_window(window) {
    setObjectName(QStringLiteral("analyzeActions"));
    auto* menu = new QMenu(QStringLiteral("&Analyze"), window);
    menu->setObjectName(QStringLiteral("analyzeMenu"));
    window->menuBar()->insertMenu(help->menuAction(), menu);
    // Wireshark's shortcuts, so the habit carries over.
    m_follow = menu->addAction(QStringLiteral("&Follow Stream…"), this, [this] { followStream(); });
    m_follow->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::SHIFT | Qt::Key_T));
    m_follow->setToolTip(QStringLiteral("The selected connection's bytes as the peers exchanged "
                                        "them: HTTP heads, then one line per frame"));
    menu->addSeparator();
    m_find = menu->addAction(QStringLiteral("&Find…"), this, [this] {
        bool ok = false;
        const QString text =
            QInputDialog::getText(m_window, QStringLiteral("Find"),
                                  QStringLiteral("Text in the connection list or the payloads:"),
                                  QLineEdit::Normal, m_lastFind, &ok);
        if (ok && !text.isEmpty()) {
            find(text);
        }
    });
    m_find->setShortcut(QKeySequence::Find);
    m_findNext = menu->addAction(QStringLiteral("Find &Next"), this, [this] {
        if (!m_lastFind.isEmpty()) {
            find(m_lastFind);
        }
    });
    m_findNext->setShortcut(QKeySequence::FindNext);
    m_goTo = menu->addAction(QStringLiteral("&Go to Packet…"), this, [this] {
        bool ok = false;
        const int n = QInputDialog::getInt(m_window, QStringLiteral("Go to Packet"),
                                           QStringLiteral("Packet number:"), 1, 1,
                                           std::numeric_limits<int>::max(), 1, &ok);
        if (ok) {
            goToPacket(static_cast<PacketNumber>(n));
        }
    });
    m_goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));

    m_help = new QAction(QStringLiteral("&Keyboard Shortcuts and Anomalies"), this);
    m_help->setShortcut(QKeySequence::HelpContents);
    const QList<QAction*> existing = help->actions();
    help->insertAction(existing.isEmpty() ? nullptr : existing.first(), m_help);
    connect(m_help, &QAction::triggered, this, [this] {
        auto* dialog = new QDialog(m_window);
        dialog->setObjectName(QStringLiteral("helpDialog"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(QStringLiteral("wstrace — keyboard and anomalies"));
        auto* view = new QTextBrowser(dialog);
        view->setHtml(helpHtml());
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(view, 1);
        layout->addWidget(buttons);
        dialog->resize(820, 680);
        dialog->show();
    });
}

FollowStreamDialog* AnalyzeActions::followStream() {
    const ConnId id = m_window->selectedConnection();
    if (id == 0) {
        m_window->statusBar()->showMessage(QStringLiteral("Select a connection to follow."), 5000);
        return nullptr;
    }
    auto* dialog = new FollowStreamDialog(m_window->session()->document(), id, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

bool AnalyzeActions::goToPacket(PacketNumber packet) {
    const Trace& doc = m_window->session()->document();
    // A message's event carries its first packet but is written at its last, so packet
    // numbers are not sorted: one pass (a few ms on the 1 GB load test's 1.8 M events).
    ConnId conn = 0;
    for (std::size_t i = 0; i < doc.events.size() && conn == 0; ++i) {
        if (doc.events[i].packet == packet) {
            conn = doc.events[i].connection;
        }
    }
    if (conn == 0) {
        m_window->statusBar()->showMessage(
            QStringLiteral("Packet %1 carries no TCP connection wstrace follows.").arg(packet),
            5000);
        return false;
    }
    m_window->selectConnection(conn);
    const int row = m_window->frameModel()->rowForPacket(packet);
    if (row >= 0) {
        const QModelIndex at = m_window->frameModel()->index(row, 0);
        m_window->frameTable()->setCurrentIndex(at);
        m_window->frameTable()->scrollTo(at);
    }
    return true;
}

bool AnalyzeActions::find(const QString& text) {
    m_lastFind = text;
    const Trace& doc = m_window->session()->document();
    const ConnectionListModel* rows = m_window->connectionModel();
    const int count = rows->rowCount();
    if (count == 0 || text.isEmpty()) {
        return false;
    }
    const int start = std::max(0, rows->rowOf(m_window->selectedConnection()));
    const auto rowMatches = [&](int r) {
        const ConnectionListModel::Row& row = rows->row(r);
        for (const QString* s : {&row.client, &row.server, &row.host, &row.path, &row.status,
                                 &row.outcome, &row.headline}) {
            if (s->contains(text, Qt::CaseInsensitive)) {
                return true;
            }
        }
        return false;
    };
    for (int k = 1; k <= count; ++k) {
        const int r = (start + k) % count;
        if (rowMatches(r)) {
            m_window->selectConnection(rows->row(r).id);
            m_window->statusBar()->showMessage(
                QStringLiteral("Found \"%1\" in connection #%2").arg(text).arg(rows->row(r).id),
                5000);
            return true;
        }
    }
    // Then the payloads: the first message after the selected connection, wrapping.
    const std::string needle = text.toStdString();
    const auto contains = [&](const std::string& hay) {
        return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                           [](char a, char b) {
                               return std::tolower(static_cast<unsigned char>(a)) ==
                                      std::tolower(static_cast<unsigned char>(b));
                           }) != hay.end();
    };
    const ConnId current = m_window->selectedConnection();
    const Message* found = nullptr;
    for (int pass = 0; pass < 2 && !found; ++pass) {
        for (const Message& m : doc.messages) {
            if ((pass == 0 ? m.connection > current : m.connection <= current) &&
                contains(m.payload)) {
                found = &m;
                break;
            }
        }
    }
    if (!found) {
        m_window->statusBar()->showMessage(QStringLiteral("\"%1\" not found").arg(text), 5000);
        return false;
    }
    m_window->selectConnection(found->connection);
    const int row = m_window->frameModel()->rowForPacket(found->firstPacket);
    if (row >= 0) {
        m_window->frameTable()->setCurrentIndex(m_window->frameModel()->index(row, 0));
    }
    m_window->statusBar()->showMessage(
        QStringLiteral("Found \"%1\" in a payload of connection #%2, packet %3")
            .arg(text)
            .arg(found->connection)
            .arg(found->firstPacket),
        5000);
    return true;
}

QString AnalyzeActions::helpHtml() const {
    QString html = QStringLiteral("<h2>Keyboard</h2><table cellpadding='3'>");
    for (QAction* top : m_window->menuBar()->actions()) {
        QMenu* menu = top->menu();
        if (!menu) {
            continue;
        }
        for (QAction* a : menu->actions()) {
            if (!a->shortcut().isEmpty()) {
                html += QStringLiteral("<tr><td><tt>%1</tt></td><td>%2 → %3</td></tr>")
                            .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                                 top->text().remove(QLatin1Char('&')).toHtmlEscaped(),
                                 a->text().remove(QLatin1Char('&')).toHtmlEscaped());
            }
        }
    }
    html += QStringLiteral("<tr><td><tt>Home / End</tt></td><td>first / last connection of the "
                           "list (in the list)</td></tr>"
                           "<tr><td><tt>↑ / ↓</tt></td><td>previous / next row of the ladder "
                           "(in the timeline)</td></tr>"
                           "<tr><td><tt>Ctrl+wheel</tt></td><td>zoom the ladder</td></tr>"
                           "</table>");
    html += QStringLiteral("<h2>Anomalies</h2><p>Every finding wstrace can report "
                           "(docs/anomalies.md has the same catalog).</p>");
    for (const AnomalyInfo& info : anomalyCatalog()) {
        html += QStringLiteral("<h4 style='color:%1'>%2 <tt>%3</tt></h4><p><b>%4</b>%5 — %6</p>")
                    .arg(palette::forSeverity(info.severity).darker(120).name(), qsHtml(info.title),
                         qsHtml(info.name), severityLabel(info.severity),
                         info.rfc.empty() ? QString() : QStringLiteral(" · ") + qsHtml(info.rfc),
                         qsHtml(info.explanation));
    }
    return html;
}

} // namespace wst::ui
