// SPDX-License-Identifier: MIT
#include "flow_table.h"

#include "tcp_reassembler.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <list>
#include <unordered_map>
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

struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept {
        // splitmix64 finaliser per word: every input bit reaches every output bit.
        std::uint64_t h = 0x9e3779b97f4a7c15ull;
        for (std::uint64_t w : k.words) {
            h ^= w;
            h *= 0xbf58476d1ce4e5b9ull;
            h ^= h >> 31;
            h *= 0x94d049bb133111ebull;
            h ^= h >> 29;
        }
        return static_cast<std::size_t>(h);
    }
};

/// The service side when no SYN was seen (documented in flow_table.h).
bool firstIsServer(const Endpoint& first, const Endpoint& second) {
    const bool firstWellKnown = first.port < 1024;
    const bool secondWellKnown = second.port < 1024;
    if (firstWellKnown != secondWellKnown)
        return firstWellKnown;
    return first.port < second.port;
}

/// One tracked connection. (In the anonymous namespace: wst::Connection is the trace model's.)
struct FlowEntry {
    FlowEntry(ConnId connId, StreamSink& streamSink, const Limits& limits)
        : id(connId)
        , sink(&streamSink)
        , dirs{TcpReassembler(Direction::ClientToServer, streamSink, limits),
               TcpReassembler(Direction::ServerToClient, streamSink, limits)} {}

    ConnId id;
    StreamSink* sink;
    Endpoint client;
    TcpReassembler dirs[2];
    SegmentInfo last;
    bool closing = false; ///< both directions ended; lingering (CloseLingerNs)
    bool resetBy[2] = {false, false};
    bool zeroWindow[2] = {false, false};
    std::list<FlowKey>::iterator lru;
};

} // namespace

struct FlowTable::Impl {
    FlowObserver& observer;
    const Limits& limits;
    std::unordered_map<FlowKey, FlowEntry, FlowKeyHash> conns;
    std::list<FlowKey> lru; ///< most recently active first
    struct Lingering {
        Timestamp since;
        FlowKey key;
        ConnId id;
    };
    std::deque<Lingering> lingering;
    std::size_t closingCount = 0;
    ConnId lastId = 0;
    /// The entry of the previous packet: consecutive packets mostly belong to one connection.
    /// Cleared whenever an entry is erased (an insert may rehash, so open() refreshes it).
    bool cached = false;
    FlowKey cachedKey;
    std::unordered_map<FlowKey, FlowEntry, FlowKeyHash>::iterator cachedIt;

    using Iter = std::unordered_map<FlowKey, FlowEntry, FlowKeyHash>::iterator;

    Impl(FlowObserver& o, const Limits& l)
        : observer(o)
        , limits(l) {
        conns.reserve(std::min<std::size_t>(limits.maxConnections, 4096));
    }

    void end(Iter it, CloseReason reason) {
        FlowEntry& c = it->second;
        c.dirs[0].close(reason, c.last);
        c.dirs[1].close(reason, c.last);
        const ConnId id = c.id;
        const SegmentInfo last = c.last;
        if (c.closing)
            --closingCount;
        lru.erase(c.lru);
        conns.erase(it);
        cached = false;
        observer.onConnectionEnd(id, last);
    }

    void startClosing(Iter it) {
        FlowEntry& c = it->second;
        if (c.closing)
            return;
        c.closing = true;
        ++closingCount;
        c.dirs[0].releaseBuffers();
        c.dirs[1].releaseBuffers();
        lingering.push_back({c.last.time, it->first, c.id});
    }

    void expireLingering(Timestamp now) {
        while (!lingering.empty() && now - lingering.front().since > CloseLingerNs) {
            const Lingering l = lingering.front();
            lingering.pop_front();
            auto it = conns.find(l.key);
            if (it != conns.end() && it->second.id == l.id && it->second.closing)
                end(it, CloseReason::EndOfCapture);
        }
    }

    Iter open(const TcpSegment& seg, const SegmentInfo& info, bool synAfterClose) {
        if (conns.size() >= limits.maxConnections && !lru.empty())
            end(conns.find(lru.back()), CloseReason::Timeout);
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
        const FlowKey key = makeKey(seg.source, seg.destination);
        auto [it, inserted] = conns.try_emplace(key, ci.id, sink, limits);
        FlowEntry& c = it->second;
        c.client = ci.client;
        lru.push_front(key);
        c.lru = lru.begin();
        const Direction dir =
            sourceIsClient ? Direction::ClientToServer : Direction::ServerToClient;
        if (synAfterClose)
            sink.onNotice(dir, TcpNotice::SynAfterClose, info, 0, 0);
        if (!syn)
            sink.onNotice(dir, TcpNotice::PartialConnection, info, 0, 0);
        return it;
    }
};

