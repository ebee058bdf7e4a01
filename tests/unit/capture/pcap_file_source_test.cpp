// SPDX-License-Identifier: MIT
// PcapFileSource on real captures (tests/data/capture, made by make-captures.sh with tcpdump
// and dumpcap on loopback), and on damaged copies of them made here.
#include "capture/source/pcap_file_source.h"
#include "tests/unit/capture/test_support.h"

#include <filesystem>
#include <fstream>

namespace wst::test {
namespace {

namespace fs = std::filesystem;

std::string dataFile(const std::string& name) {
    return std::string(WST_CAPTURE_DATA_DIR) + "/" + name;
}

Buf readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Buf(std::istreambuf_iterator<char>(in), {});
}

std::string writeTemp(const std::string& name, const Buf& bytes) {
    const std::string path = testing::TempDir() + "wst_" + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path;
}

/// Offsets where each record of a classic little-endian pcap starts (and the file end).
std::vector<std::size_t> recordOffsets(const Buf& file) {
    std::vector<std::size_t> at;
    std::size_t pos = 24;
    while (pos + 16 <= file.size()) {
        at.push_back(pos);
        const std::size_t caplen = file[pos + 8] | (file[pos + 9] << 8) | (file[pos + 10] << 16) |
                                   (std::size_t{file[pos + 11]} << 24);
        pos += 16 + caplen;
    }
    at.push_back(pos);
    return at;
}

struct RealCapture {
    const char* file;
    LinkType linkType;
    bool v6;
};

class RealCaptures : public testing::TestWithParam<RealCapture> {};

// The whole connection, byte for byte, from every format the script writes.
TEST_P(RealCaptures, ReassembleTheWholeConnection) {
    const RealCapture param = GetParam();
    PcapFileSource source(dataFile(param.file));
    ASSERT_TRUE(source.isOpen()) << source.errorMessage();
    EXPECT_EQ(source.linkType(), param.linkType);
    Analysis a;
    analyse(source, a);
    EXPECT_EQ(a.end, ReadStatus::EndOfFile) << source.errorMessage();
    ASSERT_EQ(a.packets.size(), 30u);
    for (std::size_t i = 0; i < a.packets.size(); ++i) {
        EXPECT_EQ(a.packets[i].number, i + 1);
        EXPECT_EQ(a.packets[i].linkType, param.linkType);
        EXPECT_EQ(a.statuses[i], DecodeStatus::Ok);
        EXPECT_GT(a.packets[i].time.ns, Timestamp::fromSecondsNanos(1'600'000'000, 0).ns);
        if (i > 0) {
            EXPECT_GE(a.packets[i].time, a.packets[i - 1].time);
        }
    }
    ASSERT_EQ(a.observer.conns.size(), 1u);
    const RecordedConnection& c = *a.observer.conns[0];
    EXPECT_TRUE(c.info.sawSyn);
    EXPECT_EQ(c.info.client.address.v6, param.v6);
    EXPECT_EQ(c.info.client.address.toString(), param.v6 ? "::1" : "127.0.0.1");
    EXPECT_EQ(c.data[0], pattern(8000, 1));
    EXPECT_EQ(c.data[1], pattern(6000, 2));
    EXPECT_EQ(c.gapBytes[0] + c.gapBytes[1], 0u);
    EXPECT_EQ(countPrefix(c.events, "notice"), 0u);
    EXPECT_TRUE(contains(c.events, "close s2c fin"));
    EXPECT_TRUE(contains(c.events, "close c2s fin"));
    EXPECT_TRUE(c.ended);
}

INSTANTIATE_TEST_SUITE_P(
    Files, RealCaptures,
    testing::Values(RealCapture{"tcp-ipv4.pcap", LinkType::Ethernet, false},
                    RealCapture{"tcp-ipv4-nanos.pcap", LinkType::Ethernet, false},
                    RealCapture{"tcp-ipv4-bigendian.pcap", LinkType::Ethernet, false},
                    RealCapture{"tcp-ipv4.pcapng", LinkType::Ethernet, false},
                    RealCapture{"tcp-any-sll2.pcap", LinkType::LinuxSll2, false},
                    RealCapture{"tcp-any-sll.pcap", LinkType::LinuxSll, false},
                    RealCapture{"tcp-ipv6.pcap", LinkType::Ethernet, true}),
    [](const testing::TestParamInfo<RealCapture>& p) {
        std::string name = p.param.file;
        for (char& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch)))
                ch = '_';
        return name;
    });

std::vector<std::int64_t> times(const std::string& file) {
    PcapFileSource source(dataFile(file));
    std::vector<std::int64_t> out;
    RawPacket p;
    while (source.next(p) == ReadStatus::Packet)
        out.push_back(p.time.ns);
    return out;
}

TEST(PcapFileSource, MicrosecondAndNanosecondFilesBothGiveNanoseconds) {
    const auto micro = times("tcp-ipv4.pcap");
    ASSERT_FALSE(micro.empty());
    for (std::int64_t t : micro)
        EXPECT_EQ(t % 1000, 0) << "a microsecond file scaled to ns";
    const auto nano = times("tcp-ipv4-nanos.pcap");
    EXPECT_TRUE(std::any_of(nano.begin(), nano.end(), [](std::int64_t t) { return t % 1000; }))
        << "nanosecond digits kept";
}

TEST(PcapFileSource, BigEndianFileReadsTheSameAsLittleEndian) {
    PcapFileSource le(dataFile("tcp-ipv4.pcap")), be(dataFile("tcp-ipv4-bigendian.pcap"));
    RawPacket a, b;
    int n = 0;
    while (le.next(a) == ReadStatus::Packet) {
        ASSERT_EQ(be.next(b), ReadStatus::Packet);
        EXPECT_EQ(a.time, b.time);
        EXPECT_EQ(a.originalLength, b.originalLength);
        ASSERT_EQ(a.capturedLength, b.capturedLength);
        EXPECT_TRUE(std::equal(a.data.begin(), a.data.end(), b.data.begin()));
        ++n;
    }
    EXPECT_EQ(n, 30);
    EXPECT_EQ(be.next(b), ReadStatus::EndOfFile);
}

TEST(PcapFileSource, SnapLengthCutPacketsBecomeGapsNotGarbage) {
    PcapFileSource source(dataFile("tcp-ipv4-snap96.pcap"));
    ASSERT_TRUE(source.isOpen()) << source.errorMessage();
    EXPECT_EQ(source.snapLength(), 96u);
    Analysis a;
    analyse(source, a);
    ASSERT_EQ(a.packets.size(), 30u);
    std::size_t cut = 0;
    for (const RawPacket& p : a.packets) {
        EXPECT_LE(p.capturedLength, 96u);
        cut += p.originalLength > p.capturedLength ? 1 : 0;
    }
    EXPECT_EQ(cut, 12u); // the 8 + 4 data packets
    ASSERT_EQ(a.observer.conns.size(), 1u);
    const RecordedConnection& c = *a.observer.conns[0];
    const Buf expected[2] = {pattern(8000, 1), pattern(6000, 2)};
    for (int d = 0; d < 2; ++d) {
        EXPECT_EQ(c.data[d].size() + c.gapBytes[d], expected[d].size());
        EXPECT_GT(c.gapBytes[d], 0u);
        for (const auto& [offset, bytes] : c.chunks[d])
            EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(),
                                   expected[d].begin() + static_cast<std::ptrdiff_t>(offset)))
                << "bytes at their true offsets";
    }
    EXPECT_TRUE(contains(c.events, "close c2s fin"));
    EXPECT_TRUE(contains(c.events, "close s2c fin"));
}

