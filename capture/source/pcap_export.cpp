// SPDX-License-Identifier: MIT
#include "pcap_export.h"

#include "net/packet_decoder.h"
#include "pcap_file_source.h"
#include "pcapng_writer.h"

namespace wst {

namespace {

bool selected(const ConnectionSelector& c, const TcpSegment& s, PacketNumber number) {
    if (number < c.firstPacket || number > c.lastPacket)
        return false;
    return (s.source == c.client && s.destination == c.server) ||
           (s.source == c.server && s.destination == c.client);
}

} // namespace

ExportResult exportConnections(const std::string& input, const std::string& output,
                               const std::vector<ConnectionSelector>& connections) {
    ExportResult result;
    PcapFileSource source(input);
    if (!source.isOpen()) {
        result.error = source.errorMessage();
        return result;
    }
    PcapngWriter writer(output);
    if (!writer.isOpen()) {
        result.error = writer.errorMessage();
        return result;
    }
    RawPacket packet;
    ReadStatus status;
    while ((status = source.next(packet)) == ReadStatus::Packet) {
        ++result.packetsRead;
        const DecodedPacket decoded = decodePacket(packet);
        if (decoded.status != DecodeStatus::Ok)
            continue;
        for (const ConnectionSelector& c : connections) {
            if (!selected(c, decoded.tcp, packet.number))
                continue;
            if (!writer.write(packet)) {
                result.error = writer.errorMessage();
                return result;
            }
            ++result.packetsWritten;
            break;
        }
    }
    if (status == ReadStatus::Error)
        result.error = source.errorMessage();
    if (!writer.finish() && result.error.empty())
        result.error = writer.errorMessage();
    return result;
}

} // namespace wst
