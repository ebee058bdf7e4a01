// SPDX-License-Identifier: MIT
#include "ui/live_capture_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wst::ui {

namespace {
enum Column { NameColumn, AddressColumn, DescriptionColumn };

/// The link type a filter is compiled for before the interface is opened: Linux's "any"
/// device delivers cooked (SLL) headers, every other device here Ethernet-like ones.
LinkType probableLinkType(const QString& interface) {
    return interface == QStringLiteral("any") ? LinkType::LinuxSll : LinkType::Ethernet;
}
} // namespace

LiveCaptureDialog::LiveCaptureDialog(QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("liveCaptureDialog"));
    setWindowTitle(QStringLiteral("Live Capture"));
    auto* layout = new QVBoxLayout(this);

    layout->addWidget(new QLabel(QStringLiteral("Capture on interface:"), this));
    m_interfaces = new QTreeWidget(this);
    m_interfaces->setObjectName(QStringLiteral("interfaceList"));
    m_interfaces->setHeaderLabels(
        {QStringLiteral("Interface"), QStringLiteral("Addresses"), QStringLiteral("Description")});
    m_interfaces->setRootIsDecorated(false);
    m_interfaces->setAlternatingRowColors(true);
    m_interfaces->header()->setStretchLastSection(true);
    m_interfaces->setMinimumHeight(160);
    layout->addWidget(m_interfaces, 1);
    m_listError = new QLabel(this);
    m_listError->setWordWrap(true);
    m_listError->hide();
    layout->addWidget(m_listError);

    auto* form = new QFormLayout();
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("bpfFilter"));
    m_filter->setPlaceholderText(QStringLiteral("BPF filter, e.g. tcp port 8080 (empty: all)"));
    m_filter->setClearButtonEnabled(true);
    m_filterStatus = new QLabel(this);
    m_filterStatus->setObjectName(QStringLiteral("bpfFilterStatus"));
    m_filterStatus->setWordWrap(true);
    auto* filterBox = new QVBoxLayout();
    filterBox->addWidget(m_filter);
    filterBox->addWidget(m_filterStatus);
    auto* filterLabel = new QLabel(QStringLiteral("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    form->addRow(filterLabel, filterBox);

    m_snapLength = new QSpinBox(this);
    m_snapLength->setRange(64, 262144);
    m_snapLength->setValue(LiveOptions{}.snapLength);
    m_snapLength->setSuffix(QStringLiteral(" bytes"));
    m_snapLength->setToolTip(QStringLiteral("Bytes kept of each packet (tcpdump -s)"));
    form->addRow(QStringLiteral("&Snap length:"), m_snapLength);

    m_promiscuous = new QCheckBox(QStringLiteral("&Promiscuous mode"), this);
    m_promiscuous->setChecked(LiveOptions{}.promiscuous);
    m_promiscuous->setToolTip(QStringLiteral("Also capture traffic not addressed to this host"));
    form->addRow(QString(), m_promiscuous);

    m_save = new QCheckBox(QStringLiteral("Sa&ve to pcapng:"), this);
    m_savePath = new QLineEdit(this);
    m_savePath->setObjectName(QStringLiteral("savePath"));
    m_savePath->setEnabled(false);
    auto* browse = new QPushButton(QStringLiteral("Browse…"), this);
    browse->setEnabled(false);
    auto* saveRow = new QHBoxLayout();
    saveRow->addWidget(m_savePath, 1);
    saveRow->addWidget(browse);
    form->addRow(m_save, saveRow);
    layout->addLayout(form);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("&Start"));
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &LiveCaptureDialog::checkFilter);
    connect(m_interfaces, &QTreeWidget::currentItemChanged, this, &LiveCaptureDialog::checkFilter);
    connect(m_save, &QCheckBox::toggled, this, [this, browse](bool on) {
        m_savePath->setEnabled(on);
        browse->setEnabled(on);
        updateButtons();
    });
    connect(m_savePath, &QLineEdit::textChanged, this, &LiveCaptureDialog::updateButtons);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, QStringLiteral("Save Capture As"),
                                         m_savePath->text(), QStringLiteral("pcapng (*.pcapng)"));
        if (!path.isEmpty()) {
            m_savePath->setText(path);
        }
    });

    loadInterfaces();
    QSettings settings;
    m_filter->setText(settings.value(QStringLiteral("live/filter")).toString());
    setInterface(settings.value(QStringLiteral("live/interface")).toString());
    checkFilter();
    resize(720, 460);
}

