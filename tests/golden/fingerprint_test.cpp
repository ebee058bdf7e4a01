// SPDX-License-Identifier: MIT
// Fingerprint narrowing on real captures (captures/README.md): what each server's later
// behaviour says about a 101 that gorilla/websocket and node ws write alike.
#include "tests/golden/support.h"

#include <gtest/gtest.h>
#include <string>

using namespace wst;
using namespace wst::golden;

namespace {

struct Expect {
    const char* capture;
    std::size_t connection; ///< index in the trace
    const char* fingerprint;
    const char* evidence; ///< a part of fingerprint_evidence
    bool serverIsGo;
};

const ResponseSummary* last101(const Connection& c) {
    const ResponseSummary* r = nullptr;
    for (const ResponseSummary& s : c.responses) {
        if (s.status == 101) {
            r = &s;
        }
    }
    return r;
}

} // namespace

TEST(FingerprintOnCaptures, NarrowedWhereTheWireSaysAndBothNamedWhereNot) {
    const Expect cases[] = {
        // gorilla's protocol-error Close text.
        {"frame-client-unmasked.pcap", 0, "gorilla/websocket", "says \"bad MASK\"", true},
        {"frame-close-1005.pcap", 0, "gorilla/websocket", "bad close code 1005", true},
        // The client's invalid UTF-8 was echoed, not failed with 1007.
        {"frame-invalid-utf8.pcap", 0, "gorilla/websocket", "did not make the server close with",
         true},
        // A Go-written 200 on the same connection before the 101.
        {"gin-200-then-101.pcapng", 0, "gorilla/websocket",
         "another answer on the connection is Go's", true},
        // Close 1000 without a reason answered with the code alone: both stacks write that.
        {"gin-healthy-echo.pcap", 0, "gorilla/websocket or node ws",
         "nothing the server did later tells them apart", false},
        // node ws' server sent the Close first (no reply of its own to compare) and FINned after
        // the client, as gorilla's can: it stays ambiguous.
        {"node-ws-ipv6.pcapng", 0, "gorilla/websocket or node ws",
         "nothing the server did later tells them apart", false},
    };
    for (const Expect& k : cases) {
        Trace store;
        ASSERT_EQ(runCapture(capturesDir() / k.capture, store), "") << k.capture;
        ASSERT_GT(store.connections.size(), k.connection) << k.capture;
        const Connection& c = store.connections[k.connection];
        const ResponseSummary* r = last101(c);
        ASSERT_NE(r, nullptr) << k.capture;
        EXPECT_EQ(r->fingerprint, k.fingerprint) << k.capture;
        EXPECT_NE(r->fingerprintEvidence.find(k.evidence), std::string::npos)
            << k.capture << ": " << r->fingerprintEvidence;
        EXPECT_EQ(c.serverIsGo, k.serverIsGo) << k.capture;
    }
}
