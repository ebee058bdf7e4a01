// SPDX-License-Identifier: MIT
#pragma once

#include "decoder/model/trace_store.h"

namespace wst::test {

/// A small, fully specified trace: one upgraded connection with a text and a binary message
/// each way and a clean close, built through the TraceSink interface as the analyzer would.
Trace smallUpgradedTrace();

} // namespace wst::test
