// SPDX-License-Identifier: MIT
#include "decoder/http/handshake_validator.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <openssl/evp.h>

namespace wst {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455 §1.3
constexpr std::string_view kAbsent = "(absent)";

/// All values of `name`, joined with ", " in order; "(absent)" when there is none.
std::string joinedValues(const HttpHead& head, std::string_view name) {
    std::string out;
    bool any = false;
    for (const auto& h : head.headers) {
        if (!equalsIgnoreCase(h.name, name))
            continue;
        if (any)
            out += ", ";
        out += h.value;
        any = true;
    }
    return any ? out : std::string(kAbsent);
}

std::string joinViews(const std::vector<std::string_view>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += v[i];
    }
    return out;
}

class Builder {
public:
    explicit Builder(HandshakeReport& r)
        : m_report(r) {}

    void pass(std::string_view name, std::string expected, std::string found) {
        m_report.checks.push_back(
            {name, CheckResult::Passed, std::move(expected), std::move(found), std::nullopt, {}});
    }
    void notApplicable(std::string_view name, std::string expected = {}, std::string found = {}) {
        m_report.checks.push_back({name,
                                   CheckResult::NotApplicable,
                                   std::move(expected),
                                   std::move(found),
                                   std::nullopt,
                                   {}});
    }
    void failWith(std::string_view name, AnomalyId id, std::string expected, std::string found,
                  std::string_view extra = {}) {
        std::string detail = fmt::format("expected={}, found={}", expected, found);
        if (!extra.empty())
            detail += fmt::format(" ({})", extra);
        m_report.checks.push_back({name, CheckResult::Failed, std::move(expected), std::move(found),
                                   id, std::move(detail)});
    }
    /// pass or fail depending on `ok`.
    void check(bool ok, std::string_view name, AnomalyId id, std::string expected,
               std::string found) {
        if (ok)
            pass(name, std::move(expected), std::move(found));
        else
            failWith(name, id, std::move(expected), std::move(found));
    }

private:
    HandshakeReport& m_report;
};

bool containsView(const std::vector<std::string_view>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

void checkDeflateOffers(Builder& b, const std::vector<ExtensionElement>& offers) {
    std::string problems;
    std::string found;
    bool any = false;
    for (const auto& e : offers) {
        if (!equalsIgnoreCase(e.name, "permessage-deflate"))
            continue;
        if (any)
            found += ", ";
        found += e.text;
        any = true;
        const std::string p = checkDeflateParams(e, /*isOffer=*/true, nullptr);
        if (!p.empty()) {
            if (!problems.empty())
                problems += "; ";
            problems += p;
        }
    }
    if (!any)
        b.notApplicable("permessage-deflate", {}, std::string(kAbsent));
    else if (problems.empty())
        b.pass("permessage-deflate", "valid RFC 7692 offer parameters", std::move(found));
    else
        b.failWith("permessage-deflate", AnomalyId::WsDeflateBadParameters,
                   "valid RFC 7692 offer parameters", std::move(found), problems);
}

/// SHA-1 fetched once: EVP_sha1() makes OpenSSL 3 look the implementation up on every digest,
/// which costs more than the hash of 60 bytes itself.
const EVP_MD* sha1() {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    if (fetched != nullptr)
        return fetched;
#endif
    return EVP_sha1();
}

} // namespace

UpgradeKind classifyRequest(const HttpHead& request) {
    const bool upgradeToken = request.hasToken("Upgrade", "websocket");
    const bool connectionToken = request.hasToken("Connection", "upgrade");
    const bool key = request.count("Sec-WebSocket-Key") > 0;
    if (upgradeToken)
        return UpgradeKind::WebSocket;
    if (!key)
        return UpgradeKind::None;
    return connectionToken ? UpgradeKind::KeyWithoutUpgrade : UpgradeKind::Stripped;
}

bool isWebSocketAttempt(const HttpHead& request) {
    return classifyRequest(request) != UpgradeKind::None;
}

bool isUpgradeRequest(const HttpHead& request) {
    return request.hasToken("Upgrade", "websocket");
}

std::string computeAccept(std::string_view key) {
    std::string input;
    input.reserve(key.size() + kGuid.size());
    input.append(key);
    input.append(kGuid);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digestLength = 0;
    if (EVP_Digest(input.data(), input.size(), digest.data(), &digestLength, sha1(), nullptr) != 1)
        return {};
    std::array<unsigned char, 64> encoded{}; // 4 * ceil(20 / 3) + NUL = 29
    const int n = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digestLength));
    return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(n));
}

bool isValidKey(std::string_view key) {
    // 16 bytes encode to 22 characters plus "==" (RFC 4648 §4).
    if (key.size() != 24 || key.substr(22) != "==")
        return false;
    std::array<unsigned char, 24> decoded{};
    // EVP_DecodeBlock rejects characters outside the alphabet (returns -1) and, for a full
    // quantum ending in "==", returns 18: the 16 bytes plus two padding zeros.
    const int n =
        EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size()));
    return n == 18;
}

