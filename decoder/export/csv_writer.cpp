// SPDX-License-Identifier: MIT
#include "decoder/export/csv_writer.h"

#include "decoder/export/json_fields.h"

#include <fmt/format.h>

namespace wst {

namespace {
constexpr std::string_view kFrameHeader =
    "connection,packet,time_ns,direction,opcode,fin,rsv1,rsv2,rsv3,masked,length,offset,rel_ns,"
    "source\r\n";
constexpr std::string_view kMessageHeader =
    "connection,first_packet,last_packet,first_ns,last_ns,direction,opcode,frames,wire_length,"
    "length,compressed,complete,payload_encoding,payload,payload_truncated,close_code,first_rel_ns,"
    "last_rel_ns,source\r\n";

int bit(std::uint8_t flags, std::uint8_t mask) {
    return (flags & mask) != 0 ? 1 : 0;
}
} // namespace

CsvWriter::CsvWriter(std::ostream& out, Rows rows)
    : m_out(out)
    , m_rows(rows) {
    m_out << (rows == Rows::Frames ? kFrameHeader : kMessageHeader);
}

std::string CsvWriter::quote(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(field);
    }
    std::string out;
    out.reserve(field.size() + 2);
    out += '"';
    for (char c : field) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

void CsvWriter::setSource(std::string source) {
    m_source = quote(source);
    m_start.reset();
}

std::int64_t CsvWriter::relative(Timestamp t) const {
    // After the run's first event, as the JSON's rel_ns: exact where epoch ns are not.
    return t.ns - m_start.value_or(t.ns);
}

void CsvWriter::onEvent(const Event& e, const Message* message, const Anomaly*) {
    if (!m_start) {
        m_start = e.time.ns;
    }
    if (m_rows == Rows::Frames) {
        if (e.kind != EventKind::WsFrame) {
            return;
        }
        m_out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", e.connection,
                             e.packet, e.time.ns, json::directionName(e.direction),
                             opcodeName(e.opcode), bit(e.frameFlags, frameflag::Fin),
                             bit(e.frameFlags, frameflag::Rsv1), bit(e.frameFlags, frameflag::Rsv2),
                             bit(e.frameFlags, frameflag::Rsv3), bit(e.frameFlags, frameflag::Mask),
                             e.length, e.streamOffset, relative(e.time), m_source);
        return;
    }
    // Data messages, and control frames (close, ping, pong) as the JSON's messages have them:
    // their WsFrame event carries the frame's payload.
    const bool control = e.kind == EventKind::WsFrame && e.opcode >= 0x8;
    if ((e.kind != EventKind::WsMessage && !control) || message == nullptr) {
        return;
    }
    const Message& m = *message;
    const Json payload = json::payload(m);
    std::string closeCode;
    if (m.opcode == 0x8 && m.payload.size() >= 2) {
        closeCode = std::to_string((static_cast<unsigned char>(m.payload[0]) << 8) |
                                   static_cast<unsigned char>(m.payload[1]));
    }
    m_out << fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", m.connection, m.firstPacket,
        m.lastPacket, m.first.ns, m.last.ns, json::directionName(m.direction), opcodeName(m.opcode),
        m.frames, m.wireLength, m.length, m.compressed ? 1 : 0, m.complete ? 1 : 0,
        payload["encoding"].get_ref<const std::string&>(),
        quote(payload["data"].get_ref<const std::string&>()), m.payload.size() < m.length ? 1 : 0,
        closeCode, relative(m.first), relative(m.last), m_source);
}

void CsvWriter::onFinish(const CaptureStats&) {
    m_out.flush();
}

} // namespace wst
