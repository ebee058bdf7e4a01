// SPDX-License-Identifier: MIT
#include "ui/replay_controller.h"

#include "capture/replay/replay_source.h"
#include "capture/source/pcap_file_source.h"
#include "ui/models/session_controller.h"

#include <QFile>
#include <QMetaObject>
#include <algorithm>

namespace wst::ui {

namespace {
/// How long the replay waits for a packet that is not due yet before letting the pipeline
/// hand over what it holds (ReplaySource::setIdleTick): the views lag the replay by at most
/// about this much.
constexpr std::chrono::milliseconds kIdleTick{50};
constexpr Timestamp kNoSeek{INT64_MIN};
} // namespace

/// One run's sources, shared by the worker (which reads them) and the controller (which
/// pauses, seeks and asks for the position from the GUI thread; ReplaySource is thread-safe).
struct ReplayController::Run {
    explicit Run(const std::string& path)
        : file(path)
        , replay(file, 1.0) {}
    PcapFileSource file;
    ReplaySource replay;
    std::atomic<std::uint64_t> delivered{0};
};

/// What the session's worker reads: the run's ReplaySource, counting packets.
class ReplayController::RunSource final : public PacketSource {
public:
    explicit RunSource(std::shared_ptr<Run> run)
        : m_run(std::move(run)) {}
    ReadStatus next(RawPacket& packet) override {
        const ReadStatus status = m_run->replay.next(packet);
        if (status == ReadStatus::Packet) {
            m_run->delivered.fetch_add(1, std::memory_order_relaxed);
        }
        return status;
    }
    void requestStop() override { m_run->replay.requestStop(); }
    std::string errorMessage() const override { return m_run->replay.errorMessage(); }
    std::string describe() const override { return m_run->replay.describe(); }

private:
    std::shared_ptr<Run> m_run;
};

ReplayController::ReplayController(SessionController* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    connect(m_session, &SessionController::loadFinished, this,
            [this](bool cancelled, const QString&) { onLoadFinished(cancelled); });
}

ReplayController::~ReplayController() = default;

void ReplayController::start(const QString& path, double speed, bool startPaused) {
    m_path = path;
    m_hasRange = false;
    m_restarts = 0;
    {
        std::lock_guard lock(m_mutex);
        m_speed = speed;
        m_paused = startPaused;
        m_seekTarget = kNoSeek;
    }
    m_active = true;
    launch();
    emit stateChanged();
}

void ReplayController::launch() {
    const std::uint64_t runId = ++m_runId;
    const std::string path(QFile::encodeName(m_path).constData());
    const bool scan = !m_hasRange;
    {
        std::lock_guard lock(m_mutex);
        m_run.reset(); // until the new run's source exists, controls only set the wishes
    }
    m_launching = true;
    // Runs on the session's worker thread: open the file, learn its time range once, and hand
    // the run to the controller before the first packet is read.
    m_session->openSource(
        m_path, [this, runId, path, scan](std::string& error) -> std::unique_ptr<PacketSource> {
            auto run = std::make_shared<Run>(path);
            if (!run->file.isOpen()) {
                error = run->file.errorMessage();
                return nullptr;
            }
            if (scan) {
                PcapFileSource scanner(path);
                RawPacket p;
                bool any = false;
                Timestamp first;
                Timestamp last;
                while (scanner.next(p) == ReadStatus::Packet) {
                    first = any ? std::min(first, p.time) : p.time;
                    last = any ? std::max(last, p.time) : p.time;
                    any = true;
                }
                if (any) {
                    QMetaObject::invokeMethod(
                        this,
                        [this, runId, first, last] {
                            if (runId != m_runId && m_hasRange) {
                                return;
                            }
                            m_first = first;
                            m_last = last;
                            m_hasRange = true;
                            emit rangeKnown();
                        },
                        Qt::QueuedConnection);
                }
            }
            std::lock_guard lock(m_mutex);
            run->replay.setIdleTick(kIdleTick);
            run->replay.setSpeed(m_speed);
            if (m_paused) {
                run->replay.pause();
            }
            if (m_seekTarget != kNoSeek) {
                run->replay.seekTo(m_seekTarget);
            }
            m_run = run;
            return std::make_unique<RunSource>(run);
        });
    m_generation = m_session->generation();
    m_launching = false;
}

void ReplayController::onLoadFinished(bool cancelled) {
    Q_UNUSED(cancelled);
    if (m_launching || !m_active) {
        return; // the old run of a restart, or not ours
    }
    m_active = false;
    emit stateChanged();
    emit finished();
}

void ReplayController::stop() {
    if (m_active) {
        m_session->cancel();
    }
}

void ReplayController::pause() {
    {
        std::lock_guard lock(m_mutex);
        m_paused = true;
        if (m_run) {
            m_run->replay.pause();
        }
    }
    emit stateChanged();
}

void ReplayController::resume() {
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
        if (m_run) {
            m_run->replay.resume();
        }
    }
    emit stateChanged();
}

void ReplayController::setSpeed(double speed) {
    {
        std::lock_guard lock(m_mutex);
        m_speed = speed;
        if (m_run) {
            m_run->replay.setSpeed(speed);
        }
    }
    emit stateChanged();
}

void ReplayController::seek(Timestamp t) {
    if (m_path.isEmpty()) {
        return;
    }
    if (m_hasRange) {
        t = std::clamp(t, m_first, m_last);
    }
    if (m_active) {
        std::lock_guard lock(m_mutex);
        if (!m_run) {
            m_seekTarget = t; // the run's source is not open yet: it will start there
            return;
        }
        if (m_run->delivered.load() == 0 || t >= m_run->replay.position()) {
            m_seekTarget = t;
            m_run->replay.seekTo(t); // forward: the packets before t are delivered at once
            return;
        }
    }
    // Backward (or after the end): a fresh read of the file that fast-forwards to t.
    {
        std::lock_guard lock(m_mutex);
        m_seekTarget = t;
    }
    ++m_restarts;
    const bool wasActive = m_active;
    m_active = true;
    launch();
    if (!wasActive) {
        emit stateChanged();
    }
}

Timestamp ReplayController::position() const {
    std::lock_guard lock(m_mutex);
    Timestamp p = m_first;
    if (m_run && m_run->delivered.load() > 0) {
        p = m_run->replay.position();
    }
    return p;
}

std::uint64_t ReplayController::packetsDelivered() const {
    std::lock_guard lock(m_mutex);
    return m_run ? m_run->delivered.load() : 0;
}

} // namespace wst::ui
