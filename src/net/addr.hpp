// Socket addresses: parsing "host:port" as Go does, resolving names, and
// converting between sockaddr and Go's address strings.
#pragma once
#include <sys/socket.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gocxx/error.hpp>
#include <gocxx/net/net.hpp>

namespace gocxx::net::detail {

enum class Family { Any, V4, V6, Unix };

// The family a network name asks for; false for an unknown network.
bool network_family(std::string_view network, Family& out) noexcept;

struct SockAddr {
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family() const noexcept { return ss.ss_family; }
};

// "127.0.0.1:80" -> "127.0.0.1:80", "[::1]:80" (Go's String of a TCPAddr);
// a unix socket's path (or "@name" for an abstract one).
std::string addr_string(const sockaddr_storage& ss, socklen_t len);

// The addresses to try for address on network (op: "dial" or "listen", for
// the errors), in order. Names go through getaddrinfo in runtime::blocking;
// numeric hosts and "" need none ("" means every address for listen, the
// loopback for dial, as in Go).
std::pair<std::vector<SockAddr>, Error> resolve(std::string_view network, Family fam, std::string_view address,
                                                bool for_listen);

// A unix socket address for path ("@name": Linux's abstract namespace).
std::pair<SockAddr, Error> unix_addr(std::string_view path);

}  // namespace gocxx::net::detail
