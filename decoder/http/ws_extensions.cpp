// SPDX-License-Identifier: MIT
#include "decoder/http/ws_extensions.h"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>
#include <optional>

namespace wst {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

/// Splits at `sep` outside double quotes.
template <typename Fn>
void splitOutsideQuotes(std::string_view s, char sep, Fn&& fn) {
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (quoted && s[i] == '\\') {
            ++i;
            continue;
        }
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == sep) {
            fn(s.substr(start, i - start));
            start = i + 1;
        }
    }
    fn(s.substr(start));
}

ExtensionElement parseElement(std::string_view text) {
    ExtensionElement e;
    e.text = text;
    bool first = true;
    splitOutsideQuotes(text, ';', [&](std::string_view part) {
        part = trim(part);
        if (first) {
            e.name = part;
            first = false;
            return;
        }
        if (part.empty())
            return;
        ExtensionParam p;
        const auto eq = part.find('=');
        p.name = trim(part.substr(0, eq));
        if (eq != std::string_view::npos) {
            p.hasValue = true;
            std::string_view v = trim(part.substr(eq + 1));
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
                v = v.substr(1, v.size() - 2);
            p.value = v;
        }
        e.params.push_back(p);
    });
    return e;
}

/// RFC 7692 §7.1.2.1: a window-bits value is 8..15 in decimal without leading zeros.
std::optional<std::uint8_t> windowBitsValue(std::string_view v) {
    if (v.size() == 1 && v[0] >= '8' && v[0] <= '9')
        return static_cast<std::uint8_t>(v[0] - '0');
    if (v.size() == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5')
        return static_cast<std::uint8_t>(10 + v[1] - '0');
    return std::nullopt;
}

const ExtensionParam* findParam(const ExtensionElement& e, std::string_view name) {
    for (const auto& p : e.params) {
        if (equalsIgnoreCase(p.name, name))
            return &p;
    }
    return nullptr;
}

} // namespace

std::vector<ExtensionElement> parseExtensions(const HttpHead& head) {
    std::vector<ExtensionElement> out;
    for (const auto& h : head.headers) {
        if (!equalsIgnoreCase(h.name, "Sec-WebSocket-Extensions"))
            continue;
        forEachListElement(h.value, [&](std::string_view element) {
            ExtensionElement e = parseElement(element);
            if (!e.name.empty())
                out.push_back(std::move(e));
        });
    }
    return out;
}

std::vector<std::string_view> parseSubprotocols(const HttpHead& head) {
    std::vector<std::string_view> out;
    for (const auto& h : head.headers) {
        if (equalsIgnoreCase(h.name, "Sec-WebSocket-Protocol"))
            forEachListElement(h.value, [&](std::string_view p) { out.push_back(p); });
    }
    return out;
}

ExtensionNameCheck checkExtensionNames(const std::vector<std::string_view>& offered,
                                       const std::vector<std::string_view>& accepted) {
    const auto lowered = [](const std::vector<std::string_view>& names) {
        std::vector<std::string> out;
        out.reserve(names.size());
        for (std::string_view n : names) {
            std::string& l = out.emplace_back(n);
            for (char& c : l) {
                if (c >= 'A' && c <= 'Z')
                    c = static_cast<char>(c - 'A' + 'a');
            }
        }
        return out;
    };
    std::vector<std::string> offeredSorted = lowered(offered);
    std::sort(offeredSorted.begin(), offeredSorted.end());
    const std::vector<std::string> acceptedLower = lowered(accepted);

    ExtensionNameCheck check;
    check.offered.resize(accepted.size());
    check.repeated.resize(accepted.size());
    for (std::size_t i = 0; i < accepted.size(); ++i)
        check.offered[i] =
            std::binary_search(offeredSorted.begin(), offeredSorted.end(), acceptedLower[i]);
    // Equal names sorted stably by position: all but the first of each run are repeats.
    std::vector<std::size_t> order(accepted.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return acceptedLower[a] < acceptedLower[b];
    });
    for (std::size_t k = 1; k < order.size(); ++k)
        check.repeated[order[k]] = acceptedLower[order[k]] == acceptedLower[order[k - 1]];
    return check;
}

