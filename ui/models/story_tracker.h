// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/verdict/story.h"

#include <QObject>
#include <array>
#include <cstdint>
#include <vector>

namespace wst::ui {

class SessionController;

/// The capture's story (decoder/verdict/story.h) as the session's document grows: each
/// connection is added once, when it is finished (its verdict is decided then and never
/// changes), so a live capture or a replay updates the story as connections end. Emptied when
/// a new capture opens. The verdict strip and the status bar read it; nothing here decides.
class StoryTracker final : public QObject {
    Q_OBJECT
public:
    explicit StoryTracker(const SessionController* session, QObject* parent = nullptr);

    const CaptureStory& story() const { return m_story; }
    /// Root causes of the finished connections, by Severity (Verdict::rootsBySeverity summed).
    const std::array<std::uint64_t, 3>& rootsBySeverity() const { return m_roots; }

signals:
    /// The story gained connections, or was emptied.
    void changed();

private:
    void rebuild();
    /// Adds connection `id` if it is finished and not yet in the story; true if it was added.
    bool take(ConnId id);

    const SessionController* m_session;
    CaptureStory m_story;
    std::array<std::uint64_t, 3> m_roots{};
    std::vector<bool> m_added; ///< by ConnId - 1
};

} // namespace wst::ui
