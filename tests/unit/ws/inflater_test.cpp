// SPDX-License-Identifier: MIT
// Inflater: round trips with real zlib deflate (RFC 7692 §7.2.1), bombs, corrupt data.
#include "decoder/ws/inflater.h"
#include "tests/unit/ws/ws_test_util.h"

#include <gtest/gtest.h>
#include <string>

namespace wst::test {
namespace {

Buf sampleText(int seed, std::size_t n) {
    Buf b;
    const std::string words[] = {"websocket ",        "frame ",   "deflate ", "window ", "{\"id\":",
                                 "\"price\": 12.5, ", "context ", "takeover "};
    std::uint32_t x = static_cast<std::uint32_t>(seed) * 2654435761u + 1;
    while (b.size() < n) {
        x = x * 1103515245u + 12345u;
        const std::string& w = words[(x >> 16) % 8];
        b.insert(b.end(), w.begin(), w.end());
    }
    b.resize(n);
    return b;
}

struct Collect {
    Buf out;
    void operator()(Bytes b) { out.insert(out.end(), b.begin(), b.end()); }
};

/// Parameters for the server→client stream the tests inflate.
DeflateParams serverDeflate(int windowBits = 15, bool noContextTakeover = false) {
    DeflateParams p;
    p.enabled = true;
    p.serverMaxWindowBits = static_cast<std::uint8_t>(windowBits);
    p.serverNoContextTakeover = noContextTakeover;
    return p;
}
constexpr Direction kS2C = Direction::ServerToClient;

/// Inflates one message fed in pieces of `piece` bytes.
Buf inflateMessage(Inflater& inf, const Buf& compressed, std::size_t piece,
                   Inflater::Status* status = nullptr) {
    Collect c;
    Inflater::Status st = Inflater::Status::Ok;
    for (std::size_t i = 0; i < compressed.size(); i += piece) {
        const std::size_t n = std::min(piece, compressed.size() - i);
        st = inf.feed(Bytes(compressed.data() + i, n), c);
    }
    const auto fin = inf.finishMessage(c);
    if (status) {
        *status = st == Inflater::Status::Ok ? fin : st;
    }
    return c.out;
}

TEST(Inflater, RoundTripsAcrossWindowBitsAndTakeover) {
    for (int bits = 9; bits <= 15; ++bits) {
        for (bool noTakeover : {false, true}) {
            Deflater def(bits, noTakeover);
            Inflater inf(serverDeflate(bits, noTakeover), kS2C, 1 << 24);
            for (int m = 0; m < 6; ++m) {
                // Repeated messages: with context takeover later ones refer to earlier ones.
                const Buf msg = sampleText(m % 2, 3000 + static_cast<std::size_t>(m) * 777);
                const Buf z = def.message(msg);
                // Fed a byte at a time, in 7-byte pieces, then whole.
                const std::size_t piece = m == 0 ? 1 : (m == 1 ? 7 : z.size());
                Inflater::Status st{};
                EXPECT_EQ(inflateMessage(inf, z, piece, &st), msg)
                    << "bits=" << bits << " noTakeover=" << noTakeover << " m=" << m;
                EXPECT_EQ(st, Inflater::Status::Ok);
                EXPECT_EQ(inf.messageBytes(), msg.size());
            }
            EXPECT_TRUE(inf.contextIntact());
        }
    }
}

TEST(Inflater, EveryPieceSizeGivesTheSameOutput) {
    Deflater def(15, false);
    const Buf msg = sampleText(3, 5000);
    const Buf z = def.message(msg);
    for (std::size_t piece = 1; piece <= z.size(); piece += (piece < 40 ? 1 : 97)) {
        Deflater d2(15, false);
        Inflater inf(serverDeflate(), kS2C, 1 << 20);
        EXPECT_EQ(inflateMessage(inf, d2.message(msg), piece), msg) << piece;
    }
}

TEST(Inflater, TakeoverNeedsTheSharedWindow) {
    // The second message refers back to the first: a fresh inflater cannot decode it.
    Deflater def(15, false);
    const Buf msg = sampleText(5, 2000);
    def.message(msg);
    const Buf second = def.message(msg);
    Inflater fresh(serverDeflate(), kS2C, 1 << 20);
    Inflater::Status st{};
    inflateMessage(fresh, second, second.size(), &st);
    EXPECT_EQ(st, Inflater::Status::Error);
    EXPECT_FALSE(fresh.error().empty());
    EXPECT_FALSE(fresh.contextIntact());
}

TEST(Inflater, BombStopsAtTheCap) {
    Deflater def(15, true, 9);
    const Buf zeros(32u << 20, 0); // 32 MiB of zeros compress to ~32 KiB
    const Buf z = def.message(zeros);
    ASSERT_LT(z.size(), 64u * 1024);
    const std::uint64_t cap = 1u << 20;
    Inflater inf(serverDeflate(15, true), kS2C, cap);
    std::uint64_t seen = 0;
    std::size_t biggestChunk = 0;
    const auto st = inf.feed(bytesOf(z), [&](Bytes b) {
        seen += b.size();
        biggestChunk = std::max(biggestChunk, b.size());
    });
    EXPECT_EQ(st, Inflater::Status::SizeLimit);
    EXPECT_EQ(seen, cap);
    EXPECT_EQ(inf.messageBytes(), cap);
    EXPECT_LE(biggestChunk, 16u * 1024); // output is streamed, never held whole
    // Sticky for the rest of the message; the next message starts clean.
    EXPECT_EQ(inf.feed(bytesOf(z), [](Bytes) {}), Inflater::Status::SizeLimit);
    EXPECT_EQ(inf.finishMessage([](Bytes) {}), Inflater::Status::SizeLimit);
    Deflater small(15, true);
    const Buf msg = sampleText(1, 100);
    Inflater::Status s2{};
    EXPECT_EQ(inflateMessage(inf, small.message(msg), 10, &s2), msg);
    EXPECT_EQ(s2, Inflater::Status::Ok);
}

TEST(Inflater, CorruptDataIsAnError) {
    Inflater inf(serverDeflate(), kS2C, 1 << 20);
    const Buf junk{0xff, 0xff, 0xff, 0xff, 0x00, 0x12};
    Inflater::Status st{};
    inflateMessage(inf, junk, junk.size(), &st);
    EXPECT_EQ(st, Inflater::Status::Error);
    EXPECT_FALSE(inf.error().empty());
}

TEST(Inflater, UsesTheSendersWindow) {
    // 20 000 bytes of noise twice: the repeat refers 20 000 bytes back, within a 15-bit window
    // but past a 9-bit one (512 bytes) and past the 16 KiB the Inflater writes at a time.
    Buf noise(20'000);
    std::uint32_t x = 7;
    for (std::uint8_t& b : noise) {
        x = x * 1103515245u + 12345u;
        b = static_cast<std::uint8_t>(x >> 24);
    }
    const Buf text = cat({noise, noise});
    Deflater server(15, false);
    const Buf z = server.message(text);
    DeflateParams p = serverDeflate(15, false);
    p.clientMaxWindowBits = 9;
    Inflater s2c(p, kS2C, 1 << 20);
    Inflater::Status st{};
    EXPECT_EQ(inflateMessage(s2c, z, z.size(), &st), text);
    EXPECT_EQ(st, Inflater::Status::Ok);
    Inflater c2s(p, Direction::ClientToServer, 1 << 20);
    inflateMessage(c2s, z, z.size(), &st);
    EXPECT_EQ(st, Inflater::Status::Error)
        << "the client's 9-bit window cannot reach that far back";
}

TEST(Inflater, FinalBlockKeepsTheWindow) {
    // A sender may end a message with a BFINAL block (Z_FINISH); the window still carries over.
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    const Buf msg = sampleText(7, 1500);
    Buf out(4096);
    z.next_in = const_cast<Bytef*>(msg.data());
    z.avail_in = static_cast<uInt>(msg.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    Inflater inf(serverDeflate(), kS2C, 1 << 20);
    Inflater::Status st{};
    EXPECT_EQ(inflateMessage(inf, out, 5, &st), msg);
    EXPECT_EQ(st, Inflater::Status::Ok);
}

TEST(Inflater, AbortLosesTheContextOnlyWithTakeover) {
    Inflater takeover(serverDeflate(15, false), kS2C, 1 << 20);
    takeover.feed(Bytes(), [](Bytes) {});
    takeover.abortMessage();
    EXPECT_FALSE(takeover.contextIntact());
    Inflater reset(serverDeflate(15, true), kS2C, 1 << 20);
    reset.feed(Bytes(), [](Bytes) {});
    reset.abortMessage();
    EXPECT_TRUE(reset.contextIntact());
}

TEST(Inflater, EveryRestartIsChargedToTheBudget) {
    // 03 00: an empty fixed-Huffman block with BFINAL set. Each one restarts zlib's stream
    // (window copied out and back) and produces nothing: issue 21's reset storm.
    Buf storm;
    for (int i = 0; i < 1000; ++i) {
        storm.insert(storm.end(), {0x03, 0x00});
    }
    InflateBudget connection(100 * Inflater::kRestartWork, 0);
    Inflater inf(serverDeflate(), kS2C, 1 << 20, {&connection, nullptr});
    EXPECT_EQ(inf.feed(bytesOf(storm), [](Bytes) {}), Inflater::Status::Budget);
    EXPECT_TRUE(connection.spent());
    EXPECT_EQ(inf.finishMessage([](Bytes) {}), Inflater::Status::Budget);
    EXPECT_FALSE(inf.contextIntact());
    // The same blocks without BFINAL cost nothing but their input. A non-final block is not
    // followed by a byte boundary: 4 empty fixed blocks of 10 bits are these 5 bytes.
    Buf calm;
    for (int i = 0; i < 250; ++i) {
        calm.insert(calm.end(), {0x02, 0x08, 0x20, 0x80, 0x00});
    }
    InflateBudget fresh(100 * Inflater::kRestartWork, 0);
    Inflater quiet(serverDeflate(), kS2C, 1 << 20, {&fresh, nullptr});
    Inflater::Status st{};
    inflateMessage(quiet, calm, 64, &st);
    EXPECT_EQ(st, Inflater::Status::Ok);
    EXPECT_FALSE(fresh.spent());
}

TEST(Inflater, DecompressedBytesAreChargedAndCompressedBytesCredited) {
    const Buf text = sampleText(3, 200'000);
    Deflater def(15, true);
    const Buf z = def.message(text);
    // 200 000 bytes out: an allowance of 100 000 plus 1 per compressed byte is not enough...
    InflateBudget small(100'000, 1);
    Inflater a(serverDeflate(), kS2C, 1 << 20, {nullptr, &small});
    Inflater::Status st{};
    inflateMessage(a, z, 4096, &st);
    EXPECT_EQ(st, Inflater::Status::Budget);
    // ...and the credit per compressed byte is what lets it through.
    InflateBudget credited(100'000, 256);
    Inflater b(serverDeflate(), kS2C, 1 << 20, {nullptr, &credited});
    EXPECT_EQ(inflateMessage(b, z, 4096, &st), text);
    EXPECT_EQ(st, Inflater::Status::Ok);
    // A spent budget stops every Inflater that shares it at once.
    Inflater c(serverDeflate(), kS2C, 1 << 20, {nullptr, &small});
    EXPECT_EQ(c.feed(bytesOf(z), [](Bytes) {}), Inflater::Status::Budget);
}

} // namespace
} // namespace wst::test
