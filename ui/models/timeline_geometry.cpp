// SPDX-License-Identifier: MIT
#include "ui/models/timeline_geometry.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

namespace wst::ui {

TimelineGeometry TimelineGeometry::linear(Timestamp start, Timestamp end, double length) {
    TimelineGeometry g;
    if (end.ns <= start.ns) {
        end.ns = start.ns + 1;
    }
    g.m_knots = {{start.ns, 0.0}, {end.ns, std::max(length, 1.0)}};
    return g;
}

TimelineGeometry TimelineGeometry::spaced(std::span<const Timestamp> times, double minGap,
                                          double maxGap) {
    TimelineGeometry g;
    g.m_knots.reserve(times.size());
    double pos = 0;
    std::int64_t prev = times.empty() ? 0 : times.front().ns;
    for (std::size_t i = 0; i < times.size(); ++i) {
        // Out-of-order input is clamped so that positions stay monotone in time.
        const std::int64_t t = std::max(times[i].ns, prev);
        if (i > 0) {
            const double dtUs = static_cast<double>(t - prev) / 1000.0;
            pos += std::min(maxGap, minGap + 6.0 * std::log10(1.0 + dtUs));
        }
        g.m_knots.push_back({t, pos});
        prev = t;
    }
    return g;
}

double TimelineGeometry::basePos(std::int64_t ns) const {
    if (m_knots.empty()) {
        return 0.0;
    }
    if (m_knots.size() == 1) {
        return m_knots.front().pos + static_cast<double>(ns - m_knots.front().ns) / 1000.0;
    }
    // First knot with time >= ns.
    auto it = std::lower_bound(m_knots.begin(), m_knots.end(), ns,
                               [](const Knot& k, std::int64_t t) { return k.ns < t; });
    if (it != m_knots.end() && it->ns == ns) {
        return it->pos;
    }
    auto hi = it == m_knots.begin() ? it + 1 : (it == m_knots.end() ? it - 1 : it);
    auto lo = hi - 1;
    // Find a segment with a non-zero time span for extrapolation.
    while (hi->ns == lo->ns && hi + 1 != m_knots.end()) {
        ++hi;
        ++lo;
    }
    while (hi->ns == lo->ns && lo != m_knots.begin()) {
        --hi;
        --lo;
    }
    if (hi->ns == lo->ns) {
        return lo->pos + static_cast<double>(ns - lo->ns) / 1000.0;
    }
    const double f = static_cast<double>(ns - lo->ns) / static_cast<double>(hi->ns - lo->ns);
    return lo->pos + f * (hi->pos - lo->pos);
}

std::int64_t TimelineGeometry::baseTime(double pos) const {
    if (m_knots.empty()) {
        return 0;
    }
    if (m_knots.size() == 1) {
        return m_knots.front().ns + static_cast<std::int64_t>((pos - m_knots.front().pos) * 1000.0);
    }
    auto it = std::lower_bound(m_knots.begin(), m_knots.end(), pos,
                               [](const Knot& k, double p) { return k.pos < p; });
    auto hi = it == m_knots.begin() ? it + 1 : (it == m_knots.end() ? it - 1 : it);
    auto lo = hi - 1;
    while (hi->pos == lo->pos && hi + 1 != m_knots.end()) {
        ++hi;
        ++lo;
    }
    if (hi->pos == lo->pos) {
        return lo->ns;
    }
    const double f = (pos - lo->pos) / (hi->pos - lo->pos);
    return lo->ns +
           static_cast<std::int64_t>(std::llround(f * static_cast<double>(hi->ns - lo->ns)));
}

double TimelineGeometry::timeToPos(Timestamp t) const {
    return basePos(t.ns) * m_zoom - m_offset;
}

Timestamp TimelineGeometry::posToTime(double pos) const {
    return {baseTime((pos + m_offset) / m_zoom)};
}

double TimelineGeometry::slotPos(std::size_t i) const {
    return i < m_knots.size() ? m_knots[i].pos * m_zoom - m_offset : 0.0;
}

std::ptrdiff_t TimelineGeometry::slotAt(double pos) const {
    if (m_knots.empty()) {
        return -1;
    }
    const double base = (pos + m_offset) / m_zoom;
    auto it = std::lower_bound(m_knots.begin(), m_knots.end(), base,
                               [](const Knot& k, double p) { return k.pos < p; });
    if (it == m_knots.end()) {
        return static_cast<std::ptrdiff_t>(m_knots.size()) - 1;
    }
    if (it != m_knots.begin() && base - (it - 1)->pos < it->pos - base) {
        --it;
    }
    return it - m_knots.begin();
}

double TimelineGeometry::contentLength() const {
    return m_knots.empty() ? 0.0 : m_knots.back().pos * m_zoom;
}

void TimelineGeometry::zoomAt(double factor, double anchor) {
    const double base = (anchor + m_offset) / m_zoom;
    m_zoom = std::clamp(m_zoom * factor, kMinZoom, kMaxZoom);
    m_offset = base * m_zoom - anchor;
}

LaneLayout LaneLayout::forWidth(double width) {
    LaneLayout l;
    l.width = std::max(width, kAxisWidth + kPacketWidth + kMinLaneGap + 80);
    l.headerHeight = kHeaderHeight;
    l.axisRight = kAxisWidth;
    l.packetLeft = l.width - kPacketWidth;
    const double avail = l.packetLeft - l.axisRight;
    l.clientX = l.axisRight + std::max(40.0, avail * 0.10);
    // The lanes take about half the room; the rest is for anomaly and body notes.
    l.serverX = l.clientX + std::max(kMinLaneGap, avail * 0.52);
    l.notesLeft = std::min(l.serverX + 18, l.packetLeft);
    return l;
}

std::vector<bool> thinLabels(std::span<const double> ys, const std::vector<bool>& priority,
                             double minGap) {
    std::vector<bool> keep(ys.size(), false);
    std::set<double> kept;
    const auto tryKeep = [&](std::size_t i) {
        const double y = ys[i];
        const auto next = kept.lower_bound(y);
        if (next != kept.end() && *next - y < minGap) {
            return;
        }
        if (next != kept.begin() && y - *std::prev(next) < minGap) {
            return;
        }
        kept.insert(y);
        keep[i] = true;
    };
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < ys.size(); ++i) {
            const bool first = i < priority.size() && priority[i];
            if (first == (pass == 0)) {
                tryKeep(i);
            }
        }
    }
    return keep;
}

} // namespace wst::ui
