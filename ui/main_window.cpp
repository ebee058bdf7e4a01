// SPDX-License-Identifier: MIT
#include "ui/main_window.h"

#include "decoder/logs/log_reader.h"
#include "decoder/logs/reconcile.h"
#include "ui/analyze_actions.h"
#include "ui/anomaly_panel.h"
#include "ui/export_actions.h"
#include "ui/filter_bar.h"
#include "ui/frame_detail_view.h"
#include "ui/handshake_panel.h"
#include "ui/live_capture.h"
#include "ui/live_capture_ui.h"
#include "ui/models/anomaly_model.h"
#include "ui/models/connection_filter_proxy.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/frame_table_model.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"
#include "ui/models/session_controller.h"
#include "ui/models/story_tracker.h"
#include "ui/overview_view.h"
#include "ui/payload_view.h"
#include "ui/replay_bar.h"
#include "ui/replay_controller.h"
#include "ui/server_log_panel.h"
#include "ui/statistics_view.h"
#include "ui/timeline_view.h"
#include "ui/verdict_strip.h"
#include "wst/version.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

// Q_INIT_RESOURCE must be called from the global namespace; wst_ui is a static library.
static void initUiResources() {
    Q_INIT_RESOURCE(resources);
}

namespace wst::ui {

namespace {
constexpr int kMaxRecent = 10;

/// A pcap, pcapng or gzip file by its first four bytes: a dropped file that is one opens as a
/// capture; anything else may be a server log.
bool looksLikeCapture(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QByteArray head = f.read(4);
    if (head.size() < 4) {
        return false;
    }
    const auto b = [&](int i) { return static_cast<unsigned char>(head[i]); };
    const std::uint32_t be = (std::uint32_t{b(0)} << 24) | (std::uint32_t{b(1)} << 16) |
                             (std::uint32_t{b(2)} << 8) | b(3);
    switch (be) {
    case 0xa1b2c3d4: // pcap, either byte order, micro- or nanosecond
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
    case 0x0a0d0d0a: // pcapng section header
        return true;
    default:
        return b(0) == 0x1f && b(1) == 0x8b; // gzip (.pcap.gz)
    }
}

QTableView* makeTable(QWidget* parent) {
    auto* t = new QTableView(parent);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->setShowGrid(false);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setHighlightSections(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_session(new SessionController(this))
    , m_connections(new ConnectionListModel(m_session, this))
    , m_proxy(new ConnectionFilterProxy(m_connections, this))
    , m_frames(new FrameTableModel(m_session, this))
    , m_anomalies(new AnomalyModel(m_session, this))
    , m_story(new StoryTracker(m_session, this)) {
    initUiResources();
    setWindowTitle(QStringLiteral("wstrace"));
    setWindowIcon(QIcon(QStringLiteral(":/wstrace/wstrace.svg")));
    setAcceptDrops(true);

    // Left: connections (verdict strip, filter bar, table), overview, statistics.
    m_strip = new VerdictStrip(m_story, m_session, this);
    m_filterBar = new FilterBar(this);
    m_connectionTable = makeTable(this);
    m_connectionTable->setModel(m_proxy);
    m_connectionTable->setSortingEnabled(true);
    m_connectionTable->sortByColumn(ConnectionListModel::IdColumn, Qt::AscendingOrder);
    // #, Start, Client, Server, Path, Status, Outcome, Verdict, Handshake time, Duration,
    // Msgs C→S, Msgs S→C, Close, Anomalies.
    const int widths[] = {64, 76, 132, 128, 120, 70, 96, 330, 100, 80, 70, 70, 70, 90};
    for (int c = 0; c < ConnectionListModel::ColumnCount; ++c) {
        m_connectionTable->setColumnWidth(c, widths[c]);
    }
    auto* connectionsPage = new QWidget(this);
    auto* cl = new QVBoxLayout(connectionsPage);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->setSpacing(0);
    cl->addWidget(m_strip);
    cl->addWidget(m_filterBar);
    m_shownLabel = new QLabel(this);
    m_shownLabel->setObjectName(QStringLiteral("shownLabel"));
    m_shownLabel->setContentsMargins(8, 3, 8, 3);
    m_shownLabel->setTextFormat(Qt::RichText);
    m_shownLabel->hide();
    cl->addWidget(m_shownLabel);
    cl->addWidget(m_connectionTable, 1);
    m_overview = new OverviewView(m_session, m_proxy, this);
    m_statistics = new StatisticsView(m_session, this);
    m_leftTabs = new QTabWidget(this);
    m_leftTabs->setDocumentMode(true);
    m_leftTabs->addTab(connectionsPage, style()->standardIcon(QStyle::SP_FileDialogDetailedView),
                       QStringLiteral("Connections"));
    m_leftTabs->addTab(m_overview, style()->standardIcon(QStyle::SP_FileDialogListView),
                       QStringLiteral("Overview"));
    m_leftTabs->addTab(m_statistics, style()->standardIcon(QStyle::SP_FileDialogInfoView),
                       QStringLiteral("Statistics"));

    // Right: the ladder.
    m_timeline = new TimelineView(m_session, this);

    // Bottom: frames; anomalies, handshake, payload.
    m_frameTable = makeTable(this);
    m_frameTable->setModel(m_frames);
    m_frameTable->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_frameTable->verticalHeader()->setDefaultSectionSize(m_frameTable->fontMetrics().height() + 6);
    const int frameWidths[] = {64, 96, 40, 90, 80, 110};
    for (int c = 0; c < FrameTableModel::InfoColumn; ++c) {
        m_frameTable->setColumnWidth(c, frameWidths[c]);
    }
    m_anomalyPanel = new AnomalyPanel(m_session, m_anomalies, this);
    m_handshake = new HandshakePanel(this);
    m_payload = new PayloadView(this);
    m_frameDetail = new FrameDetailView(this);
    m_serverLog = new ServerLogPanel(m_session, this);
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(m_anomalyPanel, style()->standardIcon(QStyle::SP_MessageBoxWarning),
                         QStringLiteral("Anomalies"));
    m_detailTabs->addTab(m_handshake, m_handshake->overallIcon(), QStringLiteral("Handshake"));
    m_detailTabs->addTab(m_payload, style()->standardIcon(QStyle::SP_FileIcon),
                         QStringLiteral("Payload"));
    m_detailTabs->addTab(m_frameDetail, style()->standardIcon(QStyle::SP_FileDialogDetailedView),
                         QStringLiteral("Frame"));
    m_detailTabs->addTab(m_serverLog, style()->standardIcon(QStyle::SP_FileDialogContentsView),
                         QStringLiteral("Server Log"));

    m_topSplit = new QSplitter(Qt::Horizontal, this);
    m_topSplit->addWidget(m_leftTabs);
    m_topSplit->addWidget(m_timeline);
    m_bottomSplit = new QSplitter(Qt::Horizontal, this);
    m_bottomSplit->addWidget(m_frameTable);
    m_bottomSplit->addWidget(m_detailTabs);
    m_mainSplit = new QSplitter(Qt::Vertical, this);
    m_mainSplit->addWidget(m_topSplit);
    m_mainSplit->addWidget(m_bottomSplit);
    for (QSplitter* s : {m_topSplit, m_bottomSplit, m_mainSplit}) {
        s->setChildrenCollapsible(false);
        s->setHandleWidth(6);
    }
    m_topSplit->setSizes({680, 760});
    m_bottomSplit->setSizes({680, 760});
    m_mainSplit->setSizes({520, 380});
    setCentralWidget(m_mainSplit);
    resize(1400, 900);

    // Live capture and replay: the objects behind the Capture menu, File → Replay… and the
    // toolbars.
    m_live = new LiveCaptureUi(this);
    m_replay = new ReplayController(m_session, this);
    m_replay->setObjectName(QStringLiteral("replayController"));
    m_replayBar = new ReplayBar(m_replay, this);
    m_replayBar->hide();

    buildMenus();
    buildToolBars();
    buildStatusBar();

    // Export: several connections can be selected for a pcapng subset.
    m_connectionTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_exportActions = new ExportActions(this); // fills m_exportMenu
    m_analyze = new AnalyzeActions(this, m_helpMenu);
    // Home and End go to the first and last connection, as in Wireshark's packet list (a
    // table view would move to the first and last column).
    const auto jump = [this](bool last) {
        const int n = m_proxy->rowCount();
        if (n > 0) {
            const QModelIndex at = m_proxy->index(last ? n - 1 : 0, 0);
            m_connectionTable->setCurrentIndex(at);
            m_connectionTable->scrollTo(at);
        }
    };
    for (const bool last : {false, true}) {
        auto* key = new QShortcut(QKeySequence(last ? Qt::Key_End : Qt::Key_Home),
                                  m_connectionTable, nullptr, nullptr, Qt::WidgetShortcut);
        connect(key, &QShortcut::activated, this, [jump, last] { jump(last); });
    }

    connect(m_filterBar, &FilterBar::filterChanged, this, [this](const ConnectionFilter& f) {
        m_proxy->setFilter(f);
        m_filterBar->setPayloadValid(m_proxy->payloadPatternValid());
    });
    // A story group chosen in the strip lists only its connections (docs/verdicts.md).
    connect(m_strip, &VerdictStrip::selectionChanged, this,
            [this] { m_proxy->setStoryGroup(m_strip->selectedGroup()); });
    connect(m_story, &StoryTracker::changed, this, [this] {
        if (m_strip->selectedGroup()) {
            m_proxy->setStoryGroup(m_strip->selectedGroup()); // a live capture grew the group
        }
        updateStatus();
    });
    // Issue 17: an empty filter result said nothing; the count says what the filter hides.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_proxy, signal, this, &MainWindow::updateShown);
    }
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateShown);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &MainWindow::updateShown);
    connect(m_connectionTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onConnectionChanged);
    connect(m_frameTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onFrameChanged);
    connect(m_timeline, &TimelineView::eventClicked, this, &MainWindow::selectEvent);
    connect(m_timeline, &TimelineView::anomalyClicked, this, [this](quint32 i) {
        m_anomalyPanel->selectAnomaly(i);
        m_detailTabs->setCurrentWidget(m_anomalyPanel);
        const Anomaly& a = m_session->document().anomalies[i];
        const int row = m_frames->rowForPacket(a.packet);
        if (row >= 0) {
            m_frameTable->setCurrentIndex(m_frames->index(row, 0));
        }
        m_timeline->selectAnomaly(i); // the frame row re-selected its event; keep the mark
    });
    connect(m_anomalyPanel, &AnomalyPanel::anomalyActivated, this, &MainWindow::jumpToAnomaly);
    connect(m_overview, &OverviewView::connectionClicked, this,
            [this](quint32 id) { selectConnection(id); });
    connect(m_session, &SessionController::batchApplied, this, [this](const TraceDelta& d) {
        updateStatus();
        // Select the first connection as soon as there is one, so the window is never empty.
        if (m_selected == 0 && m_proxy->rowCount() > 0) {
            m_connectionTable->setCurrentIndex(m_proxy->index(0, 0));
        } else if (m_selected != 0 &&
                   std::find(d.updatedConnections.begin(), d.updatedConnections.end(),
                             m_selected) != d.updatedConnections.end()) {
            showHandshake();
        }
    });
    connect(m_session, &SessionController::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_session, &SessionController::openFailed, this,
            [this](const QString&, const QString& error) {
                showError(QStringLiteral("Cannot open capture"), error);
            });
    // A new capture (file, replay, live) starts without the previous one's logs.
    // A new capture (file, replay, live, external batches) starts without anything of the
    // previous one: every pane is emptied here, not only the models (issue 17).
    connect(m_session, &SessionController::reset, this, [this] {
        m_logs.reset();
        m_selected = 0;
        m_handshake->setConnection(nullptr);
        m_payload->setEvent(m_session->document(), Event::kNoRef);
        m_frameDetail->setEvent(m_session->document(), Event::kNoRef);
        m_overview->setCurrentConnection(0);
        m_serverLog->setConnection(0);
        m_detailTabs->setTabIcon(m_detailTabs->indexOf(m_handshake), m_handshake->overallIcon());
        // Messages about the previous capture ("Loading stopped…") are no longer true.
        statusBar()->clearMessage();
        // A replay or a live capture that another capture replaced is over: its toolbar and
        // its "Captured on lo" counters go (they come back with the next replay or capture).
        if (!m_replay->isActive()) {
            m_replayBar->hide();
        }
        m_live->statusLabel()->hide();
        updateActions();
    });
    connect(m_replay, &ReplayController::stateChanged, m_replayBar, [this] {
        if (m_replay->isActive()) {
            m_replayBar->show();
        }
    });
    connect(m_session, &SessionController::loadStarted, this, [this](const QString& path) {
        m_fileLabel->setText(QFileInfo(path).fileName());
        m_fileLabel->setToolTip(path);
        setWindowTitle(QStringLiteral("%1 — wstrace").arg(QFileInfo(path).fileName()));
        m_progress->setValue(0);
        // Replays and live captures have no file size to show progress against: only the
        // counts and the stop button are shown for them.
        m_progress->setVisible(m_session->fileSize() > 0);
        m_cancel->show();
        m_progressTimer->start();
        updateStatus();
    });
    restoreLayout();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    m_fileMenu = menuBar()->addMenu(QStringLiteral("&File"));
    QMenu* file = m_fileMenu;
    QAction* open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
                                    QStringLiteral("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(QStringLiteral("Open &Recent"));
    updateRecentMenu();
    file->addSeparator();
    m_addLogAction =
        file->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView),
                        QStringLiteral("Add Server &Log…"), this, &MainWindow::addServerLogDialog);
    m_addLogAction->setObjectName(QStringLiteral("addServerLog"));
    m_addLogAction->setToolTip(
        QStringLiteral("Put the server's own log (gin, net/http, nginx, JSON) beside the wire"));
    m_addLogAction->setEnabled(false);
    file->addSeparator();
    m_replayAction = new QAction(style()->standardIcon(QStyle::SP_MediaSeekForward),
                                 QStringLiteral("Re&play…"), this);
    m_replayAction->setObjectName(QStringLiteral("replayOpen"));
    m_replayAction->setToolTip(QStringLiteral("Play a saved capture at its recorded pace"));
    connect(m_replayAction, &QAction::triggered, this, &MainWindow::openReplayDialog);
    file->addAction(m_replayAction);
    file->addSeparator();
    m_exportMenu = file->addMenu(style()->standardIcon(QStyle::SP_DialogSaveButton),
                                 QStringLiteral("&Export"));
    m_exportMenu->setObjectName(QStringLiteral("exportMenu"));
    file->addSeparator();
    QAction* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(QStringLiteral("&View"));
    QMenu* view = m_viewMenu;
    QAction* frames = view->addAction(QStringLiteral("Show Individual &Frames"));
    frames->setCheckable(true);
    frames->setToolTip(QStringLiteral("List every frame instead of whole messages"));
    connect(frames, &QAction::toggled, this, [this](bool on) {
        const Granularity g = on ? Granularity::Frames : Granularity::Messages;
        m_frames->setGranularity(g);
        m_timeline->setGranularity(g);
    });
    view->addSeparator();
    QAction* zoomIn =
        view->addAction(QStringLiteral("Zoom &In"), this, [this] { m_timeline->zoomBy(1.25); });
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction* zoomOut =
        view->addAction(QStringLiteral("Zoom &Out"), this, [this] { m_timeline->zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* zoomReset =
        view->addAction(QStringLiteral("&Reset Zoom"), this, [this] { m_timeline->resetZoom(); });
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addSeparator();
    const QString pages[] = {QStringLiteral("&Connections"), QStringLiteral("O&verview"),
                             QStringLiteral("&Statistics")};
    for (int i = 0; i < 3; ++i) {
        QAction* a = view->addAction(pages[i], this, [this, i] { m_leftTabs->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    QAction* clear = view->addAction(QStringLiteral("C&lear Filter"), this, [this] {
        m_strip->clearSelection();
        m_filterBar->clear();
    });
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));

    m_captureMenu = menuBar()->addMenu(QStringLiteral("&Capture"));
    m_captureMenu->setObjectName(QStringLiteral("captureMenu"));
    m_captureMenu->addAction(m_live->startAction());
    m_captureMenu->addAction(m_live->stopAction());

    m_helpMenu = menuBar()->addMenu(QStringLiteral("&Help"));
    QMenu* help = m_helpMenu;
    help->addAction(
        style()->standardIcon(QStyle::SP_MessageBoxInformation), QStringLiteral("&About wstrace"),
        this, [this] {
            QMessageBox::about(
                this, QStringLiteral("About wstrace"),
                QStringLiteral("<h3>wstrace %1</h3><p>WebSocket connections from packet "
                               "captures: the HTTP upgrade, every RFC 6455 frame, "
                               "and what went wrong, in plain words.</p>"
                               "<p>MIT licence.</p>")
                    .arg(QString::fromLatin1(wst::kVersion)));
        });
    help->addAction(QStringLiteral("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::buildToolBars() {
    m_captureBar = new QToolBar(QStringLiteral("Capture"), this);
    m_captureBar->setObjectName(QStringLiteral("captureBar"));
    m_captureBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_captureBar->addAction(m_live->startAction());
    m_captureBar->addAction(m_live->stopAction());
    m_captureBar->addSeparator();
    m_captureBar->addAction(m_replayAction);
    addToolBar(Qt::TopToolBarArea, m_captureBar);
    addToolBarBreak(Qt::TopToolBarArea);
    addToolBar(Qt::TopToolBarArea, m_replayBar);
}

void MainWindow::buildStatusBar() {
    m_fileLabel = new QLabel(QStringLiteral("No capture"), this);
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("statusCounts"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("Loading %p%"));
    m_cancel = new QToolButton(this);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
    m_cancel->setToolTip(QStringLiteral("Stop loading (what was read stays)"));
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, m_session, &SessionController::cancel);
    statusBar()->addWidget(m_fileLabel, 1);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    statusBar()->addPermanentWidget(m_live->statusLabel()); // hidden until a live capture
    m_progress->hide();
    m_cancel->hide();
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        const std::uint64_t size = m_session->fileSize();
        if (size > 0) {
            m_progress->setValue(static_cast<int>(
                std::min<std::uint64_t>(1000, m_session->bytesRead() * 1000 / size)));
        }
        updateStatus();
    });
}

void MainWindow::openDialog() {
    QSettings settings;
    // The first time, the user's capture folder rather than wherever the program was started.
    QString dir = settings.value(QStringLiteral("lastDirectory")).toString();
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
    }
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open Capture"), dir,
        QStringLiteral("Packet captures (*.pcap *.pcapng *.cap *.pcap.gz);;All files (*)"));
    if (!path.isEmpty()) {
        settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
        openFile(path);
    }
}