std::string checkDeflateParams(const ExtensionElement& e, bool isOffer, DeflateParams* out) {
    DeflateParams params;
    params.enabled = true;
    std::string problems;
    const auto problem = [&](std::string text) {
        if (!problems.empty())
            problems += "; ";
        problems += text;
    };
    bool seen[4] = {false, false, false, false};
    static constexpr std::string_view kNames[4] = {
        "server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits",
        "client_max_window_bits"};
    for (const auto& p : e.params) {
        int which = -1;
        for (int k = 0; k < 4; ++k) {
            if (equalsIgnoreCase(p.name, kNames[k]))
                which = k;
        }
        if (which < 0) {
            problem(fmt::format("unknown parameter {}", p.name));
            continue;
        }
        // RFC 7692 §7: "A server MUST decline an extension negotiation offer ... if [it]
        // includes multiple extension parameters with the same name" (and the client likewise).
        if (seen[which]) {
            problem(fmt::format("duplicate parameter {}", p.name));
            continue;
        }
        seen[which] = true;
        switch (which) {
        case 0:
        case 1:
            if (p.hasValue) {
                problem(fmt::format("{} takes no value, found {}={}", p.name, p.name, p.value));
                break;
            }
            (which == 0 ? params.serverNoContextTakeover : params.clientNoContextTakeover) = true;
            break;
        case 2:
        case 3: {
            if (!p.hasValue) {
                // §7.1.2.2: client_max_window_bits may have no value in an offer only;
                // server_max_window_bits always needs one (§7.1.2.1).
                if (which == 3 && isOffer)
                    break;
                problem(fmt::format("{} needs a value 8..15", p.name));
                break;
            }
            const auto bits = windowBitsValue(p.value);
            if (!bits) {
                problem(fmt::format("{}={} is not 8..15", p.name, p.value));
                break;
            }
            (which == 2 ? params.serverMaxWindowBits : params.clientMaxWindowBits) = *bits;
            break;
        }
        default:
            break;
        }
    }
    if (out != nullptr)
        *out = params;
    return problems;
}

std::string deflateResponseMatchesOffer(const ExtensionElement& offer,
                                        const ExtensionElement& response) {
    const auto bitsOf = [](const ExtensionParam* p) -> std::optional<std::uint8_t> {
        if (p == nullptr || !p->hasValue)
            return std::nullopt;
        return windowBitsValue(p->value);
    };
    const ExtensionParam* offSnct = findParam(offer, "server_no_context_takeover");
    const ExtensionParam* offSmwb = findParam(offer, "server_max_window_bits");
    const ExtensionParam* offCmwb = findParam(offer, "client_max_window_bits");
    const ExtensionParam* resSnct = findParam(response, "server_no_context_takeover");
    const ExtensionParam* resSmwb = findParam(response, "server_max_window_bits");
    const ExtensionParam* resCmwb = findParam(response, "client_max_window_bits");
    // §7.1.1.1: accepting an offer with server_no_context_takeover means echoing it.
    if (offSnct != nullptr && resSnct == nullptr)
        return "server_no_context_takeover offered but not in the response";
    // §7.1.2.1: accepting server_max_window_bits=N means answering it with a value <= N.
    if (offSmwb != nullptr) {
        if (resSmwb == nullptr)
            return fmt::format("server_max_window_bits={} offered but not in the response",
                               offSmwb->value);
        const auto o = bitsOf(offSmwb), r = bitsOf(resSmwb);
        if (o && r && *r > *o)
            return fmt::format("server_max_window_bits={} above the offered {}", resSmwb->value,
                               offSmwb->value);
    }
    // §7.1.2.2: client_max_window_bits in a response only if offered, and <= an offered value.
    if (resCmwb != nullptr) {
        if (offCmwb == nullptr)
            return "client_max_window_bits in the response but not offered";
        const auto o = bitsOf(offCmwb), r = bitsOf(resCmwb);
        if (o && r && *r > *o)
            return fmt::format("client_max_window_bits={} above the offered {}", resCmwb->value,
                               offCmwb->value);
    }
    return {};
}

} // namespace wst
