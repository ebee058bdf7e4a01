// SPDX-License-Identifier: MIT
// Fuzz target: permessage-deflate decompression (decoder/ws Inflater, RFC 7692) with fuzzed
// window bits and context takeover, messages fed in pieces, output bounded per message and
// work bounded by small connection and capture budgets (many stream ends: corpus stream-ends).
#include "decoder/ws/inflater.h"
#include "tests/fuzz/fuzz_input.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    wst::fuzz::FuzzInput in(data, size);
    const std::uint8_t cfg = in.u8();
    wst::DeflateParams params;
    params.enabled = true;
    params.serverMaxWindowBits = static_cast<std::uint8_t>(8 + (cfg & 7));
    params.serverNoContextTakeover = (cfg & 8) != 0;
    const std::uint64_t limit = 1 << 16;
    // Small budgets, so that the Budget path is reached within one input (docs/limits.md).
    wst::InflateBudget connection(std::uint64_t{1} << 20, 16);
    wst::InflateBudget capture(std::uint64_t{2} << 20, 16);
    wst::Inflater inflater(params, wst::Direction::ServerToClient, limit, {&connection, &capture});
    std::uint64_t produced = 0;
    auto sink = [&](wst::Bytes out) {
        produced += out.size();
        if (out.size() > 16 * 1024 || inflater.messageBytes() > limit) {
            std::abort();
        }
    };
    while (!in.empty()) {
        const std::uint8_t ctl = in.u8();
        if ((ctl & 0xc0) == 0xc0) {
            inflater.finishMessage(sink);
            produced = 0;
        } else if ((ctl & 0xc0) == 0x80 && ctl == 0xbf) {
            inflater.abortMessage();
            produced = 0;
        } else {
            inflater.feed(in.bytes((ctl & 0x3f) + 1), sink);
        }
        if (produced > limit) {
            std::abort();
        }
    }
    inflater.finishMessage(sink);
    return 0;
}
