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

/// Whether a Close with this code says the connection failed (RFC 6455 §7.4.1: 1002 protocol
/// error, 1003 unacceptable data, 1007 invalid payload, 1008 policy, 1009 too big, 1010 missing
/// extension, 1011 internal error; IANA 1014 bad gateway), or carries a code no endpoint may
/// send. 1000, 1001 (going away), 1012, 1013 (restart, try later) and 3000–4999 (the
/// application's own) do not.
bool closeCodeIsFailure(std::uint16_t code);

} // namespace wst
