// SPDX-License-Identifier: MIT
#include "app/cli/size_option.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace wst::cli {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

/// The multiplier for a unit suffix, 0 for an unknown one.
std::uint64_t unitFactor(std::string_view suffix) {
    if (suffix.empty() || equalsIgnoreCase(suffix, "B"))
        return 1;
    static constexpr std::array<char, 3> kLetters = {'k', 'm', 'g'};
    for (std::size_t k = 0; k < kLetters.size(); ++k) {
        const char letter =
            static_cast<char>(std::tolower(static_cast<unsigned char>(suffix.front())));
        if (letter != kLetters[k])
            continue;
        const std::string_view rest = suffix.substr(1);
        if (rest.empty() || equalsIgnoreCase(rest, "B") || equalsIgnoreCase(rest, "iB"))
            return std::uint64_t{1} << (10 * (k + 1));
    }
    return 0;
}

std::string rangeText(std::uint64_t min, std::uint64_t max, bool units) {
    if (!units)
        return fmt::format("valid range {} to {}", min, max);
    return fmt::format("valid range {} to {} ({} to {} bytes; K, M, G = KiB, MiB, GiB)",
                       formatSize(min), formatSize(max), min, max);
}

CLI::Validator integerRange(std::uint64_t min, std::uint64_t max, bool units) {
    return CLI::Validator(
        [min, max, units](std::string& input) -> std::string {
            const std::optional<std::uint64_t> value = parseSize(input, units);
            const std::string range = rangeText(min, max, units);
            if (!input.empty() && input.front() == '-')
                return fmt::format("{} is negative; {}", input, range);
            if (!value && !parseSize(input, true))
                return fmt::format(
                    "{} is not {}; {}", input,
                    units ? "a size (digits, then optionally K, M or G)" : "a whole number", range);
            if (!value || *value < min || *value > max) // a unit on a count: out of range too
                return fmt::format("{} is out of range; {}", input, range);
            input = std::to_string(*value);
            return {};
        },
        units ? fmt::format("{}..{}", formatSize(min), formatSize(max))
              : fmt::format("{}..{}", min, max),
        units ? "BYTES" : "COUNT");
}

} // namespace

std::optional<std::uint64_t> parseSize(std::string_view text, bool units) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    if (digits == 0)
        return std::nullopt;
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
    if (ec != std::errc{} || end != text.data() + digits)
        return std::nullopt; // past 2^64 − 1
    const std::string_view suffix = text.substr(digits);
    if (!units)
        return suffix.empty() ? std::optional<std::uint64_t>(number) : std::nullopt;
    const std::uint64_t factor = unitFactor(suffix);
    if (factor == 0 || number > std::numeric_limits<std::uint64_t>::max() / factor)
        return std::nullopt;
    return number * factor;
}

std::string formatSize(std::uint64_t bytes) {
    static constexpr std::array<std::string_view, 3> kUnits = {"G", "M", "K"};
    for (std::size_t k = 0; k < kUnits.size(); ++k) {
        const std::uint64_t factor = std::uint64_t{1} << (10 * (3 - k));
        if (bytes != 0 && bytes % factor == 0)
            return fmt::format("{}{}", bytes / factor, kUnits[k]);
    }
    return std::to_string(bytes);
}

CLI::Validator byteSizeRange(std::uint64_t min, std::uint64_t max) {
    return integerRange(min, max, true);
}

CLI::Validator countRange(std::uint64_t min, std::uint64_t max) {
    return integerRange(min, max, false);
}

CLI::Validator finiteRange(double min, double max) {
    return CLI::Validator(
        [min, max](std::string& input) -> std::string {
            double value = 0;
            const bool parsed = CLI::detail::lexical_cast(input, value);
            if (!parsed || !std::isfinite(value) || value < min || value > max)
                return fmt::format("{} is out of range; valid range {} to {}", input, min, max);
            return {};
        },
        fmt::format("{}..{}", min, max), "NUMBER");
}

} // namespace wst::cli
