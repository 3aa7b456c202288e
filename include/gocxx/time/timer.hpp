// Go's time.Timer, time.Ticker, time.After, time.Tick and time.AfterFunc,
// with Go 1.23's
// rule: once stop() or reset() returns, no value from before it is received.
//
//   time::Timer t(50ms);
//   select(case_recv(t.c(), [&](time::Time) { ... }), case_recv(done));
//
// The timers live in the scheduler's heap (no thread per timer). A timer
// channel holds at most one value; a Ticker drops ticks for a slow receiver
// as Go's does. Go reports len and cap 0 for timer channels; here they are
// the real buffer's (cap 1).
#pragma once
#include <chrono>
#include <functional>

#include <gocxx/chan.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/detail/visibility.hpp>

GOCXX_API_BEGIN

namespace gocxx::time {

namespace detail {
struct TimerState;
// For tests: timers alive (created and not yet freed), Timers, Tickers,
// after and tick alike.
long live_timers() noexcept;
}  // namespace detail

// time.NewTimer(d): sends the current time on c() once d has passed.
// Dropping the Timer does not stop it (as in Go, where the channel keeps it);
// once neither the Timer nor any handle of its channel is left, nobody can
// receive, and the timer is stopped and freed at once (Go 1.23).
// Move assignment stops the timer assigned over (an after_func timer it
// drops instead, as destroying does). A moved-from Timer may be destroyed or
// assigned to; c(), stop() and reset() on it throw Panic.
class Timer {
public:
    explicit Timer(Duration d);
    template <class Rep, class Period>
    explicit Timer(std::chrono::duration<Rep, Period> d) : Timer(to_duration(d)) {}
    Timer(Timer&& o) noexcept;
    Timer& operator=(Timer&& o) noexcept;
    ~Timer();

    RecvChannel<Time> c() const;
    // True if the call stopped the timer before its value was received
    // (after_func: before f was started).
    bool stop();
    // Re-arms for d from now; true if the timer had been active. No value
    // from the previous arming is received afterwards. An after_func timer
    // runs f again (in a new goroutine) once d has passed.
    bool reset(Duration d);
    template <class Rep, class Period>
    bool reset(std::chrono::duration<Rep, Period> d) { return reset(to_duration(d)); }

private:
    friend Timer after_func(Duration d, std::function<void()> f);
    Timer(Channel<Time> ch, detail::TimerState* s) noexcept : ch_(std::move(ch)), s_(s) {}
    // ch_ keeps the timer: s_ lives while any handle of its channel does.
    // An after_func timer has a nil ch_ and holds a reference to s_ instead.
    Channel<Time> ch_;
    detail::TimerState* s_;
};

// time.AfterFunc(d, f): once d has passed, f runs in its own goroutine. The
// Timer's c() is a nil channel, as Go's. Dropping the Timer does not stop it:
// f still runs, and the timer is freed once it has fired (or, stopped, with
// the Timer). stop() keeps f from running (true if it did); reset(d)
// re-arms it, also after f ran.
Timer after_func(Duration d, std::function<void()> f);
template <class Rep, class Period>
Timer after_func(std::chrono::duration<Rep, Period> d, std::function<void()> f) {
    return after_func(to_duration(d), std::move(f));
}

// time.NewTicker(d): sends the time every d; d <= 0 throws
// Panic("non-positive interval for NewTicker"). Destroying the Ticker stops
// it, and so does assigning another over it. A moved-from Ticker may be
// destroyed or assigned to; c(), stop() and reset() on it throw Panic.
class Ticker {
public:
    explicit Ticker(Duration d);
    template <class Rep, class Period>
    explicit Ticker(std::chrono::duration<Rep, Period> d) : Ticker(to_duration(d)) {}
    Ticker(Ticker&& o) noexcept;
    Ticker& operator=(Ticker&& o) noexcept;
    ~Ticker();

    RecvChannel<Time> c() const;
    void stop();
    // New period; d <= 0 throws Panic("non-positive interval for Ticker.Reset").
    void reset(Duration d);
    template <class Rep, class Period>
    void reset(std::chrono::duration<Rep, Period> d) { reset(to_duration(d)); }

private:
    Channel<Time> ch_;
    detail::TimerState* s_;
};

// time.After(d): Timer(d).c(). Once the channel's last handle is gone (a
// select that did not take it), the timer is freed at once (Go 1.23).
RecvChannel<Time> after(Duration d);
template <class Rep, class Period>
RecvChannel<Time> after(std::chrono::duration<Rep, Period> d) { return after(to_duration(d)); }

// time.Tick(d): a ticker's channel, nil if d <= 0. It ticks until the
// channel's last handle is gone, then stops and is freed (Go 1.23).
RecvChannel<Time> tick(Duration d);
template <class Rep, class Period>
RecvChannel<Time> tick(std::chrono::duration<Rep, Period> d) { return tick(to_duration(d)); }

}  // namespace gocxx::time

GOCXX_API_END
