// SPDX-License-Identifier: MIT
#include "app/cli/input.h"

#include "capture/source/live_source.h"
#include "capture/source/open_capture_file.h"
#include "capture/source/pcapng_writer.h"

#include <fmt/format.h>

namespace wst::cli {

std::unique_ptr<PacketSource> openFile(const std::string& path, std::string& error) {
    return openCaptureFile(path, error);
}

namespace {

/// A live source that also saves every packet it delivers (`-w`). A write error ends the
/// capture with a message naming the file: a capture that silently stopped saving would be
/// worse than one that stops.
class SavingSource final : public PacketSource {
public:
    SavingSource(std::unique_ptr<LiveSource> live, std::unique_ptr<PcapngWriter> writer)
        : m_live(std::move(live))
        , m_writer(std::move(writer)) {}
    ~SavingSource() override { m_writer->finish(); }

    ReadStatus next(RawPacket& packet) override {
        const ReadStatus status = m_live->next(packet);
        if (status == ReadStatus::Packet && !m_writer->write(packet)) {
            m_error = m_writer->errorMessage();
            return ReadStatus::Error;
        }
        if (status == ReadStatus::EndOfFile && !m_writer->finish()) {
            m_error = m_writer->errorMessage();
            return ReadStatus::Error;
        }
        return status;
    }
    void requestStop() override { m_live->requestStop(); }
    std::string errorMessage() const override {
        return m_error.empty() ? m_live->errorMessage() : m_error;
    }
    std::string describe() const override { return m_live->describe(); }
    std::optional<SourceCounters> counters() override { return m_live->counters(); }

private:
    std::unique_ptr<LiveSource> m_live;
    std::unique_ptr<PcapngWriter> m_writer;
    std::string m_error;
};

} // namespace

std::unique_ptr<PacketSource> openLive(const Config& config, std::string& error,
                                       std::string& notice) {
    LiveOptions options;
    options.interface = config.interface;
    options.filter = config.filter;
    options.bufferBytes = config.bufferKiB * 1024;
    options.immediateMode = config.immediateMode;
    auto live = std::make_unique<LiveSource>(options);
    if (!live->isOpen()) {
        error = live->errorMessage();
        return nullptr;
    }
    if (!live->warning().empty()) {
        notice += fmt::format("wstrace: {}: {}\n", config.interface, live->warning());
    }
    notice += fmt::format("wstrace: listening on {}, link type {}{}{}; Ctrl-C stops\n",
                          config.interface, static_cast<std::uint32_t>(live->linkType()),
                          config.filter.empty() ? "" : ", filter \"" + config.filter + "\"",
                          config.saveFile.empty() ? "" : ", saving to " + config.saveFile);
    if (config.saveFile.empty()) {
        return live;
    }
    auto writer = std::make_unique<PcapngWriter>(config.saveFile);
    if (!writer->isOpen()) {
        error = writer->errorMessage();
        return nullptr;
    }
    return std::make_unique<SavingSource>(std::move(live), std::move(writer));
}

std::string liveCounterReport(const CaptureStats& stats) {
    if (!stats.kernel) {
        return "";
    }
    const SourceCounters& k = *stats.kernel;
    std::string line =
        fmt::format("{}: {} packets received by filter, {} dropped by kernel, {} "
                    "dropped by interface",
                    stats.source, k.receivedByFilter, k.droppedByKernel, k.droppedByInterface);
    if (k.droppedByKernel + k.droppedByInterface != 0) {
        line += "; connections may show gaps (a larger -B buffer or a narrower -f filter helps)";
    }
    return line;
}

} // namespace wst::cli
