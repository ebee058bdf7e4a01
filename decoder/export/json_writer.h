// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <ostream>
#include <span>

namespace wst {

/// Writes one JSON document in the "wstrace.trace/2" schema (docs/json-schema.md): the
/// generator, one entry under "captures" per run (its stats, connections in id order, every
/// event in capture order, messages with payload prefixes, anomalies), and the catalog text of
/// every anomaly id that occurs. Objects keep a fixed key order and each array element is on
/// its own line, so the same capture always gives the same bytes and diffs stay readable.
/// Memory: the document is written element by element; only the Trace is held.
void writeJson(std::span<const Trace* const> runs, std::ostream& out);
void writeJson(const Trace& run, std::ostream& out);

} // namespace wst
