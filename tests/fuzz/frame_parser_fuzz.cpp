// SPDX-License-Identifier: MIT
// Fuzz target: the RFC 6455 frame splitter (decoder/ws) in both directions. The input is
// split into chunks that alternate between a client→server and a server→client parser, with
// occasional gaps, and the handler checks the parser's promises: offsets continue, payload
// never exceeds the announced length, onFrameEnd only after a header.
#include "decoder/ws/frame_parser.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>

namespace {

class CheckingHandler final : public wst::FrameHandler {
public:
    void onFrameHeader(const wst::FrameHeader& h, std::uint64_t) override {
        if (m_inFrame || h.headerLength < 2 || h.headerLength > 14) {
            std::abort();
        }
        m_inFrame = true;
        m_length = h.payloadLength;
        m_seen = 0;
        m_wanted = std::min<std::uint64_t>(h.payloadLength, m_want);
    }
    std::uint64_t payloadWanted(const wst::FrameHeader& h) override {
        return std::min<std::uint64_t>(h.payloadLength, m_want);
    }
    void onPayload(wst::Bytes b, std::uint64_t off) override {
        if (!m_inFrame || off != m_seen || off + b.size() > m_length) {
            std::abort();
        }
        m_seen += b.size();
    }
    void onPayloadSkipped(std::uint64_t len, std::uint64_t off) override {
        if (!m_inFrame || off != m_seen || off + len > m_length) {
            std::abort();
        }
        m_seen += len;
    }
    void onPayloadGap(std::uint64_t len, std::uint64_t off) override {
        if (!m_inFrame || off != m_seen || off + len > m_length) {
            std::abort();
        }
        m_seen += len;
    }
    void onFrameEnd() override {
        if (!m_inFrame || m_seen != m_length) {
            std::abort();
        }
        m_inFrame = false;
    }
    void onDesync(std::uint64_t) override { m_inFrame = false; }
    void onResync(std::uint64_t, std::uint64_t) override {}

    std::uint64_t m_want = 1 << 20;

private:
    bool m_inFrame = false;
    std::uint64_t m_length = 0, m_seen = 0, m_wanted = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::FuzzInput in(data, size);
    CheckingHandler handler[2];
    handler[1].m_want = in.u8() & 1 ? 16 : 1 << 20; // sometimes only a prefix is wanted
    wst::FrameParser parser[2] = {wst::FrameParser(handler[0]), wst::FrameParser(handler[1])};
    wst::FrameExpectations exp[2];
    exp[0].masked = true;
    exp[1].masked = false;
    exp[1].allowedRsv = 0x4;
    parser[0].setExpectations(exp[0]);
    parser[1].setExpectations(exp[1]);
    std::uint64_t offset[2] = {0, 0};
    while (!in.empty()) {
        const std::uint8_t ctl = in.u8();
        const int d = ctl & 1;
        if ((ctl & 0x0e) == 0x0e) { // a gap of known length
            const std::uint64_t len = in.u8() + 1;
            if (parser[d].onGap(len) == false && (ctl & 0x10) != 0) {
                parser[d].resync();
            }
            offset[d] += len;
            continue;
        }
        const wst::Bytes chunk = in.bytes((ctl >> 4) * 16 + 1);
        parser[d].feed(chunk, offset[d]);
        offset[d] += chunk.size();
    }
    return 0;
}
