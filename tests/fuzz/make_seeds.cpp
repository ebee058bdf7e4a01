// SPDX-License-Identifier: MIT
// wst_fuzz_seeds DIR: writes the synthetic seed inputs of every fuzz target into
// DIR/<target>/ (tests/fuzz/corpus is DIR). Each seed uses its target's input format (see the
// *_fuzz.cpp files); captures/ adds real-peer pcaps to the pipeline and pcap_file corpora.
#include "tests/bench/gen/loadtest.h"
#include "tests/support/pcap_writer.h"
#include "tests/support/ws_frames.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace fs = std::filesystem;
using wst::test::Buf;

namespace {

fs::path g_root;

void put(const std::string& target, const std::string& name, const Buf& b) {
    fs::create_directories(g_root / target);
    std::ofstream(g_root / target / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

Buf readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void append(Buf& b, std::string_view s) {
    b.insert(b.end(), s.begin(), s.end());
}

// One RFC 6455 frame from its first byte (FIN, RSV, opcode); masked with the default key
// when `mask`.
Buf frame(std::uint8_t b0, bool mask, const Buf& payload,
          wst::test::LenForm form = wst::test::LenForm::Minimal) {
    wst::test::FrameSpec s;
    s.fin = (b0 & 0x80) != 0;
    s.rsv = static_cast<std::uint8_t>((b0 >> 4) & 0x7);
    s.opcode = b0 & 0x0f;
    s.payload = payload;
    s.masked = mask;
    s.form = form;
    return wst::test::wsFrame(s);
}

Buf text(std::string_view s) {
    return Buf(s.begin(), s.end());
}

// Encodes `bytes` for direction `dir` as chunk records (ctl = dir | k << 4, 16k + 1 bytes).
void chunks(Buf& out, int dir, const Buf& bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        const std::size_t left = bytes.size() - at;
        const std::size_t k = std::min<std::size_t>(15, (left - 1) / 16);
        out.push_back(static_cast<std::uint8_t>(dir | (k << 4)));
        out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                   bytes.begin() + static_cast<std::ptrdiff_t>(at + 16 * k + 1));
        at += 16 * k + 1;
    }
}

// Raw deflate of `s` as permessage-deflate sends it: sync flush, trailing 00 00 ff ff removed.
Buf deflateMessage(std::string_view s, int windowBits = 15) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY);
    Buf out(s.size() + 64);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
    z.avail_in = static_cast<uInt>(s.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_SYNC_FLUSH);
    // The sync flush ends in 00 00 ff ff, which permessage-deflate does not send.
    const std::size_t produced = out.size() - z.avail_out;
    out.resize(produced < 4 ? 0 : produced - 4);
    deflateEnd(&z);
    return out;
}

