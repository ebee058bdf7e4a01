// SPDX-License-Identifier: MIT
#include "source/pcap_export.h"
#include "source/pcap_file_source.h"
#include "test_support.h"

namespace wst::test {
namespace {

const std::string kInput = std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv6.pcap";

/// The one connection in the capture, as the flow table sees it.
ConnectionInfo theConnection() {
    PcapFileSource source(kInput);
    Analysis a;
    analyse(source, a);
    EXPECT_EQ(a.observer.conns.size(), 1u);
    return a.observer.conns.at(0)->info;
}

TEST(ExportConnections, CopiesTheChosenConnectionByteForByte) {
    const ConnectionInfo info = theConnection();
    const std::string out = testing::TempDir() + "wst_export.pcapng";
    // Listed server-first: either direction matches.
    const ExportResult r = exportConnections(kInput, out, {{info.server, info.client}});
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.packetsRead, 30u);
    EXPECT_EQ(r.packetsWritten, 30u);
    PcapFileSource a(kInput), b(out);
    ASSERT_TRUE(b.isOpen()) << b.errorMessage();
    RawPacket pa, pb;
    while (a.next(pa) == ReadStatus::Packet) {
        ASSERT_EQ(b.next(pb), ReadStatus::Packet);
        EXPECT_EQ(pa.time, pb.time);
        EXPECT_EQ(pa.linkType, pb.linkType);
        EXPECT_TRUE(std::equal(pa.data.begin(), pa.data.end(), pb.data.begin(), pb.data.end()));
    }
    EXPECT_EQ(b.next(pb), ReadStatus::EndOfFile);
}

TEST(ExportConnections, OnlyTheChosenConnectionAndPacketRange) {
    const ConnectionInfo info = theConnection();
    const std::string out = testing::TempDir() + "wst_export_range.pcapng";
    Endpoint other = info.client;
    other.port = static_cast<std::uint16_t>(other.port + 1);
    ExportResult r = exportConnections(kInput, out, {{other, info.server}});
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.packetsWritten, 0u);
    r = exportConnections(kInput, out, {{info.client, info.server, 4, 9}});
    EXPECT_EQ(r.packetsWritten, 6u);
    PcapFileSource b(out);
    RawPacket p;
    std::size_t n = 0;
    while (b.next(p) == ReadStatus::Packet)
        ++n;
    EXPECT_EQ(n, 6u);
}

TEST(ExportConnections, ErrorsNameTheFile) {
    const std::string missing = testing::TempDir() + "wst_no_such_input.pcap";
    ExportResult r = exportConnections(missing, testing::TempDir() + "x.pcapng", {});
    EXPECT_EQ(r.error, missing + ": cannot open: No such file or directory");
    r = exportConnections(kInput, "/nonexistent-dir/x.pcapng", {});
    EXPECT_EQ(r.error, "/nonexistent-dir/x.pcapng: cannot create: No such file or directory");
}

} // namespace
} // namespace wst::test
