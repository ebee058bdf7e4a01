// SPDX-License-Identifier: MIT
#include "ui/models/story_tracker.h"

#include "ui/models/session_controller.h"

namespace wst::ui {

StoryTracker::StoryTracker(const SessionController* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    connect(session, &SessionController::reset, this, &StoryTracker::rebuild);
    connect(session, &SessionController::batchApplied, this, [this](const TraceDelta& delta) {
        bool grew = false;
        for (ConnId id : delta.updatedConnections) {
            grew = take(id) || grew;
        }
        for (std::size_t i = delta.oldConnectionCount; i < delta.newConnectionCount; ++i) {
            grew = take(static_cast<ConnId>(i + 1)) || grew;
        }
        if (grew) {
            emit changed();
        }
    });
    rebuild();
}

void StoryTracker::rebuild() {
    m_story.clear();
    m_roots = {};
    m_added.clear();
    const Trace& doc = m_session->document();
    for (std::size_t i = 0; i < doc.connections.size(); ++i) {
        take(static_cast<ConnId>(i + 1));
    }
    emit changed();
}

bool StoryTracker::take(ConnId id) {
    const Trace& doc = m_session->document();
    if (id == 0 || id > doc.connections.size()) {
        return false;
    }
    const Connection& c = doc.connections[id - 1];
    if (!c.finished) {
        return false;
    }
    if (m_added.size() < id) {
        m_added.resize(doc.connections.size(), false);
    }
    if (m_added[id - 1]) {
        return false;
    }
    m_added[id - 1] = true;
    m_story.add(c);
    for (std::size_t s = 0; s < m_roots.size(); ++s) {
        m_roots[s] += c.verdict.rootsBySeverity[s];
    }
    return true;
}

} // namespace wst::ui
