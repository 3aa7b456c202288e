// Futex helpers and a one-slot semaphore for sleeping threads.
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include <gocxx/detail/waiter.hpp>  // Token

#include "base/sanitizers.hpp"  // GOCXX_TSAN

namespace gocxx::detail {

// Sleeps while *a == expected, at most until `deadline` (steady_clock, i.e.
// CLOCK_MONOTONIC) when has_deadline. Returns on wake, timeout, or spuriously.
inline void futex_wait(std::atomic<std::uint32_t>* a, std::uint32_t expected, bool has_deadline = false,
                       std::chrono::steady_clock::time_point deadline = {}) noexcept {
    timespec ts{};
    if (has_deadline) {
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
        if (ns < 0) ns = 0;
        ts.tv_sec = static_cast<time_t>(ns / 1000000000);
        ts.tv_nsec = static_cast<long>(ns % 1000000000);
    }
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(a), FUTEX_WAIT_BITSET_PRIVATE, expected,
              has_deadline ? &ts : nullptr, nullptr, FUTEX_BITSET_MATCH_ANY);
}

inline void futex_wake(std::atomic<std::uint32_t>* a, int n) noexcept {
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(a), FUTEX_WAKE_PRIVATE, n, nullptr, nullptr, 0);
}

// Wakes a plain thread parked under token t (odd: park.hpp). The token
// points at the thread's parker, whose first member is the futex word it
// sleeps on (0 armed, 1 woken; checked in park.cpp), so the scheduler's
// layer (the netpoller) can wake a thread without knowing the parker.
inline void wake_thread_token(Token t) noexcept {
    auto* word = reinterpret_cast<std::atomic<std::uint32_t>*>(t & ~Token(1));
    word->store(1, std::memory_order_release);
    futex_wake(word, 1);
}

// A binary semaphore: post() leaves one token; wait() consumes it or sleeps.
// A token posted before wait() is not lost; extra posts coalesce. Waiters
// must tolerate an early return (timeout or a coalesced stale token).
class Sema {
public:
    void post() noexcept {
        if (v_.exchange(1, std::memory_order_release) == 0) futex_wake(&v_, 1);
    }
    // Takes a posted token without sleeping; true if there was one.
    bool try_wait() noexcept { return v_.exchange(0, std::memory_order_acquire) == 1; }
    // Returns true if a token was consumed.
    bool wait(bool has_deadline = false, std::chrono::steady_clock::time_point deadline = {}) noexcept {
        for (;;) {
            if (v_.exchange(0, std::memory_order_acquire) == 1) return true;
            if (has_deadline && std::chrono::steady_clock::now() >= deadline) return false;
            futex_wait(&v_, 0, has_deadline, deadline);
        }
    }

private:
    std::atomic<std::uint32_t> v_{0};
};

// A StoreLoad barrier for the Dekker handshakes of the scheduler (a
// submitter publishes work then reads the idle counts; an idle worker
// publishes itself then re-reads the queues). ThreadSanitizer does not model
// fences, so under it both sides do a read-modify-write of one shared word
// instead: RMWs of one atomic are totally ordered, which gives TSan (and the
// C++ model) the happens-before a fence gives the hardware.
#ifdef GOCXX_TSAN
inline std::atomic<std::uint32_t> g_barrier_word{0};
inline void store_load_barrier() noexcept { g_barrier_word.fetch_add(0, std::memory_order_acq_rel); }
#else
inline void store_load_barrier() noexcept { std::atomic_thread_fence(std::memory_order_seq_cst); }
#endif

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

}  // namespace gocxx::detail
