// SPDX-License-Identifier: MIT
// Live capture through the code the GUI uses (LiveCaptureController over SessionController):
// real WebSocket traffic on loopback made inside the test — a QTcpServer and a QTcpSocket
// speaking the RFC 6455 handshake and masked frames — must show up while capturing, and the
// pcapng saved meanwhile must read back to the same trace. Needs root (or CAP_NET_RAW); skips
// otherwise. The refusal message is checked on the real LiveSource error of an unprivileged
// process (this test re-run under setpriv when it runs as root).
#include "capture/source/pcap_file_source.h"
#include "decoder/pipeline/pipeline.h"
#include "ui/export_actions.h"
#include "ui/live_capture.h"
#include "ui/live_capture_dialog.h"
#include "ui/live_capture_ui.h"
#include "ui/main_window.h"
#include "ui/models/session_controller.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace wst;
using namespace wst::ui;

namespace {

const QByteArray kKey = "dGhlIHNhbXBsZSBub25jZQ==";

/// A client frame: FIN, `opcode`, masked with `mask` (RFC 6455 §5.2, §5.3).
QByteArray maskedFrame(quint8 opcode, const QByteArray& payload, quint32 mask) {
    QByteArray f;
    f.append(char(0x80 | opcode));
    f.append(char(0x80 | payload.size())); // < 126 bytes here
    const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    f.append(key, 4);
    for (int i = 0; i < payload.size(); ++i) {
        f.append(char(payload[i] ^ key[i % 4]));
    }
    return f;
}

QByteArray serverFrame(quint8 opcode, const QByteArray& payload) {
    QByteArray f;
    f.append(char(0x80 | opcode));
    f.append(char(payload.size()));
    return f + payload;
}

bool waitBytes(QTcpSocket* s, const QByteArray& until, QByteArray& got, int ms = 5000) {
    QElapsedTimer t;
    t.start();
    while (!got.contains(until) && t.elapsed() < ms) {
        if (s->bytesAvailable() == 0) {
            s->waitForReadyRead(100);
        }
        got += s->readAll();
    }
    return got.contains(until);
}

/// One WebSocket conversation on 127.0.0.1:port: handshake, "hello" →, ← "world", Close both
/// ways, then TCP close. Returns "" on success.
QString talk(QTcpServer& server) {
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    if (!client.waitForConnected(5000) || !server.waitForNewConnection(5000)) {
        return QStringLiteral("no TCP connection");
    }
    QTcpSocket* peer = server.nextPendingConnection();
    client.write("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: " +
                 kKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    client.flush();
    QByteArray request;
    if (!waitBytes(peer, "\r\n\r\n", request)) {
        return QStringLiteral("server saw no request");
    }
    const QByteArray accept =
        QCryptographicHash::hash(kKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                 QCryptographicHash::Sha1)
            .toBase64();
    peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                accept + "\r\n\r\n");
    peer->flush();
    QByteArray response;
    if (!waitBytes(&client, "\r\n\r\n", response)) {
        return QStringLiteral("client saw no 101");
    }
    client.write(maskedFrame(0x1, "hello", 0x11223344));
    client.flush();
    QByteArray fromClient;
    if (!waitBytes(peer, QByteArray(1, char(0x81)), fromClient) || fromClient.size() < 11) {
        peer->waitForReadyRead(500);
        fromClient += peer->readAll();
    }
    peer->write(serverFrame(0x1, "world"));
    peer->flush();
    QByteArray fromServer;
    waitBytes(&client, "world", fromServer);
    const QByteArray code("\x03\xe8", 2); // 1000, normal closure
    client.write(maskedFrame(0x8, code, 0x55667788));
    client.flush();
    peer->waitForReadyRead(1000);
    peer->readAll();
    peer->write(serverFrame(0x8, code));
    peer->flush();
    client.waitForReadyRead(1000);
    peer->disconnectFromHost();
    client.disconnectFromHost();
    if (peer->state() != QAbstractSocket::UnconnectedState) {
        peer->waitForDisconnected(1000);
    }
    return fromServer.contains("world") ? QString() : QStringLiteral("client saw no reply");
}

/// LiveSource's own error for `interface` ("" if it opened).
std::string openError(const std::string& interface) {
    LiveOptions options;
    options.interface = interface;
    return LiveSource(options).errorMessage();
}

const Connection* upgraded(const std::vector<Connection>& all) {
    for (const Connection& c : all) {
        if (c.outcome == Outcome::Upgraded) {
            return &c;
        }
    }
    return nullptr;
}

/// Child mode: as an unprivileged process, try to capture through the window's own code and
/// print the text of the message box it shows.
int refusedChild(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    MainWindow w;
    auto* ui = w.findChild<LiveCaptureUi*>();
    if (!ui) {
        return 3;
    }
    LiveCaptureSettings settings;
    settings.options.interface = "lo";
    if (ui->start(settings)) {
        return 4; // captured: not unprivileged after all
    }
    auto* box = w.findChild<QMessageBox*>(QStringLiteral("liveRefusal"));
    std::fputs(
        qPrintable(box ? box->windowTitle() + QLatin1Char('\n') + box->text() : ui->lastRefusal()),
        stdout);
    return 0;
}

} // namespace

