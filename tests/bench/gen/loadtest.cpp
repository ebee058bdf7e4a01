// SPDX-License-Identifier: MIT
// A k6 load test against a gin + gorilla/websocket server on one host, as it looks on the
// loopback interface: many interleaved connections, each with a full TCP handshake, an upgrade
// request from "Grafana k6/0.49.0", gorilla's 101, then chat-like traffic, and an orderly close.
#include "tests/bench/gen/loadtest.h"

#include "decoder/model/trace.h"
#include "tests/support/pcap_writer.h"
#include "tests/support/ws_frames.h"

#include <array>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdexcept>
#include <vector>

namespace wst::bench {

using test::buildFrame;
using test::Ep4;
using test::PcapOut;
using test::Rng;
using test::SegmentSpec;

namespace {

constexpr std::uint32_t kLoopback = 0x7f000001; // 127.0.0.1
constexpr std::uint16_t kServerPort = 8080;
constexpr std::size_t kClientFragment = 4096; // gorilla client NextWriter buffer
constexpr int kC2S = 0, kS2C = 1;

// Words for chat text, some multi-byte (valid UTF-8 only: text frames must be, RFC 6455 §8.1).
constexpr std::array<std::string_view, 24> kWords = {
    "hello", "load",  "test", "latency", "gorilla", "gin",     "websocket", "frame",
    "héllo", "naïve", "über", "日本語",  "テスト",  "中文",    "🚀",         "✓",
    "ping",  "pong",  "user", "room",    "message", "payload", "ok",        "k6"};

struct DirCounts {
    std::array<std::uint64_t, 16> frames{};
    std::array<std::uint64_t, 16> messages{};
};

struct ConnTruth {
    std::uint32_t clientIp = 0;
    std::uint16_t clientPort = 0;
    std::array<DirCounts, 2> dir{};
    std::array<int, 2> closeCode{-1, -1};
};

struct Pending {
    std::uint8_t dir;
    std::uint8_t flags;
    std::uint32_t seq, ack;
    std::uint32_t off, len; // into Conn::buf[dir]
};

enum class State { Connect, Handshake, Open, Closing, Done };

struct Conn {
    std::uint32_t truth = 0;
    Ep4 ep[2]; // sender endpoint per direction
    std::array<std::uint32_t, 2> next{};
    std::array<std::uint16_t, 2> ipId{};
    State state = State::Connect;
    std::uint32_t msgsLeft = 0;
    std::uint32_t seq = 0;
    std::deque<Pending> queue;
    std::array<std::vector<std::uint8_t>, 2> buf;
};

std::string base64(const std::uint8_t* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0');
    const int len =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(len));
    return out;
}

// RFC 6455 §4.2.2: base64(SHA-1(key + GUID)).
std::string acceptFor(const std::string& key) {
    const std::string in = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::uint8_t digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
    return base64(digest, sizeof digest);
}

std::string ipString(std::uint32_t ip) {
    return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

class Generator {
public:
    explicit Generator(const LoadTestOptions& o)
        : m_opt(o)
        , m_rng(o.seed)
        , m_out(o.output) {}

    LoadTestResult run();

private:
    // Output with reordering and duplication applied to data segments.
    void emit(Conn& c, const Pending& p);
    void writeNow(const std::vector<std::uint8_t>& frame);
    void flushHeld();

    void startConn(Conn& c);
    void nextEvent(Conn& c);
    void send(Conn& c, int d, std::size_t from);
    void ack(Conn& c, int receiver);
    void control(Conn& c, int d, std::uint8_t flags);
    void frame(Conn& c, int d, bool fin, std::uint8_t opcode, const std::uint8_t* payload,
               std::size_t len);
    void message(Conn& c, int d, std::uint8_t opcode, std::size_t len);
    void fillText(std::uint8_t* p, std::size_t len, const Conn& c);
    std::size_t textSize();
    std::size_t binarySize();

    LoadTestOptions m_opt;
    Rng m_rng;
    PcapOut m_out;
    std::int64_t m_clock = 1'767'225'600'000'000'000; // 2026-01-01T00:00:00Z
    std::vector<std::uint8_t> m_frame;
    std::vector<std::uint8_t> m_payload;
    std::vector<std::uint8_t> m_pingPayload;
    struct Held {
        std::vector<std::uint8_t> frame;
        int countdown;
        std::uint32_t conn = 0; ///< ConnTruth index
        int dir = 0;
        std::uint32_t seq = 0;
        bool late = false; ///< a reordered original (not a duplicate copy)
    };
    std::vector<Held> m_held;
    std::vector<ConnTruth> m_truth;
    std::uint32_t m_nextIp = kLoopback;
    std::uint32_t m_nextPort = 32768;
    std::uint64_t m_reordered = 0, m_duplicated = 0;
    bool m_stopping = false;
};

void Generator::writeNow(const std::vector<std::uint8_t>& frame) {
    m_clock += static_cast<std::int64_t>(m_rng.range(1'000, 40'000));
    m_out.write(m_clock, frame);
    // Release held packets whose delay has run out, oldest first.
    for (std::size_t i = 0; i < m_held.size();) {
        if (--m_held[i].countdown <= 0) {
            Held h = std::move(m_held[i]);
            m_held.erase(m_held.begin() + static_cast<std::ptrdiff_t>(i));
            m_clock += static_cast<std::int64_t>(m_rng.range(1'000, 40'000));
            m_out.write(m_clock, h.frame);
        } else {
            ++i;
        }
    }
}

void Generator::flushHeld() {
    for (auto& h : m_held) {
        m_clock += 1'000;
        m_out.write(m_clock, h.frame);
    }
    m_held.clear();
}

void Generator::emit(Conn& c, const Pending& p) {
    SegmentSpec s;
    s.src = c.ep[p.dir];
    s.dst = c.ep[1 - p.dir];
    s.seq = p.seq;
    s.ack = p.ack;
    // The capture point sits at the receiver: while a segment is late, the receiver's ACKs
    // stop at its first byte (duplicate ACKs) instead of acknowledging bytes not yet seen.
    for (const auto& h : m_held) {
        if (h.late && h.conn == c.truth && h.dir == 1 - p.dir &&
            static_cast<std::int32_t>(h.seq - s.ack) < 0) {
            s.ack = h.seq;
        }
    }
    s.flags = p.flags;
    s.ipId = c.ipId[p.dir]++;
    s.mss = m_opt.mss;
    s.tsVal = static_cast<std::uint32_t>(m_clock / 1'000'000) + (p.dir == kC2S ? 0 : 77777);
    s.tsEcr = static_cast<std::uint32_t>(m_clock / 1'000'000) + (p.dir == kC2S ? 77777 : 0);
    s.payload = {c.buf[p.dir].data() + p.off, p.len};
    buildFrame(s, m_frame);
    const bool data = p.len > 0;
    if (data && m_rng.chance(m_opt.reorderPct)) {
        ++m_reordered;
        m_held.push_back(
            {m_frame, static_cast<int>(m_rng.range(1, 3)), c.truth, p.dir, p.seq, true});
    } else {
        writeNow(m_frame);
    }
    if (data && m_rng.chance(m_opt.duplicatePct)) {
        ++m_duplicated;
        m_held.push_back(
            {m_frame, static_cast<int>(m_rng.range(0, 4)), c.truth, p.dir, p.seq, false});
        if (m_held.back().countdown == 0) {
            auto f = std::move(m_held.back().frame);
            m_held.pop_back();
            writeNow(f);
        }
    }
}

void Generator::ack(Conn& c, int receiver) {
    c.queue.push_back({static_cast<std::uint8_t>(receiver), tcpflag::Ack, c.next[receiver],
                       c.next[1 - receiver], 0, 0});
}

void Generator::control(Conn& c, int d, std::uint8_t flags) {
    c.queue.push_back({static_cast<std::uint8_t>(d), flags, c.next[d], c.next[1 - d], 0, 0});
    if ((flags & (tcpflag::Syn | tcpflag::Fin)) != 0) {
        ++c.next[d]; // SYN and FIN take one sequence number (RFC 9293 §3.4)
    }
}

// Queues buf[d][from..] as MSS-sized segments, with a delayed ACK from the peer every second
// segment and after the last.
void Generator::send(Conn& c, int d, std::size_t from) {
    const std::size_t end = c.buf[d].size();
    int unacked = 0;
    for (std::size_t off = from; off < end;) {
        const std::size_t len = std::min<std::size_t>(m_opt.mss, end - off);
        const bool last = off + len == end;
        c.queue.push_back({static_cast<std::uint8_t>(d),
                           static_cast<std::uint8_t>(tcpflag::Ack | (last ? tcpflag::Psh : 0)),
                           c.next[d], c.next[1 - d], static_cast<std::uint32_t>(off),
                           static_cast<std::uint32_t>(len)});
        c.next[d] += static_cast<std::uint32_t>(len);
        off += len;
        if (++unacked == 2 || last) {
            ack(c, 1 - d);
            unacked = 0;
        }
    }
}

std::size_t Generator::textSize() {
    const auto r = m_rng.range(0, 99);
    if (r < 70) {
        return m_rng.range(40, 300);
    }
    if (r < 95) {
        return m_rng.range(300, 2000);
    }
    return m_rng.range(2000, 20000);
}

std::size_t Generator::binarySize() {
    const auto r = m_rng.range(0, 99);
    if (r < 60) {
        return m_rng.range(16, 1024);
    }
    if (r < 97) {
        return m_rng.range(1024, 8192);
    }
    return m_rng.range(8192, 65536);
}

// JSON-like chat text of exactly `len` bytes (len >= 2), valid UTF-8.
void Generator::fillText(std::uint8_t* p, std::size_t len, const Conn& c) {
    auto head = fmt::format(R"({{"type":"chat","vu":{},"seq":{},"ts":{},"text":")", c.truth, c.seq,
                            m_clock / 1'000'000);
    if (head.size() + 2 > len) { // too short for the envelope: a plain JSON string
        std::memset(p, 'x', len);
        p[0] = '"';
        p[len - 1] = '"';
        return;
    }
    std::memcpy(p, head.data(), head.size());
    std::size_t at = head.size();
    const std::size_t stop = len - 2; // room for "}
    while (at < stop) {
        const auto w = kWords[m_rng.range(0, kWords.size() - 1)];
        if (at + w.size() + 1 > stop) {
            break;
        }
        std::memcpy(p + at, w.data(), w.size());
        at += w.size();
        p[at++] = ' ';
    }
    std::memset(p + at, '.', stop - at);
    p[stop] = '"';
    p[stop + 1] = '}';
}

// Appends one frame carrying `payload` to buf[d]; client frames are masked (RFC 6455 §5.3).
void Generator::frame(Conn& c, int d, bool fin, std::uint8_t opcode, const std::uint8_t* payload,
                      std::size_t len) {
    auto& b = c.buf[d];
    test::FrameSpec spec;
    spec.fin = fin;
    spec.opcode = opcode;
    spec.masked = d == kC2S;
    if (spec.masked) {
        m_rng.fill(spec.key.data(), spec.key.size());
    }
    test::appendFrameHeader(b, spec, len);
    const std::size_t at = b.size();
    b.insert(b.end(), payload, payload + len);
    if (spec.masked) {
        std::uint8_t* p = b.data() + at;
        for (std::size_t i = 0; i < len; ++i) {
            p[i] ^= spec.key[i & 3];
        }
    }
    ++m_truth[c.truth].dir[d].frames[opcode];
}

// One message. Client messages above gorilla's NextWriter buffer go out as fragments (RFC 6455
// §5.4), text ones split wherever the buffer ends, even inside a UTF-8 sequence (§5.6 makes
// only the whole message valid UTF-8). The server's WriteMessage sends one frame.
void Generator::message(Conn& c, int d, std::uint8_t opcode, std::size_t len) {
    ++c.seq;
    m_payload.resize(len);
    if (opcode == 8) {
        m_payload[0] = 1000 >> 8; // RFC 6455 §7.4.1: 1000 normal closure
        m_payload[1] = 1000 & 0xff;
    } else if (opcode == 1) {
        fillText(m_payload.data(), len, c);
    } else if (opcode == 10) {
        m_payload = m_pingPayload; // RFC 6455 §5.5.3: a Pong echoes the Ping's data
    } else {
        m_rng.fill(m_payload.data(), len);
    }
    if (opcode == 9) {
        m_pingPayload = m_payload;
    }
    if (d == kC2S && len > kClientFragment) {
        for (std::size_t off = 0; off < len;) {
            const std::size_t part = std::min(len - off, kClientFragment);
            frame(c, d, off + part == len, off == 0 ? opcode : 0, m_payload.data() + off, part);
            off += part;
        }
    } else {
        frame(c, d, true, opcode, m_payload.data(), len);
    }
    if (opcode < 8) { // messages are data messages; control frames are counted as frames
        ++m_truth[c.truth].dir[d].messages[opcode];
    }
}

void Generator::startConn(Conn& c) {
    c = Conn{};
    c.truth = static_cast<std::uint32_t>(m_truth.size());
    if (m_nextPort > 60999) { // Linux ephemeral range; then the next loopback address
        m_nextPort = 32768;
        ++m_nextIp;
    }
    ConnTruth t;
    t.clientIp = m_nextIp;
    t.clientPort = static_cast<std::uint16_t>(m_nextPort++);
    m_truth.push_back(t);
    c.ep[kC2S] = {t.clientIp, t.clientPort};
    c.ep[kS2C] = {kLoopback, kServerPort};
    for (auto& n : c.next) {
        // Some initial sequence numbers just below 2^32 so streams wrap (STYLE.md §8).
        n = m_rng.chance(5) ? 0xffffffffU - static_cast<std::uint32_t>(m_rng.range(0, 20000))
                            : static_cast<std::uint32_t>(m_rng.next());
    }
    c.msgsLeft = static_cast<std::uint32_t>(m_rng.range(50, 400));
}

void Generator::nextEvent(Conn& c) {
    for (auto& b : c.buf) {
        b.clear();
    }
    switch (c.state) {
    case State::Connect:
        control(c, kC2S, tcpflag::Syn);
        control(c, kS2C, tcpflag::Syn | tcpflag::Ack);
        ack(c, kC2S);
        c.state = State::Handshake;
        return;
    case State::Handshake: {
        std::uint8_t raw[16];
        m_rng.fill(raw, sizeof raw);
        const std::string key = base64(raw, sizeof raw);
        const auto req = fmt::format("GET /ws?vu={} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n"
                                     "User-Agent: Grafana k6/0.49.0\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Key: {}\r\nSec-WebSocket-Version: 13\r\n"
                                     "Upgrade: websocket\r\n\r\n",
                                     c.truth, kServerPort, key);
        const auto resp = fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                      "Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                                      acceptFor(key));
        c.buf[kC2S].assign(req.begin(), req.end());
        c.buf[kS2C].assign(resp.begin(), resp.end());
        send(c, kC2S, 0);
        send(c, kS2C, 0);
        c.state = State::Open;
        return;
    }
    case State::Open:
        if (c.msgsLeft == 0 || m_stopping) {
            // k6 closes most sockets; the server closes some (idle timeout, shutdown).
            const int closer = m_rng.chance(90) ? kC2S : kS2C;
            message(c, closer, 8, 2);
            m_truth[c.truth].closeCode[closer] = 1000;
            send(c, closer, 0);
            message(c, 1 - closer, 8, 2);
            m_truth[c.truth].closeCode[1 - closer] = 1000;
            send(c, 1 - closer, 0);
            c.state = State::Closing;
            return;
        }
        break;
    case State::Closing:
        // RFC 6455 §7.1.1: the server closes the TCP connection first.
        control(c, kS2C, tcpflag::Fin | tcpflag::Ack);
        control(c, kC2S, tcpflag::Fin | tcpflag::Ack);
        ack(c, kS2C);
        c.state = State::Done;
        return;
    case State::Done:
        return;
    }
    --c.msgsLeft;
    const auto r = m_rng.range(0, 99);
    if (r < 40) { // chat: client says something, server answers
        message(c, kC2S, 1, textSize());
        send(c, kC2S, 0);
        message(c, kS2C, 1, textSize());
        send(c, kS2C, 0);
    } else if (r < 60) { // broadcast burst: several frames in one write
        const auto k = m_rng.range(2, 8);
        for (std::uint64_t i = 0; i < k; ++i) {
            message(c, kS2C, 1, m_rng.range(40, 200));
        }
        send(c, kS2C, 0);
    } else if (r < 75) { // client uploads binary, server acknowledges
        message(c, kC2S, 2, binarySize());
        send(c, kC2S, 0);
        message(c, kS2C, 1, m_rng.range(40, 120));
        send(c, kS2C, 0);
    } else if (r < 87) { // server pushes binary
        message(c, kS2C, 2, binarySize());
        send(c, kS2C, 0);
    } else if (r < 92) { // gorilla's keep-alive ping, k6 answers
        const auto n = m_rng.range(0, 8);
        message(c, kS2C, 9, n);
        send(c, kS2C, 0);
        message(c, kC2S, 10, n);
        send(c, kC2S, 0);
    } else if (r < 94) { // k6 socket.ping()
        message(c, kC2S, 9, 0);
        send(c, kC2S, 0);
        message(c, kS2C, 10, 0);
        send(c, kS2C, 0);
    } else { // large client text
        message(c, kC2S, 1, m_rng.range(2000, 30000));
        send(c, kC2S, 0);
        message(c, kS2C, 1, m_rng.range(40, 120));
        send(c, kS2C, 0);
    }
}

nlohmann::ordered_json opcodeMap(const std::array<std::uint64_t, 16>& counts) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] != 0) {
            j[std::string(opcodeName(static_cast<std::uint8_t>(i)))] = counts[i];
        }
    }
    return j;
}

