// SPDX-License-Identifier: MIT
#include "ui/live_export_setup.h"

#include "ui/export_actions.h"
#include "ui/live_capture.h"
#include "ui/live_capture_dialog.h"
#include "ui/main_window.h"
#include "ui/models/session_controller.h"
#include "ui/replay_bar.h"
#include "ui/replay_controller.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>

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

    m_status = new QLabel(window);
    m_status->setObjectName(QStringLiteral("liveStatus"));
    m_status->hide();
    window->statusBar()->addPermanentWidget(m_status);
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

void setupLiveAndExport(MainWindow* window) {
    QStyle* style = window->style();
    QMenu* file = qobject_cast<QMenu*>(window->exportMenu()->parent());

    // Replay: File → Replay… and the Replay toolbar (hidden until a replay starts).
    auto* replay = new ReplayController(window->session(), window);
    replay->setObjectName(QStringLiteral("replayController"));
    auto* replayBar = new ReplayBar(replay, window);
    replayBar->hide();
    auto* replayAction = new QAction(style->standardIcon(QStyle::SP_MediaSeekForward),
                                     QStringLiteral("Re&play…"), window);
    replayAction->setObjectName(QStringLiteral("replayOpen"));
    replayAction->setToolTip(QStringLiteral("Play a saved capture at its recorded pace"));
    QObject::connect(replayAction, &QAction::triggered, window, [window, replay, replayBar] {
        QSettings settings;
        const QString path = QFileDialog::getOpenFileName(
            window, QStringLiteral("Replay Capture"),
            settings.value(QStringLiteral("lastDirectory")).toString(),
            QStringLiteral("Packet captures (*.pcap *.pcapng *.cap);;All files (*)"));
        if (path.isEmpty()) {
            return;
        }
        settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
        replayBar->show();
        replay->start(path, replayBar->chosenSpeed());
    });
    QObject::connect(replay, &ReplayController::stateChanged, replayBar, [replay, replayBar] {
        if (replay->isActive()) {
            replayBar->show();
        }
    });
    if (file) {
        file->insertAction(window->exportMenu()->menuAction(), replayAction);
        file->insertSeparator(window->exportMenu()->menuAction());
    }

    auto* captureBar = new QToolBar(QStringLiteral("Capture"), window);
    captureBar->setObjectName(QStringLiteral("captureBar"));
    captureBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // Live capture: the Capture menu (before Help) and toolbar.
    auto* live = new LiveCaptureUi(window);
    QMenu* capture = new QMenu(QStringLiteral("&Capture"), window);
    capture->setObjectName(QStringLiteral("captureMenu"));
    capture->addAction(live->startAction());
    capture->addAction(live->stopAction());
    const QList<QAction*> menus = window->menuBar()->actions();
    window->menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), capture);
    captureBar->addAction(live->startAction());
    captureBar->addAction(live->stopAction());
    captureBar->addSeparator();
    captureBar->addAction(replayAction);
    window->addToolBar(Qt::TopToolBarArea, captureBar);
    window->addToolBarBreak(Qt::TopToolBarArea);
    window->addToolBar(Qt::TopToolBarArea, replayBar);

    // Replays and live captures have no file size to show progress against: only the counts
    // and the stop button stay in the status bar.
    // Queued: after the window's own handler has shown the progress bar.
    QObject::connect(
        window->session(), &SessionController::loadStarted, window,
        [window] {
            if (window->session()->isLoading() && window->session()->fileSize() == 0) {
                for (auto* bar : window->statusBar()->findChildren<QProgressBar*>()) {
                    bar->hide();
                }
            }
        },
        Qt::QueuedConnection);

    // Export: several connections can be selected for a pcapng subset.
    window->connectionTable()->setSelectionMode(QAbstractItemView::ExtendedSelection);
    new ExportActions(window);
}

} // namespace wst::ui
