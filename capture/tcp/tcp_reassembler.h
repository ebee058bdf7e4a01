// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/limits.h"
#include "capture/tcp/stream_sink.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace wst {

/// Puts one direction of a TCP connection back in order and hands it to a StreamSink.
///
/// Sequence numbers become 64-bit offsets relative to the first data byte (the byte after the
/// SYN, or the first sequence number seen when the SYN was missed), so wrap-around at 2^32
/// never reaches the sink (the same idea as Zeek's relative sequence space).
///
/// - In-order bytes are delivered straight from the packet (no copy, no allocation).
/// - Out-of-order bytes are copied and held until the hole before them fills, the peer
///   acknowledges past the hole (the bytes were on the wire but not in the capture), the
///   buffer limits trip (BufferLimitExceeded, then the hole is skipped), or the direction is
///   flushed. A skipped hole is reported with onGap, never as bytes.
/// - Bytes already delivered or held are dropped when they arrive again; if they differ,
///   OverlapConflict is reported and the first bytes are kept (OverlapConflictLaterWins when a
///   Linux receiver would have taken the later copy instead). Delivered bytes are compared
///   for the last Limits::retransmitCheckBytes only. Where packet bytes stay readable
///   (`stable`, a memory-mapped file), large delivered segments are remembered by reference
///   instead of copied.
/// - Captured payload shorter than on the wire (snap length) is delivered, and the missing
///   tail is reported as a gap in its place.
/// - The FIN closes the direction once every byte before it was delivered. A FIN out of
///   sequence order (before bytes already seen, below what the peer acknowledged, or beyond
///   its window) is ignored with FinOutOfWindow (RFC 9293 §3.10.7.4, RFC 5961 §5).
/// - inWindow() tells whether a control segment lies in the receiver's window, from the peer's
///   highest ACK and last advertised window where known (RFC 5961 §3.2 for RSTs).
class TcpReassembler {
public:
    /// `stable`: memory whose bytes stay readable as long as this reassembler exists
    /// (PacketSource::stableMemory()); large payloads inside it are remembered by reference.
    TcpReassembler(Direction dir, StreamSink& sink, const Limits& limits,
                   const Bytes* stable = nullptr);

    /// A SYN with sequence number `isn`: the first data byte is isn + 1 (offset 0). Ignored
    /// when the start of the stream is already known.
    void onSyn(std::uint32_t isn);
    /// Sets offset 0 to `seq` if nothing fixed it yet (a SYN-ACK tells the client's next seq).
    void setStartIfUnknown(std::uint32_t seq);
    /// Payload (captured bytes, and its length on the wire) and FIN of one segment whose first
    /// payload byte has sequence number `seq`. Without a SYN, the first call fixes offset 0.
    void onSegment(std::uint32_t seq, Bytes payload, std::uint32_t lengthOnWire, bool fin,
                   const SegmentInfo& info);
    /// The other direction acknowledged up to `ack`: bytes below it that are still missing
    /// were on the wire but not captured, so they are reported as a gap now. `windowBytes`:
    /// the window it advertised with that ACK, in bytes, when known.
    void onPeerAck(std::uint32_t ack, const SegmentInfo& info,
                   std::optional<std::uint64_t> windowBytes = std::nullopt);

    /// Where sequence number `seq` of this direction lies against the receiver's window.
    struct WindowPlace {
        bool inside = true;
        std::uint64_t next = 0;    ///< the receiver's next expected byte (offset, ≥ 0)
        std::int64_t distance = 0; ///< seq's offset minus `next`
    };
    /// Inside unless `seq` is below both the peer's highest ACK and the next byte to deliver, or
    /// beyond the highest byte seen (or acknowledged) plus the peer's window. Without a known
    /// start everything is inside; without a known window, kMaxWindow is assumed.
    WindowPlace inWindow(std::uint32_t seq) const;
    /// The largest window TCP can advertise: 65535 << 14 (RFC 7323 §2.3), used when the
    /// receiver's window is not known.
    static constexpr std::uint64_t kMaxWindow = std::uint64_t{65535} << 14;
    /// Ends the direction: held bytes are delivered in order with the holes between them
    /// reported as gaps, then onClose — with Fin if the FIN was reached, `reason` otherwise.
    /// Does nothing if the direction is already closed.
    void close(CloseReason reason, const SegmentInfo& info);

