// SPDX-License-Identifier: MIT
#include "decoder/analysis/http_reader.h"

#include <cstdint>

namespace wst {
namespace {
constexpr std::size_t kBodyPrefixBytes = 256; // enough for Go's error bodies and coder's reasons
} // namespace

HttpReader::HttpReader(HttpHeadParser::Kind kind, const Limits& limits)
    : m_parser(kind, limits.httpHeadBytes)
    , m_maxHead(limits.httpHeadBytes) {}

void HttpReader::startBody(const BodyFraming& framing) {
    m_bodyPrefix.clear();
    m_body.start(framing);
    m_inBody = !m_body.done();
}

void HttpReader::restartHead() {
    m_parser.reset();
    m_buffer.clear();
    m_inBody = false;
    m_bufferIsDoneHead = false;
}

HttpReader::Step HttpReader::feed(std::string_view bytes, std::uint64_t offset,
                                  const SegmentInfo& info) {
    if (bytes.empty()) {
        return {};
    }
    if (m_bufferIsDoneHead) {
        m_buffer.clear();
        m_bufferIsDoneHead = false;
    }
    if (m_inBody) {
        const auto r = m_body.feed(bytes, &m_bodyPrefix, kBodyPrefixBytes);
        if (r.status == HttpHeadParser::Status::Error) {
            m_errorReason = r.reason;
            m_inBody = false;
            return {What::Error, r.consumed};
        }
        if (r.status == HttpHeadParser::Status::Complete) {
            m_inBody = false;
            return {What::BodyDone, r.consumed};
        }
        return {What::NeedMore, bytes.size()};
    }

    if (m_buffer.empty()) {
        // Fast path: the whole head is in this segment; parse it in place, no copy.
        m_parser.reset();
        m_headStart = info;
        m_headOffset = offset;
        const auto r = m_parser.parse(bytes, m_head);
        if (r.status == HttpHeadParser::Status::Complete) {
            m_headEnd = info;
            m_headText = bytes.substr(0, r.consumed);
            return {What::Head, r.consumed};
        }
        if (r.status == HttpHeadParser::Status::Error) {
            m_errorReason = r.reason;
            return {What::Error, r.consumed};
        }
        // The parser asks for the whole head so far on every call: keep it (bounded: the
        // parser answers "head too large" before the buffer passes the limit).
        m_buffer.assign(bytes.data(), bytes.size());
        return {What::NeedMore, bytes.size()};
    }

    const std::size_t before = m_buffer.size();
    // One byte past the limit lets the parser answer "head too large". Saturating: with a
    // limit of SIZE_MAX, m_maxHead + 1 wrapped to 0 and nothing was ever consumed (issue 21).
    const std::size_t room =
        before > m_maxHead ? 0 : m_maxHead - before + (m_maxHead < SIZE_MAX ? 1 : 0);
    const std::size_t take = bytes.size() < room ? bytes.size() : room;
    m_buffer.append(bytes.data(), take);
    const auto r = m_parser.parse(m_buffer, m_head);
    if (r.status == HttpHeadParser::Status::Complete) {
        m_headEnd = info;
        // Only the bytes of this call up to the head's end are used.
        const std::size_t used = r.consumed - before;
        m_buffer.resize(r.consumed); // head() views stay valid: same data, no reallocation
        m_bufferIsDoneHead = true;
        m_headText = m_buffer;
        return {What::Head, used};
    }
    if (r.status == HttpHeadParser::Status::Error) {
        m_errorReason = r.reason;
        const std::size_t at = r.consumed > before ? r.consumed - before : 0;
        m_buffer.clear();
        return {What::Error, at};
    }
    return {What::NeedMore, take};
}

} // namespace wst
