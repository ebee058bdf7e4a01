// SPDX-License-Identifier: MIT
#include "tests/support/ws_frames.h"

#include <algorithm>

namespace wst::test {

void appendFrameHeader(Buf& out, const FrameSpec& s, std::uint64_t length) {
    out.push_back(static_cast<std::uint8_t>((s.fin ? 0x80 : 0) | (s.rsv << 4) | s.opcode));
    const std::uint64_t len = s.lengthOverride ? s.lengthOverride : length;
    const std::uint8_t mask = s.masked ? 0x80 : 0;
    if (s.form == LenForm::Minimal && len < 126) {
        out.push_back(static_cast<std::uint8_t>(mask | len));
    } else if ((s.form == LenForm::Minimal && len <= 0xffff) || s.form == LenForm::Force16) {
        out.push_back(mask | 126);
        put16(out, static_cast<std::uint16_t>(len));
    } else {
        out.push_back(mask | 127);
        put32(out, static_cast<std::uint32_t>(len >> 32));
        put32(out, static_cast<std::uint32_t>(len));
    }
    if (s.masked) {
        out.insert(out.end(), s.key.begin(), s.key.end());
    }
}

Buf wsFrame(const FrameSpec& s) {
    Buf out;
    appendFrameHeader(out, s, s.payload.size());
    for (std::size_t i = 0; i < s.payload.size(); ++i) {
        out.push_back(s.masked ? static_cast<std::uint8_t>(s.payload[i] ^ s.key[i % 4])
                               : s.payload[i]);
    }
    return out;
}

Buf frame(Direction d, std::uint8_t opcode, const Buf& payload, bool fin, std::uint8_t rsv) {
    FrameSpec s;
    s.fin = fin;
    s.rsv = rsv;
    s.opcode = opcode;
    s.payload = payload;
    s.masked = d == Direction::ClientToServer;
    return wsFrame(s);
}

Buf frame(Direction d, std::uint8_t opcode, std::string_view payload, bool fin, std::uint8_t rsv) {
    return frame(d, opcode, toBuf(payload), fin, rsv);
}

Buf closeBody(std::uint16_t code, std::string_view reason) {
    // Sized up front: growing a 2-byte vector by insert trips a GCC 12 -Warray-bounds false
    // positive.
    Buf b(2 + reason.size());
    b[0] = static_cast<std::uint8_t>(code >> 8);
    b[1] = static_cast<std::uint8_t>(code);
    std::copy(reason.begin(), reason.end(), b.begin() + 2);
    return b;
}

} // namespace wst::test
