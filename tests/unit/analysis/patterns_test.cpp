// SPDX-License-Identifier: MIT
// One case per anomaly id the analyzer emits: it fires on the bad conversation and stays silent
// on the matching good one. Conversations are real bytes through real StreamSink calls.
#include "decoder/model/format.h"
#include "tests/unit/analysis/conversation.h"

#include <functional>
#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

namespace wst::test {
namespace {

using Script = std::function<void(Conversation&)>;

void healthy(Conversation& c) {
    c.handshake()
        .send(C2S, upgradeRequest())
        .send(S2C, gorilla101(), 300 * kUs)
        .send(C2S, clientText("hello"))
        .send(S2C, serverText("hello"))
        .send(C2S, closeFrame(1000, "bye", true))
        .send(S2C, closeFrame(1000, "bye", false))
        .fin(S2C)
        .fin(C2S)
        .end();
}

void refusedWith(Conversation& c, const std::string& response, std::string_view extra = "") {
    c.handshake().send(C2S, upgradeRequest(extra)).send(S2C, response).fin(C2S).end();
}

std::string replace(std::string s, std::string_view from, std::string_view to) {
    s.replace(s.find(from), from.size(), to);
    return s;
}

const std::string kChunked200 = "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 20:00:00 GMT\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n";
const std::string kLate500 = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; "
                             "charset=utf-8\r\nContent-Length: 22\r\n\r\nInternal Server Error\n";
const std::string kNode400 = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: "
                             "text/html\r\nContent-Length: 11\r\n\r\nBad Request";
const std::string kNginx400 =
    "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nDate: Tue, 24 Nov 2026 20:00:00 GMT\r\n"
    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\nConnection: keep-alive\r\n"
    "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n\r\nBad Request\n";

constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

std::string h2Frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                    const std::string& payload) {
    const auto n = static_cast<std::uint32_t>(payload.size());
    std::string f = {static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8),
                     static_cast<char>(n),
                     static_cast<char>(type),
                     static_cast<char>(flags),
                     static_cast<char>(stream >> 24),
                     static_cast<char>(stream >> 16),
                     static_cast<char>(stream >> 8),
                     static_cast<char>(stream)};
    return f + payload;
}

/// A HEADERS frame (END_HEADERS) whose block libnghttp2's deflater encodes: a fresh HPACK
/// context, so only the first block of a direction may come from here.
std::string h2Headers(std::uint32_t stream, bool endStream,
                      const std::vector<std::pair<std::string, std::string>>& fields) {
    nghttp2_hd_deflater* d = nullptr;
    nghttp2_hd_deflate_new(&d, 4096);
    std::vector<nghttp2_nv> nv;
    for (const auto& [n, v] : fields) {
        nv.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(n.data())),
                      reinterpret_cast<std::uint8_t*>(const_cast<char*>(v.data())), n.size(),
                      v.size(), NGHTTP2_NV_FLAG_NONE});
    }
    std::string block(nghttp2_hd_deflate_bound(d, nv.data(), nv.size()), '\0');
    const auto n = nghttp2_hd_deflate_hd(d, reinterpret_cast<std::uint8_t*>(block.data()),
                                         block.size(), nv.data(), nv.size());
    nghttp2_hd_deflate_del(d);
    block.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return h2Frame(0x1, static_cast<std::uint8_t>(0x4 | (endStream ? 0x1 : 0)), stream, block);
}

/// Server SETTINGS with SETTINGS_ENABLE_CONNECT_PROTOCOL = `enable` (RFC 8441 §3).
std::string h2EnableConnect(bool enable) {
    return h2Frame(0x4, 0, 0,
                   std::string("\0\x08\0\0\0", 5) + (enable ? "\x01" : std::string(1, '\0')));
}

