// SPDX-License-Identifier: MIT
#include "ui/live_capture.h"

#include "capture/source/pcapng_writer.h"
#include "ui/models/session_controller.h"

#include <QFile>
#include <QTimer>
#include <chrono>

namespace wst::ui {

namespace {

/// What the session's worker reads: the live source, each packet also written to the pcapng
/// when saving, and pcap_stats copied into the shared counters now and then (pcap_stats must
/// be called on the capture thread).
class LiveRunSource final : public PacketSource {
public:
    LiveRunSource(std::unique_ptr<LiveSource> live, std::unique_ptr<PcapngWriter> writer,
                  std::shared_ptr<LiveCaptureController::Counters> counters)
        : m_live(std::move(live))
        , m_writer(std::move(writer))
        , m_counters(std::move(counters)) {}
    ~LiveRunSource() override {
        if (m_writer) {
            m_writer->finish();
        }
        updateStats(true);
        m_counters->closed = true;
    }

    ReadStatus next(RawPacket& packet) override {
        const ReadStatus status = m_live->next(packet);
        if (status == ReadStatus::Packet) {
            m_counters->packets.fetch_add(1, std::memory_order_relaxed);
            if (m_writer && !m_counters->writeFailed.load(std::memory_order_relaxed)) {
                if (m_writer->write(packet)) {
                    m_counters->written.fetch_add(1, std::memory_order_relaxed);
                } else {
                    // A full disk must not end the capture: stop saving, say so, go on.
                    std::lock_guard lock(m_counters->mutex);
                    m_counters->writeError = m_writer->errorMessage();
                    m_counters->writeFailed = true;
                }
            }
            if (++m_sinceStats >= 64) {
                updateStats(false);
            }
        } else if (status == ReadStatus::Timeout) {
            updateStats(false);
        }
        return status;
    }
    void requestStop() override { m_live->requestStop(); }
    std::string errorMessage() const override { return m_live->errorMessage(); }
    std::string describe() const override { return m_live->describe(); }
    std::optional<SourceCounters> counters() override { return m_live->counters(); }

private:
    void updateStats(bool force) {
        m_sinceStats = 0;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - m_lastStats < std::chrono::milliseconds(250)) {
            return;
        }
        m_lastStats = now;
        if (const std::optional<LiveStats> s = m_live->stats()) {
            m_counters->received = s->received;
            m_counters->droppedByKernel = s->droppedByKernel;
            m_counters->droppedByInterface = s->droppedByInterface;
        }
    }

    std::unique_ptr<LiveSource> m_live;
    std::unique_ptr<PcapngWriter> m_writer;
    std::shared_ptr<LiveCaptureController::Counters> m_counters;
    int m_sinceStats = 0;
    std::chrono::steady_clock::time_point m_lastStats;
};

} // namespace

CaptureRefusal captureRefusal(const QString& error, const QString& program) {
    CaptureRefusal r;
    r.permission = error.contains(QStringLiteral("permission denied"), Qt::CaseInsensitive) ||
                   error.contains(QStringLiteral("CAP_NET_RAW"));
    if (!r.permission) {
        r.title = QStringLiteral("Cannot start the capture");
        r.text = error;
        return r;
    }
    // packet(7): opening a packet socket needs CAP_NET_RAW; promiscuous mode and the kernel
    // buffer size need CAP_NET_ADMIN. File capabilities let the GUI capture without root.
    r.title = QStringLiteral("Live capture not permitted");
    r.text = QStringLiteral(
                 "wstrace-gui is not allowed to capture packets.\n\n"
                 "Missing permission: CAP_NET_RAW (to open a packet socket) and CAP_NET_ADMIN "
                 "(for promiscuous mode and the capture buffer).\n\n"
                 "wstrace-gui does not need to run as root. Grant the two capabilities to the "
                 "program once, then start it again:\n\n"
                 "    sudo setcap cap_net_raw,cap_net_admin=eip %1\n\n"
                 "For an installed wstrace-gui:\n\n"
                 "    sudo setcap cap_net_raw,cap_net_admin=eip $(command -v wstrace-gui)\n\n"
                 "Details: %2")
                 .arg(program, error);
    return r;
}

LiveCaptureController::LiveCaptureController(SessionController* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_timer(new QTimer(this)) {
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &LiveCaptureController::statsChanged);
    connect(m_session, &SessionController::loadFinished, this, [this] {
        if (!m_capturing) {
            return;
        }
        m_capturing = false;
        m_timer->stop();
        emit statsChanged();
        emit stopped();
    });
}

bool LiveCaptureController::start(const LiveCaptureSettings& settings, QString* error) {
    auto live = std::make_unique<LiveSource>(settings.options);
    if (!live->isOpen()) {
        if (error) {
            *error = QString::fromStdString(live->errorMessage());
        }
        return false;
    }
    std::unique_ptr<PcapngWriter> writer;
    if (!settings.savePath.isEmpty()) {
        writer = std::make_unique<PcapngWriter>(
            std::string(QFile::encodeName(settings.savePath).constData()), "wstrace-gui");
        if (!writer->isOpen()) {
            if (error) {
                *error = QString::fromStdString(writer->errorMessage());
            }
            return false;
        }
    }
    m_counters = std::make_shared<Counters>();
    // The session's opener is copyable; hand the opened source over through a shared holder.
    auto holder = std::make_shared<std::unique_ptr<PacketSource>>(
        std::make_unique<LiveRunSource>(std::move(live), std::move(writer), m_counters));
    m_interface = QString::fromStdString(settings.options.interface);
    m_savePath = settings.savePath;
    m_capturing = false; // the cancel of whatever ran before is not our stop
    m_session->openSource(
        m_interface, [holder](std::string&) { return std::move(*holder); }, true);
    m_capturing = true;
    m_timer->start();
    emit started();
    emit statsChanged();
    return true;
}

void LiveCaptureController::stop() {
    if (m_capturing) {
        m_session->cancel();
    }
}

std::uint64_t LiveCaptureController::dropped() const {
    return m_counters ? m_counters->droppedByKernel.load() + m_counters->droppedByInterface.load()
                      : 0;
}

QString LiveCaptureController::writeError() const {
    if (!m_counters || !m_counters->writeFailed.load()) {
        return {};
    }
    std::lock_guard lock(m_counters->mutex);
    return QString::fromStdString(m_counters->writeError);
}

} // namespace wst::ui
