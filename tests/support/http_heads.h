// SPDX-License-Identifier: MIT
#pragma once

// HTTP/1.1 heads of WebSocket handshakes as real peers send them.

#include <string>
#include <string_view>

namespace wst::test {

/// RFC 6455 §1.3 example key and its accept value.
inline constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
inline constexpr std::string_view kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// A k6-like upgrade request for `target` with kKey; `extra` header lines end in \r\n.
std::string upgradeRequest(std::string_view extra = "", std::string_view target = "/ws");
/// gorilla/websocket's 101: Upgrade, Connection, Sec-WebSocket-Accept (kAccept); no Date, no
/// Server. `extra` header lines end in \r\n.
std::string gorilla101(std::string_view extra = "");
/// A 101 the way nginx relays it (Server and Date first, lower-case upgrade).
std::string nginx101();
/// A Go http.Error reply as gorilla sends it on a refused handshake.
std::string gorillaError(int status, std::string_view reason, std::string_view body);

} // namespace wst::test
