// SPDX-License-Identifier: MIT
#include "decoder/model/payload_budget.h"

#include <algorithm>

namespace wst {

std::size_t PayloadBudget::take(std::size_t size) {
    const std::uint64_t room = m_total - std::min(m_total, m_kept);
    // A payload that fits stays whole; one that does not keeps the rest of the budget or at
    // least the head, so the budget is never exceeded by more than kHeadBytes per message.
    const std::size_t keep =
        size <= room ? size : std::min(size, std::max<std::size_t>(kHeadBytes, room));
    m_kept += keep;
    m_dropped += size - keep;
    return keep;
}

Message PayloadBudget::copy(const Message& m) {
    // Every field but the payload, listed so that the payload's bytes past `keep` are never
    // copied. A new Message field must be added here: the size check below is the reminder.
    static_assert(sizeof(void*) != 8 || sizeof(Message) == 64 + sizeof(std::string),
                  "Message changed: copy the new field in PayloadBudget::copy");
    Message out;
    out.connection = m.connection;
    out.direction = m.direction;
    out.opcode = m.opcode;
    out.compressed = m.compressed;
    out.complete = m.complete;
    out.validText = m.validText;
    out.frames = m.frames;
    out.wireLength = m.wireLength;
    out.length = m.length;
    out.first = m.first;
    out.last = m.last;
    out.firstPacket = m.firstPacket;
    out.lastPacket = m.lastPacket;
    out.payload.assign(m.payload, 0, take(m.payload.size()));
    return out;
}

} // namespace wst
