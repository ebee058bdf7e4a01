// SPDX-License-Identifier: MIT
// WsDirection's header and Close-body rules (RFC 6455 §5.2, §5.5, §7.4; RFC 7692 §6.1).
#include "decoder/ws/close_code.h"
#include "decoder/ws/utf8.h"
#include "decoder/ws/ws_detail.h"
#include "decoder/ws/ws_direction.h"

#include <fmt/format.h>

namespace wst {

using detail::asBytes;

void WsDirection::checkHeader(const FrameHeader& h) {
    if (m_closeSent) {
        report(AnomalyId::WsFrameAfterClose,
               fmt::format("expected=no frames after this side's Close (RFC 6455 §5.5.1), "
                           "found={} frame",
                           opcodeName(h.opcode)));
    }
    if (m_dir == Direction::ClientToServer && !h.masked) {
        report(AnomalyId::WsFrameClientUnmasked,
               fmt::format("expected=MASK=1 on every client frame (RFC 6455 §5.1), "
                           "found=MASK=0 on a {} frame",
                           opcodeName(h.opcode)));
    } else if (m_dir == Direction::ServerToClient && h.masked) {
        report(AnomalyId::WsFrameServerMasked,
               fmt::format("expected=MASK=0 on every server frame (RFC 6455 §5.1), "
                           "found=MASK=1 on a {} frame",
                           opcodeName(h.opcode)));
    }
    if (h.isReservedOpcode()) {
        report(AnomalyId::WsFrameReservedOpcode,
               fmt::format("expected=opcode 0x0-0x2 or 0x8-0xA (RFC 6455 §5.2), found={}",
                           opcodeName(h.opcode)));
    }
    if (h.lengthMsbSet) {
        report(AnomalyId::WsFrameLengthMsbSet,
               fmt::format("expected=64-bit length with the top bit clear (RFC 6455 §5.2), "
                           "found=0x{:016X}; framing lost, scanning for the next header",
                           h.payloadLength));
    } else if (h.lengthNotMinimal) {
        report(AnomalyId::WsFrameLengthNotMinimal,
               fmt::format("expected=length {} in the {} form (RFC 6455 §5.2), found={}-bit "
                           "extended length",
                           h.payloadLength, h.payloadLength < 126 ? "7-bit" : "16-bit",
                           h.headerLength - (h.masked ? 4 : 0) == 4 ? 16 : 64));
    }
    if (h.isControl() && !h.isReservedOpcode()) {
        if (h.payloadLength > 125) {
            report(AnomalyId::WsFrameControlTooLarge,
                   fmt::format("expected=control payload <= 125 bytes (RFC 6455 §5.5), "
                               "found={} bytes in a {} frame",
                               h.payloadLength, opcodeName(h.opcode)));
        }
        if (!h.fin) {
            report(AnomalyId::WsFrameControlFragmented,
                   fmt::format("expected=FIN=1 on control frames (RFC 6455 §5.5), found=FIN=0 "
                               "on a {} frame",
                               opcodeName(h.opcode)));
        }
    }
}

void WsDirection::checkRsv(const FrameHeader& h) {
    if ((h.rsv & 0x3) != 0) {
        // No registered extension defines RSV2 or RSV3 (RFC 6455 §5.2, §9).
        report(AnomalyId::WsFrameRsvWithoutExtension,
               fmt::format("expected=RSV2=0 and RSV3=0 (no extension negotiated that uses "
                           "them, RFC 6455 §5.2), found=RSV{}",
                           (h.rsv & 0x2) ? ((h.rsv & 0x1) ? "2+RSV3" : "2") : "3"));
    }
    if ((h.rsv & 0x4) == 0 || !m_handshakeSeen) {
        // Mid-stream: whether permessage-deflate was negotiated is unknown (docs/websocket.md,
        // "Handshake not captured").
        return;
    }
    if (!m_deflate.enabled) {
        report(AnomalyId::WsFrameRsvWithoutExtension,
               fmt::format("expected=RSV1=0 (permessage-deflate not negotiated, RFC 6455 "
                           "§5.2), found=RSV1=1 on a {} frame",
                           opcodeName(h.opcode)));
    } else if (h.isControl()) {
        report(AnomalyId::WsDeflateControlCompressed,
               fmt::format("expected=RSV1=0 on control frames (RFC 7692 §6.1), found=RSV1=1 "
                           "on a {} frame",
                           opcodeName(h.opcode)));
    } else if (h.opcode == 0x0) {
        report(AnomalyId::WsFrameRsvWithoutExtension,
               "expected=RSV1 only on the first frame of a message (RFC 7692 §6.1), "
               "found=RSV1=1 on a continuation frame");
    }
}

void WsDirection::checkClose() {
    const std::size_t n = m_control.size();
    if (n == 0 || m_frameBroken) {
        return; // an empty body is legal: no status code (RFC 6455 §5.5.1)
    }
    if (n == 1) {
        report(AnomalyId::WsClosePayloadOneByte,
               fmt::format("expected=an empty body or a 2-byte status code (RFC 6455 §5.5.1), "
                           "found=1 byte 0x{:02X}",
                           static_cast<std::uint8_t>(m_control[0])));
        return;
    }
    const auto code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(m_control[0]) << 8) |
                                                 static_cast<std::uint8_t>(m_control[1]));
    if (!m_closeSent) { // the first Close is the one that counts (RFC 6455 §5.5.1)
        m_closeCode = code;
        m_closeReason = m_control.substr(2);
    }
    const std::string_view reason = std::string_view(m_control).substr(2);
    switch (closeCodeStatus(code)) {
    case CloseCodeStatus::Valid:
        break;
    case CloseCodeStatus::ReservedOnWire:
        report(AnomalyId::WsCloseCodeReservedOnWire,
               fmt::format("expected=a code an endpoint may send (RFC 6455 §7.4.1: 1005, 1006 "
                           "and 1015 are local pseudo codes), found={}",
                           code));
        break;
    case CloseCodeStatus::Invalid:
        report(AnomalyId::WsCloseCodeInvalid,
               fmt::format("expected=1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4), "
                           "found={}",
                           code));
        break;
    }
    if (m_frame.payloadLength <= m_control.size() && !isValidUtf8(asBytes(reason))) {
        report(AnomalyId::WsCloseReasonInvalidUtf8,
               fmt::format("expected=a UTF-8 close reason (RFC 6455 §5.5.1), found={} bytes "
                           "that are not UTF-8",
                           reason.size()));
    }
}

} // namespace wst
