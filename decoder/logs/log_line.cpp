// SPDX-License-Identifier: MIT
#include "decoder/logs/log_line.h"

namespace wst::logs {

std::string_view toString(LogSource s) {
    switch (s) {
    case LogSource::GinLogger:
        return "gin";
    case LogSource::GinDebug:
        return "gin-debug";
    case LogSource::GinRecovery:
        return "gin-recovery";
    case LogSource::GoHttp:
        return "go-http";
    case LogSource::Gorilla:
        return "gorilla";
    case LogSource::NginxAccess:
        return "nginx-access";
    case LogSource::NginxError:
        return "nginx-error";
    case LogSource::Json:
        return "json";
    case LogSource::Custom:
        return "custom";
    }
    return "custom";
}

std::string_view toString(LogKind k) {
    switch (k) {
    case LogKind::Info:
        return "info";
    case LogKind::Access:
        return "access";
    case LogKind::HijackedWrite:
        return "hijacked_write";
    case LogKind::HijackedWriteHeader:
        return "hijacked_write_header";
    case LogKind::SuperfluousWriteHeader:
        return "superfluous_write_header";
    case LogKind::StatusOverride:
        return "status_override";
    case LogKind::PanicRecovered:
        return "panic_recovered";
    case LogKind::PanicServing:
        return "panic_serving";
    case LogKind::UpgradeFailed:
        return "upgrade_failed";
    case LogKind::SessionEnded:
        return "session_ended";
    case LogKind::UpstreamClosed:
        return "upstream_closed";
    case LogKind::UpstreamTimeout:
        return "upstream_timeout";
    case LogKind::ProxyError:
        return "proxy_error";
    }
    return "info";
}

} // namespace wst::logs