void LiveCaptureDialog::loadInterfaces() {
    std::string error;
    const std::vector<InterfaceInfo> list = LiveSource::listInterfaces(&error);
    for (const InterfaceInfo& info : list) {
        auto* item = new QTreeWidgetItem(m_interfaces);
        const QString name = QString::fromStdString(info.name);
        item->setText(NameColumn, name);
        item->setData(NameColumn, Qt::UserRole, name);
        QStringList addresses;
        for (const std::string& a : info.addresses) {
            addresses << QString::fromStdString(a);
        }
        item->setText(AddressColumn, addresses.join(QStringLiteral(", ")));
        QString description = QString::fromStdString(info.description);
        QStringList flags;
        if (info.loopback) {
            flags << QStringLiteral("loopback");
        }
        flags << (info.up ? QStringLiteral("up") : QStringLiteral("down"));
        if (info.running) {
            flags << QStringLiteral("running");
        }
        description += (description.isEmpty() ? QString() : QStringLiteral(" — ")) +
                       flags.join(QStringLiteral(", "));
        item->setText(DescriptionColumn, description);
        item->setToolTip(NameColumn, description);
        if (!info.up) {
            item->setForeground(NameColumn, palette().brush(QPalette::Disabled, QPalette::Text));
        }
    }
    m_interfaces->resizeColumnToContents(NameColumn);
    m_interfaces->setColumnWidth(AddressColumn, 260);
    if (list.empty()) {
        m_listError->setText(
            error.empty()
                ? QStringLiteral("No capture interfaces found.")
                : QStringLiteral("Cannot list interfaces: %1").arg(QString::fromStdString(error)));
        m_listError->show();
    } else if (m_interfaces->topLevelItemCount() > 0) {
        m_interfaces->setCurrentItem(m_interfaces->topLevelItem(0));
    }
}

void LiveCaptureDialog::setInterface(const QString& name) {
    for (int i = 0; i < m_interfaces->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_interfaces->topLevelItem(i);
        if (item->data(NameColumn, Qt::UserRole).toString() == name) {
            m_interfaces->setCurrentItem(item);
            return;
        }
    }
}

QString LiveCaptureDialog::currentInterface() const {
    const QTreeWidgetItem* item = m_interfaces->currentItem();
    return item ? item->data(NameColumn, Qt::UserRole).toString() : QString();
}

void LiveCaptureDialog::checkFilter() {
    const QString expression = m_filter->text().trimmed();
    m_filterError = expression.isEmpty()
                        ? QString()
                        : QString::fromStdString(LiveSource::checkFilter(
                              expression.toStdString(), probableLinkType(currentInterface()),
                              m_snapLength->value()));
    // Green for a filter libpcap compiles, red with its message for one it rejects.
    const QColor good(0xd4, 0xf4, 0xd4);
    const QColor bad(0xf8, 0xd0, 0xd0);
    if (expression.isEmpty()) {
        m_filter->setStyleSheet(QString());
        m_filterStatus->setText(QStringLiteral("No filter: every packet is captured."));
    } else if (m_filterError.isEmpty()) {
        m_filter->setStyleSheet(QStringLiteral("QLineEdit { background: %1; }").arg(good.name()));
        m_filterStatus->setText(QStringLiteral("Filter compiles."));
    } else {
        m_filter->setStyleSheet(QStringLiteral("QLineEdit { background: %1; }").arg(bad.name()));
        m_filterStatus->setText(m_filterError);
    }
    m_filter->setProperty("filterValid", m_filterError.isEmpty());
    updateButtons();
}

bool LiveCaptureDialog::canStart() const {
    return !currentInterface().isEmpty() && m_filterError.isEmpty() &&
           (!m_save->isChecked() || !m_savePath->text().trimmed().isEmpty());
}

void LiveCaptureDialog::updateButtons() {
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canStart());
}

LiveCaptureSettings LiveCaptureDialog::settings() const {
    LiveCaptureSettings s;
    s.options.interface = currentInterface().toStdString();
    s.options.filter = m_filter->text().trimmed().toStdString();
    s.options.snapLength = m_snapLength->value();
    s.options.promiscuous = m_promiscuous->isChecked();
    if (m_save->isChecked()) {
        s.savePath = m_savePath->text().trimmed();
    }
    return s;
}

void LiveCaptureDialog::accept() {
    QSettings settings; // the next capture starts from these choices
    settings.setValue(QStringLiteral("live/filter"), m_filter->text());
    settings.setValue(QStringLiteral("live/interface"), currentInterface());
    QDialog::accept();
}

} // namespace wst::ui
