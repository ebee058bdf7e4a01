// SPDX-License-Identifier: MIT
#include "capture/tcp/flow_table.h"

#include "capture/tcp/siphash.h"
#include "capture/tcp/tcp_reassembler.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <deque>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace wst {

namespace {

/// How long a connection whose both directions ended (FIN/FIN or RST) stays in the table:
/// its late ACKs and retransmitted FINs still belong to it, data after a RST is reported, and a
/// SYN in that time is reported as SynAfterClose. Capture time, so replays are deterministic.
/// The value is Zeek's tcp_close_delay.
constexpr std::int64_t CloseLingerNs = 5'000'000'000;

/// Both endpoints in a fixed order, so either direction finds the same entry. Stored as
/// words: building, comparing and hashing it are a few integer operations (no memcmp).
struct FlowKey {
    std::uint64_t words[5] = {}; ///< low address, high address, ports and IP version

    friend bool operator==(const FlowKey& a, const FlowKey& b) {
        return ((a.words[0] ^ b.words[0]) | (a.words[1] ^ b.words[1]) | (a.words[2] ^ b.words[2]) |
                (a.words[3] ^ b.words[3]) | (a.words[4] ^ b.words[4])) == 0;
    }
};

struct EndpointWords {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    std::uint64_t rest = 0; ///< port and IP version
};

EndpointWords wordsOf(const Endpoint& e) {
    EndpointWords w;
    std::memcpy(&w.hi, e.address.bytes.data(), 8);
    std::memcpy(&w.lo, e.address.bytes.data() + 8, 8);
    w.rest = std::uint64_t{e.port} | (std::uint64_t{e.address.v6} << 16);
    return w;
}

FlowKey makeKey(const Endpoint& a, const Endpoint& b) {
    // Any fixed total order of the two endpoints gives one key for both directions.
    const EndpointWords x = wordsOf(a);
    const EndpointWords y = wordsOf(b);
    const bool swap = y.hi != x.hi ? y.hi < x.hi : y.lo != x.lo ? y.lo < x.lo : y.rest < x.rest;
    const EndpointWords& low = swap ? y : x;
    const EndpointWords& high = swap ? x : y;
    FlowKey k;
    k.words[0] = low.hi;
    k.words[1] = low.lo;
    k.words[2] = high.hi;
    k.words[3] = high.lo;
    k.words[4] = low.rest | (high.rest << 32);
    return k;
}

constexpr std::uint32_t kNoEntry = 0xffffffff;

/// The index's hash: SipHash-2-4 (capture/tcp/siphash.h) under a key drawn from
/// std::random_device for each table. A fixed hash can be inverted: IPv6 keys that all land
/// in one probe run are then computable, and 100 000 such SYNs took more than 5 minutes of
/// linear probing instead of 1.5 s (issue 21, docs/limits.md "Hash flooding"). The hash never
/// decides any output (connections are numbered and flushed in order of appearance), so the
/// random key leaves the output deterministic.
class FlowKeyHash {
public:
    FlowKeyHash() {
        std::random_device seed;
        const auto draw = [&seed] { return (std::uint64_t{seed()} << 32) ^ std::uint64_t{seed()}; };
        m_k0 = draw();
        m_k1 = draw();
    }
    std::uint64_t operator()(const FlowKey& k) const noexcept {
        return sipHash24(m_k0, m_k1, k.words, std::size(k.words));
    }

private:
    std::uint64_t m_k0 = 0;
    std::uint64_t m_k1 = 0;
};

/// The service side when no SYN was seen (documented in flow_table.h).
bool firstIsServer(const Endpoint& first, const Endpoint& second) {
    const bool firstWellKnown = first.port < 1024;
    const bool secondWellKnown = second.port < 1024;
    if (firstWellKnown != secondWellKnown)
        return firstWellKnown;
    return first.port < second.port;
}

/// A SYN with a new ISN seen inside a synchronized connection (SynInConnection): kept until the
/// peer accepts it with a SYN-ACK, which proves the old connection had ended.
struct PendingSyn {
    TcpSegment segment; ///< header fields only (no payload)
    SegmentInfo info;
    Direction dir;
};

/// FlowEntry::synScale before that side's SYN was seen.
constexpr std::int8_t kNoSyn = -2;

/// The window a segment advertises, in bytes, with the sender's shift. SYNs carry an unscaled
/// window (RFC 7323 §2.2) that says nothing about later ones: none.
std::optional<std::uint64_t> windowBytes(const TcpSegment& seg, int shift) {
    if ((seg.flags & tcpflag::Syn) != 0)
        return std::nullopt;
    return std::uint64_t{seg.window} << shift;
}

/// One tracked connection. (In the anonymous namespace: wst::Connection is the trace model's.)
struct FlowEntry {
    FlowEntry(ConnId connId, const FlowKey& flowKey, std::uint64_t flowHash, StreamSink& streamSink,
              const Limits& limits, const Bytes* stable)
        : id(connId)
        , key(flowKey)
        , hash(flowHash)
        , sink(&streamSink)
        , dirs{TcpReassembler(Direction::ClientToServer, streamSink, limits, stable),
               TcpReassembler(Direction::ServerToClient, streamSink, limits, stable)} {}

