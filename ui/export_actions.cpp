// SPDX-License-Identifier: MIT
#include "ui/export_actions.h"

#include "ui/exporters.h"
#include "ui/live_capture.h"
#include "ui/live_export_setup.h"
#include "ui/main_window.h"
#include "ui/models/connection_list_model.h"
#include "ui/models/session_controller.h"
#include "ui/overview_view.h"
#include "ui/timeline_view.h"

#include <QAction>
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
    {ExportActions::Kind::Json, "&JSON…", "json", "JSON (*.json)"},
    {ExportActions::Kind::CsvFrames, "CSV, one row per &frame…", "frames.csv", "CSV (*.csv)"},
    {ExportActions::Kind::CsvMessages, "CSV, one row per &message…", "messages.csv", "CSV (*.csv)"},
    {ExportActions::Kind::Har, "&HAR (Chrome DevTools)…", "har", "HAR (*.har)"},
    {ExportActions::Kind::HtmlReport, "HTML &Report…", "html", "HTML (*.html)"},
    {ExportActions::Kind::TimelinePng, "&Timeline as PNG…", "timeline.png", "PNG image (*.png)"},
    {ExportActions::Kind::TimelineSvg, "Timeline as &SVG…", "timeline.svg", "SVG drawing (*.svg)"},
    {ExportActions::Kind::OverviewPng, "&Overview as PNG…", "overview.png", "PNG image (*.png)"},
    {ExportActions::Kind::OverviewSvg, "Overview as S&VG…", "overview.svg", "SVG drawing (*.svg)"},
    {ExportActions::Kind::SelectedPcapng, "Selected &Connections as pcapng…", "pcapng",
     "pcapng (*.pcapng)"},
};

const KindInfo& infoOf(ExportActions::Kind kind) {
    for (const KindInfo& k : kKinds) {
        if (k.kind == kind) {
            return k;
        }
    }
    return kKinds[0];
}

} // namespace

ExportActions::ExportActions(MainWindow* window)
    : QObject(window)
    , m_window(window) {
    setObjectName(QStringLiteral("exportActions"));
    QMenu* menu = window->exportMenu();
    for (QAction* a : menu->actions()) {
        if (a->objectName() == QStringLiteral("exportPlaceholder")) {
            menu->removeAction(a);
            a->deleteLater();
        }
    }
    for (const KindInfo& k : kKinds) {
        if (k.kind == Kind::TimelinePng || k.kind == Kind::SelectedPcapng) {
            menu->addSeparator();
        }
        QAction* a =
            menu->addAction(QString::fromUtf8(k.label), this, [this, kind = k.kind] { ask(kind); });
        a->setData(static_cast<int>(k.kind));
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

bool ExportActions::isAvailable(Kind kind) const {
    const SessionController* session = m_window->session();
    const bool haveTrace = !session->document().connections.empty();
    switch (kind) {
    case Kind::TimelinePng:
    case Kind::TimelineSvg:
        return m_window->timeline()->connection() != 0;
    case Kind::SelectedPcapng:
        // The packets are read again from the capture file; a live capture has none to reread.
        return !selectedConnections().empty() && QFileInfo(captureFile()).isFile() &&
               !session->isLoading();
    default:
        return haveTrace;
    }
}

QString ExportActions::captureFile() const {
    const SessionController* session = m_window->session();
    // A finished live capture that was saved is reread from its pcapng.
    if (const auto* live = m_window->findChild<LiveCaptureUi*>()) {
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
        if (!a->isSeparator() && a->data().isValid()) {
            a->setEnabled(isAvailable(static_cast<Kind>(a->data().toInt())));
        }
    }
}

void ExportActions::ask(Kind kind) {
    const KindInfo& k = infoOf(kind);
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("exportDirectory")).toString();
    const QFileInfo capture(m_window->session()->fileName());
    const QString base = capture.completeBaseName().isEmpty() ? QStringLiteral("wstrace")
                                                              : capture.completeBaseName();
    const QString suggested =
        QDir(dir.isEmpty() ? capture.absolutePath() : dir)
            .filePath(QStringLiteral("%1.%2").arg(base, QString::fromLatin1(k.suffix)));
    const QString path = QFileDialog::getSaveFileName(m_window, QStringLiteral("Export"), suggested,
                                                      QString::fromLatin1(k.filter));
    if (path.isEmpty()) {
        return;
    }
    settings.setValue(QStringLiteral("exportDirectory"), QFileInfo(path).absolutePath());
    const QString error = run(kind, path);
    if (!error.isEmpty() && m_window->isVisible()) {
        auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Export failed"), error,
                                    QMessageBox::Ok, m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

QString ExportActions::run(Kind kind, const QString& path) {
    const SessionController* session = m_window->session();
    const TraceDocument& doc = session->document();
    const QString source = session->fileName();
    QString error;
    std::uint64_t packets = 0;
    switch (kind) {
    case Kind::Json:
        error = exportJson(doc, source, path);
        break;
    case Kind::CsvFrames:
        error = exportCsv(doc, CsvWriter::Rows::Frames, path);
        break;
    case Kind::CsvMessages:
        error = exportCsv(doc, CsvWriter::Rows::Messages, path);
        break;
    case Kind::Har:
        error = exportHar(doc, source, path);
        break;
    case Kind::HtmlReport:
        error = exportHtmlReport(doc, source, path);
        break;
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
        error = exportConnectionsPcapng(captureFile(), doc, selectedConnections(), path, &packets);
        break;
    }
    QStatusBar* bar = m_window->statusBar();
    if (error.isEmpty()) {
        bar->showMessage(kind == Kind::SelectedPcapng
                             ? QStringLiteral("Wrote %L1 packets to %2").arg(packets).arg(path)
                             : QStringLiteral("Exported %1").arg(path),
                         8000);
    } else {
        bar->showMessage(QStringLiteral("Export failed: %1").arg(error), 15000);
    }
    return error;
}

} // namespace wst::ui
