// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/packet_source.h"
#include "decoder/model/trace_store.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace wst {
class Pipeline;
}

namespace wst::ui {

/// Runs one capture at a time through the Pipeline on a worker thread and keeps the GUI's
/// Trace. The worker never touches Qt objects: it hands TraceBatch values to the GUI
/// thread through queued calls, each tagged with the run's generation; a batch from a run that
/// was cancelled or replaced is dropped (STYLE.md practice 9). When the GUI falls behind, the
/// worker waits (file loads only) instead of queueing without bound.
class SessionController final : public QObject {
    Q_OBJECT
public:
    explicit SessionController(QObject* parent = nullptr);
    ~SessionController() override;

    /// Message payload bytes one run keeps in the document, all messages together; past it
    /// each message keeps a short head (PayloadBudget). By default (payloadBudgetFor) a file
    /// of up to kKeepAllPayloadsUpTo bytes keeps every payload prefix (together they are
    /// smaller than the file) and anything larger, or a live or replayed source, shares
    /// kDefaultPayloadBudget; setPayloadBudget overrides that for every later run.
    void setPayloadBudget(std::uint64_t bytes) { m_payloadBudgetOverride = bytes; }
    /// The budget a run of a file of `fileSize` bytes (0: not a file) gets.
    std::uint64_t payloadBudgetFor(std::uint64_t fileSize) const;
    static constexpr std::uint64_t kDefaultPayloadBudget = 32ull << 20;
    static constexpr std::uint64_t kKeepAllPayloadsUpTo = 256ull << 20;

    /// Opens a source of any kind (a replay, a live interface) on the worker thread; on failure
    /// returns null and sets `error`.
    using SourceOpener = std::function<std::unique_ptr<PacketSource>(std::string& error)>;

    /// Opens `path` on the calling thread (only its header is read) and, when that works,
    /// cancels any running load, clears the document and starts loading it. When the file
    /// cannot be opened, what is shown stays as it is (like Wireshark keeping the open file):
    /// openFailed is emitted and false returned.
    bool openFile(const QString& path);
    /// Like openFile, for a source `open` makes on the worker thread, shown as `name`. `live`
    /// runs the pipeline in live mode (idle connections expire) and never makes the capture
    /// wait for the GUI.
    void openSource(const QString& name, SourceOpener open, bool live = false);
    /// Stops the running load; what arrived so far stays. No-op when idle.
    void cancel();
    /// Starts an empty document named `name` that batches from elsewhere (a replay, another
    /// process, tests) are appended to with appendBatch(). Cancels any running load.
    void startExternal(const QString& name);
    /// Appends a batch to the current document, as if the worker had sent it.
    void appendBatch(TraceBatch&& batch);

    const Trace& document() const { return m_document; }
    /// Sets the server-log reconciliation of the finished document (File → Add Server Log…),
    /// or clears it with null; emits serverLogsChanged. A new document starts without one.
    void setServerLogs(std::shared_ptr<const logs::ServerLogReport> report);
    QString fileName() const { return m_fileName; }
    bool isLoading() const { return m_loading; }
    std::uint64_t generation() const { return m_generation; }
    /// Packets and bytes read so far by the running load (any thread may update them).
    std::uint64_t packetsRead() const { return m_packets.load(std::memory_order_relaxed); }
    std::uint64_t bytesRead() const { return m_bytes.load(std::memory_order_relaxed); }
    /// Size of the file being loaded, for progress (0 if unknown).
    std::uint64_t fileSize() const { return m_fileSize; }

signals:
    void aboutToReset();
    void reset();
    void loadStarted(const QString& path);
    /// The document grew; `delta` says by how much.
    void batchApplied(const wst::TraceDelta& delta);
    /// openFile could not open `path`; nothing was replaced.
    void openFailed(const QString& path, const QString& error);
    /// The load ended. `error` is empty on success; `cancelled` when the user stopped it.
    void loadFinished(bool cancelled, const QString& error);
    /// document().serverLogs changed (set or cleared by setServerLogs).
    void serverLogsChanged();

private:
    void joinWorker();
    void applyBatch(std::uint64_t generation, TraceBatch&& batch);
    void finishLoad(std::uint64_t generation, const QString& error);
    void begin(const QString& name, SourceOpener open, bool live, std::uint64_t fileSize);
    /// Stops any run, empties the document and starts a new generation named `name`.
    void resetDocument(const QString& name, bool loading, std::uint64_t fileSize);
    void runWorker(std::uint64_t generation, SourceOpener open, std::string name, bool live,
                   bool wholeFile, std::uint64_t payloadBudget);

    Trace m_document;
    QString m_fileName;
    bool m_loading = false;
    bool m_cancelled = false;
    std::optional<std::uint64_t> m_payloadBudgetOverride;
    std::uint64_t m_generation = 0;
    std::uint64_t m_fileSize = 0;
    std::atomic<std::uint64_t> m_packets{0};
    std::atomic<std::uint64_t> m_bytes{0};
    std::atomic<int> m_inFlight{0};
    std::atomic<bool> m_stopRequested{false};
    std::mutex m_pipelineMutex;
    Pipeline* m_pipeline = nullptr; ///< the running pipeline, guarded by m_pipelineMutex
    std::thread m_worker;
};

} // namespace wst::ui