    ConnId id;
    FlowKey key;
    std::uint64_t hash;
    StreamSink* sink;
    Endpoint client;
    TcpReassembler dirs[2];
    SegmentInfo last;
    bool closing = false; ///< both directions ended; lingering (CloseLingerNs)
    bool resetBy[2] = {false, false};
    bool zeroWindow[2] = {false, false};
    bool spoke[2] = {false, false}; ///< a segment seen from each side: synchronized
    /// Each side's SYN window scale option (TcpSegment::windowScale), kNoSyn before its SYN.
    std::int8_t synScale[2] = {kNoSyn, kNoSyn};

    /// The shift of the windows side `d` advertises (RFC 7323 §2.2, §2.3): its SYN's option if
    /// both SYNs carried one (at most 14), 0 if either SYN had none, and 14, the largest, while
    /// a SYN is missing, so that an out-of-window verdict holds for any scale.
    int windowShift(Direction d) const {
        if (synScale[0] == kNoSyn || synScale[1] == kNoSyn)
            return 14;
        if (synScale[0] < 0 || synScale[1] < 0)
            return 0;
        return std::min<int>(synScale[index(d)], 14);
    }
    std::unique_ptr<PendingSyn> pendingSyn;
    std::uint32_t newer = kNoEntry; ///< LRU neighbours (entry indices)
    std::uint32_t older = kNoEntry;
};

/// Entry indices by key hash: open addressing with linear probing over a power-of-two array
/// kept at most half full, deletion by backward shift (no tombstones). A lookup reads one or
/// two adjacent slots and then the one entry it finds; std::unordered_map instead walks a
/// global node list and touches the next connection's node too.
class FlowIndex {
public:
    explicit FlowIndex(std::size_t expected) { rehash(std::max<std::size_t>(expected * 2, 64)); }

    std::size_t size() const { return m_size; }

    /// The entry whose hash is `hash` and for which `matches(entry)` holds, or kNoEntry.
    template <typename Matches>
    std::uint32_t find(std::uint64_t hash, Matches&& matches) const {
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.entry == kNoEntry)
                return kNoEntry;
            if (s.hash == hash && matches(s.entry))
                return s.entry;
        }
    }

    void insert(std::uint64_t hash, std::uint32_t entry) {
        if ((m_size + 1) * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
        place(hash, entry);
        ++m_size;
    }

    void erase(std::uint64_t hash, std::uint32_t entry) {
        std::size_t i = hash & m_mask;
        while (m_slots[i].entry != entry)
            i = (i + 1) & m_mask;
        // Backward shift: move later members of the probe run into the hole when their home
        // slot does not lie cyclically in (hole, position].
        std::size_t hole = i;
        for (std::size_t j = (i + 1) & m_mask; m_slots[j].entry != kNoEntry; j = (j + 1) & m_mask) {
            const std::size_t home = m_slots[j].hash & m_mask;
            const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                m_slots[hole] = m_slots[j];
                hole = j;
            }
        }
        m_slots[hole] = Slot{};
        --m_size;
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint32_t entry = kNoEntry;
    };

    void place(std::uint64_t hash, std::uint32_t entry) {
        std::size_t i = hash & m_mask;
        while (m_slots[i].entry != kNoEntry)
            i = (i + 1) & m_mask;
        m_slots[i] = Slot{hash, entry};
    }

    void rehash(std::size_t capacity) {
        std::vector<Slot> old = std::move(m_slots);
        m_slots.assign(std::bit_ceil(capacity), Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old)
            if (s.entry != kNoEntry)
                place(s.hash, s.entry);
    }

    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

} // namespace