void MainWindow::openReplayDialog() {
    QSettings settings;
    // Offer the capture that is open: replaying what one just read is the common case.
    const QString open = m_session->fileName();
    const QString start = !open.isEmpty() && QFileInfo(open).isFile()
                              ? open
                              : settings.value(QStringLiteral("lastDirectory")).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Replay Capture"), start,
        QStringLiteral("Packet captures (*.pcap *.pcapng *.cap);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    settings.setValue(QStringLiteral("lastDirectory"), QFileInfo(path).absolutePath());
    m_replayBar->show();
    m_replay->start(path, m_replayBar->chosenSpeed());
}

void MainWindow::addServerLogDialog() {
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Add Server Log"),
        settings
            .value(QStringLiteral("lastLogDirectory"),
                   settings.value(QStringLiteral("lastDirectory")))
            .toString(),
        QStringLiteral("Server logs (*.log *.txt *.json *.jsonl);;All files (*)"));
    if (!path.isEmpty()) {
        settings.setValue(QStringLiteral("lastLogDirectory"), QFileInfo(path).absolutePath());
        addServerLog(path);
    }
}

bool MainWindow::addServerLog(const QString& path) {
    const Trace& doc = m_session->document();
    const auto fail = [this](const QString& text) {
        m_lastError = text;
        statusBar()->showMessage(text, 15000);
        if (m_dialogs) {
            auto* box =
                new QMessageBox(QMessageBox::Warning, QStringLiteral("Cannot add server log"), text,
                                QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        return false;
    };
    if (!doc.finished || m_session->isLoading()) {
        return fail(QStringLiteral("Open a capture and let it finish loading before adding a "
                                   "server log."));
    }
    // A copy: the report shown keeps the logs it was made from until the new one replaces it.
    auto logs =
        m_logs ? std::make_shared<logs::ServerLogs>(*m_logs) : std::make_shared<logs::ServerLogs>();
    std::string error;
    if (!logs::readLogFile(QFile::encodeName(path).toStdString(), *logs, error)) {
        return fail(qs(error));
    }
    m_lastError.clear();
    m_logs = logs;
    std::shared_ptr<const logs::ServerLogReport> report = logs::reconcile(logs, doc.connections);
    const std::uint64_t matched = report->matches.size() - report->unmatched();
    m_session->setServerLogs(std::move(report));
    statusBar()->showMessage(QStringLiteral("%1: %L2 log entries, %L3 matched to connections")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(m_logs->entries.size())
                                 .arg(matched),
                             8000);
    m_timeline->viewport()->update();
    return true;
}

void MainWindow::updateActions() {
    if (m_addLogAction) {
        m_addLogAction->setEnabled(m_session->document().finished && !m_session->isLoading());
    }
}

bool MainWindow::openFile(const QString& path) {
    m_lastError.clear();
    if (!m_session->openFile(path)) {
        return false; // openFailed showed why; the capture shown stays
    }
    addRecent(QFileInfo(path).absoluteFilePath());
    return true;
}

void MainWindow::addRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) {
        recent.removeLast();
    }
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QFileInfo(path).fileName(), this,
                                             [this, path] { openFile(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(QStringLiteral("(none)"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(QStringLiteral("Clear Menu"), this, [this] {
        QSettings().remove(QStringLiteral("recentFiles"));
        updateRecentMenu();
    });
}

void MainWindow::onLoadFinished(bool cancelled, const QString& error) {
    m_progressTimer->stop();
    m_progress->hide();
    m_cancel->hide();
    updateStatus();
    if (cancelled) {
        statusBar()->showMessage(QStringLiteral("Loading stopped; showing what was read."), 8000);
        return;
    }
    if (!error.isEmpty()) {
        const bool partial = m_session->packetsRead() > 0;
        showError(
            partial ? QStringLiteral("Capture damaged") : QStringLiteral("Cannot open capture"),
            partial ? QStringLiteral("%1\n\nEverything before the damage was analysed.").arg(error)
                    : error);
    }
}

void MainWindow::showError(const QString& title, const QString& text) {
    m_lastError = text;
    statusBar()->showMessage(text, 15000);
    if (!m_dialogs) {
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, does not block the event loop
}

void MainWindow::updateShown() {
    const int shown = m_proxy->rowCount();
    const int all = m_connections->rowCount();
    if (shown == all) {
        m_shownLabel->hide();
        return;
    }
    m_shownLabel->setText(
        QStringLiteral("<b>%L1 of %L2</b> connection%3 shown — the filter hides the rest "
                       "(View → Clear Filter, Ctrl+Shift+L)")
            .arg(shown)
            .arg(all)
            .arg(all == 1 ? "" : "s"));
    m_shownLabel->setStyleSheet(shown == 0 ? QStringLiteral("background:#fdecd2;")
                                           : QStringLiteral("background:#eef3f8;"));
    m_shownLabel->show();
}

void MainWindow::updateStatus() {
    m_countsLabel->setText(countsText());
    updateActions();
}

QString MainWindow::countsText() const {
    const Trace& doc = m_session->document();
    // Root causes, not findings: one misconfiguration is one problem (docs/verdicts.md). They
    // are known once a connection is finished; the findings count includes open ones.
    const std::array<std::uint64_t, 3>& roots = m_story->rootsBySeverity();
    const std::uint64_t problems = roots[2] + roots[1];
    const std::uint64_t packets =
        m_session->isLoading() || !doc.finished ? m_session->packetsRead() : doc.stats.packets;
    // "1 connection", "2 connections": the status bar is read as a sentence.
    const auto count = [](std::uint64_t n, const char* one, const char* many) {
        return QStringLiteral("%L1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
    };
    QString text = count(packets, "packet", "packets") + QStringLiteral(" · ") +
                   count(doc.connections.size(), "connection", "connections") +
                   QStringLiteral(" · ") + count(problems, "root cause", "root causes");
    if (problems != 0) {
        text += QStringLiteral(" (") + count(roots[2], "error", "errors") + QStringLiteral(", ") +
                count(roots[1], "warning", "warnings") + QStringLiteral(")");
    }
    text += QStringLiteral(" · ") + count(doc.anomalies.size(), "finding", "findings");
    return text;
}

void MainWindow::selectConnection(ConnId id) {
    const int sourceRow = m_connections->rowOf(id);
    if (sourceRow < 0) {
        return;
    }
    QModelIndex proxy = m_proxy->mapFromSource(m_connections->index(sourceRow, 0));
    if (!proxy.isValid()) {
        // The filter hid it: show everything rather than nothing.
        m_strip->clearSelection();
        m_filterBar->clear();
        proxy = m_proxy->mapFromSource(m_connections->index(sourceRow, 0));
    }
    m_connectionTable->setCurrentIndex(proxy);
    m_connectionTable->scrollTo(proxy);
}

void MainWindow::onConnectionChanged() {
    const QModelIndex current = m_connectionTable->currentIndex();
    const ConnId id =
        current.isValid() ? current.data(ConnectionListModel::ConnIdRole).toUInt() : 0;
    if (id == m_selected) {
        return;
    }
    m_selected = id;
    m_frames->setConnection(id);
    m_timeline->setConnection(id);
    m_overview->setCurrentConnection(id);
    m_serverLog->setConnection(id);
    showHandshake();
    m_payload->setEvent(m_session->document(), Event::kNoRef);
    m_frameDetail->setEvent(m_session->document(), Event::kNoRef);
}

void MainWindow::showHandshake() {
    const Trace& doc = m_session->document();
    std::vector<AnomalyId> ids;
    for (std::uint32_t i : doc.anomaliesOf(m_selected)) {
        ids.push_back(doc.anomalies[i].id);
    }
    m_handshake->setConnection(doc.connection(m_selected), ids);
    // The tab says how the handshake fared: a ✓ only when nothing failed (issue 17).
    m_detailTabs->setTabIcon(m_detailTabs->indexOf(m_handshake), m_handshake->overallIcon());
}

void MainWindow::onFrameChanged() {
    const std::uint32_t ev = m_frames->eventAt(m_frameTable->currentIndex().row());
    m_payload->setEvent(m_session->document(), ev);
    m_frameDetail->setEvent(m_session->document(), ev);
    if (ev != Event::kNoRef) {
        m_timeline->selectEvent(ev);
    }
}

void MainWindow::selectEvent(quint32 eventIndex) {
    const int row = m_frames->rowOfEvent(eventIndex);
    if (row >= 0) {
        m_frameTable->setCurrentIndex(m_frames->index(row, 0));
        m_frameTable->scrollTo(m_frames->index(row, 0));
    }
}

void MainWindow::jumpToAnomaly(quint32 index) {
    const auto& all = m_session->document().anomalies;
    if (index >= all.size()) {
        return;
    }
    const Anomaly& a = all[index];
    m_anomalyPanel->selectAnomaly(index);
    if (a.connection == 0) {
        return; // capture-level: no connection to show
    }
    selectConnection(a.connection);
    const int row = m_frames->rowForPacket(a.packet);
    if (row >= 0) {
        m_frameTable->setCurrentIndex(m_frames->index(row, 0));
        m_frameTable->scrollTo(m_frames->index(row, 0));
    }
    m_timeline->selectAnomaly(index); // after the frame, so the anomaly row stays highlighted
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) {
        for (const QUrl& url : event->mimeData()->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            const QString path = url.toLocalFile();
            event->acceptProposedAction();
            // A capture opens (replacing what is shown); anything else dropped on a finished
            // capture is tried as a server log, and opened as a capture (with its error) when
            // it is not one either.
            if (!looksLikeCapture(path) && m_session->document().finished &&
                !m_session->isLoading()) {
                logs::ServerLogs probe;
                std::string error;
                if (logs::readLogFile(QFile::encodeName(path).toStdString(), probe, error)) {
                    addServerLog(path);
                    return;
                }
            }
            openFile(path);
            return;
        }
    }
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.beginGroup(QStringLiteral("layout"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("mainSplit"), m_mainSplit->saveState());
    settings.setValue(QStringLiteral("topSplit"), m_topSplit->saveState());
    settings.setValue(QStringLiteral("bottomSplit"), m_bottomSplit->saveState());
    settings.setValue(QStringLiteral("connectionColumns"),
                      m_connectionTable->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("frameColumns"),
                      m_frameTable->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("columnCount"), int(ConnectionListModel::ColumnCount));
    settings.endGroup();
}

void MainWindow::restoreLayout() {
    QSettings settings;
    settings.beginGroup(QStringLiteral("layout"));
    if (!settings.contains(QStringLiteral("geometry"))) {
        return;
    }
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    m_mainSplit->restoreState(settings.value(QStringLiteral("mainSplit")).toByteArray());
    m_topSplit->restoreState(settings.value(QStringLiteral("topSplit")).toByteArray());
    m_bottomSplit->restoreState(settings.value(QStringLiteral("bottomSplit")).toByteArray());
    // Column widths only from a build with the same columns.
    if (settings.value(QStringLiteral("columnCount")).toInt() ==
        int(ConnectionListModel::ColumnCount)) {
        m_connectionTable->horizontalHeader()->restoreState(
            settings.value(QStringLiteral("connectionColumns")).toByteArray());
        m_frameTable->horizontalHeader()->restoreState(
            settings.value(QStringLiteral("frameColumns")).toByteArray());
    }
    settings.endGroup();
    m_replayBar->hide(); // restoreState shows the toolbars that were up; a replay is not
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveLayout();
    m_session->cancel();
    QMainWindow::closeEvent(event);
}

} // namespace wst::ui
