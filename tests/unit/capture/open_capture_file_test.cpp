// SPDX-License-Identifier: MIT
// The mmap reader (MmapPcapSource) and openCaptureFile against libpcap (PcapFileSource): the
// same packets, numbers, times, lengths, link types, end status and error message, on every
// capture in captures/ and tests/data/capture/ and on damaged copies made here.
#include "capture/file/mmap_pcap_source.h"
#include "capture/source/open_capture_file.h"
#include "capture/source/pcap_file_source.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <vector>

namespace wst {
namespace {

namespace fs = std::filesystem;
using Buf = std::vector<std::uint8_t>;

struct Seen {
    PacketNumber number;
    std::int64_t ns;
    std::uint32_t captured;
    std::uint32_t original;
    LinkType link;
    Buf data;
    friend bool operator==(const Seen&, const Seen&) = default;
};

struct ReadRun {
    std::vector<Seen> packets;
    ReadStatus end = ReadStatus::Packet;
    std::string error;
};

ReadRun drain(PacketSource& source) {
    ReadRun r;
    RawPacket p;
    while ((r.end = source.next(p)) == ReadStatus::Packet)
        r.packets.push_back({p.number, p.time.ns, p.capturedLength, p.originalLength, p.linkType,
                             Buf(p.data.begin(), p.data.end())});
    if (r.end == ReadStatus::Error)
        r.error = source.errorMessage();
    return r;
}

Buf readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Buf(std::istreambuf_iterator<char>(in), {});
}

std::string writeTemp(const std::string& name, const Buf& bytes) {
    const std::string path = testing::TempDir() + "wst_open_" + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path;
}

/// openCaptureFile and PcapFileSource agree on everything; returns libpcap's run.
ReadRun expectSameAsLibpcap(const std::string& path) {
    PcapFileSource reference(path);
    std::string error;
    auto source = openCaptureFile(path, error);
    if (!reference.isOpen()) {
        EXPECT_EQ(source, nullptr) << path;
        EXPECT_EQ(error, reference.errorMessage()) << path;
        return {};
    }
    EXPECT_NE(source, nullptr) << path << ": " << error;
    if (source == nullptr)
        return {};
    const ReadRun want = drain(reference);
    const ReadRun got = drain(*source);
    EXPECT_EQ(got.end, want.end) << path;
    EXPECT_EQ(got.error, want.error) << path;
    EXPECT_EQ(got.packets.size(), want.packets.size()) << path;
    EXPECT_TRUE(got.packets == want.packets) << path;
    return want;
}

std::vector<std::string> allCaptures() {
    std::vector<std::string> files;
    for (const char* dir : {WST_CAPTURE_DATA_DIR, WST_CAPTURES_DIR})
        for (const auto& e : fs::directory_iterator(dir)) {
            const std::string ext = e.path().extension().string();
            if (ext == ".pcap" || ext == ".pcapng")
                files.push_back(e.path().string());
        }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(OpenCaptureFile, EveryCaptureReadsAsLibpcapReadsIt) {
    const auto files = allCaptures();
    ASSERT_GT(files.size(), 10u);
    for (const auto& f : files)
        expectSameAsLibpcap(f);
}

// The fast reader itself (no fallback) on every classic pcap it accepts.
TEST(MmapPcapSource, ClassicFilesReadWithoutFallback) {
    int accepted = 0;
    for (const auto& f : allCaptures()) {
        MmapPcapSource fast(f);
        if (!fast.isOpen()) {
            EXPECT_EQ(fs::path(f).extension(), ".pcapng") << f << ": " << fast.errorMessage();
            continue;
        }
        ++accepted;
        PcapFileSource reference(f);
        const ReadRun want = drain(reference);
        const ReadRun got = drain(fast);
        EXPECT_EQ(got.end, ReadStatus::EndOfFile) << f << ": " << got.error;
        EXPECT_TRUE(got.packets == want.packets) << f;
    }
    EXPECT_GT(accepted, 10);
}

TEST(MmapPcapSource, HeaderVariants) {
    MmapPcapSource::Header h;
    std::string why;
    const Buf file = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4-bigendian.pcap");
    ASSERT_TRUE(MmapPcapSource::parseHeader(Bytes(file.data(), file.size()), h, why)) << why;
    EXPECT_TRUE(h.swapped);
    const Buf nanos = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4-nanos.pcap");
    ASSERT_TRUE(MmapPcapSource::parseHeader(Bytes(nanos.data(), nanos.size()), h, why)) << why;
    EXPECT_TRUE(h.nanoseconds);
    for (std::size_t n = 0; n < 24; ++n)
        EXPECT_FALSE(MmapPcapSource::parseHeader(Bytes(file.data(), n), h, why)) << n;
}

// Cut anywhere: every prefix of a file gives libpcap's packets, status and message.
TEST(OpenCaptureFile, EveryTruncationMatchesLibpcap) {
    for (const char* name : {"tcp-ipv4.pcap", "tcp-ipv4-bigendian.pcap", "tcp-ipv4.pcapng"}) {
        const Buf file = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/" + name);
        // Every offset of the first 400 bytes, then every 37th (records and their headers).
        for (std::size_t cut = 0; cut < file.size(); cut += cut < 400 ? 1 : 37) {
            const std::string path =
                writeTemp(name, Buf(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(cut)));
            expectSameAsLibpcap(path);
        }
    }
}

TEST(OpenCaptureFile, DamagedRecordHeadersMatchLibpcap) {
    const Buf file = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4.pcap");
    // Packet 5's record header: captured length huge, above the snap length, above the
    // original length; original length zero.
    std::size_t at = 24;
    for (int i = 0; i < 4; ++i)
        at += 16 + (file[at + 8] | (file[at + 9] << 8) | (file[at + 10] << 16));
    const std::vector<std::pair<std::size_t, std::uint32_t>> edits = {
        {8, 0x7fffffff}, {8, 262145}, {8, 70000}, {12, 0}, {12, 1}};
    int index = 0;
    for (auto [field, value] : edits) {
        Buf bad = file;
        for (int b = 0; b < 4; ++b)
            bad[at + field + static_cast<std::size_t>(b)] =
                static_cast<std::uint8_t>(value >> (8 * b));
        const ReadRun r = expectSameAsLibpcap(writeTemp(fmt::format("bad{}.pcap", index++), bad));
        EXPECT_GE(r.packets.size(), 4u);
    }
}

TEST(OpenCaptureFile, MissingAndNotACapture) {
    expectSameAsLibpcap(testing::TempDir() + "wst_open_missing.pcap");
    expectSameAsLibpcap(writeTemp("empty.pcap", {}));
    Buf junk = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4.pcap");
    junk[0] = 'G';
    expectSameAsLibpcap(writeTemp("junk.pcap", junk));
}

TEST(OpenCaptureFile, RequestStopEndsTheFile) {
    std::string error;
    auto source = openCaptureFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4.pcap", error);
    ASSERT_NE(source, nullptr) << error;
    RawPacket p;
    ASSERT_EQ(source->next(p), ReadStatus::Packet);
    source->requestStop();
    EXPECT_EQ(source->next(p), ReadStatus::EndOfFile);
}

} // namespace
} // namespace wst
