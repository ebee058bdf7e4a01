// SPDX-License-Identifier: MIT
#include "app/cli/connection_subset.h"

#include "app/cli/input.h"
#include "app/cli/run.h"
#include "capture/source/pcapng_writer.h"
#include "decoder/export/connection_export.h"

#include <fmt/format.h>

namespace wst::cli {

int writeConnectionSubset(const std::string& input, const std::vector<Connection>& all,
                          const std::set<ConnId>& chosen, const std::string& output) {
    for (ConnId id : chosen) {
        const bool known =
            std::any_of(all.begin(), all.end(), [id](const Connection& c) { return c.id == id; });
        if (!known) {
            fmt::print(stderr, "wstrace: {}: no connection {} (it has {})\n", input, id,
                       all.size());
            return kExitInputError;
        }
    }
    std::string error;
    auto source = openFile(input, error);
    if (!source) {
        fmt::print(stderr, "wstrace: {}\n", error);
        return kExitInputError;
    }
    PcapngWriter writer(output);
    if (!writer.isOpen()) {
        fmt::print(stderr, "wstrace: {}\n", writer.errorMessage());
        return kExitInputError;
    }
    const ConnectionExportResult result = exportConnections(
        *source, all, chosen, [&writer](const RawPacket& p) { return writer.write(p); });
    if (!writer.finish() && result.error.empty()) {
        fmt::print(stderr, "wstrace: {}\n", writer.errorMessage());
        return kExitInputError;
    }
    if (!result.error.empty()) {
        fmt::print(stderr, "wstrace: {}: {}\n", output,
                   result.error == "write failed" ? writer.errorMessage() : result.error);
        return kExitInputError;
    }
    fmt::print(stderr, "wstrace: wrote {} of {} packets ({} connection{}) to {}\n",
               result.packetsWritten, result.packetsRead, chosen.size(),
               chosen.size() == 1 ? "" : "s", output);
    return kExitOk;
}

} // namespace wst::cli
