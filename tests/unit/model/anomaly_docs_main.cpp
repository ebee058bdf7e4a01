// SPDX-License-Identifier: MIT
// Writes the anomaly catalog as Markdown to the file named on the command line (or stdout).
#include "decoder/model/anomaly.h"

#include <cstdio>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    const std::string text = wst::anomalyCatalogMarkdown();
    if (argc < 2) {
        std::cout << text;
        return 0;
    }
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        std::fprintf(stderr, "wst_anomaly_docs: cannot write %s\n", argv[1]);
        return 2;
    }
    return 0;
}
