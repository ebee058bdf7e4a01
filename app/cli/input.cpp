// SPDX-License-Identifier: MIT
#include "input.h"

#include "source/pcap_file_source.h"

namespace wst::cli {

std::unique_ptr<PacketSource> openFile(const std::string& path, std::string& error) {
    auto source = std::make_unique<PcapFileSource>(path);
    if (!source->isOpen()) {
        error = source->errorMessage();
        return nullptr;
    }
    return source;
}

std::unique_ptr<PacketSource> openLive(const Config& config, std::string& error) {
    error = config.interface + ": live capture is not available in this build yet";
    return nullptr;
}

} // namespace wst::cli
