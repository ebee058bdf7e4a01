// SPDX-License-Identifier: MIT
#pragma once

// Private to decoder/analysis: routes WsSession's reports into the ConnectionAnalyzer.

#include "decoder/analysis/connection_analyzer.h"
#include "decoder/ws/ws_session.h"

namespace wst {

class ConnectionAnalyzer::SessionObserver final : public WsObserver {
public:
    explicit SessionObserver(ConnectionAnalyzer& analyzer)
        : m_analyzer(analyzer) {}
    void onWsFrame(const WsFrame& frame) override { m_analyzer.sessionFrame(frame); }
    void onWsMessage(const Message& message, std::uint64_t streamOffset) override {
        m_analyzer.sessionMessage(message, streamOffset);
    }
    void onWsAnomaly(Anomaly&& a) override { m_analyzer.report(std::move(a)); }

private:
    ConnectionAnalyzer& m_analyzer;
};

} // namespace wst