struct FlowTable::Impl {
    FlowObserver& observer;
    const Limits& limits;
    const Bytes stable; ///< packet memory that stays readable (PacketSource::stableMemory())
    /// Entries by index; ended ones are freed and their index reused (freeEntries).
    std::vector<std::unique_ptr<FlowEntry>> entries;
    std::vector<std::uint32_t> freeEntries;
    FlowKeyHash hashOf;
    FlowIndex index;
    std::uint32_t newest = kNoEntry; ///< LRU list ends: most and least recently active
    std::uint32_t oldest = kNoEntry;
    struct Lingering {
        Timestamp since;
        FlowKey key;
        ConnId id;
    };
    std::deque<Lingering> lingering;
    std::size_t closingCount = 0;
    ConnId lastId = 0;
    /// The entry of the previous packet: consecutive packets mostly belong to one connection.
    std::uint32_t cached = kNoEntry;
    /// Set while a held SYN (PendingSyn) opens the connection it turned out to start.
    bool reopening = false;

    Impl(FlowObserver& o, const Limits& l, Bytes stableMemory)
        : observer(o)
        , limits(l)
        , stable(stableMemory)
        , index(std::min<std::size_t>(limits.maxConnections, 4096)) {}

    FlowEntry& at(std::uint32_t e) { return *entries[e]; }

    std::uint32_t find(const FlowKey& key, std::uint64_t hash) const {
        return index.find(hash, [&](std::uint32_t e) { return entries[e]->key == key; });
    }

    void unlink(FlowEntry& c) {
        (c.newer == kNoEntry ? newest : at(c.newer).older) = c.older;
        (c.older == kNoEntry ? oldest : at(c.older).newer) = c.newer;
        c.newer = c.older = kNoEntry;
    }

    void makeNewest(std::uint32_t e) {
        FlowEntry& c = at(e);
        if (newest == e)
            return;
        if (c.newer != kNoEntry || c.older != kNoEntry || oldest == e)
            unlink(c);
        c.older = newest;
        if (newest != kNoEntry)
            at(newest).newer = e;
        newest = e;
        if (oldest == kNoEntry)
            oldest = e;
    }

    void end(std::uint32_t e, CloseReason reason) {
        FlowEntry& c = at(e);
        c.dirs[0].close(reason, c.last);
        c.dirs[1].close(reason, c.last);
        const ConnId id = c.id;
        const SegmentInfo last = c.last;
        if (c.closing)
            --closingCount;
        unlink(c);
        index.erase(c.hash, e);
        entries[e].reset();
        freeEntries.push_back(e);
        if (cached == e)
            cached = kNoEntry;
        observer.onConnectionEnd(id, last);
    }

    void startClosing(std::uint32_t e) {
        FlowEntry& c = at(e);
        if (c.closing)
            return;
        c.closing = true;
        ++closingCount;
        c.dirs[0].releaseBuffers();
        c.dirs[1].releaseBuffers();
        lingering.push_back({c.last.time, c.key, c.id});
    }

    void expireLingering(Timestamp now) {
        while (!lingering.empty() && now - lingering.front().since > CloseLingerNs) {
            const Lingering l = lingering.front();
            lingering.pop_front();
            const std::uint32_t e = find(l.key, hashOf(l.key));
            if (e != kNoEntry && at(e).id == l.id && at(e).closing)
                end(e, CloseReason::EndOfCapture);
        }
    }

