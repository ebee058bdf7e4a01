// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstdint>

namespace wst {

/// Streaming UTF-8 validator (RFC 3629 §4, as RFC 6455 §5.6 and §8.1 require for text):
/// rejects overlong forms, surrogates (U+D800–U+DFFF), code points above U+10FFFF and stray
/// continuation bytes. Text may be fed in pieces split anywhere, even inside a code point.
/// ASCII runs take a fast path eight bytes at a time.
class Utf8Validator {
public:
    /// Validates the next piece. Returns false once the text is known to be invalid; the
    /// failure is sticky until reset().
    bool feed(Bytes bytes);
    /// The text ended: true only if every sequence is valid and complete (a code point cut at
    /// the end of a message is invalid, RFC 6455 §8.1).
    bool finish() const { return m_state == 0; }
    bool failed() const { return m_state == kReject; }
    /// True between the bytes of one multi-byte sequence.
    bool midSequence() const { return m_state != 0 && m_state != kReject; }
    /// Failed: index of the offending byte in the text fed since reset(). Otherwise the count
    /// of bytes fed.
    std::uint64_t position() const { return m_position; }
    void reset() {
        m_state = 0;
        m_position = 0;
    }

    static constexpr std::uint8_t kReject = 8;

private:
    std::uint8_t m_state = 0;
    std::uint64_t m_position = 0;
};

/// True if all of `bytes` is valid, complete UTF-8.
bool isValidUtf8(Bytes bytes);

} // namespace wst
