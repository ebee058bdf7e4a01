// SPDX-License-Identifier: MIT
#include "capture/source/open_capture_file.h"

#include "capture/file/mmap_pcap_source.h"
#include "capture/source/pcap_file_source.h"

#include <atomic>

namespace wst {

namespace {

/// Fast reader first; at its first refusal, libpcap from the next packet on.
class FileCaptureSource final : public PacketSource {
public:
    FileCaptureSource(std::string path, std::unique_ptr<MmapPcapSource> fast)
        : m_path(std::move(path))
        , m_fast(std::move(fast)) {}

    ReadStatus next(RawPacket& packet) override {
        if (m_stop)
            return ReadStatus::EndOfFile;
        if (!m_slow) {
            const ReadStatus status = m_fast->next(packet);
            if (status != ReadStatus::Error)
                return status;
            // Let libpcap judge what the fast reader refused, from the same packet on. The
            // mapping stays: packets already delivered may still be referenced (stableMemory).
            const PacketNumber skip = m_fast->delivered();
            m_slow = std::make_unique<PcapFileSource>(m_path);
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
    std::unique_ptr<MmapPcapSource> m_fast;
    std::unique_ptr<PcapFileSource> m_slow;
    std::atomic<bool> m_stop{false};
};

} // namespace

std::unique_ptr<PacketSource> openCaptureFile(const std::string& path, std::string& error) {
    auto fast = std::make_unique<MmapPcapSource>(path);
    if (fast->isOpen())
        return std::make_unique<FileCaptureSource>(path, std::move(fast));
    auto slow = std::make_unique<PcapFileSource>(path);
    if (!slow->isOpen()) {
        error = slow->errorMessage();
        return nullptr;
    }
    return slow;
}

} // namespace wst
