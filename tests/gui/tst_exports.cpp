// SPDX-License-Identifier: MIT
// File → Export from a window that loaded a real capture: every format through the same
// ExportActions the menu uses, each file checked for what its readers need.
#include "capture/source/pcap_file_source.h"
#include "decoder/pipeline/pipeline.h"
#include "ui/export_actions.h"
#include "ui/exporters.h"
#include "ui/main_window.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/session_controller.h"
#include "ui/overview_view.h"
#include "ui/timeline_view.h"

#include <QDomDocument>
#include <QImage>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using namespace wst;
using namespace wst::ui;

namespace {

/// Three upgraded connections on one server: enough to choose two of them.
const QString kCapture = QStringLiteral(WST_CAPTURES_DIR "/gin-write-after-upgrade.pcapng");

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The capture at `path` through the real pipeline.
Trace analyse(const QString& path) {
    PcapFileSource source(path.toStdString());
    Trace trace;
    if (source.isOpen()) {
        Pipeline pipeline(source, trace, {});
        pipeline.run();
    }
    return trace;
}

std::uint64_t framesOf(const Connection& c) {
    return c.stats[0].frames + c.stats[1].frames;
}

} // namespace

class TestExports : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("wstrace-tests"));
        QVERIFY(m_dir.isValid());
        m_owner = std::make_unique<MainWindow>();
        window().setDialogsEnabled(false);
        window().resize(1400, 900);
        window().show();
        QSignalSpy done(window().session(), &SessionController::loadFinished);
        window().openFile(kCapture);
        QVERIFY(done.wait(60000));
        QVERIFY(window().session()->document().finished);
        QCOMPARE(window().session()->document().connections.size(), std::size_t(3));
        m_exports = window().findChild<ExportActions*>();
        QVERIFY(m_exports);
        QTRY_VERIFY(window().timeline()->connection() != 0);
    }

    void menuOffersEveryFormat() {
        QStringList names;
        for (QAction* a : window().exportMenu()->actions()) {
            names << a->objectName();
        }
        for (const char* name :
             {"export_json", "export_frames.csv", "export_messages.csv", "export_har",
              "export_html", "export_timeline.png", "export_timeline.svg", "export_overview.png",
              "export_overview.svg", "export_pcapng"}) {
            QVERIFY2(names.contains(QString::fromLatin1(name)), name);
        }
        QVERIFY(!names.contains(QStringLiteral("exportPlaceholder")));
    }

    void json() {
        const QString path = m_dir.filePath(QStringLiteral("trace.json"));
        QCOMPARE(m_exports->runFormat(*findTraceFormat("json"), path), QString());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(path), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("wstrace.trace/2"));
        const QJsonArray captures = doc.object().value(QStringLiteral("captures")).toArray();
        QCOMPARE(captures.size(), 1);
        QCOMPARE(captures[0].toObject().value(QStringLiteral("connections")).toArray().size(), 3);
    }

    void csv() {
        const Trace& doc = window().session()->document();
        std::uint64_t frames = 0;
        for (const Connection& c : doc.connections) {
            frames += framesOf(c);
        }
        const QString framesPath = m_dir.filePath(QStringLiteral("frames.csv"));
        QCOMPARE(m_exports->runFormat(*findTraceFormat("csv", "frames"), framesPath), QString());
        const QList<QByteArray> rows = readAll(framesPath).split('\n');
        QVERIFY(rows.size() > 2);
        QVERIFY(rows.front().endsWith('\r')); // RFC 4180 line ends
        // A header, one row per frame, and the empty string after the last CRLF.
        QCOMPARE(std::uint64_t(rows.size() - 2), frames);

        const QString messagesPath = m_dir.filePath(QStringLiteral("messages.csv"));
        QCOMPARE(m_exports->runFormat(*findTraceFormat("csv", "messages"), messagesPath),
                 QString());
        QVERIFY(readAll(messagesPath).size() > 0);
        QVERIFY(readAll(messagesPath) != readAll(framesPath));
    }

    void har() {
        const QString path = m_dir.filePath(QStringLiteral("trace.har"));
        QCOMPARE(m_exports->runFormat(*findTraceFormat("har"), path), QString());
        const QJsonObject log =
            QJsonDocument::fromJson(readAll(path)).object().value(QStringLiteral("log")).toObject();
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
        const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 3);
        for (const QJsonValue& e : entries) {
            QCOMPARE(e.toObject().value(QStringLiteral("_resourceType")).toString(),
                     QStringLiteral("websocket"));
            QVERIFY(e.toObject().value(QStringLiteral("_webSocketMessages")).isArray());
        }
    }

    void htmlReportIsSelfContained() {
        const QString path = m_dir.filePath(QStringLiteral("report.html"));
        QCOMPARE(m_exports->runFormat(*findTraceFormat("html"), path), QString());
        const QString html = QString::fromUtf8(readAll(path));
        QVERIFY(html.contains(QStringLiteral("<svg")));
        // No resource off the page: no src/href to a URL, no CSS url(), no @import.
        const QRegularExpression external(
            QStringLiteral("(src|href)\\s*=\\s*[\"']?\\s*(https?:|//|file:)|"
                           "url\\(\\s*[\"']?\\s*(https?:|//|file:)|@import"),
            QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(!external.match(html).hasMatch(), qPrintable(external.match(html).captured(0)));
    }

    void timelinePictures() {
        TimelineView* timeline = window().timeline();
        const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
        QCOMPARE(m_exports->run(ExportActions::Kind::TimelinePng, png), QString());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), timeline->exportSize());

        const QString svg = m_dir.filePath(QStringLiteral("timeline.svg"));
        QCOMPARE(m_exports->run(ExportActions::Kind::TimelineSvg, svg), QString());
        QDomDocument dom;
        QVERIFY(bool(dom.setContent(readAll(svg))));
        QCOMPARE(dom.documentElement().tagName(), QStringLiteral("svg"));
        // The ladder's labels are text in the drawing (those short enough not to be elided).
        QString text;
        const QDomNodeList texts = dom.elementsByTagName(QStringLiteral("text"));
        for (int i = 0; i < texts.size(); ++i) {
            text += texts.at(i).toElement().text() + QLatin1Char('\n');
        }
        int checked = 0;
        for (const TimelineItem& it : timeline->items()) {
            if (!it.label.isEmpty() && it.label.size() <= 16) {
                QVERIFY2(text.contains(it.label), qPrintable(it.label));
                ++checked;
            }
        }
        QVERIFY(checked >= 3);
        QVERIFY(text.contains(QStringLiteral("101")));
    }

    void overviewPictures() {
        window().leftTabs()->setCurrentWidget(window().overview()); // as shown
        QCoreApplication::processEvents();
        const QString png = m_dir.filePath(QStringLiteral("overview.png"));
        QCOMPARE(m_exports->run(ExportActions::Kind::OverviewPng, png), QString());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), window().overview()->size());
        // Not a blank picture: the rows are drawn.
        QVERIFY(image.pixel(image.width() / 2, image.height() / 4) != image.pixel(1, 1) ||
                image.pixel(image.width() / 3, 40) != image.pixel(1, 1));

        const QString svg = m_dir.filePath(QStringLiteral("overview.svg"));
        QCOMPARE(m_exports->run(ExportActions::Kind::OverviewSvg, svg), QString());
        QDomDocument dom;
        QVERIFY(bool(dom.setContent(readAll(svg))));
        QCOMPARE(dom.documentElement().tagName(), QStringLiteral("svg"));
        window().leftTabs()->setCurrentIndex(0);
    }

    void selectedConnectionsAsPcapng() {
        // Select connections 1 and 3 in the list, as a user would with Ctrl+click.
        QTableView* table = window().connectionTable();
        QItemSelectionModel* selection = table->selectionModel();
        selection->clearSelection();
        std::set<ConnId> wanted{1, 3};
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, 0);
            if (wanted.count(index.data(ConnectionListModel::ConnIdRole).toUInt())) {
                selection->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
            }
        }
        QVERIFY(m_exports->selectedConnections() == wanted);
        QVERIFY(m_exports->isAvailable(ExportActions::Kind::SelectedPcapng));

        const QString path = m_dir.filePath(QStringLiteral("two.pcapng"));
        QCOMPARE(m_exports->run(ExportActions::Kind::SelectedPcapng, path), QString());
        const Trace back = analyse(path);
        QVERIFY(back.stats.error.empty());
        QCOMPARE(back.connections.size(), std::size_t(2));
        // Same connections (by endpoints) with the same frame counts as in the full capture.
        const Trace& doc = window().session()->document();
        std::vector<const Connection*> originals;
        for (ConnId id : wanted) {
            originals.push_back(doc.connection(id));
        }
        for (std::size_t i = 0; i < 2; ++i) {
            const Connection& got = back.connections[i];
            const Connection& want = *originals[i];
            QVERIFY(got.client == want.client);
            QVERIFY(got.server == want.server);
            QCOMPARE(framesOf(got), framesOf(want));
            QVERIFY(framesOf(got) > 0);
            QVERIFY(got.outcome == want.outcome);
        }
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_owner;
    MainWindow& window() { return *m_owner; }
    ExportActions* m_exports = nullptr;
};

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
