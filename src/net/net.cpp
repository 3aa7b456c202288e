// net.Dial, net.Listen and the Conn / Listener handles over NetFD.
#include <gocxx/net/net.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include <gocxx/errors.hpp>
#include <gocxx/sync/once.hpp>

#include "net/addr.hpp"
#include "net/fd.hpp"

namespace gocxx::net {

using detail::Family;
using detail::NetFD;
using detail::SockAddr;

namespace {

// Go's net.errTimeout and errCanceled: what a dial reports when its deadline
// or its context ends it (errors::is sees the context's error through them).
struct TimeoutError : ErrorBase {
    std::string error() const override { return "i/o timeout"; }
    bool is(const Error& t) const override { return t == context::DeadlineExceeded; }
};
struct CanceledError : ErrorBase {
    std::string error() const override { return "operation was canceled"; }
    bool is(const Error& t) const override { return t == context::Canceled; }
};
// Built on first use: a static constructor may dial.
const Error& err_timeout() {
    static const Error e{TimeoutError()};
    return e;
}
const Error& err_canceled() {
    static const Error e{CanceledError()};
    return e;
}

Error einval() { return os::SyscallError("", EINVAL); }

Addr sock_name(int fd, const std::string& net, bool peer) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                        : ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (rc != 0) return Addr(net, "");
    return Addr(net, detail::addr_string(ss, len));
}

// The netpoller, made by the first socket. Making it grows the kernel's
// descriptor table, an RCU grace period (netpoll.cpp): milliseconds asleep
// in the kernel. Goroutines that open sockets meanwhile park on the Once
// rather than sleep in a function-local static's guard, a futex that the
// monitor took for blocked calls and covered with loans (a burst of 1,000
// dials started with 60-170 threads).
gocxx::detail::Netpoll& netpoll() {
    if (gocxx::detail::Netpoll* np = gocxx::detail::Netpoll::if_inited()) return *np;
    static constinit sync::Once once;  // constant-initialised: usable from a static constructor
    once.call([] { gocxx::detail::Netpoll::get(); });
    return gocxx::detail::Netpoll::get();
}

// A new non-blocking socket under the netpoller, or the error.
std::pair<std::shared_ptr<NetFD>, Error> new_fd(int s, const std::string& net) {
    gocxx::detail::PollDesc* pd = netpoll().open(s);
    if (!pd) {
        const int e = errno;
        ::close(s);
        return {nullptr, os::SyscallError("epoll_ctl", e)};
    }
    try {
        return {std::make_shared<NetFD>(s, pd, net), Error()};
    } catch (...) {
        netpoll().close(pd);
        ::close(s);
        throw;
    }
}

void set_nodelay(int s) {
    int one = 1;
    ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Go's listener backlog: the system's somaxconn (read once).
int listen_backlog() {
    static const int n = [] {
        int v = 4096;
        if (FILE* f = std::fopen("/proc/sys/net/core/somaxconn", "r")) {
            if (std::fscanf(f, "%d", &v) != 1 || v <= 0) v = 4096;
            std::fclose(f);
        }
        return v > 65535 ? 65535 : v;
    }();
    return n;
}

struct DialOpts {
    const context::Context* ctx = nullptr;
    time::Time deadline{};  // Time{}: none
};

// One connect attempt to sa. The error is the OpError's cause.
std::pair<Conn, Error> connect_one(const std::string& net, const SockAddr& sa, const DialOpts& o) {
    const int s = ::socket(sa.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) return {Conn(), os::SyscallError("socket", errno)};
    if (sa.family() != AF_UNIX) set_nodelay(s);
    int rc;
    do {
        rc = ::connect(s, reinterpret_cast<const sockaddr*>(&sa.ss), sa.len);
    } while (rc != 0 && errno == EINTR);
    // A unix socket's full backlog is EAGAIN, an error as in Go (nothing is
    // in progress to wait for).
    if (rc != 0 && errno != EINPROGRESS) {
        const int e = errno;
        ::close(s);
        return {Conn(), os::SyscallError("connect", e)};
    }
    const bool pending = rc != 0;
    auto [fd, err] = new_fd(s, net);
    if (err) return {Conn(), err};
    if (pending) {
        if (o.deadline != time::Time{}) fd->set_deadline(o.deadline, false, true);
        // The context ends the wait the way Go's does: by a deadline long past.
        std::function<bool()> stop;
        if (o.ctx && o.ctx->done() != nullptr)
            stop = context::after_func(*o.ctx, [fd = fd] { fd->set_deadline(time::Time(std::chrono::nanoseconds(1)), false, true); });
        err = fd->wait_connect();
        if (stop) stop();
        if (err == os::ErrDeadlineExceeded) err = o.ctx && o.ctx->err() == context::Canceled ? err_canceled() : err_timeout();
        if (err) {
            fd->close();
            return {Conn(), err};
        }
        fd->set_deadline(time::Time{}, false, true);
    }
    fd->laddr = sock_name(s, net, false);
    fd->raddr = sock_name(s, net, true);
    if (fd->raddr.string().empty()) fd->raddr = Addr(net, detail::addr_string(sa.ss, sa.len));
    return {Conn(std::move(fd)), Error()};
}

std::pair<Conn, Error> dial_impl(std::string_view network, std::string_view address, const DialOpts& o) {
    const std::string net(network);
    Family fam;
    if (!detail::network_family(network, fam)) return {Conn(), OpError("dial", net, "", "", UnknownNetworkError(net))};
    if (address.empty()) return {Conn(), OpError("dial", net, "", "", Error("missing address"))};
    if (o.ctx) {
        if (Error e = o.ctx->err()) return {Conn(), OpError("dial", net, "", std::string(address), e == context::Canceled ? err_canceled() : err_timeout())};
    }
    if (o.deadline != time::Time{} && o.deadline <= time::now())
        return {Conn(), OpError("dial", net, "", std::string(address), err_timeout())};
    std::vector<SockAddr> addrs;
    if (fam == Family::Unix) {
        auto [sa, err] = detail::unix_addr(address);
        if (err) return {Conn(), OpError("dial", net, "", std::string(address), err)};
        addrs.push_back(sa);
    } else {
        auto [list, err] = detail::resolve(network, fam, address, false);
        if (err) return {Conn(), OpError("dial", net, "", "", err)};
        addrs = std::move(list);
    }
    Error first;
    std::string first_addr;
    for (const SockAddr& sa : addrs) {
        auto [c, err] = connect_one(net, sa, o);
        if (!err) return {c, Error()};
        if (!first) {
            first = err;
            first_addr = detail::addr_string(sa.ss, sa.len);
        }
        if (err == err_timeout() || err == err_canceled()) break;  // the whole dial's time is up
    }
    return {Conn(), OpError("dial", net, "", first_addr, first)};
}

}  // namespace

// ---- errors ---------------------------------------------------------------


bool is_timeout(const Error& err) {
    return errors::is(err, os::ErrDeadlineExceeded) || errors::is(err, context::DeadlineExceeded);
}

std::string OpError::error() const {
    std::string s = op;
    if (!net.empty()) s += " " + net;
    if (!source.empty()) s += " " + source;
    if (!addr.empty()) s += (source.empty() ? " " : "->") + addr;
    return s + ": " + err.message();
}

// ---- dial and listen --------------------------------------------------------

std::pair<Conn, Error> dial(std::string_view network, std::string_view address) {
    return dial_impl(network, address, DialOpts{});
}

std::pair<Conn, Error> dial_context(const context::Context& ctx, std::string_view network, std::string_view address) {
    DialOpts o;
    o.ctx = &ctx;
    if (auto [d, ok] = ctx.deadline(); ok) o.deadline = d;
    return dial_impl(network, address, o);
}

std::pair<Conn, Error> dial_timeout(std::string_view network, std::string_view address, time::Duration d) {
    DialOpts o;
    if (d != time::Duration::zero()) o.deadline = time::add(time::now(), d);  // Go: zero is no timeout
    return dial_impl(network, address, o);
}

std::pair<Listener, Error> listen(std::string_view network, std::string_view address) {
    const std::string net(network);
    Family fam;
    if (!detail::network_family(network, fam)) return {Listener(), OpError("listen", net, "", "", UnknownNetworkError(net))};
    std::vector<SockAddr> addrs;
    std::string shown(address);  // the address in errors
    if (fam == Family::Unix) {
        auto [sa, err] = detail::unix_addr(address);
        if (err) return {Listener(), OpError("listen", net, "", shown, err)};
        addrs.push_back(sa);
    } else {
        auto [list, err] = detail::resolve(network, fam, address, true);
        if (err) return {Listener(), OpError("listen", net, "", "", err)};
        addrs = std::move(list);
    }
    Error first;
    for (const SockAddr& sa : addrs) {
        const int s = ::socket(sa.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (s < 0) {
            if (!first) first = os::SyscallError("socket", errno);
            continue;  // no IPv6 here: the IPv4 wildcard comes next
        }
        int one = 1, zero = 0;
        if (sa.family() != AF_UNIX) ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (sa.family() == AF_INET6 && fam == Family::Any) ::setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (::bind(s, reinterpret_cast<const sockaddr*>(&sa.ss), sa.len) != 0) {
            const Error e = os::SyscallError("bind", errno);
            ::close(s);
            if (!first) first = e;
            break;
        }
        if (::listen(s, listen_backlog()) != 0) {
            const Error e = os::SyscallError("listen", errno);
            ::close(s);
            if (!first) first = e;
            break;
        }
        auto [fd, err] = new_fd(s, net);
        if (err) return {Listener(), OpError("listen", net, "", shown, err)};
        fd->laddr = sock_name(s, net, false);
        if (fam == Family::Unix && !address.empty() && address[0] != '@') fd->unlink_on_close = std::string(address);
        return {Listener(std::move(fd)), Error()};
    }
    return {Listener(), OpError("listen", net, "", shown, first)};
}

// ---- Listener -------------------------------------------------------------

std::pair<Conn, Error> Listener::accept() const {
    if (!fd_) return {Conn(), einval()};
    sockaddr_storage sa{};
    socklen_t len = 0;
    auto [s, err] = fd_->accept(sa, len);
    if (err) return {Conn(), OpError("accept", fd_->net, "", fd_->laddr.string(), err)};
    if (sa.ss_family != AF_UNIX) set_nodelay(s);
    auto [fd, e2] = new_fd(s, fd_->net);
    if (e2) return {Conn(), OpError("accept", fd_->net, "", fd_->laddr.string(), e2)};
    fd->laddr = sock_name(s, fd_->net, false);
    fd->raddr = Addr(fd_->net, detail::addr_string(sa, len));
    return {Conn(std::move(fd)), Error()};
}

Error Listener::close() const {
    if (!fd_) return einval();
    if (!fd_->close()) return OpError("close", fd_->net, "", fd_->laddr.string(), ErrClosed);
    return Error();
}

Addr Listener::addr() const { return fd_ ? fd_->laddr : Addr(); }
int Listener::fd() const noexcept { return fd_ ? fd_->sysfd : -1; }

// ---- Conn -----------------------------------------------------------------

std::pair<std::size_t, Error> Conn::read(std::span<char> buf) const {
    if (!fd_) return {0, einval()};
    auto [n, err] = fd_->read(buf);
    if (err && err != io::Eof) err = fd_->op_error("read", err);
    return {n, err};
}

std::pair<std::size_t, Error> Conn::write(std::string_view data) const {
    if (!fd_) return {0, einval()};
    auto [n, err] = fd_->write(data);
    if (err) err = fd_->op_error("write", err);
    return {n, err};
}

Error Conn::close() const {
    if (!fd_) return einval();
    if (!fd_->close()) return fd_->op_error("close", ErrClosed);
    return Error();
}

Error Conn::close_write() const {
    if (!fd_) return einval();
    if (Error e = fd_->shutdown_write()) return fd_->op_error("close", e);
    return Error();
}

Error Conn::set_deadline(time::Time t) const {
    if (!fd_) return einval();
    if (Error e = fd_->set_deadline(t, true, true)) return OpError("set", fd_->net, "", fd_->laddr.string(), e);
    return Error();
}

Error Conn::set_read_deadline(time::Time t) const {
    if (!fd_) return einval();
    if (Error e = fd_->set_deadline(t, true, false)) return OpError("set", fd_->net, "", fd_->laddr.string(), e);
    return Error();
}

Error Conn::set_write_deadline(time::Time t) const {
    if (!fd_) return einval();
    if (Error e = fd_->set_deadline(t, false, true)) return OpError("set", fd_->net, "", fd_->laddr.string(), e);
    return Error();
}

Addr Conn::local_addr() const { return fd_ ? fd_->laddr : Addr(); }
Addr Conn::remote_addr() const { return fd_ ? fd_->raddr : Addr(); }
int Conn::fd() const noexcept { return fd_ ? fd_->sysfd : -1; }

}  // namespace gocxx::net
