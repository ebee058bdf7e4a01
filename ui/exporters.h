// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/export/csv_writer.h"
#include "decoder/model/trace_sink.h"

#include <QString>
#include <set>

class QWidget;

namespace wst::ui {

struct TraceDocument;
class TimelineView;

/// The GUI's exports. Each one takes the document (never widgets' text) and calls the same
/// exporter the CLI uses, so a file written from the GUI equals `wstrace --format …` of the
/// same capture. Each returns "" on success, else a one-line error naming the file.

/// The document as the TraceStore the exporters take. `source` names the capture when the
/// document's stats do not (a run still going).
TraceStore toTraceStore(const TraceDocument& document, const QString& source = {});

QString exportJson(const TraceDocument& document, const QString& source, const QString& path);
QString exportCsv(const TraceDocument& document, CsvWriter::Rows rows, const QString& path);
QString exportHar(const TraceDocument& document, const QString& source, const QString& path);
QString exportHtmlReport(const TraceDocument& document, const QString& source, const QString& path);

enum class PictureFormat { Png, Svg };
/// The picture format a file name asks for (".svg" → Svg, anything else → Png).
PictureFormat pictureFormatFor(const QString& path);

/// The whole ladder of the timeline's connection, as TimelineView::renderTo draws it, at its
/// export size.
QString exportTimelinePicture(const TimelineView& timeline, PictureFormat format,
                              const QString& path);
/// Any view as it is shown on screen (the overview), at its current size.
QString exportWidgetPicture(QWidget& view, PictureFormat format, const QString& path);

/// Reads `capturePath` again and writes the packets of the `chosen` connections of
/// `document` (the trace made from that file) to a pcapng at `path`. `written` receives the
/// number of packets written.
QString exportConnectionsPcapng(const QString& capturePath, const TraceDocument& document,
                                const std::set<ConnId>& chosen, const QString& path,
                                std::uint64_t* written = nullptr);

} // namespace wst::ui
