// SPDX-License-Identifier: MIT
// The GUI trace's memory bounds (issue 8): a file load keeps at most the session's payload
// budget of message payloads (ChunkedVector: tests/unit/model/chunked_vector_test.cpp).
#include "decoder/model/payload_budget.h"
#include "tests/support/pcap_conversation.h"
#include "ui/exporters.h"
#include "ui/main_window.h"
#include "ui/models/session_controller.h"
#include "ui/payload_view.h"

#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <string>
#include <vector>

using namespace wst;
using namespace wst::ui;

class TestDocumentMemory : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("load.pcap"));
        test::SynthOptions o;
        o.connections = 200;
        o.messages = 6;
        QVERIFY(test::writeSyntheticCapture(m_path.toStdString(), o) > 0);
    }

    void loadKeepsThePayloadBudget() {
        // Unlimited first, for reference.
        const std::vector<std::string> whole = loadPayloads(PayloadBudget::kUnlimited);
        QVERIFY(loadPayloads(0) == whole); // the default keeps all of a small file
        std::uint64_t all = 0;
        for (const std::string& p : whole) {
            all += p.size();
        }
        QVERIFY(all > 10000);

        const std::uint64_t budget = all / 10;
        SessionController session;
        // By default a small file keeps every payload, a large one or a live source the budget.
        QCOMPARE(session.payloadBudgetFor(std::uint64_t(QFileInfo(m_path).size())),
                 PayloadBudget::kUnlimited);
        QCOMPARE(session.payloadBudgetFor(SessionController::kKeepAllPayloadsUpTo + 1),
                 SessionController::kDefaultPayloadBudget);
        QCOMPARE(session.payloadBudgetFor(0), SessionController::kDefaultPayloadBudget);
        session.setPayloadBudget(budget);
        QSignalSpy done(&session, &SessionController::loadFinished);
        session.openFile(m_path);
        QVERIFY(done.wait(60000));
        const Trace& doc = session.document();
        QCOMPARE(doc.messages.size(), whole.size());
        std::uint64_t kept = 0;
        std::size_t cut = 0;
        for (std::size_t i = 0; i < whole.size(); ++i) {
            const std::string& p = doc.messages[i].payload;
            QVERIFY(whole[i].compare(0, p.size(), p) == 0); // a prefix, same bytes
            QVERIFY(doc.messages[i].length >= whole[i].size());
            kept += p.size();
            cut += p.size() < whole[i].size() ? 1 : 0;
        }
        QVERIFY(cut > 0);
        QVERIFY(kept <= budget + PayloadBudget::kHeadBytes * whole.size());
        QCOMPARE(doc.payloadBytesDropped, all - kept);

        // The payload view says why a payload is cut to its head.
        std::uint32_t cutEvent = Event::kNoRef;
        for (std::uint32_t i = 0; i < doc.events.size() && cutEvent == Event::kNoRef; ++i) {
            const Message* m = doc.messageOf(doc.events[i]);
            if (m && m->payload.size() == PayloadBudget::kHeadBytes &&
                m->length > m->payload.size()) {
                cutEvent = i;
            }
        }
        QVERIFY(cutEvent != Event::kNoRef);
        PayloadView view;
        view.setEvent(doc, cutEvent);
        bool explained = false;
        for (const QLabel* label : view.findChildren<QLabel*>()) {
            explained = explained || label->text().contains(QStringLiteral("payload budget"));
        }
        QVERIFY(explained);

        // A whole-trace export still works and marks the cut payloads as truncated.
        const QString json = m_dir.filePath(QStringLiteral("out.json"));
        QCOMPARE(exportTrace(*findTraceFormat("json"), doc, json), QString());
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"payload_truncated\":true"));
    }

private:
    /// The payloads of a load of the test file; `budget` 0 leaves the default in place.
    std::vector<std::string> loadPayloads(std::uint64_t budget) {
        SessionController session;
        if (budget != 0) {
            session.setPayloadBudget(budget);
        }
        QSignalSpy done(&session, &SessionController::loadFinished);
        session.openFile(m_path);
        if (!done.wait(60000)) {
            return {};
        }
        std::vector<std::string> out;
        for (const Message& m : session.document().messages) {
            out.push_back(m.payload);
        }
        return out;
    }

    QTemporaryDir m_dir;
    QString m_path;
};

QTEST_MAIN(TestDocumentMemory)
#include "tst_document_memory.moc"
