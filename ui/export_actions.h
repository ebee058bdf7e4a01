// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <QObject>
#include <QString>
#include <set>

class QMenu;

namespace wst::ui {

class MainWindow;

/// File → Export: one action per format. Each asks only for a file name (QFileDialog) and
/// calls the exporter in exporters.h on the session's document or on the view as shown;
/// run() does the same without a dialog (tests, scripts).
class ExportActions final : public QObject {
    Q_OBJECT
public:
    enum class Kind {
        Json,
        CsvFrames,
        CsvMessages,
        Har,
        HtmlReport,
        TimelinePng,
        TimelineSvg,
        OverviewPng,
        OverviewSvg,
        SelectedPcapng,
    };

    /// Fills `window`'s Export menu.
    explicit ExportActions(MainWindow* window);

    /// Writes `kind` to `path`. Returns "" on success, else the error (also shown in the
    /// status bar).
    QString run(Kind kind, const QString& path);
    /// The connections selected in the connection list (several rows may be selected).
    std::set<ConnId> selectedConnections() const;
    /// Whether `kind` can be written now (something loaded, a connection for the timeline,
    /// rows selected and a capture file to reread for pcapng).
    bool isAvailable(Kind kind) const;
    /// The file a pcapng subset is read from: the capture file, or the pcapng a finished live
    /// capture was saved to.
    QString captureFile() const;

private:
    void ask(Kind kind);
    void updateEnabled();

    MainWindow* m_window;
};

} // namespace wst::ui
