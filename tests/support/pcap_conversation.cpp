// SPDX-License-Identifier: MIT
#include "tests/support/pcap_conversation.h"

#include "tests/support/http_heads.h"
#include "tests/support/ws_frames.h"

#include <fmt/format.h>

namespace wst::test {

PcapConversation::PcapConversation(PcapOut& out, std::int64_t& clock, Ep4 client, Ep4 server,
                                   std::uint32_t clientIsn, std::uint32_t serverIsn)
    : m_out(out)
    , m_clock(clock)
    , m_ep{client, server}
    , m_isn{clientIsn, serverIsn} {}

void PcapConversation::packet(int dir, std::uint8_t flags, std::uint32_t seq,
                              std::span<const std::uint8_t> payload, const Mutator& mutate) {
    SegmentSpec s;
    s.src = m_ep[dir];
    s.dst = m_ep[1 - dir];
    s.seq = seq;
    s.ack =
        m_isn[1 - dir] + 1 + static_cast<std::uint32_t>(m_sent[1 - dir]) + (m_fin[1 - dir] ? 1 : 0);
    s.flags = flags;
    s.ipId = m_ipId[dir]++;
    s.tsVal = static_cast<std::uint32_t>(m_clock / 1'000'000);
    s.tsEcr = s.tsVal;
    s.payload = payload;
    buildFrame(s, m_frame);
    if (mutate) {
        mutate(m_frame);
    }
    m_clock += 10'000;
    m_out.write(m_clock, m_frame);
}

void PcapConversation::synOnly() {
    packet(0, tcpflag::Syn, m_isn[0], {});
}

void PcapConversation::handshake() {
    packet(0, tcpflag::Syn, m_isn[0], {});
    packet(1, tcpflag::Syn | tcpflag::Ack, m_isn[1], {});
    packet(0, tcpflag::Ack, m_isn[0] + 1, {});
}

void PcapConversation::send(int dir, std::span<const std::uint8_t> bytes, std::size_t mss,
                            const Mutator& mutate) {
    for (std::size_t off = 0; off < bytes.size();) {
        const std::size_t len = std::min(mss, bytes.size() - off);
        const bool last = off + len == bytes.size();
        packet(dir, static_cast<std::uint8_t>(tcpflag::Ack | (last ? tcpflag::Psh : 0)),
               m_isn[dir] + 1 + static_cast<std::uint32_t>(m_sent[dir]), bytes.subspan(off, len),
               mutate);
        m_sent[dir] += len;
        off += len;
        if (last) {
            packet(1 - dir, tcpflag::Ack,
                   m_isn[1 - dir] + 1 + static_cast<std::uint32_t>(m_sent[1 - dir]), {});
        }
    }
}

void PcapConversation::send(int dir, std::string_view text, std::size_t mss) {
    send(dir, bytesOf(text), mss);
}

void PcapConversation::segmentAt(int dir, std::uint64_t relOffset,
                                 std::span<const std::uint8_t> bytes) {
    packet(dir, tcpflag::Ack | tcpflag::Psh, m_isn[dir] + 1 + static_cast<std::uint32_t>(relOffset),
           bytes);
    m_sent[dir] = std::max<std::uint64_t>(m_sent[dir], relOffset + bytes.size());
}

void PcapConversation::fin(int dir) {
    packet(dir, tcpflag::Fin | tcpflag::Ack,
           m_isn[dir] + 1 + static_cast<std::uint32_t>(m_sent[dir]), {});
    m_fin[dir] = true;
}

void PcapConversation::inject(int dir, std::uint8_t flags, std::uint32_t seq,
                              std::span<const std::uint8_t> payload) {
    packet(dir, flags, seq, payload);
}

void PcapConversation::upgrade(std::string_view extensions) {
    const std::string ext =
        extensions.empty() ? "" : fmt::format("Sec-WebSocket-Extensions: {}\r\n", extensions);
    send(0, upgradeRequest(ext));
    send(1, gorilla101(ext));
}

void PcapConversation::normalSession(int messages) {
    constexpr Direction c2s = Direction::ClientToServer, s2c = Direction::ServerToClient;
    handshake();
    upgrade();
    for (int i = 0; i < messages; ++i) {
        const std::string text = fmt::format(R"({{"seq":{},"conn":{}}})", i, m_ep[0].port);
        send(0, frame(c2s, 0x1, text));
        send(1, frame(s2c, 0x1, text));
    }
    send(0, frame(c2s, 0x8, closeBody(1000)));
    send(1, frame(s2c, 0x8, closeBody(1000)));
    fin(1);
    fin(0);
}

long long writeSyntheticCapture(const std::string& path, const SynthOptions& o) {
    try {
        PcapOut out(path);
        const Ep4 server{0x0a010001, 8080}; // 10.1.0.1
        const std::int64_t base = 1'700'000'000'000'000'000;
        for (int i = 0; i < o.connections; ++i) {
            const Ep4 client{0x0a000000u | static_cast<std::uint32_t>(2 + i / 60000),
                             static_cast<std::uint16_t>(1024 + i % 60000)};
            std::int64_t clock = base + i * o.spacingUs * 1000;
            PcapConversation c(out, clock, client, server);
            c.normalSession(o.messages);
        }
        out.close();
        return static_cast<long long>(out.packets());
    } catch (const std::exception&) {
        return -1;
    }
}

} // namespace wst::test
