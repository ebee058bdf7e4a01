// SPDX-License-Identifier: MIT
#include "capture/tcp/tcp_reassembler.h"

#include <algorithm>
#include <cstring>

namespace wst {

TcpReassembler::TcpReassembler(Direction dir, StreamSink& sink, const Limits& limits,
                               const Bytes* stable)
    : m_dir(dir)
    , m_sink(sink)
    , m_limits(limits)
    , m_stable(stable)
    , m_pieceCapacity(stable ? kPieces : 1)
    // kPieces runs hold at least kPieces / 2 references (copied runs are merged, so no two
    // are adjacent): references of at least window / (kPieces / 2) bytes always cover the
    // window, and the oldest run can be dropped without losing a byte of it.
    , m_refMin(std::max<std::size_t>(1, (limits.retransmitCheckBytes + kPieces / 2 - 1) /
                                            (kPieces / 2))) {}

void TcpReassembler::onSyn(std::uint32_t isn) {
    // RFC 9293 §3.4: the SYN occupies one sequence number; data starts at ISN + 1.
    setStartIfUnknown(isn + 1);
}

void TcpReassembler::setStartIfUnknown(std::uint32_t seq) {
    if (m_startKnown)
        return;
    m_start = seq;
    m_startKnown = true;
}

std::int64_t TcpReassembler::toOffset(std::uint32_t seq) const {
    // Interpret `seq` as the nearest offset to m_next (within ±2^31), RFC 9293 §3.4's modular
    // comparison lifted to 64 bits.
    const std::uint32_t nextSeq = m_start + static_cast<std::uint32_t>(m_next);
    return static_cast<std::int64_t>(m_next) + static_cast<std::int32_t>(seq - nextSeq);
}

void TcpReassembler::onSegment(std::uint32_t seq, Bytes payload, std::uint32_t lengthOnWire,
                               bool fin, const SegmentInfo& info) {
    setStartIfUnknown(seq);
    m_conflictReported = false;
    const std::uint64_t wire = std::max<std::uint64_t>(lengthOnWire, payload.size());
    const std::int64_t start = toOffset(seq);
    const std::int64_t end = start + static_cast<std::int64_t>(wire);

    if (m_closed) {
        if (m_fin && wire > 0 && end > static_cast<std::int64_t>(*m_fin))
            noteLateData(TcpNotice::DataAfterFin, wire, info);
        return;
    }
    if (fin && !m_fin) {
        // RFC 9293 §3.10.7.4: a FIN is processed in sequence order only. One that lies before
        // bytes this side already sent, below what the peer acknowledged (the ACK of the FIN
        // itself aside), or beyond the window ends nothing: it is reported and ignored, so
        // that an injected FIN cannot hide the rest of the stream (issue 21).
        const std::int64_t seen =
            std::max<std::int64_t>(static_cast<std::int64_t>(m_highest), m_peerAck.value_or(0));
        const std::int64_t window = static_cast<std::int64_t>(m_peerWindow.value_or(kMaxWindow));
        const bool old =
            end < static_cast<std::int64_t>(m_highest) || (m_peerAck && end + 1 < *m_peerAck);
        if (old || end > seen + window) {
            const std::int64_t next = m_peerAck
                                          ? std::min(*m_peerAck, static_cast<std::int64_t>(m_next))
                                          : static_cast<std::int64_t>(m_next);
            m_sink.onNotice(m_dir, TcpNotice::FinOutOfWindow, info,
                            static_cast<std::uint64_t>(std::max<std::int64_t>(next, 0)),
                            static_cast<std::uint64_t>(end - next));
            fin = false;
        }
    }
    if (fin && end >= 0 && !m_fin) {
        m_fin = static_cast<std::uint64_t>(end);
        m_finInfo = info;
        if (m_highest > *m_fin)
            noteLateData(TcpNotice::DataAfterFin, m_highest - *m_fin, info);
    }
    if (end > 0)
        m_highest = std::max(m_highest, static_cast<std::uint64_t>(end));

    if (wire > 0 && end > 0) {
        // Bytes before offset 0 (before the SYN, or before the mid-stream pickup) are dropped.
        std::uint64_t first = static_cast<std::uint64_t>(std::max<std::int64_t>(start, 0));
        const std::uint64_t cut = first - static_cast<std::uint64_t>(start);
        Bytes bytes = payload.subspan(std::min<std::uint64_t>(cut, payload.size()));
        std::uint64_t last = static_cast<std::uint64_t>(end);
        if (m_fin && last > *m_fin) {
            noteLateData(TcpNotice::DataAfterFin, last - std::max(first, *m_fin), info);
            last = std::max(first, *m_fin);
            bytes = bytes.first(std::min<std::uint64_t>(bytes.size(), last - first));
        }
        if (last > first)
            accept(first, bytes, last - first - bytes.size(), info);
    }
    maybeFinish();
}

void TcpReassembler::accept(std::uint64_t start, Bytes bytes, std::uint64_t missingTail,
                            const SegmentInfo& info) {
    const std::uint64_t end = start + bytes.size() + missingTail;
    if (end <= m_next) { // a retransmission of delivered bytes
        compareDelivered(start, bytes, info);
        return;
    }
    if (start < m_next) { // partly delivered: check the old part, keep the new tail
        const std::uint64_t skip = m_next - start;
        compareDelivered(start, bytes.first(std::min<std::uint64_t>(skip, bytes.size())), info);
        if (skip >= bytes.size()) {
            missingTail -= skip - bytes.size();
            bytes = {};
        } else {
            bytes = bytes.subspan(skip);
        }
        start = m_next;
    }
    if (start == m_next && (m_held.empty() || m_held.begin()->first >= end)) {
        // The hot path: in order and overlapping nothing held — deliver from the packet.
        deliver(start, bytes, info);
        if (missingTail > 0)
            gap(missingTail, info);
        drain();
        return;
    }
    if (!bytes.empty())
        hold(start, bytes, bytes.size(), false, info);
    if (missingTail > 0)
        hold(start + bytes.size(), {}, missingTail, true, info);
    drain();
    enforceLimits(info);
}

void TcpReassembler::deliver(std::uint64_t offset, Bytes bytes, const SegmentInfo& info) {
    if (bytes.empty())
        return;
    m_sink.onData(m_dir, offset, bytes, info);
    remember(bytes);
    m_next = offset + bytes.size();
}

void TcpReassembler::gap(std::uint64_t length, const SegmentInfo& info) {
    if (length == 0)
        return;
    m_sink.onGap(m_dir, m_next, length, info);
    m_next += length;
    forgetHistory(); // delivered bytes are no longer contiguous with m_next
}

void TcpReassembler::hold(std::uint64_t start, Bytes bytes, std::uint64_t length, bool missing,
                          const SegmentInfo& info) {
    // Inserts the parts of [start, start + length) that no held range covers yet: the bytes
    // that arrived first win (compared for OverlapConflict where both are real bytes).
    const std::uint64_t end = start + length;
    auto it = m_held.upper_bound(start);
    if (it != m_held.begin())
        --it;
    std::uint64_t pos = start;
    auto insert = [&](std::uint64_t from, std::uint64_t to,
                      std::map<std::uint64_t, Held>::iterator hint) {
        Held h;
        h.length = to - from;
        h.missing = missing;
        h.info = info;
        h.segmentStart = start;
        h.segmentEnd = end;
        if (!missing)
            h.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(from - start),
                           bytes.begin() + static_cast<std::ptrdiff_t>(to - start));
        m_heldBytes += h.bytes.size();
        m_held.emplace_hint(hint, from, std::move(h));
    };
    while (pos < end) {
        if (it == m_held.end() || it->first >= end) {
            insert(pos, end, it);
            break;
        }
        const std::uint64_t heldStart = it->first;
        const std::uint64_t heldEnd = heldStart + it->second.length;
        if (heldEnd <= pos) {
            ++it;
            continue;
        }
        if (heldStart > pos) {
            insert(pos, heldStart, it);
            pos = heldStart;
        }
        const std::uint64_t overlapEnd = std::min(end, heldEnd);
        if (!missing && !it->second.missing) {
            const std::uint8_t* a = bytes.data() + (pos - start);
            const std::uint8_t* b = it->second.bytes.data() + (pos - heldStart);
            const std::size_t n = overlapEnd - pos;
            if (std::memcmp(a, b, n) != 0) {
                std::size_t i = 0;
                while (a[i] == b[i])
                    ++i;
                // Linux's out-of-order queue (tcp_data_queue_ofo) keeps a segment that starts
                // lower, or at the same sequence number and covers the other; delivery in
                // sequence then takes that copy's bytes.
                const Held& old = it->second;
                const bool laterWins =
                    start < old.segmentStart || (start == old.segmentStart && end > old.segmentEnd);
                reportConflict(pos + i, n, info, laterWins);
            }
        }
        pos = overlapEnd;
        ++it;
    }
}

