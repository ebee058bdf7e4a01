// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"
#include "capture/net/packet_decoder.h"

namespace wst {

/// Why a direction stopped delivering bytes.
enum class CloseReason : std::uint8_t {
    Fin,          ///< this direction's FIN was reached in order (all bytes before it delivered)
    Rst,          ///< this direction sent a RST
    Timeout,      ///< idle expiry (live mode), or superseded by a new SYN on the same 4-tuple
    EndOfCapture, ///< the capture ended with the direction still open
    PeerReset,    ///< the other direction sent a RST, which ends this one too (RFC 9293 §3.10.7)
};

const char* toString(CloseReason r);

/// Something the TCP layer noticed that the decoder reports as a `tcp_*` anomaly.
enum class TcpNotice : std::uint8_t {
    PartialConnection,        ///< data before any SYN: picked up mid-stream
    OverlapConflict,          ///< retransmitted bytes differ; the copy kept is the one a Linux
                              ///< receiver takes too (bytes already in sequence win)
    OverlapConflictLaterWins, ///< retransmitted bytes differ; a Linux receiver would take the
                              ///< later copy (it starts lower in sequence, or covers the first)
    BufferLimitExceeded,      ///< out-of-order buffer full: the hole is skipped (a gap follows)
    DataAfterFin,             ///< payload beyond the FIN's sequence number
    DataAfterRst,             ///< payload after a RST in the same direction
    SynAfterClose,            ///< a new SYN on a finished 4-tuple: a new connection starts
    RstOutOfWindow,           ///< RST outside the receive window: ignored (RFC 5961 §3.2)
    FinOutOfWindow,           ///< FIN out of sequence order or outside the window: ignored
    SynInConnection, ///< SYN with a new ISN in a synchronized connection: ignored (RFC 5961 §4)
    ZeroWindow,      ///< receiver advertised a zero window
};

const char* toString(TcpNotice n);

/// Receives one connection's reassembled, in-order bytes. Offsets are 64-bit and relative to
/// the first byte after the SYN (or to the first byte seen when picked up mid-stream), so they
/// never wrap. Bytes passed to onData are only valid during the call.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    /// TCP handshake and teardown flags as seen, in packet order (not reassembled order).
    virtual void onSyn(Direction dir, bool withAck, const SegmentInfo& info) = 0;
    /// In-order bytes starting at stream `offset` in direction `dir`.
    virtual void onData(Direction dir, std::uint64_t offset, Bytes bytes,
                        const SegmentInfo& info) = 0;
    /// `length` bytes starting at `offset` will never arrive (lost, or not captured).
    virtual void onGap(Direction dir, std::uint64_t offset, std::uint64_t length,
                       const SegmentInfo& info) = 0;
    /// The direction ended. Called once per direction at most.
    virtual void onClose(Direction dir, CloseReason reason, const SegmentInfo& info) = 0;
    /// `offset`: stream offset the notice refers to; `value`: notice-specific (OverlapConflict*:
    /// overlapping length; BufferLimitExceeded: bytes held; DataAfterFin/Rst: payload length;
    /// RstOutOfWindow, FinOutOfWindow: `offset` is the receiver's next expected byte and
    /// `value` the segment's distance from it, an int64 as two's complement (negative: below
    /// it); SynInConnection: the new ISN).
    virtual void onNotice(Direction dir, TcpNotice notice, const SegmentInfo& info,
                          std::uint64_t offset, std::uint64_t value) = 0;
    /// Every TCP segment of the connection (data or not, duplicates included), in packet order,
    /// before reassembly: for per-direction packet and byte counts. Implementations use its
    /// header fields and lengths only: endpoints and payload bytes may be absent when the call
    /// was recorded and replayed on another thread (the bytes arrive through onData). Default:
    /// ignored.
    virtual void onSegment(Direction dir, const TcpSegment& segment, const SegmentInfo& info) {
        (void)dir;
        (void)segment;
        (void)info;
    }
};

} // namespace wst
