// SPDX-License-Identifier: MIT
#include "ui/filter_bar.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace wst::ui {

namespace {
QLineEdit* field(const QString& placeholder, const QString& tip, QWidget* parent) {
    auto* e = new QLineEdit(parent);
    e->setPlaceholderText(placeholder);
    e->setToolTip(tip);
    e->setClearButtonEnabled(true);
    return e;
}

QToolButton* toggle(const QString& text, const QString& tip, QStyle::StandardPixmap icon,
                    QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setCheckable(true);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAutoRaise(true);
    return b;
}
} // namespace

FilterBar::FilterBar(QWidget* parent)
    : QWidget(parent)
    , m_host(field(QStringLiteral("Host"), QStringLiteral("Host header or server address contains"),
                   this))
    , m_path(field(QStringLiteral("Path"), QStringLiteral("Request target contains"), this))
    , m_status(field(QStringLiteral("Status"),
                     QStringLiteral("A response status starts with (101, 4, 50…)"), this))
    , m_anomaly(field(QStringLiteral("Anomaly id"),
                      QStringLiteral("An anomaly id contains (hijack_, wrong_accept…)"), this))
    , m_payload(field(QStringLiteral("Payload regex"),
                      QStringLiteral("A retained message payload matches this regular expression"),
                      this))
    , m_onlyAnomalies(toggle(QStringLiteral("Anomalies"),
                             QStringLiteral("Only connections with anomalies"),
                             QStyle::SP_MessageBoxWarning, this))
    , m_onlyUpgraded(toggle(QStringLiteral("Upgraded"),
                            QStringLiteral("Only connections upgraded to WebSocket"),
                            QStyle::SP_DialogApplyButton, this))
    , m_onlyFailed(toggle(QStringLiteral("Failed"),
                          QStringLiteral("Only refused or failed upgrades"),
                          QStyle::SP_DialogCancelButton, this))
    , m_debounce(new QTimer(this)) {
    m_status->setMaximumWidth(90);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    // Two rows so every field keeps a readable width in a narrow pane.
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(4, 4, 4, 2);
    layout->setHorizontalSpacing(4);
    layout->setVerticalSpacing(3);
    layout->addWidget(m_host, 0, 0, 1, 2);
    layout->addWidget(m_path, 0, 2, 1, 2);
    layout->addWidget(m_status, 0, 4);
    layout->addWidget(m_anomaly, 1, 0);
    layout->addWidget(m_payload, 1, 1, 1, 2);
    auto* toggles = new QHBoxLayout;
    toggles->setSpacing(2);
    toggles->addWidget(m_onlyAnomalies);
    toggles->addWidget(m_onlyUpgraded);
    toggles->addWidget(m_onlyFailed);
    layout->addLayout(toggles, 1, 3, 1, 2);
    for (int c = 0; c < 4; ++c) {
        layout->setColumnStretch(c, 1);
    }
    for (QLineEdit* e : {m_host, m_path, m_status, m_anomaly, m_payload}) {
        connect(e, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    }
    for (QToolButton* b : {m_onlyAnomalies, m_onlyUpgraded, m_onlyFailed}) {
        connect(b, &QToolButton::toggled, this, [this] {
            m_debounce->stop();
            emit filterChanged(filter());
        });
    }
    connect(m_debounce, &QTimer::timeout, this, [this] { emit filterChanged(filter()); });
}

ConnectionFilter FilterBar::filter() const {
    ConnectionFilter f;
    f.host = m_host->text().trimmed();
    f.path = m_path->text().trimmed();
    f.status = m_status->text().trimmed();
    f.anomaly = m_anomaly->text().trimmed();
    f.payload = m_payload->text();
    f.onlyAnomalies = m_onlyAnomalies->isChecked();
    f.onlyUpgraded = m_onlyUpgraded->isChecked();
    f.onlyFailed = m_onlyFailed->isChecked();
    return f;
}

void FilterBar::setFilter(const ConnectionFilter& f) {
    m_host->setText(f.host);
    m_path->setText(f.path);
    m_status->setText(f.status);
    m_anomaly->setText(f.anomaly);
    m_payload->setText(f.payload);
    m_onlyAnomalies->setChecked(f.onlyAnomalies);
    m_onlyUpgraded->setChecked(f.onlyUpgraded);
    m_onlyFailed->setChecked(f.onlyFailed);
    m_debounce->stop();
    emit filterChanged(filter());
}

void FilterBar::clear() {
    setFilter({});
}

void FilterBar::setPayloadValid(bool valid) {
    m_payload->setStyleSheet(valid ? QString()
                                   : QStringLiteral("QLineEdit { border: 1px solid #D55E00; }"));
}

} // namespace wst::ui