void TcpReassembler::compareDelivered(std::uint64_t start, Bytes bytes, const SegmentInfo& info) {
    if (bytes.empty() || m_historyLength == 0)
        return;
    // A one-byte segment just below m_next is a keep-alive probe (RFC 9293 §3.8.4), whose byte
    // is arbitrary: not a conflict.
    if (bytes.size() == 1 && start + 1 == m_next)
        return;
    const std::uint64_t known = m_next - m_historyLength;
    const std::uint64_t from = std::max(start, known);
    const std::uint64_t to = std::min<std::uint64_t>(start + bytes.size(), m_next);
    // The runs in order; the first differing byte (the lowest offset) is reported.
    std::uint64_t runStart = m_next - m_pieceBytes;
    for (std::size_t i = 0; i < m_pieceCount && runStart < to; ++i) {
        const Piece& p = piece(i);
        const std::uint64_t runEnd = runStart + p.size;
        const std::uint64_t lo = std::max(from, runStart);
        const std::uint64_t hi = std::min(to, runEnd);
        if (lo < hi &&
            !(p.data && std::memcmp(p.data + (lo - runStart), bytes.data() + (lo - start),
                                    static_cast<std::size_t>(hi - lo)) == 0)) {
            for (std::uint64_t o = lo; o < hi; ++o) {
                const std::uint8_t had =
                    p.data ? p.data[o - runStart] : m_history[o % m_history.size()];
                if (had != bytes[o - start]) {
                    reportConflict(o, to - from, info);
                    return;
                }
            }
        }
        runStart = runEnd;
    }
}

