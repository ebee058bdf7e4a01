// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wst::cli {

/// A size as typed on the command line (docs/limits.md, "Sizes and counts on the command
/// line"): decimal digits, then optionally a unit K, M or G, each 1024 times the one before,
/// written `K`, `KB` or `KiB` in any case (`64K`, `4MiB`, `1g`), and optionally a final `B` on
/// a plain number (`512B`). No sign, no fraction, no hex or octal; nullopt for anything else
/// and for values past 2^64 − 1. With `units` false only the plain decimal digits are accepted
/// (counts).
std::optional<std::uint64_t> parseSize(std::string_view text, bool units);

/// `bytes` in the largest unit that divides it exactly: "64K", "16M", "1G", "100".
std::string formatSize(std::uint64_t bytes);

/// A CLI11 transform for a byte-size option: parses with parseSize(…, true) and checks
/// `min..max`, replacing the text by the plain number of bytes. A value outside the range, a
/// negative or malformed one fails the option (exit 2 with "--opt: … valid range …", the
/// CLI11 convention).
CLI::Validator byteSizeRange(std::uint64_t min, std::uint64_t max);

/// The same for a count (plain decimal digits only, no units).
CLI::Validator countRange(std::uint64_t min, std::uint64_t max);

/// A floating-point option within `min..max`; NaN and infinities fail (CLI::Range lets NaN
/// through).
CLI::Validator finiteRange(double min, double max);

} // namespace wst::cli