    std::uint32_t open(const TcpSegment& seg, const SegmentInfo& info, const FlowKey& key,
                       std::uint64_t hash, bool synAfterClose) {
        if (index.size() >= limits.maxConnections && oldest != kNoEntry)
            end(oldest, CloseReason::Timeout);
        const bool syn = (seg.flags & tcpflag::Syn) != 0;
        const bool ack = (seg.flags & tcpflag::Ack) != 0;
        bool sourceIsClient = true;
        if (syn)
            sourceIsClient = !ack; // SYN from the client, SYN-ACK from the server
        else if (seg.source.port != seg.destination.port)
            sourceIsClient = firstIsServer(seg.destination, seg.source);

        ConnectionInfo ci;
        ci.id = ++lastId;
        ci.client = sourceIsClient ? seg.source : seg.destination;
        ci.server = sourceIsClient ? seg.destination : seg.source;
        ci.sawSyn = syn;
        ci.first = info;
        StreamSink& sink = observer.onConnectionStart(ci);
        std::uint32_t e;
        if (freeEntries.empty()) {
            e = static_cast<std::uint32_t>(entries.size());
            entries.emplace_back();
        } else {
            e = freeEntries.back();
            freeEntries.pop_back();
        }
        entries[e] = std::make_unique<FlowEntry>(ci.id, key, hash, sink, limits,
                                                 stable.empty() ? nullptr : &stable);
        index.insert(hash, e);
        FlowEntry& c = at(e);
        c.client = ci.client;
        makeNewest(e);
        const Direction dir =
            sourceIsClient ? Direction::ClientToServer : Direction::ServerToClient;
        if (synAfterClose)
            sink.onNotice(dir, TcpNotice::SynAfterClose, info, 0, 0);
        if (!syn)
            sink.onNotice(dir, TcpNotice::PartialConnection, info, 0, 0);
        return e;
    }
};

FlowTable::FlowTable(FlowObserver& observer, const Limits& limits, Bytes stableMemory)
    : m_impl(std::make_unique<Impl>(observer, limits, stableMemory)) {}

FlowTable::~FlowTable() = default;

