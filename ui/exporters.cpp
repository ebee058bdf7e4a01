// SPDX-License-Identifier: MIT
#include "ui/exporters.h"

#include "capture/source/pcap_file_source.h"
#include "capture/source/pcapng_writer.h"
#include "decoder/export/connection_export.h"
#include "decoder/model/trace_store.h"
#include "ui/timeline_view.h"

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>
#include <fstream>

namespace wst::ui {

namespace {

std::string localPath(const QString& path) {
    return std::string(QFile::encodeName(path).constData());
}

/// Opens `path` for writing, runs `write`, and turns any stream failure into one line.
template <typename Write>
QString writeFile(const QString& path, Write&& write) {
    std::ofstream out(localPath(path), std::ios::binary | std::ios::trunc);
    if (!out) {
        return QStringLiteral("cannot write %1").arg(path);
    }
    write(out);
    out.flush();
    if (!out) {
        return QStringLiteral("error while writing %1").arg(path);
    }
    return {};
}

} // namespace

QString exportTrace(const TraceFormat& format, const Trace& trace, const QString& path) {
    return writeFile(path, [&](std::ostream& out) { writeTrace(format, trace, out); });
}

namespace {

/// Paints `size` pixels through `paint` into a PNG or an SVG file.
template <typename Paint>
QString writePicture(QSize size, PictureFormat format, const QString& path, const QString& title,
                     Paint&& paint) {
    if (size.isEmpty()) {
        return QStringLiteral("nothing to draw");
    }
    if (format == PictureFormat::Svg) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Drawn by wstrace"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            return QStringLiteral("cannot write %1").arg(path);
        }
        paint(painter);
        painter.end();
        return QFile::exists(path) ? QString() : QStringLiteral("cannot write %1").arg(path);
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        paint(painter);
    }
    return image.save(path, "PNG") ? QString() : QStringLiteral("cannot write %1").arg(path);
}

} // namespace

QString exportTimelinePicture(const TimelineView& timeline, PictureFormat format,
                              const QString& path) {
    const QSize size = timeline.exportSize();
    return writePicture(size, format, path, QStringLiteral("wstrace timeline"),
                        [&](QPainter& p) { timeline.renderTo(p, QRect(QPoint(0, 0), size)); });
}

QString exportWidgetPicture(QWidget& view, PictureFormat format, const QString& path) {
    const QSize size = view.size();
    return writePicture(size, format, path, QStringLiteral("wstrace overview"), [&](QPainter& p) {
        view.render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    });
}

QString exportConnectionsPcapng(const QString& capturePath, const Trace& trace,
                                const std::set<ConnId>& chosen, const QString& path,
                                std::uint64_t* written) {
    if (chosen.empty()) {
        return QStringLiteral("no connection selected");
    }
    PcapFileSource source(localPath(capturePath));
    if (!source.isOpen()) {
        return QString::fromStdString(source.errorMessage());
    }
    PcapngWriter writer(localPath(path), "wstrace-gui");
    if (!writer.isOpen()) {
        return QString::fromStdString(writer.errorMessage());
    }
    const ConnectionExportResult result = exportConnections(
        source, trace.connections, chosen, [&](const RawPacket& p) { return writer.write(p); });
    const bool finished = writer.finish();
    if (written) {
        *written = result.packetsWritten;
    }
    if (!result.error.empty()) {
        return QString::fromStdString(result.error);
    }
    if (!finished) {
        return QString::fromStdString(writer.errorMessage());
    }
    return {};
}

} // namespace wst::ui
