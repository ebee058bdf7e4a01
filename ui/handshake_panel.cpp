// SPDX-License-Identifier: MIT
#include "ui/handshake_panel.h"

#include "decoder/http/handshake_review.h"
#include "decoder/model/format.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace wst::ui {

namespace {
QTreeWidget* headerTree(const QString& title, QWidget* parent) {
    auto* t = new QTreeWidget(parent);
    t->setColumnCount(2);
    t->setHeaderLabels({title, QStringLiteral("Value")});
    t->setRootIsDecorated(true);
    t->setUniformRowHeights(true);
    t->setAlternatingRowColors(true);
    t->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    t->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    t->header()->setStretchLastSection(true);
    return t;
}

void addHeaders(QTreeWidgetItem* parent, const std::vector<Header>& headers) {
    for (const Header& h : headers) {
        auto* item = new QTreeWidgetItem(parent);
        item->setText(0, QString::fromStdString(h.name));
        item->setText(1, QString::fromStdString(h.value));
        item->setToolTip(1, QString::fromStdString(h.value));
    }
}
} // namespace

HandshakePanel::HandshakePanel(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_request(headerTree(QStringLiteral("Request"), this))
    , m_response(headerTree(QStringLiteral("Response"), this))
    , m_checkTree(new QTreeWidget(this)) {
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_checkTree->setColumnCount(4);
    m_checkTree->setHeaderLabels({QStringLiteral("Check"), QStringLiteral("Expected"),
                                  QStringLiteral("Found"), QStringLiteral("Anomaly / rule")});
    m_checkTree->setRootIsDecorated(false);
    m_checkTree->setUniformRowHeights(true);
    m_checkTree->setAlternatingRowColors(true);
    m_checkTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_checkTree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_checkTree->header()->setStretchLastSection(false);
    m_checkTree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_checkTree->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_checkTree->setColumnWidth(1, 240);

    auto* heads = new QSplitter(Qt::Horizontal, this);
    heads->addWidget(m_request);
    heads->addWidget(m_response);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(heads);
    split->addWidget(m_checkTree);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    setConnection(nullptr);
}

void HandshakePanel::setConnection(const Connection* c, const std::vector<AnomalyId>& anomalies) {
    m_request->clear();
    m_response->clear();
    m_checkTree->clear();
    m_checks.clear();
    m_overall = Overall::None;
    if (!c) {
        m_summary->setText(QStringLiteral("Select a connection to check its handshake."));
        return;
    }
    m_checks = reviewHandshake(*c, anomalies);
    const auto rank = [](const HandshakeCheck& check) {
        switch (check.result) {
        case CheckResult::Failed:
            return check.anomaly && anomalyInfo(*check.anomaly).severity == Severity::Info ? 1 : 0;
        case CheckResult::Passed:
            return 2;
        case CheckResult::NotApplicable:
            break;
        }
        return 3;
    };
    std::stable_sort(
        m_checks.begin(), m_checks.end(),
        [&](const HandshakeCheck& a, const HandshakeCheck& b) { return rank(a) < rank(b); });
    if (c->request) {
        const RequestSummary& r = *c->request;
        auto* top = new QTreeWidgetItem(m_request);
        top->setText(0, QString::fromStdString(r.method + " " + r.target));
        top->setText(1, QStringLiteral("%1 · packet %2")
                            .arg(QString::fromStdString(r.httpVersion))
                            .arg(r.packet));
        addHeaders(top, r.headers);
        top->setExpanded(true);
    }
    // Green only for the 101 the client acted on: after "200 then 101" the client got the 200,
    // and the later 101 is listed as what the server sent, not as a switch.
    const ResponseSummary* acted = responseActedOn(*c);
    for (const ResponseSummary& r : c->responses) {
        auto* top = new QTreeWidgetItem(m_response);
        top->setText(0,
                     QStringLiteral("%1 %2").arg(r.status).arg(QString::fromStdString(r.reason)));
        top->setText(1, QStringLiteral("%1 · packet %2%3")
                            .arg(QString::fromStdString(r.httpVersion))
                            .arg(r.packet)
                            .arg(acted && &r != acted && r.status >= 200
                                     ? QStringLiteral(" · not acted on by the client")
                                     : QString()));
        const bool switched = &r == acted && r.status == 101 &&
                              !(c->finished && c->verdict.client.belief == Belief::NotUpgraded);
        top->setForeground(0, switched          ? palette::upgraded()
                              : r.status == 101 ? palette::tcp()
                                                : palette::refused());
        addHeaders(top, r.headers);
        if (!r.bodyPrefix.empty()) {
            auto* body = new QTreeWidgetItem(top);
            body->setText(0, QStringLiteral("(body)"));
            body->setText(1, QString::fromStdString(r.bodyPrefix).simplified());
            body->setToolTip(1, QString::fromStdString(r.bodyPrefix));
        }
        top->setExpanded(true);
    }
    int failed = 0, warned = 0, passed = 0;
    for (const HandshakeCheck& check : m_checks) {
        auto* item = new QTreeWidgetItem(m_checkTree);
        item->setText(0, qs(check.name));
        item->setText(1, qs(check.expected));
        item->setText(2, qs(check.found));
        if (check.anomaly) {
            item->setText(3, QStringLiteral("%1  %2").arg(qs(anomalyName(*check.anomaly)),
                                                          qs(anomalyInfo(*check.anomaly).rfc)));
        }
        item->setToolTip(1, item->text(1));
        item->setToolTip(2, item->text(2));
        QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
        switch (check.result) {
        case CheckResult::Passed:
            ++passed;
            break;
        case CheckResult::Failed:
            if (check.anomaly && anomalyInfo(*check.anomaly).severity == Severity::Info) {
                ++warned;
                icon = QStyle::SP_MessageBoxWarning;
            } else {
                ++failed;
                icon = QStyle::SP_DialogCancelButton;
                item->setForeground(2, palette::error());
            }
            break;
        case CheckResult::NotApplicable:
            icon = QStyle::SP_MediaSkipForward;
            item->setForeground(0, palette::tcp());
            break;
        }
        item->setIcon(0, this->icon(icon));
    }
    if (m_checks.empty()) {
        auto* item = new QTreeWidgetItem(
            m_checkTree,
            {QStringLiteral("Upgrade request"), QStringLiteral("GET with Upgrade: websocket"),
             QStringLiteral("no request captured"), QStringLiteral("RFC 6455 §4.1")});
        item->setIcon(0, this->icon(QStyle::SP_MediaSkipForward));
        item->setForeground(0, palette::tcp());
    }
    m_overall = failed   ? Overall::Failed
                : warned ? Overall::Warning
                : passed ? Overall::Passed
                         : Overall::None;
    QString text =
        QStringLiteral("<b>Connection #%1</b> — %2")
            .arg(c->id)
            .arg(c->finished && !c->verdict.headline.empty() ? qsHtml(c->verdict.headline)
                                                             : outcomeLabel(c->outcome));
    if (c->handshakeLatencyNs) {
        text += QStringLiteral(", handshake %1").arg(qs(formatDuration(*c->handshakeLatencyNs)));
    }
    text += QStringLiteral(" — %1 checks passed").arg(passed);
    if (failed) {
        text += QStringLiteral(", <span style='color:%1'><b>%2 failed</b></span>")
                    .arg(palette::error().name())
                    .arg(failed);
    }
    if (warned) {
        text += QStringLiteral(", %1 warning%2").arg(warned).arg(warned == 1 ? "" : "s");
    }
    m_summary->setText(text);
}

QIcon HandshakePanel::overallIcon() {
    switch (m_overall) {
    case Overall::Failed:
        return icon(QStyle::SP_DialogCancelButton);
    case Overall::Warning:
        return icon(QStyle::SP_MessageBoxWarning);
    case Overall::Passed:
        return icon(QStyle::SP_DialogApplyButton);
    case Overall::None:
        break;
    }
    return icon(QStyle::SP_FileDialogInfoView);
}

QIcon HandshakePanel::icon(QStyle::StandardPixmap which) {
    auto it = m_icons.find(which);
    if (it == m_icons.end()) {
        it = m_icons.insert(which, style()->standardIcon(which));
    }
    return *it;
}

} // namespace wst::ui
