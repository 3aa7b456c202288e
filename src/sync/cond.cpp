// sync.Cond: Go's notifyList. wait() takes a ticket under lk_ before it
// unlocks L, then parks unless its ticket has already been notified; signal
// wakes the holder of the oldest unnotified ticket (or, if that waiter has
// not parked yet, lets it return at once). So a signal that lands between
// L.unlock() and the park is never lost.
#include <gocxx/sync/cond.hpp>

#include "park/park.hpp"

namespace gocxx::sync {

namespace {
bool before(std::uint32_t a, std::uint32_t b) noexcept { return static_cast<std::int32_t>(a - b) < 0; }
}  // namespace

void Cond::wait() {
    lk_.lock();
    const std::uint32_t t = wait_++;
    lk_.unlock();
    unlock_(l_);
    lk_.lock();
    if (before(t, notify_)) {
        lk_.unlock();
    } else {
        detail::Waiter& w = detail::own_waiter();
        w.ticket = t;
        detail::wait_in(waiters_, w, lk_, detail::WaitReason::CondWait);
    }
    lock_(l_);
}

void Cond::signal() {
    lk_.lock();
    if (wait_ == notify_) {
        lk_.unlock();
        return;
    }
    const std::uint32_t t = notify_++;
    detail::Waiter* w = waiters_.remove_first([t](detail::Waiter* x) { return x->ticket == t; });
    const detail::Token who = w ? w->who : 0;
    lk_.unlock();
    if (w) detail::unpark(who);
}

void Cond::broadcast() {
    lk_.lock();
    notify_ = wait_;
    detail::Waiter* wake = waiters_.dequeue_all();
    lk_.unlock();
    detail::unpark_chain(wake);
}

}  // namespace gocxx::sync