    bool isClosed() const { return m_closed; }
    bool startKnown() const { return m_startKnown; }
    /// Sequence number of offset 0 (valid when startKnown()).
    std::uint32_t startSeq() const { return m_start; }
    /// Offset of the next byte expected in order.
    std::uint64_t nextOffset() const { return m_next; }
    std::size_t heldBytes() const { return m_heldBytes; }
    std::size_t heldSegments() const { return m_held.size(); }
    /// Payload in this direction beyond its FIN, or after the connection was reset, is
    /// reported once per direction with this notice.
    void noteLateData(TcpNotice notice, std::uint64_t length, const SegmentInfo& info);
    /// Frees the buffers of a closed direction.
    void releaseBuffers();

private:
    /// A held range [key, key + length): copied bytes, or a known-missing range (snap length).
    /// `segment` is the range of the segment it came from, which decides which copy a Linux
    /// receiver takes on a conflict (reportConflict).
    struct Held {
        std::vector<std::uint8_t> bytes;
        std::uint64_t length = 0;
        bool missing = false;
        SegmentInfo info;
        std::uint64_t segmentStart = 0, segmentEnd = 0;
    };

    std::int64_t toOffset(std::uint32_t seq) const;
    void accept(std::uint64_t start, Bytes bytes, std::uint64_t missingTail,
                const SegmentInfo& info);
    void deliver(std::uint64_t offset, Bytes bytes, const SegmentInfo& info);
    void gap(std::uint64_t length, const SegmentInfo& info);
    void hold(std::uint64_t start, Bytes bytes, std::uint64_t length, bool missing,
              const SegmentInfo& info);
    void compareDelivered(std::uint64_t start, Bytes bytes, const SegmentInfo& info);
    void reportConflict(std::uint64_t offset, std::uint64_t length, const SegmentInfo& info,
                        bool laterWins = false);
    void drain();
    void skipTo(std::uint64_t target, const SegmentInfo& info);
    void enforceLimits(const SegmentInfo& info);
    void maybeFinish();
    void remember(Bytes bytes);
    void copyToRing(Bytes bytes);
    void forgetHistory();

    Direction m_dir;
    StreamSink& m_sink;
    const Limits& m_limits;

    bool m_startKnown = false;
    bool m_closed = false;
    bool m_conflictReported = false; ///< one OverlapConflict per segment, see reportConflict
    bool m_lateDataReported = false;
    std::uint32_t m_start = 0;                 ///< sequence number of offset 0
    std::uint64_t m_next = 0;                  ///< offset of the next byte to deliver
    std::uint64_t m_highest = 0;               ///< one past the highest offset seen (data or FIN)
    std::optional<std::uint64_t> m_fin;        ///< offset of the FIN
    std::optional<std::int64_t> m_peerAck;     ///< highest offset the peer acknowledged
    std::optional<std::uint64_t> m_peerWindow; ///< the peer's last advertised window, bytes
    SegmentInfo m_finInfo;

    std::map<std::uint64_t, Held> m_held; ///< non-overlapping, all above m_next
    std::size_t m_heldBytes = 0;

    /// Delivered bytes for the retransmission check: up to kPieces runs, oldest first, ending
    /// at m_next (a circular array from m_pieceHead, allocated with the first delivered byte;
    /// one run without stable memory, where every run is copied and they all merge).
    /// A run is one segment of at least m_refMin bytes inside stable memory, referenced where
    /// it lies, or copied bytes (`data` null) kept in m_history, a ring indexed by stream offset
    /// modulo its size. A run is dropped once the runs after it cover the checked window, so
    /// referenced bytes are read again only to compare a retransmission (never copied later
    /// from pages the reader has long released).
    struct Piece {
        const std::uint8_t* data; ///< null: copied into m_history
        std::size_t size;
    };
    static constexpr std::size_t kPieces = 64; ///< a power of two
    Piece& piece(std::size_t i) { return m_pieces[(m_pieceHead + i) & (m_pieceCapacity - 1)]; }
    const Piece& piece(std::size_t i) const {
        return m_pieces[(m_pieceHead + i) & (m_pieceCapacity - 1)];
    }
    const Bytes* m_stable;
    std::size_t m_pieceCapacity; ///< kPieces with stable memory, else 1
    std::size_t m_refMin;
    std::unique_ptr<Piece[]> m_pieces;
    std::size_t m_pieceHead = 0;
    std::size_t m_pieceCount = 0;
    std::uint64_t m_pieceBytes = 0; ///< bytes in the runs, ending at m_next
    std::vector<std::uint8_t> m_history;
    std::uint64_t m_historyLength = 0; ///< bytes checked, ending at m_next (≤ the limit)
};

} // namespace wst
