// Timer and Ticker on the scheduler's timer heap.
//
// Ownership. A TimerState is reached from its channel: the Timer or Ticker
// object holds a handle of the channel (and a plain pointer to the state),
// as does every copy the user made of c(). The state holds the channel's core
// without a handle, so that handles are the user's alone; when the last one
// goes, the core's hook (channel_gone) disarms the timer, disowns the core
// and drops the state's reference for the channel. Nobody can receive from
// such a timer, so it is freed at once rather than when it would fire (Go
// 1.23: an unreferenced Timer or Ticker is collectable, stopped or not).
// References to a state: one for the channel, one per arming while armed,
// dropped by whoever takes the node out of the heap (the firing callback, or
// a stop/reset/channel_gone whose remove() succeeded).
//
// `mu` guards `active`, `period`, `ch` and the node's `when` (lock order: mu >
// the heap's lock, mu > the channel's lock). The firing callback runs outside
// the heap lock and may race with stop/reset and with the last handle's
// release; under mu it delivers only if the channel is still there, the timer
// is still active, its node is not back in the heap (then a reset re-armed it
// and this firing is stale: the new arming fires on its own), and its current
// deadline has passed. So a stop or reset that returned first leaves it
// nothing to deliver, each arming delivers at most once, and with the channel
// drained by stop/reset that gives Go 1.23's "no stale value" rule. The hook
// takes mu before the core is freed, so a firing that is sending on the core
// finishes first, and one that comes later finds ch null.
//
// An after_func timer has no channel: its Timer holds the reference the
// channel would (dropped by ~Timer), and a firing that delivers starts `fn`
// in a goroutine, after mu is released, instead of sending. So a dropped
// after_func timer stays in the heap, fires, and is freed by the firing's
// release; a stopped one goes with its Timer.
#include <gocxx/time/timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>

#include <gocxx/detail/lock.hpp>
#include <gocxx/go.hpp>
#include <gocxx/panic.hpp>

#include "chan/chan_core.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::time {

namespace detail {

namespace {
std::atomic<long> g_live{0};
}  // namespace

long live_timers() noexcept { return g_live.load(std::memory_order_acquire); }

struct TimerState {
    gocxx::detail::TimerNode node;  // first member: the callback casts back
    gocxx::detail::Lock mu;
    bool active = false;             // guarded by mu: armed, value not yet delivered
    Duration period{0};              // guarded by mu: 0 for a Timer
    gocxx::detail::ChanCore* ch = nullptr;  // guarded by mu: no handle; null once the last handle went
    // after_func's function (null for channel timers); set before arming,
    // then only read. Shared with each goroutine a firing starts.
    std::shared_ptr<const std::function<void()>> fn;
    std::atomic<long> refs{1};       // the channel's (after_func: the Timer's), plus one per arming

