// SPDX-License-Identifier: MIT
// Helpers for the WebSocket tests: frames from tests/support and zlib raw deflate.
#pragma once

#include "tests/support/ws_frames.h"

#include <stdexcept>
#include <zlib.h>

namespace wst::test {

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
