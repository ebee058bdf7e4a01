// SPDX-License-Identifier: MIT
#include "decoder/pipeline/pipeline.h"

#include "capture/net/packet_decoder.h"
#include "capture/tcp/flow_table.h"
#include "decoder/analysis/analyzer.h"
#include "decoder/pipeline/analysis_thread.h"

#include <chrono>
#include <fmt/format.h>
#include <optional>
#include <stdexcept>

namespace wst {

namespace {

/// Live mode checks for idle connections at most this often (capture time).
constexpr std::int64_t kExpiryIntervalNs = 1'000'000'000;

/// Statuses that mean "a packet wstrace does not look at", not "a packet it could not read".
bool isForeignTraffic(DecodeStatus s) {
    return s == DecodeStatus::NotTcp || s == DecodeStatus::NotIp;
}

Timestamp wallClockNow() {
    // Only for idle expiry of a live capture, whose packet timestamps are wall-clock times too.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()};
}

} // namespace

Pipeline::Pipeline(PacketSource& source, TraceSink& sink, Options options)
    : m_source(source)
    , m_sink(sink)
    , m_options(std::move(options)) {}

void Pipeline::stop() {
    m_stop.store(true, std::memory_order_relaxed);
    m_source.requestStop();
}

CaptureStats Pipeline::run() {
    if (m_ran) {
        throw std::logic_error("Pipeline::run() called twice");
    }
    m_ran = true;

    Analyzer analyzer(m_sink, m_options.limits);
    std::optional<AnalysisThread> thread;
    if (m_options.analysisThread) {
        thread.emplace(analyzer, m_source.stableMemory());
    }
    FlowObserver& observer = thread ? static_cast<FlowObserver&>(*thread) : analyzer;
    FlowTable flows(observer, m_options.limits, m_source.stableMemory());

    CaptureStats stats;
    stats.source = m_source.describe();
    SegmentInfo last;
    std::uint64_t unknownLink = 0;
    std::uint32_t unknownLinkValue = 0;
    Timestamp lastExpiry;
    const std::uint64_t progressEvery =
        m_options.progressEveryPackets == 0 ? 1 : m_options.progressEveryPackets;

    RawPacket packet;
    // A stopped live source still delivers the packets that arrived before the stop (they sit
    // in the kernel's buffer) and then ends by itself, so a live run reads on to EndOfFile.
    while (m_options.live || !m_stop.load(std::memory_order_relaxed)) {
        const ReadStatus status = m_source.next(packet);
        if (status == ReadStatus::EndOfFile) {
            break;
        }
        if (status == ReadStatus::Error) {
            stats.error = m_source.errorMessage();
            break;
        }
        if (status == ReadStatus::Timeout) {
            if (m_options.live) {
                const Timestamp now = std::max(last.time, wallClockNow());
                flows.expireIdle(now);
                lastExpiry = now;
            }
            if (m_options.idle) {
                m_options.idle();
            }
            continue;
        }

        // Time order (issue 21): a packet older than the one before it takes that packet's
        // time, so no duration or latency computed from the trace is negative; both are named.
        if (packet.timeFractionInvalid) {
            const std::string detail =
                fmt::format("time={}.{:09} s (the sub-second field is a second or more)",
                            packet.time.ns / 1'000'000'000, packet.time.ns % 1'000'000'000);
            thread ? thread->onPacketAnomaly(packet, AnomalyId::CaptureTimestampInvalid, detail)
                   : analyzer.onPacketAnomaly(packet, AnomalyId::CaptureTimestampInvalid, detail);
        }
        if (stats.packets > 0 && packet.time < last.time) {
            const std::string detail =
                fmt::format("previous={} ns, found={} ns, back by {:.6f} s; taken as the "
                            "previous time",
                            last.time.ns, packet.time.ns, (last.time - packet.time) / 1e9);
            packet.time = last.time;
            thread ? thread->onPacketAnomaly(packet, AnomalyId::CaptureTimeBackwards, detail)
                   : analyzer.onPacketAnomaly(packet, AnomalyId::CaptureTimeBackwards, detail);
        }
        ++stats.packets;
        stats.bytes += packet.capturedLength;
        if (stats.packets == 1) {
            stats.first = packet.time;
        }
        stats.last = std::max(stats.last, packet.time);
        last = SegmentInfo{packet.number, packet.time};

        // A packet cut by the snap length is reported once; whatever TCP payload it still
        // carries goes on to the reassembler, which reports the missing tail as a gap.
        const bool snapped = packet.capturedLength < packet.originalLength;
        if (snapped) {
            thread ? thread->onTruncated(packet) : analyzer.onTruncated(packet);
        }
        const DecodedPacket decoded = decodePacket(packet);
        if (decoded.status == DecodeStatus::Ok) {
            ++stats.tcpPackets;
            flows.onSegment(decoded.tcp, last);
        } else if (!isForeignTraffic(decoded.status)) {
            ++stats.undecodable;
            if (decoded.status == DecodeStatus::UnknownLinkType) {
                ++unknownLink;
                unknownLinkValue = static_cast<std::uint32_t>(packet.linkType);
            }
            if (!(snapped && decoded.status == DecodeStatus::Truncated)) {
                thread ? thread->onUndecodable(packet, decoded)
                       : analyzer.onUndecodable(packet, decoded);
            }
        }

        if (m_options.live && packet.time - lastExpiry >= kExpiryIntervalNs) {
            flows.expireIdle(packet.time);
            lastExpiry = packet.time;
        }
        if (m_options.progress && stats.packets % progressEvery == 0) {
            m_options.progress(stats);
        }
    }

    if (stats.error.empty() && unknownLink > 0 && unknownLink == stats.packets) {
        // Nothing in the capture could be read at all: an input error, not an anomaly list.
        stats.error = fmt::format("{}: unsupported link type {}", stats.source, unknownLinkValue);
    }
    flows.finish(last);
    // Read once the loop has ended, so the numbers cover every packet the run saw.
    stats.kernel = m_source.counters();
    if (thread) {
        thread->drain();
    }
    if (m_options.progress) {
        m_options.progress(stats);
    }
    m_sink.onFinish(stats);
    return stats;
}

} // namespace wst
