// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <string_view>

namespace wst::ui {

/// Decoder text (UTF-8: catalog rows, names, details, header values) as a QString, for plain
/// text: item model data, labels, tool tips that are not rich text. Invalid UTF-8 becomes
/// U+FFFD, as QString::fromUtf8 does.
inline QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// qs() escaped for rich text (`<`, `>`, `&`, `"`), for every piece of decoder text placed into
/// HTML that Qt renders (QTextBrowser, rich-text tool tips and labels).
inline QString qsHtml(std::string_view s) {
    return qs(s).toHtmlEscaped();
}

} // namespace wst::ui
