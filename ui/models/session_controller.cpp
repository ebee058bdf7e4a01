// SPDX-License-Identifier: MIT
#include "ui/models/session_controller.h"

#include "capture/source/open_capture_file.h"
#include "decoder/model/batching_sink.h"
#include "decoder/model/payload_budget.h"
#include "decoder/pipeline/pipeline.h"

#include <QFileInfo>
#include <QMetaObject>
#include <algorithm>
#include <chrono>

namespace wst::ui {

namespace {
/// Batches queued towards the GUI before the worker waits for it to catch up.
constexpr int kMaxInFlight = 2;
/// A whole file is read as fast as possible; each batch costs the GUI thread a fixed amount
/// (connection rows rebuilt, status, repaint) besides its events, so file loads hand over
/// fewer, larger batches. On the 1 GB load test (1.77 M events) 27 batches instead of 88 cut the
/// load's CPU time by about a quarter (issue 8); rows still appear within about 0.1 s.
constexpr int kFileBatchIntervalMs = 100;
constexpr std::size_t kFileBatchEvents = 65536;
/// Live captures and paced replays arrive slowly; small, frequent batches keep the views
/// current.
constexpr int kStreamBatchIntervalMs = 50;
constexpr std::size_t kStreamBatchEvents = 20000;
} // namespace

SessionController::SessionController(QObject* parent)
    : QObject(parent) {}

SessionController::~SessionController() {
    cancel();
    joinWorker();
}

void SessionController::joinWorker() {
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

bool SessionController::openFile(const QString& path) {
    const std::string local(QFile::encodeName(path).constData());
    // Issue 17: a file that is not a capture (a README dropped on the window) must not empty the
    // capture shown, so the source is opened before anything is reset.
    std::string error;
    std::unique_ptr<PacketSource> source = openCaptureFile(local, error);
    if (!source) {
        emit openFailed(path,
                        QString::fromStdString(error.empty() ? "cannot open " + local : error));
        return false;
    }
    // The session's opener is copyable; hand the opened source over through a shared holder.
    auto holder = std::make_shared<std::unique_ptr<PacketSource>>(std::move(source));
    begin(
        path, [holder](std::string&) { return std::move(*holder); }, false,
        static_cast<std::uint64_t>(QFileInfo(path).size()));
    return true;
}

void SessionController::openSource(const QString& name, SourceOpener open, bool live) {
    begin(name, std::move(open), live, 0);
}

void SessionController::begin(const QString& name, SourceOpener open, bool live,
                              std::uint64_t fileSize) {
    resetDocument(name, true, fileSize);
    emit loadStarted(name);
    m_worker = std::thread(&SessionController::runWorker, this, m_generation, std::move(open),
                           name.toStdString(), live, fileSize > 0, payloadBudgetFor(fileSize));
}

std::uint64_t SessionController::payloadBudgetFor(std::uint64_t fileSize) const {
    if (m_payloadBudgetOverride) {
        return *m_payloadBudgetOverride;
    }
    // Issue 8: a 1 GB load test carries about 0.85 GB of payload; keeping it all would hold
    // the capture in memory. A smaller file keeps everything: its payloads cannot outgrow it.
    return fileSize > 0 && fileSize <= kKeepAllPayloadsUpTo ? PayloadBudget::kUnlimited
                                                            : kDefaultPayloadBudget;
}

void SessionController::startExternal(const QString& name) {
    resetDocument(name, false, 0);
}

void SessionController::resetDocument(const QString& name, bool loading, std::uint64_t fileSize) {
    cancel();
    joinWorker();
    ++m_generation; // batches of the previous run are stale from here on
    emit aboutToReset();
    m_document.clear();
    m_fileName = name;
    m_loading = loading;
    m_cancelled = false;
    m_packets = 0;
    m_bytes = 0;
    m_inFlight = 0;
    m_stopRequested = false;
    m_fileSize = fileSize;
    emit reset();
}

void SessionController::setServerLogs(std::shared_ptr<const logs::ServerLogReport> report) {
    m_document.serverLogs = std::move(report);
    emit serverLogsChanged();
}

void SessionController::appendBatch(TraceBatch&& batch) {
    applyBatch(m_generation, std::move(batch));
}

void SessionController::cancel() {
    if (!m_loading) {
        return;
    }
    m_stopRequested = true;
    {
        std::lock_guard lock(m_pipelineMutex);
        if (m_pipeline) {
            m_pipeline->stop();
        }
    }
    // Everything the worker still sends belongs to a finished generation and is dropped.
    const std::uint64_t stale = m_generation++;
    m_cancelled = true;
    finishLoad(stale, {});
}

void SessionController::runWorker(std::uint64_t generation, SourceOpener open, std::string name,
                                  bool live, bool wholeFile, std::uint64_t payloadBudget) {
    std::string error;
    std::unique_ptr<PacketSource> source = open ? open(error) : nullptr;
    if (!source) {
        if (error.empty()) {
            error = "cannot open " + name;
        }
        QMetaObject::invokeMethod(
            this,
            [this, generation, e = QString::fromStdString(error)] { finishLoad(generation, e); },
            Qt::QueuedConnection);
        return;
    }
    BatchingSink sink(
        [this, generation, live](TraceBatch&& batch) {
            // Back-pressure for file loads: let the GUI catch up rather than queue without bound.
            // A live capture never waits for the GUI (the kernel would drop packets meanwhile).
            while (!live && m_inFlight.load() >= kMaxInFlight && !m_stopRequested.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            if (m_stopRequested.load()) {
                return;
            }
            ++m_inFlight;
            auto shared = std::make_shared<TraceBatch>(std::move(batch));
            QMetaObject::invokeMethod(
                this,
                [this, generation, shared] {
                    --m_inFlight;
                    applyBatch(generation, std::move(*shared));
                },
                Qt::QueuedConnection);
        },
        std::chrono::milliseconds(wholeFile ? kFileBatchIntervalMs : kStreamBatchIntervalMs),
        wholeFile ? kFileBatchEvents : kStreamBatchEvents);
    // Issue 8: a 1 GB capture carries about 1 GB of payload; the document keeps a bounded part.
    sink.setPayloadBudget(payloadBudget);
    Pipeline::Options options;
    options.live = live;
    // Sources that wait (live, paced replay) return Timeout now and then: hand over what is
    // pending so the views show the latest state while the wire is quiet.
    options.idle = [&sink] { sink.poll(); };
    // A whole file is read as fast as possible; live and paced packets come slowly enough to
    // count each one (the status bar shows them as they arrive).
    options.progressEveryPackets = wholeFile ? 2048 : 1;
    options.progress = [this, &sink](const CaptureStats& s) {
        m_packets.store(s.packets, std::memory_order_relaxed);
        m_bytes.store(s.bytes, std::memory_order_relaxed);
        sink.poll();
    };
    Pipeline pipeline(*source, sink, options);
    {
        std::lock_guard lock(m_pipelineMutex);
        m_pipeline = &pipeline;
    }
    if (m_stopRequested.load()) {
        pipeline.stop();
    }
    const CaptureStats stats = pipeline.run();
    {
        std::lock_guard lock(m_pipelineMutex);
        m_pipeline = nullptr;
    }
    m_packets.store(stats.packets);
    m_bytes.store(stats.bytes);
    QMetaObject::invokeMethod(
        this,
        [this, generation, e = QString::fromStdString(stats.error)] { finishLoad(generation, e); },
        Qt::QueuedConnection);
}

void SessionController::applyBatch(std::uint64_t generation, TraceBatch&& batch) {
    if (generation != m_generation) {
        return; // stale: from a run that was cancelled or replaced
    }
    const TraceDelta delta = m_document.append(std::move(batch));
    // The exports name the capture from the stats; a run still going has none yet.
    if (m_document.stats.source.empty()) {
        m_document.stats.source = m_fileName.toStdString();
    }
    emit batchApplied(delta);
}

void SessionController::finishLoad(std::uint64_t generation, const QString& error) {
    if (generation != m_generation && !(m_cancelled && generation + 1 == m_generation)) {
        return;
    }
    if (!m_loading) {
        return;
    }
    m_loading = false;
    if (!error.isEmpty()) {
        m_document.stats.error = error.toStdString();
    }
    emit loadFinished(m_cancelled, error);
}

} // namespace wst::ui