void TcpReassembler::reportConflict(std::uint64_t offset, std::uint64_t length,
                                    const SegmentInfo& info, bool laterWins) {
    // Once per segment: a whole retransmitted segment with other contents is one finding.
    if (m_conflictReported)
        return;
    m_conflictReported = true;
    m_sink.onNotice(m_dir,
                    laterWins ? TcpNotice::OverlapConflictLaterWins : TcpNotice::OverlapConflict,
                    info, offset, length);
}

TcpReassembler::WindowPlace TcpReassembler::inWindow(std::uint32_t seq) const {
    WindowPlace p;
    if (!m_startKnown)
        return p; // nothing known about this sequence space: nothing to judge by
    const std::int64_t at = toOffset(seq);
    const std::int64_t next = static_cast<std::int64_t>(m_next);
    // RFC 5961 §3.2: acceptable from RCV.NXT to RCV.NXT + RCV.WND. The capture shows RCV.NXT
    // as the peer's highest ACK (or, before any, the bytes this side sent), and may see bytes
    // in flight beyond it, so the window is counted from the highest of those.
    const std::int64_t low = m_peerAck ? std::min(*m_peerAck, next) : next;
    const std::int64_t seen =
        std::max<std::int64_t>(static_cast<std::int64_t>(m_highest), m_peerAck.value_or(0));
    const std::int64_t high = seen + static_cast<std::int64_t>(m_peerWindow.value_or(kMaxWindow));
    p.next = static_cast<std::uint64_t>(std::max<std::int64_t>(low, 0));
    p.distance = at - low;
    p.inside = at >= low && at <= high;
    return p;
}

