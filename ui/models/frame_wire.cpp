// SPDX-License-Identifier: MIT
#include "ui/models/frame_wire.h"

#include "decoder/model/format.h"
#include "ui/models/event_text.h"
#include "ui/models/palette.h"
#include "ui/models/qt_text.h"

#include <algorithm>

namespace wst::ui {

std::uint32_t wireFrameOf(const Trace& doc, std::uint32_t eventIndex) {
    if (eventIndex >= doc.events.size()) {
        return Event::kNoRef;
    }
    const Event& e = doc.events[eventIndex];
    if (e.kind == EventKind::WsFrame) {
        return eventIndex;
    }
    if (e.kind != EventKind::WsMessage && e.kind != EventKind::WsClose) {
        return Event::kNoRef;
    }
    const auto& list = doc.eventsOf(e.connection);
    const auto at = std::lower_bound(list.begin(), list.end(), eventIndex);
    if (at == list.end() || *at != eventIndex) {
        return Event::kNoRef;
    }
    const std::size_t pos = static_cast<std::size_t>(at - list.begin());
    const auto same = [&](const Event& f) {
        return f.kind == EventKind::WsFrame && f.direction == e.direction;
    };
    if (e.kind == EventKind::WsClose) {
        // The Close frame's event follows its WsClose (connection_ws.cpp).
        for (std::size_t k = pos + 1; k < list.size() && k < pos + kFrameSearchLimit; ++k) {
            const Event& f = doc.events[list[k]];
            if (same(f) && f.opcode == 0x8) {
                return list[k];
            }
        }
        return Event::kNoRef;
    }
    // A message's event follows its last frame.
    for (std::size_t k = pos, steps = 0; k-- > 0 && steps < kFrameSearchLimit; ++steps) {
        const Event& f = doc.events[list[k]];
        if (same(f) && f.opcode < 0x8) {
            return list[k];
        }
    }
    return Event::kNoRef;
}

FrameWire frameWire(const Trace& doc, std::uint32_t eventIndex, qsizetype maxPayload) {
    FrameWire w;
    const std::uint32_t frame = wireFrameOf(doc, eventIndex);
    if (frame == Event::kNoRef) {
        return w;
    }
    const Event& e = doc.events[frame];
    w.valid = true;
    w.event = frame;
    w.payloadLength = e.length;
    const bool masked = e.frameFlags & frameflag::Mask;
    // RFC 6455 §5.2: 7-bit length, or 126 + 16 bits, or 127 + 64 bits; the sender's choice
    // (it need not be minimal), which the recorded header length tells.
    int extended = e.headerLength >= 2 ? e.headerLength - 2 - (masked ? 4 : 0) : -1;
    if (extended != 0 && extended != 2 && extended != 8) {
        extended = e.length <= 125 ? 0 : e.length <= 0xffff ? 2 : 8; // minimal when unknown
    }
    const std::uint8_t b0 = static_cast<std::uint8_t>(
        (e.frameFlags & frameflag::Fin ? 0x80 : 0) | (e.frameFlags & frameflag::Rsv1 ? 0x40 : 0) |
        (e.frameFlags & frameflag::Rsv2 ? 0x20 : 0) | (e.frameFlags & frameflag::Rsv3 ? 0x10 : 0) |
        (e.opcode & 0x0f));
    const std::uint8_t len7 = extended == 0   ? static_cast<std::uint8_t>(e.length)
                              : extended == 2 ? 126
                                              : 127;
    w.bytes.append(static_cast<char>(b0));
    w.bytes.append(static_cast<char>((masked ? 0x80 : 0) | len7));
    for (int i = extended - 1; i >= 0; --i) {
        w.bytes.append(static_cast<char>((e.length >> (8 * i)) & 0xff));
    }
    if (masked) {
        for (std::uint8_t k : e.maskKey) {
            w.bytes.append(static_cast<char>(k));
        }
    }
    w.headerLength = static_cast<int>(w.bytes.size());

    const auto bit = [&](const char* name, std::uint8_t mask) {
        w.fields.push_back({QString::fromLatin1(name),
                            b0 & mask ? QStringLiteral("1") : QStringLiteral("0"), 0, 1, mask});
    };
    bit("FIN", 0x80);
    bit("RSV1", 0x40);
    bit("RSV2", 0x20);
    bit("RSV3", 0x10);
    w.fields.push_back({QStringLiteral("Opcode"),
                        QStringLiteral("0x%1 %2")
                            .arg(static_cast<uint>(e.opcode), 0, 16)
                            .arg(qs(opcodeName(e.opcode))),
                        0, 1, 0x0f});
    w.fields.push_back(
        {QStringLiteral("MASK"), masked ? QStringLiteral("1") : QStringLiteral("0"), 1, 1, 0x80});
    w.fields.push_back({QStringLiteral("Payload length"),
                        extended == 0   ? QStringLiteral("%1 (7-bit)").arg(len7)
                        : extended == 2 ? QStringLiteral("126: a 16-bit length follows")
                                        : QStringLiteral("127: a 64-bit length follows"),
                        1, 1, 0x7f});
    if (extended > 0) {
        w.fields.push_back({QStringLiteral("Extended payload length"),
                            QStringLiteral("%L1 (%2-bit)").arg(e.length).arg(extended * 8), 2,
                            extended, 0});
    }
    if (masked) {
        w.fields.push_back({QStringLiteral("Masking key"),
                            QString::fromLatin1(w.bytes.mid(w.headerLength - 4, 4).toHex(' ')),
                            w.headerLength - 4, 4, 0});
    }

    const FramePayload fp = framePayload(doc, frame);
    if (fp.wholeMessage && fp.message && fp.message->compressed) {
        w.note = QStringLiteral("Payload deflated on the wire (RFC 7692): wstrace keeps the "
                                "inflated message, see the Payload tab.");
    } else {
        const std::string_view kept = framePayloadBytes(fp);
        const qsizetype n = std::min<qsizetype>(
            {static_cast<qsizetype>(kept.size()), maxPayload,
             static_cast<qsizetype>(std::min<std::uint64_t>(e.length, 1u << 30))});
        w.unmasked = QByteArray(kept.data(), n);
        QByteArray wire = w.unmasked;
        if (masked) {
            // RFC 6455 §5.3: octet i is XORed with key octet i mod 4.
            for (qsizetype i = 0; i < wire.size(); ++i) {
                wire[i] = static_cast<char>(wire[i] ^ e.maskKey[static_cast<std::size_t>(i % 4)]);
            }
        }
        w.bytes += wire;
        if (static_cast<std::uint64_t>(n) < e.length) {
            w.note = QStringLiteral("Payload: first %1 of %2 shown.")
                         .arg(formatBytes(static_cast<std::uint64_t>(n)), formatBytes(e.length));
        }
        w.fields.push_back({masked ? QStringLiteral("Payload (masked)") : QStringLiteral("Payload"),
                            formatBytes(e.length), w.headerLength, static_cast<int>(n), 0});
    }
    return w;
}

} // namespace wst::ui
