// SPDX-License-Identifier: MIT
// Http2Decoder (decoder/http2): frames, settings, header blocks through libnghttp2's HPACK, DATA
// with padding, every split point, and the hostile inputs of issue 20 (a header block of 100
// CONTINUATION frames, a SETTINGS flood, an HPACK table-size bomb).
#include "decoder/http2/h2_decoder.h"

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>
#include <string>
#include <vector>

namespace wst::h2 {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  const std::string& payload) {
    std::string f;
    const auto n = static_cast<std::uint32_t>(payload.size());
    f += static_cast<char>(n >> 16);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n);
    f += static_cast<char>(type);
    f += static_cast<char>(flags);
    f += static_cast<char>(stream >> 24);
    f += static_cast<char>(stream >> 16);
    f += static_cast<char>(stream >> 8);
    f += static_cast<char>(stream);
    return f + payload;
}

std::string settings(const std::vector<Setting>& s) {
    std::string p;
    for (const Setting& x : s) {
        p += static_cast<char>(x.id >> 8);
        p += static_cast<char>(x.id);
        for (int sh = 24; sh >= 0; sh -= 8) {
            p += static_cast<char>(x.value >> sh);
        }
    }
    return frame(0x4, 0, 0, p);
}

/// An HPACK block from libnghttp2's deflater (a fresh context: the first block of a direction).
std::string hpack(const Pairs& fields) {
    nghttp2_hd_deflater* d = nullptr;
    EXPECT_EQ(nghttp2_hd_deflate_new(&d, 4096), 0);
    std::vector<nghttp2_nv> nv;
    for (const auto& [n, v] : fields) {
        nv.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(n.data())),
                      reinterpret_cast<std::uint8_t*>(const_cast<char*>(v.data())), n.size(),
                      v.size(), NGHTTP2_NV_FLAG_NONE});
    }
    std::string out(nghttp2_hd_deflate_bound(d, nv.data(), nv.size()), '\0');
    const auto n = nghttp2_hd_deflate_hd(d, reinterpret_cast<std::uint8_t*>(out.data()), out.size(),
                                         nv.data(), nv.size());
    nghttp2_hd_deflate_del(d);
    EXPECT_GT(n, 0);
    out.resize(static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    return out;
}

Bytes bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Recorder final : Http2Observer {
    std::vector<std::string> log;
    std::vector<AnomalyId> anomalies;
    std::string data;
    std::size_t fields = 0;
    void onSettings(const FrameAt& f, std::span<const Setting> s) override {
        std::string l = f.header.has(flag::Ack) ? "SETTINGS ACK" : "SETTINGS";
        for (const Setting& x : s) {
            l += " " + std::string(settingName(x.id)) + "=" + std::to_string(x.value);
        }
        log.push_back(l);
    }
    void onHeaders(const FrameAt& f, const std::vector<HeaderField>& h, bool end) override {
        std::string l = "HEADERS " + std::to_string(f.header.streamId) + (end ? " end" : "");
        for (const HeaderField& x : h) {
            l += " " + x.name + ":" + x.value;
        }
        fields += h.size();
        log.push_back(h.size() > 8 ? "HEADERS " + std::to_string(h.size()) : l);
    }
    void onData(const FrameAt&, Bytes d, std::uint64_t, const SegmentInfo&) override {
        data.append(reinterpret_cast<const char*>(d.data()), d.size());
    }
    void onDataEnd(const FrameAt& f, const SegmentInfo&) override {
        log.push_back("DATA " + std::to_string(f.header.streamId) + " [" + data + "]" +
                      (f.header.has(flag::EndStream) ? " end" : ""));
        data.clear();
    }
    void onDataGap(const FrameAt&, std::uint64_t, std::uint64_t n, const SegmentInfo&) override {
        data += "<gap " + std::to_string(n) + ">";
    }
    void onRstStream(const FrameAt& f, std::uint32_t code) override {
        log.push_back("RST_STREAM " + std::to_string(f.header.streamId) + " " +
                      std::string(errorCodeName(code)));
    }
    void onGoaway(const FrameAt&, std::uint32_t last, std::uint32_t code,
                  std::string_view) override {
        log.push_back("GOAWAY " + std::to_string(last) + " " + std::string(errorCodeName(code)));
    }
    void onWindowUpdate(const FrameAt&, std::uint32_t inc) override {
        log.push_back("WINDOW_UPDATE " + std::to_string(inc));
    }
    void onAnomaly(Anomaly&& a) override { anomalies.push_back(a.id); }
};

