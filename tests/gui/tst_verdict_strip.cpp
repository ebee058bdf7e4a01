// SPDX-License-Identifier: MIT
// The verdict in the window (docs/verdicts.md): the strip above the connection list shows the
// capture's story and filters the list by group; rows carry their root cause's severity and the
// headline; the anomaly list nests consequences under their cause; the status bar counts root
// causes; the story follows a capture that arrives over time and restarts with a new one.
#include "capture/source/pcap_file_source.h"
#include "decoder/model/batching_sink.h"
#include "decoder/pipeline/pipeline.h"
#include "decoder/verdict/story.h"
#include "ui/handshake_panel.h"
#include "ui/main_window.h"
#include "ui/models/anomaly_model.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/palette.h"
#include "ui/models/session_controller.h"
#include "ui/models/story_tracker.h"
#include "ui/verdict_strip.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
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

/// The story as decoder/verdict tells it, from the window's document.
CaptureStory storyOf(const Trace& doc) {
    CaptureStory story;
    for (const Connection& c : doc.connections) {
        if (c.finished) {
            story.add(c);
        }
    }
    return story;
}

QString statusCounts(const MainWindow& w) {
    const auto* label = w.findChild<QLabel*>(QStringLiteral("statusCounts"));
    return label ? label->text() : QString();
}

std::vector<ConnId> listed(const MainWindow& w) {
    std::vector<ConnId> ids;
    for (int r = 0; r < w.connectionProxy()->rowCount(); ++r) {
        ids.push_back(
            w.connectionProxy()->index(r, 0).data(ConnectionListModel::ConnIdRole).toUInt());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}
} // namespace

