// SPDX-License-Identifier: MIT
// ReplayController on a real capture: frame-ping-unanswered.pcap lasts 3 s (a ping a second),
// so pacing, pause and seeks are measurable with generous bounds on a loaded machine.
#include "capture/source/pcap_file_source.h"
#include "ui/main_window.h"
#include "ui/models/session_controller.h"
#include "ui/replay_bar.h"
#include "ui/replay_controller.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QtTest>
#include <vector>

using namespace wst;
using namespace wst::ui;

namespace {

const QString kCapture = QStringLiteral(WST_CAPTURES_DIR "/frame-ping-unanswered.pcap");

std::vector<Timestamp> packetTimes() {
    PcapFileSource file(kCapture.toStdString());
    std::vector<Timestamp> times;
    RawPacket p;
    while (file.next(p) == ReadStatus::Packet) {
        times.push_back(p.time);
    }
    return times;
}

std::size_t countBefore(const std::vector<Timestamp>& times, Timestamp t) {
    std::size_t n = 0;
    for (Timestamp x : times) {
        n += x < t ? 1 : 0;
    }
    return n;
}

struct Shape {
    std::size_t connections = 0, events = 0, messages = 0, anomalies = 0;
    std::uint64_t packets = 0;
    bool operator==(const Shape&) const = default;
};

Shape shapeOf(const Trace& d) {
    return {d.connections.size(), d.events.size(), d.messages.size(), d.anomalies.size(),
            d.stats.packets};
}

/// The capture loaded the ordinary way (no pacing), as the reference.
Shape plainLoad() {
    SessionController session;
    QSignalSpy done(&session, &SessionController::loadFinished);
    session.openFile(kCapture);
    if (!done.wait(30000)) {
        return {};
    }
    return shapeOf(session.document());
}

bool waitFinished(QSignalSpy& spy, int ms) {
    return spy.count() > 0 || spy.wait(ms);
}

} // namespace

