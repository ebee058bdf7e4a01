// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace wst {

/// What RFC 6455 §7.4 says about a status code found in a Close frame on the wire.
enum class CloseCodeStatus : std::uint8_t {
    Valid,          ///< 1000–1003, 1007–1014 (1012–1014 from the IANA registry), 3000–4999
    ReservedOnWire, ///< 1005, 1006, 1015: local pseudo codes that MUST NOT be sent (§7.4.1)
    Invalid,        ///< < 1000, 1004, 1016–2999 (unassigned), ≥ 5000 (§7.4.2)
};

CloseCodeStatus closeCodeStatus(std::uint16_t code);

} // namespace wst