TEST(PcapFileSource, TruncatedInsideARecordDeliversEverythingBefore) {
    const Buf file = readFile(dataFile("tcp-ipv4.pcap"));
    const auto records = recordOffsets(file);
    ASSERT_EQ(records.size(), 31u);
    // Cut in the middle of packet 22's bytes (the second 1500-byte server write), and inside
    // the 16-byte record header of packet 12.
    for (auto [packet, into] : {std::pair<std::size_t, std::size_t>{22, 700}, {12, 9}}) {
        const std::size_t cutAt = records[packet - 1] + into;
        const std::string path = writeTemp(
            "cut.pcap", Buf(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(cutAt)));
        PcapFileSource source(path);
        ASSERT_TRUE(source.isOpen());
        Analysis a;
        analyse(source, a);
        EXPECT_EQ(a.end, ReadStatus::Error);
        EXPECT_EQ(a.packets.size(), packet - 1);
        const std::string message = source.errorMessage();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find(fmt::format("damaged after packet {}", packet - 1)),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("truncated"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << "one line";
        // What came before the damage is still analysed: the connection and its bytes.
        ASSERT_EQ(a.observer.conns.size(), 1u);
        const RecordedConnection& c = *a.observer.conns[0];
        const std::size_t clientBytes = packet > 19 ? 8000 : ((packet - 4) / 2 + 0) * 1000;
        const Buf client = pattern(8000, 1);
        EXPECT_EQ(c.data[0],
                  Buf(client.begin(), client.begin() + static_cast<std::ptrdiff_t>(clientBytes)));
        EXPECT_EQ(c.data[1].size(), packet > 20 ? 1500u : 0u);
        EXPECT_TRUE(contains(c.events, "close c2s end_of_capture"));
    }
}

TEST(PcapFileSource, TruncatedAtARecordBoundaryIsACleanEnd) {
    const Buf file = readFile(dataFile("tcp-ipv4.pcap"));
    const auto records = recordOffsets(file);
    const std::string path =
        writeTemp("boundary.pcap",
                  Buf(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(records[10])));
    PcapFileSource source(path);
    Analysis a;
    analyse(source, a);
    EXPECT_EQ(a.end, ReadStatus::EndOfFile);
    EXPECT_EQ(a.packets.size(), 10u);
}

TEST(PcapFileSource, TruncatedPcapng) {
    const Buf file = readFile(dataFile("tcp-ipv4.pcapng"));
    // Walk the blocks (type, total length; host order = little endian here) to the last
    // Enhanced Packet Block, and cut 30 bytes into it.
    auto le32 = [&](std::size_t at) {
        return std::size_t{file[at]} | (std::size_t{file[at + 1]} << 8) |
               (std::size_t{file[at + 2]} << 16) | (std::size_t{file[at + 3]} << 24);
    };
    std::size_t lastPacketBlock = 0;
    for (std::size_t at = 0; at + 12 <= file.size(); at += le32(at + 4))
        if (le32(at) == 6)
            lastPacketBlock = at;
    ASSERT_GT(lastPacketBlock, 0u);
    const std::string path = writeTemp(
        "cut.pcapng",
        Buf(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(lastPacketBlock + 30)));
    PcapFileSource source(path);
    ASSERT_TRUE(source.isOpen()) << source.errorMessage();
    Analysis a;
    analyse(source, a);
    EXPECT_EQ(a.end, ReadStatus::Error);
    EXPECT_EQ(a.packets.size(), 29u);
    EXPECT_NE(source.errorMessage().find("damaged after packet 29"), std::string::npos)
        << source.errorMessage();
    ASSERT_EQ(a.observer.conns.size(), 1u);
    EXPECT_EQ(a.observer.conns[0]->data[1], pattern(6000, 2));
}

TEST(PcapFileSource, BadMagicIsNotACapture) {
    Buf junk = readFile(dataFile("tcp-ipv4.pcap"));
    junk[0] = 'G';
    junk[1] = 'E';
    junk[2] = 'T';
    junk[3] = ' ';
    const std::string path = writeTemp("junk.pcap", junk);
    PcapFileSource source(path);
    EXPECT_FALSE(source.isOpen());
    EXPECT_EQ(source.errorMessage(), path + ": not a pcap or pcapng capture (unknown file format)");
    RawPacket p;
    EXPECT_EQ(source.next(p), ReadStatus::Error);
}

TEST(PcapFileSource, MissingAndEmptyFiles) {
    const std::string missing = testing::TempDir() + "wst_does_not_exist.pcap";
    PcapFileSource a(missing);
    EXPECT_FALSE(a.isOpen());
    EXPECT_EQ(a.errorMessage(), missing + ": cannot open: No such file or directory");
    const std::string empty = writeTemp("empty.pcap", {});
    PcapFileSource b(empty);
    EXPECT_FALSE(b.isOpen());
    EXPECT_EQ(b.errorMessage().rfind(empty + ": ", 0), 0u) << b.errorMessage();
    EXPECT_EQ(b.errorMessage().find('\n'), std::string::npos);
}

TEST(PcapFileSource, UnknownLinkTypeIsNamed) {
    Buf file = readFile(dataFile("tcp-ipv4.pcap"));
    file[20] = 105; // LINKTYPE_IEEE802_11
    const std::string path = writeTemp("wifi.pcap", file);
    PcapFileSource source(path);
    EXPECT_FALSE(source.isOpen());
    const std::string message = source.errorMessage();
    EXPECT_EQ(message.rfind(path + ": link type 105 (IEEE802_11", 0), 0u) << message;
    EXPECT_NE(message.find("not supported"), std::string::npos);
    RawPacket p;
    EXPECT_EQ(source.next(p), ReadStatus::Error);
}

TEST(PcapFileSource, RequestStopEndsTheFile) {
    PcapFileSource source(dataFile("tcp-ipv4.pcap"));
    RawPacket p;
    ASSERT_EQ(source.next(p), ReadStatus::Packet);
    source.requestStop();
    EXPECT_EQ(source.next(p), ReadStatus::EndOfFile);
    EXPECT_EQ(source.describe(), dataFile("tcp-ipv4.pcap"));
}

} // namespace
} // namespace wst::test