class TestLiveCapture : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
    }

    void capturesWebSocketTrafficOnLoopback() {
        if (geteuid() != 0) {
            QSKIP("live capture needs root or CAP_NET_RAW (CI runs as root)");
        }
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0)); // a free port
        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("live.pcapng"));

        // The window's own live-capture path (what Capture → Start does after the dialog).
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1400, 900);
        w.show();
        auto* ui = w.findChild<LiveCaptureUi*>();
        QVERIFY(ui);
        SessionController& session = *w.session();
        LiveCaptureController& live = *ui->controller();
        LiveCaptureSettings settings;
        settings.options.interface = "lo";
        settings.options.filter = "tcp port " + std::to_string(server.serverPort());
        settings.options.promiscuous = false;
        settings.savePath = saved;
        QVERIFY2(ui->start(settings), qPrintable(ui->lastRefusal()));
        QVERIFY(live.isCapturing());
        QVERIFY(session.isLoading());

        QCOMPARE(talk(server), QString());

        // Shown while the capture still runs: the connection, its handshake and its frames.
        QTRY_VERIFY_WITH_TIMEOUT(upgraded(session.document().connections) != nullptr, 10000);
        const Connection* c = upgraded(session.document().connections);
        QVERIFY(c->request.has_value());
        QCOMPARE(QString::fromStdString(c->request->target), QStringLiteral("/chat"));
        QCOMPARE(c->server.port, server.serverPort());
        QCOMPARE(c->responses.size(), std::size_t(1));
        QCOMPARE(c->responses[0].status, 101);
        QTRY_VERIFY_WITH_TIMEOUT(upgraded(session.document().connections)->stats[0].frames >= 2 &&
                                     upgraded(session.document().connections)->stats[1].frames >= 2,
                                 10000);
        QStringList texts;
        for (const Message& m : session.document().messages) {
            texts << QString::fromStdString(m.payload);
        }
        QVERIFY2(texts.contains(QStringLiteral("hello")), qPrintable(texts.join(',')));
        QVERIFY2(texts.contains(QStringLiteral("world")), qPrintable(texts.join(',')));
        QVERIFY(live.isCapturing());
        QTRY_VERIFY_WITH_TIMEOUT(live.packets() >= 10, 5000);
        QVERIFY(ui->stopAction()->isEnabled());
        QTRY_VERIFY(ui->statusLabel()->text().contains(QStringLiteral("Capturing on lo")));
        QTRY_VERIFY(!ui->statusLabel()->text().contains(QStringLiteral(" 0 packets")));
        QVERIFY(ui->statusLabel()->text().contains(QStringLiteral("0 dropped")));
        const QString shots = QStringLiteral(WST_SCREENSHOT_DIR);
        QDir().mkpath(shots);
        QVERIFY(w.grab().save(shots + QStringLiteral("/live-capture.png")));

        QSignalSpy stopped(&live, &LiveCaptureController::stopped);
        live.stop();
        QVERIFY(stopped.count() == 1 || stopped.wait(5000));
        QVERIFY(!live.isCapturing());
        QVERIFY(ui->startAction()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(live.isClosed(), 10000); // pcapng finished on the capture thread
        QCOMPARE(live.writeError(), QString());
        QCOMPARE(live.written(), live.packets());
        QCOMPARE(live.dropped(), std::uint64_t(0));

        // The saved file reads back to the same conversation.
        PcapFileSource file(saved.toStdString());
        QVERIFY2(file.isOpen(), file.errorMessage().c_str());
        Trace back;
        Pipeline pipeline(file, back, {});
        pipeline.run();
        QCOMPARE(back.stats.packets, live.written());
        const Connection* again = upgraded(back.connections);
        QVERIFY(again);
        const Connection* shown = upgraded(session.document().connections);
        QCOMPARE(again->stats[0].frames, shown->stats[0].frames);
        QCOMPARE(again->stats[1].frames, shown->stats[1].frames);
        QVERIFY(again->client == shown->client);

        // File → Export → Selected Connections as pcapng rereads the saved file.
        auto* exports = w.findChild<ExportActions*>();
        QVERIFY(exports);
        QCOMPARE(exports->captureFile(), saved);
        w.connectionTable()->selectAll();
        QVERIFY(exports->isAvailable(ExportActions::Kind::SelectedPcapng));
        const QString subset = dir.filePath(QStringLiteral("subset.pcapng"));
        QCOMPARE(exports->run(ExportActions::Kind::SelectedPcapng, subset), QString());
        PcapFileSource subsetFile(subset.toStdString());
        Trace fromSubset;
        Pipeline subsetPipeline(subsetFile, fromSubset, {});
        subsetPipeline.run();
        const Connection* exported = upgraded(fromSubset.connections);
        QVERIFY(exported);
        QCOMPARE(exported->stats[0].frames, shown->stats[0].frames);
        QCOMPARE(exported->stats[1].frames, shown->stats[1].frames);
    }

    void dialogChecksTheFilterAsTyped() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        auto* ui = w.findChild<LiveCaptureUi*>();
        QVERIFY(ui);
        ui->openDialog();
        LiveCaptureDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<LiveCaptureDialog*>()) != nullptr);
        QVERIFY(dialog->interfaceList()->topLevelItemCount() >= 1); // at least "lo"
        dialog->setInterface(QStringLiteral("lo"));
        QCOMPARE(dialog->settings().options.interface, std::string("lo"));

        QTest::keyClicks(dialog->filterEdit(), QStringLiteral("tcp prot 80"));
        QVERIFY(!dialog->filterError().isEmpty());
        QVERIFY(!dialog->canStart());
        QVERIFY(dialog->filterStatus()->text() == dialog->filterError());
        QVERIFY(dialog->filterEdit()->styleSheet().contains(QStringLiteral("#f8d0d0")));

        dialog->filterEdit()->clear();
        QTest::keyClicks(dialog->filterEdit(), QStringLiteral("tcp port 8080"));
        QVERIFY(dialog->filterError().isEmpty());
        QVERIFY(dialog->canStart());
        QVERIFY(dialog->filterEdit()->styleSheet().contains(QStringLiteral("#d4f4d4")));
        QCOMPARE(dialog->settings().options.filter, std::string("tcp port 8080"));

        const QString dir = QStringLiteral(WST_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/live-dialog.png")));
        dialog->reject();
    }

    void badFilterIsRefusedWithLibpcapsMessage() {
        const std::string message = LiveSource::checkFilter("tcp prot 80", LinkType::Ethernet);
        QVERIFY(!message.empty());
        QVERIFY(LiveSource::checkFilter("tcp port 80", LinkType::Ethernet).empty());
    }

    void refusedCaptureNamesThePermissionAndTheCommand() {
        QString text;
        QString program;
        if (geteuid() != 0) {
            text = captureRefusal(QString::fromStdString(openError("lo")),
                                  QCoreApplication::applicationFilePath())
                       .text;
            program = QCoreApplication::applicationFilePath();
        } else {
            // Root captures anyway: ask an unprivileged copy of this test what it is shown.
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            env.insert(QStringLiteral("HOME"), QDir::tempPath());
            child.setProcessEnvironment(env);
            child.start(QStringLiteral("setpriv"),
                        {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                         QStringLiteral("--clear-groups"), QStringLiteral("--inh-caps=-all"),
                         QStringLiteral("--bounding-set=-all"),
                         QCoreApplication::applicationFilePath(),
                         QStringLiteral("--refused-child")});
            if (!child.waitForStarted(5000)) {
                QSKIP("setpriv is not available to drop privileges");
            }
            QVERIFY(child.waitForFinished(30000));
            text = QString::fromUtf8(child.readAllStandardOutput());
            QVERIFY2(child.exitCode() == 0,
                     qPrintable(QString::number(child.exitCode()) + QLatin1Char(' ') + text +
                                QString::fromUtf8(child.readAllStandardError())));
            program = QCoreApplication::applicationFilePath();
        }
        QVERIFY2(text.contains(QStringLiteral("Live capture not permitted")) || geteuid() != 0,
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CAP_NET_RAW")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CAP_NET_ADMIN")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("does not need to run as root")), qPrintable(text));
        QVERIFY2(
            text.contains(QStringLiteral("sudo setcap cap_net_raw,cap_net_admin=eip ") + program),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral(
                     "sudo setcap cap_net_raw,cap_net_admin=eip $(command -v wstrace-gui)")),
                 qPrintable(text));
    }

    void otherFailuresAreNotCalledPermissionProblems() {
        const CaptureRefusal r =
            captureRefusal(QString::fromStdString(openError("wst-no-such-if0")),
                           QStringLiteral("/usr/bin/wstrace-gui"));
        QVERIFY(!r.permission);
        QVERIFY(r.text.contains(QStringLiteral("wst-no-such-if0")));
        QVERIFY(!r.text.contains(QStringLiteral("setcap")));
    }
};

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[argc - 1], "--refused-child") == 0) {
        return refusedChild(argc - 1, argv);
    }
    QApplication app(argc, argv);
    TestLiveCapture test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_live_capture.moc"