std::uint64_t sum(const std::array<std::uint64_t, 16>& a) {
    std::uint64_t s = 0;
    for (auto v : a) {
        s += v;
    }
    return s;
}

LoadTestResult Generator::run() {
    std::vector<Conn> slots(std::max<std::uint32_t>(1, m_opt.clients));
    std::vector<std::uint32_t> active;
    for (std::uint32_t i = 0; i < slots.size(); ++i) {
        startConn(slots[i]);
        active.push_back(i);
    }
    // Bytes a connection still needs to close cleanly (6 close packets plus slack).
    const std::uint64_t closeReserve = 700;
    const std::uint64_t slack = std::min<std::uint64_t>(70'000, m_opt.targetBytes / 10);
    while (!active.empty()) {
        if (!m_stopping &&
            m_out.bytes() + closeReserve * active.size() + slack >= m_opt.targetBytes) {
            m_stopping = true;
        }
        const auto pick = m_rng.range(0, active.size() - 1);
        Conn& c = slots[active[pick]];
        if (c.queue.empty()) {
            if (c.state == State::Done) {
                if (m_stopping) {
                    active[pick] = active.back();
                    active.pop_back();
                } else {
                    startConn(c); // the VU's next iteration
                }
                continue;
            }
            nextEvent(c);
            continue;
        }
        // A few packets of this connection, then someone else's turn.
        for (auto n = m_rng.range(1, 3); n > 0 && !c.queue.empty(); --n) {
            emit(c, c.queue.front());
            c.queue.pop_front();
        }
    }
    flushHeld();
    m_out.close();

    LoadTestResult res;
    res.bytes = m_out.bytes();
    res.packets = m_out.packets();
    res.connections = m_truth.size();
    std::array<std::array<std::uint64_t, 16>, 2> frames{}, messages{};
    for (const auto& t : m_truth) {
        for (int d = 0; d < 2; ++d) {
            for (int o = 0; o < 16; ++o) {
                frames[0][o] += t.dir[d].frames[o];
                messages[0][o] += t.dir[d].messages[o];
            }
        }
    }
    res.frames = sum(frames[0]);
    res.messages = sum(messages[0]);
    if (m_opt.truth.empty()) {
        return res;
    }
    using nlohmann::ordered_json;
    ordered_json j;
    j["generator"] = "wst_gen_loadtest";
    j["options"] = {{"targetBytes", m_opt.targetBytes},
                    {"clients", m_opt.clients},
                    {"reorderPct", m_opt.reorderPct},
                    {"duplicatePct", m_opt.duplicatePct},
                    {"seed", m_opt.seed},
                    {"mss", m_opt.mss}};
    j["totals"] = {{"packets", res.packets},
                   {"bytes", res.bytes},
                   {"connections", res.connections},
                   {"frames", res.frames},
                   {"messages", res.messages},
                   {"framesByOpcode", opcodeMap(frames[0])},
                   {"messagesByOpcode", opcodeMap(messages[0])},
                   {"reordered", m_reordered},
                   {"duplicated", m_duplicated}};
    auto& conns = j["connections"] = ordered_json::array();
    for (const auto& t : m_truth) {
        ordered_json cj;
        cj["client"] = fmt::format("{}:{}", ipString(t.clientIp), t.clientPort);
        cj["server"] = fmt::format("{}:{}", ipString(kLoopback), kServerPort);
        for (int d = 0; d < 2; ++d) {
            const auto& dc = t.dir[d];
            cj[d == kC2S ? "c2s" : "s2c"] = {
                {"frames", sum(dc.frames)},
                {"messages", sum(dc.messages)},
                {"framesByOpcode", opcodeMap(dc.frames)},
                {"messagesByOpcode", opcodeMap(dc.messages)},
                {"closeCode", t.closeCode[d] < 0 ? ordered_json() : ordered_json(t.closeCode[d])}};
        }
        conns.push_back(std::move(cj));
    }
    std::ofstream f(m_opt.truth);
    f << j.dump(1) << '\n';
    if (!f) {
        throw std::runtime_error("cannot write " + m_opt.truth);
    }
    return res;
}

} // namespace

LoadTestResult generateLoadTest(const LoadTestOptions& options) {
    Generator g(options);
    return g.run();
}

} // namespace wst::bench
