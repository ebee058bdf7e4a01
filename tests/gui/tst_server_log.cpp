// SPDX-License-Identifier: MIT
// File → Add Server Log… on a real capture (issue 16 item 4): the Server Log pane lists the
// selected connection's entries with their marks, the capture's story and table by path, the
// ladder draws them at their time, a file that is not a log leaves the capture as it is, and
// opening another capture drops the logs. With WST_SCREENSHOT_OUT set, the window is saved there
// (docs/images/server-log.png).
#include "decoder/logs/reconcile.h"
#include "ui/main_window.h"
#include "ui/models/session_controller.h"
#include "ui/server_log_panel.h"
#include "ui/timeline_view.h"
#include "ui/verdict_strip.h"

#include <QAction>
#include <QDir>
#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

using namespace wst;
using namespace wst::ui;

namespace {
QString capture(const char* name) {
    return QStringLiteral(WST_CAPTURES_DIR "/") + QString::fromLatin1(name);
}

bool loadAndWait(MainWindow& w, const QString& path) {
    QSignalSpy done(w.session(), &SessionController::loadFinished);
    w.openFile(path);
    return done.wait(60000) && done.count() == 1;
}

/// Every row of the pane's entry list as "where | entry | mark | certainty | reason".
QStringList rows(const ServerLogPanel* panel) {
    QStringList out;
    const QTreeWidget* t = panel->entries();
    for (int i = 0; i < t->topLevelItemCount(); ++i) {
        QStringList cells;
        for (int c = 0; c < t->columnCount(); ++c) {
            cells << t->topLevelItem(i)->text(c);
        }
        out << cells.join(QStringLiteral(" | "));
    }
    return out;
}

bool anyContains(const QStringList& rows, const QString& what) {
    return std::any_of(rows.begin(), rows.end(),
                       [&](const QString& r) { return r.contains(what); });
}
} // namespace

