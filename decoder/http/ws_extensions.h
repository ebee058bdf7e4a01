// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"
#include "decoder/http/http_head_parser.h"
#include "decoder/model/deflate_params.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wst {

/// One parameter of an extension element: `name[=value]` (RFC 6455 §9.1).
struct ExtensionParam {
    std::string_view name;
    std::string_view value; ///< without surrounding quotes; escapes kept as sent
    bool hasValue = false;
};

/// One element of a Sec-WebSocket-Extensions list: `name *( ";" param )` (RFC 6455 §9.1).
/// Views point into the head's bytes.
struct ExtensionElement {
    std::string_view name;
    std::vector<ExtensionParam> params;
    std::string_view text; ///< the whole element as sent, trimmed
};

/// Every element of every Sec-WebSocket-Extensions header of `head`, in order. Elements with an
/// empty name are skipped.
std::vector<ExtensionElement> parseExtensions(const HttpHead& head);

/// Every element of every Sec-WebSocket-Protocol header of `head`, in order (RFC 6455 §11.3.4).
std::vector<std::string_view> parseSubprotocols(const HttpHead& head);

/// For each accepted extension name: whether it was offered, and whether an equal name was
/// accepted before it (RFC 6455 §9.1; names compare ASCII case-insensitively).
struct ExtensionNameCheck {
    std::vector<bool> offered;  ///< per accepted name
    std::vector<bool> repeated; ///< per accepted name: not its first occurrence
};

/// Compares the accepted names with the offered ones in O(n log n) through sorted lower-cased
/// copies, never offered × accepted: a 64 KiB head holds 9 000 names (issue 21). Sorting, not
/// hashing, so crafted names cannot make it slow either.
ExtensionNameCheck checkExtensionNames(const std::vector<std::string_view>& offered,
                                       const std::vector<std::string_view>& accepted);

/// Checks the parameters of one permessage-deflate element (RFC 7692 §7.1): known names only
/// (server_no_context_takeover, client_no_context_takeover, server_max_window_bits,
/// client_max_window_bits), each at most once, no value on the *_no_context_takeover ones,
/// window bits 8..15 written without leading zeros, and a valueless client_max_window_bits only
/// in an offer (`isOffer`). Returns "" when valid, otherwise what is wrong (for the anomaly
/// detail). When `out` is given it receives the parameters (invalid values leave 15).
std::string checkDeflateParams(const ExtensionElement& e, bool isOffer, DeflateParams* out);

/// Whether a permessage-deflate response element `response` may answer the offer `offer`
/// (RFC 7692 §7.1.1–§7.1.2): an offered server_no_context_takeover and server_max_window_bits
/// must be echoed (the latter with the same or a smaller value); client_max_window_bits may only
/// be answered if offered, and not above an offered value. Returns "" or what is wrong.
std::string deflateResponseMatchesOffer(const ExtensionElement& offer,
                                        const ExtensionElement& response);

} // namespace wst
