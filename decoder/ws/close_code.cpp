// SPDX-License-Identifier: MIT
#include "decoder/ws/close_code.h"

namespace wst {

CloseCodeStatus closeCodeStatus(std::uint16_t code) {
    // RFC 6455 §7.4.1: 1005 (no status), 1006 (abnormal) and 1015 (TLS failure) are reported
    // by an endpoint's API and MUST NOT be set in a Close frame.
    if (code == 1005 || code == 1006 || code == 1015) {
        return CloseCodeStatus::ReservedOnWire;
    }
    // §7.4.1 defines 1000–1003 and 1007–1011 (1004 is reserved); the IANA WebSocket Close
    // Code registry added 1012 (service restart), 1013 (try again later), 1014 (bad gateway).
    if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)) {
        return CloseCodeStatus::Valid;
    }
    // §7.4.2: 3000–3999 registered with IANA for libraries and frameworks, 4000–4999 private.
    if (code >= 3000 && code <= 4999) {
        return CloseCodeStatus::Valid;
    }
    return CloseCodeStatus::Invalid;
}

bool closeCodeIsFailure(std::uint16_t code) {
    if (closeCodeStatus(code) != CloseCodeStatus::Valid) {
        return true;
    }
    switch (code) {
    case 1002:
    case 1003:
    case 1007:
    case 1008:
    case 1009:
    case 1010:
    case 1011:
    case 1014:
        return true;
    default:
        return false;
    }
}

} // namespace wst