std::string_view toString(CheckResult r) {
    switch (r) {
    case CheckResult::Passed:
        return "passed";
    case CheckResult::Failed:
        return "failed";
    case CheckResult::NotApplicable:
        return "not_applicable";
    }
    return "?";
}

bool HandshakeReport::ok() const {
    return std::none_of(checks.begin(), checks.end(),
                        [](const HandshakeCheck& c) { return c.result == CheckResult::Failed; });
}

const HandshakeCheck* HandshakeReport::find(std::string_view name) const {
    for (const auto& c : checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

std::vector<AnomalyId> HandshakeReport::anomalies() const {
    std::vector<AnomalyId> out;
    for (const auto& c : checks) {
        if (c.anomaly)
            out.push_back(*c.anomaly);
    }
    return out;
}

HandshakeReport validateRequest(const HttpHead& request) {
    HandshakeReport report;
    report.checks.reserve(8);
    Builder b(report);

    // RFC 6455 §4.1 item 2: "The method of the request MUST be GET, and the HTTP version MUST
    // be at least 1.1."
    b.check(request.method == "GET", "Method", AnomalyId::WsHandshakeBadMethod, "GET",
            std::string(request.method));
    b.check(request.atLeastHttp11(), "HTTP-Version", AnomalyId::WsHandshakeBadHttpVersion,
            "HTTP/1.1 or later", std::string(request.version));

    // §4.1 item 4 and RFC 9112 §3.2: exactly one Host.
    const std::size_t hosts = request.count("Host");
    if (hosts == 1)
        b.pass("Host", "one Host header", std::string(request.header("Host")));
    else
        b.failWith("Host", AnomalyId::WsHandshakeMissingHost, "one Host header",
                   hosts == 0
                       ? std::string(kAbsent)
                       : fmt::format("{} Host headers: {}", hosts, joinedValues(request, "Host")));

    // §4.1 items 5 and 6 (§4.2.1 items 3 and 4): token lists, any case, repeated headers.
    const UpgradeKind kind = classifyRequest(request);
    b.check(request.hasToken("Upgrade", "websocket"), "Upgrade",
            AnomalyId::WsHandshakeMissingUpgrade, "token websocket",
            joinedValues(request, "Upgrade"));
    b.check(request.hasToken("Connection", "upgrade"), "Connection",
            AnomalyId::WsHandshakeMissingConnection, "token upgrade",
            joinedValues(request, "Connection"));
    // A key without either hop-by-hop header: a proxy dropped them (http_upgrade_stripped).
    // Reported beside the two generic failures above, which still hold.
    if (kind == UpgradeKind::Stripped)
        b.failWith("Upgrade stripped", AnomalyId::HttpUpgradeStripped,
                   "Upgrade: websocket and Connection: Upgrade with Sec-WebSocket-Key",
                   fmt::format("Upgrade: {}; Connection: {}", joinedValues(request, "Upgrade"),
                               joinedValues(request, "Connection")),
                   "a proxy did not forward the hop-by-hop Upgrade headers");
    else
        b.pass("Upgrade stripped", "Upgrade or Connection token with Sec-WebSocket-Key", "present");

    // §4.1 item 7: one key, base64 of a 16-byte nonce.
    const std::size_t keys = request.count("Sec-WebSocket-Key");
    const std::string_view key = request.header("Sec-WebSocket-Key");
    if (keys == 0)
        b.failWith("Sec-WebSocket-Key", AnomalyId::WsHandshakeMissingKey, "base64 of 16 bytes",
                   std::string(kAbsent));
    else if (keys > 1)
        b.failWith("Sec-WebSocket-Key", AnomalyId::WsHandshakeMultipleKey, "one header",
                   fmt::format("{} headers: {}", keys, joinedValues(request, "Sec-WebSocket-Key")));
    else
        b.check(isValidKey(key), "Sec-WebSocket-Key", AnomalyId::WsHandshakeBadKey,
                "base64 of 16 bytes", std::string(key));

    // §4.1 item 9: "The request MUST include a header field with the name
    // |Sec-WebSocket-Version|. The value of this header field MUST be 13."
    const std::string version = joinedValues(request, "Sec-WebSocket-Version");
    b.check(request.count("Sec-WebSocket-Version") == 1 &&
                request.header("Sec-WebSocket-Version") == "13",
            "Sec-WebSocket-Version", AnomalyId::WsHandshakeBadVersion, "13", version);

    checkDeflateOffers(b, parseExtensions(request));
    return report;
}

HandshakeReport validateResponse(const HttpHead& request, const HttpHead& response) {
    HandshakeReport report;
    report.checks.reserve(8);
    Builder b(report);
    const int s = response.status;
    const std::string status = fmt::format("{} {}", s, response.reason);

    if (s != 101) {
        // RFC 6455 §4.2.2: anything but 101 means the server did not switch; §4.1 lets the
        // client follow 3xx.
        if (s >= 100 && s < 200)
            b.notApplicable("Status", "101", status); // interim (100, 103): the final one follows
        else if (s < 300)
            b.failWith("Status", AnomalyId::HttpUpgradeIgnored, "101", status);
        else if (s < 400)
            b.failWith("Status", AnomalyId::HttpUpgradeRedirected, "101", status,
                       fmt::format("Location: {}", joinedValues(response, "Location")));
        else
            b.failWith("Status", AnomalyId::HttpUpgradeRefused, "101", status);

        // §4.4: a server that does not speak the requested version answers with the versions
        // it does speak in Sec-WebSocket-Version (usually with 426 or 400).
        if (response.count("Sec-WebSocket-Version") == 0 || s < 400) {
            b.notApplicable("Sec-WebSocket-Version");
        } else {
            std::vector<std::string_view> listed;
            for (const auto& h : response.headers) {
                if (equalsIgnoreCase(h.name, "Sec-WebSocket-Version"))
                    forEachListElement(h.value, [&](std::string_view v) { listed.push_back(v); });
            }
            const std::string requested = joinedValues(request, "Sec-WebSocket-Version");
            if (containsView(listed, request.header("Sec-WebSocket-Version")))
                b.notApplicable("Sec-WebSocket-Version", requested, joinViews(listed));
            else
                b.failWith("Sec-WebSocket-Version", AnomalyId::HttpVersionRejected, requested,
                           joinViews(listed), "the server speaks only the listed versions");
        }
        return report;
    }

    b.pass("Status", "101", status);
    // §4.2.2 item 5.2/5.3 (and the client's §4.1 items 2 and 3).
    b.check(response.hasToken("Upgrade", "websocket"), "Upgrade",
            AnomalyId::WsHandshakeResponseMissingUpgrade, "token websocket",
            joinedValues(response, "Upgrade"));
    b.check(response.hasToken("Connection", "upgrade"), "Connection",
            AnomalyId::WsHandshakeResponseMissingConnection, "token upgrade",
            joinedValues(response, "Connection"));

    // A 101 has no body (RFC 9112 §6.3 item 1); RFC 9110 §8.6 forbids Content-Length and RFC
    // 9112 §6.1 Transfer-Encoding on a 1xx. Content-Encoding means compression middleware
    // rewrote the response.
    std::string bodyHeaders;
    for (const auto& h : response.headers) {
        if (equalsIgnoreCase(h.name, "Content-Length") ||
            equalsIgnoreCase(h.name, "Transfer-Encoding") ||
            equalsIgnoreCase(h.name, "Content-Encoding")) {
            if (!bodyHeaders.empty())
                bodyHeaders += "; ";
            bodyHeaders += fmt::format("{}: {}", h.name, h.value);
        }
    }
    if (bodyHeaders.empty())
        b.pass("Body headers", "none", "none");
    else
        b.failWith("Body headers", AnomalyId::WsHandshakeResponseBodyHeaders,
                   "no Content-Length, Transfer-Encoding or Content-Encoding", bodyHeaders);

    // §4.2.2 item 5.4: /accept/ = base64(SHA-1(key + GUID)); compared byte-exact.
    const std::size_t accepts = response.count("Sec-WebSocket-Accept");
    const std::string_view accept = response.header("Sec-WebSocket-Accept");
    const bool haveKey = request.count("Sec-WebSocket-Key") > 0;
    const std::string expected =
        haveKey ? computeAccept(request.header("Sec-WebSocket-Key")) : std::string();
    if (accepts == 0)
        b.failWith("Sec-WebSocket-Accept", AnomalyId::WsHandshakeMissingAccept,
                   haveKey ? expected : std::string("an Accept header"), std::string(kAbsent));
    else if (accepts > 1)
        b.failWith(
            "Sec-WebSocket-Accept", AnomalyId::WsHandshakeMultipleAccept, "one header",
            fmt::format("{} headers: {}", accepts, joinedValues(response, "Sec-WebSocket-Accept")));
    else if (!haveKey)
        b.notApplicable("Sec-WebSocket-Accept", "(no request key)", std::string(accept));
    else
        b.check(accept == expected, "Sec-WebSocket-Accept", AnomalyId::WsHandshakeWrongAccept,
                expected, std::string(accept));

    // §4.1 item 6 / §4.2.2: the subprotocol must be one the client offered.
    const auto offered = parseSubprotocols(request);
    const auto chosen = parseSubprotocols(response);
    if (chosen.empty()) {
        if (offered.empty())
            b.notApplicable("Sec-WebSocket-Protocol");
        else
            b.failWith("Sec-WebSocket-Protocol", AnomalyId::WsHandshakeSubprotocolNotChosen,
                       fmt::format("one of {}", joinViews(offered)), std::string(kAbsent),
                       "RFC-legal, but Chromium and node ws fail the connection");
    } else if (chosen.size() > 1) {
        b.failWith("Sec-WebSocket-Protocol", AnomalyId::WsHandshakeUnofferedSubprotocol,
                   offered.empty() ? std::string("(none offered)")
                                   : fmt::format("one of {}", joinViews(offered)),
                   joinViews(chosen), "more than one subprotocol chosen");
    } else if (!containsView(offered, chosen.front())) {
        b.failWith("Sec-WebSocket-Protocol", AnomalyId::WsHandshakeUnofferedSubprotocol,
                   offered.empty() ? std::string("(none offered)")
                                   : fmt::format("one of {}", joinViews(offered)),
                   std::string(chosen.front()));
    } else {
        b.pass("Sec-WebSocket-Protocol", fmt::format("one of {}", joinViews(offered)),
               std::string(chosen.front()));
        report.negotiated.subprotocol = std::string(chosen.front());
    }

    // RFC 6455 §9.1: the server may only accept extensions the client offered, each once.
    const auto offers = parseExtensions(request);
    const auto accepted = parseExtensions(response);
    std::vector<std::string_view> offeredNames;
    for (const auto& e : offers)
        offeredNames.push_back(e.name);
    std::vector<std::string_view> acceptedNames;
    for (const auto& e : accepted)
        acceptedNames.push_back(e.name);
    const ExtensionNameCheck names = checkExtensionNames(offeredNames, acceptedNames);
    std::string extProblem;
    for (std::size_t i = 0; i < accepted.size(); ++i) {
        const bool repeated = names.repeated[i];
        if ((!names.offered[i] || repeated) && extProblem.empty())
            extProblem = repeated ? fmt::format("{} accepted twice", accepted[i].name)
                                  : fmt::format("{} not offered", accepted[i].name);
        report.negotiated.extensions.emplace_back(accepted[i].name);
    }
    std::vector<std::string_view> acceptedTexts;
    for (const auto& e : accepted)
        acceptedTexts.push_back(e.text);
    if (accepted.empty())
        b.notApplicable("Sec-WebSocket-Extensions", joinViews(offeredNames), std::string(kAbsent));
    else if (extProblem.empty())
        b.pass("Sec-WebSocket-Extensions", fmt::format("among {}", joinViews(offeredNames)),
               joinViews(acceptedTexts));
    else
        b.failWith("Sec-WebSocket-Extensions", AnomalyId::WsHandshakeUnofferedExtension,
                   offeredNames.empty() ? std::string("(none offered)")
                                        : fmt::format("among {}", joinViews(offeredNames)),
                   joinViews(acceptedTexts), extProblem);

    // RFC 7692 §7: the accepted permessage-deflate parameters, valid and answering an offer.
    const ExtensionElement* deflate = nullptr;
    for (const auto& e : accepted) {
        if (equalsIgnoreCase(e.name, "permessage-deflate")) {
            deflate = &e;
            break;
        }
    }
    if (deflate == nullptr) {
        b.notApplicable("permessage-deflate");
        return report;
    }
    std::string problem =
        checkDeflateParams(*deflate, /*isOffer=*/false, &report.negotiated.deflate);
    if (problem.empty()) {
        // The response answers one of the offers (§5.1: the server picks one); it is fine if
        // any offer matches. With no offer at all, Sec-WebSocket-Extensions already failed.
        std::string firstMismatch;
        bool matched = false;
        bool anyOffer = false;
        for (const auto& o : offers) {
            if (!equalsIgnoreCase(o.name, "permessage-deflate"))
                continue;
            anyOffer = true;
            const std::string m = deflateResponseMatchesOffer(o, *deflate);
            if (m.empty()) {
                matched = true;
                break;
            }
            if (firstMismatch.empty())
                firstMismatch = m;
        }
        if (anyOffer && !matched)
            problem = firstMismatch;
    }
    std::vector<std::string_view> offerTexts;
    for (const auto& o : offers) {
        if (equalsIgnoreCase(o.name, "permessage-deflate"))
            offerTexts.push_back(o.text);
    }
    const std::string expectedDeflate = offerTexts.empty()
                                            ? std::string("valid RFC 7692 response parameters")
                                            : fmt::format("an answer to {}", joinViews(offerTexts));
    if (problem.empty())
        b.pass("permessage-deflate", expectedDeflate, std::string(deflate->text));
    else
        b.failWith("permessage-deflate", AnomalyId::WsDeflateBadParameters, expectedDeflate,
                   std::string(deflate->text), problem);
    return report;
}

} // namespace wst
