// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>

namespace wst::cli {

/// SIGINT and SIGTERM without async-signal hazards: the signals are blocked in every thread
/// and one helper thread waits for them with sigwait(), so the stop action runs as ordinary
/// code. The first signal calls the armed action (Pipeline::stop(): the capture ends, the
/// summary is still written); a second one only says so on stderr, so that what was analysed
/// is still written; a third ends the process at once with 128 + signal.
/// Construct before starting any other thread so they all inherit the blocked mask.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// The action for the next signal; replaces the previous one. Empty: disarmed.
    void arm(std::function<void()> action);
    /// True once a stop signal arrived; later inputs are then skipped.
    bool stopped() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace wst::cli
