// SPDX-License-Identifier: MIT
// wst_gui_load_bench FILE: opens FILE in the real MainWindow (run with QT_QPA_PLATFORM=offscreen)
// and prints, as one JSON line, how long it took until the window was usable (issue 8: "the
// 1 GB capture opens and is usable within 3 s, peak memory at most 0.3x the file size"):
//   first_rows_s  the connection list first showed rows
//   loaded_s      the load finished (SessionController::loadFinished) with every connection listed
//   select_s      then selecting the busiest connection built its ladder and frame table
//   worst_gap_ms  the longest pause of a 10 ms timer while loading (event-loop responsiveness)
//   peak_rss_kb   VmHWM of this process at the end
//   payload_bytes message payload prefixes the document keeps
// tests/bench/gui-bench.sh runs it under /usr/bin/time -v on the cached load-test captures.
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

    std::printf("{\"file\": \"%s\", \"file_bytes\": %lld, \"packets\": %llu, \"connections\": %zu, "
                "\"rows\": %d, \"events\": %zu, \"messages\": %zu, \"payload_bytes\": %zu, "
                "\"first_rows_s\": %.3f, "
                "\"loaded_s\": %.3f, \"select_s\": %.3f, \"selected_frames\": %d, "
                "\"worst_gap_ms\": %lld, \"peak_rss_kb\": %ld}\n",
                qPrintable(QFileInfo(path).fileName()),
                static_cast<long long>(QFileInfo(path).size()),
                static_cast<unsigned long long>(doc.stats.packets), doc.connections.size(),
                window.connectionModel()->rowCount(), doc.events.size(), doc.messages.size(),
                payloadBytes, static_cast<double>(firstRowsMs) / 1000.0,
                static_cast<double>(loadedMs) / 1000.0, static_cast<double>(selectMs) / 1000.0,
                frameRows, static_cast<long long>(worstGapMs), peakRssKb());
    return 0;
}
