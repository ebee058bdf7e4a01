// SPDX-License-Identifier: MIT
#include "app/cli/stop_signals.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace wst::cli {

struct StopSignals::Impl {
    sigset_t set{};
    std::mutex mutex;
    std::function<void()> action;
    std::atomic<bool> stopped{false};
    std::atomic<int> signals{0};
    std::atomic<bool> quitting{false};
    std::thread waiter;

    void wait() {
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) {
                continue;
            }
            if (quitting.load()) {
                return; // SIGUSR1 from the destructor
            }
            if (sig == SIGUSR1) {
                continue;
            }
            // The first signal stops the input; what was analysed is still written. A second
            // one, often sent right after the first (`kill` twice, a supervisor's TERM then
            // TERM), must not lose that output: it only says how to quit at once. A third
            // ends the process: the user insists.
            const int count = ++signals;
            if (count == 2) {
                static constexpr char kNote[] =
                    "wstrace: stopping; writing what was analysed (signal again to quit at once)\n";
                [[maybe_unused]] const auto n = ::write(2, kNote, sizeof kNote - 1);
                continue;
            }
            if (count > 2) {
                std::_Exit(128 + sig);
            }
            stopped.store(true);
            std::lock_guard lock(mutex);
            if (action) {
                action();
            }
        }
    }
};

StopSignals::StopSignals()
    : m_impl(std::make_unique<Impl>()) {
    sigemptyset(&m_impl->set);
    sigaddset(&m_impl->set, SIGINT);
    sigaddset(&m_impl->set, SIGTERM);
    sigaddset(&m_impl->set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &m_impl->set, nullptr);
    m_impl->waiter = std::thread([impl = m_impl.get()] { impl->wait(); });
}

StopSignals::~StopSignals() {
    m_impl->quitting.store(true);
    pthread_kill(m_impl->waiter.native_handle(), SIGUSR1);
    m_impl->waiter.join();
}

void StopSignals::arm(std::function<void()> action) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->action = std::move(action);
}

bool StopSignals::stopped() const {
    return m_impl->stopped.load();
}

} // namespace wst::cli
