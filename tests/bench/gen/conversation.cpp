// SPDX-License-Identifier: MIT
#include "tests/bench/gen/conversation.h"

#include <fmt/format.h>

namespace wst::bench {

namespace {

std::span<const std::uint8_t> bytesOf(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

} // namespace

Conversation::Conversation(PcapOut& out, std::int64_t& clock, Ep4 client, Ep4 server,
                           std::uint32_t clientIsn, std::uint32_t serverIsn)
    : m_out(out)
    , m_clock(clock)
    , m_ep{client, server}
    , m_isn{clientIsn, serverIsn} {}

void Conversation::packet(int dir, std::uint8_t flags, std::uint32_t seq,
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

void Conversation::synOnly() {
    packet(0, tcpflag::Syn, m_isn[0], {});
}

void Conversation::handshake() {
    packet(0, tcpflag::Syn, m_isn[0], {});
    packet(1, tcpflag::Syn | tcpflag::Ack, m_isn[1], {});
    packet(0, tcpflag::Ack, m_isn[0] + 1, {});
}

void Conversation::send(int dir, std::span<const std::uint8_t> bytes, std::size_t mss,
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

void Conversation::send(int dir, std::string_view text, std::size_t mss) {
    send(dir, bytesOf(text), mss);
}

void Conversation::segmentAt(int dir, std::uint64_t relOffset,
                             std::span<const std::uint8_t> bytes) {
    packet(dir, tcpflag::Ack | tcpflag::Psh, m_isn[dir] + 1 + static_cast<std::uint32_t>(relOffset),
           bytes);
    m_sent[dir] = std::max<std::uint64_t>(m_sent[dir], relOffset + bytes.size());
}

void Conversation::fin(int dir) {
    packet(dir, tcpflag::Fin | tcpflag::Ack,
           m_isn[dir] + 1 + static_cast<std::uint32_t>(m_sent[dir]), {});
    m_fin[dir] = true;
}

void Conversation::upgrade(std::string_view extensions) {
    // RFC 6455 §1.3's sample key and its Accept value.
    const std::string ext =
        extensions.empty() ? "" : fmt::format("Sec-WebSocket-Extensions: {}\r\n", extensions);
    send(0, fmt::format("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Grafana "
                        "k6/0.49.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n{}\r\n",
                        ext));
    send(1, fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n{}\r\n",
                        ext));
}

void Conversation::normalSession(int messages) {
    handshake();
    upgrade();
    for (int i = 0; i < messages; ++i) {
        send(0, wsText(true, fmt::format(R"({{"n":{}}})", i)));
        send(1, wsText(false, fmt::format(R"({{"echo":{}}})", i)));
    }
    const std::uint8_t code[2] = {0x03, 0xe8}; // 1000
    send(0, wsFrame(0x88, true, code));
    send(1, wsFrame(0x88, false, code));
    fin(1);
    fin(0);
}

std::vector<std::uint8_t> wsFrame(std::uint8_t b0, bool masked,
                                  std::span<const std::uint8_t> payload, std::uint64_t announced) {
    const std::uint64_t n = announced == ~0ULL ? payload.size() : announced;
    std::vector<std::uint8_t> f{b0};
    const std::uint8_t m = masked ? 0x80 : 0;
    if (n < 126) {
        f.push_back(static_cast<std::uint8_t>(m | n));
    } else if (n <= 0xffff) {
        f.push_back(static_cast<std::uint8_t>(m | 126));
        f.push_back(static_cast<std::uint8_t>(n >> 8));
        f.push_back(static_cast<std::uint8_t>(n));
    } else {
        f.push_back(static_cast<std::uint8_t>(m | 127));
        for (int i = 7; i >= 0; --i) {
            f.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
        }
    }
    const std::uint8_t key[4] = {0x12, 0x34, 0x56, 0x78};
    if (masked) {
        f.insert(f.end(), key, key + 4);
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        f.push_back(masked ? payload[i] ^ key[i & 3] : payload[i]);
    }
    return f;
}

std::vector<std::uint8_t> wsText(bool masked, std::string_view text) {
    return wsFrame(0x81, masked, bytesOf(text));
}

} // namespace wst::bench
