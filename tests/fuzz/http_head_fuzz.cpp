// SPDX-License-Identifier: MIT
// Fuzz target: HTTP/1.x head parsing (decoder/http), requests and responses, fed whole and in
// growing prefixes as the analyzer does; a split must never change the result (STYLE.md §14).
#include "decoder/http/http_head_parser.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const auto kind = (data[0] & 1) != 0 ? wst::HttpHeadParser::Kind::Response
                                         : wst::HttpHeadParser::Kind::Request;
    const std::size_t split = data[1];
    const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
    const std::size_t limit = 4096;

    wst::HttpHeadParser whole(kind, limit);
    wst::HttpHead headWhole;
    const auto rWhole = whole.parse(text, headWhole);

    wst::HttpHeadParser pieces(kind, limit);
    wst::HttpHead headPieces;
    wst::HttpHeadParser::Result r;
    // At most ~256 parse calls per input, so long inputs still run fast enough to fuzz.
    const std::size_t step = std::max<std::size_t>(split == 0 ? 1 : split, text.size() / 256);
    for (std::size_t n = std::min(step, text.size());; n = std::min(n + step, text.size())) {
        headPieces = {};
        r = pieces.parse(text.substr(0, n), headPieces);
        if (r.status != wst::HttpHeadParser::Status::NeedMore || n == text.size()) {
            break;
        }
    }
    if (r.status != rWhole.status || r.consumed != rWhole.consumed) {
        std::abort();
    }
    if (rWhole.status == wst::HttpHeadParser::Status::Complete) {
        if (rWhole.consumed > text.size() || headWhole.headLength != rWhole.consumed ||
            headWhole.headers.size() != headPieces.headers.size()) {
            std::abort();
        }
        for (const auto& h : headWhole.headers) {
            // Views must point into the input.
            if (h.name.data() < text.data() ||
                h.name.data() + h.name.size() > text.data() + text.size()) {
                std::abort();
            }
        }
        (void)headWhole.hasToken("connection", "upgrade");
        (void)headWhole.header("sec-websocket-key");
    }
    return 0;
}
