// SPDX-License-Identifier: MIT
#include "capture/source/live_source.h"

#include "capture/source/link_types.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wst {

struct LiveSource::Handle {
    pcap_t* pcap = nullptr;
    int selectable = -1;    ///< pcap_get_selectable_fd, or -1 where there is none
    int wake[2] = {-1, -1}; ///< self-pipe: requestStop() writes, next() polls the read end
    ~Handle() {
        if (pcap != nullptr)
            pcap_close(pcap);
        for (int fd : wake)
            if (fd >= 0)
                close(fd);
    }
};

namespace {

std::string selfPath() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("<binary>");
}

std::string activationError(const std::string& interface, int rc, pcap_t* pcap) {
    const std::string detail = pcap_geterr(pcap);
    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
        // Linux packet sockets: CAP_NET_RAW to open, CAP_NET_ADMIN for promiscuous mode and
        // buffer sizes (packet(7)).
        return fmt::format("{}: permission denied: live capture needs CAP_NET_RAW and "
                           "CAP_NET_ADMIN (run as root or: sudo setcap "
                           "cap_net_raw,cap_net_admin=eip {})",
                           interface, selfPath());
    case PCAP_ERROR_NO_SUCH_DEVICE:
        return fmt::format("{}: no such interface ({})", interface, detail);
    case PCAP_ERROR_IFACE_NOT_UP:
        return fmt::format("{}: interface is not up", interface);
    default:
        return fmt::format("{}: cannot start capture: {}", interface,
                           detail.empty() ? pcap_statustostr(rc) : detail);
    }
}

std::string addressText(const sockaddr* sa) {
    char text[INET6_ADDRSTRLEN] = {};
    if (sa == nullptr)
        return {};
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text,
                  sizeof text);
    return text;
}

/// True for a Linux loopback interface ("lo"), whose packets packet sockets see twice.
bool isLinuxLoopback(const std::string& name) {
#ifdef __linux__
    ifreq request{};
    if (name.empty() || name.size() >= sizeof request.ifr_name)
        return false;
    std::memcpy(request.ifr_name, name.data(), name.size());
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool loopback =
        ioctl(fd, SIOCGIFFLAGS, &request) == 0 && (request.ifr_flags & IFF_LOOPBACK) != 0;
    close(fd);
    return loopback;
#else
    (void)name;
    return false;
#endif
}

} // namespace

