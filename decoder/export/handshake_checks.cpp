// SPDX-License-Identifier: MIT
#include "handshake_checks.h"

#include <algorithm>
#include <fmt/format.h>
#include <initializer_list>

namespace wst {
namespace {

struct Rule {
    const char* name;
    bool needsResponse;
    std::initializer_list<AnomalyId> failures;
    bool showsAccept = false; ///< a passed check shows the Accept value that matched
};

// Each rule fails when any of its anomalies was reported. Order: RFC 6455 §4.1 (request), then
// §4.2.2 (response).
const Rule kRules[] = {
    {"Method is GET", false, {AnomalyId::WsHandshakeBadMethod}},
    {"HTTP/1.1 or later", false, {AnomalyId::WsHandshakeBadHttpVersion}},
    {"Host header", false, {AnomalyId::WsHandshakeMissingHost}},
    {"Upgrade: websocket",
     false,
     {AnomalyId::WsHandshakeMissingUpgrade, AnomalyId::HttpUpgradeStripped}},
    {"Connection: Upgrade", false, {AnomalyId::WsHandshakeMissingConnection}},
    {"Sec-WebSocket-Key (16 bytes, once)",
     false,
     {AnomalyId::WsHandshakeMissingKey, AnomalyId::WsHandshakeBadKey,
      AnomalyId::WsHandshakeMultipleKey}},
    {"Sec-WebSocket-Version: 13",
     false,
     {AnomalyId::WsHandshakeBadVersion, AnomalyId::HttpVersionRejected}},
    {"No data before the 101", false, {AnomalyId::WsHandshakeEarlyClientData}},
    {"101 Switching Protocols",
     true,
     {AnomalyId::HttpUpgradeRefused, AnomalyId::HttpUpgradeIgnored,
      AnomalyId::HttpUpgradeRedirected, AnomalyId::HttpNoResponse, AnomalyId::HijackNotSupported}},
    {"One response only", true, {AnomalyId::HijackTwoResponses}},
    {"Response Upgrade and Connection",
     true,
     {AnomalyId::WsHandshakeResponseMissingUpgrade,
      AnomalyId::WsHandshakeResponseMissingConnection}},
    {"Sec-WebSocket-Accept",
     true,
     {AnomalyId::WsHandshakeMissingAccept, AnomalyId::WsHandshakeMultipleAccept,
      AnomalyId::WsHandshakeWrongAccept},
     true},
    {"Subprotocol among those offered", true, {AnomalyId::WsHandshakeUnofferedSubprotocol}},
    {"Extensions among those offered",
     true,
     {AnomalyId::WsHandshakeUnofferedExtension, AnomalyId::WsDeflateBadParameters}},
};

} // namespace

std::vector<HandshakeCheck> handshakeChecks(const Connection& c,
                                            const std::vector<const Anomaly*>& anomalies) {
    std::vector<HandshakeCheck> checks;
    if (!c.request)
        return checks;
    const bool haveResponse = !c.responses.empty();
    for (const Rule& rule : kRules) {
        HandshakeCheck check;
        check.name = rule.name;
        for (const Anomaly* a : anomalies) {
            if (std::find(rule.failures.begin(), rule.failures.end(), a->id) == rule.failures.end())
                continue;
            check.result = CheckResult::Failed;
            check.detail +=
                fmt::format("{}{}{}{}", check.detail.empty() ? "" : "; ", anomalyName(a->id),
                            a->detail.empty() ? "" : ": ", a->detail);
        }
        if (check.result != CheckResult::Failed)
            check.result = rule.needsResponse && !haveResponse ? CheckResult::NotApplicable
                                                               : CheckResult::Passed;
        if (check.result == CheckResult::Passed && rule.showsAccept)
            check.detail = "found=" + c.responses.back().accept;
        checks.push_back(std::move(check));
    }
    return checks;
}

} // namespace wst
