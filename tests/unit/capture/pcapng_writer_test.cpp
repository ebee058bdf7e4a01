// SPDX-License-Identifier: MIT
// PcapngWriter: what it writes reads back through libpcap unchanged, and its blocks follow the
// pcapng layout.
#include "capture/source/pcap_file_source.h"
#include "capture/source/pcapng_writer.h"
#include "tests/unit/capture/test_support.h"

#include <cstring>
#include <fstream>

namespace wst::test {
namespace {

struct Copy {
    RawPacket header;
    Buf bytes;
};

std::vector<Copy> readAll(const std::string& path, std::string* error = nullptr) {
    PcapFileSource source(path);
    std::vector<Copy> out;
    RawPacket p;
    ReadStatus s;
    while ((s = source.next(p)) == ReadStatus::Packet)
        out.push_back({p, Buf(p.data.begin(), p.data.end())});
    if (error != nullptr)
        *error = s == ReadStatus::EndOfFile ? "" : source.errorMessage();
    return out;
}

std::uint32_t le32(const Buf& b, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v; // written in host order; the tests run on the host that wrote it
}

TEST(PcapngWriter, RoundTripsPacketsThroughLibpcap) {
    // Nanosecond timestamps, and a snap-length-cut packet (original > captured).
    for (const char* file : {"tcp-ipv4-nanos.pcap", "tcp-ipv4-snap96.pcap", "tcp-any-sll2.pcap"}) {
        const auto original = readAll(std::string(WST_CAPTURE_DATA_DIR) + "/" + file);
        ASSERT_EQ(original.size(), 30u);
        const std::string path = testing::TempDir() + "wst_roundtrip.pcapng";
        {
            PcapngWriter writer(path);
            ASSERT_TRUE(writer.isOpen()) << writer.errorMessage();
            for (const Copy& c : original) {
                RawPacket p = c.header;
                p.data = Bytes(c.bytes);
                ASSERT_TRUE(writer.write(p));
            }
            EXPECT_EQ(writer.packetsWritten(), 30u);
            ASSERT_TRUE(writer.finish()) << writer.errorMessage();
        }
        std::string error;
        const auto back = readAll(path, &error);
        EXPECT_EQ(error, "");
        ASSERT_EQ(back.size(), original.size()) << file;
        for (std::size_t i = 0; i < back.size(); ++i) {
            EXPECT_EQ(back[i].header.number, i + 1);
            EXPECT_EQ(back[i].header.time, original[i].header.time);
            EXPECT_EQ(back[i].header.linkType, original[i].header.linkType);
            EXPECT_EQ(back[i].header.originalLength, original[i].header.originalLength);
            EXPECT_EQ(back[i].bytes, original[i].bytes);
        }
    }
}

TEST(PcapngWriter, OneInterfaceBlockPerLinkType) {
    const std::string path = testing::TempDir() + "wst_mixed.pcapng";
    const Buf a = pattern(61, 1), b = pattern(40, 2);
    {
        PcapngWriter writer(path);
        RawPacket p;
        p.time = Timestamp::fromSecondsNanos(1'700'000'000, 123'456'789);
        p.linkType = LinkType::Ethernet;
        p.data = Bytes(a);
        p.capturedLength = p.originalLength = 61;
        ASSERT_TRUE(writer.write(p));
        p.linkType = LinkType::Raw;
        p.data = Bytes(b);
        p.capturedLength = 40;
        p.originalLength = 1500;
        ASSERT_TRUE(writer.write(p));
        p.linkType = LinkType::Ethernet;
        p.data = Bytes(a);
        p.capturedLength = p.originalLength = 61;
        ASSERT_TRUE(writer.write(p));
        ASSERT_TRUE(writer.finish());
    }
    std::ifstream in(path, std::ios::binary);
    const Buf file{std::istreambuf_iterator<char>(in), {}};
    // Walk the blocks: type and total length at the start, the length again at the end.
    std::vector<std::uint32_t> types;
    std::vector<std::size_t> starts;
    std::size_t at = 0;
    while (at < file.size()) {
        ASSERT_LE(at + 12, file.size());
        const std::uint32_t length = le32(file, at + 4);
        ASSERT_EQ(length % 4, 0u);
        ASSERT_LE(at + length, file.size());
        EXPECT_EQ(le32(file, at + length - 4), length);
        types.push_back(le32(file, at));
        starts.push_back(at);
        at += length;
    }
    const std::vector<std::uint32_t> expected = {0x0a0d0d0a, 1, 6, 1, 6, 6};
    EXPECT_EQ(types, expected);
    EXPECT_EQ(le32(file, 8), 0x1a2b3c4du);               // byte-order magic
    EXPECT_EQ(le32(file, starts[1] + 8) & 0xffff, 1u);   // LINKTYPE_ETHERNET
    EXPECT_EQ(le32(file, starts[3] + 8) & 0xffff, 101u); // LINKTYPE_RAW
    // EPBs: interface id, 64-bit ns timestamp, captured and original length.
    EXPECT_EQ(le32(file, starts[2] + 8), 0u);
    EXPECT_EQ(le32(file, starts[4] + 8), 1u);
    EXPECT_EQ(le32(file, starts[5] + 8), 0u);
    const std::uint64_t ts =
        (std::uint64_t{le32(file, starts[4] + 12)} << 32) | le32(file, starts[4] + 16);
    EXPECT_EQ(ts, 1'700'000'000'123'456'789ull);
    EXPECT_EQ(le32(file, starts[4] + 20), 40u);
    EXPECT_EQ(le32(file, starts[4] + 24), 1500u);
    EXPECT_TRUE(
        std::equal(b.begin(), b.end(), file.begin() + static_cast<std::ptrdiff_t>(starts[4] + 28)));
}

TEST(PcapngWriter, UnwritablePathIsAClearError) {
    PcapngWriter writer("/nonexistent-dir/out.pcapng");
    EXPECT_FALSE(writer.isOpen());
    EXPECT_EQ(writer.errorMessage(),
              "/nonexistent-dir/out.pcapng: cannot create: No such file or directory");
    RawPacket p;
    EXPECT_FALSE(writer.write(p));
}

} // namespace
} // namespace wst::test
