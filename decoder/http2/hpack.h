// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

struct nghttp2_hd_inflater;

namespace wst::h2 {

struct HeaderField {
    std::string name;
    std::string value;
};

/// One direction's HPACK decoding context (RFC 7541), through libnghttp2's inflater — never a
/// hand-written HPACK. A header block may arrive in any number of fragments (HEADERS, then
/// CONTINUATION frames); each is inflated as it comes, so nothing but the decoded list is kept.
///
/// Bounds: the decoded list keeps at most `maxListBytes` (name + value + 32 per field, the
/// RFC 9113 §6.5.2 measure) and kMaxFields fields; the rest is decoded (the dynamic table must
/// stay in step with the encoder) but dropped, and overflowed() says so. The dynamic table may
/// grow only to the size the receiver allowed (setMaxTableSize, SETTINGS_HEADER_TABLE_SIZE, at
/// most kMaxTableSize): a larger table size update is an error (the table-size bomb).
class HpackDecoder {
public:
    static constexpr std::size_t kMaxFields = 1024;
    static constexpr std::size_t kMaxTableSize = 1024 * 1024;

    explicit HpackDecoder(std::size_t maxListBytes);
    ~HpackDecoder();
    HpackDecoder(const HpackDecoder&) = delete;
    HpackDecoder& operator=(const HpackDecoder&) = delete;

    /// The receiver's SETTINGS_HEADER_TABLE_SIZE (capped at kMaxTableSize).
    void setMaxTableSize(std::uint32_t size);
    /// One fragment of the current block; `last`: the block ends with it (END_HEADERS). False
    /// on a decoding error (error() says which): the context is then unusable for good.
    bool feed(Bytes fragment, bool last);
    /// The fields of the block that ended; cleared by the next feed after a last one.
    const std::vector<HeaderField>& fields() const { return m_fields; }
    bool overflowed() const { return m_overflowed; }
    bool failed() const { return m_failed; }
    const std::string& error() const { return m_error; }
    std::size_t tableSize() const;

private:
    nghttp2_hd_inflater* m_inflater = nullptr;
    std::size_t m_maxListBytes;
    std::size_t m_listBytes = 0;
    std::vector<HeaderField> m_fields;
    bool m_blockDone = true;
    bool m_overflowed = false;
    bool m_failed = false;
    std::string m_error;
};

} // namespace wst::h2