const Pairs kConnect = {{":method", "CONNECT"}, {":protocol", "websocket"},
                        {":scheme", "http"},    {":path", "/chat"},
                        {":authority", "a:1"},  {"sec-websocket-version", "13"}};

std::string clientBytes() {
    std::string padded = std::string(1, '\x03') + "hello" + std::string(3, '\0');
    return std::string(kClientPreface) + settings({{setting::InitialWindowSize, 1 << 20}}) +
           frame(0x1, flag::EndHeaders, 1, hpack(kConnect)) + frame(0x0, flag::Padded, 1, padded) +
           frame(0x8, 0, 0, std::string("\0\0\x10\0", 4)) +
           frame(0x3, 0, 1, std::string("\0\0\0\x08", 4));
}

TEST(Http2Decoder, DecodesAnExtendedConnectAtEverySplitPoint) {
    const std::string c = clientBytes();
    const Limits limits;
    std::vector<std::string> first;
    for (std::size_t split = 0; split <= c.size(); ++split) {
        Recorder r;
        Http2Decoder d(limits, r, kClientPreface);
        d.feed(Direction::ClientToServer, bytes(c.substr(0, split)), 0, {1, {}});
        d.feed(Direction::ClientToServer, bytes(c.substr(split)), split, {2, {}});
        EXPECT_TRUE(r.anomalies.empty()) << split;
        if (split == 0) {
            first = r.log;
            const std::vector<std::string> expected = {
                "SETTINGS SETTINGS_INITIAL_WINDOW_SIZE=1048576",
                "HEADERS 1 :method:CONNECT :protocol:websocket :scheme:http :path:/chat "
                ":authority:a:1 sec-websocket-version:13",
                "DATA 1 [hello]", "WINDOW_UPDATE 4096", "RST_STREAM 1 CANCEL"};
            EXPECT_EQ(r.log, expected);
        } else {
            EXPECT_EQ(r.log, first) << "split at " << split;
        }
    }
}

TEST(Http2Decoder, GapInsideDataKeepsTheFraming) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    const std::string f =
        frame(0x0, flag::EndStream, 3, "0123456789") + frame(0x6, 0, 0, "12345678");
    d.feed(Direction::ServerToClient, bytes(f.substr(0, 12)), 0, {1, {}});
    d.gap(Direction::ServerToClient, 12, 4, {2, {}});
    d.feed(Direction::ServerToClient, bytes(f.substr(16)), 16, {3, {}});
    EXPECT_TRUE(r.anomalies.empty());
    ASSERT_EQ(r.log.size(), 1u);
    EXPECT_EQ(r.log[0], "DATA 3 [012<gap 4>789] end");
    // A gap across a frame header cannot be resynchronised.
    d.gap(Direction::ServerToClient, f.size(), 3, {4, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2DesyncAfterGap});
    EXPECT_TRUE(d.stopped(Direction::ServerToClient));
}

TEST(Http2Decoder, HundredContinuationFramesAreBoundedAndStillDecoded) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    Pairs many = kConnect;
    for (int i = 0; i < 100; ++i) {
        many.emplace_back("x-h" + std::to_string(i), std::string(20, 'v'));
    }
    const std::string block = hpack(many);
    ASSERT_GT(block.size(), 101u);
    const std::size_t piece = block.size() / 101;
    std::string wire = frame(0x1, 0, 1, block.substr(0, piece));
    for (int i = 1; i <= 100; ++i) {
        const bool last = i == 100;
        wire += frame(0x9, last ? flag::EndHeaders : 0, 1,
                      last ? block.substr(i * piece) : block.substr(i * piece, piece));
    }
    d.feed(Direction::ClientToServer, bytes(wire), 0, {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2HeaderBlockTooLarge});
    EXPECT_EQ(r.fields, many.size()); // decoded, within the list bound
    EXPECT_FALSE(d.stopped(Direction::ClientToServer));
}

