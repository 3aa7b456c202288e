// http::detail::Conn: the connection HTTP reads and writes, a plain
// net::Conn or a tls::Conn over one (Go's net.Conn interface, cut down to
// what the client and server use). The deadlines are the socket's either
// way (tls::Conn's are too); close() is the TLS one when there is TLS, so
// that close_notify goes out.
#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>

#include <gocxx/net/net.hpp>
#include <gocxx/tls/tls.hpp>

namespace gocxx::http::detail {

class Conn {
public:
    Conn() = default;
    Conn(net::Conn c) : raw_(std::move(c)) {}
    Conn(tls::Conn c) : raw_(c.net_conn()), tls_(std::move(c)) {}

    std::pair<std::size_t, Error> read(std::span<char> buf) const { return tls_ ? tls_.read(buf) : raw_.read(buf); }
    std::pair<std::size_t, Error> write(std::string_view data) const {
        return tls_ ? tls_.write(data) : raw_.write(data);
    }
    Error close() const { return tls_ ? tls_.close() : raw_.close(); }
    Error set_deadline(time::Time t) const { return raw_.set_deadline(t); }
    Error set_read_deadline(time::Time t) const { return raw_.set_read_deadline(t); }
    Error set_write_deadline(time::Time t) const { return raw_.set_write_deadline(t); }
    net::Addr remote_addr() const { return raw_.remote_addr(); }
    // The socket underneath, and the TLS connection (nil for plain HTTP).
    const net::Conn& net_conn() const noexcept { return raw_; }
    const tls::Conn& tls() const noexcept { return tls_; }

    explicit operator bool() const noexcept { return bool(raw_); }
    friend bool operator==(const Conn& a, const Conn& b) noexcept { return a.raw_ == b.raw_; }

private:
    net::Conn raw_;
    tls::Conn tls_;
};

}  // namespace gocxx::http::detail
