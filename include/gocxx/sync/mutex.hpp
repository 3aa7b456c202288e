// gocxx::sync::Mutex and RWMutex: Go's sync.Mutex and sync.RWMutex.
//
// Both park a goroutine (or block a plain thread) while they wait, and work
// with std::lock_guard, std::unique_lock and (RWMutex) std::shared_lock. As in
// Go, a Mutex may be unlocked by another goroutine than the one that locked
// it, and an RWMutex that has a writer waiting holds back new readers.
// Unlocking an unlocked mutex throws Panic with Go's message.
//
// Both are capabilities for clang's thread safety analysis
// (gocxx/detail/thread_annotations.hpp): a program built with clang and
// -Wthread-safety may mark its fields GOCXX_GUARDED_BY(mu). std::lock_guard
// is not annotated in libstdc++; detail::LockGuard is.
#pragma once
#include <atomic>
#include <cstdint>

#include <gocxx/detail/dependent_false.hpp>
#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/thread_annotations.hpp>
#include <gocxx/detail/waiter.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::sync {

class GOCXX_CAPABILITY("mutex") Mutex {
public:
    Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    void lock() GOCXX_ACQUIRE() {
        std::uint32_t free = 0;
        if (!state_.compare_exchange_strong(free, kLocked, std::memory_order_acquire, std::memory_order_relaxed))
            lock_slow();
    }
    bool try_lock() noexcept GOCXX_TRY_ACQUIRE(true) {
        std::uint32_t free = 0;
        return state_.compare_exchange_strong(free, kLocked, std::memory_order_acquire, std::memory_order_relaxed);
    }
    // If not locked: Go's fatal error "fatal error: sync: unlock of unlocked
    // mutex", a goroutine dump and exit status 2 (not an exception: Go's
    // recover cannot catch it either).
    void unlock() GOCXX_RELEASE() {
        std::uint32_t held = kLocked;
        if (!state_.compare_exchange_strong(held, 0, std::memory_order_release, std::memory_order_relaxed))
            unlock_slow();
    }

    // On a const Mutex (a lambda's by-value capture [mu] / [=]): the reason first.
#define GOCXX_MUTEX_CONST_                                                                      \
    "gocxx::sync::Mutex cannot be copied (Go: a Mutex must not be copied after first use), " \
    "and this one is const, as a lambda's by-value capture [mu] / [=] is: capture it by "    \
    "reference ([&mu]) or hold it in a std::shared_ptr<Mutex>"
    template <class M = Mutex>
    void lock() const { static_assert(detail::dependent_false<M>, GOCXX_MUTEX_CONST_); }
    template <class M = Mutex>
    bool try_lock() const { static_assert(detail::dependent_false<M>, GOCXX_MUTEX_CONST_); return false; }
    template <class M = Mutex>
    void unlock() const { static_assert(detail::dependent_false<M>, GOCXX_MUTEX_CONST_); }
#undef GOCXX_MUTEX_CONST_

private:
    static constexpr std::uint32_t kLocked = 1, kWaiters = 2;
    void lock_slow();
    void unlock_slow();
    // kLocked | kWaiters. kWaiters is set only under lk_, with waiters_ non-empty.
    std::atomic<std::uint32_t> state_{0};
    detail::Lock lk_;            // guards waiters_ and transitions involving kWaiters
    detail::WaitQueue waiters_ GOCXX_GUARDED_BY(lk_);
};

class RWMutex;

// What RWMutex::rlocker() returns: Go's rlocker, a Locker whose lock() and
// unlock() are the RWMutex's rlock() and runlock() (for a Cond of readers,
// or std::lock_guard).
// A capability of its own for the lock annotations: holding it is holding
// its RWMutex for reading, which clang cannot see through the pointer.
class GOCXX_CAPABILITY("mutex") RLocker {
public:
    explicit RLocker(RWMutex& rw) noexcept : rw_(&rw) {}
    void lock() GOCXX_ACQUIRE();
    void unlock() GOCXX_RELEASE();

private:
    RWMutex* rw_;
};

class GOCXX_CAPABILITY("mutex") RWMutex {
public:
    RWMutex() = default;
    RWMutex(const RWMutex&) = delete;
    RWMutex& operator=(const RWMutex&) = delete;

    void lock() GOCXX_ACQUIRE();
    bool try_lock() noexcept GOCXX_TRY_ACQUIRE(true);
    void unlock() GOCXX_RELEASE();   // unlocked: fatal error "sync: Unlock of unlocked RWMutex" (as Mutex)
    void rlock() GOCXX_ACQUIRE_SHARED();
    bool try_rlock() noexcept GOCXX_TRY_ACQUIRE_SHARED(true);
    void runlock() GOCXX_RELEASE_SHARED();  // not read-locked: fatal error "sync: RUnlock of unlocked RWMutex"

    // std::shared_lock spelling.
    void lock_shared() GOCXX_ACQUIRE_SHARED() { rlock(); }
    bool try_lock_shared() noexcept GOCXX_TRY_ACQUIRE_SHARED(true) { return try_rlock(); }
    void unlock_shared() GOCXX_RELEASE_SHARED() { runlock(); }

    // Go's rw.RLocker(): `sync::Cond c(rw.rlocker());`, `std::lock_guard g(rw.rlocker());`.
    // The same object each time, living as long as the RWMutex.
    RLocker& rlocker() noexcept { return rlocker_; }

private:
    RLocker rlocker_{*this};
    detail::Lock lk_;             // guards everything below
    long readers_ GOCXX_GUARDED_BY(lk_) = 0;            // readers holding the lock
    bool writer_ GOCXX_GUARDED_BY(lk_) = false;         // a writer holds the lock
    detail::WaitQueue writers_ GOCXX_GUARDED_BY(lk_);   // waiting writers (FIFO)
    detail::WaitQueue readers_q_ GOCXX_GUARDED_BY(lk_); // readers waiting behind a writer
};

inline void RLocker::lock() GOCXX_NO_THREAD_SAFETY_ANALYSIS { rw_->rlock(); }
inline void RLocker::unlock() GOCXX_NO_THREAD_SAFETY_ANALYSIS { rw_->runlock(); }

}  // namespace gocxx::sync

GOCXX_API_END
