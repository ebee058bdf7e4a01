// SPDX-License-Identifier: MIT
#include "decoder/http/http_body_tracker.h"

#include <algorithm>
#include <cstring>

namespace wst {

namespace {

struct Codings {
    bool present = false;      ///< any Transfer-Encoding header
    bool chunkedLast = false;  ///< the final coding is chunked
    bool chunkedEarly = false; ///< chunked appears before the final coding
};

Codings transferCodings(const HttpHead& head) {
    Codings c;
    std::string_view last;
    for (const auto& h : head.headers) {
        if (!equalsIgnoreCase(h.name, "Transfer-Encoding"))
            continue;
        c.present = true;
        forEachListElement(h.value, [&](std::string_view e) {
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            const auto semi = e.find(';');
            std::string_view name = e.substr(0, semi);
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                name.remove_suffix(1);
            if (!last.empty() && equalsIgnoreCase(last, "chunked"))
                c.chunkedEarly = true;
            last = name;
        });
    }
    c.chunkedLast = equalsIgnoreCase(last, "chunked");
    return c;
}

/// Content-Length across repeated headers and lists ("5, 5"): all values must agree
/// (RFC 9110 §8.6). Returns an error text or "".
std::string_view contentLength(const HttpHead& head, bool& present, std::uint64_t& value) {
    present = false;
    std::string_view error;
    for (const auto& h : head.headers) {
        if (!equalsIgnoreCase(h.name, "Content-Length"))
            continue;
        bool any = false;
        forEachListElement(h.value, [&](std::string_view e) {
            any = true;
            if (!error.empty())
                return;
            if (e.size() > 19 ||
                !std::all_of(e.begin(), e.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                error = "bad Content-Length";
                return;
            }
            std::uint64_t v = 0;
            for (char c : e)
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
            if (present && v != value)
                error = "conflicting Content-Length";
            present = true;
            value = v;
        });
        if (!any && error.empty())
            error = "bad Content-Length";
    }
    return error;
}

} // namespace

BodyFraming requestBodyFraming(const HttpHead& request) {
    BodyFraming f;
    const Codings te = transferCodings(request);
    bool hasLength = false;
    std::uint64_t length = 0;
    const std::string_view clError = contentLength(request, hasLength, length);
    if (te.present) {
        f.lengthIgnored = hasLength || !clError.empty();
        // RFC 9112 §6.3 item 4: a request whose final coding is not chunked cannot be framed.
        if (!te.chunkedLast || te.chunkedEarly) {
            f.error = "Transfer-Encoding without final chunked";
            return f;
        }
        f.kind = BodyFraming::Kind::Chunked;
        return f;
    }
    if (!clError.empty()) {
        f.error = clError;
        return f;
    }
    if (hasLength && length > 0) {
        f.kind = BodyFraming::Kind::Length;
        f.length = length;
    }
    return f;
}

BodyFraming responseBodyFraming(const HttpHead& response, std::string_view requestMethod) {
    BodyFraming f;
    const int s = response.status;
    // RFC 9112 §6.3 item 1: no body after HEAD, 1xx (101 included), 204 and 304.
    if (equalsIgnoreCase(requestMethod, "HEAD") || (s >= 100 && s < 200) || s == 204 || s == 304)
        return f;
    // Item 2: a 2xx to CONNECT switches to a tunnel.
    if (equalsIgnoreCase(requestMethod, "CONNECT") && s >= 200 && s < 300) {
        f.kind = BodyFraming::Kind::UntilClose;
        return f;
    }
    const Codings te = transferCodings(response);
    bool hasLength = false;
    std::uint64_t length = 0;
    const std::string_view clError = contentLength(response, hasLength, length);
    if (te.present) {
        f.lengthIgnored = hasLength || !clError.empty();
        // Item 3: chunked last → chunked; otherwise the body runs until close.
        f.kind = te.chunkedLast && !te.chunkedEarly ? BodyFraming::Kind::Chunked
                                                    : BodyFraming::Kind::UntilClose;
        if (te.chunkedEarly)
            f.error = "Transfer-Encoding without final chunked";
        return f;
    }
    if (!clError.empty()) {
        // Item 5: an invalid Content-Length in a response is unrecoverable.
        f.kind = BodyFraming::Kind::UntilClose;
        f.error = clError;
        return f;
    }
    if (hasLength) {
        f.kind = length > 0 ? BodyFraming::Kind::Length : BodyFraming::Kind::None;
        f.length = length;
        return f;
    }
    f.kind = BodyFraming::Kind::UntilClose; // item 8
    return f;
}

HttpBodyTracker::HttpBodyTracker(std::size_t maxLineBytes, std::size_t maxTrailerBytes)
    : m_maxLineBytes(maxLineBytes)
    , m_maxTrailerBytes(maxTrailerBytes) {}

void HttpBodyTracker::start(const BodyFraming& framing) {
    m_remaining = 0;
    m_sizeDigits = 0;
    m_lineBytes = 0;
    m_trailerBytes = 0;
    m_wireBytes = 0;
    m_payloadBytes = 0;
    m_errorOffset = 0;
    m_error = {};
    switch (framing.kind) {
    case BodyFraming::Kind::None:
        m_state = State::Done;
        break;
    case BodyFraming::Kind::Length:
        m_remaining = framing.length;
        m_state = framing.length == 0 ? State::Done : State::Length;
        break;
    case BodyFraming::Kind::Chunked:
        m_state = State::ChunkSize;
        break;
    case BodyFraming::Kind::UntilClose:
        m_state = State::UntilClose;
        break;
    }
}

HttpBodyTracker::Result HttpBodyTracker::fail(std::size_t offset, std::string_view reason) {
    m_errorOffset = m_wireBytes + offset;
    m_state = State::Failed;
    m_error = Result{Status::Error, offset, reason};
    return m_error;
}

HttpBodyTracker::Result HttpBodyTracker::feed(std::string_view bytes, std::string* payloadPrefix,
                                              std::size_t prefixCap) {
    const auto keep = [&](std::string_view payload) {
        m_payloadBytes += payload.size();
        if (payloadPrefix != nullptr && payloadPrefix->size() < prefixCap)
            payloadPrefix->append(payload.substr(0, prefixCap - payloadPrefix->size()));
    };
    const auto hexValue = [](unsigned char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };

    if (m_state == State::Failed) {
        // Sticky: the error lies in bytes already given; report where, relative to them.
        return Result{Status::Error, 0, m_error.reason};
    }
    std::size_t i = 0;
    while (i < bytes.size()) {
        switch (m_state) {
        case State::Done:
            m_wireBytes += i;
            return Result{Status::Complete, i, {}};
        case State::Failed:
            return m_error;
        case State::UntilClose:
            keep(bytes.substr(i));
            i = bytes.size();
            break;
        case State::Length:
        case State::ChunkData: {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(m_remaining, bytes.size() - i));
            keep(bytes.substr(i, n));
            i += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = m_state == State::Length ? State::Done : State::ChunkDataCr;
            break;
        }
        case State::ChunkSize: {
            // RFC 9112 §7.1: chunk-size = 1*HEXDIG, then BWS, chunk-ext, CRLF.
            const auto c = static_cast<unsigned char>(bytes[i]);
            const int v = hexValue(c);
            if (v >= 0) {
                if (m_sizeDigits == 16)
                    return fail(i, "chunk size too large");
                m_remaining = (m_remaining << 4) | static_cast<std::uint64_t>(v);
                ++m_sizeDigits;
            } else if (m_sizeDigits == 0) {
                return fail(i, "bad chunk size");
            } else if (c == ' ' || c == '\t') {
                m_state = State::ChunkSizeWs;
            } else if (c == ';') {
                m_state = State::ChunkExt;
            } else if (c == '\r') {
                m_state = State::ChunkSizeLf;
            } else if (c == '\n') {
                m_state = m_remaining == 0 ? State::TrailerStart : State::ChunkData;
            } else {
                return fail(i, "bad chunk size");
            }
            ++i;
            break;
        }
        case State::ChunkSizeWs: {
            const char c = bytes[i];
            if (c == ';') {
                m_state = State::ChunkExt;
            } else if (c == '\r') {
                m_state = State::ChunkSizeLf;
            } else if (c == '\n') {
                m_state = m_remaining == 0 ? State::TrailerStart : State::ChunkData;
            } else if (c != ' ' && c != '\t') {
                return fail(i, "bad chunk size");
            }
            ++i;
            break;
        }
        case State::ChunkExt: {
            const char c = bytes[i];
            if (c == '\r') {
                m_state = State::ChunkSizeLf;
            } else if (c == '\n') {
                m_state = m_remaining == 0 ? State::TrailerStart : State::ChunkData;
            } else if (++m_lineBytes > m_maxLineBytes) {
                return fail(i, "chunk extension too long");
            }
            ++i;
            break;
        }
        case State::ChunkSizeLf:
            if (bytes[i] != '\n')
                return fail(i, "bare CR in chunk size line");
            m_state = m_remaining == 0 ? State::TrailerStart : State::ChunkData;
            ++i;
            break;
        case State::ChunkDataCr:
            if (bytes[i] == '\r') {
                m_state = State::ChunkDataLf;
            } else if (bytes[i] == '\n') {
                m_state = State::ChunkSize;
                m_sizeDigits = 0;
                m_lineBytes = 0;
            } else {
                return fail(i, "missing CRLF after chunk data");
            }
            ++i;
            break;
        case State::ChunkDataLf:
            if (bytes[i] != '\n')
                return fail(i, "missing CRLF after chunk data");
            m_state = State::ChunkSize;
            m_sizeDigits = 0;
            m_lineBytes = 0;
            ++i;
            break;
        case State::TrailerStart:
            // trailer-section = *( field-line CRLF ) CRLF, skipped but bounded.
            if (bytes[i] == '\r') {
                m_state = State::TrailerEndLf;
            } else if (bytes[i] == '\n') {
                m_state = State::Done;
            } else {
                m_state = State::TrailerLine;
                continue; // count this byte as part of the line
            }
            ++i;
            break;
        case State::TrailerEndLf:
            if (bytes[i] != '\n')
                return fail(i, "bad trailer section");
            m_state = State::Done;
            ++i;
            break;
        case State::TrailerLine: {
            const void* lf = std::memchr(bytes.data() + i, '\n', bytes.size() - i);
            const std::size_t end =
                lf == nullptr
                    ? bytes.size()
                    : static_cast<std::size_t>(static_cast<const char*>(lf) - bytes.data());
            const std::size_t take = end - i + (lf != nullptr ? 1 : 0);
            if (m_trailerBytes + take > m_maxTrailerBytes)
                return fail(i + (m_maxTrailerBytes - m_trailerBytes), "trailers too large");
            m_trailerBytes += take;
            i += take;
            if (lf != nullptr)
                m_state = State::TrailerStart;
            break;
        }
        }
    }
    m_wireBytes += i;
    if (m_state == State::Done)
        return Result{Status::Complete, i, {}};
    return Result{Status::NeedMore, i, {}};
}

} // namespace wst