/// An RFC 8441 conversation: SETTINGS, the extended CONNECT (its fields), the server's answer
/// (its fields), then a masked text frame and its echo in DATA frames, and END_STREAM both ways
/// after Close frames.
void h2WebSocket(Conversation& c, const std::vector<std::pair<std::string, std::string>>& request,
                 const std::string& status, bool enable = true) {
    const std::string empty = h2Frame(0x4, 0, 0, "");
    c.handshake().send(C2S, std::string(kHttp2Preface) + empty).send(S2C, h2EnableConnect(enable));
    c.send(C2S, h2Headers(1, false, request));
    c.send(S2C, h2Headers(1, false, {{":status", status}}));
    c.send(C2S, h2Frame(0x0, 0, 1, clientText("hi") + closeFrame(1000, "", true)));
    c.send(S2C, h2Frame(0x0, 0x1, 1, serverText("hi") + closeFrame(1000, "", false)));
    c.send(C2S, h2Frame(0x0, 0x1, 1, "")).fin(C2S).fin(S2C).end();
}

const std::vector<std::pair<std::string, std::string>> kH2Connect = {
    {":method", "CONNECT"}, {":protocol", "websocket"}, {":scheme", "http"},
    {":path", "/ws"},       {":authority", "a:1"},      {"sec-websocket-version", "13"}};

struct Case {
    const char* name;
    AnomalyId id;
    Script bad;
    Script good;
    bool badSawSyn = true; ///< false: the bad conversation was picked up midstream
};

