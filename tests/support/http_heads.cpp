// SPDX-License-Identifier: MIT
#include "tests/support/http_heads.h"

#include <fmt/format.h>

namespace wst::test {

std::string upgradeRequest(std::string_view extra, std::string_view target) {
    return fmt::format("GET {} HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Grafana k6/0.50\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: {}\r\n"
                       "Sec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n{}\r\n",
                       target, kKey, extra);
}

std::string gorilla101(std::string_view extra) {
    return fmt::format("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n{}\r\n",
                       kAccept, extra);
}

std::string nginx101() {
    return fmt::format("HTTP/1.1 101 Switching Protocols\r\nServer: nginx/1.22.1\r\n"
                       "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\nConnection: upgrade\r\n"
                       "Upgrade: websocket\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                       kAccept);
}

std::string gorillaError(int status, std::string_view reason, std::string_view body) {
    return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\n"
                       "Date: Tue, 24 Nov 2026 20:00:00 GMT\r\nContent-Length: {}\r\n\r\n{}",
                       status, reason, body.size(), body);
}

} // namespace wst::test
