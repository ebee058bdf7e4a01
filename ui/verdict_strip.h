// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/verdict/story.h"

#include <QWidget>
#include <optional>
#include <vector>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace wst::ui {

class SessionController;
class StoryTracker;

/// The capture's story above the connection list (docs/verdicts.md, "One capture"): one button
/// per story group, worst first, with its count, its label and the severity of its root cause
/// (icon and colour); the explanation and what to do in its tooltip; the access-log remark at
/// the end. Clicking a group chooses it (the window filters the list to its connections);
/// clicking it again shows every connection. It only shows StoryTracker's groups: the story
/// and every verdict in it are decided in decoder/verdict. With a server log loaded, the note
/// is the log's reconciliation (docs/server-logs.md) instead of what the wire alone suggests.
class VerdictStrip final : public QWidget {
    Q_OBJECT
public:
    /// Group buttons shown in the strip; the rest are in the "more" button's menu.
    static constexpr std::size_t kButtons = 5;

    /// `session` (may be null) gives the server-log reconciliation for the note.
    VerdictStrip(const StoryTracker* tracker, const SessionController* session,
                 QWidget* parent = nullptr);

    /// The chosen group, as of the last update (its count grows in a live capture).
    const std::optional<StoryGroup>& selectedGroup() const { return m_selected; }
    void selectGroup(std::optional<std::size_t> index); ///< by position in groups()
    void clearSelection() { selectGroup(std::nullopt); }
    const std::vector<StoryGroup>& groups() const { return m_groups; }
    /// One button per shown group, in groups() order (tests and the screenshot read them).
    const std::vector<QToolButton*>& groupButtons() const { return m_buttons; }
    /// The strip's text: "N connections", then the server-log or access-log line if any.
    QString summaryText() const;

signals:
    /// The chosen group changed (chosen, cleared, or gone with a new capture).
    void selectionChanged();

private:
    void rebuild();
    void sync();

    const StoryTracker* m_tracker;
    const SessionController* m_session;
    QHBoxLayout* m_layout;
    QLabel* m_summary;
    QLabel* m_note;
    QToolButton* m_more;
    std::vector<QToolButton*> m_buttons;
    std::vector<StoryGroup> m_groups;
    std::optional<StoryGroup> m_selected;
};

} // namespace wst::ui
