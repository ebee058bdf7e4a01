// SPDX-License-Identifier: MIT
#pragma once

#include "capture/source/live_source.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

class QTimer;

namespace wst::ui {

class SessionController;

/// What the live-capture dialog collects.
struct LiveCaptureSettings {
    LiveOptions options;
    QString savePath; ///< also write every packet to this pcapng file; empty: do not save
};

/// The message shown when a live capture cannot start. For a refused capture it names the
/// missing permissions (CAP_NET_RAW to open a packet socket, CAP_NET_ADMIN for promiscuous
/// mode and buffer sizes) and the exact command that grants them to `program`.
struct CaptureRefusal {
    bool permission = false; ///< the error is a missing privilege
    QString title;
    QString text;
};
CaptureRefusal captureRefusal(const QString& error, const QString& program);

/// Runs a live capture through the SessionController: the session's worker thread runs the
/// Pipeline in live mode over a LiveSource (and writes a pcapng at the same time when asked),
/// so connections, frames and anomalies appear while capturing. The capture thread never waits
/// for the GUI. The interface is opened on the calling thread first, so a refusal is reported
/// before anything shown is replaced.
class LiveCaptureController final : public QObject {
    Q_OBJECT
public:
    /// Counters of the running (or last) capture; written by the capture thread.
    struct Counters {
        std::atomic<std::uint64_t> packets{0};
        std::atomic<std::uint64_t> received{0};
        std::atomic<std::uint64_t> droppedByKernel{0};
        std::atomic<std::uint64_t> droppedByInterface{0};
        std::atomic<std::uint64_t> written{0};
        std::atomic<bool> writeFailed{false};
        std::atomic<bool> closed{false}; ///< the source is closed and the pcapng finished
        std::mutex mutex;
        std::string writeError; ///< guarded by mutex
    };

    explicit LiveCaptureController(SessionController* session, QObject* parent = nullptr);

    /// Opens the interface and starts capturing. On failure returns false and sets `error` to
    /// the source's one-line message (nothing shown is replaced).
    bool start(const LiveCaptureSettings& settings, QString* error);
    /// Stops the capture; what was captured stays shown (and the pcapng is finished).
    void stop();

    bool isCapturing() const { return m_capturing; }
    QString interfaceName() const { return m_interface; }
    QString savePath() const { return m_savePath; }
    std::uint64_t packets() const { return m_counters ? m_counters->packets.load() : 0; }
    std::uint64_t dropped() const;
    std::uint64_t written() const { return m_counters ? m_counters->written.load() : 0; }
    /// True once the capture thread has closed the interface and finished the pcapng file.
    bool isClosed() const { return !m_counters || m_counters->closed.load(); }
    /// The pcapng write error, or "".
    QString writeError() const;

signals:
    void started();
    /// Counters changed (about twice a second while capturing).
    void statsChanged();
    void stopped();

private:
    SessionController* m_session;
    QTimer* m_timer;
    std::shared_ptr<Counters> m_counters;
    QString m_interface;
    QString m_savePath;
    bool m_capturing = false;
};

} // namespace wst::ui
