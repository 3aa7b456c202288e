// Timers: a binary min-heap of deadlines that the workers service. A timer is
// an intrusive node owned by its user (a sleeping goroutine's frame, later a
// time::Timer); the heap only points at it. The callback runs on a worker,
// outside the heap lock, after the node has left the heap; it knows nothing
// of channels (the layers above decide what "firing" means).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include <gocxx/detail/lock.hpp>
#include <gocxx/detail/thread_annotations.hpp>

namespace gocxx::detail {

using Clock = std::chrono::steady_clock;

// The runtime's clock: steady_clock, or, with GOCXX_VIRTUAL_CLOCK=1 in the
// environment, a virtual clock (Go's testing/synctest) that stands still
// while any goroutine can run and jumps to the next timer's deadline once
// every worker is idle. time::now(), timers, sleep and context deadlines all
// read this clock. Virtual time is for programs whose every party is a
// goroutine (tests): a plain thread that is busy outside gocxx is invisible to
// the "everyone is idle" rule.
bool virtual_clock() noexcept;
Clock::time_point clock_now() noexcept;
// Virtual clock only: moves time forward to t (never backwards).
void clock_advance_to(std::int64_t t_ns) noexcept;

struct TimerNode {
    Clock::time_point when{};
    void (*fn)(TimerNode*) = nullptr;
    // Guarded by Timers::lock_ (another object's: not annotated, see the
    // Timers functions); -1 when not in the heap.
    std::int64_t heap_index = -1;
};

class Timers {
public:
    static constexpr std::int64_t kNone = INT64_MAX;

    // Returns true when n became the earliest timer (a sleeper may need to
    // shorten its wait).
    bool add(TimerNode* n);
    // Returns true when n was pending and is now removed (it will not fire).
    bool remove(TimerNode* n) noexcept;
    // Fires every timer due at `now`; returns how many fired. Each callback is
    // read under the lock, as its node leaves the heap.
    int run_expired(Clock::time_point now);
    // True while n is in the heap (armed and not yet taken out to fire).
    bool contains(const TimerNode* n) noexcept;

    // Nanoseconds since the clock's epoch of the earliest deadline, or kNone.
    std::int64_t next_ns() const noexcept { return next_ns_.load(std::memory_order_seq_cst); }
    bool pending() const noexcept { return next_ns() != kNone; }

private:
    void up(std::size_t i) noexcept GOCXX_REQUIRES(lock_);
    void down(std::size_t i) noexcept GOCXX_REQUIRES(lock_);
    void publish_next() noexcept GOCXX_REQUIRES(lock_);

    Lock lock_;
    std::vector<TimerNode*> heap_ GOCXX_GUARDED_BY(lock_);
    std::atomic<std::int64_t> next_ns_{kNone};
};

inline std::int64_t to_ns(Clock::time_point t) noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace gocxx::detail
