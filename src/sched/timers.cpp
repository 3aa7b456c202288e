#include "sched/timers.hpp"

#include <cstdlib>
#include <cstring>
#include <utility>

namespace gocxx::detail {

namespace {
struct VirtualClock {
    bool on;
    std::atomic<std::int64_t> ns;
};
VirtualClock& vclock() noexcept {
    static VirtualClock v{[] {
                              const char* e = std::getenv("GOCXX_VIRTUAL_CLOCK");
                              return e && std::strcmp(e, "1") == 0;
                          }(),
                          {to_ns(Clock::now())}};
    return v;
}
}  // namespace

bool virtual_clock() noexcept { return vclock().on; }

Clock::time_point clock_now() noexcept {
    VirtualClock& v = vclock();
    if (!v.on) return Clock::now();
    return Clock::time_point(std::chrono::nanoseconds(v.ns.load(std::memory_order_acquire)));
}

void clock_advance_to(std::int64_t t_ns) noexcept {
    VirtualClock& v = vclock();
    std::int64_t cur = v.ns.load(std::memory_order_relaxed);
    while (cur < t_ns && !v.ns.compare_exchange_weak(cur, t_ns, std::memory_order_acq_rel)) {
    }
}

void Timers::up(std::size_t i) noexcept {
    while (i > 0) {
        std::size_t p = (i - 1) / 2;
        if (!(heap_[i]->when < heap_[p]->when)) break;
        std::swap(heap_[i], heap_[p]);
        heap_[i]->heap_index = static_cast<std::int64_t>(i);
        heap_[p]->heap_index = static_cast<std::int64_t>(p);
        i = p;
    }
}

void Timers::down(std::size_t i) noexcept {
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && heap_[l]->when < heap_[m]->when) m = l;
        if (r < n && heap_[r]->when < heap_[m]->when) m = r;
        if (m == i) break;
        std::swap(heap_[i], heap_[m]);
        heap_[i]->heap_index = static_cast<std::int64_t>(i);
        heap_[m]->heap_index = static_cast<std::int64_t>(m);
        i = m;
    }
}

void Timers::publish_next() noexcept {
    next_ns_.store(heap_.empty() ? kNone : to_ns(heap_[0]->when), std::memory_order_seq_cst);
}

bool Timers::add(TimerNode* n) {
    lock_.lock();
    try {
        heap_.push_back(n);
    } catch (...) {
        lock_.unlock();
        throw;
    }
    n->heap_index = static_cast<std::int64_t>(heap_.size() - 1);
    up(heap_.size() - 1);
    const bool earliest = heap_[0] == n;
    if (earliest) publish_next();
    lock_.unlock();
    return earliest;
}

bool Timers::remove(TimerNode* n) noexcept {
    lock_.lock();
    const std::int64_t i = n->heap_index;
    if (i < 0) {
        lock_.unlock();
        return false;
    }
    const std::size_t idx = static_cast<std::size_t>(i);
    TimerNode* last = heap_.back();
    heap_.pop_back();
    if (last != n) {
        heap_[idx] = last;
        last->heap_index = i;
        down(idx);
        up(static_cast<std::size_t>(last->heap_index));
    }
    n->heap_index = -1;
    publish_next();
    lock_.unlock();
    return true;
}

bool Timers::contains(const TimerNode* n) noexcept {
    lock_.lock();
    const bool in = n->heap_index >= 0;
    lock_.unlock();
    return in;
}

int Timers::run_expired(Clock::time_point now) {
    int fired = 0;
    for (;;) {
        // Pop a batch under the lock, fire it outside: a callback may take
        // other locks (a channel's) or add timers.
        TimerNode* batch[32];
        void (*fns[32])(TimerNode*);
        int n = 0;
        lock_.lock();
        while (n < 32 && !heap_.empty() && heap_[0]->when <= now) {
            TimerNode* t = heap_[0];
            TimerNode* last = heap_.back();
            heap_.pop_back();
            if (last != t) {
                heap_[0] = last;
                last->heap_index = 0;
                down(0);
            }
            t->heap_index = -1;
            fns[n] = t->fn;  // under the lock: the node may be re-armed once it is out
            batch[n++] = t;
        }
        publish_next();
        lock_.unlock();
        for (int i = 0; i < n; ++i) fns[i](batch[i]);
        fired += n;
        if (n < 32) return fired;
    }
}

}  // namespace gocxx::detail
