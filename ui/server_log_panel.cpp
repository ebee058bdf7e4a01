// SPDX-License-Identifier: MIT
#include "ui/server_log_panel.h"

#include "decoder/export/log_fields.h"
#include "decoder/logs/reconcile.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wst::ui {

namespace {
QString firstLine(const std::string& text) {
    const std::size_t nl = text.find('\n');
    return qs(std::string_view(text).substr(0, nl));
}

QString certaintyText(const logs::LogMatch& m) {
    QString t = qs(logs::toString(m.certainty));
    if (m.candidates > 1) {
        t += QStringLiteral(", one of %1").arg(m.candidates);
    }
    return t;
}
} // namespace

ServerLogPanel::ServerLogPanel(const SessionController* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_hint(new QLabel(this))
    , m_story(new QLabel(this))
    , m_entries(new QTreeWidget(this))
    , m_paths(new QLabel(this)) {
    setObjectName(QStringLiteral("serverLogPanel"));
    m_hint->setObjectName(QStringLiteral("serverLogHint"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(placeholder-text)"));
    m_story->setObjectName(QStringLiteral("serverLogStory"));
    m_story->setWordWrap(true);
    m_story->setTextFormat(Qt::RichText);
    m_story->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_story->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_story->setContentsMargins(2, 2, 2, 2);
    m_entries->setObjectName(QStringLiteral("serverLogEntries"));
    m_entries->setColumnCount(5);
    m_entries->setHeaderLabels({QStringLiteral("Where"), QStringLiteral("Entry"),
                                QStringLiteral("Mark"), QStringLiteral("Certainty"),
                                QStringLiteral("Reason")});
    m_entries->setRootIsDecorated(false);
    m_entries->setUniformRowHeights(true);
    m_entries->setAlternatingRowColors(true);
    m_entries->setWordWrap(false);
    m_entries->header()->setStretchLastSection(true);
    m_entries->setColumnWidth(kWhereColumn, 170);
    m_entries->setColumnWidth(kEntryColumn, 260);
    m_entries->header()->setSectionResizeMode(kMarkColumn, QHeaderView::ResizeToContents);
    m_entries->header()->setSectionResizeMode(kCertaintyColumn, QHeaderView::ResizeToContents);
    m_paths->setObjectName(QStringLiteral("serverLogPaths"));
    m_paths->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_paths->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_paths->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // The story scrolls on its own and gives room to the entries when dragged (a load test's
    // story has a line per path).
    m_storyScroll = new QScrollArea(this);
    m_storyScroll->setWidget(m_story);
    m_storyScroll->setWidgetResizable(true);
    m_storyScroll->setFrameShape(QFrame::NoFrame);
    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_storyScroll);
    m_split->addWidget(m_entries);
    m_split->addWidget(m_paths);
    m_split->setChildrenCollapsible(false);
    m_split->setStretchFactor(0, 2);
    m_split->setStretchFactor(1, 3);
    m_split->setStretchFactor(2, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_hint, 1);
    layout->addWidget(m_split, 1);
    connect(session, &SessionController::serverLogsChanged, this, &ServerLogPanel::refresh);
    connect(session, &SessionController::reset, this, [this] {
        m_connection = 0;
        refresh();
    });
    refresh();
}

void ServerLogPanel::setConnection(ConnId id) {
    if (id == m_connection) {
        return;
    }
    m_connection = id;
    refresh();
}

QString ServerLogPanel::storyText() const {
    return m_split->isHidden() ? QString() : m_story->text();
}

QString ServerLogPanel::pathTableText() const {
    return m_split->isHidden() || m_paths->isHidden() ? QString() : m_paths->text();
}

QString ServerLogPanel::hintText() const {
    return m_hint->isHidden() ? QString() : m_hint->text();
}

void ServerLogPanel::refresh() {
    m_entries->clear();
    const std::shared_ptr<const logs::ServerLogReport>& report = m_session->document().serverLogs;
    if (!report) {
        m_hint->setText(QStringLiteral(
            "File → Add Server Log… to see the server's own lines for this connection"));
        m_hint->show();
        m_story->clear();
        m_paths->clear();
        m_split->hide();
        return;
    }
    m_hint->clear();
    m_hint->hide();
    m_split->show();

    // The capture's story: what explains the difference, then the files and the clock.
    QStringList story;
    for (const std::string& line : report->story) {
        story << QStringLiteral("<b>%1</b>").arg(qsHtml(line));
    }
    QStringList files;
    for (const std::string& line : logFileLines(*report)) {
        files << qsHtml(line);
    }
    files << qsHtml(logs::clockText(report->clock));
    story << QStringLiteral("<span style=\"color: %1\">%2</span>")
                 .arg(m_story->palette().color(QPalette::PlaceholderText).name(),
                      files.join(QStringLiteral("<br>")));
    m_story->setText(story.join(QStringLiteral("<br>")));

    if (m_connection == 0) {
        m_entries->hide();
        QStringList table;
        for (const std::string& line : logPathTable(*report)) {
            table << qs(line);
        }
        if (report->unmatched() > 0) {
            table << QString()
                  << QStringLiteral("%1 entries matched no connection").arg(report->unmatched());
        }
        m_paths->setText(table.join(QLatin1Char('\n')));
        m_paths->show();
        return;
    }
    m_paths->clear();
    m_paths->hide();
    m_entries->show();
    const std::vector<std::uint32_t>& mine = report->matchesOf(m_connection);
    for (std::uint32_t i : mine) {
        const logs::LogMatch& m = report->matches[i];
        const logs::LogLine& e = report->logs->entries[m.entry];
        auto* item = new QTreeWidgetItem(m_entries);
        item->setText(kWhereColumn, qs(logLocation(*report, e)));
        item->setText(kEntryColumn, firstLine(e.text));
        item->setText(kMarkColumn, qs(logs::describe(m.mark)));
        item->setText(kCertaintyColumn, certaintyText(m));
        item->setText(kReasonColumn, qs(m.reason));
        const QString tip = qs(logMatchLine(*report, m));
        for (int c = 0; c < m_entries->columnCount(); ++c) {
            item->setToolTip(c, tip);
        }
        item->setToolTip(kEntryColumn, qs(e.text));
        const QColor colour = palette::forLogMark(m.mark);
        item->setForeground(kMarkColumn, colour.darker(115));
        item->setIcon(kMarkColumn,
                      severityIcon(m.mark == logs::LogMark::Contradicts ? Severity::Error
                                   : m.mark == logs::LogMark::LogOnly   ? Severity::Warning
                                                                        : Severity::Info));
        QFont bold = item->font(kMarkColumn);
        bold.setBold(true);
        item->setFont(kMarkColumn, bold);
    }
    if (mine.empty()) {
        auto* item = new QTreeWidgetItem(m_entries);
        item->setText(kEntryColumn,
                      QStringLiteral("No log entry matched this connection (%1 matched none)")
                          .arg(report->unmatched()));
        item->setForeground(kEntryColumn, m_entries->palette().color(QPalette::PlaceholderText));
    }
}

} // namespace wst::ui
