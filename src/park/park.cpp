#include "park/park.hpp"

#include <unistd.h>

#include <cstddef>

#include <gocxx/detail/lock.hpp>

#include "base/futex.hpp"
#include "base/os_mutex.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::detail {

namespace {
// Guards the pool of free parkers (g_free_parkers and their next_free).
OsMutex g_parkers_mu;
}  // namespace

struct ThreadParker {
    std::atomic<std::uint32_t> state{0};  // 0 armed (waiting), 1 woken
    ThreadParker* next_free GOCXX_GUARDED_BY(g_parkers_mu) = nullptr;
    ThreadParker* all_next = nullptr;     // immutable once listed in g_all_parkers
    // For dumps (written by the owning thread, read by anyone): the thread
    // holding this parker, and what it waits for while `waiting`.
    std::atomic<int> tid{0};
    std::atomic<bool> waiting{false};
    std::atomic<WaitReason> why{WaitReason::None};
    std::atomic<std::int64_t> since{0};
};

// wake_thread_token (base/futex.hpp) relies on this.
static_assert(offsetof(ThreadParker, state) == 0, "a thread token points at its parker's futex word");

namespace {

// Parkers are pooled and never freed (see park.hpp); every parker ever made
// is on g_all_parkers (push-only), which dumps walk without a lock.
ThreadParker* g_free_parkers GOCXX_GUARDED_BY(g_parkers_mu) = nullptr;
std::atomic<ThreadParker*> g_all_parkers{nullptr};
std::atomic<std::uint64_t> g_thread_parks{0};

void list_parker(ThreadParker* p) noexcept {
    p->all_next = g_all_parkers.load(std::memory_order_relaxed);
    while (!g_all_parkers.compare_exchange_weak(p->all_next, p, std::memory_order_release,
                                                std::memory_order_relaxed)) {
    }
}

// The thread's parker, taken from the pool at its first wait and given back
// at thread exit. A wait from a thread_local destructor that runs after ours
// gets a parker of its own that never goes back to the pool (pooling it
// twice would let two threads share one state word).
struct ParkerHolder {
    ThreadParker* p = nullptr;
    bool destroyed = false;
    ~ParkerHolder() {
        destroyed = true;
        if (!p) return;
        LockGuard<OsMutex> g(g_parkers_mu);
        p->next_free = g_free_parkers;
        g_free_parkers = p;
        p = nullptr;
    }
    ThreadParker* get() {
        if (p) return p;
        if (!destroyed) {
            LockGuard<OsMutex> g(g_parkers_mu);
            if (g_free_parkers) {
                p = g_free_parkers;
                g_free_parkers = p->next_free;
            }
        }
        if (!p) {
            p = new ThreadParker();
            list_parker(p);
        }
        p->tid.store(static_cast<int>(::gettid()), std::memory_order_relaxed);
        return p;
    }
};
thread_local ParkerHolder t_parker;

}  // namespace

Token park_token() noexcept {
    if (G* g = current_g()) return reinterpret_cast<Token>(g);
    ThreadParker* p = t_parker.get();
    p->state.store(0, std::memory_order_relaxed);
    return reinterpret_cast<Token>(p) | 1;
}

void park(Token self, void (*commit)(void*), void* arg, WaitReason why) noexcept {
    if (token_is_goroutine(self)) {
        Scheduler::get().park(reinterpret_cast<G*>(self), commit, arg, why);
        return;
    }
    auto* p = reinterpret_cast<ThreadParker*>(self & ~Token(1));
    p->why.store(why, std::memory_order_relaxed);
    p->since.store(coarse_now_ns(), std::memory_order_relaxed);
    p->waiting.store(true, std::memory_order_seq_cst);
    g_thread_parks.fetch_add(1, std::memory_order_seq_cst);
    commit(arg);
    Scheduler& s = Scheduler::get();
    const bool at_exit = s.thread_parked();
    while (p->state.load(std::memory_order_acquire) == 0) futex_wait(&p->state, 0);
    p->waiting.store(false, std::memory_order_relaxed);
    if (at_exit) s.exit_wait_done();
}

void for_each_waiting_thread(void (*f)(const ThreadWaitInfo&, void*), void* arg) {
    for (ThreadParker* p = g_all_parkers.load(std::memory_order_acquire); p; p = p->all_next) {
        // Woken (state 1) counts as running even if it has not left park() yet.
        if (!p->waiting.load(std::memory_order_seq_cst) || p->state.load(std::memory_order_seq_cst) != 0)
            continue;
        f(ThreadWaitInfo{p->tid.load(std::memory_order_relaxed), p->why.load(std::memory_order_relaxed),
                         p->since.load(std::memory_order_relaxed)},
          arg);
    }
}

std::uint64_t thread_park_count() noexcept { return g_thread_parks.load(std::memory_order_seq_cst); }

Waiter& own_waiter() noexcept {
    static thread_local Waiter t_waiter;
    G* g = current_g();
    Waiter& w = g ? g->waiter : t_waiter;
    w = Waiter{};
    return w;
}

// The analysis cannot tell which lock the void* is (it was taken by the parking
// party, on the other side of the fiber switch).
void unlock_commit(void* lock) noexcept GOCXX_NO_THREAD_SAFETY_ANALYSIS { static_cast<Lock*>(lock)->unlock(); }

// Releases `lock` through the park commit, after the fiber switch: the
// analysis sees it still held at the return.
void wait_in(WaitQueue& q, Waiter& w, Lock& lock, WaitReason why) noexcept GOCXX_NO_THREAD_SAFETY_ANALYSIS {
    w.who = park_token();  // armed before w is visible to any waker
    q.push(&w);
    park(w.who, unlock_commit, &lock, why);
}

void unpark(Token t) noexcept {
    if (token_is_goroutine(t)) {
        Scheduler::get().ready(reinterpret_cast<G*>(t));
        return;
    }
    wake_thread_token(t);
}

// A long chain (a close or broadcast over many parked goroutines) goes to
// the global queue in batches, where every worker looks, instead of one by
// one through this worker's runnext and ring: idle workers start on the
// first batch while we walk the rest (100,000 released at once, close alone:
// ~450 -> ~300 ns per goroutine). A short chain, and the tail of a long
// one, are readied one by one, so a woken partner still runs here next.
void unpark_chain(Waiter* w) noexcept {
    constexpr std::size_t kBatch = Scheduler::kReadyBatch;
    G* batch[kBatch];
    std::size_t n = 0;
    while (w) {
        Waiter* next = w->next;
        const Token t = w->who;
        if (token_is_goroutine(t)) {
            // ready_batch writes each G's first line once the batch is full:
            // start fetching it now (one miss at a time otherwise).
            __builtin_prefetch(reinterpret_cast<G*>(t), 1);
            batch[n++] = reinterpret_cast<G*>(t);
            if (n == kBatch) {
                Scheduler::get().ready_batch(batch, n);
                n = 0;
            }
        } else {
            unpark(t);
        }
        w = next;
    }
    for (std::size_t i = 0; i < n; ++i) Scheduler::get().ready(batch[i]);
}

void park_forever(WaitReason why) noexcept {
    Token self = park_token();
    park(self, [](void*) {}, nullptr, why);
    // Nobody holds our token, so nobody can wake us; a spurious return of a
    // thread's futex cannot happen past the state check. Unreachable.
    std::abort();
}

}  // namespace gocxx::detail
