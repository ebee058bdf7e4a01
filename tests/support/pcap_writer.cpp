// SPDX-License-Identifier: MIT
#include "tests/support/pcap_writer.h"

#include "tests/support/bytes.h"

#include <cstring>
#include <stdexcept>

namespace wst::test {

namespace {

std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

template <typename T>
void appendLe(std::vector<std::uint8_t>& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
}

} // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : m_s) {
        s = splitmix(seed);
    }
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

std::uint64_t Rng::range(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t span = hi - lo + 1;
    if (span == 0) {
        return next(); // the full 64-bit range
    }
    // Modulo; the bias (at most span / 2^64) is irrelevant for traffic shapes.
    return lo + next() % span;
}

bool Rng::chance(double pct) {
    return pct > 0 && static_cast<double>(next() >> 11) * 0x1.0p-53 * 100.0 < pct;
}

void Rng::fill(std::uint8_t* out, std::size_t n) {
    while (n >= 8) {
        const std::uint64_t v = next();
        std::memcpy(out, &v, 8);
        out += 8;
        n -= 8;
    }
    if (n > 0) {
        const std::uint64_t v = next();
        std::memcpy(out, &v, n);
    }
}

PcapOut::PcapOut(const std::string& path, std::uint32_t snaplen, std::uint32_t linkType) {
    m_file = std::fopen(path.c_str(), "wb");
    if (m_file == nullptr) {
        throw std::runtime_error("cannot open " + path + " for writing: " + std::strerror(errno));
    }
    m_buf.reserve(8 << 20);
    // Classic pcap global header, nanosecond-resolution magic, written in host order.
    appendLe<std::uint32_t>(m_buf, 0xa1b23c4d);
    appendLe<std::uint16_t>(m_buf, 2);
    appendLe<std::uint16_t>(m_buf, 4);
    appendLe<std::uint32_t>(m_buf, 0); // thiszone
    appendLe<std::uint32_t>(m_buf, 0); // sigfigs
    appendLe<std::uint32_t>(m_buf, snaplen);
    appendLe<std::uint32_t>(m_buf, linkType);
    m_bytes = m_buf.size();
}

PcapOut::~PcapOut() {
    try {
        close();
    } catch (...) {
    }
}

