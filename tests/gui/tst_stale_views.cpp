// SPDX-License-Identifier: MIT
// Issue 17, "wrong or stale": what the window shows must belong to the capture open now, a
// failed open keeps the capture shown, rows follow time, frames show their bytes, the handshake
// tab does not claim success over a failure, colours tell a normal Close from a failing one.
#include "ui/anomaly_panel.h"
#include "ui/handshake_panel.h"
#include "ui/main_window.h"
#include "ui/models/anomaly_model.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/event_text.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/palette.h"
#include "ui/models/session_controller.h"
#include "ui/models/statistics.h"
#include "ui/models/timeline_geometry.h"
#include "ui/models/timeline_items.h"
#include "ui/payload_view.h"
#include "ui/replay_bar.h"
#include "ui/replay_controller.h"
#include "ui/server_log_panel.h"
#include "ui/timeline_view.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTextList>
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
    if (!w.openFile(path)) {
        return false;
    }
    return done.wait(60000) && done.count() == 1;
}

int findAnomaly(const Trace& doc, std::string_view name) {
    for (std::size_t i = 0; i < doc.anomalies.size(); ++i) {
        if (anomalyName(doc.anomalies[i].id) == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

QAction* viewAction(MainWindow& w, const QString& text) {
    for (QAction* menu : w.menuBar()->actions()) {
        if (!menu->menu()) {
            continue;
        }
        for (QAction* a : menu->menu()->actions()) {
            if (a->text().remove(QLatin1Char('&')) == text) {
                return a;
            }
        }
    }
    return nullptr;
}

/// The frame-table rows of the selected connection whose Type is `type`.
QList<int> rowsOfType(MainWindow& w, const QString& type) {
    QList<int> rows;
    for (int r = 0; r < w.frameModel()->rowCount(); ++r) {
        if (w.frameModel()->index(r, FrameTableModel::TypeColumn).data().toString() == type) {
            rows << r;
        }
    }
    return rows;
}
} // namespace

class TestStaleViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
    }

    void secondCaptureResetsEveryPane() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const int two = findAnomaly(w.session()->document(), "hijack_two_responses");
        QVERIFY(two >= 0);
        w.jumpToAnomaly(static_cast<quint32>(two));
        QVERIFY(w.anomalyPanel()->explanation().contains(QStringLiteral("hijack_two_responses")));
        w.frameTable()->setCurrentIndex(w.frameModel()->index(rowsOfType(w, "GET").value(0), 0));
        QVERIFY(!w.payloadView()->text().isEmpty());

        QVERIFY(loadAndWait(w, capture("gin-healthy-echo.pcap")));
        const Trace& doc = w.session()->document();
        QCOMPARE(findAnomaly(doc, "hijack_two_responses"), -1);
        // Nothing of the first capture is left in any pane.
        QVERIFY2(!w.anomalyPanel()->explanation().contains(QStringLiteral("hijack_two_responses")),
                 qPrintable(w.anomalyPanel()->explanation()));
        QVERIFY(!w.payloadView()->text().contains(QStringLiteral("200 OK")));
        QCOMPARE(w.anomalyModel()->rowCount(), int(doc.anomalies.size()));
        QCOMPARE(w.connectionModel()->rowCount(), int(doc.connections.size()));
        // The window shows the second capture's first connection, with its own handshake.
        QVERIFY(w.selectedConnection() != 0);
        QCOMPARE(w.frameModel()->connection(), w.selectedConnection());
        const auto& responses = w.handshakePanel()->responseTree();
        for (int i = 0; i < responses->topLevelItemCount(); ++i) {
            QVERIFY(!responses->topLevelItem(i)->text(0).startsWith(QStringLiteral("200")));
        }
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("gin-healthy-echo.pcap")));
    }

    void staleStatusAndReplayBarGo() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        // A replay, stopped: its bar is up.
        QSignalSpy replayDone(w.replayController(), &ReplayController::finished);
        w.replayBar()->show();
        w.replayController()->start(capture("gin-healthy-echo.pcap"), 1000.0);
        QVERIFY(w.replayBar()->isVisible());
        QVERIFY(replayDone.wait(30000));
        w.statusBar()->showMessage(QStringLiteral("Loading stopped; showing what was read."));
        // Another capture replaces it: the replay's bar and the old message are gone.
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        QVERIFY(!w.replayBar()->isVisible());
        QVERIFY(!w.statusBar()->currentMessage().contains(QStringLiteral("Loading stopped")));
    }

    void failedOpenKeepsTheCapture() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const int rows = w.connectionModel()->rowCount();
        const ConnId selected = w.selectedConnection();
        const QString title = w.windowTitle();
        QVERIFY(rows > 0);
        const QStringList recentBefore =
            QSettings().value(QStringLiteral("recentFiles")).toStringList();
        // A README dropped on the window is neither a capture nor a log.
        const QString readme = QStringLiteral(WST_CAPTURES_DIR "/README.md");
        QVERIFY(QFileInfo::exists(readme));
        QVERIFY(!w.openFile(readme));
        QVERIFY(!w.lastError().isEmpty());
        QVERIFY(!w.session()->isLoading());
        QCOMPARE(w.connectionModel()->rowCount(), rows);
        QCOMPARE(w.selectedConnection(), selected);
        QCOMPARE(w.windowTitle(), title);
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList(), recentBefore);
        QVERIFY(w.session()->document().finished);
    }

    void messageRowsAreInTimeOrder() {
        // node-ws-ipv6: a text message in three frames with a ping between the first two.
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("node-ws-ipv6.pcapng")));
        w.selectConnection(1);
        for (const bool frames : {false, true}) {
            w.frameModel()->setGranularity(frames ? Granularity::Frames : Granularity::Messages);
            const Trace& doc = w.session()->document();
            Timestamp last{};
            for (int r = 0; r < w.frameModel()->rowCount(); ++r) {
                const Event& e = doc.events[w.frameModel()->eventAt(r)];
                QVERIFY2(!(e.time < last), qPrintable(QStringLiteral("row %1 earlier than the "
                                                                     "one above it (%2)")
                                                          .arg(r)
                                                          .arg(frames ? "frames" : "messages")));
                last = e.time;
            }
            // The timeline places its rows the same way.
            const auto items = buildTimelineItems(doc, 1, w.frameModel()->granularity());
            Timestamp lastItem{};
            for (const TimelineItem& it : items) {
                if (it.shape != TimelineItem::Shape::Anomaly) {
                    QVERIFY(!(it.time < lastItem));
                    lastItem = it.time;
                }
            }
        }
        // In message mode the text comes before the ping that arrived inside it.
        w.frameModel()->setGranularity(Granularity::Messages);
        const QList<int> text = rowsOfType(w, "text");
        const QList<int> ping = rowsOfType(w, "ping");
        QVERIFY(!text.isEmpty() && !ping.isEmpty());
        QVERIFY(text.first() < ping.first());
        // rowOfEvent still finds rows that are no longer in event order.
        QCOMPARE(w.frameModel()->rowOfEvent(w.frameModel()->eventAt(ping.first())), ping.first());
        QCOMPARE(w.frameModel()->rowOfEvent(w.frameModel()->eventAt(text.first())), text.first());
        // The Flags column is filled for messages too.
        QVERIFY(w.frameModel()
                    ->index(text.first(), FrameTableModel::FlagsColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("FIN")));
    }

    void individualFramesShowTheirBytes() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("node-ws-ipv6.pcapng")));
        w.selectConnection(1);
        QAction* frames = viewAction(w, QStringLiteral("Show Individual Frames"));
        QVERIFY(frames);
        frames->setChecked(true);
        QCOMPARE(w.frameModel()->granularity(), Granularity::Frames);
        const Trace& doc = w.session()->document();
        // The whole text message, to cut the frames' expected bytes from.
        std::string whole;
        for (const Message& m : doc.messages) {
            if (m.connection == 1 && m.opcode == 0x1 && m.frames == 3) {
                whole = m.payload;
            }
        }
        QCOMPARE(whole.size(), std::size_t{46});
        const QList<int> first = rowsOfType(w, "text");
        const QList<int> cont = rowsOfType(w, "continuation");
        QCOMPARE(cont.size(), 2);
        std::uint64_t offset = 0;
        for (int row : {first.first(), cont[0], cont[1]}) {
            w.frameTable()->setCurrentIndex(w.frameModel()->index(row, 0));
            const Event& e = doc.events[w.frameModel()->eventAt(row)];
            const QString expected = QString::fromStdString(whole.substr(offset, e.length));
            QCOMPARE(w.payloadView()->text(), expected);
            // The Info column previews the frame's own text, not nothing.
            QVERIFY(w.frameModel()
                        ->index(row, FrameTableModel::InfoColumn)
                        .data()
                        .toString()
                        .contains(expected.left(8)));
            offset += e.length;
        }
    }

    void handshakeTabDoesNotClaimSuccessOverAFailure() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const Trace& doc = w.session()->document();
        const ConnId id =
            doc.anomalies[std::size_t(findAnomaly(doc, "hijack_two_responses"))].connection;
        w.selectConnection(id);
        QCOMPARE(w.handshakePanel()->overall(), HandshakePanel::Overall::Failed);
        const int tab = w.detailTabs()->indexOf(w.handshakePanel());
        QCOMPARE(w.detailTabs()->tabIcon(tab).cacheKey(),
                 w.handshakePanel()->overallIcon().cacheKey());
        QVERIFY(w.detailTabs()->tabIcon(tab).cacheKey() !=
                w.style()->standardIcon(QStyle::SP_DialogApplyButton).cacheKey());
        // The failing check is the first row, not the last.
        const auto& checks = w.handshakePanel()->checks();
        QVERIFY(!checks.empty());
        QCOMPARE(int(checks.front().result), int(CheckResult::Failed));
        QCOMPARE(
            w.handshakePanel()->checkTree()->topLevelItem(0)->text(0),
            QString::fromUtf8(checks.front().name.data(), qsizetype(checks.front().name.size())));
        bool seenPassed = false;
        for (const HandshakeCheck& c : checks) {
            if (c.result == CheckResult::Passed) {
                seenPassed = true;
            } else if (c.result == CheckResult::Failed) {
                QVERIFY2(!seenPassed, "a failed check listed after a passed one");
            }
        }
        // A healthy connection gets its ✓.
        QVERIFY(loadAndWait(w, capture("gin-healthy-echo.pcap")));
        w.selectConnection(1);
        QCOMPARE(w.handshakePanel()->overall(), HandshakePanel::Overall::Passed);
    }

    void closeAndOutcomeColours() {
        QVERIFY(palette::isNormalClose(1000));
        QVERIFY(palette::isNormalClose(1001));
        QVERIFY(!palette::isNormalClose(1007));
        QVERIFY(!palette::isNormalClose(1002));
        QVERIFY(palette::forCloseCode(1000) != palette::forCloseCode(1007));
        QCOMPARE(palette::forCloseCode(1007), palette::error());
        QVERIFY(palette::forCloseCode(1000) != palette::error());
        QVERIFY(palette::forOutcome(Outcome::Failed) != palette::forOutcome(Outcome::Upgraded));

        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-healthy-echo.pcap")));
        w.selectConnection(1);
        // The normal Close 1000 on the ladder is neither bold nor error-coloured.
        bool sawClose = false;
        for (const TimelineItem& it : w.timeline()->items()) {
            if (it.kind == EventKind::WsClose) {
                sawClose = true;
                QVERIFY(!it.bold);
                QVERIFY(it.colour != palette::error());
            }
        }
        QVERIFY(sawClose);
        // Statistics → Outcomes: each bar in its outcome's colour.
        const CaptureStatistics stats = computeStatistics(w.session()->document());
        QVERIFY(!stats.outcomes.empty());
        for (const StatBar& b : stats.outcomes) {
            QVERIFY(b.colour.isValid());
        }

        // frame-client-unmasked: the server closes with 1002 protocol error, a failure.
        QVERIFY(loadAndWait(w, capture("frame-client-unmasked.pcap")));
        w.selectConnection(1);
        bool saw1002 = false;
        for (const TimelineItem& it : w.timeline()->items()) {
            if (it.kind == EventKind::WsClose && it.label.contains(QStringLiteral("1002"))) {
                saw1002 = true;
                QVERIFY(it.bold);
                QCOMPARE(it.colour, palette::error());
            }
        }
        QVERIFY(saw1002);
        // Failed connections are not drawn in the green of upgraded ones.
        const CaptureStatistics s2 = computeStatistics(w.session()->document());
        for (const StatBar& b : s2.outcomes) {
            if (b.label == outcomeLabel(Outcome::Failed)) {
                QVERIFY(b.colour != palette::upgraded());
            }
        }
    }

    void likelyCausesAreAList() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const int two = findAnomaly(w.session()->document(), "hijack_two_responses");
        w.jumpToAnomaly(static_cast<quint32>(two));
        const auto causes = likelyCauses(anomalyInfo(AnomalyId::HijackTwoResponses));
        QVERIFY(causes.size() >= 2);
        auto* browser = w.anomalyPanel()->findChild<QTextBrowser*>();
        QVERIFY(browser);
        // One list item per cause in the catalog, not one paragraph.
        int items = 0;
        for (QTextBlock b = browser->document()->begin(); b.isValid(); b = b.next()) {
            if (b.textList()) {
                ++items;
                QVERIFY(!b.text().isEmpty());
            }
        }
        QCOMPARE(items, int(causes.size()));
    }

    void zoomedOutLadderThinsItsLabels() {
        // Pure: no two kept labels closer than the gap; priorities win.
        const std::vector<double> ys{0, 3, 6, 9, 12, 30, 31, 60};
        const std::vector<bool> prio{false, false, true, false, false, false, true, false};
        const std::vector<bool> keep = thinLabels(ys, prio, 10.0);
        QVERIFY(keep[2]);
        QVERIFY(keep[6]);
        QVERIFY(!keep[5]);
        QVERIFY(keep[7]);
        double last = -1e9;
        for (std::size_t i = 0; i < ys.size(); ++i) {
            if (keep[i]) {
                QVERIFY(ys[i] - last >= 10.0);
                last = ys[i];
            }
        }
        // Not everything is dropped: the first row of a sparse ladder keeps its label.
        QVERIFY(thinLabels(std::vector<double>{0, 100}, std::vector<bool>{}, 10)[0]);
    }
};

QTEST_MAIN(TestStaleViews)
#include "tst_stale_views.moc"
