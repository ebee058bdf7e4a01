// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstdint>
#include <span>
#include <vector>

namespace wst::ui {

/// Maps capture time to a pixel position along a time axis (y in the ladder, x in the
/// overview) and back, with zoom and pan. A plain value type without Qt, unit-tested on its
/// own (STYLE.md practice 11); views only read it.
///
/// Two scales:
/// - linear: [start, end] spans [0, length] pixels at zoom 1;
/// - spaced: one slot per item (times sorted, duplicates allowed). Consecutive slots are
///   `minGap` apart plus a logarithmic share of the time between them, capped at `maxGap`, so a
///   burst of frames in one millisecond stays readable and a ten-minute pause does not push the
///   Close off the screen. Positions stay monotone in time, so posToTime inverts timeToPos.
class TimelineGeometry {
public:
    TimelineGeometry() = default;

    static TimelineGeometry linear(Timestamp start, Timestamp end, double length);
    static TimelineGeometry spaced(std::span<const Timestamp> times, double minGap = 22.0,
                                   double maxGap = 80.0);

    /// Position of time `t` on screen (after zoom and pan). Before the first or after the last
    /// slot it extrapolates with the outer segment's slope. For duplicate times, the first slot.
    double timeToPos(Timestamp t) const;
    /// Inverse of timeToPos (time at screen position `pos`).
    Timestamp posToTime(double pos) const;
    /// Screen position of slot `i` (spaced scale; linear has two slots: start and end).
    double slotPos(std::size_t i) const;
    std::size_t slotCount() const { return m_knots.size(); }
    /// The slot nearest to screen position `pos`, or -1 when there are none.
    std::ptrdiff_t slotAt(double pos) const;

    /// Length of the whole axis at the current zoom, in pixels.
    double contentLength() const;

    double zoom() const { return m_zoom; }
    double offset() const { return m_offset; }
    /// Multiplies the zoom by `factor` (clamped to [kMinZoom, kMaxZoom]) keeping the time
    /// under screen position `anchor` in place.
    void zoomAt(double factor, double anchor);
    void setZoom(double zoom) { zoomAt(zoom / m_zoom, 0.0); }
    /// Scrolls so that content position `offset` (pixels at the current zoom) is at 0.
    void setOffset(double offset) { m_offset = offset; }
    void pan(double delta) { m_offset += delta; }

    static constexpr double kMinZoom = 0.05;
    static constexpr double kMaxZoom = 400.0;

private:
    struct Knot {
        std::int64_t ns;
        double pos; ///< at zoom 1, no offset
    };
    double basePos(std::int64_t ns) const;
    std::int64_t baseTime(double pos) const;

    std::vector<Knot> m_knots;
    double m_zoom = 1.0;
    double m_offset = 0.0;
};

/// Which rows of a zoomed-out ladder keep their text, as a map thins its place names: rows at
/// positions `ys` (ascending) each want a label `minGap` pixels tall; a label is kept only when
/// no kept label is closer than `minGap`. Rows with `priority` set (anomalies, the selected
/// row) are placed first, then the others in order. Arrows and markers are always drawn; only
/// the text is thinned (issue 17: zooming out overlapped labels until none was readable).
std::vector<bool> thinLabels(std::span<const double> ys, const std::vector<bool>& priority,
                             double minGap);

/// Where the ladder's columns go for a given widget width: the time axis on the left, the
/// client and server lanes, the notes gutter for anomalies and bodies, packet numbers on the
/// right. Widths never go negative; lanes keep at least `kMinLaneGap` between them.
struct LaneLayout {
    double axisRight = 0;  ///< right edge of the time-axis column
    double clientX = 0;    ///< client lane
    double serverX = 0;    ///< server lane
    double notesLeft = 0;  ///< notes gutter, right of the server lane
    double packetLeft = 0; ///< packet-number column
    double width = 0;
    double headerHeight = 0; ///< lane titles at the top

    static constexpr double kAxisWidth = 92;
    static constexpr double kPacketWidth = 64;
    static constexpr double kMinLaneGap = 180;
    static constexpr double kHeaderHeight = 44;

    static LaneLayout forWidth(double width);
};

} // namespace wst::ui
