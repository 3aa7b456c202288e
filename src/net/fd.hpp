// NetFD: one socket under the netpoller (Go's netFD and internal/poll.FD).
//
// Ownership and lifetime: Conn and Listener hold a shared_ptr<NetFD>; the
// socket is closed by close() or, failing that, by the destructor of the
// last handle. The fd number is closed only when no operation is inside it:
// every operation holds a reference (`refs`, Go's fdMutex count) from start
// to end, close() sets kClosed and wakes the parked operations (evict), and
// whoever drops the last reference with kClosed set closes the fd. So a
// parked reader that wakes with ErrClosed never touches an fd number that
// another socket has been given meanwhile.
//
// Readers are serialised by rmu, writers by wmu (each direction's waiter slot
// holds one party at a time, sched/netpoll.hpp). Lock order: rmu, wmu before
// any runtime lock; neither is held by close().
#pragma once
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <gocxx/error.hpp>
#include <gocxx/net/net.hpp>
#include <gocxx/sync/mutex.hpp>
#include <gocxx/sync/waitgroup.hpp>

#include "sched/netpoll.hpp"

namespace gocxx::net::detail {

using gocxx::detail::PollDesc;
using gocxx::detail::PollMode;

struct NetFD {
    // fd: a non-blocking socket, registered with the netpoller (pd).
    NetFD(int fd, PollDesc* pd, std::string net) : sysfd(fd), pd(pd), net(std::move(net)) { destroyed_.add(1); }
    ~NetFD();
    NetFD(const NetFD&) = delete;
    NetFD& operator=(const NetFD&) = delete;

    const int sysfd;
    PollDesc* const pd;
    const std::string net;       // "tcp", "tcp4", "tcp6", "unix"
    Addr laddr, raddr;           // set before the NetFD is shared
    std::string unlink_on_close;  // a unix listener's socket file

    // An operation's reference: false (and no reference) once closed.
    bool incref() noexcept;
    void decref() noexcept;
    // Marks closed, wakes both directions, and waits (parks) until the last
    // operation has left and the fd is closed, as Go's Close does: once it
    // returns, the fd number is free and a unix listener's file is gone.
    // False if it was closed already.
    bool close() noexcept;

    std::pair<std::size_t, Error> read(std::span<char> buf);
    std::pair<std::size_t, Error> write(std::string_view data);
    // accept4, parking while none is pending; returns the new fd or -1 with
    // the error (not yet an OpError).
    std::pair<int, Error> accept(sockaddr_storage& sa, socklen_t& len);
    // Completes a non-blocking connect begun elsewhere; the caller may have
    // set a write deadline (the dial's).
    Error wait_connect();
    Error set_deadline(time::Time t, bool read, bool write);
    Error shutdown_write();

    // The OpError for `op` on this socket ("read tcp LOCAL->REMOTE: err").
    Error op_error(const char* op, Error err) const;

    sync::Mutex rmu, wmu;

private:
    void destroy() noexcept;
    static constexpr std::uint64_t kClosed = std::uint64_t(1) << 63;
    std::atomic<std::uint64_t> refs_{0};  // kClosed | operations in flight
    sync::WaitGroup destroyed_;           // done() by destroy(); close() waits for it
};

// The error a PollErr stands for.
Error poll_error(gocxx::detail::PollErr e);

}  // namespace gocxx::net::detail
