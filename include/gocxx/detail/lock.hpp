// The runtime's own lock: a futex word, spin-then-sleep (Drepper's three-state
// mutex). Channel and sync state is guarded by it. It blocks the OS thread, so
// it is only ever held for a few instructions and never across a park: code
// that parks while "holding" it hands the unlock to the park commit, which
// runs after the goroutine's context is saved (src/park/park.hpp).
#pragma once
#include <atomic>
#include <cstdint>

namespace gocxx::detail {

class Lock {
public:
    void lock() noexcept {
        std::uint32_t c = 0;
        if (!state_.compare_exchange_strong(c, 1, std::memory_order_acquire, std::memory_order_relaxed))
            lock_slow();
    }
    bool try_lock() noexcept {
        std::uint32_t c = 0;
        return state_.compare_exchange_strong(c, 1, std::memory_order_acquire, std::memory_order_relaxed);
    }
    void unlock() noexcept {
        if (state_.exchange(0, std::memory_order_release) == 2) unlock_slow();
    }

private:
    void lock_slow() noexcept;
    void unlock_slow() noexcept;
    std::atomic<std::uint32_t> state_{0};  // 0 free, 1 held, 2 held with sleepers
};

}  // namespace gocxx::detail