class TestVerdictStrip : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
    }

    // Four connections, each refused for its own reason: four groups; a click lists one group.
    void stripShowsTheGroupsAndFilters() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1400, 900);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-missing-headers-400.pcap")));
        const Trace& doc = w.session()->document();
        const std::vector<StoryGroup> groups = storyOf(doc).groups();
        QCOMPARE(int(doc.connections.size()), 4);
        QVERIFY(groups.size() >= 2);

        VerdictStrip* strip = w.verdictStrip();
        QVERIFY(strip->isVisible());
        const auto& buttons = strip->groupButtons();
        QCOMPARE(buttons.size(), std::min(groups.size(), VerdictStrip::kButtons));
        for (std::size_t i = 0; i < buttons.size(); ++i) {
            QCOMPARE(buttons[i]->text(), QStringLiteral("%1 %2")
                                             .arg(groups[i].count)
                                             .arg(QString::fromStdString(groups[i].label)));
            QVERIFY(buttons[i]->isVisible());
            QVERIFY(!buttons[i]->icon().isNull());
            QVERIFY(buttons[i]->toolTip().contains(
                QString::fromStdString(groups[i].whatToDo).toHtmlEscaped()));
        }
        QVERIFY(strip->summaryText().contains(QStringLiteral("4 connections")));
        QCOMPARE(w.connectionProxy()->rowCount(), 4);

        // Click the second group: only its connections are listed.
        QTest::mouseClick(buttons[1], Qt::LeftButton);
        QVERIFY(buttons[1]->isChecked());
        QVERIFY(!buttons[0]->isChecked());
        QVERIFY(strip->selectedGroup().has_value());
        std::vector<ConnId> expected;
        for (const Connection& c : doc.connections) {
            if (inGroup(groups[1], c)) {
                expected.push_back(c.id);
            }
        }
        QCOMPARE(int(expected.size()), int(groups[1].count));
        QCOMPARE(listed(w), expected);

        // Another group replaces it; clicking the chosen one again lists everything.
        QTest::mouseClick(buttons[0], Qt::LeftButton);
        QVERIFY(buttons[0]->isChecked());
        QVERIFY(!buttons[1]->isChecked());
        QCOMPARE(w.connectionProxy()->rowCount(), int(groups[0].count));
        QTest::mouseClick(buttons[0], Qt::LeftButton);
        QVERIFY(!strip->selectedGroup());
        QCOMPARE(w.connectionProxy()->rowCount(), 4);

        // A new capture resets the story and the choice.
        QTest::mouseClick(buttons[1], Qt::LeftButton);
        QCOMPARE(w.connectionProxy()->rowCount(), int(groups[1].count));
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        QVERIFY(!strip->selectedGroup());
        QCOMPARE(w.connectionProxy()->rowCount(), 1);
        QCOMPARE(strip->groupButtons().size(), std::size_t(1));
        QCOMPARE(strip->groupButtons()[0]->text(),
                 QStringLiteral("1 failed: Two HTTP responses to one upgrade request"));
    }

    // "200 then 101": one root cause and its consequence. The status bar counts the cause, the
    // row shows its severity first, the anomaly list nests the consequence, the handshake
    // panel checks the 200 the client acted on.
    void oneRootCauseEverywhere() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const Trace& doc = w.session()->document();
        QCOMPARE(int(doc.connections.size()), 1);
        const Connection& c = doc.connections[0];
        QVERIFY(c.finished);
        QCOMPARE(c.verdict.rootCause, std::optional(AnomalyId::HijackTwoResponses));
        QVERIFY(doc.anomalies.size() >= 2);

        const QString counts = statusCounts(w);
        QVERIFY2(counts.contains(QStringLiteral("1 root cause (1 error, 0 warnings)")),
                 qPrintable(counts));
        QVERIFY2(counts.contains(QStringLiteral("%1 findings").arg(doc.anomalies.size())),
                 qPrintable(counts));
        QCOMPARE(counts, w.countsText());

        const ConnectionListModel* m = w.connectionModel();
        const QModelIndex first = m->index(0, ConnectionListModel::IdColumn);
        QVERIFY(!first.data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(first.data(Qt::ForegroundRole).value<QColor>(),
                 palette::forSeverity(Severity::Error));
        QCOMPARE(first.data(ConnectionListModel::RootSeverityRole).toInt(), int(Severity::Error));
        QCOMPARE(m->index(0, ConnectionListModel::VerdictColumn).data().toString(),
                 QString::fromStdString(c.verdict.headline));
        QVERIFY(first.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("client: no WebSocket: saw 200 OK")));

        const AnomalyModel* a = w.anomalyModel();
        int root = -1, consequence = -1;
        for (int r = 0; r < a->rowCount(); ++r) {
            const QString id = a->index(r, AnomalyModel::IdColumn).data().toString();
            if (id == QStringLiteral("hijack_two_responses")) {
                root = r;
            } else if (id.contains(QStringLiteral("http_body_malformed"))) {
                consequence = r;
            }
        }
        QVERIFY(root >= 0 && consequence >= 0);
        QVERIFY(a->index(root, 0).data(AnomalyModel::RootRole).toBool());
        QVERIFY(a->index(root, AnomalyModel::TitleColumn)
                    .data()
                    .toString()
                    .endsWith(QStringLiteral("— root cause")));
        QVERIFY(a->index(consequence, AnomalyModel::IdColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("  ↳ ")));
        QVERIFY(a->index(consequence, AnomalyModel::TitleColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("caused by hijack_two_responses")));
        QCOMPARE(a->index(consequence, 0).data(AnomalyModel::CausedByRole).toLongLong(),
                 qlonglong(root));

        // The handshake panel: the Status check is the 200's, failed; no green 101.
        w.selectConnection(c.id);
        bool statusFailed = false;
        for (const HandshakeCheck& check : w.handshakePanel()->checks()) {
            if (check.name == "Status") {
                statusFailed = check.result == CheckResult::Failed && check.found == "200 OK";
            }
        }
        QVERIFY(statusFailed);
        const QTreeWidget* responses = w.handshakePanel()->responseTree();
        QCOMPARE(responses->topLevelItemCount(), 2);
        for (int i = 0; i < 2; ++i) {
            QVERIFY(responses->topLevelItem(i)->foreground(0).color() != palette::upgraded());
        }
    }

    // A capture that arrives in pieces (a replay, a live capture): the strip grows as
    // connections finish, and ends with the whole story.
    void storyFollowsALiveCapture() {
        std::vector<TraceBatch> batches;
        {
            BatchingSink sink([&](TraceBatch&& b) { batches.push_back(std::move(b)); },
                              std::chrono::milliseconds(0), 1);
            PcapFileSource source(capture("gin-missing-headers-400.pcap").toStdString());
            QVERIFY(source.isOpen());
            Pipeline pipeline(source, sink, Pipeline::Options{});
            pipeline.run();
        }
        // Connections of this short capture all end with the capture: each one's final summary
        // goes in a batch of its own, as a long live capture delivers them.
        std::vector<TraceBatch> paced;
        std::optional<CaptureStats> stats;
        for (TraceBatch& b : batches) {
            std::vector<TraceBatch> ends;
            for (Connection& c : b.connections) {
                if (c.finished) {
                    TraceBatch end;
                    end.connections.push_back(c);
                    ends.push_back(std::move(end));
                    c.finished = false;
                }
            }
            if (b.finished) {
                stats = std::move(b.finished);
                b.finished.reset();
            }
            paced.push_back(std::move(b));
            for (TraceBatch& end : ends) {
                paced.push_back(std::move(end));
            }
        }
        QVERIFY(stats.has_value());
        paced.back().finished = stats;

        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        w.session()->startExternal(QStringLiteral("replay"));
        QSignalSpy changed(w.story(), &StoryTracker::changed);
        std::vector<std::uint64_t> seen;
        for (TraceBatch& b : paced) {
            w.session()->appendBatch(std::move(b));
            const std::uint64_t n = w.story()->story().connections();
            if (seen.empty() || seen.back() != n) {
                seen.push_back(n);
            }
        }
        QVERIFY(changed.count() >= 4);
        QCOMPARE(seen, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
        QVERIFY2(seen.size() >= 3, "the story never grew connection by connection");
        QCOMPARE(seen.back(), std::uint64_t(4));
        QVERIFY(w.verdictStrip()->summaryText().contains(QStringLiteral("4 connections")));
        QCOMPARE(
            w.verdictStrip()->groupButtons().size(),
            std::min(storyOf(w.session()->document()).groups().size(), VerdictStrip::kButtons));
    }
};

QTEST_MAIN(TestVerdictStrip)
#include "tst_verdict_strip.moc"
