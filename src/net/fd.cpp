#include "net/fd.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "park/netpoll_wait.hpp"

namespace gocxx::net::detail {

using gocxx::detail::Netpoll;
using gocxx::detail::PollErr;
using gocxx::detail::poll_prepare;
using gocxx::detail::poll_wait;

namespace {
// An operation's reference, dropped on every way out.
struct Ref {
    NetFD* fd;
    ~Ref() { fd->decref(); }
};
}  // namespace

Error poll_error(PollErr e) {
    switch (e) {
        case PollErr::None: return Error();
        case PollErr::Closing: return ErrClosed;
        case PollErr::Timeout: return os::ErrDeadlineExceeded;
    }
    return Error();
}

NetFD::~NetFD() {
    close();  // the last handle went without close(): no operation is inside
}

bool NetFD::incref() noexcept {
    std::uint64_t v = refs_.load(std::memory_order_relaxed);
    do {
        if (v & kClosed) return false;
    } while (!refs_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_relaxed));
    return true;
}

void NetFD::decref() noexcept {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == (kClosed | 1)) destroy();
}

bool NetFD::close() noexcept {
    std::uint64_t v = refs_.load(std::memory_order_relaxed);
    do {
        if (v & kClosed) return false;
    } while (!refs_.compare_exchange_weak(v, v | kClosed, std::memory_order_acq_rel, std::memory_order_relaxed));
    Netpoll::get().evict(pd);  // parked operations wake with Closing and drop their references
    if (v == 0) destroy();     // none in flight: ours was the last word
    else destroyed_.wait();    // the last of them destroys
    return true;
}

void NetFD::destroy() noexcept {
    Netpoll::get().close(pd);
    ::close(sysfd);
    if (!unlink_on_close.empty()) ::unlink(unlink_on_close.c_str());
    destroyed_.done();
}

Error NetFD::op_error(const char* op, Error err) const {
    return OpError(op, net, laddr.string(), raddr.string(), std::move(err));
}

std::pair<std::size_t, Error> NetFD::read(std::span<char> buf) {
    std::lock_guard<sync::Mutex> guard(rmu);
    if (!incref()) return {0, ErrClosed};
    Ref ref{this};
    if (PollErr e = poll_prepare(pd, PollMode::Read); e != PollErr::None) return {0, poll_error(e)};
    if (buf.empty()) return {0, Error()};
    for (;;) {
        const ssize_t n = ::read(sysfd, buf.data(), buf.size());
        if (n > 0) return {static_cast<std::size_t>(n), Error()};
        if (n == 0) return {0, io::Eof};
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (PollErr e = poll_wait(pd, PollMode::Read); e != PollErr::None) return {0, poll_error(e)};
            continue;
        }
        return {0, os::SyscallError("read", errno)};
    }
}

std::pair<std::size_t, Error> NetFD::write(std::string_view data) {
    std::lock_guard<sync::Mutex> guard(wmu);
    if (!incref()) return {0, ErrClosed};
    Ref ref{this};
    if (PollErr e = poll_prepare(pd, PollMode::Write); e != PollErr::None) return {0, poll_error(e)};
    std::size_t done = 0;
    while (done < data.size()) {
        // MSG_NOSIGNAL: a peer that went away is EPIPE, not SIGPIPE (Go too
        // ignores SIGPIPE on sockets).
        const ssize_t n = ::send(sysfd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (PollErr e = poll_wait(pd, PollMode::Write); e != PollErr::None) return {done, poll_error(e)};
            continue;
        }
        return {done, os::SyscallError("write", errno)};
    }
    return {done, Error()};
}

std::pair<int, Error> NetFD::accept(sockaddr_storage& sa, socklen_t& len) {
    std::lock_guard<sync::Mutex> guard(rmu);
    if (!incref()) return {-1, ErrClosed};
    Ref ref{this};
    if (PollErr e = poll_prepare(pd, PollMode::Read); e != PollErr::None) return {-1, poll_error(e)};
    for (;;) {
        len = sizeof sa;
        const int s = ::accept4(sysfd, reinterpret_cast<sockaddr*>(&sa), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (s >= 0) return {s, Error()};
        // Go retries these: the connection went away before we took it.
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EAGAIN) {
            if (PollErr e = poll_wait(pd, PollMode::Read); e != PollErr::None) return {-1, poll_error(e)};
            continue;
        }
        return {-1, os::SyscallError("accept4", errno)};
    }
}

Error NetFD::wait_connect() {
    if (!incref()) return ErrClosed;
    Ref ref{this};
    for (;;) {
        // Writable means connected or failed; SO_ERROR tells which.
        if (PollErr e = poll_wait(pd, PollMode::Write); e != PollErr::None) return poll_error(e);
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(sysfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return os::SyscallError("getsockopt", errno);
        if (err == 0) {
            // SO_ERROR is 0 while the connect is still in progress too (a
            // stale readiness woke us: a reused PollDesc): connected only
            // if there is a peer (Go's netFD.connect does the same).
            sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            if (::getpeername(sysfd, reinterpret_cast<sockaddr*>(&ss), &sl) == 0) return Error();
            if (errno != ENOTCONN) return os::SyscallError("getpeername", errno);
            continue;
        }
        if (err != EINPROGRESS && err != EALREADY && err != EINTR) return os::SyscallError("connect", err);
    }
}

Error NetFD::set_deadline(time::Time t, bool read, bool write) {
    if (!incref()) return ErrClosed;
    Ref ref{this};
    std::int64_t ns = 0;
    if (t != time::Time{}) {
        ns = gocxx::detail::to_ns(t);
        if (ns <= 0) ns = 1;  // a time at or before the clock's epoch: long past
    }
    if (read) Netpoll::get().set_deadline(pd, PollMode::Read, ns);
    if (write) Netpoll::get().set_deadline(pd, PollMode::Write, ns);
    return Error();
}

Error NetFD::shutdown_write() {
    if (!incref()) return ErrClosed;
    Ref ref{this};
    if (::shutdown(sysfd, SHUT_WR) != 0) return os::SyscallError("shutdown", errno);
    return Error();
}

}  // namespace gocxx::net::detail
