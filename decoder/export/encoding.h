// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"

#include <string>
#include <string_view>

namespace wst {

/// Standard base64 (RFC 4648 §4) with padding, computed by OpenSSL.
std::string base64Encode(std::string_view bytes);
/// The same, appended to `out` (no temporary string: the JSONL writer's hot path).
void appendBase64(std::string& out, std::string_view bytes);

/// "2026-11-24T20:05:01.123Z": ISO 8601 in UTC with milliseconds, for HAR and reports.
std::string isoTime(Timestamp t);

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
std::string htmlEscape(std::string_view text);

/// Text from the wire made safe for a terminal or a log line: well-formed UTF-8 characters are
/// kept; control characters (C0, DEL, C1 — which could move the cursor or change colours) and
/// bytes that are not UTF-8 become `\xNN`, as tshark shows them.
std::string terminalSafe(std::string_view text);

/// `text` as terminalSafe makes it, inside double quotes, with `"` and `\` escaped as `\"` and
/// `\\` so that a quote or a literal "\x41" from the wire cannot end the string or pass for an
/// escaped byte: `Close 1000 "say \"bye\""`.
std::string terminalQuoted(std::string_view text);

} // namespace wst
