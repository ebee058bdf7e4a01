// SPDX-License-Identifier: MIT
// docs/anomalies.md, rendered from the catalog table. The model_anomaly_docs test fails when the
// committed file differs from this output.
#include "decoder/model/anomaly.h"

#include <array>
#include <fmt/format.h>
#include <iterator>

namespace wst {
namespace {

struct Family {
    std::string_view prefix;
    std::string_view heading;
    std::string_view blurb;
};

constexpr std::array<Family, 10> kFamilies{{
    {"capture_", "Capture", "Packets that could not be used as captured."},
    {"tcp_", "TCP", "What the TCP reassembler noticed."},
    {"http_", "HTTP", "The HTTP/1.1 exchange around the upgrade request."},
    {"ws_handshake_", "WebSocket handshake", "RFC 6455 §4 rules for the request and the 101."},
    {"ws_frame_", "WebSocket frames", "RFC 6455 §5 framing rules."},
    {"ws_close_", "WebSocket close", "RFC 6455 §5.5.1 and §7: the closing handshake."},
    {"ws_deflate_", "permessage-deflate", "RFC 7692 compression."},
    {"hijack_", "Hijack and mismatch patterns",
     "Shapes produced by Go net/http's Hijack and the frameworks around it, where the server's "
     "logs and the client's errors disagree with each other and with the wire."},
    {"h2_", "HTTP/2 and WebSocket over HTTP/2",
     "RFC 9113 frames and RFC 8441 extended CONNECT streams (docs/http2.md)."},
    {"tls_", "TLS", "RFC 8446 / RFC 5246 records and handshake, read without keys (docs/tls.md)."},
}};

} // namespace

std::string anomalyCatalogMarkdown() {
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "# Anomaly catalog\n\n"
                       "<!-- Generated from decoder/model/anomaly_catalog.cpp by "
                       "`wstrace --list-anomalies --format markdown`. Do not edit by hand. -->\n\n"
                       "Every anomaly wstrace reports has a stable id (used in JSON, CSV and "
                       "`--fail-on`), a severity fixed by this table, and the text below. The "
                       "per-occurrence detail (`expected=…, found=…`) is printed with each "
                       "anomaly.\n\n"
                       "| id | severity | title |\n|---|---|---|\n");
    for (const AnomalyInfo& row : anomalyCatalog()) {
        fmt::format_to(it, "| [`{}`](#{}) | {} | {} |\n", row.name, row.name,
                       toString(row.severity), row.title);
    }
    for (const Family& family : kFamilies) {
        fmt::format_to(it, "\n## {}\n\n{}\n", family.heading, family.blurb);
        for (const AnomalyInfo& row : anomalyCatalog()) {
            if (!row.name.starts_with(family.prefix)) {
                continue;
            }
            fmt::format_to(it, "\n### {}\n\n**{}** — {}", row.name, row.title,
                           toString(row.severity));
            if (!row.rfc.empty()) {
                fmt::format_to(it, " — {}", row.rfc);
            }
            fmt::format_to(it, "\n\n{}\n\nLikely causes:\n\n", row.explanation);
            for (std::string_view cause : likelyCauses(row)) {
                fmt::format_to(it, "- {}\n", cause);
            }
            fmt::format_to(it, "\nWhat to do: {}\n", row.hint);
        }
    }
    return out;
}

} // namespace wst
