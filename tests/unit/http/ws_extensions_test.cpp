// SPDX-License-Identifier: MIT
#include "decoder/http/ws_extensions.h"
#include "tests/unit/http/test_util.h"

#include <gtest/gtest.h>
#include <string>

using namespace wst;

namespace {

/// Parses "Sec-WebSocket-Extensions: <value>" and returns the elements (with their owner).
struct Parsed {
    test::OwnedHead owner;
    std::vector<ExtensionElement> elements;
};

Parsed extensions(const std::string& value) {
    Parsed p{test::request("GET / HTTP/1.1\r\nSec-WebSocket-Extensions: " + value + "\r\n\r\n"),
             {}};
    p.elements = parseExtensions(p.owner.head);
    return p;
}

} // namespace

TEST(WsExtensions, ParsesElementsParamsAndQuotes) {
    const auto p =
        extensions("permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", "
                   "x-webkit-deflate-frame, foo; a=\"b,c\"");
    ASSERT_EQ(p.elements.size(), 3u);
    EXPECT_EQ(p.elements[0].name, "permessage-deflate");
    ASSERT_EQ(p.elements[0].params.size(), 2u);
    EXPECT_EQ(p.elements[0].params[0].name, "client_max_window_bits");
    EXPECT_FALSE(p.elements[0].params[0].hasValue);
    EXPECT_EQ(p.elements[0].params[1].value, "10");
    EXPECT_TRUE(p.elements[0].params[1].hasValue);
    EXPECT_EQ(p.elements[1].name, "x-webkit-deflate-frame");
    EXPECT_EQ(p.elements[2].params[0].value, "b,c");
}

TEST(WsExtensions, RepeatedHeadersAreOneList) {
    const auto o =
        test::request("GET / HTTP/1.1\r\nSec-WebSocket-Extensions: a\r\n"
                      "Sec-WebSocket-Extensions: b; x=1\r\nSec-WebSocket-Protocol: p1, p2\r\n"
                      "Sec-WebSocket-Protocol: p3\r\n\r\n");
    const auto e = parseExtensions(o.head);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[1].name, "b");
    EXPECT_EQ(parseSubprotocols(o.head), (std::vector<std::string_view>{"p1", "p2", "p3"}));
}

struct DeflateCase {
    std::string value;
    bool isOffer;
    bool valid;
};

TEST(WsExtensions, DeflateParameterRules) {
    const DeflateCase cases[] = {
        {"permessage-deflate", true, true},
        {"permessage-deflate", false, true},
        {"permessage-deflate; client_max_window_bits", true, true},
        {"permessage-deflate; client_max_window_bits", false,
         false},                                                     // value required in a response
        {"permessage-deflate; server_max_window_bits", true, false}, // always needs a value
        {"permessage-deflate; server_max_window_bits=8", true, true},
        {"permessage-deflate; server_max_window_bits=15", false, true},
        {"permessage-deflate; server_max_window_bits=7", true, false},
        {"permessage-deflate; server_max_window_bits=16", false, false},
        {"permessage-deflate; server_max_window_bits=08", true, false},
        {"permessage-deflate; client_max_window_bits=\"12\"", false, true},
        {"permessage-deflate; server_no_context_takeover; client_no_context_takeover", false, true},
        {"permessage-deflate; server_no_context_takeover; server_no_context_takeover", true, false},
        {"permessage-deflate; client_max_window_bits=9; client_max_window_bits=10", false, false},
        {"permessage-deflate; client_no_context_takeover=1", true, false},
        {"permessage-deflate; foo", true, false},
        {"permessage-deflate; Server_No_Context_Takeover", false, true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.value + (c.isOffer ? " (offer)" : " (response)"));
        const auto p = extensions(c.value);
        ASSERT_EQ(p.elements.size(), 1u);
        EXPECT_EQ(checkDeflateParams(p.elements[0], c.isOffer, nullptr).empty(), c.valid);
    }
}

TEST(WsExtensions, DeflateProblemsAreNamed) {
    const auto p = extensions("permessage-deflate; foo=1; server_max_window_bits=16; foo=2");
    EXPECT_EQ(
        checkDeflateParams(p.elements[0], false, nullptr),
        "unknown parameter foo; server_max_window_bits=16 is not 8..15; unknown parameter foo");
}

TEST(WsExtensions, DeflateParamsAreExtracted) {
    const auto p =
        extensions("permessage-deflate; server_max_window_bits=9; client_max_window_bits=12; "
                   "client_no_context_takeover");
    DeflateParams d;
    EXPECT_EQ(checkDeflateParams(p.elements[0], false, &d), "");
    EXPECT_TRUE(d.enabled);
    EXPECT_EQ(d.serverMaxWindowBits, 9);
    EXPECT_EQ(d.clientMaxWindowBits, 12);
    EXPECT_TRUE(d.clientNoContextTakeover);
    EXPECT_FALSE(d.serverNoContextTakeover);
    EXPECT_EQ(d.windowBits(Direction::ServerToClient), 9);
    EXPECT_TRUE(d.noContextTakeover(Direction::ClientToServer));
}

TEST(WsExtensions, ResponseMustAnswerTheOffer) {
    struct Case {
        std::string offer, response;
        bool ok;
    };
    const Case cases[] = {
        {"permessage-deflate", "permessage-deflate", true},
        {"permessage-deflate", "permessage-deflate; server_no_context_takeover",
         true}, // §7.1.1.1 MAY
        {"permessage-deflate; server_no_context_takeover", "permessage-deflate", false},
        {"permessage-deflate", "permessage-deflate; client_max_window_bits=10", false}, // §7.1.2.2
        {"permessage-deflate; client_max_window_bits",
         "permessage-deflate; client_max_window_bits=10", true},
        {"permessage-deflate; client_max_window_bits=10",
         "permessage-deflate; client_max_window_bits=12", false},
        {"permessage-deflate; server_max_window_bits=10", "permessage-deflate", false},
        {"permessage-deflate; server_max_window_bits=10",
         "permessage-deflate; server_max_window_bits=9", true},
        {"permessage-deflate; server_max_window_bits=10",
         "permessage-deflate; server_max_window_bits=11", false},
        {"permessage-deflate", "permessage-deflate; server_max_window_bits=11", true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.offer + " -> " + c.response);
        const auto o = extensions(c.offer);
        const auto r = extensions(c.response);
        EXPECT_EQ(deflateResponseMatchesOffer(o.elements[0], r.elements[0]).empty(), c.ok);
    }
}
