// SPDX-License-Identifier: MIT
// Fuzz target: HttpBodyTracker (decoder/http). Input: byte 0 picks the framing (chunked,
// Content-Length of byte 0 >> 2, or until close), byte 1 the piece size; the rest is the
// stream. Fed whole and in pieces, the body must end at the same stream offset with the same
// payload, or fail at the same offset (STYLE.md §14).
#include "decoder/http/http_body_tracker.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

struct Outcome {
    wst::HttpBodyTracker::Status status = wst::HttpBodyTracker::Status::NeedMore;
    std::uint64_t offset = 0; ///< stream offset where the body ended or failed
    std::string payload;
    bool operator==(const Outcome&) const = default;
};

Outcome run(const wst::BodyFraming& framing, std::string_view stream, std::size_t step) {
    wst::HttpBodyTracker t(/*maxLineBytes=*/64, /*maxTrailerBytes=*/256);
    t.start(framing);
    Outcome out;
    for (std::size_t pos = 0;;) {
        const std::string_view piece = stream.substr(pos, step);
        const auto r = t.feed(piece, &out.payload, 512);
        if (r.consumed > piece.size())
            std::abort();
        if (r.status != wst::HttpBodyTracker::Status::NeedMore) {
            out.status = r.status;
            out.offset = pos + r.consumed;
            return out;
        }
        pos += piece.size();
        if (pos >= stream.size()) {
            out.offset = pos;
            return out;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    wst::BodyFraming framing;
    switch (data[0] % 3) {
    case 0:
        framing.kind = wst::BodyFraming::Kind::Chunked;
        break;
    case 1:
        framing.kind = wst::BodyFraming::Kind::Length;
        framing.length = data[0] >> 2;
        break;
    default:
        framing.kind = wst::BodyFraming::Kind::UntilClose;
        break;
    }
    const std::size_t step = std::max<std::size_t>(1, data[1]);
    const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);
    const Outcome whole = run(framing, stream, std::max<std::size_t>(stream.size(), 1));
    if (whole.offset > stream.size() || !(run(framing, stream, step) == whole))
        std::abort();
    if (std::max<std::size_t>(1, stream.size() / 512) == 1 && !(run(framing, stream, 1) == whole))
        std::abort();
    return 0;
}
