// gocxx::net: Go's net package for stream sockets (tcp, tcp4, tcp6, unix).
//
//   auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
//   go([ln] { for (;;) { auto [c, err] = ln.accept(); if (err) return; go([c] { serve(c); }); } });
//   auto [conn, err2] = net::dial("tcp", ln.addr().string());
//   auto [n, err3] = conn.write("hello");
//
// Every blocking operation parks the calling goroutine on the netpoller (a
// call in flight costs a goroutine, not a thread) and blocks a plain thread.
// Conn and Listener are copyable handles: copies share the socket, like
// Channel; the socket closes on close() or when the last handle goes. A
// default-constructed one is Go's nil. One Conn may be used from several
// goroutines at once: reads are serialised among themselves, and so are
// writes, while close() and the deadline setters may come from anywhere (a
// parked read wakes with an error).
//
// Errors read as Go's: "dial tcp 127.0.0.1:1: connect: connection refused",
// "read tcp 127.0.0.1:5000->127.0.0.1:41232: i/o timeout", "use of closed
// network connection". They are OpError values (errors::as<net::OpError>)
// wrapping the cause: errors::is(err, net::ErrClosed),
// errors::is(err, os::ErrDeadlineExceeded), net::is_timeout(err). End of
// stream is io::Eof, unwrapped, as in Go.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <gocxx/context/context.hpp>
#include <gocxx/error.hpp>
#include <gocxx/io/io.hpp>
#include <gocxx/os.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::net {

// Go's net.ErrClosed: "use of closed network connection".
inline const Error ErrClosed{"use of closed network connection"};

// Go's net.Error's Timeout(): a deadline passed (os::ErrDeadlineExceeded),
// a dial timed out, or a context deadline ended the operation.
bool is_timeout(const Error& err);

// A socket address: "127.0.0.1:8080", "[::1]:8080", or a unix socket's path.
class Addr {
public:
    Addr() = default;
    Addr(std::string network, std::string s) : network_(std::move(network)), s_(std::move(s)) {}
    const std::string& network() const noexcept { return network_; }
    const std::string& string() const noexcept { return s_; }
    friend bool operator==(const Addr&, const Addr&) = default;

private:
    std::string network_, s_;
};

// Go's net.OpError: what failed (op: "dial", "listen", "accept", "read",
// "write", "close"), on which network and addresses, and why (err).
struct OpError : ErrorBase {
    OpError(std::string op, std::string net, std::string source, std::string addr, Error err)
        : op(std::move(op)), net(std::move(net)), source(std::move(source)), addr(std::move(addr)), err(std::move(err)) {}
    std::string op, net;
    std::string source;  // the local address ("" if none)
    std::string addr;    // the remote address (for a listener, its own)
    Error err;
    std::string error() const override;
    Error unwrap() const override { return err; }
    bool timeout() const { return is_timeout(err); }
};

// Go's net.AddrError: "address nonsense: missing port in address".
struct AddrError : ErrorBase {
    AddrError(std::string err, std::string addr) : err(std::move(err)), addr(std::move(addr)) {}
    std::string err, addr;
    std::string error() const override;
};

// Go's net.UnknownNetworkError: "unknown network udp".
struct UnknownNetworkError : ErrorBase {
    explicit UnknownNetworkError(std::string net) : net(std::move(net)) {}
    std::string net;
    std::string error() const override { return "unknown network " + net; }
};

// Go's net.DNSError: "lookup nosuch.invalid: no such host".
struct DNSError : ErrorBase {
    DNSError(std::string err, std::string name) : err(std::move(err)), name(std::move(name)) {}
    std::string err, name;
    std::string error() const override { return "lookup " + name + ": " + err; }
};

namespace detail {
struct NetFD;
}

class Conn {
public:
    Conn() = default;
    Conn(std::nullptr_t) noexcept {}

    // Reads up to buf.size() bytes; parks until at least one is there.
    // {0, io::Eof} at the end of the stream; {0, nil} for an empty buf.
    std::pair<std::size_t, Error> read(std::span<char> buf) const;
    // Writes all of data, or fails (returning how much was written).
    std::pair<std::size_t, Error> write(std::string_view data) const;
    Error close() const;
    // Shuts down the writing side: the peer reads EOF; reading goes on.
    Error close_write() const;
    // Deadlines for the operations in progress and to come; time::Time{}
    // clears. A deadline that passes wakes the parked operation with
    // "i/o timeout" (os::ErrDeadlineExceeded).
    Error set_deadline(time::Time t) const;
    Error set_read_deadline(time::Time t) const;
    Error set_write_deadline(time::Time t) const;
    Addr local_addr() const;
    Addr remote_addr() const;
    // The socket's file descriptor (for setsockopt and the like; do not
    // close it or read from it behind the Conn's back). -1 for nil.
    int fd() const noexcept;

    explicit operator bool() const noexcept { return fd_ != nullptr; }
    friend bool operator==(const Conn& a, const Conn& b) noexcept { return a.fd_ == b.fd_; }
    friend bool operator==(const Conn& a, std::nullptr_t) noexcept { return a.fd_ == nullptr; }

    explicit Conn(std::shared_ptr<detail::NetFD> fd) noexcept : fd_(std::move(fd)) {}

private:
    std::shared_ptr<detail::NetFD> fd_;
};

class Listener {
public:
    Listener() = default;
    Listener(std::nullptr_t) noexcept {}

    // Parks until a connection comes. Fails with ErrClosed once closed, and
    // with the system's error (Go's "accept tcp [::]:80: accept4: too many
    // open files") when one cannot be taken: callers back off and retry.
    std::pair<Conn, Error> accept() const;
    Error close() const;
    Addr addr() const;
    int fd() const noexcept;

    explicit operator bool() const noexcept { return fd_ != nullptr; }
    friend bool operator==(const Listener& a, const Listener& b) noexcept { return a.fd_ == b.fd_; }
    friend bool operator==(const Listener& a, std::nullptr_t) noexcept { return a.fd_ == nullptr; }

    explicit Listener(std::shared_ptr<detail::NetFD> fd) noexcept : fd_(std::move(fd)) {}

private:
    std::shared_ptr<detail::NetFD> fd_;
};

// net.Dial: network "tcp", "tcp4", "tcp6" or "unix"; address "host:port"
// (a numeric host needs no resolver; a name is looked up with getaddrinfo
// in runtime::blocking, and its addresses are tried in order) or a path.
std::pair<Conn, Error> dial(std::string_view network, std::string_view address);
// The dial stops when ctx ends: "operation was canceled" (errors::is with
// context::Canceled) or "i/o timeout" for its deadline.
std::pair<Conn, Error> dial_context(const context::Context& ctx, std::string_view network, std::string_view address);
std::pair<Conn, Error> dial_timeout(std::string_view network, std::string_view address, time::Duration d);
template <class Rep, class Period>
std::pair<Conn, Error> dial_timeout(std::string_view network, std::string_view address,
                                    std::chrono::duration<Rep, Period> d) {
    return dial_timeout(network, address, time::to_duration(d));
}

// net.Listen: "127.0.0.1:0" picks a free port (ln.addr() tells which);
// ":8080" listens on every address (IPv6 and IPv4). For "unix", a path; the
// socket file is removed when the listener closes.
std::pair<Listener, Error> listen(std::string_view network, std::string_view address);

// net.SplitHostPort and net.JoinHostPort.
struct HostPort {
    std::string host, port;
};
std::pair<HostPort, Error> split_host_port(std::string_view hostport);
std::string join_host_port(std::string_view host, std::string_view port);

}  // namespace gocxx::net

GOCXX_API_END