class TestReplayController : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
        m_times = packetTimes();
        QVERIFY(m_times.size() >= 10);
        m_reference = plainLoad();
        QVERIFY(m_reference.connections >= 1);
        QVERIFY(m_reference.packets == m_times.size());
        m_duration = (m_times.back() - m_times.front()) / 1e9;
        QVERIFY(m_duration > 2.0); // the capture's four pings span three seconds
    }

    void tenTimesSpeedTakesAboutATenthAndGivesTheSameTrace() {
        SessionController session;
        ReplayController replay(&session);
        QSignalSpy finished(&replay, &ReplayController::finished);
        QSignalSpy range(&replay, &ReplayController::rangeKnown);
        QElapsedTimer clock;
        clock.start();
        replay.start(kCapture, 10);
        QVERIFY(replay.isActive());
        QVERIFY(waitFinished(finished, 30000));
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY2(seconds >= m_duration / 10 * 0.8, qPrintable(QString::number(seconds)));
        QVERIFY2(seconds < m_duration / 10 + 3.0, qPrintable(QString::number(seconds)));
        QVERIFY(!replay.isActive());
        QCOMPARE(range.count(), 1);
        QCOMPARE(replay.firstTime(), m_times.front());
        QCOMPARE(replay.lastTime(), m_times.back());
        QCOMPARE(replay.packetsDelivered(), m_times.size());
        QVERIFY(shapeOf(session.document()) == m_reference);
    }

    void viewsGrowWhileThePacedReplayRuns() {
        SessionController session;
        ReplayController replay(&session);
        QSignalSpy finished(&replay, &ReplayController::finished);
        replay.start(kCapture, 1);
        // The handshake is in the first milliseconds; the pings follow a second apart. The
        // document must show the connection long before the replay ends.
        QTRY_VERIFY_WITH_TIMEOUT(!session.document().connections.empty(), 2500);
        QVERIFY(replay.isActive());
        QVERIFY(session.document().events.size() < m_reference.events);
        replay.setSpeed(0); // as fast as possible: the rest at once
        QVERIFY(waitFinished(finished, 30000));
        QVERIFY(shapeOf(session.document()) == m_reference);
    }

    void pauseHoldsTheReplayAndResumeContinues() {
        SessionController session;
        ReplayController replay(&session);
        QSignalSpy finished(&replay, &ReplayController::finished);
        replay.start(kCapture, 1);
        QTRY_VERIFY_WITH_TIMEOUT(replay.packetsDelivered() >= 1, 5000);
        replay.pause();
        QVERIFY(replay.isPaused());
        const std::uint64_t held = replay.packetsDelivered();
        const Timestamp at = replay.position();
        QTest::qWait(1500); // longer than the gap between two pings
        QCOMPARE(replay.packetsDelivered(), held);
        QCOMPARE(replay.position(), at);
        QVERIFY(held < m_times.size());
        QVERIFY(replay.isActive());
        replay.setSpeed(0);
        replay.resume();
        QVERIFY(waitFinished(finished, 30000));
        QCOMPARE(replay.packetsDelivered(), m_times.size());
        QVERIFY(shapeOf(session.document()) == m_reference);
    }

    void seekForwardThenBackward() {
        SessionController session;
        ReplayController replay(&session);
        QSignalSpy finished(&replay, &ReplayController::finished);
        replay.start(kCapture, 1, true); // paused before the first packet
        QTRY_VERIFY_WITH_TIMEOUT(replay.hasRange(), 5000);
        const std::uint64_t generation = session.generation();

        // Forward: the packets before the target arrive at once although the replay is paused.
        const Timestamp forward{m_times.front().ns + 2'500'000'000};
        const std::size_t beforeForward = countBefore(m_times, forward);
        QVERIFY(beforeForward > 1 && beforeForward < m_times.size());
        replay.seek(forward);
        QTRY_COMPARE_WITH_TIMEOUT(replay.packetsDelivered(), beforeForward, 5000);
        QTest::qWait(300);
        QCOMPARE(replay.packetsDelivered(), beforeForward); // still paused at the target
        QVERIFY(replay.position() < forward);
        QCOMPARE(replay.restarts(), 0);
        QCOMPARE(session.generation(), generation);
        // The views caught up with the replay (idle ticks hand the batch over).
        QTRY_VERIFY_WITH_TIMEOUT(!session.document().events.empty() &&
                                     session.document().events.back().time < forward,
                                 5000);

        // Backward: a new run (new generation) that fast-forwards to the earlier target.
        const Timestamp backward{m_times.front().ns + 500'000'000};
        const std::size_t beforeBackward = countBefore(m_times, backward);
        QVERIFY(beforeBackward < beforeForward);
        replay.seek(backward);
        QCOMPARE(replay.restarts(), 1);
        QVERIFY(session.generation() > generation);
        QVERIFY(replay.isActive());
        QTRY_COMPARE_WITH_TIMEOUT(replay.packetsDelivered(), beforeBackward, 5000);
        QTest::qWait(300);
        QCOMPARE(replay.packetsDelivered(), beforeBackward);
        QTRY_VERIFY_WITH_TIMEOUT(!session.document().connections.empty(), 5000);
        for (const Event& e : session.document().events) {
            QVERIFY(e.time < backward); // nothing of the old run survived
        }
        QCOMPARE(finished.count(), 0); // the restart is not the end of the replay

        replay.setSpeed(0);
        replay.resume();
        QVERIFY(waitFinished(finished, 30000));
        QVERIFY(shapeOf(session.document()) == m_reference);
    }

    void stopEndsTheReplayAndKeepsWhatWasShown() {
        SessionController session;
        ReplayController replay(&session);
        QSignalSpy finished(&replay, &ReplayController::finished);
        replay.start(kCapture, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!session.document().connections.empty(), 5000);
        replay.stop();
        QVERIFY(waitFinished(finished, 5000));
        QVERIFY(!replay.isActive());
        QVERIFY(!session.document().connections.empty());
        QVERIFY(replay.packetsDelivered() < m_times.size());
    }

    void windowDuringReplay() {
        // The window's own replay wiring: File → Replay… drives this controller and its bar.
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1400, 900);
        w.show();
        auto* replay = w.findChild<ReplayController*>(QStringLiteral("replayController"));
        auto* bar = w.findChild<ReplayBar*>(QStringLiteral("replayBar"));
        QVERIFY(replay && bar);
        QSignalSpy finished(replay, &ReplayController::finished);
        replay->start(kCapture, 1);
        QTRY_VERIFY(bar->isVisible());
        // Let it play past the second ping, then hold it there for the picture.
        QTRY_VERIFY_WITH_TIMEOUT(replay->position() - m_times.front() > 1'200'000'000, 10000);
        replay->pause();
        QTest::qWait(300);
        const int held = bar->slider()->value();
        QVERIFY(held > 0 && held < bar->slider()->maximum());
        QVERIFY(!w.session()->document().connections.empty());
        QVERIFY(w.session()->document().events.size() < m_reference.events);
        const QString dir = QStringLiteral(WST_SCREENSHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(w.grab().save(dir + QStringLiteral("/replay.png")));
        replay->setSpeed(0);
        replay->resume();
        QVERIFY(waitFinished(finished, 30000));
        QCOMPARE(bar->slider()->value(), bar->slider()->maximum());
    }

private:
    std::vector<Timestamp> m_times;
    Shape m_reference;
    double m_duration = 0;
};

QTEST_MAIN(TestReplayController)
#include "tst_replay_controller.moc"
