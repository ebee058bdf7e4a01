// SPDX-License-Identifier: MIT
// The whole window on real captures: load, models, selection, timeline, handshake checks, the
// anomaly jump, errors, and the README screenshot.
#include "ui/anomaly_panel.h"
#include "ui/handshake_panel.h"
#include "ui/main_window.h"
#include "ui/models/anomaly_model.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/session_controller.h"
#include "ui/timeline_view.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
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

/// Index of the first anomaly with this name, or -1.
int findAnomaly(const Trace& doc, std::string_view name) {
    for (std::size_t i = 0; i < doc.anomalies.size(); ++i) {
        if (anomalyName(doc.anomalies[i].id) == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
        QVERIFY2(QFileInfo::exists(capture("gin-200-then-101.pcapng")), "story capture missing");
    }

    void loadsTheStoryCapture() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QAbstractItemModelTester t1(w.connectionModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(w.connectionProxy(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(w.frameModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(w.anomalyModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        QVERIFY(w.lastError().isEmpty());
        const Trace& doc = w.session()->document();
        QVERIFY(doc.finished);
        QVERIFY(doc.stats.packets > 0);
        QCOMPARE(w.connectionModel()->rowCount(), int(doc.connections.size()));
        QVERIFY(w.connectionModel()->rowCount() >= 1);
        QCOMPARE(w.connectionModel()->columnCount(), int(ConnectionListModel::ColumnCount));
        QCOMPARE(w.anomalyModel()->rowCount(), int(doc.anomalies.size()));
        QCOMPARE(w.anomalyModel()->columnCount(), int(AnomalyModel::ColumnCount));

        // The story: a 200 and then a 101 on one connection.
        const int two = findAnomaly(doc, "hijack_two_responses");
        QVERIFY2(two >= 0, "hijack_two_responses not found");
        const ConnId id = doc.anomalies[static_cast<std::size_t>(two)].connection;
        w.selectConnection(id);
        QCOMPARE(w.selectedConnection(), id);
        const int statusRow = w.connectionModel()->rowOf(id);
        QCOMPARE(w.connectionModel()
                     ->index(statusRow, ConnectionListModel::StatusColumn)
                     .data()
                     .toString(),
                 QStringLiteral("200 → 101"));

        // Timeline: the request, both answers in order, the anomaly marked right after them.
        const auto& items = w.timeline()->items();
        int request = -1, ok = -1, switching = -1, mark = -1;
        for (int i = 0; i < int(items.size()); ++i) {
            const TimelineItem& it = items[static_cast<std::size_t>(i)];
            if (it.kind == EventKind::HttpRequest && request < 0) {
                request = i;
            } else if (it.kind == EventKind::HttpResponse && it.status == 200) {
                ok = i;
            } else if (it.kind == EventKind::HttpResponse && it.status == 101) {
                switching = i;
            } else if (it.shape == TimelineItem::Shape::Anomaly && it.anomaly == quint32(two)) {
                mark = i;
            }
        }
        QVERIFY(request >= 0 && ok > request && switching > ok && mark > ok);
        QCOMPARE(int(items[static_cast<std::size_t>(ok)].direction),
                 int(Direction::ServerToClient));
        QVERIFY(items[static_cast<std::size_t>(ok)].dashed);

        // Handshake panel: the status check failed and says why.
        const auto& checks = w.handshakePanel()->checks();
        bool statusFailed = false;
        for (const HandshakeCheck& c : checks) {
            if (c.name == "Single response") {
                statusFailed =
                    c.result == CheckResult::Failed && c.anomaly == AnomalyId::HijackTwoResponses;
            }
        }
        QVERIFY(statusFailed);
        QCOMPARE(w.handshakePanel()->checkTree()->topLevelItemCount(), int(checks.size()));

        // Clicking an arrow on the ladder selects its row in the frame table.
        QTest::qWait(50);
        const int y = w.timeline()->itemY(switching) + 4;
        const int x = w.timeline()->viewport()->width() / 3;
        QTest::mouseClick(w.timeline()->viewport(), Qt::LeftButton, {}, QPoint(x, y));
        const std::uint32_t clicked = items[static_cast<std::size_t>(switching)].event;
        QCOMPARE(w.frameModel()->eventAt(w.frameTable()->currentIndex().row()), clicked);
        // Down moves to the next row of the ladder; the table follows when it is an event.
        QTest::keyClick(w.timeline(), Qt::Key_Down);
        QCOMPARE(w.timeline()->selectedItem(), switching + 1);
        const TimelineItem& next = items[static_cast<std::size_t>(switching + 1)];
        if (next.event != Event::kNoRef) {
            QCOMPARE(w.frameModel()->eventAt(w.frameTable()->currentIndex().row()), next.event);
        }
    }

    void anomalyClickJumps() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const Trace& doc = w.session()->document();
        const int two = findAnomaly(doc, "hijack_two_responses");
        QVERIFY(two >= 0);
        const Anomaly& a = doc.anomalies[static_cast<std::size_t>(two)];
        // Start somewhere else, with a filter that hides the target.
        ConnectionFilter hide;
        hide.path = QStringLiteral("no-such-path");
        w.connectionProxy()->setFilter(hide);
        QCOMPARE(w.connectionProxy()->rowCount(), 0);

        QTableView* table = w.anomalyPanel()->table();
        const QModelIndex src = w.anomalyModel()->index(two, AnomalyModel::TitleColumn);
        const QModelIndex idx =
            static_cast<QAbstractProxyModel*>(table->model())->mapFromSource(src);
        table->scrollTo(idx);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(idx).center());

        QCOMPARE(w.selectedConnection(), a.connection);
        QCOMPARE(w.frameModel()->connection(), a.connection);
        const int row = w.frameTable()->currentIndex().row();
        QVERIFY(row >= 0);
        QCOMPARE(row, w.frameModel()->rowForPacket(a.packet));
        const int sel = w.timeline()->selectedItem();
        QVERIFY(sel >= 0);
        QCOMPARE(w.timeline()->items()[static_cast<std::size_t>(sel)].anomaly, quint32(two));
        QVERIFY(w.anomalyPanel()->explanation().contains(QStringLiteral("Likely causes")));
    }

    void unreadableFileGivesAClearError() {
        MainWindow w;
        w.setDialogsEnabled(false);
        const QString missing = QDir::temp().filePath(QStringLiteral("wstrace-no-such-file.pcap"));
        // Nothing to load: the open fails at once, with the file's name in the error.
        QVERIFY(!w.openFile(missing));
        QVERIFY(!w.session()->isLoading());
        QVERIFY(!w.lastError().isEmpty());
        QVERIFY2(w.lastError().contains(QStringLiteral("wstrace-no-such-file.pcap")),
                 qPrintable(w.lastError()));
        QTemporaryFile junk;
        QVERIFY(junk.open());
        junk.write("this is not a capture file at all, just text\n");
        junk.flush();
        QVERIFY(!w.openFile(junk.fileName()));
        QVERIFY(!w.lastError().isEmpty());
        QCOMPARE(w.connectionModel()->rowCount(), 0);
    }

    void menusAreThere() {
        MainWindow w;
        QVERIFY(w.exportMenu());
        QCOMPARE(w.exportMenu()->objectName(), QStringLiteral("exportMenu"));
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
        QVERIFY(!recent.isEmpty());
        QVERIFY(recent.first().endsWith(QStringLiteral("gin-200-then-101.pcapng")));
    }

    void screenshot() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const Trace& doc = w.session()->document();
        const int two = findAnomaly(doc, "hijack_two_responses");
        if (two >= 0) {
            w.jumpToAnomaly(static_cast<quint32>(two));
        }
        QTest::qWait(200);
        const QImage image = w.grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), w.size() * w.devicePixelRatio());
        QDir().mkpath(QStringLiteral(WST_SCREENSHOT_DIR));
        const QString out = QStringLiteral(WST_SCREENSHOT_DIR "/main-window.png");
        QVERIFY(image.save(out));
        // The ladder alone, through the export entry point.
        QImage ladder(w.timeline()->exportSize(), QImage::Format_ARGB32_Premultiplied);
        ladder.fill(Qt::white);
        QPainter p(&ladder);
        w.timeline()->renderTo(p, ladder.rect());
        p.end();
        QVERIFY(ladder.save(QStringLiteral(WST_SCREENSHOT_DIR "/timeline.png")));
        // Not a blank picture: many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY(colours.size() > 20);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
