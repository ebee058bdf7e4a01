// SPDX-License-Identifier: MIT
// ChunkedVector, the Trace's storage for events and messages, behaves like a std::vector and
// never moves what it holds.
#include "decoder/model/chunked_vector.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace wst;

TEST(ChunkedVector, MatchesVectorAndNeverMovesElements) {
    ChunkedVector<std::string, 4> chunked;
    std::vector<std::string> plain;
    EXPECT_TRUE(chunked.empty());
    for (int i = 0; i < 23; ++i) { // several chunks and a partly filled last one
        const std::string v(static_cast<std::size_t>(i), static_cast<char>('a' + i % 26));
        chunked.push_back(v);
        plain.push_back(v);
    }
    const std::string* first = &chunked[0];
    chunked.emplace_back("late");
    plain.emplace_back("late");
    EXPECT_EQ(&chunked[0], first); // growing never moves elements
    EXPECT_EQ(chunked.size(), plain.size());
    EXPECT_EQ(chunked.front(), plain.front());
    EXPECT_EQ(chunked.back(), plain.back());
    EXPECT_TRUE(std::equal(chunked.begin(), chunked.end(), plain.begin(), plain.end()));
    EXPECT_EQ(chunked.end() - chunked.begin(), std::ptrdiff_t(plain.size()));
    const auto it = std::lower_bound(
        chunked.begin(), chunked.end(), std::string("late"),
        [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    EXPECT_EQ(it - chunked.begin(), std::ptrdiff_t(4)); // first of size >= 4
    const ChunkedVector<std::string, 4> copy = chunked;
    EXPECT_TRUE(std::equal(copy.begin(), copy.end(), plain.begin(), plain.end()));
    chunked.clear();
    EXPECT_TRUE(chunked.empty());
    EXPECT_EQ(copy.size(), plain.size());
}
