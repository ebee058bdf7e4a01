// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <QObject>
#include <QString>
#include <functional>
#include <set>

class QMenu;

namespace wst {
struct TraceFormat;
}

namespace wst::ui {

class MainWindow;

/// File → Export: one action per trace format the format table offers the GUI
/// (decoder/export/formats.h: JSON, CSV, HAR, the HTML report, ...), then the pictures of the
/// views and the pcapng of the selected connections. Each asks only for a file name
/// (QFileDialog) and calls the exporter in exporters.h on the session's trace or on the view as
/// shown; run() and runFormat() do the same without a dialog (tests, scripts).
class ExportActions final : public QObject {
    Q_OBJECT
public:
    /// The exports that are not trace formats: what the views show, and packets.
    enum class Kind {
        TimelinePng,
        TimelineSvg,
        OverviewPng,
        OverviewSvg,
        SelectedPcapng,
    };

    /// Fills `window`'s Export menu.
    explicit ExportActions(MainWindow* window);

    /// Writes the session's trace in `format` to `path`. Returns "" on success, else the error
    /// (also shown in the status bar).
    QString runFormat(const TraceFormat& format, const QString& path);
    /// Writes `kind` to `path`, as runFormat().
    QString run(Kind kind, const QString& path);
    /// The connections selected in the connection list (several rows may be selected).
    std::set<ConnId> selectedConnections() const;
    /// Whether `kind` can be written now (a connection for the timeline, rows selected and a
    /// capture file to reread for pcapng).
    bool isAvailable(Kind kind) const;
    /// Whether there is a trace to write in a trace format.
    bool hasTrace() const;
    /// The file a pcapng subset is read from: the capture file, or the pcapng a finished live
    /// capture was saved to.
    QString captureFile() const;

private:
    void ask(const QString& suffix, const QString& filter,
             const std::function<QString(const QString&)>& write);
    void updateEnabled();
    /// Shows the outcome of an export in the status bar and passes the error on.
    QString report(const QString& error, const QString& done);

    MainWindow* m_window;
};

} // namespace wst::ui
