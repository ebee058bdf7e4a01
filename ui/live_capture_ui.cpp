// SPDX-License-Identifier: MIT
#include "ui/live_capture_ui.h"

#include "ui/live_capture.h"
#include "ui/live_capture_dialog.h"
#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>

namespace wst::ui {

LiveCaptureUi::LiveCaptureUi(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_controller(new LiveCaptureController(window->session(), this)) {
    setObjectName(QStringLiteral("liveCaptureUi"));
    QStyle* style = window->style();
    m_start = new QAction(style->standardIcon(QStyle::SP_MediaPlay),
                          QStringLiteral("&Start Live Capture…"), this);
    m_start->setObjectName(QStringLiteral("liveStart"));
    m_start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_start->setToolTip(QStringLiteral("Capture WebSocket traffic from a network interface"));
    m_stop = new QAction(style->standardIcon(QStyle::SP_MediaStop), QStringLiteral("S&top Capture"),
                         this);
    m_stop->setObjectName(QStringLiteral("liveStop"));
    m_stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_stop->setEnabled(false);
    connect(m_start, &QAction::triggered, this, &LiveCaptureUi::openDialog);
    connect(m_stop, &QAction::triggered, m_controller, &LiveCaptureController::stop);

    m_status = new QLabel(window); // MainWindow puts it in its status bar
    m_status->setObjectName(QStringLiteral("liveStatus"));
    m_status->hide();
    connect(m_controller, &LiveCaptureController::statsChanged, this, &LiveCaptureUi::updateStatus);
    connect(m_controller, &LiveCaptureController::started, this, &LiveCaptureUi::updateStatus);
    connect(m_controller, &LiveCaptureController::stopped, this, &LiveCaptureUi::updateStatus);
}

void LiveCaptureUi::openDialog() {
    auto* dialog = new LiveCaptureDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { start(dialog->settings()); });
    dialog->open();
}

bool LiveCaptureUi::start(const LiveCaptureSettings& settings) {
    QString error;
    if (m_controller->start(settings, &error)) {
        m_lastRefusal.clear();
        return true;
    }
    const CaptureRefusal refusal = captureRefusal(error, QApplication::applicationFilePath());
    m_lastRefusal = refusal.text;
    m_window->statusBar()->showMessage(error, 15000);
    auto* box = new QMessageBox(refusal.permission ? QMessageBox::Warning : QMessageBox::Critical,
                                refusal.title, refusal.text, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("liveRefusal"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse); // the command can be copied
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return false;
}

void LiveCaptureUi::updateStatus() {
    const bool on = m_controller->isCapturing();
    m_start->setEnabled(!on);
    m_stop->setEnabled(on);
    if (m_controller->interfaceName().isEmpty()) {
        return;
    }
    QString text = QStringLiteral("%1 %2 · %L3 packets · %L4 dropped")
                       .arg(on ? QStringLiteral("● Capturing on") : QStringLiteral("Captured on"),
                            m_controller->interfaceName())
                       .arg(m_controller->packets())
                       .arg(m_controller->dropped());
    if (!m_controller->savePath().isEmpty()) {
        const QString failure = m_controller->writeError();
        text += failure.isEmpty() ? QStringLiteral(" · saved %L1 to %2")
                                        .arg(m_controller->written())
                                        .arg(QFileInfo(m_controller->savePath()).fileName())
                                  : QStringLiteral(" · not saving: %1").arg(failure);
    }
    m_status->setText(text);
    m_status->setToolTip(QStringLiteral(
        "Packets the kernel dropped (pcap_stats) were never seen: raise the buffer or filter"));
    m_status->setStyleSheet(m_controller->dropped() > 0 ? QStringLiteral("color: #b00020;")
                                                        : QString());
    m_status->show();
}

} // namespace wst::ui