class TestServerLog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
        QVERIFY(QFileInfo::exists(capture("gin-write-after-upgrade.pcapng")));
        QVERIFY(QFileInfo::exists(capture("gin-write-after-upgrade.server.log")));
    }

    void addsALogToTheOpenCapture() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.addServerLogAction()->isEnabled()); // nothing open yet
        QVERIFY(!w.addServerLog(capture("gin-write-after-upgrade.server.log")));

        QVERIFY(loadAndWait(w, capture("gin-write-after-upgrade.pcapng")));
        QVERIFY(w.addServerLogAction()->isEnabled());
        ServerLogPanel* pane = w.serverLogPanel();
        QVERIFY(pane->hintText().contains(QStringLiteral("Add Server Log")));
        QCOMPARE(w.detailTabs()->tabText(w.detailTabs()->indexOf(pane)),
                 QStringLiteral("Server Log"));

        // A file that is not a log: a one-line error, the capture stays.
        const std::size_t connections = w.session()->document().connections.size();
        QVERIFY(!w.addServerLog(capture("gin-write-after-upgrade.pcapng")));
        QVERIFY(!w.lastError().isEmpty());
        QVERIFY(!w.lastError().contains(QLatin1Char('\n')));
        QVERIFY(!w.session()->document().serverLogs);
        QCOMPARE(w.session()->document().connections.size(), connections);

        // Before the log, the strip can only say what gin's access log would show.
        const QString wireOnly = w.verdictStrip()->summaryText();
        QVERIFY2(wireOnly.contains(QStringLiteral("access log")), qPrintable(wireOnly));
        QVERIFY(!wireOnly.contains(QStringLiteral("server log:")));

        QSignalSpy changed(w.session(), &SessionController::serverLogsChanged);
        QVERIFY(w.addServerLog(capture("gin-write-after-upgrade.server.log")));
        QCOMPARE(changed.count(), 1);
        QVERIFY(w.lastError().isEmpty());
        const auto report = w.session()->document().serverLogs;
        QVERIFY(report);
        QVERIFY(!report->matches.empty());

        // With it, the strip tells the reconciliation's story: its first line, all in the tip.
        QVERIFY(!report->story.empty());
        const QString withLog = w.verdictStrip()->summaryText();
        QVERIFY2(withLog.contains(QStringLiteral("server log: ") +
                                  QString::fromStdString(report->story.front())),
                 qPrintable(withLog));
        QVERIFY(!withLog.contains(QStringLiteral("if the server is gin")));

        w.selectConnection(1);
        QCOMPARE(w.selectedConnection(), ConnId{1});
        QVERIFY(pane->hintText().isEmpty());
        const QStringList listed = rows(pane);
        QVERIFY2(anyContains(listed, QStringLiteral("contradicts")),
                 qPrintable(listed.join(QLatin1Char('\n'))));
        QVERIFY2(anyContains(listed, QStringLiteral("log only")),
                 qPrintable(listed.join(QLatin1Char('\n'))));
        QCOMPARE(pane->entries()->topLevelItemCount(), int(report->matchesOf(1).size()));
        QVERIFY(!pane->storyText().isEmpty());
        QVERIFY(pane->storyText().contains(QStringLiteral("server.log")));

        // The ladder draws the timed entries beside the server lane, with a tooltip.
        std::size_t timed = 0;
        for (std::uint32_t i : report->matchesOf(1)) {
            timed += report->matches[i].timeNs.has_value();
        }
        QCOMPARE(w.timeline()->logMarks().size(), timed);
        QVERIFY(timed > 0);
        QVERIFY(w.timeline()->logMarks().front().tooltip.contains(QStringLiteral("Server log")));
        const QPoint at = w.timeline()->logMarkPos(0);
        if (w.timeline()->viewport()->rect().contains(at)) {
            QCOMPARE(w.timeline()->logMarkAt(at), 0);
        }

        // A second log adds to the first (the same file twice: twice the entries).
        const std::size_t entries = report->logs->entries.size();
        QVERIFY(w.addServerLog(capture("gin-write-after-upgrade.server.log")));
        QCOMPARE(w.session()->document().serverLogs->logs->entries.size(), 2 * entries);
        QCOMPARE(w.session()->document().serverLogs->logs->files.size(), std::size_t{2});

        // Opening another capture drops the logs.
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        QVERIFY(!w.session()->document().serverLogs);
        QVERIFY(!w.verdictStrip()->summaryText().contains(QStringLiteral("server log:")));
        w.selectConnection(1);
        QCOMPARE(pane->entries()->topLevelItemCount(), 0);
        QVERIFY(pane->hintText().contains(QStringLiteral("Add Server Log")));
        QVERIFY(w.timeline()->logMarks().empty());
        QVERIFY(w.addServerLog(capture("gin-write-after-upgrade.server.log")));
        QCOMPARE(w.session()->document().serverLogs->logs->files.size(), std::size_t{1});
    }

    void noConnectionShowsTheTableByPath() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-write-after-upgrade.pcapng")));
        QVERIFY(w.addServerLog(capture("gin-write-after-upgrade.server.log")));
        w.connectionTable()->setCurrentIndex(QModelIndex());
        w.serverLogPanel()->setConnection(0);
        QVERIFY(w.serverLogPanel()->pathTableText().contains(QStringLiteral("/after-json")));
    }

    void droppedLogIsAddedDroppedCaptureOpens() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-write-after-upgrade.pcapng")));
        const auto drop = [&](const QString& path) {
            QMimeData mime;
            mime.setUrls({QUrl::fromLocalFile(path)});
            QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                                  Qt::NoModifier);
            QCoreApplication::sendEvent(&w, &enter);
            QDropEvent event(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                             Qt::NoModifier);
            QCoreApplication::sendEvent(&w, &event);
        };
        drop(capture("gin-write-after-upgrade.server.log"));
        QVERIFY2(w.session()->document().serverLogs,
                 qPrintable(w.lastError() + QLatin1Char(' ') + w.session()->fileName()));
        QVERIFY(!w.session()->isLoading()); // the capture stayed
        QSignalSpy done(w.session(), &SessionController::loadFinished);
        drop(capture("gin-200-then-101.pcapng"));
        QVERIFY(done.wait(60000));
        QVERIFY(!w.session()->document().serverLogs);
        QVERIFY(w.session()->fileName().endsWith(QStringLiteral("gin-200-then-101.pcapng")));
    }

    void screenshot() {
        const QString out = qEnvironmentVariable("WST_SCREENSHOT_OUT");
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(loadAndWait(w, capture("gin-write-after-upgrade.pcapng")));
        QVERIFY(w.addServerLog(capture("gin-write-after-upgrade.server.log")));
        w.selectConnection(1);
        w.detailTabs()->setCurrentWidget(w.serverLogPanel());
        QTest::qWait(200);
        const QImage image = w.grab().toImage();
        QVERIFY(!image.isNull());
        QDir().mkpath(QStringLiteral(WST_SCREENSHOT_DIR));
        QVERIFY(image.save(QStringLiteral(WST_SCREENSHOT_DIR "/server-log.png")));
        if (!out.isEmpty()) {
            QVERIFY(image.save(out));
        }
    }
};

QTEST_MAIN(TestServerLog)
#include "tst_server_log.moc"
