// SPDX-License-Identifier: MIT
#include "decoder/ws/inflater.h"

#include <algorithm>
#include <array>
#include <zlib.h>

namespace wst {

namespace {

constexpr std::size_t kOutChunk = 16 * 1024;
/// RFC 7692 §7.2.2: the sender removed these four bytes from the end of each message.
constexpr std::array<std::uint8_t, 4> kTail{0x00, 0x00, 0xff, 0xff};

} // namespace

struct Inflater::Stream {
    z_stream z{};
};

Inflater::Inflater(const DeflateParams& params, Direction sender, std::uint64_t maxMessageBytes,
                   InflateBudgets budgets)
    : m_windowBits(params.windowBits(sender))
    , m_noContextTakeover(params.noContextTakeover(sender))
    , m_maxMessageBytes(maxMessageBytes)
    , m_budgets(budgets) {}

Inflater::~Inflater() {
    dropStream();
}

bool Inflater::ensureStream() {
    if (m_stream) {
        return true;
    }
    auto s = std::make_unique<Stream>();
    // Raw deflate (negative windowBits). zlib's deflate cannot produce a 256-byte window
    // (it silently uses 512 bytes for windowBits 8), so peers that negotiated 8 send data
    // needing 9; inflating with 9 never rejects data a real receiver would accept.
    const int bits = std::clamp<int>(m_windowBits, 9, 15);
    if (inflateInit2(&s->z, -bits) != Z_OK) {
        m_error = s->z.msg ? s->z.msg : "inflateInit2 failed";
        return false;
    }
    m_stream = std::move(s);
    return true;
}

void Inflater::dropStream() {
    if (m_stream) {
        inflateEnd(&m_stream->z);
        m_stream.reset();
    }
}

Inflater::Status Inflater::feed(Bytes in, Sink sink, void* context) {
    if (!m_inMessage) {
        m_inMessage = true;
        m_messageBytes = 0;
        m_status = Status::Ok;
        m_error.clear();
    }
    if (m_status != Status::Ok) {
        return m_status; // sticky: the rest of a failed or capped message is not inflated
    }
    return run(in, sink, context);
}

bool Inflater::charge(std::uint64_t work) {
    bool ok = true;
    for (InflateBudget* b : {m_budgets.connection, m_budgets.capture}) {
        if (b && !b->charge(work)) {
            ok = false;
        }
    }
    if (!ok) {
        m_status = Status::Budget;
    }
    return ok;
}

Inflater::Status Inflater::run(Bytes in, Sink sink, void* context) {
    if (!ensureStream()) {
        m_status = Status::Error;
        return m_status;
    }
    for (InflateBudget* b : {m_budgets.connection, m_budgets.capture}) {
        if (b) {
            b->credit(in.size());
        }
    }
    if (m_budgets.spent()) {
        m_status = Status::Budget;
        return m_status;
    }
    z_stream& z = m_stream->z;
    z.next_in = const_cast<Bytef*>(in.data()); // zlib's API is not const-correct
    z.avail_in = static_cast<uInt>(in.size());
    std::array<std::uint8_t, kOutChunk> out;
    for (;;) {
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        const int rc = inflate(&z, Z_SYNC_FLUSH);
        std::size_t produced = out.size() - z.avail_out;
        if (produced > 0) {
            const std::uint64_t room = m_maxMessageBytes - m_messageBytes;
            const bool capped = produced > room;
            produced = static_cast<std::size_t>(std::min<std::uint64_t>(produced, room));
            if (produced > 0) {
                sink(context, Bytes(out.data(), produced));
            }
            m_messageBytes += produced;
            if (capped) {
                m_status = Status::SizeLimit;
                return m_status;
            }
            if (!charge(produced)) {
                return m_status;
            }
        }
        if (rc == Z_STREAM_END) {
            // A block with BFINAL set ends zlib's stream, but not the WebSocket message or the
            // shared window (RFC 7692 §7.2.3 shows a sender ending a message that way). Keep the
            // window and continue with whatever input follows. The restart costs a window copy
            // and produces nothing, so it is charged (2-byte empty final blocks, issue 21).
            if (!charge(kRestartWork)) {
                return m_status;
            }
            std::array<Bytef, 32768> dict;
            uInt dictLength = 0;
            inflateGetDictionary(&z, dict.data(), &dictLength);
            const Bytef* nextIn = z.next_in;
            const uInt availIn = z.avail_in;
            inflateReset(&z);
            inflateSetDictionary(&z, dict.data(), dictLength);
            z.next_in = const_cast<Bytef*>(nextIn);
            z.avail_in = availIn;
            if (availIn == 0) {
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR) {
            break; // no progress possible: all input used and all output drained
        }
        if (rc != Z_OK) {
            m_error = z.msg ? z.msg : "inflate failed";
            m_status = Status::Error;
            return m_status;
        }
        if (z.avail_in == 0 && z.avail_out != 0) {
            break;
        }
    }
    return m_status;
}

Inflater::Status Inflater::finishMessage(Sink sink, void* context) {
    if (!m_inMessage) {
        // An empty compressed message: still has to pass through the window.
        feed(Bytes{}, sink, context);
    }
    if (m_status == Status::Ok) {
        run(Bytes(kTail.data(), kTail.size()), sink, context);
    }
    const Status result = m_status;
    m_inMessage = false;
    if (m_noContextTakeover) {
        dropStream(); // RFC 7692 §7.1.1: each message starts with an empty window
    } else if (result != Status::Ok) {
        m_contextIntact = false;
        dropStream();
    }
    return result;
}

void Inflater::abortMessage() {
    if (!m_inMessage) {
        return;
    }
    m_inMessage = false;
    if (!m_noContextTakeover) {
        m_contextIntact = false;
    }
    dropStream();
}

} // namespace wst
