// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "decoder/model/anomaly.h"
#include "decoder/model/trace.h"
#include "decoder/ws/frame_parser.h"
#include "decoder/ws/inflate_budget.h"
#include "decoder/ws/inflater.h"

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wst {

/// What the opening handshake negotiated, as far as frames care (RFC 6455 §9, RFC 7692 §7).
struct WsNegotiation {
    /// False when the capture started after the handshake (Outcome::Midstream): nothing is
    /// known about extensions, so RSV1 is accepted as "probably compressed", and decompression
    /// and UTF-8 failures inside compressed messages are not reported (the window may be
    /// missing): ws_frame_rsv_without_extension and ws_frame_invalid_utf8 need the handshake.
    bool handshakeSeen = true;
    /// permessage-deflate as accepted in the 101 (http's Negotiated::deflate); `enabled` false
    /// when not negotiated.
    DeflateParams deflate;
};

/// One frame as WsSession reports it, after its last byte (or when it was cut).
struct WsFrame {
    Direction direction = Direction::ClientToServer;
    FrameHeader header;
    std::uint64_t streamOffset = 0; ///< first header byte in the direction's stream
    Timestamp first, last;          ///< capture times of the first header byte and last byte
    PacketNumber firstPacket = 0, lastPacket = 0;
    bool complete = true; ///< false: payload bytes lost in a gap, or cut by desync/end
    std::optional<std::uint16_t> closeCode; ///< Close frames with a body of ≥ 2 bytes
    std::string_view closeReason;           ///< Close frames; raw bytes, valid during the call
    /// Control frames: the unmasked payload (capped at max(125, payloadPrefixBytes)), valid
    /// during the call. Empty for data frames (their payload is in the Message).
    Bytes controlPayload;

    /// frameflag bits (model/trace.h) for Event::frameFlags.
    std::uint8_t flags() const;
};

/// Receives what a WsSession finds. Per direction, calls come in stream order: each frame's
/// onWsFrame, then (if it ended a message or is a control frame) onWsMessage. Anomalies come
/// when detected, before the frame they concern is reported. References are valid only
/// during the call.
class WsObserver {
public:
    virtual ~WsObserver() = default;
    virtual void onWsFrame(const WsFrame& frame) = 0;
    /// A data message ended (its FIN frame), a control frame ended (reported as a one-frame
    /// message), or an open message was cut (complete = false). `streamOffset` is its first
    /// frame's header offset. The payload holds at most Limits::payloadPrefixBytes
    /// (decompressed, unmasked); `length` counts all of it.
    virtual void onWsMessage(const Message& message, std::uint64_t streamOffset) = 0;
    /// An anomaly with connection, direction, time, packet, stream offset and a detail of the
    /// form "expected=…, found=…" filled in; the observer may keep it.
    virtual void onWsAnomaly(Anomaly&& anomaly) = 0;
};

class WsDirection;

/// The WebSocket phase of one connection: both directions' frame parsers, the RFC 6455 §5
/// frame and message rules, §5.5.1/§7.4 close checks, UTF-8 of text (§5.6, §8.1),
/// permessage-deflate (RFC 7692) and ping/pong pairing (§5.5.2, §5.5.3).
///
/// Anomalies it reports: ws_frame_* (except after_failed_handshake and handshake-level ones),
/// ws_close_payload_one_byte, ws_close_code_invalid, ws_close_code_reserved_on_wire,
/// ws_close_reason_invalid_utf8, ws_deflate_error, ws_deflate_size_limit,
/// ws_deflate_budget_exceeded (once per connection), ws_deflate_control_compressed, and
/// hijack_http_in_websocket ("HTTP/1." where a frame header should be; the direction then
/// resynchronises like after a gap). Connection-level close anomalies (ws_close_not_answered,
/// ws_close_missing, ws_close_abnormal) are the analyzer's: it has TCP timing;
/// closeSent()/closeTime() give it what it needs.
///
/// Memory per direction: ≤ 14 header bytes, the current message's payload prefix, a control
/// payload (≤ max(125, prefix) bytes), a zlib stream while inflating (kept across messages
/// only with context takeover), and ≤ kMaxOutstandingPings pings of ≤ 125 bytes.
class WsSession {
public:
    /// Pings kept per direction awaiting a pong; past it the oldest is reported unanswered.
    static constexpr std::size_t kMaxOutstandingPings = 32;
    /// How long after a ping the peer's Close still excuses the missing pong (it may have been
    /// closing when the ping arrived): 100 ms of capture time.
    static constexpr std::int64_t kPongGrace = 100'000'000;

    /// Decompression is charged to a budget of this connection (Limits::
    /// inflateWorkPerConnection) and to `captureBudget` if given, which must outlive the session.
    WsSession(ConnId connection, const WsNegotiation& negotiation, const Limits& limits,
              WsObserver& observer, InflateBudget* captureBudget = nullptr);
    ~WsSession();
    WsSession(const WsSession&) = delete;
    WsSession& operator=(const WsSession&) = delete;

    /// In-order bytes of direction `d` starting at stream `offset` (the first byte after the
    /// 101 head for the server, after the request head for the client, or wherever the
    /// analyzer started), all from the packet `at`.
    void feed(Direction d, Bytes bytes, std::uint64_t offset, const SegmentInfo& at);
    /// `length` bytes at `offset` of direction `d` will never arrive. A gap inside a payload
    /// keeps the framing (the message is marked incomplete); any other gap reports
    /// ws_frame_desync_after_gap and the direction scans for a plausible header, reporting
    /// ws_frame_resynced when it finds one.
    void onGap(Direction d, std::uint64_t offset, std::uint64_t length, const SegmentInfo& at);
    /// Direction `d` ended (FIN, RST, end of capture): a frame or message in progress is
    /// reported cut (complete = false). Idempotent.
    void endDirection(Direction d, const SegmentInfo& at);
    /// The connection ended: both directions end, and every ping still waiting for a pong is
    /// reported as ws_frame_ping_unanswered, except pings sent after the pinger's own Close
    /// (RFC 6455 §5.5.2) and pings to a side that sent a Close. Only valid pings (FIN, no RSV,
    /// ≤ 125 bytes) are tracked. Idempotent.
    void finish(const SegmentInfo& at);

    /// Whether direction `d` sent a Close frame, and its code (if the body had one).
    bool closeSent(Direction d) const;
    std::optional<std::uint16_t> closeCode(Direction d) const;
    std::string_view closeReason(Direction d) const;
    Timestamp closeTime(Direction d) const;
    PacketNumber closePacket(Direction d) const;
    /// True while direction `d` has lost the frame boundary (after a gap, before resync).
    bool desynced(Direction d) const;
    /// Pings sent by `d` that the other side has not answered yet.
    std::size_t outstandingPings(Direction d) const;

    // Used by WsDirection.
    /// Fills in the connection and hands `anomaly` to the observer.
    void report(Anomaly&& anomaly);
    WsObserver& observer() { return m_observer; }
    ConnId connection() const { return m_connection; }
    void onPing(Direction from, Bytes payload, std::uint64_t offset, const SegmentInfo& at);
    void onPong(Direction from, Bytes payload);
    /// The budgets every Inflater of this connection charges.
    InflateBudgets inflateBudgets() { return {&m_inflateBudget, m_captureBudget}; }
    /// A compressed message of `d` is not (or no longer) inflated because a budget is spent:
    /// reports ws_deflate_budget_exceeded the first time on this connection.
    void noteInflateBudgetSpent(Direction d, const SegmentInfo& at, std::uint64_t offset);

private:
    struct Ping {
        std::string payload;
        std::uint64_t offset = 0;
        SegmentInfo at;
        bool afterOwnClose = false;
    };
    void reportUnanswered(Direction d, const Ping& ping, std::string_view why);

    ConnId m_connection;
    WsObserver& m_observer;
    std::array<std::unique_ptr<WsDirection>, 2> m_dirs;
    std::array<std::deque<Ping>, 2> m_pings; ///< by the pinging direction
    InflateBudget m_inflateBudget;
    InflateBudget* m_captureBudget;
    bool m_budgetReported = false;
    std::uint64_t m_connectionWork; ///< Limits::inflateWorkPerConnection, for the detail
    std::uint64_t m_captureWork;    ///< Limits::inflateWorkPerCapture
    std::uint64_t m_workPerByte;    ///< Limits::inflateWorkPerCompressedByte
    bool m_finished = false;
};

} // namespace wst
