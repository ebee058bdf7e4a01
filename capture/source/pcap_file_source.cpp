// SPDX-License-Identifier: MIT
#include "capture/source/pcap_file_source.h"

#include "capture/source/link_types.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <pcap/pcap.h>
#include <string_view>

namespace wst {

struct PcapFileSource::Handle {
    pcap_t* pcap = nullptr;
    ~Handle() {
        if (pcap != nullptr)
            pcap_close(pcap); // also closes the FILE
    }
};

namespace {

/// libpcap's reason, made to read as the second half of "<file>: <reason>".
std::string openFailure(std::string_view libpcapMessage) {
    if (libpcapMessage.find("unknown file format") != std::string_view::npos ||
        libpcapMessage.find("bad dump file format") != std::string_view::npos)
        return "not a pcap or pcapng capture (unknown file format)";
    if (libpcapMessage.find("truncated") != std::string_view::npos)
        return fmt::format("not a capture, or its header is damaged ({})", libpcapMessage);
    return fmt::format("cannot read capture ({})", libpcapMessage);
}

} // namespace

PcapFileSource::PcapFileSource(std::string path)
    : m_path(std::move(path)) {
    std::FILE* file = std::fopen(m_path.c_str(), "rb");
    if (file == nullptr) {
        m_error = fmt::format("{}: cannot open: {}", m_path, std::strerror(errno));
        m_failed = true;
        return;
    }
    open(file);
}

PcapFileSource::PcapFileSource(std::FILE* file, std::string name)
    : m_path(std::move(name)) {
    if (file == nullptr) {
        m_error = fmt::format("{}: no stream to read", m_path);
        m_failed = true;
        return;
    }
    open(file);
}

void PcapFileSource::open(std::FILE* file) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // Nanosecond precision: libpcap scales microsecond files up, so both arrive as ns.
    pcap_t* pcap =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (pcap == nullptr) {
        std::fclose(file);
        m_error = fmt::format("{}: {}", m_path, openFailure(errbuf));
        m_failed = true;
        return;
    }
    m_handle = std::make_unique<Handle>();
    m_handle->pcap = pcap;
    const int dlt = pcap_datalink(pcap);
    const auto type = linkTypeFromDlt(dlt);
    if (!type) {
        m_error = fmt::format("{}: {}", m_path, unsupportedLinkTypeMessage(dlt));
        m_failed = true;
        return;
    }
    m_linkType = *type;
    m_snapLength = static_cast<std::uint32_t>(pcap_snapshot(pcap));
}

PcapFileSource::~PcapFileSource() = default;

bool PcapFileSource::isOpen() const {
    return m_handle != nullptr && !m_failed;
}

ReadStatus PcapFileSource::next(RawPacket& packet) {
    if (m_failed || m_handle == nullptr)
        return ReadStatus::Error;
    if (m_stop)
        return ReadStatus::EndOfFile;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(m_handle->pcap, &header, &data);
    if (rc == 1) {
        packet.number = ++m_count;
        packet.time = Timestamp::fromSecondsNanos(header->ts.tv_sec, header->ts.tv_usec);
        // Nanosecond precision was asked for, so tv_usec holds nanoseconds (µs files × 1000).
        packet.timeFractionInvalid = header->ts.tv_usec >= 1'000'000'000;
        packet.capturedLength = header->caplen;
        packet.originalLength = header->len;
        packet.linkType = m_linkType;
        packet.data = Bytes(data, header->caplen);
        return ReadStatus::Packet;
    }
    if (rc == PCAP_ERROR_BREAK)
        return ReadStatus::EndOfFile;
    // Everything before this point was delivered; the rest of the file is unreadable.
    m_error = fmt::format("{}: damaged after packet {}: {}", m_path, m_count,
                          pcap_geterr(m_handle->pcap));
    m_failed = true;
    return ReadStatus::Error;
}

} // namespace wst
