// SPDX-License-Identifier: MIT
// Issue 17: the severity in each row, "N of M shown", and what a Wireshark user reaches for:
// Follow Stream, the frame's header and bytes on the wire, Go to Packet, Find, F1.
#include "ui/analyze_actions.h"
#include "ui/follow_stream_dialog.h"
#include "ui/frame_detail_view.h"
#include "ui/main_window.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/follow_stream.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/palette.h"
#include "ui/models/session_controller.h"

#include <QLabel>
#include <QSignalSpy>
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
    return w.openFile(path) && done.wait(60000) && done.count() == 1;
}
} // namespace

class TestWiresharkHabits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
    }

    void severityShowsInTheRow() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        const ConnectionListModel* m = w.connectionModel();
        QCOMPARE(m->rowCount(), 1);
        const int root = m->index(0, 0).data(ConnectionListModel::RootSeverityRole).toInt();
        QCOMPARE(root, int(Severity::Error));
        // Every column of the row is tinted, and the outcome does not show a green ✓.
        for (int c = 0; c < ConnectionListModel::ColumnCount; ++c) {
            QCOMPARE(m->index(0, c).data(Qt::BackgroundRole).value<QColor>(),
                     palette::rowTint(Severity::Error));
        }
        QCOMPARE(m->index(0, ConnectionListModel::OutcomeColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 palette::error());
        // Start and Duration columns; Server shows the Host header, no duplicate column.
        QCOMPARE(m->index(0, ConnectionListModel::StartColumn).data().toString().left(1),
                 QStringLiteral("+"));
        QVERIFY(!m->index(0, ConnectionListModel::DurationColumn).data().toString().isEmpty());
        const QString host = m->row(0).host;
        if (!host.isEmpty()) {
            QCOMPARE(m->index(0, ConnectionListModel::ServerColumn).data().toString(), host);
        }
        // A healthy capture has no tint.
        QVERIFY(loadAndWait(w, capture("gin-healthy-echo.pcap")));
        QVERIFY(!w.connectionModel()->index(0, 0).data(Qt::BackgroundRole).isValid());
    }

    void emptyFilterSaysHowManyAreHidden() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QVERIFY(loadAndWait(w, capture("gin-healthy-echo.pcap")));
        QVERIFY(!w.shownLabel()->isVisible());
        ConnectionFilter hide;
        hide.path = QStringLiteral("no-such-path");
        w.connectionProxy()->setFilter(hide);
        QCOMPARE(w.connectionProxy()->rowCount(), 0);
        QVERIFY(w.shownLabel()->isVisible());
        QVERIFY2(w.shownLabel()->text().contains(
                     QStringLiteral("0 of %1").arg(w.connectionModel()->rowCount())),
                 qPrintable(w.shownLabel()->text()));
        w.connectionProxy()->setFilter(ConnectionFilter{});
        QVERIFY(!w.shownLabel()->isVisible());
    }

    void followStreamShowsBothHeadsInOrder() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("gin-200-then-101.pcapng")));
        w.selectConnection(1);
        FollowStreamDialog* dialog = w.analyzeActions()->followStream();
        QVERIFY(dialog);
        const QString text = dialog->text();
        const qsizetype get = text.indexOf(QStringLiteral("GET "));
        const qsizetype ok = text.indexOf(QStringLiteral("HTTP/1.1 200 OK"));
        const qsizetype sw = text.indexOf(QStringLiteral("HTTP/1.1 101 Switching Protocols"));
        QVERIFY2(get >= 0 && ok > get && sw > ok, qPrintable(text));
        dialog->setHex(true);
        QVERIFY(dialog->text().contains(QStringLiteral("47 45 54 20"))); // "GET " in hex
        dialog->close();
    }

    void followStreamListsFramesOnePerLine() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("node-ws-ipv6.pcapng")));
        const auto chunks = followStream(w.session()->document(), 1);
        int frames = 0;
        for (const StreamChunk& c : chunks) {
            frames += c.kind == StreamChunk::Kind::Frame;
        }
        QVERIFY(frames >= 6);
        const QString text = followStreamText(chunks, false);
        QVERIFY(text.contains(QStringLiteral("[ping")));
        QVERIFY(text.contains(QStringLiteral("[continuation")));
    }

    void frameDetailOfAMaskedFrame() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("node-ws-ipv6.pcapng")));
        w.selectConnection(1);
        w.frameModel()->setGranularity(Granularity::Frames);
        const Trace& doc = w.session()->document();
        // The first client text frame (FIN 0: two continuations follow): masked, 16 payload
        // bytes, 7-bit length.
        int row = -1;
        for (int r = 0; r < w.frameModel()->rowCount() && row < 0; ++r) {
            const Event& e = doc.events[w.frameModel()->eventAt(r)];
            if (e.direction == Direction::ClientToServer && e.opcode == 0x1) {
                row = r;
            }
        }
        QVERIFY(row >= 0);
        w.frameTable()->setCurrentIndex(w.frameModel()->index(row, 0));
        const FrameWire& f = w.frameDetail()->frame();
        QVERIFY(f.valid);
        const Event& e = doc.events[f.event];
        QVERIFY(e.frameFlags & frameflag::Mask);
        QCOMPARE(f.headerLength, 6);                                   // 2 + 4-byte key
        QCOMPARE(static_cast<unsigned char>(f.bytes[0]), 0x01);        // FIN 0, opcode text
        QCOMPARE(static_cast<unsigned char>(f.bytes[1]) & 0x80, 0x80); // MASK
        QCOMPARE(static_cast<unsigned char>(f.bytes[1]) & 0x7f, int(e.length));
        // The key at bytes 2–5, and the payload bytes after it unmask to the text.
        bool nonZero = false;
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(static_cast<std::uint8_t>(f.bytes[2 + i]), e.maskKey[std::size_t(i)]);
            nonZero = nonZero || e.maskKey[std::size_t(i)] != 0;
        }
        QVERIFY(nonZero);
        QCOMPARE(f.unmasked.size(), qsizetype(e.length));
        for (qsizetype i = 0; i < f.unmasked.size(); ++i) {
            QCOMPARE(static_cast<std::uint8_t>(f.bytes[6 + i] ^ e.maskKey[std::size_t(i % 4)]),
                     static_cast<std::uint8_t>(f.unmasked[i]));
        }
        QVERIFY(looksLikeText(f.unmasked));
        // The key field highlights bytes 2–5 in the hex view.
        int keyRow = -1;
        for (std::size_t i = 0; i < f.fields.size(); ++i) {
            if (f.fields[i].name == QStringLiteral("Masking key")) {
                keyRow = int(i);
            }
        }
        QVERIFY(keyRow >= 0);
        w.frameDetail()->selectField(keyRow);
        QCOMPARE(w.frameDetail()->highlighted(), std::make_pair(2, 4));
        QVERIFY(w.frameDetail()->hexText().startsWith(QStringLiteral("00000000  01 90")));
    }

    void goToPacketAndFind() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QVERIFY(loadAndWait(w, capture("node-ws-ipv6.pcapng")));
        w.frameModel()->setGranularity(Granularity::Frames); // packet 10 is a continuation
        QVERIFY(w.analyzeActions()->goToPacket(10));
        QCOMPARE(w.selectedConnection(), ConnId{1});
        QCOMPARE(
            w.frameModel()->index(w.frameTable()->currentIndex().row(), 0).data().toULongLong(),
            10ull);
        QVERIFY(!w.analyzeActions()->goToPacket(999999));
        // A word only in a payload.
        const Trace& doc = w.session()->document();
        QString word;
        for (const Message& m : doc.messages) {
            if (m.opcode == 0x1 && m.payload.size() >= 6) {
                word = QString::fromStdString(m.payload.substr(0, 6));
                break;
            }
        }
        QVERIFY(!word.isEmpty());
        QVERIFY(w.analyzeActions()->find(word));
        QVERIFY(!w.analyzeActions()->find(QStringLiteral("zz-not-anywhere-zz")));
        // F1: the keyboard map names these actions and the catalog lists every anomaly.
        const QString help = w.analyzeActions()->helpHtml();
        QVERIFY(help.contains(QStringLiteral("Go to Packet")));
        QVERIFY(help.contains(QStringLiteral("hijack_two_responses")));
    }
};

QTEST_MAIN(TestWiresharkHabits)
#include "tst_wireshark_habits.moc"
