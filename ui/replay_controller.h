// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>

namespace wst::ui {

class SessionController;

/// Plays a saved capture through the SessionController at its recorded pace times a speed
/// (0 = as fast as possible), so the views grow as if the capture were live. Pause, resume,
/// speed and forward seeks go straight to the run's ReplaySource (thread-safe); a backward seek
/// starts a new run (a new generation, so batches of the old run are dropped) that fast-forwards
/// to the target. No widgets: the replay bar and the tests drive it the same way.
class ReplayController final : public QObject {
    Q_OBJECT
public:
    explicit ReplayController(SessionController* session, QObject* parent = nullptr);
    ~ReplayController() override;

    /// Replaces what the session shows with a replay of `path` from its first packet.
    /// `startPaused` holds the replay before its first packet until resume().
    void start(const QString& path, double speed = 1.0, bool startPaused = false);
    /// Ends the replay; what was shown stays.
    void stop();

    void pause();
    void resume();
    void setSpeed(double speed);
    /// Moves the replay to capture time `t` (clamped to the capture's range when known).
    void seek(Timestamp t);

    bool isActive() const { return m_active; }
    bool isPaused() const { return m_paused; }
    double speed() const { return m_speed; }
    QString path() const { return m_path; }
    /// The capture time replayed so far: the last packet delivered.
    Timestamp position() const;
    /// Packets the current run has delivered to the pipeline.
    std::uint64_t packetsDelivered() const;
    /// First and last packet times, known once the worker has scanned the file (rangeKnown).
    bool hasRange() const { return m_hasRange; }
    Timestamp firstTime() const { return m_first; }
    Timestamp lastTime() const { return m_last; }
    /// Runs restarted by backward seeks since start().
    int restarts() const { return m_restarts; }

signals:
    void rangeKnown();
    /// Active, paused or speed changed.
    void stateChanged();
    /// The replay reached the end of the capture (or failed; the session reports errors).
    void finished();

private:
    struct Run;
    class RunSource;
    /// Starts a run of the session that applies the current speed, pause and seek target.
    void launch();
    void onLoadFinished(bool cancelled);

    SessionController* m_session;
    QString m_path;
    double m_speed = 1.0;
    bool m_paused = false;
    bool m_active = false;
    bool m_launching = false;
    bool m_hasRange = false;
    Timestamp m_first;
    Timestamp m_last;
    Timestamp m_seekTarget{INT64_MIN};
    int m_restarts = 0;
    std::uint64_t m_generation = 0;
    std::uint64_t m_runId = 0;
    /// The run's source, created on the worker thread; guarded by m_mutex.
    mutable std::mutex m_mutex;
    std::shared_ptr<Run> m_run;
};

} // namespace wst::ui