void TcpReassembler::drain() {
    while (!m_held.empty() && m_held.begin()->first <= m_next) {
        auto node = m_held.extract(m_held.begin());
        Held& h = node.mapped();
        m_heldBytes -= h.bytes.size();
        const std::uint64_t end = node.key() + h.length;
        if (end <= m_next)
            continue;
        const std::uint64_t skip = m_next - node.key();
        if (h.missing)
            gap(end - m_next, h.info);
        else
            deliver(m_next, Bytes(h.bytes).subspan(skip), h.info);
    }
    maybeFinish();
}

void TcpReassembler::skipTo(std::uint64_t target, const SegmentInfo& info) {
    if (target > m_next)
        gap(target - m_next, info);
    drain();
}

void TcpReassembler::enforceLimits(const SegmentInfo& info) {
    // Named limit, then give up on the oldest hole (libtins ends the stream; Zeek stops
    // delivering; we skip the one hole and keep going).
    while (!m_held.empty() && (m_heldBytes > m_limits.reassemblyBytesPerDirection ||
                               m_held.size() > m_limits.reassemblySegmentsPerDirection)) {
        m_sink.onNotice(m_dir, TcpNotice::BufferLimitExceeded, info, m_next, m_heldBytes);
        skipTo(m_held.begin()->first, info);
    }
}

void TcpReassembler::onPeerAck(std::uint32_t ack, const SegmentInfo& info,
                               std::optional<std::uint64_t> windowBytes) {
    if (!m_startKnown || m_closed)
        return;
    const std::int64_t ackedAt = toOffset(ack);
    m_peerAck = std::max(m_peerAck.value_or(ackedAt), ackedAt);
    if (windowBytes)
        m_peerWindow = windowBytes;
    // Only when something waits above a hole: then the hole's bytes were received by the peer
    // but not captured, and waiting longer cannot fill it. (Without held data, an ACK seen
    // before its data — capture reordering — must not make us drop that data.)
    if (m_held.empty() && !m_fin)
        return;
    const std::int64_t acked = toOffset(ack);
    if (acked <= static_cast<std::int64_t>(m_next))
        return;
    std::uint64_t target = static_cast<std::uint64_t>(acked);
    if (m_fin)
        target = std::min(target, *m_fin); // the FIN itself takes one sequence number
    while (!m_closed && m_next < target) {
        const std::uint64_t step =
            m_held.empty() ? target : std::min(target, m_held.begin()->first);
        if (step <= m_next)
            break;
        skipTo(step, info);
    }
}

void TcpReassembler::close(CloseReason reason, const SegmentInfo& info) {
    if (m_closed)
        return;
    while (!m_held.empty())
        skipTo(m_held.begin()->first, info);
    if (m_closed) // the FIN was reached while draining
        return;
    if (m_fin && m_next < *m_fin)
        gap(*m_fin - m_next, info); // the hole right before the FIN
    if (m_fin) {
        maybeFinish();
        return;
    }
    m_closed = true;
    m_sink.onClose(m_dir, reason, info);
    releaseBuffers();
}

void TcpReassembler::maybeFinish() {
    if (m_closed || !m_fin || m_next < *m_fin)
        return;
    m_closed = true;
    m_sink.onClose(m_dir, CloseReason::Fin, m_finInfo);
    releaseBuffers();
}

void TcpReassembler::noteLateData(TcpNotice notice, std::uint64_t length, const SegmentInfo& info) {
    if (m_lateDataReported)
        return;
    m_lateDataReported = true;
    m_sink.onNotice(m_dir, notice, info, m_fin.value_or(m_next), length);
}

void TcpReassembler::releaseBuffers() {
    m_held.clear();
    m_heldBytes = 0;
    std::vector<std::uint8_t>().swap(m_history);
    m_pieces.reset();
    forgetHistory();
}

