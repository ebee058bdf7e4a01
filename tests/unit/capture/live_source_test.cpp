// SPDX-License-Identifier: MIT
// LiveSource on the loopback interface with real TCP made inside the test. Needs root or
// CAP_NET_RAW + CAP_NET_ADMIN; without them the capture tests skip and say why.
#include "capture/source/live_source.h"
#include "tests/unit/capture/test_support.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace wst::test {
namespace {

using Clock = std::chrono::steady_clock;

/// A listening TCP socket on 127.0.0.1 with a kernel-chosen port.
struct Listener {
    Listener() {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        listen(fd, 1);
        socklen_t len = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() { close(fd); }
    int fd = -1;
    std::uint16_t port = 0;
};

/// A TCP connection to 127.0.0.1:port, or -1.
int connectLoopback(std::uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

void sendAll(int fd, const Buf& b) {
    std::size_t done = 0;
    while (done < b.size()) {
        const ssize_t n = send(fd, b.data() + done, b.size() - done, 0);
        ASSERT_GT(n, 0);
        done += static_cast<std::size_t>(n);
    }
}

Buf recvAll(int fd) {
    Buf out;
    std::uint8_t buf[4096];
    for (;;) {
        const ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            return out;
        out.insert(out.end(), buf, buf + n);
    }
}

/// Opens a live source or explains why the test cannot run here.
#define OPEN_OR_SKIP(source)                                                                       \
    if (!(source).isOpen()) {                                                                      \
        if ((source).errorMessage().find("CAP_NET_RAW") != std::string::npos)                      \
            GTEST_SKIP() << "live capture not permitted here: " << (source).errorMessage();        \
        FAIL() << (source).errorMessage();                                                         \
    }

struct LiveCase {
    const char* interface;
    LinkType linkType;
};

class LiveCapture : public testing::TestWithParam<LiveCase> {};

TEST_P(LiveCapture, RealTcpSeenWholeAndStoppedFromAnotherThread) {
    Listener listener;
    LiveOptions options;
    options.interface = GetParam().interface;
    options.filter = fmt::format("tcp port {}", listener.port);
    options.readTimeoutMs = 100;
    LiveSource source(options);
    OPEN_OR_SKIP(source);
    EXPECT_EQ(source.linkType(), GetParam().linkType);

    // The capture thread: packets → decoder → flow table, like the pipeline.
    RecordingObserver observer;
    std::atomic<bool> bothFins{false};
    std::atomic<int> packets{0};
    ReadStatus last = ReadStatus::Packet;
    std::optional<LiveStats> stats;
    std::thread capture([&] {
        Limits limits;
        FlowTable flows(observer, limits);
        RawPacket p;
        SegmentInfo info;
        for (;;) {
            last = source.next(p);
            if (last == ReadStatus::Timeout)
                continue;
            if (last != ReadStatus::Packet)
                break;
            EXPECT_EQ(p.number, static_cast<PacketNumber>(packets + 1));
            ++packets;
            const DecodedPacket d = decodePacket(p);
            EXPECT_EQ(d.status, DecodeStatus::Ok);
            info = {p.number, p.time};
            if (d.status == DecodeStatus::Ok)
                flows.onSegment(d.tcp, info);
            if (observer.conns.size() == 1 &&
                contains(observer.conns[0]->events, "close c2s fin") &&
                contains(observer.conns[0]->events, "close s2c fin"))
                bothFins = true;
        }
        stats = source.stats();
        flows.finish(info);
    });

    // Real TCP on the filtered port: the client sends a request, the server answers and closes.
    const Buf request = pattern(20000, 3), response = pattern(7000, 4);
    std::thread server([&] {
        const int conn = accept(listener.fd, nullptr, nullptr);
        ASSERT_GE(conn, 0);
        Buf got;
        while (got.size() < request.size()) {
            std::uint8_t buf[4096];
            const ssize_t n = recv(conn, buf, sizeof buf, 0);
            ASSERT_GT(n, 0);
            got.insert(got.end(), buf, buf + n);
        }
        sendAll(conn, response);
        close(conn);
    });
    const int client = connectLoopback(listener.port);
    ASSERT_GE(client, 0);
    sendAll(client, request);
    EXPECT_EQ(recvAll(client), response);
    close(client);
    server.join();

    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!bothFins && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto stopAt = Clock::now();
    source.requestStop();
    capture.join();
    EXPECT_LT(Clock::now() - stopAt, std::chrono::seconds(2));
    EXPECT_EQ(last, ReadStatus::EndOfFile);

    ASSERT_EQ(observer.conns.size(), 1u);
    const RecordedConnection& c = *observer.conns[0];
    EXPECT_TRUE(c.info.sawSyn);
    EXPECT_EQ(c.info.server.port, listener.port);
    EXPECT_EQ(c.info.server.address.toString(), "127.0.0.1");
    EXPECT_EQ(c.data[0], request);
    EXPECT_EQ(c.data[1], response);
    EXPECT_EQ(c.gapBytes[0] + c.gapBytes[1], 0u);
    EXPECT_TRUE(c.ended);
    ASSERT_TRUE(stats.has_value());
    EXPECT_GE(stats->received, static_cast<std::uint64_t>(packets.load()));
}

// lo is Ethernet-framed on Linux; "any" is Linux cooked capture.
INSTANTIATE_TEST_SUITE_P(Loopback, LiveCapture,
                         testing::Values(LiveCase{"lo", LinkType::Ethernet},
                                         LiveCase{"any", LinkType::LinuxSll}),
                         [](const testing::TestParamInfo<LiveCase>& p) {
                             return std::string(p.param.interface);
                         });

TEST(LiveSource, RequestStopWakesABlockedRead) {
    Listener unused; // a port nobody talks to: next() blocks for the whole read timeout
    LiveOptions options;
    options.interface = "lo";
    options.filter = fmt::format("tcp port {}", unused.port);
    options.readTimeoutMs = 20000;
    // Immediate mode: no block can be pending, so a stop ends the read at once (without it
    // the stop first waits one read timeout for a block, see the next test).
    options.immediateMode = true;
    LiveSource source(options);
    OPEN_OR_SKIP(source);
    ReadStatus status = ReadStatus::Packet;
    std::thread reader([&] {
        RawPacket p;
        do
            status = source.next(p);
        while (status == ReadStatus::Timeout);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto stopAt = Clock::now();
    source.requestStop();
    reader.join();
    EXPECT_LT(Clock::now() - stopAt, std::chrono::seconds(3)) << "pcap_breakloop woke it";
    EXPECT_EQ(status, ReadStatus::EndOfFile);
}

TEST(LiveSource, StopStillDeliversWhatArrivedBeforeIt) {
    // Without immediate mode the kernel holds packets in a block until it is full or the read
    // timeout passes. A stop right after the traffic must not lose them: next() hands over
    // every packet the kernel counted, then ends.
    Listener listener;
    LiveOptions options;
    options.interface = "lo";
    options.filter = fmt::format("tcp port {}", listener.port);
    options.immediateMode = false;
    options.readTimeoutMs = 200;
    LiveSource source(options);
    OPEN_OR_SKIP(source);

    const int client = connectLoopback(listener.port);
    ASSERT_GE(client, 0);
    const int server = accept(listener.fd, nullptr, nullptr);
    ASSERT_GE(server, 0);
    sendAll(client, pattern(3000, 7));
    close(client);
    EXPECT_EQ(recvAll(server).size(), 3000u);
    close(server);

    source.requestStop(); // before a single packet was read
    const auto stopAt = Clock::now();
    RawPacket p;
    std::uint64_t delivered = 0;
    ReadStatus status;
    while ((status = source.next(p)) == ReadStatus::Packet)
        ++delivered;
    EXPECT_EQ(status, ReadStatus::EndOfFile);
    EXPECT_LT(Clock::now() - stopAt, std::chrono::seconds(1));
    const std::optional<SourceCounters> counters = source.counters();
    ASSERT_TRUE(counters.has_value());
    // SYN, SYN-ACK, ACK, data, its ACK, and two FIN/ACK exchanges at least; each seen once on
    // lo (the kernel filter passes only the received copy).
    EXPECT_GE(delivered, 8u);
    EXPECT_EQ(delivered, counters->receivedByFilter);
    EXPECT_EQ(counters->droppedByKernel, 0u);
}

TEST(LiveSource, ReadTimeoutIsReported) {
    Listener unused;
    LiveOptions options;
    options.interface = "lo";
    options.filter = fmt::format("tcp port {}", unused.port);
    options.readTimeoutMs = 50;
    LiveSource source(options);
    OPEN_OR_SKIP(source);
    RawPacket p;
    EXPECT_EQ(source.next(p), ReadStatus::Timeout);
}

TEST(LiveSource, BadFilterAndMissingInterfaceAreClearErrors) {
    LiveOptions options;
    options.interface = "lo";
    options.filter = "tcp prot 80";
    LiveSource bad(options);
    if (!bad.isOpen() && bad.errorMessage().find("CAP_NET_RAW") != std::string::npos)
        GTEST_SKIP() << "live capture not permitted here: " << bad.errorMessage();
    EXPECT_FALSE(bad.isOpen());
    EXPECT_EQ(bad.errorMessage().rfind("lo: bad capture filter \"tcp prot 80\": ", 0), 0u)
        << bad.errorMessage();
    RawPacket p;
    EXPECT_EQ(bad.next(p), ReadStatus::Error);

    options.interface = "wstnosuch0";
    options.filter.clear();
    LiveSource missing(options);
    EXPECT_FALSE(missing.isOpen());
    EXPECT_EQ(missing.errorMessage().rfind("wstnosuch0: no such interface", 0), 0u)
        << missing.errorMessage();
}

TEST(LiveSource, PermissionErrorNamesTheCapabilities) {
    // In a child that gives up root (or already is unprivileged), opening lo must fail with
    // the capabilities named and how to grant them.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
                std::_Exit(3);
            LiveOptions options;
            options.interface = "lo";
            LiveSource source(options);
            std::fprintf(stderr, "%s\n", source.errorMessage().c_str());
            std::_Exit(source.isOpen() ? 1 : 0);
        },
        testing::ExitedWithCode(0),
        "lo: permission denied: live capture needs CAP_NET_RAW and CAP_NET_ADMIN \\(run as "
        "root or: sudo setcap cap_net_raw,cap_net_admin=eip .*wst_source_tests\\)");
}

TEST(LiveSource, ListInterfacesHasLoopbackWithItsAddress) {
    std::string error;
    const auto all = LiveSource::listInterfaces(&error);
    ASSERT_TRUE(error.empty()) << error;
    auto lo =
        std::find_if(all.begin(), all.end(), [](const InterfaceInfo& i) { return i.name == "lo"; });
    ASSERT_NE(lo, all.end());
    EXPECT_TRUE(lo->loopback);
    EXPECT_TRUE(lo->up);
    EXPECT_TRUE(contains(lo->addresses, "127.0.0.1"));
}

TEST(LiveSource, CheckFilterAsTyped) {
    EXPECT_EQ(LiveSource::checkFilter("tcp port 80", LinkType::Ethernet), "");
    EXPECT_EQ(LiveSource::checkFilter("", LinkType::Ethernet), "");
    EXPECT_EQ(LiveSource::checkFilter("tcp and host 10.0.0.1", LinkType::LinuxSll2), "");
    EXPECT_EQ(LiveSource::checkFilter("ip6 and tcp", LinkType::Raw), "");
    const std::string typo = LiveSource::checkFilter("tcp prot 80", LinkType::Ethernet);
    EXPECT_EQ(typo.rfind("bad capture filter \"tcp prot 80\": ", 0), 0u) << typo;
    EXPECT_NE(LiveSource::checkFilter("tcp port 99999", LinkType::Ethernet), "");
    EXPECT_NE(LiveSource::checkFilter("tcp port", LinkType::Ethernet), "");
}

} // namespace
} // namespace wst::test