void FlowTable::onSegment(const TcpSegment& seg, const SegmentInfo& info) {
    Impl& d = *m_impl;
    d.expireLingering(info.time);
    const bool syn = (seg.flags & tcpflag::Syn) != 0;
    const bool ack = (seg.flags & tcpflag::Ack) != 0;
    const bool rst = (seg.flags & tcpflag::Rst) != 0;
    const bool fin = (seg.flags & tcpflag::Fin) != 0;

    const FlowKey key = makeKey(seg.source, seg.destination);
    std::uint64_t hash = 0;
    std::uint32_t e = kNoEntry;
    if (d.cached != kNoEntry && d.at(d.cached).key == key) {
        e = d.cached;
        hash = d.at(e).hash;
    } else {
        hash = d.hashOf(key);
        e = d.find(key, hash);
        d.cached = e;
    }
    bool synAfterClose = false;
    if (e != kNoEntry) {
        FlowEntry& c = d.at(e);
        const Direction dir =
            seg.source == c.client ? Direction::ClientToServer : Direction::ServerToClient;
        TcpReassembler& r = c.dirs[index(dir)];
        const bool otherIsn = syn && r.startKnown() && r.startSeq() != seg.seq + 1;
        if (syn && ack && !rst && !c.closing && c.pendingSyn && c.pendingSyn->dir != dir &&
            seg.ack == c.pendingSyn->segment.seq + 1) {
            // The peer accepted the held SYN: the old connection had ended without the capture
            // showing it. It ends now, and the SYN opens the new one, then this SYN-ACK.
            const PendingSyn held = *c.pendingSyn;
            d.end(e, CloseReason::Timeout);
            d.reopening = true;
            onSegment(held.segment, held.info);
            d.reopening = false;
            onSegment(seg, info);
            return;
        }
        if (otherIsn && !rst && !c.closing && c.spoke[0] && c.spoke[1]) {
            // RFC 5961 §4, RFC 9293 §3.10.7.4: in a synchronized state a SYN (or a SYN-ACK with
            // another ISN) is answered with a challenge ACK, not taken as a new connection. It
            // is reported and ignored, so that an injected SYN cannot split the connection.
            c.sink->onSegment(dir, seg, info);
            c.last = info;
            d.makeNewest(e);
            c.sink->onNotice(dir, TcpNotice::SynInConnection, info, r.nextOffset(), seg.seq);
            if (!ack) {
                c.pendingSyn = std::make_unique<PendingSyn>(PendingSyn{seg, info, dir});
                c.pendingSyn->segment.payload = {};
                c.pendingSyn->segment.payloadLengthOnWire = 0;
            }
            return;
        }
        // A SYN with a new initial sequence number reuses the 4-tuple for a new connection
        // (RFC 9293 §3.10.7.4 TIME-WAIT reuse) once the old one ended, or while only one side
        // had spoken (a connection attempt given up); a retransmitted SYN has the same ISN.
        const bool newSyn = syn && !ack && !rst && (c.closing || otherIsn);
        if (newSyn) {
            synAfterClose = true;
            d.end(e, CloseReason::Timeout);
            e = kNoEntry;
        } else if (c.closing) {
            // Late packets of a finished connection: counted, and data reported.
            c.sink->onSegment(dir, seg, info);
            c.last = info;
            if (seg.payloadLengthOnWire > 0 && c.resetBy[index(dir)])
                r.noteLateData(TcpNotice::DataAfterRst, seg.payloadLengthOnWire, info);
            else if (!rst)
                r.onSegment(syn ? seg.seq + 1 : seg.seq, seg.payload, seg.payloadLengthOnWire, fin,
                            info);
            return;
        }
    }
    if (e == kNoEntry) {
        e = d.open(seg, info, key, hash, synAfterClose || d.reopening);
        d.cached = e;
    }

    FlowEntry& c = d.at(e);
    const Direction dir =
        seg.source == c.client ? Direction::ClientToServer : Direction::ServerToClient;
    const Direction peer = opposite(dir);
    c.last = info;
    d.makeNewest(e);
    c.sink->onSegment(dir, seg, info);
    c.spoke[index(dir)] = true;

    if (syn) {
        c.synScale[index(dir)] = seg.windowScale;
        c.sink->onSyn(dir, ack, info);
        c.dirs[index(dir)].onSyn(seg.seq);
        if (ack) // the SYN-ACK acknowledges the client's ISN + 1: the client's offset 0
            c.dirs[index(peer)].setStartIfUnknown(seg.ack);
    }
    if (rst) {
        // RFC 5961 §3.2: a RST outside the receive window is dropped. It is reported and
        // ignored, so that an injected RST cannot end the analysis of the connection.
        const TcpReassembler::WindowPlace place = c.dirs[index(dir)].inWindow(seg.seq);
        if (!place.inside) {
            c.sink->onNotice(dir, TcpNotice::RstOutOfWindow, info, place.next,
                             static_cast<std::uint64_t>(place.distance));
            return;
        }
        // RFC 9293 §3.10.7: a RST ends the connection in both directions; bytes still held
        // are delivered with their holes as gaps first. Payload in a RST is diagnostic text,
        // not stream data (§3.5.3).
        c.resetBy[index(dir)] = true;
        c.dirs[index(dir)].close(CloseReason::Rst, info);
        c.dirs[index(peer)].close(CloseReason::PeerReset, info);
        d.startClosing(e);
        return;
    }
    if (ack && !syn) {
        // Report the transition to a zero window, not every zero-window ACK.
        const bool zero = seg.window == 0;
        if (zero && !c.zeroWindow[index(dir)])
            c.sink->onNotice(dir, TcpNotice::ZeroWindow, info, c.dirs[index(peer)].nextOffset(), 0);
        c.zeroWindow[index(dir)] = zero;
    }
    c.dirs[index(dir)].onSegment(syn ? seg.seq + 1 : seg.seq, seg.payload, seg.payloadLengthOnWire,
                                 fin, info);
    if (ack)
        c.dirs[index(peer)].onPeerAck(seg.ack, info, windowBytes(seg, c.windowShift(dir)));
    if (c.dirs[0].isClosed() && c.dirs[1].isClosed())
        d.startClosing(e);
}

void FlowTable::expireIdle(Timestamp now) {
    Impl& d = *m_impl;
    d.expireLingering(now);
    while (d.oldest != kNoEntry) {
        const FlowEntry& c = d.at(d.oldest);
        if (now - c.last.time <= d.limits.idleTimeoutNs)
            break;
        d.end(d.oldest, c.closing ? CloseReason::EndOfCapture : CloseReason::Timeout);
    }
}

void FlowTable::finish(const SegmentInfo& last) {
    (void)last; // each connection is flushed with its own last packet
    Impl& d = *m_impl;
    std::vector<std::pair<ConnId, std::uint32_t>> order;
    order.reserve(d.index.size());
    for (std::uint32_t e = 0; e < d.entries.size(); ++e)
        if (d.entries[e])
            order.emplace_back(d.entries[e]->id, e);
    std::sort(order.begin(), order.end());
    for (const auto& [id, e] : order)
        d.end(e, CloseReason::EndOfCapture);
    d.lingering.clear();
}

std::size_t FlowTable::openConnections() const {
    return m_impl->index.size() - m_impl->closingCount;
}

} // namespace wst
