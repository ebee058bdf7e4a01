// SPDX-License-Identifier: MIT
// Stands in for libFuzzer's main when the project is built without -DWST_FUZZ=ON: runs the
// target once on every file in the folders (or files) named on the command line, so CI replays
// the seed corpora and every past crash input (STYLE.md §15).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p = argv[i];
        if (fs::is_directory(p)) {
            for (const auto& e : fs::recursive_directory_iterator(p)) {
                if (e.is_regular_file() && e.path().filename().string().front() != '.') {
                    files.push_back(e.path());
                }
            }
        } else if (fs::is_regular_file(p)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "replay: %s: no such file or folder (skipped)\n", argv[i]);
        }
    }
    std::sort(files.begin(), files.end()); // deterministic order
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
        // A copy of exactly the input's size, so ASan catches reads past its end.
        std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
        auto* data = exact.empty() ? nullptr : exact.data();
        LLVMFuzzerTestOneInput(data, exact.size());
    }
    std::printf("replay: %zu inputs ran without a crash\n", files.size());
    return 0;
}
