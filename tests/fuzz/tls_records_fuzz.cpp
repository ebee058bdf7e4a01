// SPDX-License-Identifier: MIT
// Fuzz target: the TLS record layer and the handshake fields read in clear (decoder/tls). Input:
// byte 0 picks a segment size (1..64) and bytes 1..n alternate between the client's and the
// server's stream every 256 bytes; a 0xff segment-size byte inserts a gap. Whatever the bytes,
// the summary stays bounded and every finding is a tls_ anomaly.
#include "decoder/tls/tls_handshake.h"
#include "decoder/tls/tls_stream.h"

#include <cstdlib>

namespace {

class Observer final : public wst::TlsObserver {
public:
    void tlsAnomaly(wst::AnomalyId id, wst::Direction, const wst::SegmentInfo&, std::uint64_t,
                    std::string detail) override {
        if (wst::anomalyName(id).rfind("tls_", 0) != 0 || detail.empty())
            std::abort();
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1)
        return 0;
    Observer observer;
    wst::TlsStream tls(observer);
    const std::size_t chunk = (data[0] & 63) + 1;
    const bool gaps = data[0] == 0xff;
    std::uint64_t offset[2] = {0, 0};
    wst::SegmentInfo info;
    std::size_t at = 1;
    while (at < size) {
        const std::size_t block = std::min<std::size_t>(256, size - at);
        const auto d = ((at - 1) / 256) % 2 == 0 ? wst::Direction::ClientToServer
                                                 : wst::Direction::ServerToClient;
        for (std::size_t i = 0; i < block; i += chunk) {
            const std::size_t n = std::min(chunk, block - i);
            tls.onData(d, offset[wst::index(d)], wst::Bytes(data + at + i, n), info);
            offset[wst::index(d)] += n;
            ++info.packet;
        }
        at += block;
        if (gaps) {
            tls.onGap(d, offset[wst::index(d)], 7, info);
            offset[wst::index(d)] += 7;
        }
    }
    const wst::TlsSummary& s = tls.summary();
    if (s.alerts.size() > 16 || s.alpnOffered.size() > 32 || s.offeredVersions.size() > 16)
        std::abort();
    // The field parsers alone, on the raw input.
    wst::TlsSummary direct;
    (void)wst::parseClientHello(wst::Bytes(data, size), direct);
    (void)wst::parseServerHello(wst::Bytes(data, size), direct);
    (void)wst::parseCertificate(wst::Bytes(data, size), direct);
    return 0;
}
