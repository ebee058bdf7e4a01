// SPDX-License-Identifier: MIT
// Models, proxy, timeline items, handshake checks and panels on hand-built traces that arrive
// in many small batches, every model under QAbstractItemModelTester (STYLE.md practice 10).
#include "tests/gui/scenario.h"
#include "ui/anomaly_panel.h"
#include "ui/handshake_panel.h"
#include "ui/models/anomaly_model.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"
#include "ui/models/statistics.h"
#include "ui/models/timeline_items.h"
#include "ui/payload_view.h"
#include "ui/statistics_view.h"

#include <QAbstractItemModelTester>
#include <QPainter>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

using namespace wst;
using namespace wst::ui;

namespace {
std::vector<TraceBatch> scenarioBatches() {
    test::Scenario s;
    s.addHealthy();
    s.addTwoResponses();
    s.addRefused();
    return s.finish();
}

void load(SessionController& session) {
    session.startExternal(QStringLiteral("scenario"));
    for (TraceBatch& b : scenarioBatches()) {
        session.appendBatch(std::move(b));
    }
}

const HandshakeCheck* findCheck(const std::vector<HandshakeCheck>& checks, std::string_view name) {
    for (const HandshakeCheck& c : checks) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}
} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void modelsPassTheTesterWhileBatchesArrive() {
        SessionController session;
        ConnectionListModel connections(&session);
        ConnectionFilterProxy proxy(&connections);
        AnomalyModel anomalies(&session);
        FrameTableModel frames(&session);
        QAbstractItemModelTester t1(&connections,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&anomalies,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(&frames,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ConnectionListModel::LatencyColumn, Qt::DescendingOrder);
        QSignalSpy inserts(&connections, &QAbstractItemModel::rowsInserted);
        QSignalSpy frameInserts(&frames, &QAbstractItemModel::rowsInserted);
        session.startExternal(QStringLiteral("scenario"));
        frames.setConnection(1); // follows connection 1 while it grows
        for (TraceBatch& b : scenarioBatches()) {
            session.appendBatch(std::move(b));
        }
        QVERIFY(inserts.count() >= 2);      // rows arrived over several batches
        QVERIFY(frameInserts.count() >= 2); // and the frame table grew with them
        QCOMPARE(connections.rowCount(), 3);
        QCOMPARE(connections.columnCount(), int(ConnectionListModel::ColumnCount));
        QCOMPARE(anomalies.rowCount(), 3);
        QCOMPARE(anomalies.columnCount(), int(AnomalyModel::ColumnCount));
        QVERIFY(frames.rowCount() > 0);
        // A second load resets every model cleanly.
        load(session);
        QCOMPARE(connections.rowCount(), 3);
        QCOMPARE(frames.rowCount(), 0);
        frames.setConnection(2);
        frames.setGranularity(Granularity::Frames);
        QVERIFY(frames.rowCount() > 0);
    }

    void connectionRowsShowTheSummaries() {
        SessionController session;
        ConnectionListModel m(&session);
        load(session);
        auto text = [&](int row, int col) { return m.index(row, col).data().toString(); };
        QCOMPARE(text(0, ConnectionListModel::PathColumn), QStringLiteral("/ws"));
        QCOMPARE(text(0, ConnectionListModel::StatusColumn), QStringLiteral("101"));
        QCOMPARE(text(0, ConnectionListModel::OutcomeColumn), QStringLiteral("upgraded"));
        QCOMPARE(text(0, ConnectionListModel::ClientMessagesColumn), QStringLiteral("1"));
        QCOMPARE(text(0, ConnectionListModel::ServerMessagesColumn), QStringLiteral("2"));
        QCOMPARE(text(0, ConnectionListModel::CloseColumn), QStringLiteral("1000"));
        QCOMPARE(text(0, ConnectionListModel::AnomaliesColumn), QString());
        QCOMPARE(text(1, ConnectionListModel::StatusColumn), QStringLiteral("200 → 101"));
        QCOMPARE(text(1, ConnectionListModel::AnomaliesColumn), QStringLiteral("2"));
        QCOMPARE(m.index(1, 0).data(ConnectionListModel::WorstSeverityRole).toInt(),
                 int(Severity::Error));
        QCOMPARE(text(2, ConnectionListModel::ClientColumn), QStringLiteral("10.0.0.1:50003"));
        QCOMPARE(m.row(1).anomalyNames,
                 QStringList({QStringLiteral("hijack_two_responses"),
                              QStringLiteral("hijack_closed_after_upgrade")}));
    }

    void proxyFiltersAndSorts() {
        SessionController session;
        ConnectionListModel m(&session);
        ConnectionFilterProxy proxy(&m);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        load(session);
        auto ids = [&] {
            QList<uint> out;
            for (int r = 0; r < proxy.rowCount(); ++r) {
                out << proxy.index(r, 0).data(ConnectionListModel::ConnIdRole).toUInt();
            }
            return out;
        };
        QCOMPARE(ids(), QList<uint>({1, 2, 3}));
        ConnectionFilter f;
        f.onlyAnomalies = true;
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({2, 3}));
        f = {};
        f.onlyUpgraded = true;
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({1}));
        f = {};
        f.onlyFailed = true;
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({2, 3}));
        f = {};
        f.status = QStringLiteral("4");
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({3}));
        f = {};
        f.status = QStringLiteral("200");
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({2}));
        f = {};
        f.anomaly = QStringLiteral("HIJACK_two");
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({2}));
        f = {};
        f.path = QStringLiteral("chat");
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({3}));
        f = {};
        f.host = QStringLiteral("EXAMPLE.test");
        proxy.setFilter(f);
        QCOMPARE(ids().size(), 3);
        f = {};
        f.payload = QStringLiteral("\"op\"\\s*:\\s*\"subscribe\"");
        proxy.setFilter(f);
        QCOMPARE(ids(), QList<uint>({1}));
        QVERIFY(proxy.payloadPatternValid());
        f.payload = QStringLiteral("([unclosed");
        proxy.setFilter(f);
        QVERIFY(!proxy.payloadPatternValid());
        QCOMPARE(ids().size(), 0);
        proxy.setFilter({});
        proxy.sort(ConnectionListModel::AnomaliesColumn, Qt::DescendingOrder);
        QCOMPARE(ids().first(), 2u); // error + 2 anomalies first
    }

    void frameTableListsTheConversation() {
        SessionController session;
        FrameTableModel frames(&session);
        load(session);
        frames.setConnection(1);
        QStringList types;
        for (int r = 0; r < frames.rowCount(); ++r) {
            types << frames.index(r, FrameTableModel::TypeColumn).data().toString();
        }
        QCOMPARE(types, QStringList({"SYN", "SYN-ACK", "GET", "101", "upgrade", "text", "text",
                                     "binary", "ping", "pong", "close", "close", "FIN", "FIN"}));
        QCOMPARE(frames.index(5, FrameTableModel::DirectionColumn).data().toString(),
                 QStringLiteral("C→S"));
        // Durations as the CLI prints them (wst::formatDuration).
        QCOMPARE(frames.index(0, FrameTableModel::TimeColumn).data().toString(),
                 QStringLiteral("+40.0 µs"));
        QVERIFY(frames.index(5, FrameTableModel::InfoColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("subscribe")));
        QVERIFY(frames.index(10, FrameTableModel::InfoColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("1000 normal closure")));
        frames.setGranularity(Granularity::Frames);
        // Data messages are replaced by their frames; same count here (one frame each).
        QCOMPARE(frames.rowCount(), types.size());
        QCOMPARE(frames.index(5, FrameTableModel::FlagsColumn).data().toString(),
                 QStringLiteral("FIN MASK"));
        // rowOfEvent and rowForPacket agree with the rows.
        const std::uint32_t ev = frames.eventAt(7);
        QCOMPARE(frames.rowOfEvent(ev), 7);
        const PacketNumber p = session.document().events[ev].packet;
        QCOMPARE(frames.rowForPacket(p), 7);
        QCOMPARE(frames.rowOfEvent(Event::kNoRef), -1);
    }

    void timelineItemsFollowTheWire() {
        SessionController session;
        load(session);
        const auto items = buildTimelineItems(session.document(), 2, Granularity::Messages);
        QStringList labels;
        for (const TimelineItem& it : items) {
            labels << it.label;
        }
        QCOMPARE(labels, QStringList({"SYN", "SYN-ACK", "GET /ws", "200 OK",
                                      "101 Switching Protocols", "hijack_two_responses", "FIN",
                                      "hijack_closed_after_upgrade", "FIN"}));
        QCOMPARE(int(items[3].direction), int(Direction::ServerToClient));
        QVERIFY(items[3].dashed); // a non-101 answer to an upgrade request
        QVERIFY(items[4].bold);   // the 101
        QCOMPARE(int(items[5].shape), int(TimelineItem::Shape::Anomaly));
        QCOMPARE(int(items[5].severity), int(Severity::Error));
        QCOMPARE(items[5].packet, items[4].packet);
        QVERIFY(items[7].bothLanes);
        for (std::size_t i = 1; i < items.size(); ++i) {
            QVERIFY(items[i].time >= items[i - 1].time);
        }
        const auto healthy = buildTimelineItems(session.document(), 1, Granularity::Messages);
        int dividers = 0;
        for (const TimelineItem& it : healthy) {
            dividers += it.shape == TimelineItem::Shape::Divider;
        }
        QCOMPARE(dividers, 1);
        QVERIFY(
            timelineTooltip(session.document(), items[5]).contains(QStringLiteral("first=200")));
    }

    void handshakePanelShowsTheReview() {
        SessionController session;
        load(session);
        const Trace& doc = session.document();
        auto idsOf = [&](ConnId id) {
            std::vector<AnomalyId> ids;
            for (std::uint32_t i : doc.anomaliesOf(id)) {
                ids.push_back(doc.anomalies[i].id);
            }
            return ids;
        };
        HandshakePanel panel;
        auto row = [&](const QString& name) -> QTreeWidgetItem* {
            const auto found = panel.checkTree()->findItems(name, Qt::MatchExactly, 0);
            return found.isEmpty() ? nullptr : found.first();
        };
        panel.setConnection(doc.connection(1), idsOf(1));
        const std::vector<HandshakeCheck> good = panel.checks();
        QVERIFY(good.size() >= 8);
        QCOMPARE(panel.checkTree()->topLevelItemCount(), int(good.size()));
        for (const HandshakeCheck& c : good) {
            QVERIFY2(c.result != CheckResult::Failed, c.name.data());
        }
        const HandshakeCheck* goodAccept = findCheck(good, "Sec-WebSocket-Accept");
        QVERIFY(goodAccept);
        QCOMPARE(int(goodAccept->result), int(CheckResult::Passed));
        QVERIFY(row(QStringLiteral("Sec-WebSocket-Accept")));

        panel.setConnection(doc.connection(2), idsOf(2));
        const HandshakeCheck* single = findCheck(panel.checks(), "Single response");
        QVERIFY(single);
        QCOMPARE(int(single->result), int(CheckResult::Failed));
        QVERIFY2(single->found.find("200") != std::string::npos &&
                     single->found.find("101") != std::string::npos,
                 single->found.c_str());
        QVERIFY(single->anomaly == AnomalyId::HijackTwoResponses);
        QTreeWidgetItem* singleRow = row(QStringLiteral("Single response"));
        QVERIFY(singleRow);
        QCOMPARE(singleRow->text(2), qs(single->found));
        QVERIFY(singleRow->text(3).startsWith(QStringLiteral("hijack_two_responses")));

        // A tampered Accept fails, with the value the key calls for (RFC 6455 §1.3) as
        // "expected".
        Connection bad = *doc.connection(1);
        for (Header& h : bad.responses[0].headers) {
            if (h.name == "Sec-WebSocket-Accept") {
                h.value = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
            }
        }
        bad.responses[0].accept = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        panel.setConnection(&bad);
        const HandshakeCheck* accept = findCheck(panel.checks(), "Sec-WebSocket-Accept");
        QVERIFY(accept);
        QCOMPARE(int(accept->result), int(CheckResult::Failed));
        QVERIFY2(accept->expected.find(test::kAccept) != std::string::npos,
                 accept->expected.c_str());
        QVERIFY(accept->anomaly == AnomalyId::WsHandshakeWrongAccept);
        QVERIFY(row(QStringLiteral("Sec-WebSocket-Accept"))
                    ->text(3)
                    .startsWith(QStringLiteral("ws_handshake_wrong_accept")));
        // No request captured: no checks, and one row that says so.
        Connection none;
        panel.setConnection(&none);
        QVERIFY(panel.checks().empty());
        QCOMPARE(panel.checkTree()->topLevelItemCount(), 1);
        QVERIFY(row(QStringLiteral("Upgrade request")));
    }

    void anomalyPanelExplainsAndEmits() {
        SessionController session;
        AnomalyModel model(&session);
        AnomalyPanel panel(&session, &model);
        load(session);
        QSignalSpy spy(&panel, &AnomalyPanel::anomalyActivated);
        panel.table()->setCurrentIndex(panel.table()->model()->index(0, 0));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.first().first().toUInt(), 0u);
        QVERIFY(panel.explanation().contains(QStringLiteral("Two HTTP responses")));
        QVERIFY(panel.explanation().contains(QStringLiteral("What to do")));
        // The likely causes as a list: one line each.
        const QStringList lines = panel.explanation().split(QLatin1Char('\n'));
        const auto causes = likelyCauses(anomalyInfo(session.document().anomalies[0].id));
        QVERIFY(causes.size() > 1);
        for (std::string_view cause : causes) {
            QVERIFY2(lines.contains(qs(cause)), qPrintable(panel.explanation()));
        }
        panel.selectAnomaly(2); // programmatic selection does not emit
        QCOMPARE(spy.count(), 1);
        QVERIFY(panel.explanation().contains(QStringLiteral("http_upgrade_refused")));
    }

    void qtTextConvertsAndEscapes() {
        QCOMPARE(qs("naïve → ok"), QStringLiteral("naïve → ok"));
        QCOMPARE(qs(std::string_view("a\0b", 3)).size(), 3);
        QCOMPARE(qsHtml("<b>\"x\" & y</b>"),
                 QStringLiteral("&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"));
        QCOMPARE(qs(opcodeName(0xB)), QStringLiteral("0xb")); // the CLI's spelling
    }

    void payloadRendering() {
        QCOMPARE(PayloadView::prettyJson("{\"a\":1}"), QStringLiteral("{\n    \"a\": 1\n}\n"));
        QVERIFY(PayloadView::prettyJson("not json").isNull());
        QCOMPARE(
            PayloadView::hexDump(QByteArray("AB\x00", 3)),
            QStringLiteral("00000000  41 42 00                                          |AB.|\n"));
        SessionController session;
        load(session);
        PayloadView view;
        const auto& doc = session.document();
        FrameTableModel frames(&session);
        frames.setConnection(1);
        view.setEvent(doc, frames.eventAt(5));
        QCOMPARE(int(view.effectiveMode()), int(PayloadView::Mode::Json));
        QVERIFY(view.text().contains(QStringLiteral("\"topic\": \"prices\"")));
        view.setEvent(doc, frames.eventAt(7)); // binary
        QCOMPARE(int(view.effectiveMode()), int(PayloadView::Mode::Hex));
        QVERIFY(view.text().startsWith(QStringLiteral("00000000  00 01 02 ff")));
        view.setEvent(doc, frames.eventAt(2)); // the request head
        QVERIFY(view.text().startsWith(QStringLiteral("GET /ws HTTP/1.1")));
        QVERIFY(view.text().contains(QStringLiteral("Sec-WebSocket-Key: dGhl")));
    }

    void statistics() {
        SessionController session;
        load(session);
        const CaptureStatistics s = computeStatistics(session.document());
        QCOMPARE(s.connections, std::size_t(3));
        double outcomes = 0;
        for (const StatBar& b : s.outcomes) {
            outcomes += b.value;
        }
        QCOMPARE(outcomes, 3.0);
        double latency = 0;
        for (const StatBar& b : s.latency) {
            latency += b.value;
        }
        QCOMPARE(latency, 3.0);
        QCOMPARE(s.closeCodes.size(), std::size_t(1));
        QCOMPARE(s.closeCodes[0].label, QStringLiteral("1000"));
        QCOMPARE(s.closeCodes[0].value, 2.0);
        QVERIFY(!s.messagesPerSec.empty());
        // The plots paint into any QPainter (export uses the same entry point).
        StatisticsView view(&session);
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.statistics().connections, std::size_t(3));
        QImage image(800, 500, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        view.renderTo(painter, image.rect());
        painter.end();
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5) {
            for (int x = 0; x < image.width(); x += 5) {
                colours.insert(image.pixel(x, y));
            }
        }
        // The close-code bars: the scenario's Close 1000 in the colour of a normal Close.
        QVERIFY(colours.contains(palette::forCloseCode(1000).rgb()));
        // Outcome bars each in their outcome's colour: "refused" is not the green of "upgraded".
        QVERIFY(colours.contains(palette::forOutcome(Outcome::Refused).rgb()));
        QVERIFY(colours.size() > 8);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
