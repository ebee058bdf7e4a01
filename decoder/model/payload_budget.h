// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

#include <cstddef>
#include <cstdint>
#include <limits>

namespace wst {

/// Bounds the message payload bytes a whole-trace consumer keeps over a run (issue 8: the GUI
/// holds a 1 GB capture in at most 0.3x its size). Per message the decoder already keeps at
/// most Limits::payloadPrefixBytes; this caps the sum. Messages take their whole prefix while
/// the budget lasts, in capture order (so the result is deterministic); after that each keeps
/// only its first kHeadBytes, enough for a one-line preview and stored inside std::string
/// itself (no heap block). `length` still counts every byte, so consumers see a cut payload as
/// `payload.size() < length`, the same as a prefix cut by Limits::payloadPrefixBytes.
class PayloadBudget {
public:
    /// Bytes kept per message once the budget is used up: what libstdc++ and libc++ store
    /// inline in a std::string (15 and 22), so such a payload costs no allocation.
    static constexpr std::size_t kHeadBytes = 15;
    static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

    explicit PayloadBudget(std::uint64_t totalBytes = kUnlimited)
        : m_total(totalBytes) {}

    /// How many of a `size`-byte payload to keep; charges that many bytes to the budget.
    std::size_t take(std::size_t size);
    /// A copy of `m` whose payload holds at most take(m.payload.size()) bytes; the cut bytes
    /// are never copied.
    Message copy(const Message& m);

    std::uint64_t total() const { return m_total; }
    std::uint64_t kept() const { return m_kept; }
    /// Payload bytes that were retained by the decoder but not kept here.
    std::uint64_t dropped() const { return m_dropped; }
    bool exhausted() const { return m_kept >= m_total; }

private:
    std::uint64_t m_total;
    std::uint64_t m_kept = 0;
    std::uint64_t m_dropped = 0;
};

} // namespace wst
