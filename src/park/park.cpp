#include "park/park.hpp"

#include <mutex>
#include <vector>

#include <gocxx/detail/lock.hpp>

#include "sched/futex.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::detail {

struct ThreadParker {
    std::atomic<std::uint32_t> state{0};  // 0 armed (waiting), 1 woken
    ThreadParker* next_free = nullptr;
};

namespace {

// Parkers are pooled and never freed (see park.hpp).
std::mutex g_parkers_mu;
ThreadParker* g_free_parkers = nullptr;

struct ParkerHolder {
    ThreadParker* p = nullptr;
    ~ParkerHolder() {
        if (!p) return;
        std::lock_guard<std::mutex> g(g_parkers_mu);
        p->next_free = g_free_parkers;
        g_free_parkers = p;
    }
    ThreadParker* get() {
        if (p) return p;
        {
            std::lock_guard<std::mutex> g(g_parkers_mu);
            if (g_free_parkers) {
                p = g_free_parkers;
                g_free_parkers = p->next_free;
            }
        }
        if (!p) p = new ThreadParker();
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

void park(Token self, void (*commit)(void*), void* arg) noexcept {
    if (token_is_goroutine(self)) {
        Scheduler::get().park(reinterpret_cast<G*>(self), commit, arg);
        return;
    }
    auto* p = reinterpret_cast<ThreadParker*>(self & ~Token(1));
    commit(arg);
    while (p->state.load(std::memory_order_acquire) == 0) futex_wait(&p->state, 0);
}

void unlock_commit(void* lock) noexcept { static_cast<Lock*>(lock)->unlock(); }

void wait_in(WaitQueue& q, Waiter& w, Lock& lock) noexcept {
    w.who = park_token();  // armed before w is visible to any waker
    q.push(&w);
    park(w.who, unlock_commit, &lock);
}

void unpark(Token t) noexcept {
    if (token_is_goroutine(t)) {
        Scheduler::get().ready(reinterpret_cast<G*>(t));
        return;
    }
    auto* p = reinterpret_cast<ThreadParker*>(t & ~Token(1));
    p->state.store(1, std::memory_order_release);
    futex_wake(&p->state, 1);
}

void unpark_chain(Waiter* w) noexcept {
    while (w) {
        Waiter* next = w->next;
        unpark(w->who);
        w = next;
    }
}

void park_forever() noexcept {
    Token self = park_token();
    park(self, [](void*) {}, nullptr);
    // Nobody holds our token, so nobody can wake us; a spurious return of a
    // thread's futex cannot happen past the state check. Unreachable.
    std::abort();
}

}  // namespace gocxx::detail
