// SPDX-License-Identifier: MIT
// The flow table's keyed hash (capture/tcp/siphash.h) is SipHash-2-4: compared with OpenSSL's
// implementation on random keys and messages of whole words.
#include "capture/tcp/siphash.h"

#include <bit>
#include <cstring>
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <random>
#include <vector>

namespace {

std::uint64_t openSslSipHash(std::uint64_t k0, std::uint64_t k1, const std::uint64_t* words,
                             std::size_t n) {
    unsigned char key[16];
    std::memcpy(key, &k0, 8);
    std::memcpy(key + 8, &k1, 8);
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "SIPHASH", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    unsigned int size = 8;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_uint(OSSL_MAC_PARAM_SIZE, &size),
                           OSSL_PARAM_construct_end()};
    std::uint64_t out = 0;
    std::size_t outLen = 0;
    const bool ok =
        EVP_MAC_init(ctx, key, sizeof key, params) == 1 &&
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(words), n * 8) == 1 &&
        EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(&out), &outLen, 8) == 1;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    EXPECT_TRUE(ok);
    EXPECT_EQ(outLen, 8u);
    return out;
}

TEST(SipHash, MatchesOpenSsl) {
    if constexpr (std::endian::native != std::endian::little) {
        GTEST_SKIP() << "the words are the message's little-endian blocks";
    }
    std::mt19937_64 rng(21);
    for (std::size_t n = 0; n <= 8; ++n) {
        for (int round = 0; round < 50; ++round) {
            const std::uint64_t k0 = rng(), k1 = rng();
            std::vector<std::uint64_t> words(n);
            for (auto& w : words)
                w = rng();
            EXPECT_EQ(wst::sipHash24(k0, k1, words.data(), n),
                      openSslSipHash(k0, k1, words.data(), n))
                << n << " words";
        }
    }
}

TEST(SipHash, ReferenceVector) {
    // The reference implementation's first test vector (vectors.h, vectors_sip64[0]): key
    // 00 01 .. 0f, empty message. k0 is the key's first eight bytes read little-endian.
    EXPECT_EQ(wst::sipHash24(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull, nullptr, 0),
              0x726fdb47dd0e0e31ull);
}

} // namespace
