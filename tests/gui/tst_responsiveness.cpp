// SPDX-License-Identifier: MIT
// A large generated capture loads on the worker while the GUI event loop keeps turning.
#include "tests/support/pcap_conversation.h"
#include "ui/main_window.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/session_controller.h"
#include "ui/overview_view.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace wst;
using namespace wst::ui;

class TestResponsiveness : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("load.pcap"));
        test::SynthOptions o;
        o.connections = 4000;
        o.messages = 4;
        m_packets = test::writeSyntheticCapture(m_path.toStdString(), o);
        QVERIFY(m_packets > 0);
    }

    void timerKeepsFiringDuringLoad() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.show();
        QTimer ticker;
        ticker.setInterval(10);
        int ticks = 0;
        qint64 worstGapMs = 0;
        QElapsedTimer sinceTick;
        connect(&ticker, &QTimer::timeout, this, [&] {
            if (sinceTick.isValid()) {
                worstGapMs = std::max(worstGapMs, sinceTick.elapsed());
            }
            sinceTick.restart();
            ++ticks;
        });
        QSignalSpy done(w.session(), &SessionController::loadFinished);
        QElapsedTimer clock;
        clock.start();
        ticker.start();
        w.openFile(m_path);
        const bool returnedAtOnce = w.session()->isLoading();
        QVERIFY(done.wait(180000));
        ticker.stop();
        const qint64 elapsed = clock.elapsed();
        qInfo("loaded %lld packets, %zu connections in %lld ms; %d timer ticks, worst gap %lld ms",
              m_packets, w.session()->document().connections.size(), elapsed, ticks, worstGapMs);
        QVERIFY(returnedAtOnce); // openFile does not block
        QCOMPARE(w.session()->document().stats.packets, std::uint64_t(m_packets));
        QCOMPARE(w.connectionModel()->rowCount(), 4000);
        // The event loop turned throughout: no stall near half a second, even on a loaded
        // machine (typical here: worst gap well under 200 ms).
        QVERIFY2(worstGapMs < 400, qPrintable(QString::number(worstGapMs)));
        // And it turned often: at least one tick per 150 ms on average.
        QVERIFY2(ticks >= elapsed / 150, qPrintable(QString::number(ticks)));
    }

    void overviewPaintsOnlyVisibleRows() {
        MainWindow w;
        w.setDialogsEnabled(false);
        w.resize(1200, 800);
        w.show();
        QSignalSpy done(w.session(), &SessionController::loadFinished);
        w.openFile(m_path);
        QVERIFY(done.wait(180000));
        w.leftTabs()->setCurrentWidget(w.overview());
        QElapsedTimer t;
        t.start();
        const QImage shot = w.overview()->grab().toImage();
        const qint64 ms = t.elapsed();
        qInfo("overview of 4000 connections painted in %lld ms, %d rows", ms,
              w.overview()->lastPaintedRows());
        QVERIFY(!shot.isNull());
        QVERIFY(w.overview()->lastPaintedRows() > 0);
        QVERIFY(w.overview()->lastPaintedRows() <=
                w.overview()->height() / w.overview()->rowHeight() + 2);
    }

    void cancelKeepsWhatWasRead() {
        MainWindow w;
        w.setDialogsEnabled(false);
        QSignalSpy done(w.session(), &SessionController::loadFinished);
        w.openFile(m_path);
        QTest::qWait(30);
        w.session()->cancel();
        QCOMPARE(done.count(), 1);
        QVERIFY(done.first().at(0).toBool()); // cancelled
        QVERIFY(!w.session()->isLoading());
        const std::size_t rows = w.session()->document().connections.size();
        QTest::qWait(200); // late batches of the cancelled run are dropped
        QCOMPARE(w.session()->document().connections.size(), rows);
        QVERIFY(rows < 4000);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    long long m_packets = 0;
};

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
