// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <ostream>

namespace wst {

/// Writes a HAR 1.2 log with one entry per connection that carried a WebSocket upgrade request
/// (or was recognised mid-stream), in the layout Chrome DevTools writes and imports:
/// `_resourceType: "websocket"` and `_webSocketMessages` items with exactly `type`
/// ("send"/"receive"), `time` (epoch seconds), `opcode` and `data` (UTF-8 text for opcode 1,
/// base64 otherwise). Every size and timing is numeric (-1 when unknown), as the importer
/// requires. wstrace's own findings go in `_wstrace` on the entry, which Chrome ignores.
/// Payloads are the retained prefixes (Limits::payloadPrefixBytes); `_wstrace.truncated`
/// counts messages whose data was cut.
void writeHar(const Trace& trace, std::ostream& out);
/// One log holding the entries of several runs (one per `-r` file), in order.
void writeHar(const std::vector<const Trace*>& runs, std::ostream& out);

} // namespace wst
