// SPDX-License-Identifier: MIT
#pragma once

#include "ui/live_capture.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTreeWidget;

namespace wst::ui {

/// Collects what a live capture needs: the interface (pcap_findalldevs, with descriptions and
/// addresses), a BPF filter checked as it is typed (pcap_compile: green when valid, red with
/// libpcap's message when not), snap length, promiscuous mode and an optional pcapng file to
/// save to. Starts nothing itself: the caller reads settings().
class LiveCaptureDialog final : public QDialog {
    Q_OBJECT
public:
    explicit LiveCaptureDialog(QWidget* parent = nullptr);

    LiveCaptureSettings settings() const;
    /// Pre-selects interface `name` (if listed) and fills the filter.
    void setInterface(const QString& name);

    /// The filter's check result: "" when valid (or empty).
    QString filterError() const { return m_filterError; }
    bool canStart() const;

    QTreeWidget* interfaceList() const { return m_interfaces; }
    QLineEdit* filterEdit() const { return m_filter; }
    QLabel* filterStatus() const { return m_filterStatus; }

public slots:
    void accept() override;

private:
    void loadInterfaces();
    void checkFilter();
    void updateButtons();
    QString currentInterface() const;

    QTreeWidget* m_interfaces;
    QLabel* m_listError;
    QLineEdit* m_filter;
    QLabel* m_filterStatus;
    QSpinBox* m_snapLength;
    QCheckBox* m_promiscuous;
    QCheckBox* m_save;
    QLineEdit* m_savePath;
    QDialogButtonBox* m_buttons;
    QString m_filterError;
};

} // namespace wst::ui