bool LiveSource::installFilter() {
    pcap_t* pcap = m_handle->pcap;
    const std::string& name = m_options.interface;
    const std::string& filter = m_options.filter;
    if (!filter.empty()) {
        bpf_program program{};
        if (pcap_compile(pcap, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            m_error =
                fmt::format("{}: bad capture filter \"{}\": {}", name, filter, pcap_geterr(pcap));
            return false;
        }
        const int set = pcap_setfilter(pcap, &program);
        pcap_freecode(&program);
        if (set != 0) {
            m_error = fmt::format("{}: cannot install capture filter \"{}\": {}", name, filter,
                                  pcap_geterr(pcap));
            return false;
        }
    }
    narrowLoopback();
    return true;
}

void LiveSource::narrowLoopback() {
#ifdef __linux__
    // Linux hands every loopback packet to packet sockets twice, as sent and as received;
    // libpcap throws the "sent" copy away only after the kernel has copied it into the ring,
    // so half the ring and of the kernel's copying (and of pcap_stats' counts) go to packets
    // nobody sees. "inbound" is a kernel-only test (SKF_AD_PKTTYPE), so it is attached to the
    // socket directly: pcap_setfilter would also run it in user space on the blocks that were
    // in the ring when it was set, where it rejects everything. The user's filter stays what
    // libpcap knows and applies there; next() delivers the same packets either way, and if
    // anything here fails the capture simply goes on as libpcap set it up.
    pcap_t* pcap = m_handle->pcap;
    if (m_linkType != LinkType::Ethernet || !isLinuxLoopback(m_options.interface))
        return;
    const std::string& filter = m_options.filter;
    const std::string inbound = filter.empty() ? "inbound" : "inbound and (" + filter + ")";
    bpf_program program{};
    if (pcap_compile(pcap, &program, inbound.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        return;
    // struct bpf_program and struct bpf_insn have the layout of the kernel's sock_fprog and
    // sock_filter (libpcap attaches its own programs the same way).
    struct {
        unsigned short len;
        bpf_insn* filter;
    } fprog{static_cast<unsigned short>(program.bf_len), program.bf_insns};
    if (program.bf_len <= 0xffff)
        setsockopt(pcap_fileno(pcap), SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog);
    pcap_freecode(&program);
#endif
}

LiveSource::LiveSource(LiveOptions options)
    : m_options(std::move(options)) {
    m_failed = true;
    const std::string& name = m_options.interface;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* pcap = pcap_create(name.c_str(), errbuf);
    if (pcap == nullptr) {
        m_error = fmt::format("{}: cannot open: {}", name, errbuf);
        return;
    }
    m_handle = std::make_unique<Handle>();
    m_handle->pcap = pcap;
    pcap_set_snaplen(pcap, m_options.snapLength);
    pcap_set_promisc(pcap, m_options.promiscuous ? 1 : 0);
    pcap_set_immediate_mode(pcap, m_options.immediateMode ? 1 : 0);
    if (m_options.bufferBytes > 0)
        pcap_set_buffer_size(pcap, m_options.bufferBytes);
    pcap_set_timeout(pcap, m_options.readTimeoutMs);
    m_nanoseconds = pcap_set_tstamp_precision(pcap, PCAP_TSTAMP_PRECISION_NANO) == 0;

    const int rc = pcap_activate(pcap);
    if (rc < 0) {
        m_error = activationError(name, rc, pcap);
        m_handle.reset();
        return;
    }
    if (rc > 0)
        m_warning = fmt::format("{}: {}", name, pcap_geterr(pcap));

    const int dlt = pcap_datalink(pcap);
    const auto type = linkTypeFromDlt(dlt);
    if (!type) {
        m_error = fmt::format("{}: {}", name, unsupportedLinkTypeMessage(dlt));
        return;
    }
    m_linkType = *type;

    if (!installFilter())
        return;
    // libpcap's own read timeout does not fire on Linux when no packet arrives at all
    // (TPACKET_V3 / immediate mode keep polling), so next() polls in non-blocking mode on the
    // capture fd plus a self-pipe that requestStop() writes to: both Timeout and stop work.
    m_handle->selectable = pcap_get_selectable_fd(pcap);
    if (m_handle->selectable >= 0 && pipe2(m_handle->wake, O_NONBLOCK | O_CLOEXEC) == 0 &&
        pcap_setnonblock(pcap, 1, errbuf) == 0) {
        m_polling = true;
    }
    m_failed = false;
}

LiveSource::~LiveSource() = default;

bool LiveSource::isOpen() const {
    return !m_failed;
}

ReadStatus LiveSource::next(RawPacket& packet) {
    using Clock = std::chrono::steady_clock;
    if (m_failed)
        return ReadStatus::Error;
    for (;;) {
        if (m_stop && !m_draining) {
            if (!m_polling)
                return ReadStatus::EndOfFile;
            // Packets that arrived before the stop are part of the capture. Without immediate
            // mode the kernel hands a block over when it is full or when the read timeout has
            // passed since its first packet, so wait that long once; then end, even if packets
            // keep coming.
            m_draining = true;
            m_drainUntil =
                Clock::now() +
                std::chrono::milliseconds(
                    m_options.immediateMode ? 20 : std::max(m_options.readTimeoutMs, 0) + 50);
        }
        pcap_pkthdr* header = nullptr;
        const u_char* data = nullptr;
        const int rc = pcap_next_ex(m_handle->pcap, &header, &data);
        if (rc == 1) {
            if (m_draining && Clock::now() >= m_drainUntil)
                return ReadStatus::EndOfFile;
            packet.number = ++m_count;
            const std::int64_t fraction = header->ts.tv_usec;
            packet.time = Timestamp::fromSecondsNanos(header->ts.tv_sec,
                                                      m_nanoseconds ? fraction : fraction * 1000);
            packet.capturedLength = header->caplen;
            packet.originalLength = header->len;
            packet.linkType = m_linkType;
            packet.data = Bytes(data, header->caplen);
            return ReadStatus::Packet;
        }
        if (rc == PCAP_ERROR_BREAK) {
            if (!m_polling)
                return ReadStatus::EndOfFile;
            continue; // requestStop's pcap_breakloop, reported once: drain (above)
        }
        if (rc < 0) {
            m_error = fmt::format("{}: capture failed: {}", m_options.interface,
                                  pcap_geterr(m_handle->pcap));
            m_failed = true;
            return ReadStatus::Error;
        }
        if (!m_polling)
            return ReadStatus::Timeout; // blocking mode: libpcap's own timeout expired
        int waitMs = m_options.readTimeoutMs > 0 ? m_options.readTimeoutMs : -1;
        if (m_draining) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(m_drainUntil - Clock::now());
            if (left.count() <= 0)
                return ReadStatus::EndOfFile;
            waitMs = static_cast<int>(left.count()) + 1;
        }
        // While draining, the self-pipe stays readable: poll the capture alone.
        pollfd fds[2] = {{m_handle->selectable, POLLIN, 0}, {m_handle->wake[0], POLLIN, 0}};
        const int ready = poll(fds, m_draining ? 1 : 2, waitMs);
        if (ready == 0 && !m_draining)
            return ReadStatus::Timeout;
        if (ready < 0 && errno != EINTR) {
            m_error =
                fmt::format("{}: capture failed: {}", m_options.interface, std::strerror(errno));
            m_failed = true;
            return ReadStatus::Error;
        }
    }
}

void LiveSource::requestStop() {
    m_stop = true;
    if (m_handle == nullptr)
        return;
    // write(2) on the self-pipe is safe from any thread (and from a signal handler); in
    // blocking mode pcap_breakloop wakes libpcap's own poll.
    if (m_handle->wake[1] >= 0) {
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = write(m_handle->wake[1], &byte, 1);
    }
    pcap_breakloop(m_handle->pcap);
}

std::optional<LiveStats> LiveSource::stats() {
    if (m_failed || m_handle == nullptr)
        return std::nullopt;
    pcap_stat s{};
    if (pcap_stats(m_handle->pcap, &s) != 0)
        return std::nullopt;
    return LiveStats{s.ps_recv, s.ps_drop, s.ps_ifdrop};
}

std::optional<SourceCounters> LiveSource::counters() {
    const std::optional<LiveStats> s = stats();
    if (!s)
        return std::nullopt;
    return SourceCounters{s->received, s->droppedByKernel, s->droppedByInterface};
}

std::vector<InterfaceInfo> LiveSource::listInterfaces(std::string* error) {
    std::vector<InterfaceInfo> out;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t* all = nullptr;
    if (pcap_findalldevs(&all, errbuf) != 0) {
        if (error != nullptr)
            *error = fmt::format("cannot list capture interfaces: {}", errbuf);
        return out;
    }
    for (pcap_if_t* d = all; d != nullptr; d = d->next) {
        InterfaceInfo info;
        info.name = d->name;
        info.description = d->description != nullptr ? d->description : "";
        info.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
        info.up = (d->flags & PCAP_IF_UP) != 0;
        info.running = (d->flags & PCAP_IF_RUNNING) != 0;
        for (pcap_addr_t* a = d->addresses; a != nullptr; a = a->next) {
            std::string text = addressText(a->addr);
            if (!text.empty())
                info.addresses.push_back(std::move(text));
        }
        out.push_back(std::move(info));
    }
    pcap_freealldevs(all);
    return out;
}

std::string LiveSource::checkFilter(const std::string& expression, LinkType linkType,
                                    int snapLength) {
    pcap_t* dead = pcap_open_dead(dltFromLinkType(linkType), snapLength);
    if (dead == nullptr)
        return "cannot check the capture filter (out of memory)";
    bpf_program program{};
    std::string result;
    if (pcap_compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        result = fmt::format("bad capture filter \"{}\": {}", expression, pcap_geterr(dead));
    else
        pcap_freecode(&program);
    pcap_close(dead);
    return result;
}

} // namespace wst
