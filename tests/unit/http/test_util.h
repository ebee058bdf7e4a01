// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/http_head_parser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <memory>
#include <string>

namespace wst::test {

/// A parsed head that owns its bytes (the views stay valid when this is moved).
struct OwnedHead {
    std::unique_ptr<std::string> bytes;
    HttpHead head;
    HttpHeadParser::Result result;
};

inline OwnedHead parseHead(HttpHeadParser::Kind kind, std::string text,
                           std::size_t max = 64 * 1024) {
    OwnedHead o{std::make_unique<std::string>(std::move(text)), {}, {}};
    HttpHeadParser p(kind, max);
    o.result = p.parse(*o.bytes, o.head);
    return o;
}

inline OwnedHead request(std::string text) {
    auto o = parseHead(HttpHeadParser::Kind::Request, std::move(text));
    EXPECT_EQ(o.result.status, HttpHeadParser::Status::Complete) << o.result.reason;
    return o;
}

inline OwnedHead response(std::string text) {
    auto o = parseHead(HttpHeadParser::Kind::Response, std::move(text));
    EXPECT_EQ(o.result.status, HttpHeadParser::Status::Complete) << o.result.reason;
    return o;
}

/// `text` with the first `from` replaced by `to`; fails the test if `from` is absent.
inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << "no '" << from << "' in the input";
    if (pos != std::string::npos)
        text.replace(pos, from.size(), to);
    return text;
}

} // namespace wst::test