    TimerState() noexcept { g_live.fetch_add(1, std::memory_order_relaxed); }
    ~TimerState() { g_live.fetch_sub(1, std::memory_order_release); }
};

namespace {

using gocxx::detail::Scheduler;

void release(TimerState* s, long n = 1) noexcept {
    if (s->refs.fetch_sub(n, std::memory_order_acq_rel) == n) delete s;
}

void fire(gocxx::detail::TimerNode* n) noexcept;

// Puts the node in the heap, with a reference for the heap. On a throw (no
// memory for the heap) the timer is left inactive.
void arm(TimerState* s, Time when) GOCXX_REQUIRES(s->mu) {
    s->node.when = when;
    Scheduler::get().add_timer(&s->node);
    s->refs.fetch_add(1, std::memory_order_relaxed);
    s->active = true;
}

// mu held, and a handle keeps ch (or it is an after_func timer). Takes the
// node out of the heap if it is there; drops any value already delivered but
// not received. Returns whether the timer was active.
bool disarm(TimerState* s) noexcept {
    const bool was_active = s->active;
    s->active = false;
    if (Scheduler::get().remove_timer(&s->node)) release(s);
    if (!s->ch) return was_active;  // after_func: nothing is buffered
    // Not a stale value after this: take out whatever is buffered. A value
    // taken here was never received, so the timer counts as stopped by us.
    bool drained = false;
    Time v;
    while (gocxx::detail::chan_recv(s->ch, &v, false).received) drained = true;
    return was_active || drained;
}

// after_func's firing: f in its own goroutine, as Go's goFunc.
void start_func(const std::shared_ptr<const std::function<void()>>& fn) noexcept {
    try {
        go([fn] { (*fn)(); });
    } catch (...) {
        // No goroutine to be had (out of memory): run it here rather than
        // lose it (as context::after_func does).
        (*fn)();
    }
}

void fire(gocxx::detail::TimerNode* n) noexcept {
    auto* s = reinterpret_cast<TimerState*>(n);
    Time now = time::now();
    s->mu.lock();
    if (s->fn) {
        const bool due = s->active && s->node.when <= now && !Scheduler::get().timer_armed(&s->node);
        if (due) s->active = false;
        s->mu.unlock();
        if (due) start_func(s->fn);  // fn is never written again: no lock needed
        release(s);
        return;
    }
    if (s->ch && s->active && s->node.when <= now && !Scheduler::get().timer_armed(&s->node)) {
        const Time sent = now;
        // A Ticker's slow receiver: the tick is dropped. Never closed: no throw.
        gocxx::detail::chan_send(s->ch, &now, false);
        if (s->period > Duration::zero()) {
            // Next tick on the period's grid, skipping the ones we missed.
            Time next = s->node.when + s->period;
            if (next <= sent) next += ((sent - next) / s->period + 1) * s->period;
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
    release(s);  // the heap's reference for the arming that fired
}

// The core's hook: its last handle is gone (refs 0, the core not yet freed).
void channel_gone(void* arg) noexcept {
    auto* s = static_cast<TimerState*>(arg);
    s->mu.lock();
    s->ch = nullptr;
    s->active = false;
    const bool removed = Scheduler::get().remove_timer(&s->node);
    s->mu.unlock();
    release(s, removed ? 2 : 1);  // the channel's, and the heap's if we took it out
}

// A state armed for d from now (period 0: a Timer), with its channel.
Channel<Time> make_state(Duration d, Duration period, TimerState*& out) {
    Channel<Time> ch(1);
    auto* s = new TimerState();  // a throw here: ch goes without a hook
    s->node.fn = &fire;          // set once: the heap reads it as a node leaves
    ch.core_()->on_last_handle_arg = s;
    ch.core_()->on_last_handle = &channel_gone;  // from here on ch owns s
    {
        gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
        s->period = period;
        s->ch = ch.core_();
        arm(s, time::add(time::now(), d));  // a throw: ch's hook frees s
    }
    out = s;
    return ch;
}

TimerState* live(TimerState* s, const char* what) {
    if (!s) throw Panic(what);
    return s;
}

}  // namespace
}  // namespace detail

Timer::Timer(Duration d) : ch_(nullptr), s_(nullptr) { ch_ = detail::make_state(d, Duration::zero(), s_); }

Timer::Timer(Timer&& o) noexcept : ch_(std::move(o.ch_)), s_(std::exchange(o.s_, nullptr)) {}

Timer& Timer::operator=(Timer&& o) noexcept {
    if (this != &o) {
        detail::TimerState* old = s_;
        const bool old_func = old && old->fn;
        if (old && !old_func) {
            gocxx::detail::LockGuard<gocxx::detail::Lock> guard(old->mu);
            detail::disarm(old);
        }
        ch_ = std::move(o.ch_);  // may free the old timer: not under its mu
        s_ = std::exchange(o.s_, nullptr);
        if (old_func) detail::release(old);  // dropped, not stopped: it still fires
    }
    return *this;
}

// A channel timer goes with its channel's last handle (ch_'s destructor);
// an after_func timer drops the Timer's reference and, if armed, lives on in
// the heap until it fires.
Timer::~Timer() {
    if (s_ && s_->fn) detail::release(s_);
}

RecvChannel<Time> Timer::c() const {
    detail::live(s_, "time: c() called on a moved-from Timer");
    return ch_;
}

bool Timer::stop() {
    detail::TimerState* s = detail::live(s_, "time: stop() called on a moved-from Timer");
    gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
    return detail::disarm(s);
}

bool Timer::reset(Duration d) {
    detail::TimerState* s = detail::live(s_, "time: reset() called on a moved-from Timer");
    gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
    const bool was = detail::disarm(s);
    detail::arm(s, time::add(time::now(), d));
    return was;
}

Ticker::Ticker(Duration d) : ch_(nullptr), s_(nullptr) {
    if (d <= Duration::zero()) throw Panic("non-positive interval for NewTicker");
    ch_ = detail::make_state(d, d, s_);
}

Ticker::Ticker(Ticker&& o) noexcept : ch_(std::move(o.ch_)), s_(std::exchange(o.s_, nullptr)) {}

Ticker& Ticker::operator=(Ticker&& o) noexcept {
    if (this != &o) {
        if (s_) {
            gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s_->mu);
            detail::disarm(s_);
        }
        ch_ = std::move(o.ch_);
        s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
}

Ticker::~Ticker() {
    if (s_) {
        gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s_->mu);
        detail::disarm(s_);
    }
}

RecvChannel<Time> Ticker::c() const {
    detail::live(s_, "time: c() called on a moved-from Ticker");
    return ch_;
}

void Ticker::stop() {
    detail::TimerState* s = detail::live(s_, "time: stop() called on a moved-from Ticker");
    gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
    detail::disarm(s);
}

void Ticker::reset(Duration d) {
    detail::TimerState* s = detail::live(s_, "time: reset() called on a moved-from Ticker");
    if (d <= Duration::zero()) throw Panic("non-positive interval for Ticker.Reset");
    gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
    detail::disarm(s);
    s->period = d;
    detail::arm(s, time::add(time::now(), d));
}

Timer after_func(Duration d, std::function<void()> f) {
    auto fn = std::make_shared<const std::function<void()>>(std::move(f));
    auto* s = new detail::TimerState();  // refs 1: the Timer's
    s->node.fn = &detail::fire;
    s->fn = std::move(fn);
    try {
        gocxx::detail::LockGuard<gocxx::detail::Lock> guard(s->mu);
        detail::arm(s, time::add(time::now(), d));
    } catch (...) {
        delete s;
        throw;
    }
    return Timer(Channel<Time>(nullptr), s);
}

RecvChannel<Time> after(Duration d) {
    detail::TimerState* s;
    return detail::make_state(d, Duration::zero(), s);
}

RecvChannel<Time> tick(Duration d) {
    if (d <= Duration::zero()) return nullptr;
    detail::TimerState* s;
    return detail::make_state(d, d, s);
}

}  // namespace gocxx::time
