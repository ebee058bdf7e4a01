// SPDX-License-Identifier: MIT
#include "ui/verdict_strip.h"

#include "decoder/logs/reconcile.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"
#include "ui/models/story_tracker.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <algorithm>

namespace wst::ui {
namespace {

bool sameGroup(const StoryGroup& a, const StoryGroup& b) {
    return a.outcome == b.outcome && a.rootCause == b.rootCause && a.cleanClose == b.cleanClose &&
           a.ended == b.ended;
}

QString examples(const StoryGroup& g) {
    QStringList ids;
    for (ConnId id : g.examples) {
        ids << QStringLiteral("#%1").arg(id);
    }
    if (g.count > g.examples.size()) {
        ids << QStringLiteral("…");
    }
    return ids.join(QStringLiteral(", "));
}

QString tooltipOf(const StoryGroup& g) {
    QString tip = QStringLiteral("<b>%1 %2</b><br>connections %3")
                      .arg(g.count)
                      .arg(qsHtml(g.label), examples(g));
    if (!g.explanation.empty()) {
        tip += QStringLiteral("<p><b>Why.</b> %1</p>").arg(qsHtml(g.explanation));
    }
    if (!g.whatToDo.empty()) {
        tip += QStringLiteral("<p><b>What to do.</b> %1</p>").arg(qsHtml(g.whatToDo));
    }
    return tip + QStringLiteral("<p><i>Click to list only these connections; click again to "
                                "list all.</i></p>");
}

} // namespace

VerdictStrip::VerdictStrip(const StoryTracker* tracker, const SessionController* session,
                           QWidget* parent)
    : QWidget(parent)
    , m_tracker(tracker)
    , m_session(session)
    , m_layout(new QHBoxLayout(this))
    , m_summary(new QLabel(this))
    , m_note(new QLabel(this))
    , m_more(new QToolButton(this)) {
    setObjectName(QStringLiteral("verdictStrip"));
    m_layout->setContentsMargins(4, 2, 4, 2);
    m_layout->setSpacing(4);
    m_summary->setObjectName(QStringLiteral("verdictSummary"));
    m_note->setObjectName(QStringLiteral("verdictNote"));
    m_note->setStyleSheet(QStringLiteral("color: palette(mid)"));
    m_more->setText(QStringLiteral("more…"));
    m_more->setPopupMode(QToolButton::InstantPopup);
    m_more->setMenu(new QMenu(m_more));
    m_more->setAutoRaise(true);
    m_layout->addWidget(m_summary);
    m_layout->addWidget(m_more);
    m_layout->addWidget(m_note);
    m_layout->addStretch(1);
    connect(tracker, &StoryTracker::changed, this, &VerdictStrip::rebuild);
    if (session != nullptr) {
        connect(session, &SessionController::serverLogsChanged, this, &VerdictStrip::rebuild);
    }
    rebuild();
}

QString VerdictStrip::summaryText() const {
    QString text = m_summary->text();
    if (!m_note->text().isEmpty()) {
        text += QLatin1Char(' ') + m_note->text();
    }
    return text;
}

void VerdictStrip::rebuild() {
    const CaptureStory& story = m_tracker->story();
    m_groups = story.groups();
    const auto n = story.connections();
    m_summary->setText(n == 0 ? QStringLiteral("Verdict: no finished connection yet")
                              : QStringLiteral("Verdict: %L1 connection%2")
                                    .arg(n)
                                    .arg(n == 1 ? QString() : QStringLiteral("s")));
    // With the server's log loaded, its reconciliation is the note: the first line in the
    // strip, every line in a tip. Otherwise the access-log remarks the wire alone supports.
    const std::shared_ptr<const logs::ServerLogReport> report =
        m_session != nullptr ? m_session->document().serverLogs : nullptr;
    const std::vector<std::string> log = report ? report->story : story.serverLogLines();
    if (!log.empty()) {
        if (report) {
            m_note->setText(QStringLiteral("· server log: %1%2")
                                .arg(qs(log.front()))
                                .arg(log.size() > 1
                                         ? QStringLiteral(" (+%L1 more)").arg(log.size() - 1)
                                         : QString()));
        } else {
            m_note->setText(
                story.accessLogShows200() != 0
                    ? QStringLiteral("· gin's access log shows 200 for %L1 of these upgrades")
                          .arg(story.accessLogShows200())
                    : QStringLiteral("· if the server is gin, its access log shows 200 "
                                     "for %L1 of these upgrades")
                          .arg(story.accessLogMayShow200()));
        }
        QString tip;
        for (const std::string& line : log) {
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + qs(line);
        }
        m_note->setToolTip(tip);
    } else {
        m_note->clear();
        m_note->setToolTip({});
    }

    const std::size_t shown = std::min(m_groups.size(), kButtons);
    while (m_buttons.size() > shown) {
        delete m_buttons.back();
        m_buttons.pop_back();
    }
    while (m_buttons.size() < shown) {
        auto* b = new QToolButton(this);
        b->setObjectName(QStringLiteral("verdictGroup"));
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        const std::size_t at = m_buttons.size();
        connect(b, &QToolButton::clicked, this,
                [this, at](bool on) { selectGroup(on ? std::optional(at) : std::nullopt); });
        m_layout->insertWidget(static_cast<int>(1 + at), b);
        b->setVisible(true); // a child added to a shown strip stays hidden until shown
        m_buttons.push_back(b);
    }
    for (std::size_t i = 0; i < shown; ++i) {
        const StoryGroup& g = m_groups[i];
        QToolButton* b = m_buttons[i];
        b->setText(QStringLiteral("%L1 %2").arg(g.count).arg(qs(g.label)));
        b->setIcon(g.severity ? severityIcon(*g.severity) : outcomeIcon(g.outcome));
        b->setToolTip(tooltipOf(g));
        b->setStyleSheet(g.severity ? QStringLiteral("QToolButton { color: %1; }")
                                          .arg(palette::forSeverity(*g.severity).darker(130).name())
                                    : QString());
    }
    QMenu* menu = m_more->menu();
    menu->clear();
    for (std::size_t i = shown; i < m_groups.size(); ++i) {
        const StoryGroup& g = m_groups[i];
        QAction* a =
            menu->addAction(g.severity ? severityIcon(*g.severity) : outcomeIcon(g.outcome),
                            QStringLiteral("%L1 %2").arg(g.count).arg(qs(g.label)));
        a->setToolTip(tooltipOf(g));
        connect(a, &QAction::triggered, this, [this, i] { selectGroup(i); });
    }
    m_more->setVisible(m_groups.size() > shown);

    // Keep the chosen group across updates (a live capture adds to it); a new capture drops it.
    if (m_selected) {
        const auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const StoryGroup& g) {
            return sameGroup(g, *m_selected);
        });
        if (it == m_groups.end()) {
            m_selected.reset();
            sync();
            emit selectionChanged();
            return;
        }
        m_selected = *it;
    }
    sync();
}

void VerdictStrip::selectGroup(std::optional<std::size_t> index) {
    std::optional<StoryGroup> next;
    if (index && *index < m_groups.size()) {
        next = m_groups[*index];
    }
    const bool same =
        next.has_value() == m_selected.has_value() && (!next || sameGroup(*next, *m_selected));
    m_selected = std::move(next);
    sync();
    if (!same) {
        emit selectionChanged();
    }
}

void VerdictStrip::sync() {
    for (std::size_t i = 0; i < m_buttons.size(); ++i) {
        m_buttons[i]->setChecked(m_selected && i < m_groups.size() &&
                                 sameGroup(m_groups[i], *m_selected));
    }
    m_more->setText(m_selected && std::none_of(m_buttons.begin(), m_buttons.end(),
                                               [](QToolButton* b) { return b->isChecked(); })
                        ? QStringLiteral("more… (1 chosen)")
                        : QStringLiteral("more…"));
}

} // namespace wst::ui
