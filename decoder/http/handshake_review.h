// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/http/handshake_validator.h"
#include "decoder/model/trace.h"

#include <vector>

namespace wst {

/// The handshake checks of one connection as a person reads them: the request rules, then
/// the rules for the server's answer, then what only the whole connection shows. The request
/// and response checks are the validator's own (validateRequest / validateResponse), re-run
/// on the heads rebuilt from the captured summaries, so the GUI's handshake panel, the HTML
/// report and the analyzer's anomalies always agree. The connection checks are "Single
/// response" (fails with HijackTwoResponses when more than one final head was sent) and
/// "No data before the 101" (fails when WsHandshakeEarlyClientData is among `anomalies`).
/// The answer checked is the one the client acted on (responseActedOn: after "200 then 101"
/// the 200), else the last response. Empty when no request was captured.
std::vector<HandshakeCheck> reviewHandshake(const Connection& c,
                                            const std::vector<AnomalyId>& anomalies);

} // namespace wst