std::vector<Buf> framesBothWays() {
    std::vector<Buf> v;
    v.push_back(frame(0x81, true, text(R"({"type":"chat","text":"héllo 日本語 🚀"})")));
    v.push_back(frame(0x82, false, Buf(300, 0xab)));
    v.push_back(frame(0x89, false, text("ka")));
    v.push_back(frame(0x8a, true, text("ka")));
    v.push_back(frame(0x01, true, text("frag-")));
    v.push_back(frame(0x80, true, text("ment")));
    v.push_back(frame(0x82, false, Buf(2000, 0x11),
                      wst::test::LenForm::Force64)); // non-minimal 64-bit length
    v.push_back(frame(0x81, false, text("short in 16-bit form"), wst::test::LenForm::Force16));
    v.push_back(frame(0x88, true, Buf{0x03, 0xe8}));
    v.push_back(frame(0x88, false, Buf{0x03, 0xe8, 'b', 'y', 'e'}));
    return v;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: wst_fuzz_seeds CORPUS_DIR\n");
        return 2;
    }
    g_root = argv[1];
    const fs::path tmp = fs::temp_directory_path() / "wst_fuzz_seeds";
    fs::create_directories(tmp);

    // Whole captures: a few small load tests (one with reordering and duplicates, one with a
    // tiny MSS so every frame spans segments).
    struct Cap {
        const char* name;
        std::uint64_t bytes;
        std::uint32_t clients;
        double reorder, dup;
        std::uint16_t mss;
    };
    const Cap caps[] = {{"loadtest-2c", 12000, 2, 0, 0, 1448},
                        {"loadtest-3c-reorder", 20000, 3, 10, 5, 1448},
                        {"loadtest-1c-mss64", 8000, 1, 0, 0, 64}};
    Buf firstCapture;
    for (const auto& c : caps) {
        wst::bench::LoadTestOptions o;
        o.targetBytes = c.bytes;
        o.clients = c.clients;
        o.reorderPct = c.reorder;
        o.duplicatePct = c.dup;
        o.mss = c.mss;
        o.seed = 3;
        o.output = (tmp / "cap.pcap").string();
        wst::bench::generateLoadTest(o);
        const Buf b = readFile(o.output);
        put("pipeline", std::string(c.name) + ".pcap", b);
        put("pcap_file", std::string(c.name) + ".pcap", b);
        if (firstCapture.empty()) {
            firstCapture = b;
        }
    }

    // packet_decode: the first packets of a capture as Ethernet (selector 0) and raw IPv4 (2).
    std::size_t at = 24;
    for (int i = 0; i < 8 && at + 16 <= firstCapture.size(); ++i) {
        const std::uint32_t caplen = firstCapture[at + 8] | firstCapture[at + 9] << 8 |
                                     firstCapture[at + 10] << 16 |
                                     static_cast<std::uint32_t>(firstCapture[at + 11]) << 24;
        const auto* p = firstCapture.data() + at + 16;
        Buf eth{0};
        eth.insert(eth.end(), p, p + caplen);
        put("packet_decode", "eth-" + std::to_string(i), eth);
        Buf raw{2};
        raw.insert(raw.end(), p + 14, p + caplen);
        put("packet_decode", "raw-" + std::to_string(i), raw);
        at += 16 + caplen;
    }

    // http_head: kind byte (0 request, 1 response), split step, head.
    const std::string_view heads[][2] = {
        {"\x00\x00", "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Grafana k6/0.49.0\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n\r\n"},
        {"\x01\x07", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
                     "Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"},
        {"\x01\x03", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"},
        {"\x00\x01", "GET / HTTP/1.1\nHost: a\n\tfolded\n\n"},
    };
    int n = 0;
    for (const auto& h : heads) {
        Buf b(h[0].begin(), h[0].end());
        append(b, h[1]);
        put("http_head", "head-" + std::to_string(n++), b);
    }

    // frame_parser and ws_connection: a config byte, then chunked frames both ways.
    const auto frames = framesBothWays();
    Buf both{0};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const bool client = frames[i].size() > 1 && (frames[i][1] & 0x80) != 0;
        chunks(both, client ? 0 : 1, frames[i]);
    }
    put("frame_parser", "mixed", both);
    put("ws_connection", "mixed", both);
    Buf midstream = both;
    midstream[0] = 2; // no handshake captured
    put("ws_connection", "midstream", midstream);
    // A compressed message each way (RSV1, RFC 7692 §6) with permessage-deflate negotiated.
    const Buf z = deflateMessage(R"({"type":"chat","text":"compressed compressed compressed"})");
    Buf deflated{1};
    chunks(deflated, 0, frame(0xc1, true, z));
    chunks(deflated, 1, frame(0xc1, false, z));
    chunks(deflated, 0, frame(0x88, true, Buf{0x03, 0xe8}));
    put("ws_connection", "deflate", deflated);

    // inflate: config byte (window bits - 8, no_context_takeover), then pieces; 0xc0 ends one.
    for (int wb : {15, 9}) {
        Buf in{static_cast<std::uint8_t>(wb - 8)};
        for (int m = 0; m < 2; ++m) {
            const Buf d =
                deflateMessage(std::string(200, 'a') + "websocket" + std::to_string(m), wb);
            for (std::size_t i = 0; i < d.size(); i += 64) {
                const std::size_t len = std::min<std::size_t>(64, d.size() - i);
                in.push_back(static_cast<std::uint8_t>(len - 1));
                in.insert(in.end(), d.begin() + static_cast<std::ptrdiff_t>(i),
                          d.begin() + static_cast<std::ptrdiff_t>(i + len));
            }
            in.push_back(0xc0);
        }
        put("inflate", "wb" + std::to_string(wb), in);
    }
    // inflate, many stream ends (issue 21): empty final blocks (03 00), each restarting zlib's
    // stream, in 64-byte pieces over two messages, then a real message after them.
    {
        Buf in{7};
        for (int m = 0; m < 2; ++m) {
            for (int piece = 0; piece < 64; ++piece) {
                in.push_back(63);
                for (int i = 0; i < 32; ++i) {
                    in.insert(in.end(), {0x03, 0x00});
                }
            }
            in.push_back(0xc0);
        }
        const Buf d = deflateMessage(std::string(100, 'b') + "after the storm", 15);
        in.push_back(static_cast<std::uint8_t>(d.size() - 1));
        in.insert(in.end(), d.begin(), d.end());
        in.push_back(0xc0);
        put("inflate", "stream-ends", in);
    }

    // reassembly: ISNs (4 + 4 + 1 + 4 bytes), then segments (ctl, flags, seq16, ack16, win,
    // len, payload): a handshake, data both ways out of order, FIN.
    Buf r = {0x10, 0, 0, 0, 0x20, 0, 0, 0, 0xf0, 0x30, 0, 0, 0};
    auto seg = [&](std::uint8_t ctl, std::uint8_t flags, std::uint16_t seq, std::uint16_t ack,
                   std::string_view payload) {
        r.insert(r.end(),
                 {ctl, flags, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                  static_cast<std::uint8_t>(ack >> 8), static_cast<std::uint8_t>(ack), 0x02, 0x00,
                  static_cast<std::uint8_t>(payload.size())});
        append(r, payload);
    };
    for (std::uint8_t c : {0, 1}) {
        seg(c, 0x02, 0, 0, "");
        seg(c | 2, 0x12, 0, 1, "");
        seg(c, 0x10, 1, 1, "");
        seg(c, 0x18, 11, 1, "world");
        seg(c, 0x18, 1, 1, "hello, the");
        seg(c | 2, 0x18, 1, 16, "reply");
        seg(c, 0x18, 1, 1, "hello, tha"); // conflicting retransmission
        seg(c | 2, 0x11, 6, 16, "");
        seg(c, 0x11, 16, 7, "");
    }
    put("reassembly", "two-connections", r);

    // reassembly: 200 SYNs of IPv6 clients chosen by the input (ctl 0x70: 16 address bytes and a
    // port before the flags), every third reset, more than limits.maxConnections (64) open.
    r = {0x10, 0, 0, 0, 0x20, 0, 0, 0, 0xf0, 0x30, 0, 0, 0};
    for (int i = 0; i < 200; ++i) {
        r.push_back(0x70);
        for (int b = 0; b < 16; ++b)
            r.push_back(static_cast<std::uint8_t>(b == 15 ? i : b < 8 ? 0x20 + b : i * 37 + b));
        r.insert(r.end(), {0x9c, 0x40, static_cast<std::uint8_t>(i % 3 == 2 ? 0x04 : 0x02), 0, 0, 0,
                           0, 0x02, 0x00, 0});
    }
    put("reassembly", "ipv6-clients", r);
    fs::remove_all(tmp);
    return 0;
}
