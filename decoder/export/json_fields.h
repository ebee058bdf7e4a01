// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace wst {

/// JSON objects keep their keys in the order written, so documents read naturally and stay
/// byte-identical from run to run.
using Json = nlohmann::ordered_json;

/// The pieces of the "wstrace.trace/1" schema (docs/json-schema.md), shared by the JSON and
/// JSONL writers so both spell every field the same way.
namespace json {

inline constexpr std::string_view kTraceSchema = "wstrace.trace/1";
inline constexpr std::string_view kLinesSchema = "wstrace.lines/1";

std::string_view directionName(Direction d); ///< "c2s" / "s2c"
Json generator();                            ///< {"name":"wstrace","version":"…"}
Json stats(const CaptureStats& s);
Json connection(const Connection& c);
/// One event of a Trace (JSON document): it refers to its message or anomaly by
/// `Event::ref` as a "message"/"anomaly" index.
Json event(const Event& e);
/// One event as a streaming sink receives it (JSONL): `message` is embedded when given;
/// `Event::ref` means nothing yet and is not written.
Json streamedEvent(const Event& e, const Message* message);
Json message(const Message& m);
/// Severity, title and RFC clause from the catalog come with every anomaly.
Json anomaly(const Anomaly& a);
/// The catalog rows (explanation, causes, hint) for one id.
Json catalogEntry(AnomalyId id);
/// A payload prefix: {"encoding":"text","data":"…"} for valid UTF-8 of a text message,
/// otherwise {"encoding":"base64","data":"…"}.
Json payload(const Message& m);

/// The text of a message's payload when it is shown as text, else nullopt (base64).
std::optional<std::string_view> payloadText(const Message& m);

/// The hot path, without building a DOM: appends exactly the bytes of
/// `dump(event(e))` (refs, no embedded message) or `dump(streamedEvent(e, embedded))`.
void appendEvent(std::string& out, const Event& e, const Message* embedded, bool refs);
/// Appends exactly the bytes of `dump(message(m))`.
void appendMessage(std::string& out, const Message& m);
/// Appends `s` as a JSON string, escaped exactly as nlohmann::json escapes it.
void appendString(std::string& out, std::string_view s);

/// Serialises compactly; invalid UTF-8 that slipped into a string is replaced, never thrown.
std::string dump(const Json& j, int indent = -1);

} // namespace json

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
bool isValidUtf8(std::string_view s);

} // namespace wst