void TcpReassembler::forgetHistory() {
    m_historyLength = 0;
    m_pieceHead = 0;
    m_pieceCount = 0;
    m_pieceBytes = 0;
}

void TcpReassembler::remember(Bytes bytes) {
    // Called before m_next moves: `bytes` starts at m_next.
    const std::size_t cap = m_limits.retransmitCheckBytes;
    if (cap == 0 || bytes.empty())
        return;
    if (!m_pieces)
        m_pieces = std::make_unique<Piece[]>(m_pieceCapacity);
    const bool reference = m_stable && bytes.size() >= m_refMin &&
                           bytes.data() >= m_stable->data() &&
                           bytes.data() + bytes.size() <= m_stable->data() + m_stable->size();
    if (!reference)
        copyToRing(bytes);
    m_pieceBytes += bytes.size();
    m_historyLength = std::min<std::uint64_t>(m_historyLength + bytes.size(), cap);
    if (!reference && m_pieceCount > 0 && !piece(m_pieceCount - 1).data) {
        piece(m_pieceCount - 1).size += bytes.size(); // continues the copied run
    } else {
        if (m_pieceCount == m_pieceCapacity) {
            // Not reached while the runs after the oldest cover the window (see m_refMin);
            // if it were, the window would shrink, never read wrong bytes.
            m_pieceBytes -= piece(0).size;
            m_pieceHead = (m_pieceHead + 1) & (m_pieceCapacity - 1);
            --m_pieceCount;
            m_historyLength = std::min(m_historyLength, m_pieceBytes);
        }
        piece(m_pieceCount++) = {reference ? bytes.data() : nullptr, bytes.size()};
    }
    while (m_pieceCount > 1 && m_pieceBytes - piece(0).size >= cap) {
        m_pieceBytes -= piece(0).size;
        m_pieceHead = (m_pieceHead + 1) & (m_pieceCapacity - 1);
        --m_pieceCount;
    }
}

void TcpReassembler::copyToRing(Bytes bytes) {
    // Called before m_next moves: `bytes` starts at m_next. Copied bytes anywhere in the
    // window need their own slot, so the ring grows (by doubling from 256, up to the limit)
    // with the window, not with the copied bytes alone.
    const std::size_t cap = m_limits.retransmitCheckBytes;
    if (m_history.size() < cap) {
        std::size_t size = std::max<std::size_t>(m_history.size(), 256);
        while (size < cap && size < m_historyLength + bytes.size())
            size *= 2;
        size = std::min(size, cap);
        if (size != m_history.size()) {
            std::vector<std::uint8_t> grown(size);
            // The copied runs inside the window move to their slots in the bigger ring.
            const std::size_t oldSize = m_history.size();
            const std::uint64_t known = m_next - m_historyLength;
            std::uint64_t end = m_next;
            for (std::size_t i = m_pieceCount; i-- > 0 && end > known;) {
                const std::uint64_t start = end - piece(i).size;
                if (!piece(i).data) {
                    for (std::uint64_t o = std::max(start, known); o < end;) {
                        const std::size_t from = static_cast<std::size_t>(o % oldSize);
                        const std::size_t to = static_cast<std::size_t>(o % size);
                        const std::size_t n = static_cast<std::size_t>(
                            std::min<std::uint64_t>({end - o, oldSize - from, size - to}));
                        std::memcpy(grown.data() + to, m_history.data() + from, n);
                        o += n;
                    }
                }
                end = start;
            }
            m_history.swap(grown);
        }
    }
    const std::size_t ring = m_history.size();
    const std::size_t keep = std::min(bytes.size(), ring);
    const Bytes tail = bytes.last(keep);
    const std::uint64_t offset = m_next + bytes.size() - keep;
    std::size_t done = 0;
    while (done < keep) {
        const std::size_t at = (offset + done) % ring;
        const std::size_t n = std::min(keep - done, ring - at);
        std::memcpy(m_history.data() + at, tail.data() + done, n);
        done += n;
    }
}

} // namespace wst
