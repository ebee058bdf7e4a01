// SPDX-License-Identifier: MIT
#include "capture/source/open_capture_file.h"

#include "capture/file/mmap_pcap_source.h"
#include "capture/file/pcapng_source.h"
#include "capture/source/pcap_file_source.h"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wst {

namespace {

/// Fast reader first; at its first refusal, libpcap from the next packet on, reading the same
/// open file (a duplicate of its descriptor, rewound): the path is opened once.
class FileCaptureSource final : public PacketSource {
public:
    FileCaptureSource(std::string path, int fd, std::unique_ptr<MmapPcapSource> fast)
        : m_path(std::move(path))
        , m_fd(fd)
        , m_fast(std::move(fast)) {}
    ~FileCaptureSource() override { ::close(m_fd); }
    FileCaptureSource(const FileCaptureSource&) = delete;
    FileCaptureSource& operator=(const FileCaptureSource&) = delete;

    ReadStatus next(RawPacket& packet) override {
        if (m_stop)
            return ReadStatus::EndOfFile;
        if (!m_slow) {
            const ReadStatus status = m_fast->next(packet);
            // A file that shrank under the mapping is not handed to libpcap: it would read a
            // different file from the start.
            if (status != ReadStatus::Error || m_fast->shrank())
                return status;
            // Let libpcap judge what the fast reader refused, from the same packet on. The
            // mapping stays: packets already delivered may still be referenced (stableMemory).
            const PacketNumber skip = m_fast->delivered();
            const int copy = ::dup(m_fd);
            std::FILE* file = copy >= 0 ? ::fdopen(copy, "rb") : nullptr;
            if (file == nullptr && copy >= 0)
                ::close(copy);
            if (file != nullptr)
                std::rewind(file);
            m_slow = std::make_unique<PcapFileSource>(file, m_path);
            for (PacketNumber i = 0; i < skip; ++i) {
                const ReadStatus s = m_slow->next(packet);
                if (s != ReadStatus::Packet)
                    return s; // the file changed under us
            }
        }
        return m_slow->next(packet);
    }
    void requestStop() override { m_stop = true; }
    std::string errorMessage() const override {
        return m_slow ? m_slow->errorMessage() : m_fast->errorMessage();
    }
    std::string describe() const override { return m_path; }
    Bytes stableMemory() const override { return m_fast->stableMemory(); }

private:
    std::string m_path;
    int m_fd;
    std::unique_ptr<MmapPcapSource> m_fast;
    std::unique_ptr<PcapFileSource> m_slow;
    std::atomic<bool> m_stop{false};
};

/// A stream (pipe, FIFO, standard input) whose first bytes were already read to tell pcap
/// from pcapng: a FILE that gives them back first, then reads the descriptor. libpcap and
/// PcapngSource then read it from its first byte, as if nothing had been taken.
struct PeekedStream {
    int fd;
    std::array<char, 4> head{};
    std::size_t headSize = 0;
    std::size_t headAt = 0;
};

ssize_t peekedRead(void* cookie, char* buffer, std::size_t size) {
    auto* s = static_cast<PeekedStream*>(cookie);
    if (s->headAt < s->headSize) {
        const std::size_t n = std::min(size, s->headSize - s->headAt);
        std::memcpy(buffer, s->head.data() + s->headAt, n);
        s->headAt += n;
        return static_cast<ssize_t>(n);
    }
    for (;;) {
        const ssize_t n = ::read(s->fd, buffer, size);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

int peekedClose(void* cookie) {
    auto* s = static_cast<PeekedStream*>(cookie);
    const int rc = ::close(s->fd);
    delete s;
    return rc;
}

std::unique_ptr<PacketSource> openStream(int fd, const std::string& name, std::string& error) {
    auto* peeked = new PeekedStream{fd};
    while (peeked->headSize < peeked->head.size()) {
        const ssize_t n = ::read(fd, peeked->head.data() + peeked->headSize,
                                 peeked->head.size() - peeked->headSize);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        peeked->headSize += static_cast<std::size_t>(n);
    }
    const bool pcapng =
        peeked->headSize == 4 &&
        PcapngSource::looksLikePcapng(reinterpret_cast<const std::uint8_t*>(peeked->head.data()));
    std::FILE* file = ::fopencookie(peeked, "rb", {peekedRead, nullptr, nullptr, peekedClose});
    if (file == nullptr) {
        error = fmt::format("{}: cannot read: {}", name, std::strerror(errno));
        ::close(fd);
        delete peeked;
        return nullptr;
    }
    if (pcapng) {
        auto source = std::make_unique<PcapngSource>(file, name);
        if (!source->isOpen()) {
            error = source->errorMessage();
            return nullptr;
        }
        return source;
    }
    auto source = std::make_unique<PcapFileSource>(file, name);
    if (!source->isOpen()) {
        error = source->errorMessage();
        return nullptr;
    }
    return source;
}

} // namespace

std::unique_ptr<PacketSource> openCaptureFile(const std::string& path, std::string& error) {
    // tcpdump's convention: `-r -` reads standard input.
    const bool standardInput = path == "-";
    const std::string name = standardInput ? std::string("standard input") : path;
    const int fd =
        standardInput ? ::fcntl(0, F_DUPFD_CLOEXEC, 0) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = fmt::format("{}: cannot open: {}", name, std::strerror(errno));
        return nullptr;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = fmt::format("{}: cannot open: {}", name, std::strerror(errno));
        ::close(fd);
        return nullptr;
    }
    if (S_ISDIR(st.st_mode)) {
        error = fmt::format("{}: cannot open: {}", name, std::strerror(EISDIR));
        ::close(fd);
        return nullptr;
    }
    // Pipes, FIFOs, sockets, character devices: read once, in order, as a stream.
    if (!S_ISREG(st.st_mode))
        return openStream(fd, name, error);

    std::array<std::uint8_t, 4> head{};
    const bool pcapng =
        ::pread(fd, head.data(), head.size(), 0) == 4 && PcapngSource::looksLikePcapng(head.data());
    if (!pcapng) {
        auto fast = std::make_unique<MmapPcapSource>(name, fd);
        if (fast->isOpen())
            return std::make_unique<FileCaptureSource>(name, fd, std::move(fast));
    }
    std::FILE* file = ::fdopen(fd, "rb");
    if (file == nullptr) {
        error = fmt::format("{}: cannot read: {}", name, std::strerror(errno));
        ::close(fd);
        return nullptr;
    }
    if (pcapng) {
        // Each interface read with its own link type (libpcap refuses a second one).
        auto source = std::make_unique<PcapngSource>(file, name);
        if (!source->isOpen()) {
            error = source->errorMessage();
            return nullptr;
        }
        return source;
    }
    auto slow = std::make_unique<PcapFileSource>(file, name);
    if (!slow->isOpen()) {
        error = slow->errorMessage();
        return nullptr;
    }
    return slow;
}

} // namespace wst
