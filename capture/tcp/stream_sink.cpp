// SPDX-License-Identifier: MIT
#include "capture/tcp/stream_sink.h"

namespace wst {

const char* toString(CloseReason r) {
    switch (r) {
    case CloseReason::Fin:
        return "fin";
    case CloseReason::Rst:
        return "rst";
    case CloseReason::Timeout:
        return "timeout";
    case CloseReason::EndOfCapture:
        return "end_of_capture";
    case CloseReason::PeerReset:
        return "peer_reset";
    }
    return "unknown";
}

const char* toString(TcpNotice n) {
    switch (n) {
    case TcpNotice::PartialConnection:
        return "partial_connection";
    case TcpNotice::OverlapConflict:
        return "overlap_conflict";
    case TcpNotice::OverlapConflictLaterWins:
        return "overlap_conflict_later_wins";
    case TcpNotice::BufferLimitExceeded:
        return "buffer_limit_exceeded";
    case TcpNotice::DataAfterFin:
        return "data_after_fin";
    case TcpNotice::DataAfterRst:
        return "data_after_rst";
    case TcpNotice::SynAfterClose:
        return "syn_after_close";
    case TcpNotice::RstOutOfWindow:
        return "rst_out_of_window";
    case TcpNotice::FinOutOfWindow:
        return "fin_out_of_window";
    case TcpNotice::SynInConnection:
        return "syn_in_connection";
    case TcpNotice::ZeroWindow:
        return "zero_window";
    }
    return "unknown";
}

} // namespace wst
