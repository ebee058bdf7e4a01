// SPDX-License-Identifier: MIT
// AnomalyLimit: the first `perId` occurrences of each id are kept, every one is counted.
#include "decoder/analysis/anomaly_limit.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

TEST(AnomalyLimit, KeepsThePerIdNumberAndCountsTheRest) {
    AnomalyLimit limit(2);
    EXPECT_EQ(limit.count(AnomalyId::TcpGap), 0u);
    EXPECT_TRUE(limit.admit(AnomalyId::TcpGap));
    EXPECT_TRUE(limit.admit(AnomalyId::TcpGap));
    EXPECT_FALSE(limit.admit(AnomalyId::TcpGap));
    EXPECT_FALSE(limit.admit(AnomalyId::TcpGap));
    EXPECT_EQ(limit.count(AnomalyId::TcpGap), 4u);
    // Ids are bounded apart.
    EXPECT_TRUE(limit.admit(AnomalyId::WsCloseMissing));
    EXPECT_EQ(limit.count(AnomalyId::WsCloseMissing), 1u);
}

TEST(AnomalyLimit, ZeroKeepsNothing) {
    AnomalyLimit limit(0);
    EXPECT_FALSE(limit.admit(AnomalyId::CaptureIpFragment));
    EXPECT_EQ(limit.count(AnomalyId::CaptureIpFragment), 1u);
}

} // namespace
} // namespace wst
