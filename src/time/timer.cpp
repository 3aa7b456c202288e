// Timer and Ticker on the scheduler's timer heap.
//
// A TimerState is shared by its handle and, while armed, by the heap: each
// arming holds one reference, released by whoever takes the node out of the
// heap (the firing callback, or a stop/reset whose remove() succeeded).
//
// `mu` guards `active`, `period` and the node's `when` (lock order: mu > the
// heap's lock, mu > the channel's lock). The firing callback runs outside the
// heap lock and may race with stop/reset; under mu it delivers only if the
// timer is still active, its node is not back in the heap (then a reset
// re-armed it and this firing is stale: the new arming fires on its own), and
// its current deadline has passed. So a stop or reset that returned first
// leaves it nothing to deliver, each arming delivers at most once, and with
// the channel drained by stop/reset that gives Go 1.23's "no stale value" rule.
#include <gocxx/time/timer.hpp>

#include <atomic>
#include <mutex>

#include <gocxx/detail/lock.hpp>
#include <gocxx/panic.hpp>

#include "sched/scheduler.hpp"

namespace gocxx::time {

namespace detail {

struct TimerState {
    gocxx::detail::TimerNode node;  // first member: the callback casts back
    gocxx::detail::Lock mu;
    bool active = false;            // guarded by mu: armed, value not yet delivered
    Duration period{0};             // guarded by mu: 0 for a Timer
    Channel<Time> ch{1};
    std::atomic<long> refs{1};
};

void timer_release(TimerState* s) noexcept {
    if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete s;
}

namespace {

using gocxx::detail::Scheduler;

void fire(gocxx::detail::TimerNode* n) noexcept;

// mu held. Puts the node in the heap, with a reference for the heap.
void arm(TimerState* s, Time when) {
    s->node.when = when;
    s->active = true;
    s->refs.fetch_add(1, std::memory_order_relaxed);
    Scheduler::get().add_timer(&s->node);
}

// mu held. Takes the node out of the heap if it is there; drops any value
// already delivered but not received. Returns whether the timer was active.
bool disarm(TimerState* s) noexcept {
    const bool was_active = s->active;
    s->active = false;
    if (Scheduler::get().remove_timer(&s->node)) timer_release(s);
    // Not a stale value after this: take out whatever is buffered. A value
    // taken here was never received, so the timer counts as stopped by us.
    bool drained = false;
    while (s->ch.try_recv()) drained = true;
    return was_active || drained;
}

void fire(gocxx::detail::TimerNode* n) noexcept {
    auto* s = reinterpret_cast<TimerState*>(n);
    const Time now = time::now();
    s->mu.lock();
    if (s->active && s->node.when <= now && !Scheduler::get().timer_armed(&s->node)) {
        s->ch.try_send(now);  // a Ticker's slow receiver: the tick is dropped
        if (s->period > Duration::zero()) {
            // Next tick on the period's grid, skipping the ones we missed.
            Time next = s->node.when + s->period;
            if (next <= now) next += ((now - next) / s->period + 1) * s->period;
            try {
                arm(s, next);
            } catch (...) {
                s->active = false;  // no memory for the heap: the ticker stops
            }
        } else {
            s->active = false;
        }
    }
    s->mu.unlock();
    timer_release(s);  // the heap's reference for the arming that fired
}

TimerHandle make_state(Duration d, Duration period) {
    TimerHandle s(new TimerState());
    s->node.fn = &fire;  // set once: the heap reads it as a node leaves
    s->period = period;
    std::lock_guard<gocxx::detail::Lock> guard(s->mu);
    arm(s.get(), time::add(time::now(), d));
    return s;
}

}  // namespace
}  // namespace detail

Timer::Timer(Duration d) : s_(detail::make_state(d, Duration::zero())) {}

RecvChannel<Time> Timer::c() const { return s_->ch; }

bool Timer::stop() {
    std::lock_guard<gocxx::detail::Lock> guard(s_->mu);
    return detail::disarm(s_.get());
}

bool Timer::reset(Duration d) {
    std::lock_guard<gocxx::detail::Lock> guard(s_->mu);
    const bool was = detail::disarm(s_.get());
    detail::arm(s_.get(), time::add(time::now(), d));
    return was;
}

Ticker::Ticker(Duration d) {
    if (d <= Duration::zero()) throw Panic("non-positive interval for NewTicker");
    s_ = detail::make_state(d, d);
}

Ticker::~Ticker() {
    if (s_) stop();
}

RecvChannel<Time> Ticker::c() const { return s_->ch; }

void Ticker::stop() {
    std::lock_guard<gocxx::detail::Lock> guard(s_->mu);
    detail::disarm(s_.get());
}

void Ticker::reset(Duration d) {
    if (d <= Duration::zero()) throw Panic("non-positive interval for Ticker.Reset");
    std::lock_guard<gocxx::detail::Lock> guard(s_->mu);
    detail::disarm(s_.get());
    s_->period = d;
    detail::arm(s_.get(), time::add(time::now(), d));
}

RecvChannel<Time> after(Duration d) { return Timer(d).c(); }

RecvChannel<Time> tick(Duration d) {
    if (d <= Duration::zero()) return nullptr;
    auto s = detail::make_state(d, d);
    RecvChannel<Time> c = s->ch;
    s.release();  // never stopped, as Go's time.Tick (before 1.23's collector)
    return c;
}

}  // namespace gocxx::time
