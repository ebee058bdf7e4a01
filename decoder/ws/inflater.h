// SPDX-License-Identifier: MIT
#pragma once

#include "capture/core/types.h"
#include "decoder/model/deflate_params.h"
#include "decoder/ws/inflate_budget.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wst {

/// Decompresses one direction's permessage-deflate messages with zlib raw inflate
/// (RFC 7692 §7.2.2). Output arrives through a callback in pieces of at most 16 KiB, so a
/// message's decompressed size never has to fit in memory; at most `maxMessageBytes` are
/// produced per message (decompression bombs stop there). Memory: one zlib stream (about
/// 2^windowBits + 7 KiB) while a message is open, or for the whole direction with context
/// takeover. Work is bounded across messages too: every decompressed byte and every restart
/// of zlib's stream is charged to the InflateBudgets given (docs/limits.md).
class Inflater {
public:
    enum class Status {
        Ok,        ///< all input so far decompressed
        Error,     ///< zlib rejected the data; error() says why. Sticky for the message.
        SizeLimit, ///< maxMessageBytes reached; the rest of the message is not decompressed
        Budget,    ///< an InflateBudget is spent; nothing more is decompressed (sticky)
    };
    /// Work charged for each restart of zlib's stream after a final block: the 32 KiB window
    /// is copied out and back in, and nothing is produced (issue 21, reset storms).
    static constexpr std::uint64_t kRestartWork = 32 * 1024;
    /// Receives decompressed bytes, valid during the call.
    using Sink = void (*)(void* context, Bytes out);

    /// Inflates what the side sending in `sender` compressed, with that side's window bits
    /// (8..15) and context takeover from `params` (RFC 7692 §7.1.1, §7.1.2). The budgets, if
    /// any, must outlive the Inflater; each is credited with the compressed bytes fed.
    Inflater(const DeflateParams& params, Direction sender, std::uint64_t maxMessageBytes,
             InflateBudgets budgets = {});
    ~Inflater();
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    /// Decompresses the next piece of the current message's payload (as on the wire, after
    /// unmasking). Starts a message if none is open.
    Status feed(Bytes in, Sink sink, void* context);
    /// The message's last frame ended: appends 0x00 0x00 0xff 0xff (RFC 7692 §7.2.2), drains
    /// the output and closes the message. With no_context_takeover the window is dropped.
    Status finishMessage(Sink sink, void* context);
    /// The current message cannot be completed (bytes lost). With context takeover the window
    /// is now unknown, so contextIntact() turns false.
    void abortMessage();

    /// Convenience wrappers taking any callable `void(Bytes)`.
    template <typename F>
    Status feed(Bytes in, F&& f) {
        return feed(in, &call<F>, &f);
    }
    template <typename F>
    Status finishMessage(F&& f) {
        return finishMessage(&call<F>, &f);
    }

    /// zlib's message for the last Error ("invalid distance too far back", ...).
    std::string_view error() const { return m_error; }
    /// Decompressed bytes produced for the current (or last finished) message.
    std::uint64_t messageBytes() const { return m_messageBytes; }
    /// False once a message with context takeover failed, hit a limit or was aborted:
    /// later messages may refer to a window we never saw, so their errors prove nothing.
    bool contextIntact() const { return m_contextIntact; }

private:
    template <typename F>
    static void call(void* context, Bytes out) {
        (*static_cast<std::remove_reference_t<F>*>(context))(out);
    }
    Status run(Bytes in, Sink sink, void* context);
    /// Charges `work` to every budget; false (status Budget) when one is spent.
    bool charge(std::uint64_t work);
    bool ensureStream();
    void dropStream();

    struct Stream;
    std::unique_ptr<Stream> m_stream;
    std::uint8_t m_windowBits;
    bool m_noContextTakeover;
    std::uint64_t m_maxMessageBytes;
    InflateBudgets m_budgets;
    std::uint64_t m_messageBytes = 0;
    Status m_status = Status::Ok;
    std::string m_error;
    bool m_inMessage = false;
    bool m_contextIntact = true;
};

} // namespace wst