TEST(Http2Decoder, HeaderListPastTheBoundIsDropped) {
    Limits limits;
    limits.httpHeadBytes = 1024;
    Recorder r;
    Http2Decoder d(limits, r, "");
    Pairs big = kConnect;
    big.emplace_back("x-big", std::string(4000, 'b'));
    d.feed(Direction::ClientToServer, bytes(frame(0x1, flag::EndHeaders, 1, hpack(big))), 0,
           {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2HeaderBlockTooLarge});
    EXPECT_EQ(r.fields, kConnect.size());
}

TEST(Http2Decoder, SettingsFloodIsReportedOnce) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    std::string wire;
    for (int i = 0; i < 1000; ++i) {
        wire += settings({{setting::MaxConcurrentStreams, static_cast<std::uint32_t>(i)}});
    }
    d.feed(Direction::ClientToServer, bytes(wire), 0, {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2SettingsFlood});
    EXPECT_EQ(r.log.size(), 1000u);
}

TEST(Http2Decoder, AcknowledgedSettingsAreNoFlood) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    for (int i = 0; i < 100; ++i) {
        d.feed(Direction::ClientToServer, bytes(settings({})), 0, {1, {}});
        d.feed(Direction::ServerToClient, bytes(frame(0x4, flag::Ack, 0, "")), 0, {1, {}});
    }
    EXPECT_TRUE(r.anomalies.empty());
}

TEST(Http2Decoder, TableSizeBombStopsTheDirection) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    // RFC 7541 §6.3: dynamic table size update 001xxxxx with a 5-bit prefix; 2^30 is far above
    // the receiver's 4096 (no SETTINGS_HEADER_TABLE_SIZE sent).
    std::string bomb = "\x3f";
    std::uint32_t v = (1u << 30) - 31;
    while (v >= 128) {
        bomb += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    bomb += static_cast<char>(v);
    d.feed(Direction::ClientToServer, bytes(frame(0x1, flag::EndHeaders, 1, bomb)), 0, {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2HpackError});
    EXPECT_TRUE(d.stopped(Direction::ClientToServer));
    EXPECT_TRUE(r.log.empty());
}

TEST(Http2Decoder, MalformedFramesAreNamedAndTheFramingHolds) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    const std::string wire = frame(0x6, 0, 0, "1234567") + frame(0x4, 0, 1, "") +
                             frame(0x0, 0, 0, "x") + frame(0x8, 0, 0, std::string(4, '\0')) +
                             frame(0x7, 0, 0, std::string("\0\0\0\x01\0\0\0\x00", 8));
    d.feed(Direction::ServerToClient, bytes(wire), 0, {1, {}});
    EXPECT_EQ(r.anomalies, std::vector<AnomalyId>(4, AnomalyId::H2FrameMalformed));
    ASSERT_FALSE(r.log.empty());
    EXPECT_EQ(r.log.back(), "GOAWAY 1 NO_ERROR");
}

TEST(Http2Decoder, WrongPrefaceStopsTheClientDirection) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, kClientPreface);
    d.feed(Direction::ClientToServer, bytes(std::string("PRI * HTTP/2.0\r\n\r\nXX")), 0, {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2PrefaceInvalid});
    EXPECT_TRUE(d.stopped(Direction::ClientToServer));
}

TEST(Http2Decoder, ContinuationInterruptedIsMalformed) {
    const Limits limits;
    Recorder r;
    Http2Decoder d(limits, r, "");
    const std::string block = hpack(kConnect);
    d.feed(Direction::ClientToServer,
           bytes(frame(0x1, 0, 1, block.substr(0, 4)) + frame(0x6, 0, 0, std::string(8, '\0'))), 0,
           {1, {}});
    EXPECT_EQ(r.anomalies, std::vector{AnomalyId::H2FrameMalformed});
    EXPECT_TRUE(d.stopped(Direction::ClientToServer));
}

} // namespace
} // namespace wst::h2
