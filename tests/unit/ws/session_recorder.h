// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/ws/ws_session.h"
#include "tests/unit/ws/ws_test_util.h"

#include <algorithm>
#include <string>
#include <vector>

namespace wst::test {

struct RecordedFrame {
    WsFrame frame;
    std::string controlPayload;
    std::string closeReason;
};

struct RecordedMessage {
    Message message;
    std::uint64_t offset = 0;
};

/// Keeps everything a WsSession reports, copied.
class SessionRecorder final : public WsObserver {
public:
    std::vector<RecordedFrame> frames;
    std::vector<RecordedMessage> messages;
    std::vector<Anomaly> anomalies;

    void onWsFrame(const WsFrame& f) override {
        RecordedFrame r{f, std::string(f.controlPayload.begin(), f.controlPayload.end()),
                        std::string(f.closeReason)};
        r.frame.controlPayload = {};
        r.frame.closeReason = {};
        frames.push_back(std::move(r));
    }
    void onWsMessage(const Message& m, std::uint64_t offset) override {
        messages.push_back({m, offset});
    }
    void onWsAnomaly(Anomaly&& a) override { anomalies.push_back(std::move(a)); }

    std::size_t count(AnomalyId id) const {
        return static_cast<std::size_t>(std::count_if(
            anomalies.begin(), anomalies.end(), [id](const Anomaly& a) { return a.id == id; }));
    }
    const Anomaly* find(AnomalyId id) const {
        for (const auto& a : anomalies) {
            if (a.id == id) {
                return &a;
            }
        }
        return nullptr;
    }
    std::string anomalyList() const {
        std::string s;
        for (const auto& a : anomalies) {
            s += std::to_string(static_cast<int>(a.id)) + ": " + a.detail + "\n";
        }
        return s;
    }
};

struct Step {
    Direction dir;
    Buf bytes;
    std::uint64_t gap = 0; ///< nonzero: `gap` bytes lost here instead of `bytes`
};

/// Feeds the steps (each direction's offsets continue), then finishes the session.
inline void run(WsSession& s, const std::vector<Step>& steps, bool finish = true) {
    std::uint64_t offsets[2] = {0, 0};
    PacketNumber packet = 1;
    for (const Step& st : steps) {
        if (st.gap > 0) {
            s.onGap(st.dir, offsets[index(st.dir)], st.gap,
                    {packet, Timestamp{static_cast<std::int64_t>(packet) * 1000}});
            offsets[index(st.dir)] += st.gap;
            ++packet;
            continue;
        }
        s.feed(st.dir, bytesOf(st.bytes), offsets[index(st.dir)],
               {packet, Timestamp{static_cast<std::int64_t>(packet) * 1000}});
        offsets[index(st.dir)] += st.bytes.size();
        ++packet;
    }
    if (finish) {
        s.finish({packet, Timestamp{static_cast<std::int64_t>(packet) * 1000}});
    }
}

} // namespace wst::test
