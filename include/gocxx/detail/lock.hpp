// The runtime's own lock: a test-and-set word, spin-then-yield. Channel and
// sync state is guarded by it. It blocks the OS thread, so it is only ever
// held for a few instructions and never across a park: code that parks while
// "holding" it hands the unlock to the park commit, which runs after the
// goroutine's context is saved (src/park/park.hpp).
//
// Why no futex: a lock that can sleep must learn at unlock whether anyone
// sleeps, which costs a second atomic read-modify-write per critical section
// (the exchange in Drepper's mutex). Here unlock is a plain release store,
// so an uncontended channel operation costs one atomic instruction, not two
// (bench/ANALYSIS.md, "Figures behind the code": the lock). Holds are a few dozen instructions,
// so a waiter spins briefly, then yields its CPU (the holder may have been
// preempted) until the word is free.
//
// A capability for clang's thread safety analysis (detail/thread_annotations.hpp):
// take it with LockGuard<Lock> (std::lock_guard is not annotated) or
// lock()/unlock() in one function.
#pragma once
#include <atomic>
#include <cstdint>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

#include <gocxx/detail/thread_annotations.hpp>

namespace gocxx::detail {

class GOCXX_CAPABILITY("mutex") Lock {
public:
    void lock() noexcept GOCXX_ACQUIRE() {
        if (state_.exchange(1, std::memory_order_acquire) != 0) lock_slow();
    }
    bool try_lock() noexcept GOCXX_TRY_ACQUIRE(true) {
        return state_.load(std::memory_order_relaxed) == 0 && state_.exchange(1, std::memory_order_acquire) == 0;
    }
    void unlock() noexcept GOCXX_RELEASE() { state_.store(0, std::memory_order_release); }

private:
    void lock_slow() noexcept;
    std::atomic<std::uint32_t> state_{0};  // 0 free, 1 held
};

}  // namespace gocxx::detail

GOCXX_API_END
