// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace wst::fuzz {

/// Takes structured values off the front of a fuzz input. Past the end every read returns
/// zero / empty, so any input drives the target somewhere.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : m_data(data)
        , m_size(size) {}

    bool empty() const { return m_pos >= m_size; }
    std::size_t remaining() const { return m_size - m_pos; }

    std::uint8_t u8() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(u8() << 8 | u8()); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) << 16 | u16(); }

    /// Up to `n` bytes (fewer at the end of the input).
    Bytes bytes(std::size_t n) {
        n = std::min(n, remaining());
        const Bytes out{m_data + m_pos, n};
        m_pos += n;
        return out;
    }
    Bytes rest() { return bytes(remaining()); }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace wst::fuzz
