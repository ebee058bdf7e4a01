// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"
#include "decoder/verdict/story.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace wst {

/// JSON objects keep their keys in the order written, so documents read naturally and stay
/// byte-identical from run to run.
using Json = nlohmann::ordered_json;

/// The pieces of the "wstrace.trace/2" schema (docs/json-schema.md), shared by the JSON and
/// JSONL writers so both spell every field the same way.
namespace json {

inline constexpr std::string_view kTraceSchema = "wstrace.trace/2";
inline constexpr std::string_view kLinesSchema = "wstrace.lines/2";

std::string_view directionName(Direction d); ///< "c2s" / "s2c"
Json generator();                            ///< {"name":"wstrace","version":"…"}
Json stats(const CaptureStats& s);
/// A TLS connection's handshake summary (docs/json-schema.md "tls").
Json tls(const TlsSummary& t);
/// Every field of docs/json-schema.md's connection, its `verdict` included (null until the
/// connection is finished).
Json connection(const Connection& c);
/// A connection's verdict: headline, both peers' views, root cause, caused_by (indices among the
/// connection's own anomalies), root causes by severity, what to do.
Json verdict(const Verdict& v);
/// The capture's story (decoder/verdict/story.h): its groups, worst first.
Json story(const CaptureStory& s);
/// Severity, title and RFC clause from the catalog come with every anomaly.
Json anomaly(const Anomaly& a);
/// The catalog rows (explanation, causes, hint) for one id.
Json catalogEntry(AnomalyId id);
/// A payload prefix: {"encoding":"text","data":"…"} for valid UTF-8 of a text message,
/// otherwise {"encoding":"base64","data":"…"}.
Json payload(const Message& m);

/// The text of a message's payload when it is shown as text, else nullopt (base64).
std::optional<std::string_view> payloadText(const Message& m);

/// Events and messages are the bulk of a document and are written without building a DOM,
/// compactly, keys in the order of docs/json-schema.md.
///
/// Appends one event: the common fields, then those of its kind. With `embedded` (JSONL: a
/// streaming sink's message event) the message follows as "message"; otherwise, when `refs`
/// (JSON document) and `Event::ref` is set, the index of its message or anomaly as
/// "message"/"anomaly". A streaming sink's `Event::ref` means nothing yet: pass `refs` false.
/// `rel_ns` is the time after `originNs` (the run's first event): exact in a double (jq,
/// JavaScript) for runs shorter than 104 days, where `time_ns` (past 2^53) is not.
void appendEvent(std::string& out, const Event& e, const Message* embedded, bool refs,
                 std::int64_t originNs);
/// Appends one message, its payload prefix as payload() gives it.
void appendMessage(std::string& out, const Message& m);
/// Appends `s` as a JSON string, escaped exactly as nlohmann::json escapes it.
void appendString(std::string& out, std::string_view s);

/// Serialises compactly; invalid UTF-8 that slipped into a string is replaced, never thrown.
std::string dump(const Json& j, int indent = -1);

} // namespace json

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
bool isValidUtf8(std::string_view s);

} // namespace wst