void PcapOut::write(std::int64_t tsNs, std::span<const std::uint8_t> frame, std::uint32_t origLen) {
    if (m_buf.size() + 16 + frame.size() > m_buf.capacity()) {
        flush();
    }
    appendLe<std::uint32_t>(m_buf, static_cast<std::uint32_t>(tsNs / 1'000'000'000));
    appendLe<std::uint32_t>(m_buf, static_cast<std::uint32_t>(tsNs % 1'000'000'000));
    appendLe<std::uint32_t>(m_buf, static_cast<std::uint32_t>(frame.size()));
    appendLe<std::uint32_t>(m_buf,
                            origLen != 0 ? origLen : static_cast<std::uint32_t>(frame.size()));
    m_buf.insert(m_buf.end(), frame.begin(), frame.end());
    m_bytes += 16 + frame.size();
    ++m_packets;
}

void PcapOut::writeRaw(std::span<const std::uint8_t> bytes) {
    flush();
    m_buf.insert(m_buf.end(), bytes.begin(), bytes.end());
    m_bytes += bytes.size();
    flush();
}

void PcapOut::flush() {
    if (m_file != nullptr && !m_buf.empty()) {
        if (std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) != m_buf.size()) {
            throw std::runtime_error(std::string("write failed: ") + std::strerror(errno));
        }
    }
    m_buf.clear();
}

void PcapOut::close() {
    if (m_file == nullptr) {
        return;
    }
    flush();
    const bool ok = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!ok) {
        throw std::runtime_error(std::string("close failed: ") + std::strerror(errno));
    }
}

std::uint64_t checksumAdd(std::uint64_t sum, const std::uint8_t* data, std::size_t n) {
    // Summing native-order words and storing the folded sum natively gives the network-order
    // checksum (RFC 1071 §2(B), byte-order independence).
    while (n >= 4) {
        std::uint32_t w;
        std::memcpy(&w, data, 4);
        sum += w;
        data += 4;
        n -= 4;
    }
    if (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, data, 2);
        sum += w;
        data += 2;
        n -= 2;
    }
    if (n == 1) {
        const std::uint8_t last[2] = {data[0], 0};
        std::uint16_t w;
        std::memcpy(&w, last, 2);
        sum += w;
    }
    return sum;
}

std::uint16_t checksumFold(std::uint64_t sum) {
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

void buildFrame(const SegmentSpec& s, std::vector<std::uint8_t>& out) {
    const bool syn = (s.flags & tcpflag::Syn) != 0;
    // Options: SYN carries MSS, SACK-permitted, timestamps, window scale (20 bytes, as Linux
    // sends them); other segments carry NOP NOP timestamps (12 bytes).
    const std::size_t tcpLen = syn ? 40 : 32;
    const std::size_t ipLen = 20 + tcpLen + s.payload.size();
    out.resize(14 + ipLen);
    std::uint8_t* p = out.data();
    std::memset(p, 0, 14 + 20 + tcpLen);
    // Ethernet: Linux loopback captures carry all-zero MAC addresses.
    store16(p + 12, 0x0800);
    std::uint8_t* ip = p + 14;
    ip[0] = 0x45;
    store16(ip + 2, static_cast<std::uint16_t>(ipLen));
    store16(ip + 4, s.ipId);
    store16(ip + 6, 0x4000); // DF
    ip[8] = 64;
    ip[9] = 6;
    store32(ip + 12, s.src.ip);
    store32(ip + 16, s.dst.ip);
    const std::uint16_t ipSum = checksumFold(checksumAdd(0, ip, 20));
    std::memcpy(ip + 10, &ipSum, 2);

    std::uint8_t* tcp = ip + 20;
    store16(tcp, s.src.port);
    store16(tcp + 2, s.dst.port);
    store32(tcp + 4, s.seq);
    store32(tcp + 8, (s.flags & tcpflag::Ack) != 0 ? s.ack : 0);
    tcp[12] = static_cast<std::uint8_t>((tcpLen / 4) << 4);
    tcp[13] = s.flags;
    store16(tcp + 14, syn ? 65495 : s.window);
    std::uint8_t* o = tcp + 20;
    if (syn) {
        o[0] = 2; // MSS
        o[1] = 4;
        store16(o + 2, s.mss);
        o[4] = 4; // SACK permitted
        o[5] = 2;
        o += 6;
    } else {
        o[0] = 1;
        o[1] = 1;
        o += 2;
    }
    o[0] = 8; // timestamps
    o[1] = 10;
    store32(o + 2, s.tsVal);
    store32(o + 6, s.tsEcr);
    o += 10;
    if (syn) {
        o[0] = 1;
        o[1] = 3; // window scale 7
        o[2] = 3;
        o[3] = 7;
    }
    if (!s.payload.empty()) {
        std::memcpy(tcp + tcpLen, s.payload.data(), s.payload.size());
    }
    // RFC 9293 §3.1: checksum over the pseudo-header, the header and the data.
    std::uint8_t pseudo[12];
    std::memcpy(pseudo, ip + 12, 8);
    pseudo[8] = 0;
    pseudo[9] = 6;
    store16(pseudo + 10, static_cast<std::uint16_t>(tcpLen + s.payload.size()));
    std::uint64_t sum = checksumAdd(0, pseudo, 12);
    sum = checksumAdd(sum, tcp, tcpLen + s.payload.size());
    const std::uint16_t tcpSum = checksumFold(sum);
    std::memcpy(tcp + 16, &tcpSum, 2);
}

} // namespace wst::test
