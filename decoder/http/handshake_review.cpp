// SPDX-License-Identifier: MIT
#include "decoder/http/handshake_review.h"

#include "decoder/http/http_head_parser.h"

#include <algorithm>
#include <fmt/format.h>

namespace wst {
namespace {

/// The head as it was sent, as far as the summary keeps it: the start line and every header
/// in order (values were trimmed, which no rule depends on).
std::string requestText(const RequestSummary& r) {
    std::string text = fmt::format("{} {} {}\r\n", r.method, r.target, r.httpVersion);
    for (const Header& h : r.headers)
        text += fmt::format("{}: {}\r\n", h.name, h.value);
    return text + "\r\n";
}

std::string responseText(const ResponseSummary& r) {
    std::string text = fmt::format("{} {} {}\r\n", r.httpVersion, r.status, r.reason);
    for (const Header& h : r.headers)
        text += fmt::format("{}: {}\r\n", h.name, h.value);
    return text + "\r\n";
}

bool parse(HttpHeadParser::Kind kind, const std::string& text, HttpHead& head) {
    HttpHeadParser parser(kind, text.size() + 1);
    return parser.parse(text, head).status == HttpHeadParser::Status::Complete;
}

} // namespace

std::vector<HandshakeCheck> reviewHandshake(const Connection& c,
                                            const std::vector<AnomalyId>& anomalies) {
    std::vector<HandshakeCheck> checks;
    if (!c.request)
        return checks;
    const std::string reqText = requestText(*c.request);
    HttpHead request;
    if (!parse(HttpHeadParser::Kind::Request, reqText, request))
        return checks;
    for (HandshakeCheck& check : validateRequest(request).checks)
        checks.push_back(std::move(check));

    const auto early = std::find(anomalies.begin(), anomalies.end(),
                                 AnomalyId::WsHandshakeEarlyClientData) != anomalies.end();
    HandshakeCheck noEarlyData;
    noEarlyData.name = "No data before the 101";
    noEarlyData.expected = "client frames only after the 101";
    if (early) {
        noEarlyData.result = CheckResult::Failed;
        noEarlyData.found = "client bytes before the 101";
        noEarlyData.anomaly = AnomalyId::WsHandshakeEarlyClientData;
        noEarlyData.detail = "expected=client frames only after the 101, found=client bytes "
                             "before the 101";
    } else {
        noEarlyData.result = c.responses.empty() ? CheckResult::NotApplicable : CheckResult::Passed;
    }

    if (c.responses.empty()) {
        checks.push_back(std::move(noEarlyData));
        return checks;
    }
    // The answer the client acted on (after "200 then 101" the 200: the Status check says what
    // the client got, not what the server sent later); the last head when none was final.
    const ResponseSummary* answer = responseActedOn(c);
    if (!answer)
        answer = &c.responses.back();
    const std::string respText = responseText(*answer);
    HttpHead response;
    if (parse(HttpHeadParser::Kind::Response, respText, response))
        for (HandshakeCheck& check : validateResponse(request, response).checks)
            checks.push_back(std::move(check));

    // 1xx interim responses (100, 103) are allowed before the final one (RFC 9110 §15.2).
    std::string statuses;
    std::size_t finals = 0;
    for (const ResponseSummary& r : c.responses) {
        statuses += fmt::format("{}{}", statuses.empty() ? "" : ", ", r.status);
        if (r.status >= 200 || r.status == 101)
            ++finals;
    }
    HandshakeCheck single;
    single.name = "Single response";
    single.expected = "one final response";
    single.found = statuses;
    single.result = finals > 1 ? CheckResult::Failed : CheckResult::Passed;
    if (finals > 1) {
        single.anomaly = AnomalyId::HijackTwoResponses;
        single.detail = fmt::format("expected=one final response, found={}", statuses);
    }
    checks.push_back(std::move(single));
    checks.push_back(std::move(noEarlyData));
    return checks;
}

} // namespace wst
