// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <limits>

namespace wst {

/// Decompression work allowed to one connection, or to a whole capture (docs/limits.md,
/// `ws_deflate_budget_exceeded`). Work is counted in bytes: every decompressed byte the
/// Inflater produces, and Inflater::kRestartWork for every restart of zlib's stream (a final
/// block inside a message, which costs a window copy and produces nothing). The allowance grows
/// by `perCompressedByte` for every compressed byte fed, so the bound is a fixed amount plus a
/// ratio of the input: legitimate traffic (deflate rarely reaches 256:1 over a whole
/// connection) keeps inflating, while resets and bombs stop once they have used the fixed part.
/// Once spent, a budget stays spent. Not thread-safe (one per Analyzer, which is
/// single-threaded).
class InflateBudget {
public:
    InflateBudget(std::uint64_t allowance, std::uint64_t perCompressedByte)
        : m_left(allowance)
        , m_perCompressedByte(perCompressedByte) {}

    /// `compressedBytes` more input: the allowance grows (saturating).
    void credit(std::uint64_t compressedBytes) {
        if (m_spent) {
            return;
        }
        const std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - m_left;
        const std::uint64_t add =
            m_perCompressedByte != 0 && compressedBytes > room / m_perCompressedByte
                ? room
                : compressedBytes * m_perCompressedByte;
        m_left += add;
    }
    /// Charges `work` bytes; false (and spent() from now on) when more than is left.
    bool charge(std::uint64_t work) {
        if (m_spent || work > m_left) {
            m_spent = true;
            m_left = 0;
            return false;
        }
        m_left -= work;
        return true;
    }
    bool spent() const { return m_spent; }

private:
    std::uint64_t m_left;
    std::uint64_t m_perCompressedByte;
    bool m_spent = false;
};

/// The budgets one Inflater charges; either may be null (not limited).
struct InflateBudgets {
    InflateBudget* connection = nullptr;
    InflateBudget* capture = nullptr;

    bool spent() const {
        return (connection && connection->spent()) || (capture && capture->spent());
    }
};

} // namespace wst
