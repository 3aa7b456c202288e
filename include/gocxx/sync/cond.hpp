// gocxx::sync::Cond: Go's sync.Cond, over any lock with lock()/unlock()
// (sync::Mutex, RWMutex, std::mutex, ...).
//
//   sync::Mutex mu;
//   sync::Cond cond(mu);
//   mu.lock(); while (!ready) cond.wait(); mu.unlock();
#pragma once
#include <cstdint>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/waiter.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::sync {

class Cond {
public:
    // The type-erased calls are out of the lock analysis: it cannot follow L
    // through a void* (wait() holds it on entry and on return, as it should).
    template <class L>
    explicit Cond(L& l) noexcept
        : l_(&l), lock_([](void* p) GOCXX_NO_THREAD_SAFETY_ANALYSIS { static_cast<L*>(p)->lock(); }),
          unlock_([](void* p) GOCXX_NO_THREAD_SAFETY_ANALYSIS { static_cast<L*>(p)->unlock(); }) {}
    Cond(const Cond&) = delete;
    Cond& operator=(const Cond&) = delete;

    // Unlocks L, waits for signal/broadcast, locks L again. The caller must
    // hold L. As in Go, re-check the condition in a loop.
    void wait();
    void signal();     // wakes one waiter, if any
    void broadcast();  // wakes them all

private:
    void* l_;
    void (*lock_)(void*);
    void (*unlock_)(void*);
    // Go's notifyList: wait takes a ticket before unlocking L, so a signal
    // between the unlock and the park is not lost.
    detail::Lock lk_;              // guards the fields below
    std::uint32_t wait_ GOCXX_GUARDED_BY(lk_) = 0;    // next ticket to hand out
    std::uint32_t notify_ GOCXX_GUARDED_BY(lk_) = 0;  // next ticket to wake
    detail::WaitQueue waiters_ GOCXX_GUARDED_BY(lk_);
};

}  // namespace gocxx::sync

GOCXX_API_END
