// SPDX-License-Identifier: MIT
#include "decoder/http2/hpack.h"

#include <algorithm>
#include <fmt/format.h>
#include <nghttp2/nghttp2.h>

namespace wst::h2 {

HpackDecoder::HpackDecoder(std::size_t maxListBytes)
    : m_maxListBytes(maxListBytes) {
    if (nghttp2_hd_inflate_new(&m_inflater) != 0) {
        m_inflater = nullptr;
        m_failed = true;
        m_error = "could not create the HPACK inflater (out of memory)";
    }
}

HpackDecoder::~HpackDecoder() {
    if (m_inflater) {
        nghttp2_hd_inflate_del(m_inflater);
    }
}

void HpackDecoder::setMaxTableSize(std::uint32_t size) {
    if (m_inflater) {
        // RFC 7541 §4.2: the encoder may not use more than the decoder's setting; nghttp2
        // rejects a dynamic table size update above it (NGHTTP2_ERR_HEADER_COMP).
        nghttp2_hd_inflate_change_table_size(m_inflater,
                                             std::min<std::size_t>(size, kMaxTableSize));
    }
}

std::size_t HpackDecoder::tableSize() const {
    return m_inflater ? nghttp2_hd_inflate_get_dynamic_table_size(m_inflater) : 0;
}

bool HpackDecoder::feed(Bytes fragment, bool last) {
    if (m_failed) {
        return false;
    }
    if (m_blockDone) {
        m_fields.clear();
        m_listBytes = 0;
        m_overflowed = false;
        m_blockDone = false;
    }
    const std::uint8_t* in = fragment.data();
    std::size_t left = fragment.size();
    // Each call consumes input or emits a field, so the loop is linear in the fragment and the
    // number of fields it encodes.
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        const ssize_t n = nghttp2_hd_inflate_hd2(m_inflater, &nv, &flags, in, left, last ? 1 : 0);
        if (n < 0) {
            m_failed = true;
            m_error =
                fmt::format("{} (nghttp2 error {})", nghttp2_strerror(static_cast<int>(n)), n);
            return false;
        }
        in += n;
        left -= static_cast<std::size_t>(n);
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            const std::size_t cost = nv.namelen + nv.valuelen + 32; // RFC 9113 §6.5.2
            if (m_fields.size() < kMaxFields && m_listBytes + cost <= m_maxListBytes) {
                m_fields.push_back(
                    {std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                     std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen)});
                m_listBytes += cost;
            } else {
                m_overflowed = true;
            }
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(m_inflater);
            m_blockDone = true;
            break;
        }
        if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0) {
            break; // fragment used up; more to come
        }
    }
    return true;
}

} // namespace wst::h2
