// sync.WaitGroup. state_ packs the counter (high 32 bits, signed) and the
// number of waiters (low 32 bits), as Go's does, so add() and done() are one
// atomic add unless they release waiters.
//
// Why no wake-up is lost: a waiter increments the waiter count with a CAS
// that also checks counter != 0, while holding lock_, and stays in the queue
// until the commit releases lock_. The add() that brings the counter to zero
// sees that waiter count and takes lock_ to empty the queue: it cannot get
// there before the waiter is in it.
//
// Lifetime (C++ has no GC to keep *this alive): the releasing add() stores
// state_ = 0 as its very last access to *this. Until then the waiter count is
// non-zero, and a wait() that finds counter 0 with waiters still counted
// yields until the release has finished instead of returning, so a caller
// that destroys the WaitGroup right after wait() returns cannot pull it from
// under the releaser. Released waiters return without touching *this.
#include <gocxx/sync/waitgroup.hpp>

#include <gocxx/panic.hpp>
#include <gocxx/runtime.hpp>

#include "park/park.hpp"

namespace gocxx::sync {

void WaitGroup::add(long delta) {
    const std::uint64_t d = static_cast<std::uint64_t>(static_cast<std::int64_t>(delta)) << 32;
    const std::uint64_t s = state_.fetch_add(d, std::memory_order_acq_rel) + d;
    const auto counter = static_cast<std::int32_t>(s >> 32);
    const auto waiters = static_cast<std::uint32_t>(s);
    if (counter < 0) {
        state_.fetch_sub(d, std::memory_order_relaxed);  // leave it as it was
        throw Panic("sync: negative WaitGroup counter");
    }
    if (counter > 0 || waiters == 0) return;
    // Counter reached zero with waiters: release them all.
    lock_.lock();
    detail::Waiter* wake = waiters_.dequeue_all();
    lock_.unlock();
    state_.store(0, std::memory_order_release);  // the last touch of *this; reusable from here
    detail::unpark_chain(wake);
}

void WaitGroup::wait() {
    for (;;) {
        std::uint64_t s = state_.load(std::memory_order_acquire);
        if ((s >> 32) == 0) {
            if (static_cast<std::uint32_t>(s) == 0) return;
            runtime::gosched();  // a release is still in flight (see above)
            continue;
        }
        lock_.lock();
        if (!state_.compare_exchange_strong(s, s + 1, std::memory_order_acq_rel)) {
            lock_.unlock();
            continue;
        }
        detail::Waiter& w = detail::own_waiter();
        detail::wait_in(waiters_, w, lock_, detail::WaitReason::WaitGroupWait);
        return;
    }
}

}  // namespace gocxx::sync
