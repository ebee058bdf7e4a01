// SPDX-License-Identifier: MIT
// Close codes as RFC 6455 §7.4 and the IANA registry class them.
#include "decoder/ws/close_code.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

TEST(CloseCode, StatusOnTheWire) {
    for (std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1011, 1012, 1014, 3000, 4999}) {
        EXPECT_EQ(closeCodeStatus(code), CloseCodeStatus::Valid) << code;
    }
    for (std::uint16_t code : {1005, 1006, 1015}) {
        EXPECT_EQ(closeCodeStatus(code), CloseCodeStatus::ReservedOnWire) << code;
    }
    for (std::uint16_t code : {0, 999, 1004, 1016, 2999, 5000}) {
        EXPECT_EQ(closeCodeStatus(code), CloseCodeStatus::Invalid) << code;
    }
}

TEST(CloseCode, FailureCodes) {
    for (std::uint16_t code : {1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014, 1004, 1006, 999}) {
        EXPECT_TRUE(closeCodeIsFailure(code)) << code;
    }
    for (std::uint16_t code : {1000, 1001, 1012, 1013, 3000, 4000, 4999}) {
        EXPECT_FALSE(closeCodeIsFailure(code)) << code;
    }
}

} // namespace
} // namespace wst
