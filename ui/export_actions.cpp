// SPDX-License-Identifier: MIT
#include "ui/export_actions.h"

#include "decoder/export/formats.h"
#include "ui/exporters.h"
#include "ui/live_capture.h"
#include "ui/live_capture_ui.h"
#include "ui/main_window.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/session_controller.h"
#include "ui/overview_view.h"
#include "ui/timeline_view.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>

namespace wst::ui {

namespace {

struct KindInfo {
    ExportActions::Kind kind;
    const char* label;
    const char* suffix;
    const char* filter;
};

constexpr KindInfo kKinds[] = {
    {ExportActions::Kind::TimelinePng, "&Timeline as PNG…", "timeline.png", "PNG image (*.png)"},
    {ExportActions::Kind::TimelineSvg, "Timeline as &SVG…", "timeline.svg", "SVG drawing (*.svg)"},
    {ExportActions::Kind::OverviewPng, "&Overview as PNG…", "overview.png", "PNG image (*.png)"},
    {ExportActions::Kind::OverviewSvg, "Overview as S&VG…", "overview.svg", "SVG drawing (*.svg)"},
    {ExportActions::Kind::SelectedPcapng, "Selected &Connections as pcapng…", "pcapng",
     "pcapng (*.pcapng)"},
};

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// QAction::data of a trace format's action: its row in traceFormats(); of a view export:
/// kViewBase + its Kind.
constexpr int kViewBase = 1000;

} // namespace

ExportActions::ExportActions(MainWindow* window)
    : QObject(window)
    , m_window(window) {
    setObjectName(QStringLiteral("exportActions"));
    QMenu* menu = window->exportMenu();
    const auto formats = traceFormats();
    for (std::size_t i = 0; i < formats.size(); ++i) {
        const TraceFormat& f = formats[i];
        if (f.menuLabel.empty()) {
            continue;
        }
        QAction* a = menu->addAction(text(f.menuLabel), this, [this, &f] {
            ask(text(f.suffix), text(f.fileFilter),
                [this, &f](const QString& path) { return runFormat(f, path); });
        });
        a->setData(static_cast<int>(i));
        a->setObjectName(QStringLiteral("export_%1").arg(text(f.suffix)));
    }
    for (const KindInfo& k : kKinds) {
        if (k.kind == Kind::TimelinePng || k.kind == Kind::SelectedPcapng) {
            menu->addSeparator();
        }
        QAction* a = menu->addAction(QString::fromUtf8(k.label), this, [this, &k] {
            ask(QString::fromLatin1(k.suffix), QString::fromLatin1(k.filter),
                [this, &k](const QString& path) { return run(k.kind, path); });
        });
        a->setData(kViewBase + static_cast<int>(k.kind));
        a->setObjectName(QStringLiteral("export_%1").arg(QString::fromLatin1(k.suffix)));
    }
    connect(menu, &QMenu::aboutToShow, this, &ExportActions::updateEnabled);
}

std::set<ConnId> ExportActions::selectedConnections() const {
    std::set<ConnId> ids;
    const QItemSelectionModel* selection = m_window->connectionTable()->selectionModel();
    for (const QModelIndex& row : selection->selectedRows()) {
        ids.insert(row.data(ConnectionListModel::ConnIdRole).toUInt());
    }
    return ids;
}

bool ExportActions::hasTrace() const {
    return !m_window->session()->document().connections.empty();
}

bool ExportActions::isAvailable(Kind kind) const {
    const SessionController* session = m_window->session();
    switch (kind) {
    case Kind::TimelinePng:
    case Kind::TimelineSvg:
        return m_window->timeline()->connection() != 0;
    case Kind::SelectedPcapng:
        // The packets are read again from the capture file; a live capture has none to reread.
        return !selectedConnections().empty() && QFileInfo(captureFile()).isFile() &&
               !session->isLoading();
    case Kind::OverviewPng:
    case Kind::OverviewSvg:
        return hasTrace();
    }
    return false;
}

QString ExportActions::captureFile() const {
    const SessionController* session = m_window->session();
    // A finished live capture that was saved is reread from its pcapng.
    if (const LiveCaptureUi* live = m_window->liveCapture()) {
        const LiveCaptureController* c = live->controller();
        if (!c->savePath().isEmpty() && !c->isCapturing() && c->isClosed() &&
            session->fileName() == c->interfaceName()) {
            return c->savePath();
        }
    }
    return session->fileName();
}

void ExportActions::updateEnabled() {
    for (QAction* a : m_window->exportMenu()->actions()) {
        if (a->isSeparator() || !a->data().isValid()) {
            continue;
        }
        const int data = a->data().toInt();
        a->setEnabled(data >= kViewBase ? isAvailable(static_cast<Kind>(data - kViewBase))
                                        : hasTrace());
    }
}

void ExportActions::ask(const QString& suffix, const QString& filter,
                        const std::function<QString(const QString&)>& write) {
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("exportDirectory")).toString();
    const QFileInfo capture(m_window->session()->fileName());
    const QString base = capture.completeBaseName().isEmpty() ? QStringLiteral("wstrace")
                                                              : capture.completeBaseName();
    const QString suggested = QDir(dir.isEmpty() ? capture.absolutePath() : dir)
                                  .filePath(QStringLiteral("%1.%2").arg(base, suffix));
    const QString path =
        QFileDialog::getSaveFileName(m_window, QStringLiteral("Export"), suggested, filter);
    if (path.isEmpty()) {
        return;
    }
    settings.setValue(QStringLiteral("exportDirectory"), QFileInfo(path).absolutePath());
    const QString error = write(path);
    if (!error.isEmpty() && m_window->isVisible()) {
        auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Export failed"), error,
                                    QMessageBox::Ok, m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

QString ExportActions::report(const QString& error, const QString& done) {
    QStatusBar* bar = m_window->statusBar();
    if (error.isEmpty()) {
        bar->showMessage(done, 8000);
    } else {
        bar->showMessage(QStringLiteral("Export failed: %1").arg(error), 15000);
    }
    return error;
}

QString ExportActions::runFormat(const TraceFormat& format, const QString& path) {
    return report(exportTrace(format, m_window->session()->document(), path),
                  QStringLiteral("Exported %1").arg(path));
}

QString ExportActions::run(Kind kind, const QString& path) {
    QString error;
    std::uint64_t packets = 0;
    switch (kind) {
    case Kind::TimelinePng:
    case Kind::TimelineSvg:
        error = m_window->timeline()->connection() == 0
                    ? QStringLiteral("select a connection first")
                    : exportTimelinePicture(*m_window->timeline(),
                                            kind == Kind::TimelineSvg ? PictureFormat::Svg
                                                                      : PictureFormat::Png,
                                            path);
        break;
    case Kind::OverviewPng:
    case Kind::OverviewSvg:
        error = exportWidgetPicture(
            *m_window->overview(),
            kind == Kind::OverviewSvg ? PictureFormat::Svg : PictureFormat::Png, path);
        break;
    case Kind::SelectedPcapng:
        error = exportConnectionsPcapng(captureFile(), m_window->session()->document(),
                                        selectedConnections(), path, &packets);
        break;
    }
    return report(error, kind == Kind::SelectedPcapng
                             ? QStringLiteral("Wrote %L1 packets to %2").arg(packets).arg(path)
                             : QStringLiteral("Exported %1").arg(path));
}

} // namespace wst::ui
