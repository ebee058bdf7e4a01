// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_sink.h"

#include <set>
#include <string>
#include <vector>

namespace wst::cli {

/// Keeps the final summary of every connection (not its events): what `--connections` needs
/// to find the chosen connections' packets again.
class ConnectionCollector final : public TraceSink {
public:
    std::vector<Connection> connections;

    void onConnectionStart(const Connection&) override {}
    void onEvent(const Event&, const Message*, const Anomaly*) override {}
    void onConnectionEnd(const Connection& c) override { connections.push_back(c); }
    void onCaptureAnomaly(const Anomaly&) override {}
    void onFinish(const CaptureStats&) override {}
};

/// `wstrace -r FILE --connections 1,3 -w OUT.pcapng`: writes the packets of the chosen
/// connections of FILE to OUT, unchanged and in order. Returns an exit code; messages go to
/// stderr naming the file.
int writeConnectionSubset(const std::string& input, const std::vector<Connection>& all,
                          const std::set<ConnId>& chosen, const std::string& output);

} // namespace wst::cli
