// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/export/formats.h"
#include "decoder/model/trace_store.h"

#include <QString>
#include <set>

class QWidget;

namespace wst::ui {

class TimelineView;

/// The GUI's exports. Each one takes the session's trace (never widgets' text) and calls the
/// same writer the CLI uses, so a file written from the GUI equals `wstrace --format …` of the
/// same capture. Each returns "" on success, else a one-line error naming the file.

/// Writes `trace` in `format` (a row of traceFormats()) to `path`. The trace is read in place:
/// nothing is copied, so exporting a 1 GB capture needs no second trace in memory.
QString exportTrace(const TraceFormat& format, const Trace& trace, const QString& path);

enum class PictureFormat { Png, Svg };

/// The whole ladder of the timeline's connection, as TimelineView::renderTo draws it, at its
/// export size.
QString exportTimelinePicture(const TimelineView& timeline, PictureFormat format,
                              const QString& path);
/// Any view as it is shown on screen (the overview), at its current size.
QString exportWidgetPicture(QWidget& view, PictureFormat format, const QString& path);

/// Reads `capturePath` again and writes the packets of the `chosen` connections of
/// `trace` (the trace made from that file) to a pcapng at `path`. `written` receives the
/// number of packets written.
QString exportConnectionsPcapng(const QString& capturePath, const Trace& trace,
                                const std::set<ConnId>& chosen, const QString& path,
                                std::uint64_t* written = nullptr);

} // namespace wst::ui
