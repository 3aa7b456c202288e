// Run queues.
//
// LocalQueue: per worker, Go's runq. A ring of 256 that only its owner pushes
// to (tail), while the owner and thieves pop from the head with a CAS, plus
// `runnext`, the slot for the goroutine the owner just woke: it runs next on
// this worker, so a woken partner keeps its cache and no thread is woken.
// Invariants: only the owner writes `tail`; slots in [head, tail) are never
// written; a thief reads slots then CASes head, so a slot it read is only
// reused after the owner saw head move past it.
//
// GlobalQueue: a locked FIFO for goroutines readied by plain threads, yields,
// overflow and retiring workers.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include <gocxx/detail/lock.hpp>

#include "base/futex.hpp"
#include "sched/g.hpp"

namespace gocxx::detail {

class LocalQueue {
public:
    static constexpr std::uint32_t kSize = 256;

    // Owner only. False when full.
    bool push(G* g) noexcept {
        const std::uint32_t h = head_.load(std::memory_order_acquire);
        const std::uint32_t t = tail_.load(std::memory_order_relaxed);
        if (t - h >= kSize) return false;
        slots_[t % kSize].store(g, std::memory_order_relaxed);
        tail_.store(t + 1, std::memory_order_release);
        return true;
    }

    // Owner only: takes half the ring (for the global queue when full).
    std::uint32_t pop_half(G** out) noexcept { return grab(out, false); }

    G* pop() noexcept {
        for (;;) {
            std::uint32_t h = head_.load(std::memory_order_acquire);
            const std::uint32_t t = tail_.load(std::memory_order_acquire);
            if (h == t) return nullptr;
            G* g = slots_[h % kSize].load(std::memory_order_relaxed);
            if (head_.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel, std::memory_order_relaxed))
                return g;
        }
    }

    // Thief: takes half of the ring into out (room for kSize/2), or, when the
    // ring is empty and take_runnext, the runnext goroutine.
    std::uint32_t grab(G** out, bool take_runnext) noexcept {
        for (;;) {
            std::uint32_t h = head_.load(std::memory_order_acquire);
            const std::uint32_t t = tail_.load(std::memory_order_acquire);
            std::uint32_t n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (take_runnext && runnext.load(std::memory_order_relaxed)) {
                    // Go's runqgrab: the owner is most likely about to run
                    // its runnext (a partner it just woke, which it hands its
                    // worker to when it blocks). Give it ~3 us first, or a
                    // ping-pong pair ends up split across two cores.
                    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(3);
                    while (std::chrono::steady_clock::now() < until) cpu_relax();
                    G* g = runnext.load(std::memory_order_acquire);
                    if (g && runnext.compare_exchange_strong(g, nullptr, std::memory_order_acq_rel)) {
                        out[0] = g;
                        return 1;
                    }
                }
                return 0;
            }
            if (n > kSize / 2) continue;  // torn read of head and tail; retry
            for (std::uint32_t i = 0; i < n; ++i)
                out[i] = slots_[(h + i) % kSize].load(std::memory_order_relaxed);
            if (head_.compare_exchange_weak(h, h + n, std::memory_order_acq_rel, std::memory_order_relaxed))
                return n;
        }
    }

    // Goroutines queued (a snapshot, runnext included); any thread.
    std::uint32_t size() const noexcept {
        const std::uint32_t h = head_.load(std::memory_order_acquire);
        const std::uint32_t t = tail_.load(std::memory_order_acquire);
        const std::uint32_t n = t - h;
        return (n > kSize ? 0 : n) + (runnext.load(std::memory_order_acquire) ? 1 : 0);
    }

    bool empty() const noexcept {
        return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire) &&
               runnext.load(std::memory_order_acquire) == nullptr;
    }

    std::atomic<G*> runnext{nullptr};  // owner exchanges; thieves CAS to null

private:
    alignas(64) std::atomic<std::uint32_t> head_{0};
    alignas(64) std::atomic<std::uint32_t> tail_{0};
    std::atomic<G*> slots_[kSize] = {};
};

class GlobalQueue {
public:
    void push(G* g) noexcept {
        g->ahead = nullptr;
        push_chain(g, g, 1);
    }
    // Pushes gs[0..n) in order (n > 0), linked through G::next, each with
    // G::ahead pointing kAhead further on.
    void push_batch(G* const* gs, std::size_t n) noexcept {
        for (std::size_t i = 0; i < n; ++i) {
            gs[i]->next = i + 1 < n ? gs[i + 1] : nullptr;
            gs[i]->ahead = i + kAhead < n ? gs[i + kAhead] : nullptr;
        }
        push_chain(gs[0], gs[n - 1], n);
    }
    // Pops up to max goroutines into out; returns how many. A walk down a
    // linked list waits for one cache miss at a time, and when many parked
    // goroutines were woken at once every G is cold (100,000 released: the
    // walk was 44% of running them); prefetching `ahead` overlaps the misses.
    // All of its lines: a woken goroutine goes on to read its waiter and its
    // closure in them.
    std::size_t pop(G** out, std::size_t max) noexcept {
        if (size_.load(std::memory_order_relaxed) == 0) return 0;
        lock_.lock();
        std::size_t n = 0;
        while (n < max && head_) {
            if (const char* a = reinterpret_cast<const char*>(head_->ahead)) {
                for (std::size_t l = 0; l < sizeof(G); l += 64) __builtin_prefetch(a + l);
            }
            out[n++] = head_;
            head_ = head_->next;
        }
        if (!head_) tail_ = nullptr;
        size_.fetch_sub(n, std::memory_order_relaxed);
        if (n) pops_.store(pops_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        lock_.unlock();
        return n;
    }
    std::size_t size() const noexcept { return size_.load(std::memory_order_seq_cst); }
    // Pops that took something, so far: the monitor tells a queue that
    // workers drain from one nobody gets to.
    std::uint64_t pops() const noexcept { return pops_.load(std::memory_order_relaxed); }

private:
    static constexpr std::size_t kAhead = 8;
    void push_chain(G* first, G* last, std::size_t n) noexcept {
        last->next = nullptr;
        lock_.lock();
        if (tail_) tail_->next = first;
        else head_ = first;
        tail_ = last;
        size_.fetch_add(n, std::memory_order_seq_cst);
        lock_.unlock();
    }

    Lock lock_;
    G* head_ GOCXX_GUARDED_BY(lock_) = nullptr;
    G* tail_ GOCXX_GUARDED_BY(lock_) = nullptr;
    std::atomic<std::size_t> size_{0};  // written under lock_, read without it
    std::atomic<std::uint64_t> pops_{0};  // written under lock_, read without it
};

}  // namespace gocxx::detail
