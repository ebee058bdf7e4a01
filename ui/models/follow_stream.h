// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace wst::ui {

/// The HTTP heads as they went over the wire, rebuilt from the trace's summaries (request line
/// or status line, the headers in order, CRLFs; a response's retained body prefix after it).
QByteArray httpHeadBytes(const RequestSummary& r);
QByteArray httpHeadBytes(const ResponseSummary& r);

/// One piece of a connection as the two peers exchanged it (Follow Stream, issue 17): an HTTP
/// head, one WebSocket frame (header decoded, payload as the decoder kept it: unmasked, and
/// inflated for a compressed message), a gap or the TCP end.
struct StreamChunk {
    enum class Kind { HttpHead, Frame, Gap, TcpEnd };
    Kind kind = Kind::HttpHead;
    Direction direction = Direction::ClientToServer;
    PacketNumber packet = 0;
    Timestamp time;
    std::uint32_t event = Event::kNoRef; ///< index into Trace::events
    QString title;                       ///< "text FIN MASK 13 B", "HTTP request", "RST"
    QByteArray bytes;                    ///< the head, or the frame's retained payload
    bool binary = false; ///< payload is not text (binary, or a control payload that is not UTF-8)
    std::uint64_t missing = 0; ///< payload bytes on the wire that the trace did not keep
};

/// The connection's chunks in time order (frames one each, as View → Show Individual Frames
/// lists them). Empty for an unknown connection.
std::vector<StreamChunk> followStream(const Trace& doc, ConnId conn);

/// The chunks as HTML for a text browser: client bytes red, server bytes blue (the colours
/// Wireshark's Follow TCP Stream uses), one line per frame, HTTP heads verbatim; `hex` shows
/// every payload as a hex dump instead of text.
QString followStreamHtml(const std::vector<StreamChunk>& chunks, bool hex);
/// The same as plain text ("C→S" / "S→C" prefixes), for copying and tests.
QString followStreamText(const std::vector<StreamChunk>& chunks, bool hex);

/// Classic 16-bytes-per-line hex dump: offset, bytes (an extra space after the eighth), ASCII.
/// Byte j of a line starts at column 10 + 3·j (+1 from j = 8).
QString hexDump(const QByteArray& bytes);

/// True when `bytes` is valid UTF-8 without control characters other than tab, CR and LF.
bool looksLikeText(const QByteArray& bytes);

} // namespace wst::ui
