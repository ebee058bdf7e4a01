// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QString>
#include <vector>

namespace wst::ui {

/// How WebSocket traffic is listed: one row per message (control frames included), or one row
/// per frame. Shared by the frame table and the timeline so that a click on one selects the
/// same item in the other.
enum class Granularity { Messages, Frames };

/// The events of `conn` shown at `granularity`, as indices into doc.events, in capture order.
/// Anomaly events are left out (anomalies are drawn from Trace::anomaliesOf).
/// When both a Close frame event and a WsClose event describe the same Close, only one is kept.
std::vector<std::uint32_t> selectEvents(const Trace& doc, ConnId conn, Granularity granularity);

/// Short type of an event for tables and the timeline: "SYN", "GET", "101", "text", "Close".
QString eventTypeLabel(const Trace& doc, const Event& e);
/// One-line description: request line, status line, payload preview, close code and reason.
QString eventSummary(const Trace& doc, const Event& e);
/// "FIN RSV1 MASK" for frames, "" otherwise.
QString frameFlagsLabel(const Event& e);
/// "C→S" or "S→C".
QString directionLabel(Direction d);
/// The response head an HttpResponse event refers to (matched by packet), or null.
const ResponseSummary* responseOf(const Connection& c, const Event& e);
/// Close code meaning from RFC 6455 §7.4.1, "" when unknown.
QString closeCodeName(std::uint16_t code);

} // namespace wst::ui
