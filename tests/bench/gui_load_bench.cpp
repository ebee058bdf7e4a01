// SPDX-License-Identifier: MIT
// wst_gui_load_bench FILE: opens FILE in the real MainWindow (run with QT_QPA_PLATFORM=offscreen)
// and prints, as one JSON line, how long it took until the window was usable (issue 8: "the
// 1 GB capture opens and is usable within 3 s, peak memory at most 0.3x the file size"):
//   first_rows_s  the connection list first showed rows
//   loaded_s      the load finished (SessionController::loadFinished) with every connection listed
//   select_s      then selecting the busiest connection built its ladder and frame table
//   worst_gap_ms  the longest pause of a 10 ms timer while loading (event-loop responsiveness)
//   payload_bytes message payload prefixes the document keeps
//   loaded_rss_kb VmHWM after the load and the selection, before any export
//   export_s      then File → Export → JSON of the whole trace (ExportActions::runFormat) took
//   peak_rss_kb   VmHWM of this process at the end (after the export)
// With WST_BENCH_EXPORT_COPY=1 the export first copies the trace, as the GUI did before issue 14
// (toTraceStore): the same binary then shows what that copy cost.
// tests/bench/gui-bench.sh runs it under /usr/bin/time -v on the cached load-test captures.
#include "decoder/export/formats.h"
#include "ui/export_actions.h"
#include "ui/exporters.h"
#include "ui/main_window.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/session_controller.h"
#include "ui/timeline_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

long peakRssKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // keep the bench out of the user's Recent Files
    if (argc != 2) {
        std::fprintf(stderr, "usage: wst_gui_load_bench FILE\n");
        return 2;
    }
    const QString path = QFileInfo(QFile::decodeName(argv[1])).absoluteFilePath();
    if (!QFileInfo(path).isFile()) {
        std::fprintf(stderr, "wst_gui_load_bench: no such file: %s\n", argv[1]);
        return 2;
    }

    wst::ui::MainWindow window;
    window.setDialogsEnabled(false);
    window.resize(1400, 900);
    window.show();
    QApplication::processEvents();

    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    qint64 worstGapMs = 0;
    qint64 firstRowsMs = -1;
    QTimer ticker;
    ticker.setInterval(10);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (sinceTick.isValid()) {
            worstGapMs = std::max(worstGapMs, sinceTick.elapsed());
        }
        sinceTick.restart();
    });
    auto* session = window.session();
    QObject::connect(session, &wst::ui::SessionController::batchApplied, [&] {
        if (firstRowsMs < 0 && window.connectionModel()->rowCount() > 0) {
            firstRowsMs = clock.elapsed();
        }
    });
    qint64 loadedMs = -1;
    QString error;
    QObject::connect(session, &wst::ui::SessionController::loadFinished,
                     [&](bool, const QString& e) {
                         loadedMs = clock.elapsed();
                         error = e;
                         ticker.stop();
                         QTimer::singleShot(0, &app, &QApplication::quit);
                     });

    clock.start();
    ticker.start();
    window.openFile(path);
    QApplication::exec();
    if (loadedMs < 0 || !error.isEmpty()) {
        std::fprintf(stderr, "wst_gui_load_bench: load failed: %s\n", qPrintable(error));
        return 1;
    }

    // Usable means a click on a connection shows it: select the one with the most events.
    const auto& doc = session->document();
    wst::ConnId busiest = 0;
    std::size_t most = 0;
    for (std::size_t i = 0; i < doc.eventIndex.size(); ++i) {
        if (doc.eventIndex[i].size() > most) {
            most = doc.eventIndex[i].size();
            busiest = static_cast<wst::ConnId>(i + 1);
        }
    }
    QElapsedTimer selectClock;
    selectClock.start();
    window.selectConnection(busiest);
    QApplication::processEvents();
    const qint64 selectMs = selectClock.elapsed();
    const int frameRows = window.frameModel()->rowCount();
    std::size_t payloadBytes = 0;
    for (const wst::Message& m : doc.messages) {
        payloadBytes += m.payload.size();
    }

    // Export the whole trace as JSON, as File → Export → JSON does, and see what it adds to
    // the peak (the exporters read the session's trace in place).
    const long loadedRssKb = peakRssKb();
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("export.json"));
    QElapsedTimer exportClock;
    exportClock.start();
    QString exportError;
    if (qEnvironmentVariableIsSet("WST_BENCH_EXPORT_COPY")) {
        const wst::Trace copy = doc;
        exportError = wst::ui::exportTrace(*wst::findTraceFormat("json"), copy, out);
    } else {
        auto* exports = window.findChild<wst::ui::ExportActions*>();
        exportError = exports ? exports->runFormat(*wst::findTraceFormat("json"), out)
                              : QStringLiteral("no ExportActions");
    }
    const qint64 exportMs = exportClock.elapsed();
    if (!exportError.isEmpty()) {
        std::fprintf(stderr, "wst_gui_load_bench: export failed: %s\n", qPrintable(exportError));
        return 1;
    }
    std::printf(
        "{\"file\": \"%s\", \"file_bytes\": %lld, \"packets\": %llu, \"connections\": %zu, "
        "\"rows\": %d, \"events\": %zu, \"messages\": %zu, \"payload_bytes\": %zu, "
        "\"first_rows_s\": %.3f, "
        "\"loaded_s\": %.3f, \"select_s\": %.3f, \"selected_frames\": %d, "
        "\"worst_gap_ms\": %lld, \"loaded_rss_kb\": %ld, \"export_s\": %.3f, "
        "\"peak_rss_kb\": %ld}\n",
        qPrintable(QFileInfo(path).fileName()), static_cast<long long>(QFileInfo(path).size()),
        static_cast<unsigned long long>(doc.stats.packets), doc.connections.size(),
        window.connectionModel()->rowCount(), doc.events.size(), doc.messages.size(), payloadBytes,
        static_cast<double>(firstRowsMs) / 1000.0, static_cast<double>(loadedMs) / 1000.0,
        static_cast<double>(selectMs) / 1000.0, frameRows, static_cast<long long>(worstGapMs),
        loadedRssKb, static_cast<double>(exportMs) / 1000.0, peakRssKb());
    return 0;
}
