// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wst {

/// Replays another source at the pace the packets were recorded, times a speed factor, so the
/// views grow as if the capture were live. Pause, resume, speed changes and stop may come from
/// any thread; next() sleeps (interruptibly) until each packet is due.
///
/// Seeking forward delivers the packets before the target time without pacing; seeking
/// backward needs a fresh read of the file, which the caller does by starting a new run with
/// seekTo() set before the first packet (the GUI's replay controller does this).
class ReplaySource final : public PacketSource {
public:
    using Clock = std::chrono::steady_clock;

    /// `speed` is recorded time per wall time: 1 = as recorded, 10 = ten times faster,
    /// 0 = as fast as possible.
    ReplaySource(PacketSource& inner, double speed);

    ReadStatus next(RawPacket& packet) override;
    void requestStop() override;
    std::string errorMessage() const override { return m_inner.errorMessage(); }
    std::string describe() const override { return m_inner.describe(); }

    void setSpeed(double speed);
    double speed() const;
    void pause();
    void resume();
    bool paused() const;
    /// Packets recorded before `t` are delivered at once; pacing resumes from there.
    void seekTo(Timestamp t);
    /// The capture time of the last packet delivered (the replay's "now").
    Timestamp position() const;
    /// When `tick` > 0, next() waits at most `tick` for a packet that is not due yet (or while
    /// paused) and then returns ReadStatus::Timeout, keeping the packet for the next call, so
    /// the pipeline's idle callback can hand over what it holds while the replay waits (the
    /// GUI's views then grow as if live). 0 (the default) waits inside next() as long as needed.
    void setIdleTick(std::chrono::milliseconds tick);

private:
    enum class Wait { Due, Stopped, Tick };
    /// Waits until `due` (capture time) is reached on the replay clock, or at most until
    /// `tickEnd` when m_tick is set.
    Wait waitUntilDue(Timestamp due, Clock::time_point tickEnd);
    /// Re-anchors the capture-time ↔ wall-time mapping at `at` (call with the lock held).
    void anchor(Timestamp at);

    PacketSource& m_inner;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    double m_speed;
    bool m_paused = false;
    bool m_stopped = false;
    bool m_anchored = false;
    Timestamp m_anchorCapture;
    Clock::time_point m_anchorWall;
    Timestamp m_position;
    Timestamp m_seekTarget{INT64_MIN};
    std::chrono::milliseconds m_tick{0};
    bool m_pending = false; ///< m_pendingPacket was read but not yet due (idle tick)
    RawPacket m_pendingPacket;
};

} // namespace wst
