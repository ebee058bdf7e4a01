// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <cstdint>

namespace wst {

/// What permessage-deflate was agreed (RFC 7692 §7.1): filled by the handshake validator
/// (decoder/http), kept by the connection analyzer and handed to the frame decoder and its
/// Inflater (decoder/ws). Window bits are the LZ77 window the *sender* of a direction uses; the
/// frame decoder inflates with at least that window. Defaults (15, context takeover) are what a
/// receiver must assume when nothing was negotiated.
struct DeflateParams {
    bool enabled = false;
    std::uint8_t serverMaxWindowBits = 15; ///< server→client messages (§7.1.2.1)
    std::uint8_t clientMaxWindowBits = 15; ///< client→server messages (§7.1.2.2)
    bool serverNoContextTakeover = false;  ///< server resets its context per message (§7.1.1.1)
    bool clientNoContextTakeover = false;  ///< client resets its context per message (§7.1.1.2)

    /// Window bits used by the side that sends in direction `d`.
    std::uint8_t windowBits(Direction d) const {
        return d == Direction::ClientToServer ? clientMaxWindowBits : serverMaxWindowBits;
    }
    /// Whether the side that sends in direction `d` resets its context after each message.
    bool noContextTakeover(Direction d) const {
        return d == Direction::ClientToServer ? clientNoContextTakeover : serverNoContextTakeover;
    }
    friend bool operator==(const DeflateParams&, const DeflateParams&) = default;
};

} // namespace wst
