// SPDX-License-Identifier: MIT
// ClientRejectedUpgrade: a client that leaves without a frame after a 101 naming a subprotocol
// or an extension it never offered failed the connection; one that speaks WebSocket did not.
#include "decoder/analysis/deferred/client_rejected_upgrade.h"

#include <gtest/gtest.h>

namespace wst {
namespace {

TEST(ClientRejectedUpgrade, FiresWhenTheClientLeavesWithoutAFrame) {
    for (const AnomalyId id :
         {AnomalyId::WsHandshakeUnofferedSubprotocol, AnomalyId::WsHandshakeUnofferedExtension}) {
        ClientRejectedUpgrade p;
        p.onMismatch(id);
        const auto why = p.conclude(0, TcpEnd::Fin);
        ASSERT_TRUE(why) << anomalyName(id);
        EXPECT_NE(why->find(anomalyName(id)), std::string::npos) << *why;
        EXPECT_NE(why->find("closed TCP with FIN"), std::string::npos) << *why;
        EXPECT_NE(why->find("the server believes the connection upgraded"), std::string::npos);
        EXPECT_TRUE(p.conclude(0, TcpEnd::Rst));
    }
}

TEST(ClientRejectedUpgrade, NamesEveryMismatchOnce) {
    ClientRejectedUpgrade p;
    p.onMismatch(AnomalyId::WsHandshakeUnofferedSubprotocol);
    p.onMismatch(AnomalyId::WsHandshakeUnofferedExtension);
    p.onMismatch(AnomalyId::WsHandshakeUnofferedSubprotocol);
    const auto why = p.conclude(0, TcpEnd::Fin);
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("(ws_handshake_unoffered_subprotocol, ws_handshake_unoffered_extension)"),
              std::string::npos)
        << *why;
}

TEST(ClientRejectedUpgrade, SilentWhereTheClientWentOn) {
    ClientRejectedUpgrade p;
    p.onMismatch(AnomalyId::WsHandshakeUnofferedSubprotocol);
    EXPECT_FALSE(p.conclude(2, TcpEnd::Fin)) << "it sent frames: it accepted the 101 (gorilla)";
    EXPECT_FALSE(p.conclude(0, TcpEnd::None)) << "still open at the end of the capture";

    ClientRejectedUpgrade healthy; // a 101 without a mismatch, and other findings
    healthy.onMismatch(AnomalyId::WsHandshakeSubprotocolNotChosen);
    EXPECT_FALSE(healthy.conclude(0, TcpEnd::Fin));
}

} // namespace
} // namespace wst
