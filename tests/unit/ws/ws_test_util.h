// SPDX-License-Identifier: MIT
// Helpers for the WebSocket tests: hand-built frames (RFC 6455 §5.2) and zlib raw deflate.
#pragma once

#include "capture/core/types.h"
#include "decoder/ws/unmask.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace wst::test {

using Buf = std::vector<std::uint8_t>;

inline Buf toBuf(std::string_view s) {
    return Buf(s.begin(), s.end());
}
inline Bytes bytesOf(const Buf& b) {
    return Bytes(b.data(), b.size());
}

enum class LenForm { Minimal, Force16, Force64 };

struct FrameSpec {
    bool fin = true;
    std::uint8_t rsv = 0;
    std::uint8_t opcode = 0x1;
    Buf payload;
    bool masked = false;
    std::array<std::uint8_t, 4> key{0x37, 0xfa, 0x21, 0x3d};
    LenForm form = LenForm::Minimal;
    std::uint64_t lengthOverride = 0; ///< nonzero: write this length instead (payload as is)
};

inline Buf build(const FrameSpec& s) {
    Buf out;
    out.push_back(static_cast<std::uint8_t>((s.fin ? 0x80 : 0) | (s.rsv << 4) | s.opcode));
    const std::uint64_t len = s.lengthOverride ? s.lengthOverride : s.payload.size();
    const std::uint8_t mask = s.masked ? 0x80 : 0;
    if (s.form == LenForm::Minimal && len < 126) {
        out.push_back(static_cast<std::uint8_t>(mask | len));
    } else if ((s.form == LenForm::Minimal && len <= 0xffff) || s.form == LenForm::Force16) {
        out.push_back(mask | 126);
        out.push_back(static_cast<std::uint8_t>(len >> 8));
        out.push_back(static_cast<std::uint8_t>(len));
    } else {
        out.push_back(mask | 127);
        for (int i = 7; i >= 0; --i) {
            out.push_back(static_cast<std::uint8_t>(len >> (8 * i)));
        }
    }
    Buf body = s.payload;
    if (s.masked) {
        out.insert(out.end(), s.key.begin(), s.key.end());
        unmask(body.data(), body.data(), body.size(), s.key, 0); // XOR is its own inverse
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

/// A frame as a client (masked) or server (unmasked) would send it.
inline Buf frame(Direction d, std::uint8_t opcode, const Buf& payload, bool fin = true,
                 std::uint8_t rsv = 0) {
    FrameSpec s;
    s.fin = fin;
    s.rsv = rsv;
    s.opcode = opcode;
    s.payload = payload;
    s.masked = d == Direction::ClientToServer;
    return build(s);
}
inline Buf frame(Direction d, std::uint8_t opcode, std::string_view payload, bool fin = true,
                 std::uint8_t rsv = 0) {
    return frame(d, opcode, toBuf(payload), fin, rsv);
}

inline Buf closeBody(std::uint16_t code, std::string_view reason = {}) {
    // Sized up front: growing a 2-byte vector by insert trips a GCC 12 -Warray-bounds false
    // positive.
    Buf b(2 + reason.size());
    b[0] = static_cast<std::uint8_t>(code >> 8);
    b[1] = static_cast<std::uint8_t>(code);
    std::copy(reason.begin(), reason.end(), b.begin() + 2);
    return b;
}

inline Buf cat(std::initializer_list<Buf> parts) {
    Buf out;
    for (const Buf& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// A permessage-deflate compressor (RFC 7692 §7.2.1) built on zlib's raw deflate.
class Deflater {
public:
    Deflater(int windowBits, bool noContextTakeover, int level = Z_DEFAULT_COMPRESSION)
        : m_reset(noContextTakeover) {
        if (deflateInit2(&m_z, level, Z_DEFLATED, -windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            throw std::runtime_error("deflateInit2");
        }
    }
    ~Deflater() { deflateEnd(&m_z); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    /// One message: compressed with a sync flush, the trailing 00 00 ff ff removed.
    Buf message(const Buf& in) {
        Buf out(deflateBound(&m_z, static_cast<uLong>(in.size())) + 64);
        m_z.next_in = const_cast<Bytef*>(in.data());
        m_z.avail_in = static_cast<uInt>(in.size());
        m_z.next_out = out.data();
        m_z.avail_out = static_cast<uInt>(out.size());
        while (true) {
            const int rc = deflate(&m_z, Z_SYNC_FLUSH);
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                throw std::runtime_error("deflate");
            }
            if (m_z.avail_out != 0) {
                break;
            }
            const std::size_t used = out.size();
            out.resize(out.size() * 2);
            m_z.next_out = out.data() + used;
            m_z.avail_out = static_cast<uInt>(out.size() - used);
        }
        out.resize(out.size() - m_z.avail_out);
        if (out.size() < 4 || out[out.size() - 4] != 0 || out[out.size() - 3] != 0 ||
            out[out.size() - 2] != 0xff || out[out.size() - 1] != 0xff) {
            throw std::runtime_error("no sync flush tail");
        }
        out.resize(out.size() - 4);
        if (m_reset) {
            deflateReset(&m_z);
        }
        return out;
    }

private:
    z_stream m_z{};
    bool m_reset;
};

} // namespace wst::test
