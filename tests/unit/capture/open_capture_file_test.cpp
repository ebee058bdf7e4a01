// SPDX-License-Identifier: MIT
// The mmap reader (MmapPcapSource) and openCaptureFile against libpcap (PcapFileSource): the
// same packets, numbers, times, lengths, link types, end status and error message, on every
// capture in captures/ and tests/data/capture/ and on damaged copies made here.
#include "capture/file/mmap_pcap_source.h"
#include "capture/file/pcapng_source.h"
#include "capture/source/open_capture_file.h"
#include "capture/source/pcap_file_source.h"

#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
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

bool isPcapng(const std::string& path) {
    const Buf head = [&] {
        std::ifstream in(path, std::ios::binary);
        Buf b(4);
        in.read(reinterpret_cast<char*>(b.data()), 4);
        b.resize(static_cast<std::size_t>(in.gcount()));
        return b;
    }();
    return head.size() == 4 && PcapngSource::looksLikePcapng(head.data());
}

/// openCaptureFile and PcapFileSource agree on everything; returns libpcap's run. pcapng goes
/// through wstrace's own reader (PcapngSource): the same packets, numbers, times, lengths,
/// link types and end status, but its own error messages (each naming the file), and where
/// libpcap refuses a second link type (issue 21) it reads on: libpcap's packets are a prefix.
ReadRun expectSameAsLibpcap(const std::string& path) {
    PcapFileSource reference(path);
    std::string error;
    auto source = openCaptureFile(path, error);
    const bool ng = isPcapng(path);
    if (!reference.isOpen()) {
        if (ng && source != nullptr) {
            // libpcap reads the first interface block at open, PcapngSource at the first
            // next(): then no packet, and an error naming the file or (a section header and
            // nothing after it: a pcapng without packets) the end of the file.
            const ReadRun got = drain(*source);
            EXPECT_TRUE(got.packets.empty()) << path;
            if (got.end == ReadStatus::Error)
                EXPECT_EQ(got.error.rfind(path + ": ", 0), 0u) << got.error;
            else
                EXPECT_EQ(got.end, ReadStatus::EndOfFile) << path;
            return {};
        }
        EXPECT_EQ(source, nullptr) << path;
        if (ng)
            EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
        else
            EXPECT_EQ(error, reference.errorMessage()) << path;
        return {};
    }
    EXPECT_NE(source, nullptr) << path << ": " << error;
    if (source == nullptr)
        return {};
    const ReadRun want = drain(reference);
    const ReadRun got = drain(*source);
    if (ng && want.end == ReadStatus::Error && want.error.find("different") != std::string::npos) {
        // libpcap: "an interface has a type N different from the type of the first interface"
        EXPECT_GE(got.packets.size(), want.packets.size()) << path;
        EXPECT_TRUE(std::equal(want.packets.begin(), want.packets.end(), got.packets.begin()))
            << path;
        return got;
    }
    EXPECT_EQ(got.end, want.end) << path << ": " << got.error << " / " << want.error;
    if (ng)
        EXPECT_EQ(got.error.rfind(path + ": ", 0), got.error.empty() ? std::string::npos : 0u)
            << got.error;
    else
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

// issue 21: what `dumpcap -i lo -i any` writes (captures/gen: dumpcap-two-link-types), two
// interfaces of different link types; libpcap refuses the second, each is read with its own.
TEST(OpenCaptureFile, PcapngWithTwoLinkTypesReadsEveryPacketWithItsInterfacesType) {
    const std::string path = std::string(WST_CAPTURES_DIR) + "/dumpcap-two-link-types.pcapng";
    std::string error;
    auto source = openCaptureFile(path, error);
    ASSERT_NE(source, nullptr) << error;
    const ReadRun got = drain(*source);
    EXPECT_EQ(got.end, ReadStatus::EndOfFile) << got.error;
    std::size_t ethernet = 0, cooked = 0;
    for (const Seen& p : got.packets) {
        ethernet += p.link == LinkType::Ethernet;
        cooked += p.link == LinkType::LinuxSll;
    }
    // tshark -T fields -e frame.interface_id: 27 on lo (Ethernet), 27 on any (SLL).
    EXPECT_EQ(ethernet, 27u);
    EXPECT_EQ(cooked, 27u);
    EXPECT_EQ(got.packets.size(), 54u);
    PcapFileSource libpcap(path);
    const ReadRun refused = drain(libpcap);
    EXPECT_EQ(refused.end, ReadStatus::Error); // the reason this reader exists
}

// Streams: a FIFO is opened once and read in order (issue 21: opened twice, the second open
// could block forever), 50 times, each bounded by the writer finishing.
TEST(OpenCaptureFile, FifoIsReadAsAStream) {
    for (const char* name : {"tcp-ipv4.pcap", "tcp-ipv4.pcapng"}) {
        const std::string file = std::string(WST_CAPTURE_DATA_DIR) + "/" + name;
        const Buf bytes = readFile(file);
        PcapFileSource reference(file);
        const ReadRun want = drain(reference);
        for (int round = 0; round < 50; ++round) {
            const std::string fifo = testing::TempDir() + "wst_open_fifo";
            ::unlink(fifo.c_str());
            ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
            std::thread writer([&] {
                const int fd = ::open(fifo.c_str(), O_WRONLY);
                if (fd >= 0) {
                    std::size_t done = 0;
                    while (done < bytes.size()) {
                        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
                        if (n <= 0)
                            break;
                        done += static_cast<std::size_t>(n);
                    }
                    ::close(fd);
                }
            });
            std::string error;
            auto source = openCaptureFile(fifo, error);
            ReadRun got;
            if (source != nullptr)
                got = drain(*source);
            writer.join();
            ::unlink(fifo.c_str());
            ASSERT_NE(source, nullptr) << error;
            EXPECT_EQ(got.end, ReadStatus::EndOfFile) << name << ": " << got.error;
            ASSERT_TRUE(got.packets == want.packets) << name << " round " << round;
        }
    }
}

// A file truncated while it is mapped: no SIGBUS, an error naming the file, and the packets
// before the cut delivered (issue 21: exit 135).
TEST(OpenCaptureFile, FileTruncatedUnderTheReaderIsAnError) {
    const Buf one = readFile(std::string(WST_CAPTURE_DATA_DIR) + "/tcp-ipv4.pcap");
    // The same records many times over, so the file spans many pages.
    Buf big(one.begin(), one.end());
    while (big.size() < (std::size_t{4} << 20))
        big.insert(big.end(), one.begin() + 24, one.end());
    const std::string path = writeTemp("shrinking.pcap", big);
    std::string error;
    auto source = openCaptureFile(path, error);
    ASSERT_NE(source, nullptr) << error;
    RawPacket p;
    std::size_t before = 0;
    for (; before < 10; ++before)
        ASSERT_EQ(source->next(p), ReadStatus::Packet);
    ASSERT_EQ(::truncate(path.c_str(), 4096), 0);
    ReadStatus status = ReadStatus::Packet;
    std::size_t after = 0;
    while ((status = source->next(p)) == ReadStatus::Packet) {
        for (std::uint8_t b : p.data)
            (void)b; // touch every byte: pages past the new end used to raise SIGBUS
        ++after;
    }
    EXPECT_EQ(status, ReadStatus::Error);
    EXPECT_NE(source->errorMessage().find("shrank"), std::string::npos) << source->errorMessage();
    EXPECT_EQ(source->errorMessage().rfind(path + ": ", 0), 0u);
    EXPECT_LT(after, big.size() / 16);
}

} // namespace
} // namespace wst
