#include <gocxx/detail/lock.hpp>

#include "sched/futex.hpp"

namespace gocxx::detail {

// Spin first: the holder keeps the lock for a few dozen instructions, far
// less than a futex round trip (tens of microseconds on these machines).
void Lock::lock_slow() noexcept {
    for (int i = 0; i < 100; ++i) {
        std::uint32_t c = state_.load(std::memory_order_relaxed);
        if (c == 0 && state_.compare_exchange_weak(c, 1, std::memory_order_acquire, std::memory_order_relaxed))
            return;
        cpu_relax();
    }
    // Mark contended (2) so the unlocker knows to wake someone.
    while (state_.exchange(2, std::memory_order_acquire) != 0) futex_wait(&state_, 2);
}

void Lock::unlock_slow() noexcept { futex_wake(&state_, 1); }

}  // namespace gocxx::detail
