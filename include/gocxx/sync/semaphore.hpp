// gocxx::sync::Semaphore: the weighted semaphore of golang.org/x/sync/semaphore.
//
// FIFO: a large request at the head of the queue holds back smaller ones
// behind it. acquire(ctx, n) returns the context's error when the context is
// done first and leaves the semaphore as it was; a request larger than the
// capacity waits until the context is done.
#pragma once
#include <cstdint>
#include <vector>

#include <gocxx/context/context.hpp>
#include <gocxx/detail/lock.hpp>
#include <gocxx/error.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::sync {

namespace detail { struct SemWaiter; }

class Semaphore {
public:
    explicit Semaphore(std::int64_t n) : size_(n) {}
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    // Blocks until n can be had (forever if n exceeds the capacity).
    void acquire(std::int64_t n = 1);
    // Blocks until n can be had or ctx is done; returns nil or ctx.err().
    Error acquire(const context::Context& ctx, std::int64_t n = 1);
    bool try_acquire(std::int64_t n = 1);
    // Panic("semaphore: released more than held") if n exceeds what is held.
    void release(std::int64_t n = 1);

private:
    void notify_waiters_locked(std::vector<Channel<Unit>>& wake) GOCXX_REQUIRES(lk_);
    const std::int64_t size_;
    gocxx::detail::Lock lk_;       // guards the fields below
    std::int64_t cur_ GOCXX_GUARDED_BY(lk_) = 0;
    detail::SemWaiter* head_ GOCXX_GUARDED_BY(lk_) = nullptr;
    detail::SemWaiter* tail_ GOCXX_GUARDED_BY(lk_) = nullptr;
};

}  // namespace gocxx::sync

GOCXX_API_END
