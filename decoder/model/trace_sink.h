// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

namespace wst {

/// Where the analyzer puts what it finds, in capture order. Implementations: TraceStore
/// (keeps everything, for the GUI and whole-trace exports) and streaming writers (JSONL, the
/// CLI summary) that keep only what they need, so memory does not grow with the capture.
/// All references are valid only during the call.
class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void onConnectionStart(const Connection& c) = 0;
    /// `message` is set for WsMessage and WsFrame-of-control events, `anomaly` for Anomaly.
    virtual void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) = 0;
    /// The summary changed (handshake seen, close seen, counts); cheap consumers may ignore it.
    virtual void onConnectionUpdate(const Connection&) {}
    /// Final summary; no more events for this connection.
    virtual void onConnectionEnd(const Connection& c) = 0;
    /// A capture-level anomaly (connection 0), e.g. an undecodable packet.
    virtual void onCaptureAnomaly(const Anomaly& a) = 0;
    virtual void onFinish(const CaptureStats& stats) = 0;
};

/// A TraceSink that keeps the whole trace in memory. Events of all connections are kept in
/// arrival order; `eventsOf` gives one connection's events.
class TraceStore final : public TraceSink {
public:
    std::vector<Connection> connections;                ///< index = id - 1
    std::vector<Event> events;                          ///< every event, capture order
    std::vector<std::vector<std::uint32_t>> eventIndex; ///< per connection: indices into events
    std::vector<Message> messages;
    std::vector<Anomaly> anomalies; ///< every anomaly, connection ones included
    CaptureStats stats;
    bool finished = false;

    const Connection* connection(ConnId id) const;

    void onConnectionStart(const Connection& c) override;
    void onEvent(const Event& e, const Message* message, const Anomaly* anomaly) override;
    void onConnectionUpdate(const Connection& c) override;
    void onConnectionEnd(const Connection& c) override;
    void onCaptureAnomaly(const Anomaly& a) override;
    void onFinish(const CaptureStats& stats) override;
};

} // namespace wst