const Case kCases[] = {
    {"refused_403", AnomalyId::HttpUpgradeRefused,
     [](Conversation& c) {
         refusedWith(c, gorillaError(403, "Forbidden", "Forbidden\n"),
                     "Origin: http://evil.example\r\n");
     },
     healthy},
    {"ignored_200", AnomalyId::HttpUpgradeIgnored,
     [](Conversation& c) { refusedWith(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"); },
     [](Conversation& c) { // 200 then 101 is two responses, not "ignored"
         c.handshake().send(C2S, upgradeRequest()).send(S2C, kChunked200).send(S2C, gorilla101());
         c.fin(C2S).end();
     }},
    {"redirected_302", AnomalyId::HttpUpgradeRedirected,
     [](Conversation& c) {
         refusedWith(c, "HTTP/1.1 302 Found\r\nLocation: https://example.com/ws\r\n"
                        "Content-Length: 0\r\n\r\n");
     },
     healthy},
    {"version_rejected_426", AnomalyId::HttpVersionRejected,
     [](Conversation& c) {
         c.handshake()
             .send(C2S, replace(upgradeRequest(), "Version: 13", "Version: 8"))
             .send(S2C, "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                        "Content-Length: 0\r\n\r\n")
             .fin(C2S)
             .end();
     },
     [](Conversation& c) { // the same answer to a version-13 request is a plain refusal
         refusedWith(c, "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n"
                        "Content-Length: 0\r\n\r\n");
     }},
    {"not_supported_500", AnomalyId::HijackNotSupported,
     [](Conversation& c) {
         refusedWith(c, gorillaError(500, "Internal Server Error", "Internal Server Error\n"));
         EXPECT_TRUE(c.has(AnomalyId::HttpUpgradeRefused)) << "the fact comes with the diagnosis";
     },
     [](Conversation& c) { refusedWith(c, gorillaError(400, "Bad Request", "Bad Request\n")); }},
    {"stripped_by_proxy", AnomalyId::HttpUpgradeStripped,
     [](Conversation& c) { refusedWith(c, kNginx400); },
     [](Conversation& c) { refusedWith(c, gorillaError(400, "Bad Request", "Bad Request\n")); }},
    {"error_with_output", AnomalyId::HijackErrorWithOutput,
     [](Conversation& c) {
         refusedWith(c, gorillaError(403, "Forbidden", "Forbidden\n{\"code\":500}"));
     },
     [](Conversation& c) { refusedWith(c, gorillaError(403, "Forbidden", "Forbidden\n")); }},
    {"two_responses_200_then_101", AnomalyId::HijackTwoResponses,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, kChunked200);
         c.send(S2C, gorilla101(), 200 * kUs).fin(C2S).fin(S2C).end();
     },
     healthy},
    {"two_responses_101_then_500", AnomalyId::HijackTwoResponses,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101() + kLate500);
         c.fin(S2C).end();
     },
     healthy},
    {"body_malformed_chunk_size", AnomalyId::HttpBodyMalformed,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, kChunked200 + "zz\r\nhello\r\n");
         c.end();
     },
     [](Conversation& c) { // a well-formed chunked answer
         c.handshake().send(C2S, upgradeRequest());
         c.send(S2C, kChunked200 + "5\r\nhello\r\n0\r\n\r\n").fin(S2C).end();
     }},
    {"stripped_request", AnomalyId::HttpUpgradeStripped,
     [](Conversation& c) {
         // nginx without proxy_set_header: Connection: close and no Upgrade, key kept.
         const std::string req =
             replace(replace(upgradeRequest(), "Connection: Upgrade", "Connection: close"),
                     "Upgrade: websocket\r\n", "");
         c.handshake().send(C2S, req);
         c.send(S2C, gorillaError(400, "Bad Request", "Bad Request\n")).fin(C2S).end();
     },
     healthy},
    {"http_in_websocket", AnomalyId::HijackHttpInWebSocket,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(S2C, serverText("a")).send(S2C, kNode400).fin(S2C).end();
     },
     healthy},
    {"closed_after_upgrade", AnomalyId::HijackClosedAfterUpgrade,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101()).fin(S2C).end();
         // gorilla's 101 layout is node ws' too: the likely cause names both stacks'.
         const Anomaly* a = c.first(AnomalyId::HijackClosedAfterUpgrade);
         ASSERT_NE(a, nullptr);
         EXPECT_NE(a->detail.find("gorilla/websocket: it returned with a deferred Close; node "
                                  "ws: terminate()"),
                   std::string::npos)
             << a->detail;
     },
     [](Conversation& c) { // two seconds later it is an ordinary missing close
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101()).fin(S2C, 2 * kS);
         c.end();
     }},
    {"close_missing", AnomalyId::WsCloseMissing,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi")).send(S2C, serverText("hi")).fin(S2C, 45 * kS).end();
     },
     healthy},
    {"close_idle_timeout_60s", AnomalyId::WsCloseIdleTimeout,
     [](Conversation& c) { // nginx proxy_read_timeout: 60 s quiet, then FIN, no Close
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi")).send(S2C, serverText("hi")).fin(S2C, 60 * kS).end();
         EXPECT_NE(c.first(AnomalyId::WsCloseIdleTimeout)->detail.find("60 s"), std::string::npos);
         EXPECT_FALSE(c.has(AnomalyId::WsCloseMissing));
     },
     [](Conversation& c) { // 45 s is no known idle timeout: an ordinary missing Close
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi")).send(S2C, serverText("hi")).fin(S2C, 45 * kS).end();
         EXPECT_TRUE(c.has(AnomalyId::WsCloseMissing));
     }},
    {"close_idle_timeout_cloudflare_rst", AnomalyId::WsCloseIdleTimeout,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(S2C, serverText("tick")).rst(S2C, 100 * kS + 300 * kMs).end();
     },
     [](Conversation& c) { // the client leaving after 100 s is not the server side's timeout
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(S2C, serverText("tick")).rst(C2S, 100 * kS).end();
     }},
    {"h2_ws_status_101", AnomalyId::H2WsStatus101,
     [](Conversation& c) {
         h2WebSocket(c, kH2Connect, "101");
         EXPECT_EQ(c.store().connections.size(), 2u);
     },
     [](Conversation& c) {
         h2WebSocket(c, kH2Connect, "200");
         ASSERT_EQ(c.store().connections.size(), 2u);
         const Connection& ws = c.store().connections[1];
         ASSERT_TRUE(ws.h2stream);
         EXPECT_EQ(ws.h2stream->connection, 1u);
         EXPECT_EQ(ws.h2stream->streamId, 1u);
         EXPECT_EQ(ws.h2stream->end, "end_stream");
         EXPECT_EQ(ws.outcome, Outcome::Upgraded);
         EXPECT_TRUE(ws.cleanClose);
         EXPECT_EQ(ws.stats[0].messages, 1u);
         EXPECT_EQ(ws.stats[1].messages, 1u);
         EXPECT_TRUE(c.ids().empty()) << fmt::format("{}", fmt::join(c.ids(), ", "));
     }},
    {"h2_ws_connect_malformed", AnomalyId::H2WsConnectMalformed,
     [](Conversation& c) {
         auto q = kH2Connect;
         q.erase(q.begin() + 2, q.begin() + 4); // no :scheme, no :path
         q.back().second = "8";
         h2WebSocket(c, q, "200");
         EXPECT_EQ(c.count(AnomalyId::H2WsConnectMalformed), 2u);
     },
     [](Conversation& c) { h2WebSocket(c, kH2Connect, "200"); }},
    {"h2_ws_unoffered_subprotocol", AnomalyId::WsHandshakeUnofferedSubprotocol,
     [](Conversation& c) {
         const std::string empty = h2Frame(0x4, 0, 0, "");
         c.handshake()
             .send(C2S, std::string(kHttp2Preface) + empty)
             .send(S2C, h2EnableConnect(true));
         auto q = kH2Connect;
         q.emplace_back("sec-websocket-protocol", "chat");
         c.send(C2S, h2Headers(1, false, q));
         c.send(S2C, h2Headers(1, false, {{":status", "200"}, {"sec-websocket-protocol", "mqtt"}}));
         c.end();
     },
     [](Conversation& c) { h2WebSocket(c, kH2Connect, "200"); }},
    {"h2_ws_connect_not_enabled", AnomalyId::H2WsConnectNotEnabled,
     [](Conversation& c) { h2WebSocket(c, kH2Connect, "200", /*enable=*/false); },
     [](Conversation& c) { h2WebSocket(c, kH2Connect, "200", /*enable=*/true); }},
    {"http2_prior_knowledge_bad_ping", AnomalyId::H2FrameMalformed,
     [](Conversation& c) {
         // Preface, then an empty SETTINGS frame (RFC 9113 §3.4, §6.5) both ways, then a PING
         // of 7 bytes (§6.7: exactly 8). The HTTP/2 bytes are decoded, not read as HTTP/1.1.
         const std::string settings("\0\0\0\x04\0\0\0\0\0", 9);
         const std::string ping = std::string("\0\0\x07\x06\0\0\0\0\0", 9) + "1234567";
         c.handshake().send(C2S, std::string(kHttp2Preface) + settings).send(S2C, settings);
         c.send(C2S, ping).end();
         EXPECT_FALSE(c.has(AnomalyId::HttpHeadMalformed));
         EXPECT_FALSE(c.has(AnomalyId::HttpHttp2Connection));
         EXPECT_EQ(c.ids().size(), 1u) << fmt::format("{}", fmt::join(c.ids(), ", "));
     },
     [](Conversation& c) { // a healthy prior-knowledge connection has no finding at all
         const std::string settings("\0\0\0\x04\0\0\0\0\0", 9);
         c.handshake().send(C2S, std::string(kHttp2Preface) + settings).send(S2C, settings);
         c.fin(C2S).fin(S2C).end();
         EXPECT_TRUE(c.ids().empty()) << fmt::format("{}", fmt::join(c.ids(), ", "));
     }},
    {"http2_h2c_upgrade_without_preface", AnomalyId::H2PrefaceInvalid,
     [](Conversation& c) {
         // After the 101 the client must still send the whole preface (RFC 7540 §3.5).
         const std::string settings("\0\0\0\x04\0\0\0\0\0", 9);
         c.handshake().send(C2S,
                            "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, "
                            "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__"
                            "\r\n\r\n");
         c.send(S2C, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "
                     "h2c\r\n\r\n" +
                         settings);
         c.send(C2S, settings).fin(C2S).fin(S2C).end();
         EXPECT_EQ(c.ids().size(), 1u) << fmt::format("{}", fmt::join(c.ids(), ", "));
     },
     [](Conversation& c) {
         const std::string settings("\0\0\0\x04\0\0\0\0\0", 9);
         c.handshake().send(C2S,
                            "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, "
                            "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__"
                            "\r\n\r\n");
         c.send(S2C, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "
                     "h2c\r\n\r\n" +
                         settings);
         c.send(C2S, std::string(kHttp2Preface) + settings).fin(C2S).fin(S2C).end();
         EXPECT_TRUE(c.ids().empty()) << fmt::format("{}", fmt::join(c.ids(), ", "));
     }},
    {"early_client_data", AnomalyId::WsHandshakeEarlyClientData,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest() + clientText("hi")).send(S2C, gorilla101());
         c.end();
     },
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi")).end();
     }},
    {"no_response", AnomalyId::HttpNoResponse,
     [](Conversation& c) { c.handshake().send(C2S, upgradeRequest()).fin(S2C).end(); }, healthy},
    // The client's frames sent into the silence are counted (stats, timeline) and the detail
    // says what the client sent while it waited.
    {"no_response_counts_client_frames", AnomalyId::HttpNoResponse,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest() + clientText("hi"));
         c.send(C2S, frame(0x9, "p", true)).fin(S2C).end();
         const Anomaly* a = c.first(AnomalyId::HttpNoResponse);
         ASSERT_NE(a, nullptr);
         const std::size_t sent = clientText("hi").size() + frame(0x9, "p", true).size();
         EXPECT_NE(a->detail.find(fmt::format(
                       "the client sent {} bytes while it waited: 2 complete frames", sent)),
                   std::string::npos)
             << a->detail;
         const DirectionStats& cs = c.connection().stats[0];
         EXPECT_EQ(cs.frames, 2u);
         EXPECT_EQ(cs.framesByOpcode[0x1], 1u);
         EXPECT_EQ(cs.framesByOpcode[0x9], 1u);
         EXPECT_EQ(cs.messages, 1u);
         EXPECT_EQ(c.connection().outcome, Outcome::Failed);
     },
     [](Conversation& c) { // the same frames after a 101: no http_no_response
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi")).send(C2S, frame(0x9, "p", true)).fin(S2C).end();
         EXPECT_EQ(c.connection().stats[0].frames, 2u);
     }},
    {"no_response_client_bytes_not_frames", AnomalyId::HttpNoResponse,
     [](Conversation& c) { // a pipelined request is not frames: said, not decoded
         c.handshake().send(C2S, upgradeRequest() + "GET /next HTTP/1.1\r\n").fin(S2C).end();
         const Anomaly* a = c.first(AnomalyId::HttpNoResponse);
         ASSERT_NE(a, nullptr);
         EXPECT_NE(a->detail.find("bytes while it waited, not a complete frame"), std::string::npos)
             << a->detail;
         EXPECT_EQ(c.connection().stats[0].frames, 0u);
         EXPECT_FALSE(c.has(AnomalyId::WsFrameClientUnmasked));
     },
     healthy},
    {"close_not_answered", AnomalyId::WsCloseNotAnswered,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, closeFrame(1000, "", true)).fin(S2C, 2 * kS).end();
     },
     healthy},
    {"close_abnormal_client_did_not_wait", AnomalyId::WsCloseAbnormal,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, closeFrame(1001, "", true), 50 * kMs).fin(C2S, 200 * kUs).end();
     },
     healthy},
    {"frame_after_failed_handshake", AnomalyId::WsFrameAfterFailedHandshake,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest());
         c.send(S2C, gorillaError(403, "Forbidden", "Forbidden\n"));
         c.send(C2S, clientText("anyone?")).end();
     },
     [](Conversation& c) { refusedWith(c, gorillaError(403, "Forbidden", "Forbidden\n")); }},
    {"desync_after_gap", AnomalyId::WsFrameDesyncAfterGap,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(S2C, serverText("one")).gap(S2C, 5).send(S2C, serverText("two") + serverText("3"));
         c.end();
     },
     healthy},
    {"resynced_after_gap", AnomalyId::WsFrameResynced,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(S2C, serverText("one")).gap(S2C, 5);
         c.send(S2C, "xyz" + serverText("two") + serverText("three")).end();
     },
     healthy},
    {"handshake_not_seen", AnomalyId::WsHandshakeNotSeen,
     [](Conversation& c) { c.send(C2S, clientText("mid")).send(S2C, serverText("stream")).end(); },
     healthy, false},
    {"handshake_not_seen_after_syn", AnomalyId::WsHandshakeNotSeen,
     [](Conversation& c) {
         // SYN seen, the handshake bytes not: the first bytes both ways are frames.
         c.handshake().send(C2S, clientText("mid")).send(S2C, serverText("stream")).end();
         EXPECT_EQ(c.connection().outcome, Outcome::Midstream);
         EXPECT_FALSE(c.has(AnomalyId::HttpHeadMalformed));
         EXPECT_EQ(c.connection().stats[0].frames, 1u);
         EXPECT_EQ(c.connection().stats[1].frames, 1u);
     },
     [](Conversation& c) { // TLS after a SYN is neither HTTP nor frames
         c.handshake().send(C2S, std::string("\x16\x03\x01\x00\x05hello", 10)).end();
         EXPECT_TRUE(c.has(AnomalyId::HttpHeadMalformed));
     }},
    {"tcp_half_open_pings", AnomalyId::TcpHalfOpen,
     [](Conversation& c) { // the client vanished: the server's pings get not even an ACK
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi"));
         for (int i = 0; i < 3; ++i) {
             c.send(S2C, frame(0x9, "", false), 30 * kS);
         }
         c.rst(S2C, 30 * kS).end();
         const Anomaly* a = c.first(AnomalyId::TcpHalfOpen);
         ASSERT_NE(a, nullptr);
         EXPECT_EQ(a->direction, C2S) << "the silent side";
         EXPECT_NE(a->detail.find("server sent 3 segments with data (0 retransmitted)"),
                   std::string::npos)
             << a->detail;
         EXPECT_NE(a->detail.find("gave up (RST)"), std::string::npos) << a->detail;
     },
     [](Conversation& c) { // the same pings, ACKed by a live client that never pongs
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("hi"));
         for (int i = 0; i < 3; ++i) {
             c.send(S2C, frame(0x9, "", false), 30 * kS).ack(C2S, 40 * kMs);
         }
         c.rst(S2C, 30 * kS).end();
     }},
    {"tcp_half_open_retransmissions", AnomalyId::TcpHalfOpen,
     [](Conversation& c) { // a burst of data, nothing back within a second
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("a"), 200 * kMs).send(C2S, clientText("b"), 400 * kMs);
         c.send(C2S, clientText("c"), 800 * kMs).end();
     },
     [](Conversation& c) { // the server only listens, but ACKs
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, clientText("a"), 200 * kMs).ack(S2C).send(C2S, clientText("b"), 400 * kMs);
         c.ack(S2C).send(C2S, clientText("c"), 800 * kMs).ack(S2C).end();
     }},
    {"tcp_gap", AnomalyId::TcpGap,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101()).gap(C2S, 10).end();
     },
     healthy},
    {"tcp_rst_during_handshake", AnomalyId::TcpRstDuringHandshake,
     [](Conversation& c) { c.handshake().rst(S2C).end(); }, healthy},
    {"http_head_malformed", AnomalyId::HttpHeadMalformed,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, "SSH-2.0-OpenSSH_9.2\r\n").end();
     },
     healthy},
    {"handshake_wrong_accept", AnomalyId::WsHandshakeWrongAccept,
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest());
         c.send(S2C, replace(gorilla101(), kAccept, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).fin(C2S);
         c.end();
     },
     healthy},
};

