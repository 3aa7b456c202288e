// sync.Mutex and sync.RWMutex on the waiter layer.
//
// Mutex: an uncontended lock/unlock is one CAS on state_. A waiter sets
// kWaiters and enqueues itself under lk_, then parks with lk_ released by the
// commit; unlock, seeing kWaiters, takes lk_ and hands the mutex straight to
// the first waiter (state_ stays kLocked): FIFO, so no waiter starves (Go's
// starvation mode, always). No wake-up is lost because the unlocker can only
// look at the queue under lk_, after the waiter is in it.
//
// RWMutex: all state under lk_ (critical sections of a few instructions).
// A waiting writer holds back new readers; when a writer unlocks, the readers
// that queued behind it go first, then the next writer: neither side starves.
#include <gocxx/panic.hpp>
#include <gocxx/sync/mutex.hpp>

#include "park/park.hpp"
#include "base/futex.hpp"
#include "sched/panic.hpp"

namespace gocxx::sync {

void Mutex::lock_slow() {
    for (int i = 0; i < 32; ++i) {  // the holder may be about to unlock
        std::uint32_t s = state_.load(std::memory_order_relaxed);
        if (!(s & kLocked) &&
            state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire, std::memory_order_relaxed))
            return;
        detail::cpu_relax();
    }
    lk_.lock();
    for (;;) {
        std::uint32_t s = state_.load(std::memory_order_relaxed);
        if (!(s & kLocked)) {
            if (state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire, std::memory_order_relaxed)) {
                lk_.unlock();
                return;
            }
            continue;
        }
        if ((s & kWaiters) ||
            state_.compare_exchange_weak(s, s | kWaiters, std::memory_order_relaxed, std::memory_order_relaxed))
            break;
    }
    detail::Waiter& w = detail::own_waiter();
    detail::wait_in(waiters_, w, lk_, detail::WaitReason::MutexLock);
    // unlock() handed the mutex to us: state_ is still kLocked.
}

void Mutex::unlock_slow() {
    if (!(state_.load(std::memory_order_relaxed) & kLocked)) detail::fatal_error("sync: unlock of unlocked mutex");
    lk_.lock();
    detail::Waiter* w = waiters_.dequeue();
    if (!w) {
        state_.store(0, std::memory_order_release);
        lk_.unlock();
        return;
    }
    if (waiters_.empty()) state_.store(kLocked, std::memory_order_release);  // hand-off, no one else waits
    const detail::Token who = w->who;
    lk_.unlock();
    detail::unpark(who);
}


void RWMutex::lock() {
    lk_.lock();
    if (!writer_ && readers_ == 0 && writers_.empty()) {
        writer_ = true;
        lk_.unlock();
        return;
    }
    detail::Waiter& w = detail::own_waiter();
    detail::wait_in(writers_, w, lk_, detail::WaitReason::RWMutexLock);  // woken holding the write lock
}

bool RWMutex::try_lock() noexcept {
    lk_.lock();
    const bool ok = !writer_ && readers_ == 0;
    if (ok) writer_ = true;
    lk_.unlock();
    return ok;
}

void RWMutex::unlock() {
    lk_.lock();
    if (!writer_) {
        lk_.unlock();
        detail::fatal_error("sync: Unlock of unlocked RWMutex");
    }
    writer_ = false;
    detail::Waiter* wake = readers_q_.dequeue_all();  // readers that waited behind us go first
    for (detail::Waiter* r = wake; r; r = r->next) ++readers_;
    if (!wake) {
        if (detail::Waiter* w = writers_.dequeue()) {
            writer_ = true;
            w->next = nullptr;
            wake = w;
        }
    }
    lk_.unlock();
    detail::unpark_chain(wake);
}

void RWMutex::rlock() {
    lk_.lock();
    if (!writer_ && writers_.empty()) {
        ++readers_;
        lk_.unlock();
        return;
    }
    detail::Waiter& w = detail::own_waiter();
    detail::wait_in(readers_q_, w, lk_, detail::WaitReason::RWMutexRLock);  // woken holding a read lock
}

bool RWMutex::try_rlock() noexcept {
    lk_.lock();
    const bool ok = !writer_ && writers_.empty();
    if (ok) ++readers_;
    lk_.unlock();
    return ok;
}

void RWMutex::runlock() {
    lk_.lock();
    if (readers_ == 0) {
        lk_.unlock();
        detail::fatal_error("sync: RUnlock of unlocked RWMutex");
    }
    detail::Waiter* wake = nullptr;
    if (--readers_ == 0) {
        if ((wake = writers_.dequeue())) {
            writer_ = true;
            wake->next = nullptr;
        }
    }
    lk_.unlock();
    detail::unpark_chain(wake);
}

}  // namespace gocxx::sync
