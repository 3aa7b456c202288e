#include "net/addr.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include <gocxx/runtime.hpp>

namespace gocxx::net {

std::string AddrError::error() const {
    if (addr.empty()) return err;
    return "address " + addr + ": " + err;
}

std::pair<HostPort, Error> split_host_port(std::string_view hp) {
    auto fail = [&](const char* why) { return std::pair<HostPort, Error>{HostPort{}, AddrError(why, std::string(hp))}; };
    const auto colon = hp.rfind(':');
    if (colon == std::string_view::npos) return fail("missing port in address");
    std::string_view host;
    std::size_t j = 0, k = 0;  // no '[' before j, no ']' before k (Go's SplitHostPort)
    if (hp[0] == '[') {
        const auto end = hp.find(']');
        if (end == std::string_view::npos) return fail("missing ']' in address");
        if (end + 1 == hp.size()) return fail("missing port in address");
        if (end + 1 != colon) {
            if (hp[end + 1] == ':') return fail("too many colons in address");
            return fail("missing port in address");
        }
        host = hp.substr(1, end - 1);
        j = 1;
        k = end + 1;
    } else {
        host = hp.substr(0, colon);
        if (host.find(':') != std::string_view::npos) return fail("too many colons in address");
    }
    if (hp.find('[', j) != std::string_view::npos) return fail("unexpected '[' in address");
    if (hp.find(']', k) != std::string_view::npos) return fail("unexpected ']' in address");
    return {HostPort{std::string(host), std::string(hp.substr(colon + 1))}, Error()};
}

// Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict, bug 105329)
// on "[" + std::string(host) + "]:" chains.
std::string join_host_port(std::string_view host, std::string_view port) {
    const bool v6 = host.find(':') != std::string_view::npos;
    std::string s;
    s.reserve(host.size() + port.size() + 3);
    if (v6) s += '[';
    s.append(host);
    if (v6) s += ']';
    s += ':';
    s.append(port);
    return s;
}

}  // namespace gocxx::net