class AnomalyTable : public ::testing::TestWithParam<Case> {};

TEST_P(AnomalyTable, FiresOnBadAndStaysSilentOnGood) {
    const Case& tc = GetParam();
    Conversation bad(tc.badSawSyn);
    tc.bad(bad);
    EXPECT_TRUE(bad.has(tc.id)) << "expected " << anomalyName(tc.id) << " in "
                                << fmt::format("{}", fmt::join(bad.ids(), ", "));
    Conversation good;
    tc.good(good);
    EXPECT_FALSE(good.has(tc.id)) << "unexpected " << anomalyName(tc.id) << ": "
                                  << good.first(tc.id)->detail;
    // Every anomaly the store holds belongs to this connection (or to one of its RFC 8441
    // WebSocket streams) and has a packet number.
    for (const Anomaly& a : bad.store().anomalies) {
        const Connection* owner = bad.store().connection(a.connection);
        ASSERT_NE(owner, nullptr) << anomalyName(a.id);
        EXPECT_EQ(owner->h2stream ? owner->h2stream->connection : owner->id, 1u);
        EXPECT_GT(a.packet, 0u) << anomalyName(a.id);
    }
}

INSTANTIATE_TEST_SUITE_P(Analyzer, AnomalyTable, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& p) {
                             return std::string(p.param.name);
                         });

