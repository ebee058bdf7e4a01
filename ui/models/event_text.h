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

/// The events of `conn` shown at `granularity`, as indices into doc.events, in order of the
/// time each is placed at (Event::time; capture order among equal times).
/// Anomaly events are left out (anomalies are drawn from Trace::anomaliesOf).
/// When both a Close frame event and a WsClose event describe the same Close, only one is kept.
std::vector<std::uint32_t> selectEvents(const Trace& doc, ConnId conn, Granularity granularity);

/// The bytes of one frame event as the decoder kept them. A data frame's event carries no
/// payload of its own (it belongs to its message), so this finds the message it is part of and
/// the frame's place in it. `message` is null when none is found (a frame cut by the end of
/// the capture, or one the message search gave up on after kFrameSearchLimit events).
struct FramePayload {
    const Message* message = nullptr;
    std::uint64_t offset = 0;  ///< of the frame's first payload byte in the message
    std::uint64_t length = 0;  ///< the frame's payload length
    std::uint32_t index = 0;   ///< 0 for the first frame of the message
    bool wholeMessage = false; ///< compressed: frame boundaries are not those of the payload
    std::uint8_t opcode = 0;   ///< the message's opcode (a continuation frame's is 0)
};
inline constexpr std::size_t kFrameSearchLimit = 4096;
/// For a WsFrame (or WsMessage) event; control frames and messages map to themselves.
FramePayload framePayload(const Trace& doc, std::uint32_t eventIndex);
/// The retained bytes of `p` (a slice of the message's payload prefix), possibly fewer than
/// p.length when the prefix ends first.
std::string_view framePayloadBytes(const FramePayload& p);

/// Short type of an event for tables and the timeline: "SYN", "GET", "101", "text", "Close".
QString eventTypeLabel(const Trace& doc, const Event& e);
/// One-line description: request line, status line, payload preview, close code and reason.
/// `eventIndex` (e's index in doc.events) lets a data frame preview its own bytes.
QString eventSummary(const Trace& doc, const Event& e, std::uint32_t eventIndex = Event::kNoRef);
/// "FIN RSV1 MASK" for frames, "FIN RSV1" for messages, "" otherwise.
QString frameFlagsLabel(const Event& e);
/// "C→S" or "S→C".
QString directionLabel(Direction d);
/// The response head an HttpResponse event refers to (matched by packet), or null.
const ResponseSummary* responseOf(const Connection& c, const Event& e);
/// Close code meaning from RFC 6455 §7.4.1, "" when unknown.
QString closeCodeName(std::uint16_t code);

} // namespace wst::ui
