// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace.h"

namespace wst {

/// Where the analyzer puts what it finds, in capture order. Implementations: Trace
/// (decoder/model/trace_store.h: keeps everything, for the GUI and whole-trace exports) and
/// streaming writers (JSONL, the CLI summary) that keep only what they need, so memory does not
/// grow with the capture. All references are valid only during the call.
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

} // namespace wst
