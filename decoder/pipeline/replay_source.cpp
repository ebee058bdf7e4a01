// SPDX-License-Identifier: MIT
#include "replay_source.h"

namespace wst {

ReplaySource::ReplaySource(PacketSource& inner, double speed)
    : m_inner(inner)
    , m_speed(speed) {}

ReadStatus ReplaySource::next(RawPacket& packet) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped)
            return ReadStatus::EndOfFile;
    }
    const ReadStatus status = m_inner.next(packet);
    if (status != ReadStatus::Packet)
        return status;
    if (!waitUntilDue(packet.time))
        return ReadStatus::EndOfFile;
    std::lock_guard lock(m_mutex);
    m_position = packet.time;
    return status;
}

bool ReplaySource::waitUntilDue(Timestamp due) {
    std::unique_lock lock(m_mutex);
    if (!m_anchored) {
        anchor(due);
        m_anchored = true;
    }
    for (;;) {
        if (m_stopped)
            return false;
        if (due < m_seekTarget) {
            // Fast-forward to the seek target: the views catch up without waiting.
            anchor(due);
            return true;
        }
        if (m_paused) {
            m_wake.wait(lock);
            continue;
        }
        if (m_speed <= 0) {
            anchor(due);
            return true;
        }
        const auto offset = std::chrono::nanoseconds(
            static_cast<std::int64_t>(static_cast<double>(due - m_anchorCapture) / m_speed));
        const Clock::time_point wallDue = m_anchorWall + offset;
        if (Clock::now() >= wallDue)
            return true;
        // Woken early by pause, speed change, seek or stop: loop and re-evaluate.
        m_wake.wait_until(lock, wallDue);
    }
}

void ReplaySource::anchor(Timestamp at) {
    m_anchorCapture = at;
    m_anchorWall = Clock::now();
}

void ReplaySource::requestStop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_wake.notify_all();
    m_inner.requestStop();
}

void ReplaySource::setSpeed(double speed) {
    {
        std::lock_guard lock(m_mutex);
        // Keep the replay where it is: re-anchor at the current position with the new speed.
        if (m_anchored)
            anchor(m_position);
        m_speed = speed;
    }
    m_wake.notify_all();
}

double ReplaySource::speed() const {
    std::lock_guard lock(m_mutex);
    return m_speed;
}

void ReplaySource::pause() {
    {
        std::lock_guard lock(m_mutex);
        m_paused = true;
    }
    m_wake.notify_all();
}

void ReplaySource::resume() {
    {
        std::lock_guard lock(m_mutex);
        if (m_paused && m_anchored)
            anchor(m_position); // the pause does not count as elapsed capture time
        m_paused = false;
    }
    m_wake.notify_all();
}

bool ReplaySource::paused() const {
    std::lock_guard lock(m_mutex);
    return m_paused;
}

void ReplaySource::seekTo(Timestamp t) {
    {
        std::lock_guard lock(m_mutex);
        m_seekTarget = t;
    }
    m_wake.notify_all();
}

Timestamp ReplaySource::position() const {
    std::lock_guard lock(m_mutex);
    return m_position;
}

} // namespace wst