namespace gocxx::net::detail {

bool network_family(std::string_view network, Family& out) noexcept {
    if (network == "tcp") out = Family::Any;
    else if (network == "tcp4") out = Family::V4;
    else if (network == "tcp6") out = Family::V6;
    else if (network == "unix") out = Family::Unix;
    else return false;
    return true;
}

std::string addr_string(const sockaddr_storage& ss, socklen_t len) {
    char buf[INET6_ADDRSTRLEN];
    switch (ss.ss_family) {
        case AF_INET: {
            const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
            ::inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
            return join_host_port(buf, std::to_string(ntohs(a.sin_port)));
        }
        case AF_INET6: {
            const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
            if (IN6_IS_ADDR_V4MAPPED(&a.sin6_addr)) {  // Go prints a v4-mapped address as IPv4
                ::inet_ntop(AF_INET, &a.sin6_addr.s6_addr[12], buf, sizeof buf);
                return join_host_port(buf, std::to_string(ntohs(a.sin6_port)));
            }
            ::inet_ntop(AF_INET6, &a.sin6_addr, buf, sizeof buf);
            return join_host_port(buf, std::to_string(ntohs(a.sin6_port)));
        }
        case AF_UNIX: {
            const auto& a = reinterpret_cast<const sockaddr_un&>(ss);
            const std::size_t off = offsetof(sockaddr_un, sun_path);
            if (len <= off) return "@";  // unnamed: Go shows it as "@" 
            std::size_t n = len - off;
            if (a.sun_path[0] == '\0') return std::string("@").append(a.sun_path + 1, n - 1);  // abstract
            return std::string(a.sun_path, ::strnlen(a.sun_path, n));
        }
        default: return "";
    }
}

std::pair<SockAddr, Error> unix_addr(std::string_view path) {
    SockAddr a;
    auto& un = reinterpret_cast<sockaddr_un&>(a.ss);
    if (path.size() >= sizeof un.sun_path) return {a, os::SyscallError("socket", ENAMETOOLONG)};
    un.sun_family = AF_UNIX;
    std::memcpy(un.sun_path, path.data(), path.size());
    a.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
    if (!path.empty() && path[0] == '@') un.sun_path[0] = '\0';  // abstract: no trailing NUL
    else a.len += 1;
    return {a, Error()};
}

namespace {

bool parse_port(std::string_view port, std::string_view network, int& out, Error& err) {
    if (port.empty()) {
        out = 0;
        return true;
    }
    long v = 0;
    bool neg = false;
    if (port[0] == '+' || port[0] == '-') {  // Go's parsePort takes a sign, then finds it out of range
        neg = port[0] == '-';
        port.remove_prefix(1);
    }
    const std::string_view shown = neg ? std::string_view(port.data() - 1, port.size() + 1) : port;
    if (port.empty()) {
        err = DNSError("unknown port", std::string(network) + "/" + std::string(shown));
        return false;
    }
    for (char c : port) {
        if (c < '0' || c > '9') {
            // Go looks up service names; the common ones are numeric anyway.
            if (port == "http") { out = 80; return true; }
            if (port == "https") { out = 443; return true; }
            err = DNSError("unknown port", std::string(network) + "/" + std::string(port));
            return false;
        }
        if (v <= 65535) v = v * 10 + (c - '0');
    }
    if (neg || v > 65535) {
        err = AddrError("invalid port", std::string(shown));
        return false;
    }
    out = static_cast<int>(v);
    return true;
}

SockAddr v4(const in_addr& ip, int port) {
    SockAddr a;
    auto& s = reinterpret_cast<sockaddr_in&>(a.ss);
    s.sin_family = AF_INET;
    s.sin_addr = ip;
    s.sin_port = htons(static_cast<std::uint16_t>(port));
    a.len = sizeof s;
    return a;
}

SockAddr v6(const in6_addr& ip, int port, std::uint32_t scope = 0) {
    SockAddr a;
    auto& s = reinterpret_cast<sockaddr_in6&>(a.ss);
    s.sin6_family = AF_INET6;
    s.sin6_addr = ip;
    s.sin6_port = htons(static_cast<std::uint16_t>(port));
    s.sin6_scope_id = scope;
    a.len = sizeof s;
    return a;
}

}  // namespace

std::pair<std::vector<SockAddr>, Error> resolve(std::string_view network, Family fam, std::string_view address,
                                                bool for_listen) {
    std::vector<SockAddr> out;
    auto [hp, err] = split_host_port(address);
    if (err) return {out, err};
    int port = 0;
    if (!parse_port(hp.port, network, port, err)) return {out, err};
    const std::string& host = hp.host;
    if (host.empty()) {
        if (for_listen) {
            // Every address: the IPv6 wildcard (dual-stack) for "tcp" and
            // "tcp6", the IPv4 one for "tcp4" (the caller falls back to IPv4
            // when IPv6 is missing).
            if (fam != Family::V4) out.push_back(v6(in6addr_any, port));
            if (fam != Family::V6) out.push_back(v4(in_addr{htonl(INADDR_ANY)}, port));
        } else {
            // Dialing ":80" dials the local system (Go: the loopback).
            if (fam != Family::V6) out.push_back(v4(in_addr{htonl(INADDR_LOOPBACK)}, port));
            if (fam != Family::V4) out.push_back(v6(in6addr_loopback, port));
        }
        return {out, Error()};
    }
    in_addr a4;
    in6_addr a6;
    if (::inet_pton(AF_INET, host.c_str(), &a4) == 1) {
        if (fam == Family::V6) return {out, AddrError("no suitable address found", host)};
        out.push_back(v4(a4, port));
        return {out, Error()};
    }
    std::string h6 = host;
    std::uint32_t scope = 0;
    if (const auto pct = h6.find('%'); pct != std::string::npos) {  // fe80::1%eth0
        scope = ::if_nametoindex(h6.c_str() + pct + 1);
        h6.resize(pct);
    }
    if (::inet_pton(AF_INET6, h6.c_str(), &a6) == 1) {
        if (fam == Family::V4) return {out, AddrError("no suitable address found", host)};
        out.push_back(v6(a6, port, scope));
        return {out, Error()};
    }
    // A name: getaddrinfo blocks (files, DNS), so the worker is handed over.
    addrinfo hints{};
    hints.ai_family = fam == Family::V4 ? AF_INET : fam == Family::V6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const int rc = runtime::blocking([&] { return ::getaddrinfo(host.c_str(), nullptr, &hints, &res); });
    if (rc != 0) {
        std::string text;
        if (rc == EAI_NONAME || rc == EAI_NODATA) text = "no such host";
        else if (rc == EAI_SYSTEM) text = os::errno_string(errno);
        else text = ::gai_strerror(rc);
        return {out, DNSError(text, host)};
    }
    for (addrinfo* p = res; p; p = p->ai_next) {
        if (p->ai_family == AF_INET) out.push_back(v4(reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, port));
        else if (p->ai_family == AF_INET6) {
            const auto* s = reinterpret_cast<sockaddr_in6*>(p->ai_addr);
            out.push_back(v6(s->sin6_addr, port, s->sin6_scope_id));
        }
    }
    ::freeaddrinfo(res);
    if (out.empty()) return {out, DNSError("no such host", host)};
    // Go prefers IPv4 for "tcp" (its dialer tries the first family first,
    // IPv4 by default on a dual-stack lookup of "localhost").
    if (fam == Family::Any) {
        std::stable_partition(out.begin(), out.end(), [](const SockAddr& a) { return a.family() == AF_INET; });
    }
    return {out, Error()};
}

}  // namespace gocxx::net::detail
