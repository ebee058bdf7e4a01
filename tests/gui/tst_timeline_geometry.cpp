// SPDX-License-Identifier: MIT
// TimelineGeometry and LaneLayout as plain values (STYLE.md practice 11).
#include "ui/models/timeline_geometry.h"

#include <QtTest>
#include <vector>

using wst::Timestamp;
using wst::ui::LaneLayout;
using wst::ui::TimelineGeometry;

class TestTimelineGeometry : public QObject {
    Q_OBJECT
private slots:
    void linearMapsEndsAndMiddle() {
        const auto g = TimelineGeometry::linear({1'000}, {11'000}, 500.0);
        QCOMPARE(g.timeToPos({1'000}), 0.0);
        QCOMPARE(g.timeToPos({11'000}), 500.0);
        QCOMPARE(g.timeToPos({6'000}), 250.0);
        QCOMPARE(g.posToTime(250.0).ns, 6'000);
        QCOMPARE(g.contentLength(), 500.0);
    }

    void linearRoundTrips_data() {
        QTest::addColumn<qint64>("ns");
        for (qint64 ns : {0LL, 1LL, 777LL, 5'000'000LL, 9'999'999LL, 10'000'000LL}) {
            QTest::addRow("%lld", ns) << ns;
        }
    }
    void linearRoundTrips() {
        QFETCH(qint64, ns);
        auto g = TimelineGeometry::linear({0}, {10'000'000}, 1000.0);
        g.zoomAt(3.0, 120.0);
        g.pan(-40.0);
        QVERIFY(std::llabs(g.posToTime(g.timeToPos({ns})).ns - ns) <= 20);
    }

    void linearExtrapolatesOutside() {
        const auto g = TimelineGeometry::linear({0}, {1'000}, 100.0);
        QCOMPARE(g.timeToPos({2'000}), 200.0);
        QCOMPARE(g.timeToPos({-1'000}), -100.0);
    }

    void emptyRangeDoesNotDivideByZero() {
        const auto g = TimelineGeometry::linear({5}, {5}, 100.0);
        QVERIFY(std::isfinite(g.timeToPos({5})));
        QVERIFY(std::isfinite(g.timeToPos({50})));
    }

    void zoomKeepsAnchorTime() {
        auto g = TimelineGeometry::linear({0}, {1'000'000}, 1000.0);
        const Timestamp before = g.posToTime(300.0);
        g.zoomAt(4.0, 300.0);
        QCOMPARE(g.zoom(), 4.0);
        QVERIFY(std::llabs(g.posToTime(300.0).ns - before.ns) <= 1);
        QCOMPARE(g.contentLength(), 4000.0);
        g.zoomAt(0.5, 0.0);
        QCOMPARE(g.zoom(), 2.0);
    }

    void zoomIsClamped() {
        auto g = TimelineGeometry::linear({0}, {1'000}, 100.0);
        g.zoomAt(1e9, 0);
        QCOMPARE(g.zoom(), TimelineGeometry::kMaxZoom);
        g.zoomAt(1e-12, 0);
        QCOMPARE(g.zoom(), TimelineGeometry::kMinZoom);
    }

    void panShiftsEverything() {
        auto g = TimelineGeometry::linear({0}, {1'000}, 100.0);
        g.pan(25.0);
        QCOMPARE(g.timeToPos({0}), -25.0);
        QCOMPARE(g.timeToPos({1'000}), 75.0);
        g.setOffset(0);
        QCOMPARE(g.timeToPos({0}), 0.0);
    }

    void spacedGivesEveryItemItsOwnSlot() {
        // Three items at the same instant (two responses in one segment), then a burst.
        const std::vector<Timestamp> t = {{0}, {0}, {0}, {1'000}, {2'000}};
        const auto g = TimelineGeometry::spaced(t, 20.0, 80.0);
        QCOMPARE(g.slotCount(), std::size_t(5));
        for (std::size_t i = 1; i < g.slotCount(); ++i) {
            QVERIFY2(g.slotPos(i) - g.slotPos(i - 1) >= 20.0, qPrintable(QString::number(i)));
        }
        QCOMPARE(g.slotPos(0), 0.0);
        QCOMPARE(g.slotPos(1), 20.0);
        // An exact time maps to its first slot.
        QCOMPARE(g.timeToPos({0}), 0.0);
        QCOMPARE(g.timeToPos({1'000}), g.slotPos(3));
    }

    void spacedCapsLongPauses() {
        const std::vector<Timestamp> t = {{0}, {600'000'000'000}}; // ten minutes
        const auto g = TimelineGeometry::spaced(t, 20.0, 60.0);
        QCOMPARE(g.slotPos(1), 60.0);
        // A longer pause takes more room than a short one, up to the cap.
        const std::vector<Timestamp> shortPause = {{0}, {10'000}};
        const std::vector<Timestamp> longPause = {{0}, {10'000'000}};
        QVERIFY(TimelineGeometry::spaced(longPause, 20, 80).slotPos(1) >
                TimelineGeometry::spaced(shortPause, 20, 80).slotPos(1));
    }

    void spacedIsMonotoneAndInvertible() {
        std::vector<Timestamp> t;
        std::int64_t ns = 0;
        for (int i = 0; i < 200; ++i) {
            ns += (i * 7919) % 5'000'000;
            t.push_back({ns});
        }
        auto g = TimelineGeometry::spaced(t);
        g.zoomAt(2.5, 100.0);
        double prev = -1e18;
        for (std::int64_t probe = 0; probe <= ns; probe += ns / 997) {
            const double p = g.timeToPos({probe});
            QVERIFY(p >= prev);
            prev = p;
            const Timestamp back = g.posToTime(p);
            // Within one slot's time resolution.
            QVERIFY(std::llabs(back.ns - probe) <= 5'000'000);
        }
    }

    void spacedClampsOutOfOrderTimes() {
        const std::vector<Timestamp> t = {{1'000}, {500}, {2'000}};
        const auto g = TimelineGeometry::spaced(t);
        QVERIFY(g.slotPos(1) > g.slotPos(0));
        QVERIFY(g.slotPos(2) > g.slotPos(1));
    }

    void slotAtFindsNearest() {
        const std::vector<Timestamp> t = {{0}, {1}, {2}};
        auto g = TimelineGeometry::spaced(t, 20.0, 80.0);
        QCOMPARE(g.slotAt(-100), std::ptrdiff_t(0));
        QCOMPARE(g.slotAt(g.slotPos(1) + 3), std::ptrdiff_t(1));
        QCOMPARE(g.slotAt(g.slotPos(2) - 3), std::ptrdiff_t(2));
        QCOMPARE(g.slotAt(1e6), std::ptrdiff_t(2));
        g.pan(g.slotPos(1));
        QCOMPARE(g.slotAt(0), std::ptrdiff_t(1));
        QCOMPARE(TimelineGeometry().slotAt(0), std::ptrdiff_t(-1));
    }

    void lanesAreOrderedAndInside_data() {
        QTest::addColumn<double>("width");
        for (double w : {0.0, 200.0, 420.0, 800.0, 1400.0, 4000.0}) {
            QTest::addRow("%g", w) << w;
        }
    }
    void lanesAreOrderedAndInside() {
        QFETCH(double, width);
        const LaneLayout l = LaneLayout::forWidth(width);
        QVERIFY(l.axisRight > 0);
        QVERIFY(l.clientX > l.axisRight);
        QVERIFY(l.serverX - l.clientX >= LaneLayout::kMinLaneGap);
        QVERIFY(l.notesLeft >= l.serverX);
        QVERIFY(l.packetLeft >= l.notesLeft);
        QVERIFY(l.packetLeft <= l.width);
        QVERIFY(l.width >= width);
        QCOMPARE(l.headerHeight, LaneLayout::kHeaderHeight);
    }
};

QTEST_APPLESS_MAIN(TestTimelineGeometry)
#include "tst_timeline_geometry.moc"
