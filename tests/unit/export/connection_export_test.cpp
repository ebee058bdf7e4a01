// SPDX-License-Identifier: MIT
// exportConnections over a real capture read through the real libpcap source, written with
// the real pcapng writer and read back.
#include "capture/source/pcap_file_source.h"
#include "capture/source/pcapng_writer.h"
#include "decoder/export/connection_export.h"
#include "decoder/model/trace_store.h"
#include "decoder/pipeline/pipeline.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

const std::string kInput = std::string(WST_CAPTURES_DIR) + "/gin-write-after-upgrade.pcapng";

std::vector<Connection> connectionsOf(const std::string& path) {
    PcapFileSource source(path);
    Trace store;
    Pipeline(source, store, {}).run();
    return store.connections;
}

std::uint64_t exportTo(const std::string& out, const std::vector<Connection>& all,
                       const std::set<ConnId>& chosen) {
    PcapFileSource source(kInput);
    PcapngWriter writer(out);
    EXPECT_TRUE(writer.isOpen()) << writer.errorMessage();
    const ConnectionExportResult r =
        exportConnections(source, all, chosen, [&](const RawPacket& p) { return writer.write(p); });
    EXPECT_EQ(r.error, "");
    EXPECT_TRUE(writer.finish());
    return r.packetsWritten;
}

TEST(ConnectionExport, AllConnectionsGiveTheFileBackByteForByte) {
    const auto all = connectionsOf(kInput);
    ASSERT_EQ(all.size(), 3u);
    const std::string out = testing::TempDir() + "wst_export_all.pcapng";
    exportTo(out, all, {1, 2, 3});
    PcapFileSource a(kInput), b(out);
    RawPacket pa, pb;
    while (a.next(pa) == ReadStatus::Packet) {
        ASSERT_EQ(b.next(pb), ReadStatus::Packet);
        EXPECT_EQ(pa.time, pb.time);
        EXPECT_EQ(pa.originalLength, pb.originalLength);
        EXPECT_TRUE(std::equal(pa.data.begin(), pa.data.end(), pb.data.begin(), pb.data.end()));
    }
    EXPECT_EQ(b.next(pb), ReadStatus::EndOfFile);
}

TEST(ConnectionExport, OneConnectionReadsBackAsThatConnection) {
    const auto all = connectionsOf(kInput);
    const std::string out = testing::TempDir() + "wst_export_one.pcapng";
    const std::uint64_t written = exportTo(out, all, {2});
    const auto back = connectionsOf(out);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].client, all[1].client);
    EXPECT_EQ(back[0].server, all[1].server);
    EXPECT_EQ(back[0].outcome, all[1].outcome);
    EXPECT_EQ(back[0].stats[0].framesByOpcode, all[1].stats[0].framesByOpcode);
    EXPECT_EQ(back[0].stats[1].framesByOpcode, all[1].stats[1].framesByOpcode);
    EXPECT_GE(written, back[0].stats[0].packets + back[0].stats[1].packets);
}

TEST(ConnectionExport, AReusedFourTupleIsSplitWhereTheNextConnectionStarts) {
    // Two connections on one 4-tuple: the later one starts at packet 20.
    Connection first, second;
    first.id = 1;
    second.id = 2;
    first.client = second.client = connectionsOf(kInput)[0].client;
    first.server = second.server = connectionsOf(kInput)[0].server;
    first.firstPacket = 1;
    second.firstPacket = 5;
    const std::string out = testing::TempDir() + "wst_export_reuse.pcapng";
    const std::uint64_t onlyFirst = exportTo(out, {first, second}, {1});
    const std::uint64_t onlySecond = exportTo(out, {first, second}, {2});
    const std::uint64_t both = exportTo(out, {first, second}, {1, 2});
    EXPECT_EQ(onlyFirst, 4u); // packets 1–4
    EXPECT_EQ(onlyFirst + onlySecond, both);
}

} // namespace
} // namespace wst
