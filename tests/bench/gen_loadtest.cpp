// SPDX-License-Identifier: MIT
// wst_gen_loadtest: writes a deterministic k6-style WebSocket load-test capture and its
// ground-truth sidecar (see gen/loadtest.h and README "Performance").
#include "tests/bench/gen/loadtest.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <exception>
#include <fmt/format.h>

namespace {

// "100M", "1G", "10485760", "512k" -> bytes (binary multiples).
std::uint64_t parseSize(const std::string& s) {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    std::uint64_t mult = 1;
    if (used < s.size()) {
        switch (s[used]) {
        case 'k':
        case 'K':
            mult = 1ULL << 10;
            break;
        case 'm':
        case 'M':
            mult = 1ULL << 20;
            break;
        case 'g':
        case 'G':
            mult = 1ULL << 30;
            break;
        default:
            throw CLI::ValidationError("--size", "unknown suffix in " + s);
        }
    }
    if (v <= 0) {
        throw CLI::ValidationError("--size", "must be positive");
    }
    return static_cast<std::uint64_t>(v * static_cast<double>(mult));
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Generate a deterministic k6-style WebSocket load-test capture (classic pcap, "
                 "nanosecond timestamps, Ethernet) with a ground-truth JSON sidecar."};
    wst::bench::LoadTestOptions opt;
    std::string size = "100M";
    app.add_option("--size", size, "target file size, e.g. 10M, 1G (binary units)")
        ->capture_default_str();
    app.add_option("--clients", opt.clients, "concurrent connections (k6 VUs)")
        ->capture_default_str()
        ->check(CLI::Range(1u, 1'000'000u));
    app.add_option("--reorder", opt.reorderPct, "percent of data segments delivered late")
        ->check(CLI::Range(0.0, 50.0));
    app.add_option("--duplicate", opt.duplicatePct, "percent of data segments captured twice")
        ->check(CLI::Range(0.0, 50.0));
    app.add_option("--seed", opt.seed, "random seed (same seed, same bytes)")
        ->capture_default_str();
    app.add_option("--mss", opt.mss, "TCP maximum segment size")
        ->capture_default_str()
        ->check(CLI::Range(64, 65495));
    app.add_option("-o,--output", opt.output, "pcap file to write")->required();
    app.add_option("--truth", opt.truth, "sidecar JSON with the expected counts");
    CLI11_PARSE(app, argc, argv);
    try {
        opt.targetBytes = parseSize(size);
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = wst::bench::generateLoadTest(opt);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        fmt::print(stderr,
                   "wst_gen_loadtest: {} bytes, {} packets, {} connections, {} frames, {} "
                   "messages in {:.2f} s ({:.0f} MB/s)\n",
                   r.bytes, r.packets, r.connections, r.frames, r.messages, s,
                   static_cast<double>(r.bytes) / 1e6 / s);
    } catch (const std::exception& e) {
        fmt::print(stderr, "wst_gen_loadtest: {}\n", e.what());
        return 2;
    }
    return 0;
}
