// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace wst::ui {

/// One header field of a frame (RFC 6455 §5.2) and the bytes that carry it on the wire.
struct WireField {
    QString name;          ///< "FIN", "Opcode", "Payload length", "Masking key", "Payload"
    QString value;         ///< "1", "0x1 text", "126: a 16-bit length follows", "37 fa 21 3d"
    int offset = 0;        ///< first byte in FrameWire::bytes
    int length = 1;        ///< bytes (a bit field names the byte that holds it)
    std::uint8_t bits = 0; ///< the bits of that byte for a bit field, 0 for whole bytes
};

/// A WebSocket frame rebuilt as it was on the wire from what the trace keeps: the header from
/// the frame event (flags, opcode, length in its original encoding, masking key) and the
/// payload from the retained, unmasked bytes, masked again with the key. A compressed
/// message's frames carry deflated bytes the trace does not keep: their header is exact, their
/// payload is not shown (`note` says so).
struct FrameWire {
    bool valid = false;
    std::uint32_t event = Event::kNoRef; ///< the WsFrame event shown
    QByteArray bytes;                    ///< header, then the payload prefix (masked if it was)
    QByteArray unmasked;                 ///< the payload prefix as the receiver read it
    int headerLength = 0;
    std::uint64_t payloadLength = 0; ///< on the wire; bytes may hold fewer
    std::vector<WireField> fields;
    QString note; ///< "payload cut at 4 KiB", "deflated on the wire: not kept", ""
};

/// The frame behind a frame-table row: a WsFrame event itself; for a WsMessage its last frame;
/// for a WsClose the Close frame. kNoRef when there is none.
std::uint32_t wireFrameOf(const Trace& doc, std::uint32_t eventIndex);
/// The frame `eventIndex` (any event wireFrameOf accepts) as it was on the wire; at most
/// `maxPayload` payload bytes.
FrameWire frameWire(const Trace& doc, std::uint32_t eventIndex, qsizetype maxPayload = 4096);

} // namespace wst::ui
