// SPDX-License-Identifier: MIT
// Fuzz target: the handshake validator and fingerprints (decoder/http). Input: a request head,
// then a response head, then a body prefix. Whatever the heads hold, every check must be
// consistent: a failure carries an anomaly id and an "expected=…, found=…" detail, anything
// else carries neither.
#include "decoder/http/fingerprint.h"
#include "decoder/http/handshake_validator.h"
#include "decoder/http/http_body_tracker.h"
#include "decoder/http/http_head_parser.h"

#include <cstdlib>
#include <string_view>

namespace {

void checkReport(const wst::HandshakeReport& report) {
    for (const auto& c : report.checks) {
        const bool failed = c.result == wst::CheckResult::Failed;
        if (failed != c.anomaly.has_value() || failed == c.detail.empty() || c.name.empty())
            std::abort();
        if (failed && c.detail.rfind("expected=", 0) != 0)
            std::abort();
    }
    if (report.ok() != report.anomalies().empty())
        std::abort();
    const auto& d = report.negotiated.deflate;
    if (d.serverMaxWindowBits < 8 || d.serverMaxWindowBits > 15 || d.clientMaxWindowBits < 8 ||
        d.clientMaxWindowBits > 15)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    wst::HttpHeadParser reqParser(wst::HttpHeadParser::Kind::Request, 8192);
    wst::HttpHead request;
    const auto rq = reqParser.parse(text, request);
    if (rq.status != wst::HttpHeadParser::Status::Complete)
        return 0;
    (void)wst::classifyRequest(request);
    (void)wst::fingerprintClient(request);
    (void)wst::requestBodyFraming(request);
    checkReport(wst::validateRequest(request));
    const std::string_view key = request.header("Sec-WebSocket-Key");
    if (wst::computeAccept(key).size() != 28)
        std::abort();

    const std::string_view rest = text.substr(rq.consumed);
    wst::HttpHeadParser respParser(wst::HttpHeadParser::Kind::Response, 8192);
    wst::HttpHead response;
    const auto rs = respParser.parse(rest, response);
    if (rs.status != wst::HttpHeadParser::Status::Complete)
        return 0;
    const std::string_view body = rest.substr(rs.consumed);
    (void)wst::fingerprintServer(response, body);
    (void)wst::gorillaErrorShape(response, body);
    (void)wst::responseBodyFraming(response, request.method);
    checkReport(wst::validateResponse(request, response));
    return 0;
}
