// SPDX-License-Identifier: MIT
#include "capture/replay/replay_source.h"

namespace wst {

ReplaySource::ReplaySource(PacketSource& inner, double speed)
    : m_inner(inner)
    , m_speed(speed) {}

ReadStatus ReplaySource::next(RawPacket& packet) {
    std::chrono::milliseconds tick{0};
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped)
            return ReadStatus::EndOfFile;
        tick = m_tick;
    }
    if (m_pending) {
        // Still the inner source's last packet: its bytes stay valid until the next inner read.
        packet = m_pendingPacket;
        m_pending = false;
    } else {
        const ReadStatus status = m_inner.next(packet);
        if (status != ReadStatus::Packet)
            return status;
    }
    const Clock::time_point tickEnd =
        tick.count() > 0 ? Clock::now() + tick : Clock::time_point::max();
    switch (waitUntilDue(packet.time, tickEnd)) {
    case Wait::Stopped:
        return ReadStatus::EndOfFile;
    case Wait::Tick:
        m_pendingPacket = packet;
        m_pending = true;
        return ReadStatus::Timeout;
    case Wait::Due:
        break;
    }
    std::lock_guard lock(m_mutex);
    m_position = packet.time;
    return ReadStatus::Packet;
}

ReplaySource::Wait ReplaySource::waitUntilDue(Timestamp due, Clock::time_point tickEnd) {
    std::unique_lock lock(m_mutex);
    if (!m_anchored) {
        anchor(due);
        m_anchored = true;
    }
    for (;;) {
        if (m_stopped)
            return Wait::Stopped;
        if (due < m_seekTarget) {
            // Fast-forward to the seek target: the views catch up without waiting.
            anchor(due);
            return Wait::Due;
        }
        if (m_paused) {
            if (tickEnd == Clock::time_point::max())
                m_wake.wait(lock);
            else if (m_wake.wait_until(lock, tickEnd) == std::cv_status::timeout)
                return Wait::Tick;
            continue;
        }
        if (m_speed <= 0) {
            anchor(due);
            return Wait::Due;
        }
        const auto offset = std::chrono::nanoseconds(
            static_cast<std::int64_t>(static_cast<double>(due - m_anchorCapture) / m_speed));
        const Clock::time_point wallDue = m_anchorWall + offset;
        const Clock::time_point now = Clock::now();
        if (now >= wallDue)
            return Wait::Due;
        if (now >= tickEnd)
            return Wait::Tick;
        // Woken early by pause, speed change, seek or stop: loop and re-evaluate.
        m_wake.wait_until(lock, std::min(wallDue, tickEnd));
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

void ReplaySource::setIdleTick(std::chrono::milliseconds tick) {
    {
        std::lock_guard lock(m_mutex);
        m_tick = tick;
    }
    m_wake.notify_all();
}

Timestamp ReplaySource::position() const {
    std::lock_guard lock(m_mutex);
    return m_position;
}

} // namespace wst