FlowTable::FlowTable(FlowObserver& observer, const Limits& limits)
    : m_impl(std::make_unique<Impl>(observer, limits)) {}

FlowTable::~FlowTable() = default;

void FlowTable::onSegment(const TcpSegment& seg, const SegmentInfo& info) {
    Impl& d = *m_impl;
    d.expireLingering(info.time);
    const bool syn = (seg.flags & tcpflag::Syn) != 0;
    const bool ack = (seg.flags & tcpflag::Ack) != 0;
    const bool rst = (seg.flags & tcpflag::Rst) != 0;
    const bool fin = (seg.flags & tcpflag::Fin) != 0;

    const FlowKey key = makeKey(seg.source, seg.destination);
    Impl::Iter it;
    if (d.cached && d.cachedKey == key) {
        it = d.cachedIt;
    } else {
        it = d.conns.find(key);
        d.cached = it != d.conns.end();
        d.cachedKey = key;
        d.cachedIt = it;
    }
    bool synAfterClose = false;
    if (it != d.conns.end()) {
        FlowEntry& c = it->second;
        const Direction dir =
            seg.source == c.client ? Direction::ClientToServer : Direction::ServerToClient;
        TcpReassembler& r = c.dirs[index(dir)];
        // A SYN with a new initial sequence number reuses the 4-tuple for a new connection
        // (RFC 9293 §3.10.7.4 TIME-WAIT reuse); a retransmitted SYN has the same ISN.
        const bool newSyn =
            syn && !ack && !rst && (c.closing || (r.startKnown() && r.startSeq() != seg.seq + 1));
        if (newSyn) {
            synAfterClose = true;
            d.end(it, CloseReason::Timeout);
            it = d.conns.end();
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
    if (it == d.conns.end()) {
        it = d.open(seg, info, synAfterClose);
        d.cached = true;
        d.cachedKey = key;
        d.cachedIt = it;
    }

    FlowEntry& c = it->second;
    const Direction dir =
        seg.source == c.client ? Direction::ClientToServer : Direction::ServerToClient;
    const Direction peer = opposite(dir);
    c.last = info;
    if (c.lru != d.lru.begin())
        d.lru.splice(d.lru.begin(), d.lru, c.lru);
    c.sink->onSegment(dir, seg, info);

    if (syn) {
        c.sink->onSyn(dir, ack, info);
        c.dirs[index(dir)].onSyn(seg.seq);
        if (ack) // the SYN-ACK acknowledges the client's ISN + 1: the client's offset 0
            c.dirs[index(peer)].setStartIfUnknown(seg.ack);
    }
    if (rst) {
        // RFC 9293 §3.10.7: a RST ends the connection in both directions; bytes still held
        // are delivered with their holes as gaps first. Payload in a RST is diagnostic text,
        // not stream data (§3.5.3).
        c.resetBy[index(dir)] = true;
        c.dirs[index(dir)].close(CloseReason::Rst, info);
        c.dirs[index(peer)].close(CloseReason::PeerReset, info);
        d.startClosing(it);
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
        c.dirs[index(peer)].onPeerAck(seg.ack, info);
    if (c.dirs[0].isClosed() && c.dirs[1].isClosed())
        d.startClosing(it);
}

void FlowTable::expireIdle(Timestamp now) {
    Impl& d = *m_impl;
    d.expireLingering(now);
    while (!d.lru.empty()) {
        auto it = d.conns.find(d.lru.back());
        if (now - it->second.last.time <= d.limits.idleTimeoutNs)
            break;
        d.end(it, it->second.closing ? CloseReason::EndOfCapture : CloseReason::Timeout);
    }
}

void FlowTable::finish(const SegmentInfo& last) {
    (void)last; // each connection is flushed with its own last packet
    Impl& d = *m_impl;
    std::vector<std::pair<ConnId, FlowKey>> order;
    order.reserve(d.conns.size());
    for (const auto& [key, c] : d.conns)
        order.emplace_back(c.id, key);
    std::sort(order.begin(), order.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [id, key] : order)
        d.end(d.conns.find(key), CloseReason::EndOfCapture);
    d.lingering.clear();
}

std::size_t FlowTable::openConnections() const {
    return m_impl->conns.size() - m_impl->closingCount;
}

} // namespace wst