/// Verdict::accessLogShows200: certain on the bad conversation, never on the good one.
struct AccessLogCase {
    const char* name;
    Script bad;
    Script good;
};

const AccessLogCase kAccessLogCases[] = {
    // gin's access log shows 200 (Verdict::accessLogShows200) only where the server is Go by
    // evidence: gorilla's 101 layout is node
    // ws' too, so a later fact must narrow it (narrowServerFingerprint).
    {"gin_logs_200",
     [](Conversation& c) { // gorilla answers "bye" with the code alone
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, closeFrame(1000, "bye", true)).send(S2C, closeFrame(1000, "", false));
         c.fin(S2C).fin(C2S).end();
         EXPECT_TRUE(c.connection().serverIsGo);
         EXPECT_EQ(c.connection().responses[0].fingerprint, "gorilla/websocket");
     },
     [](Conversation& c) { // node ws echoes code and reason: the same 101 is node's
         healthy(c);
         EXPECT_FALSE(c.connection().serverIsGo);
         EXPECT_EQ(c.connection().responses[0].fingerprint, "node ws");
     }},
    {"gin_logs_200_protocol_error_text",
     [](Conversation& c) { // gorilla's protocol-error Close text
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, frame(0x1, "x", false)).send(S2C, closeFrame(1002, "bad MASK", false));
         c.fin(S2C).fin(C2S).end();
     },
     [](Conversation& c) { // nothing tells gorilla from node ws: both names, no gin claim
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, closeFrame(1000, "", true)).send(S2C, closeFrame(1000, "", false));
         c.fin(S2C).fin(C2S).end();
         EXPECT_FALSE(c.connection().serverIsGo);
         EXPECT_EQ(c.connection().responses[0].fingerprint, "gorilla/websocket or node ws");
         EXPECT_NE(c.connection().responses[0].fingerprintEvidence.find(
                       "nothing the server did later tells them apart"),
                   std::string::npos);
     }},
    {"gin_logs_200_not_nginx",
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, gorilla101());
         c.send(C2S, closeFrame(1000, "bye", true)).send(S2C, closeFrame(1000, "", false));
         c.fin(S2C).fin(C2S).end();
     },
     [](Conversation& c) {
         c.handshake().send(C2S, upgradeRequest()).send(S2C, nginx101());
         c.send(C2S, closeFrame(1000, "bye", true)).send(S2C, closeFrame(1000, "", false));
         c.fin(S2C).fin(C2S).end();
     }},
};

class AccessLogTable : public ::testing::TestWithParam<AccessLogCase> {};

TEST_P(AccessLogTable, CertainOnlyWhereTheServerIsGo) {
    const AccessLogCase& tc = GetParam();
    Conversation bad;
    tc.bad(bad);
    EXPECT_TRUE(bad.connection().verdict.accessLogShows200);
    Conversation good;
    tc.good(good);
    EXPECT_FALSE(good.connection().verdict.accessLogShows200);
}

INSTANTIATE_TEST_SUITE_P(Analyzer, AccessLogTable, ::testing::ValuesIn(kAccessLogCases),
                         [](const ::testing::TestParamInfo<AccessLogCase>& p) {
                             return std::string(p.param.name);
                         });

} // namespace
} // namespace wst::test
