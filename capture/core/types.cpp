// SPDX-License-Identifier: MIT
#include "capture/core/types.h"

#include <arpa/inet.h>
#include <fmt/format.h>

namespace wst {

std::string IpAddress::toString() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
    return buf;
}

std::string Endpoint::toString() const {
    return address.v6 ? fmt::format("[{}]:{}", address.toString(), port)
                      : fmt::format("{}:{}", address.toString(), port);
}

} // namespace wst
