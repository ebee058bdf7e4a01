// SPDX-License-Identifier: MIT
#include "tests/gui/pcap_synth.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace wst::test {

namespace {
using Buf = std::vector<std::uint8_t>;

void put16(Buf& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put32(Buf& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
void le32(Buf& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
}

std::uint16_t ipChecksum(const std::uint8_t* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

enum : std::uint8_t { Fin = 1, Syn = 2, Psh = 8, Ack = 16 };

struct Writer {
    std::FILE* f;
    long long packets = 0;

    void packet(std::int64_t us, std::uint32_t src, std::uint32_t dst, std::uint16_t sport,
                std::uint16_t dport, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                const Buf& payload) {
        Buf frame;
        // Ethernet II
        for (std::uint8_t m : {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}) {
            frame.push_back(m);
        }
        put16(frame, 0x0800);
        // IPv4
        const std::size_t ip = frame.size();
        frame.push_back(0x45);
        frame.push_back(0);
        put16(frame, static_cast<std::uint16_t>(20 + 20 + payload.size()));
        put16(frame, static_cast<std::uint16_t>(packets));
        put16(frame, 0x4000);
        frame.push_back(64);
        frame.push_back(6);
        put16(frame, 0);
        put32(frame, src);
        put32(frame, dst);
        const std::uint16_t sum = ipChecksum(frame.data() + ip, 20);
        frame[ip + 10] = static_cast<std::uint8_t>(sum >> 8);
        frame[ip + 11] = static_cast<std::uint8_t>(sum);
        // TCP (checksum left 0: capture offload does the same)
        put16(frame, sport);
        put16(frame, dport);
        put32(frame, seq);
        put32(frame, ack);
        frame.push_back(0x50);
        frame.push_back(flags);
        put16(frame, 65535);
        put16(frame, 0);
        put16(frame, 0);
        frame.insert(frame.end(), payload.begin(), payload.end());
        Buf rec;
        le32(rec, static_cast<std::uint32_t>(us / 1'000'000));
        le32(rec, static_cast<std::uint32_t>(us % 1'000'000));
        le32(rec, static_cast<std::uint32_t>(frame.size()));
        le32(rec, static_cast<std::uint32_t>(frame.size()));
        std::fwrite(rec.data(), 1, rec.size(), f);
        std::fwrite(frame.data(), 1, frame.size(), f);
        ++packets;
    }
};

Buf bytes(const std::string& s) {
    return Buf(s.begin(), s.end());
}

Buf wsFrame(std::uint8_t opcode, const Buf& payload, bool masked) {
    Buf b;
    b.push_back(static_cast<std::uint8_t>(0x80 | opcode));
    const std::uint8_t mask = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        b.push_back(static_cast<std::uint8_t>(mask | payload.size()));
    } else {
        b.push_back(mask | 126);
        put16(b, static_cast<std::uint16_t>(payload.size()));
    }
    const std::array<std::uint8_t, 4> key{0x12, 0x34, 0x56, 0x78};
    if (masked) {
        b.insert(b.end(), key.begin(), key.end());
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        b.push_back(masked ? static_cast<std::uint8_t>(payload[i] ^ key[i % 4]) : payload[i]);
    }
    return b;
}
} // namespace

long long writeSyntheticCapture(const std::string& path, const SynthOptions& o) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        return -1;
    }
    Buf header;
    le32(header, 0xa1b2c3d4);
    header.push_back(2);
    header.push_back(0);
    header.push_back(4);
    header.push_back(0);
    le32(header, 0);
    le32(header, 0);
    le32(header, 262144);
    le32(header, 1); // Ethernet
    std::fwrite(header.data(), 1, header.size(), f);
    Writer w{f};
    const std::uint32_t server = 0x0a010001; // 10.1.0.1
    // RFC 6455 §1.3 sample key and accept.
    const std::string request =
        "GET /feed HTTP/1.1\r\nHost: load.test:8080\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\nUser-Agent: k6/0.47\r\n\r\n";
    const std::string response =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const std::int64_t base = 1'700'000'000'000'000;
    // Connections are written one after the other (file order = time order within each).
    for (int i = 0; i < o.connections; ++i) {
        const std::uint32_t client = 0x0a000000u | static_cast<std::uint32_t>(2 + i / 60000);
        const auto port = static_cast<std::uint16_t>(1024 + i % 60000);
        std::int64_t t = base + i * o.spacingUs;
        std::uint32_t cs = 1000, ss = 5000;
        auto c2s = [&](std::uint8_t flags, const Buf& p) {
            w.packet(t, client, server, port, 8080, cs, ss, flags, p);
            cs += static_cast<std::uint32_t>(p.size()) + ((flags & (Syn | Fin)) ? 1 : 0);
            t += 50;
        };
        auto s2c = [&](std::uint8_t flags, const Buf& p) {
            w.packet(t, server, client, 8080, port, ss, cs, flags, p);
            ss += static_cast<std::uint32_t>(p.size()) + ((flags & (Syn | Fin)) ? 1 : 0);
            t += 50;
        };
        c2s(Syn, {});
        s2c(Syn | Ack, {});
        c2s(Ack, {});
        c2s(Psh | Ack, bytes(request));
        s2c(Psh | Ack, bytes(response));
        for (int m = 0; m < o.messages; ++m) {
            const std::string text =
                "{\"seq\":" + std::to_string(m) + ",\"conn\":" + std::to_string(i) + "}";
            c2s(Psh | Ack, wsFrame(0x1, bytes(text), true));
            s2c(Psh | Ack, wsFrame(0x1, bytes(text), false));
        }
        c2s(Psh | Ack, wsFrame(0x8, Buf{0x03, 0xe8}, true));
        s2c(Psh | Ack, wsFrame(0x8, Buf{0x03, 0xe8}, false));
        s2c(Fin | Ack, {});
        c2s(Fin | Ack, {});
        s2c(Ack, {});
    }
    const bool ok = std::fclose(f) == 0;
    return ok ? w.packets : -1;
}

} // namespace wst::test
