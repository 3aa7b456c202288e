// Go's time package: Sleep, After, Tick, Timer, Ticker (Go 1.23 rules),
// AfterFunc, Since, Until and Duration.String.
//
// Real time (there is no virtual clock): lower bounds are exact (a 20 ms timer
// never fires before 20 ms), upper bounds generous, and ordering is preferred
// to absolute times. Sleeps here are the time under test or "let time pass so
// the timer has surely fired"; they never order events between parties.
#define BOOST_TEST_MODULE time
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <utility>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

// Slack for upper bounds: the machine may be loaded (sanitizers, CI).
constexpr auto kSlack = 500ms;

double ms(time::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct PanicIs {
    std::string want;
    bool operator()(const Panic& p) const { return p.what() == want; }
};

// Whether ch delivers a value within `bound` (a negative check's time bound).
// Any channel type (a timer's, or one an after_func's f sends on).
template <class C>
bool receives_within(const C& ch, time::Duration bound) {
    return select(case_recv(ch), case_recv(time::after(bound))) == 0;
}

}  // namespace

// ---------------------------------------------------------------- sleep

GOCXX_TEST(sleep_lower_bound) {
    for (auto d : {1ms, 5ms, 20ms}) {
        const auto start = time::now();
        time::sleep(d);
        const auto took = time::now() - start;
        BOOST_TEST((took >= d), "slept " << ms(took) << " ms for " << ms(d));
        BOOST_TEST((took < d + kSlack), "slept " << ms(took) << " ms for " << ms(d));
    }
    // Zero and negative return at once.
    const auto start = time::now();
    time::sleep(0ms);
    time::sleep(-5ms);
    BOOST_TEST((time::now() - start < kSlack));
}

// Any std::chrono duration type is accepted.
GOCXX_TEST(sleep_accepts_any_duration) {
    const auto start = time::now();
    time::sleep(std::chrono::microseconds(3000));
    time::sleep(std::chrono::duration<double, std::milli>(2.5));
    BOOST_TEST((time::now() - start >= 5500us));
}

// Sleepers in goroutines wake in deadline order. Deadlines are absolute from
// one start and 50 ms apart, so a worker that a loaded machine deschedules
// for a while does not reorder them (test_virtual_time checks exact order and
// times deterministically).
GOCXX_TEST(sleepers_wake_in_deadline_order) {
    Channel<int> order(4);
    sync::WaitGroup wg;
    const auto start = time::now();
    for (int d : {200, 50, 150, 100})
        wg.go([order, start, d] {
            time::sleep(start + std::chrono::milliseconds(d) - time::now());
            order.send(d);
        });
    wg.wait();
    for (int want : {50, 100, 150, 200}) BOOST_TEST(order.recv() == want);
}

// ---------------------------------------------------------------- after

GOCXX_TEST(after_fires_once_after_d) {
    const auto start = time::now();
    auto c = time::after(20ms);
    const time::Time v = c.recv();
    const auto got = time::now();
    BOOST_TEST((v >= start + 20ms), "value " << ms(v - start) << " ms after start");
    BOOST_TEST((got >= start + 20ms));
    BOOST_TEST((got < start + 20ms + kSlack));
    // Once only.
    BOOST_TEST(!receives_within(c, 20ms));
}

GOCXX_TEST(after_orders_by_duration) {
    time::Timer slow(200ms);
    auto fast = time::after(10ms);
    int first = -1;
    select(case_recv(slow.c(), [&](time::Time) { first = 0; }), case_recv(fast, [&](time::Time) { first = 1; }));
    BOOST_TEST(first == 1);
    BOOST_TEST(slow.stop());
}

// ---------------------------------------------------------------- Timer

GOCXX_TEST(timer_fires_with_time_after_deadline) {
    const auto start = time::now();
    time::Timer t(20ms);
    const time::Time v = t.c().recv();
    const auto got = time::now();
    BOOST_TEST((v >= start + 20ms), "value " << ms(v - start) << " ms after start");
    BOOST_TEST((v <= got));
    BOOST_TEST((got < start + 20ms + kSlack));
    // After receiving: nothing more, and stop reports false.
    BOOST_TEST(!t.stop());
    BOOST_TEST(!receives_within(t.c(), 15ms));
}

GOCXX_TEST(timer_stop_before_fire) {
    time::Timer t(10ms);
    BOOST_TEST(t.stop());
    BOOST_TEST(!t.stop());  // already stopped
    // Nothing is ever received: bound the wait with a later after().
    BOOST_TEST(!receives_within(t.c(), 25ms));
}

// Go 1.23: once Stop returns, no value from before it is received; a timer
// that fired but whose value was not yet received counts as stopped by Stop.
GOCXX_TEST(timer_stop_after_fire_before_receive) {
    time::Timer t(5ms);
    time::sleep(15ms);  // let it fire: its value waits in the channel
    BOOST_TEST(t.stop());
    BOOST_TEST(!t.c().try_recv().has_value());
    BOOST_TEST(!receives_within(t.c(), 15ms));
    BOOST_TEST(!t.stop());
}

GOCXX_TEST(timer_stop_after_receive_returns_false) {
    time::Timer t(5ms);
    (void)t.c().recv();
    BOOST_TEST(!t.stop());
}

// Stop from another goroutine while a receiver waits: the receiver gets
// nothing from the timer.
GOCXX_TEST(timer_stop_while_receiver_waits) {
    auto t = std::make_shared<time::Timer>(15ms);
    Channel<bool> got_tick(1);
    sync::WaitGroup wg;
    wg.go([t, got_tick] {
        RecvChannel<time::Time> c = t->c();
        const int i = select(case_recv(c), case_recv(time::after(30ms)));
        got_tick.send(i == 0);
    });
    BOOST_TEST(t->stop());
    wg.wait();
    BOOST_TEST(!got_tick.recv());
}

GOCXX_TEST(timer_reset_active) {
    const auto start = time::now();
    time::Timer t(200ms);
    BOOST_TEST(t.reset(20ms));  // was active
    const time::Time v = t.c().recv();
    BOOST_TEST((v >= start + 20ms));
    BOOST_TEST((v < start + 200ms), "fired " << ms(v - start) << " ms after start: the old deadline");
    BOOST_TEST(!receives_within(t.c(), 20ms));
    // Reset to a later time from an earlier one.
    const auto s2 = time::now();
    time::Timer u(10ms);
    BOOST_TEST((u.reset(25ms)));
    const time::Time w = u.c().recv();
    BOOST_TEST((w >= s2 + 25ms), "fired " << ms(w - s2) << " ms after start, before the new deadline");
}

GOCXX_TEST(timer_reset_after_receive) {
    time::Timer t(5ms);
    (void)t.c().recv();
    const auto s = time::now();
    BOOST_TEST(!t.reset(15ms));  // had expired and was received: not active
    const time::Time v = t.c().recv();
    BOOST_TEST((v >= s + 15ms));
    BOOST_TEST(!receives_within(t.c(), 15ms));
}

// Reset after the first arming fired but before its value was received: the
// stale value is gone, exactly one value arrives, at the new time.
GOCXX_TEST(timer_reset_after_fire_no_stale_value) {
    time::Timer t(5ms);
    time::sleep(15ms);  // fired; the value sits unreceived
    const auto s = time::now();
    BOOST_TEST(t.reset(15ms));  // Go 1.23: the pending value counts as active
    const time::Time v = t.c().recv();
    BOOST_TEST((v >= s + 15ms), "received a value " << ms(v - s) << " ms after reset: the stale one?");
    BOOST_TEST(!receives_within(t.c(), 20ms));
}

// Reset after stop re-arms the timer.
GOCXX_TEST(timer_reset_after_stop) {
    time::Timer t(5ms);
    BOOST_TEST(t.stop());
    const auto s = time::now();
    BOOST_TEST(!t.reset(10ms));
    BOOST_TEST((t.c().recv() >= s + 10ms));
}

// A Timer may be moved; the moved-to object is the timer.
GOCXX_TEST(timer_move) {
    time::Timer a(10ms);
    time::Timer b(std::move(a));
    BOOST_TEST(b.stop());
    time::Timer c(5ms);
    c = std::move(b);
    const auto s = time::now();
    c.reset(5ms);
    BOOST_TEST((c.c().recv() >= s + 5ms));
}

// Dropping a Timer does not stop it: the channel still gets the value (Go's
// channel keeps the timer).
GOCXX_TEST(timer_dropped_still_fires) {
    RecvChannel<time::Time> c = nullptr;
    const auto s = time::now();
    {
        time::Timer t(10ms);
        c = t.c();
    }
    BOOST_TEST((c.recv() >= s + 10ms));
}

// Timers compete with other channels in a select.
GOCXX_TEST(timer_in_select_with_other_channels) {
    Channel<int> data;
    Channel<Unit> go_on;
    sync::WaitGroup wg;
    wg.go([data, go_on] {
        data.send(1);
        go_on.recv();
        // then nothing for a long time
    });
    time::Timer t(40ms);
    int got = 0;
    // data is ready long before the timer.
    int i = select(case_recv(data, [&](int v) { got = v; }), case_recv(t.c()));
    BOOST_TEST(i == 0);
    BOOST_TEST(got == 1);
    // Now data stays silent: the timer case wins.
    const auto s = time::now();
    i = select(case_recv(data, [&](int v) { got = v; }), case_recv(time::after(20ms)));
    BOOST_TEST(i == 1);
    BOOST_TEST((time::now() >= s + 20ms));
    go_on.send({});
    wg.wait();
    // A send case with a timeout: nobody receives, the timeout fires.
    Channel<int> nobody;
    i = select(case_send(nobody, 5), case_recv(time::after(10ms)));
    BOOST_TEST(i == 1);
    // The Timer itself, still pending, is taken once its deadline passes.
    i = select(case_recv(nobody), case_recv(t.c()));
    BOOST_TEST(i == 1);
}

// A timer's receiver on a plain thread and one in a goroutine, together.
GOCXX_TEST(timers_from_goroutines_and_threads) {
    const auto s = time::now();
    Channel<time::Time> res(2);
    auto tc = time::after(15ms);
    std::thread th([res] { res.send(time::Timer(15ms).c().recv()); });
    go([res] { res.send(time::after(15ms).recv()); });
    const time::Time mine = tc.recv();
    const time::Time a = res.recv(), b = res.recv();
    th.join();
    BOOST_TEST((mine >= s + 15ms));
    BOOST_TEST((a >= s + 15ms));
    BOOST_TEST((b >= s + 15ms));
}

// ---------------------------------------------------------------- Ticker

// The first tick comes one period after the start, so n ticks take at least
// n periods; the values increase.
GOCXX_TEST(ticker_ticks_with_period) {
    const auto period = 10ms;
    const int n = 5;
    const auto start = time::now();
    time::Ticker tk(period);
    time::Time prev = start;
    for (int i = 1; i <= n; ++i) {
        const time::Time v = tk.c().recv();
        BOOST_TEST((v >= start + i * period), "tick " << i << " at " << ms(v - start) << " ms");
        BOOST_TEST((v > prev));
        prev = v;
    }
    const auto took = time::now() - start;
    BOOST_TEST((took >= n * period));
    BOOST_TEST((took < n * period + kSlack));
    tk.stop();
}

// A slow receiver: ticks are dropped, not queued. After 10 periods without
// receiving, the channel holds at most one value.
GOCXX_TEST(ticker_drops_ticks_for_slow_receiver) {
    const auto period = 5ms;
    time::Ticker tk(period);
    time::sleep(10 * period);
    BOOST_TEST(tk.c().len() <= 1u);
    int buffered = 0;
    while (tk.c().try_recv()) ++buffered;
    BOOST_TEST(buffered >= 1);
    BOOST_TEST(buffered <= 2);  // a fresh tick may land between the two try_recv
    // And it keeps ticking afterwards.
    const auto s = time::now();
    (void)tk.c().recv();
    BOOST_TEST((time::now() < s + period + kSlack));
}

GOCXX_TEST(ticker_stop_stops_ticks) {
    time::Ticker tk(5ms);
    (void)tk.c().recv();
    (void)tk.c().recv();
    tk.stop();
    // No stale tick and no new ones.
    BOOST_TEST(!receives_within(tk.c(), 20ms));
    tk.stop();  // idempotent
}

GOCXX_TEST(ticker_reset_changes_period) {
    time::Ticker tk(300ms);
    const auto s = time::now();
    tk.reset(10ms);
    const time::Time v1 = tk.c().recv();
    BOOST_TEST((v1 >= s + 10ms));
    BOOST_TEST((v1 < s + 300ms), "tick " << ms(v1 - s) << " ms after reset: still the old period");
    const time::Time v2 = tk.c().recv();
    BOOST_TEST((v2 >= s + 20ms));  // the second tick of the new period
    BOOST_TEST((v2 > v1));
    // Longer again: with a 10 ms timer racing it, the timer wins.
    tk.reset(300ms);
    BOOST_TEST((select(case_recv(tk.c()), case_recv(time::after(10ms))) == 1));
    // Reset after stop starts it again.
    tk.stop();
    const auto s2 = time::now();
    tk.reset(5ms);
    BOOST_TEST((tk.c().recv() >= s2 + 5ms));
}

GOCXX_TEST(ticker_non_positive_interval_panics) {
    BOOST_CHECK_EXCEPTION(time::Ticker(0ms), Panic, PanicIs{"non-positive interval for NewTicker"});
    BOOST_CHECK_EXCEPTION(time::Ticker(-1ms), Panic, PanicIs{"non-positive interval for NewTicker"});
    time::Ticker tk(100ms);
    BOOST_CHECK_EXCEPTION(tk.reset(0ms), Panic, PanicIs{"non-positive interval for Ticker.Reset"});
    tk.stop();
}

GOCXX_TEST(tick_non_positive_is_nil) {
    BOOST_TEST((time::tick(0ms) == nullptr));
    BOOST_TEST((time::tick(-1s) == nullptr));
    // A nil channel is never ready in a select.
    const int i = select(case_recv(time::tick(0ms)), case_default());
    BOOST_TEST(i == 1);
}

// time.Tick: a channel that ticks forever.
GOCXX_TEST(tick_ticks) {
    const auto s = time::now();
    auto c = time::tick(5ms);
    BOOST_TEST((c != nullptr));
    for (int i = 1; i <= 3; ++i) BOOST_TEST((c.recv() >= s + i * 5ms));
}

// ---------------------------------------------------------------- many timers

// 10,000 goroutines each sleep a random 1-30 ms: all wake, none before its
// deadline.
GOCXX_TEST(many_pending_sleepers) {
    const long n = test::scaled(10000);
    auto early = std::make_shared<std::atomic<long>>(0);
    auto woke = std::make_shared<std::atomic<long>>(0);
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> dist(1, 30);
    sync::WaitGroup wg;
    for (long i = 0; i < n; ++i) {
        const auto d = std::chrono::milliseconds(dist(rng));
        wg.go([d, early, woke] {
            const auto s = time::now();
            time::sleep(d);
            if (time::now() < s + d) early->fetch_add(1);
            woke->fetch_add(1);
        });
    }
    wg.wait();
    BOOST_TEST(woke->load() == n);
    BOOST_TEST(early->load() == 0);
}

// The same number of time::after channels pending at once in one flow; each
// value is at or after its own deadline.
GOCXX_TEST(many_pending_after_channels) {
    const long n = test::scaled(10000);
    std::mt19937 rng(777);
    std::uniform_int_distribution<int> dist(1, 30);
    std::vector<std::pair<time::Time, RecvChannel<time::Time>>> timers;
    timers.reserve(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
        const auto d = std::chrono::milliseconds(dist(rng));
        const auto s = time::now();
        timers.emplace_back(s + d, time::after(d));
    }
    long early = 0;
    for (auto& [deadline, c] : timers)
        if (c.recv() < deadline) ++early;
    BOOST_TEST(early == 0);
}

// Many Timers, half of them stopped: exactly the others deliver.
GOCXX_TEST(many_timers_half_stopped) {
    const int n = static_cast<int>(test::scaled(2000));
    std::vector<time::Timer> ts;
    ts.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) ts.emplace_back(std::chrono::milliseconds(5 + i % 20));
    int stopped = 0;
    for (int i = 0; i < n; i += 2)
        if (ts[static_cast<std::size_t>(i)].stop()) ++stopped;
    BOOST_TEST(stopped == (n + 1) / 2);
    for (int i = 1; i < n; i += 2) (void)ts[static_cast<std::size_t>(i)].c().recv();
    time::sleep(30ms);  // past every deadline
    int stale = 0;
    for (int i = 0; i < n; i += 2)
        if (ts[static_cast<std::size_t>(i)].c().try_recv()) ++stale;
    BOOST_TEST(stale == 0);
}

// ---------------------------------------------------------------- races

// reset() lands right around the moment the timer fires, over and over: each
// value received is from the latest arming (never before reset + d), and
// after the last one nothing more arrives.
GOCXX_TEST(timer_reset_races_with_firing) {
    const long iters = test::scaled(10000);
    time::Timer t(std::chrono::microseconds(1));
    long stale = 0, received = 0;
    for (long i = 0; i < iters; ++i) {
        const auto d = std::chrono::microseconds(i % 40);
        const auto s = time::now();
        t.reset(d);
        if (i % 16 == 0) {
            if (t.c().recv() < s + d) ++stale;
            ++received;
        }
    }
    const auto s = time::now();
    t.reset(std::chrono::microseconds(20));
    if (t.c().recv() < s + std::chrono::microseconds(20)) ++stale;
    BOOST_TEST(stale == 0);
    BOOST_TEST(received > 0);
    BOOST_TEST(!receives_within(t.c(), 5ms));
}

// The same for a Ticker with a tiny period: resets race with ticks firing and
// re-arming; afterwards the ticker ticks on its new period and stops cleanly,
// and other timers still fire in order.
GOCXX_TEST(ticker_reset_races_with_ticks) {
    const long iters = test::scaled(20000);
    time::Ticker tk(std::chrono::microseconds(10));
    for (long i = 0; i < iters; ++i) {
        tk.reset(std::chrono::microseconds(1 + i % 20));
        if (i % 64 == 0) (void)tk.c().recv();
    }
    const auto s = time::now();
    tk.reset(2ms);
    (void)tk.c().try_recv();  // at most a tick from before the reset (drained by reset anyway)
    BOOST_TEST((tk.c().recv() >= s + 2ms));
    tk.stop();
    BOOST_TEST(!receives_within(tk.c(), 10ms));
    // Absolute deadlines from one start, 30 ms apart: goroutine start-up is
    // slow under TSan, and relative sleeps would measure that instead.
    Channel<int> order(3);
    sync::WaitGroup wg;
    const auto start = time::now();
    for (int d : {90, 30, 60})
        wg.go([order, start, d] {
            time::sleep(start + std::chrono::milliseconds(d) - time::now());
            order.send(d);
        });
    wg.wait();
    for (int want : {30, 60, 90}) BOOST_TEST(order.recv() == want);
}

// Stop and reset from several goroutines and a thread at once on one Timer
// (Go's Timer methods may be called concurrently), while a receiver drains
// it: no crash or race, and afterwards it behaves.
GOCXX_TEST(timer_concurrent_stop_reset) {
    const long iters = test::scaled(5000);
    auto t = std::make_shared<time::Timer>(std::chrono::microseconds(5));
    sync::WaitGroup wg;
    auto hammer = [t](int seed) {
        for (long i = 0; i < iters; ++i) {
            if ((i + seed) % 3 == 0) t->stop();
            else t->reset(std::chrono::microseconds((i + seed) % 30));
        }
    };
    for (int k = 0; k < 3; ++k) wg.go([hammer, k] { hammer(k); });
    std::thread th(hammer, 7);
    // A receiver drains whatever fires meanwhile.
    Channel<Unit> quit;
    Channel<Unit> drained;
    go([t, quit, drained] {
        for (;;) {
            bool q = false;
            select(case_recv(t->c()), case_recv(quit, [&] { q = true; }));
            if (q) break;
        }
        drained.close();
    });
    wg.wait();
    th.join();
    quit.close();
    drained.recv();
    const auto s = time::now();
    t->reset(3ms);
    BOOST_TEST((t->c().recv() >= s + 3ms));
    BOOST_TEST(!receives_within(t->c(), 10ms));
}

// ------------------------------------------- timers while workers are held
//
// A due timer is runnable work: it fires within about a time slice even when
// every worker is held by a goroutine that computes or sits in a plain
// blocking call (the monitor lends a worker for it, as Go's sysmon does).

namespace {
// How late (ms) each kind of timer fired: sleep, time::after, a Ticker's
// first tick, a context deadline; all armed for 50 ms while `hold` runs on
// every worker (each `hold` ends when `all_fired` is set, or after 5 s).
// `release` runs once all have fired. Returns the latest, or a negative
// value if one never fired.
template <class Hold, class Release>
double latest_timer_while_held(Hold hold, Release release) {
    const int workers = runtime::gomaxprocs();
    std::atomic<int> armed{0}, fired{0};
    std::atomic<bool> all_fired{false};
    std::atomic<long> latest_us{0};
    sync::WaitGroup wg;
    auto report = [&](time::Time armed_at) {
        const long late =
            std::chrono::duration_cast<std::chrono::microseconds>(time::now() - armed_at - 50ms).count();
        long cur = latest_us.load();
        while (late > cur && !latest_us.compare_exchange_weak(cur, late)) {
        }
        if (fired.fetch_add(1) == 3) {
            all_fired.store(true);
            release();
        }
    };
    // The timers are armed first, so that afterwards no goroutine waits for
    // a worker: only the timers need one.
    wg.add(4);
    go([&] {
        const auto t0 = time::now();
        armed.fetch_add(1);
        time::sleep(50ms);
        report(t0);
        wg.done();
    });
    go([&] {
        const auto t0 = time::now();
        auto c = time::after(50ms);
        armed.fetch_add(1);
        c.recv();
        report(t0);
        wg.done();
    });
    go([&] {
        const auto t0 = time::now();
        time::Ticker tk(50ms);
        armed.fetch_add(1);
        tk.c().recv();
        tk.stop();
        report(t0);
        wg.done();
    });
    go([&] {
        const auto t0 = time::now();
        auto [ctx, cancel] = context::with_timeout(context::background(), 50ms);
        armed.fetch_add(1);
        ctx.done().recv();
        cancel();
        report(t0);
        wg.done();
    });
    const auto cap = std::chrono::steady_clock::now() + 10s;
    while (armed.load() < 4 && std::chrono::steady_clock::now() < cap) runtime::gosched();
    for (int i = 0; i < workers; ++i) {
        wg.add(1);
        go([&] {
            hold(all_fired);
            wg.done();
        });
    }
    wg.wait();
    return fired.load() == 4 ? static_cast<double>(latest_us.load()) / 1000 : -1;
}
}  // namespace

GOCXX_TEST(timers_fire_while_every_worker_computes) {
    const double late = latest_timer_while_held([](std::atomic<bool>& done) {
        const auto cap = std::chrono::steady_clock::now() + 5s;
        while (!done.load(std::memory_order_relaxed) && std::chrono::steady_clock::now() < cap) {
        }
    }, [] {});
    BOOST_TEST_MESSAGE("latest timer late by " << late << " ms");
    BOOST_TEST(late >= 0);
    // Without a worker lent for them they fire only once a computer gives up
    // (5 s); a slice is 10 ms, the rest is slack for a loaded machine.
    BOOST_TEST(late < ms(kSlack) * 2, "latest timer " << late << " ms late");
}

GOCXX_TEST(timers_fire_while_every_worker_blocks_in_a_call) {
    // Each holder sits in poll(2) on a pipe (not through runtime::blocking;
    // once nested in runtime::blocking, whose inner call ended its loan
    // before the outer one). Without the timers nobody writes the pipe: it
    // ends by its own 5 s timeout.
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    std::atomic<int> turn{0};
    const char c = 'x';
    const double late = latest_timer_while_held([&](std::atomic<bool>&) {
        auto wait = [&] {
            pollfd p{fds[0], POLLIN, 0};
            ::poll(&p, 1, 5000);
        };
        if (turn.fetch_add(1) % 2 == 0) wait();
        else runtime::blocking([&] {
            runtime::blocking([] {});
            wait();
        });
    }, [&] { (void)!::write(fds[1], &c, 1); });  // ends every holder's poll
    BOOST_TEST_MESSAGE("latest timer late by " << late << " ms");
    BOOST_TEST(late >= 0);
    BOOST_TEST(late < ms(kSlack) * 2, "latest timer " << late << " ms late");
    ::close(fds[0]);
    ::close(fds[1]);
}

// Huge durations saturate, as in Go: a timer at the end of time never fires
// (now() + Duration::max() used to overflow and fire at once); hugely
// negative ones fire at once. Any std::chrono duration type is accepted.
GOCXX_TEST(huge_durations_saturate) {
    BOOST_TEST(!receives_within(time::after(time::Duration::max()), 100ms));
    BOOST_TEST(!receives_within(time::after(std::chrono::hours::max()), 50ms));
    time::Timer t(std::chrono::hours::max());
    BOOST_TEST(!receives_within(t.c(), 50ms));
    BOOST_TEST(t.reset(time::Duration::max()));
    BOOST_TEST(!receives_within(t.c(), 50ms));
    BOOST_TEST(t.stop());
    time::Ticker tk(time::Duration::max());
    BOOST_TEST(!receives_within(tk.c(), 50ms));
    tk.reset(std::chrono::seconds::max());
    BOOST_TEST(!receives_within(tk.c(), 50ms));
    tk.stop();
    auto [ctx, cancel] = context::with_timeout(context::background(), time::Duration::max());
    BOOST_TEST(select(case_recv(ctx.done()), case_recv(time::after(50ms))) == 1);
    auto [d, has] = ctx.deadline();
    BOOST_TEST(has);
    BOOST_TEST((d > time::now() + std::chrono::hours(24 * 365)));
    cancel();
    // The other end: at once.
    BOOST_TEST(receives_within(time::after(time::Duration::min()), 5s));
    BOOST_TEST(receives_within(time::after(std::chrono::hours::min()), 5s));
    const auto t0 = time::now();
    time::sleep(time::Duration::min());
    time::sleep(std::chrono::hours::min());
    BOOST_TEST((time::now() - t0 < kSlack));
    auto [ctx2, cancel2] = context::with_timeout(context::background(), std::chrono::hours::min());
    BOOST_TEST((ctx2.err() == context::DeadlineExceeded));
    cancel2();
}

// ---------------------------------------------------------------- moves and edges

// Assigning over a Timer stops the timer it held: its channel (still held
// here) never gets the value. Timers fire in deadline order, so once the
// 30 ms one has delivered, a 1 ms one that was not stopped would have too.
GOCXX_TEST(timer_move_assignment_stops_the_old_timer) {
    time::Timer t(1ms);
    RecvChannel<time::Time> old = t.c();
    t = time::Timer(1h);
    time::Timer later(30ms);
    (void)later.c().recv();
    BOOST_TEST(!old.try_recv().has_value());
    BOOST_TEST(t.stop());  // the new one is the assigned one, still pending
}

// Assigning over a Ticker stops the ticker it held (it ticked forever).
GOCXX_TEST(ticker_move_assignment_stops_the_old_ticker) {
    time::Ticker tk(1ms);
    RecvChannel<time::Time> old = tk.c();
    (void)old.recv();
    tk = time::Ticker(1h);
    (void)old.try_recv();  // a tick delivered before the assignment may be left
    time::Timer later(30ms);
    (void)later.c().recv();
    BOOST_TEST(!old.try_recv().has_value());
    // The moved-in one runs: reset it to a short period and it ticks.
    tk.reset(1ms);
    (void)tk.c().recv();
}

// c(), stop() and reset() on a moved-from Timer or Ticker throw (they
// dereferenced null); assigning to one makes it live again.
GOCXX_TEST(moved_from_timer_and_ticker_panic) {
    time::Timer a(1h);
    time::Timer b(std::move(a));
    BOOST_CHECK_EXCEPTION(a.stop(), Panic, PanicIs{"time: stop() called on a moved-from Timer"});
    BOOST_CHECK_EXCEPTION(a.reset(1ms), Panic, PanicIs{"time: reset() called on a moved-from Timer"});
    BOOST_CHECK_EXCEPTION((void)a.c(), Panic, PanicIs{"time: c() called on a moved-from Timer"});
    time::Timer c(1h);
    c = std::move(b);
    BOOST_CHECK_EXCEPTION(b.stop(), Panic, PanicIs{"time: stop() called on a moved-from Timer"});
    BOOST_TEST(c.stop());
    a = time::Timer(1ms);  // a moved-from Timer may be assigned to, and is live again
    (void)a.c().recv();

    time::Ticker t(1h);
    time::Ticker u(std::move(t));
    BOOST_CHECK_EXCEPTION(t.stop(), Panic, PanicIs{"time: stop() called on a moved-from Ticker"});
    BOOST_CHECK_EXCEPTION(t.reset(1ms), Panic, PanicIs{"time: reset() called on a moved-from Ticker"});
    BOOST_CHECK_EXCEPTION((void)t.c(), Panic, PanicIs{"time: c() called on a moved-from Ticker"});
    time::Ticker v(1h);
    v = std::move(u);
    BOOST_CHECK_EXCEPTION(u.reset(1ms), Panic, PanicIs{"time: reset() called on a moved-from Ticker"});
    v.stop();
    // Destroying the moved-from ones (a, b, t, u) at the end is fine.

    // Self-move-assignment leaves the object as it was, armed.
    time::Timer s(1ms);
    time::Timer& sr = s;
    s = std::move(sr);
    (void)s.c().recv();
    time::Ticker tk(1ms);
    time::Ticker& tkr = tk;
    tk = std::move(tkr);
    (void)tk.c().recv();
    tk.stop();
}

namespace {
long rss_bytes() {
    long pages_total = 0, pages_rss = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages_total, &pages_rss) != 2) pages_rss = 0;
        std::fclose(f);
    }
    return pages_rss * ::sysconf(_SC_PAGESIZE);
}
}  // namespace

// A select that does not take time::after's channel leaves a timer nobody can
// receive from: it is freed at once, not when it would fire (Go 1.23). A
// million of them (they held 156 MiB at 500,000) stay within a fixed bound.
BOOST_AUTO_TEST_CASE(unreceived_after_channels_are_freed) {
    gocxx::run([] {
        const long n = test::scaled(1000000);
        const long base = time::detail::live_timers();
        const long rss0 = rss_bytes();
        long most = 0, defaults = 0;
        Channel<int> ready(1);
        for (long i = 0; i < n; ++i) {
            if (i % 2) {
                select(case_recv(time::after(1min), [](time::Time) {}), case_default([&] { ++defaults; }));
            } else {
                ready.send(1);
                select(case_recv(time::after(1min), [](time::Time) {}), case_recv(ready, [](int) {}));
            }
            if (i % 1024 == 0) most = std::max(most, time::detail::live_timers() - base);
        }
        BOOST_TEST(defaults == n / 2);
        BOOST_TEST(most <= 4);
        BOOST_TEST(time::detail::live_timers() - base <= 4);
#ifndef GOCXX_SANITIZED  // AddressSanitizer's quarantine keeps freed memory resident
        BOOST_TEST(rss_bytes() - rss0 < 32L << 20);
#else
        (void)rss0;
#endif
    });
}

// The same for a dropped Timer nobody kept the channel of, and for time::tick.
GOCXX_TEST(unreferenced_timers_and_ticks_are_freed) {
    const long n = test::scaled(20000);
    const long base = time::detail::live_timers();
    for (long i = 0; i < n; ++i) {
        { time::Timer t(1h); }
        select(case_recv(time::tick(1h)), case_default());
    }
    BOOST_TEST(time::detail::live_timers() - base <= 4);
    // A Timer that is kept keeps its timer, dropped channel copies or not.
    time::Timer kept(1ms);
    for (int i = 0; i < 10; ++i) (void)kept.c();
    (void)kept.c().recv();
}

// The last handle dropping while the timer fires, from many goroutines: every
// timer is freed once its firing is over, and nothing is delivered to a freed
// channel (the sanitizers watch).
GOCXX_TEST(last_handle_races_with_firing) {
    const long base = time::detail::live_timers();
    const int gs = 8;
    const long per = test::scaled(4000);
    sync::WaitGroup wg;
    for (int g = 0; g < gs; ++g) {
        wg.add(1);
        go([&wg, g] {
            for (long i = 0; i < per; ++i) {
                // Mostly due at once (firing as the handle drops), some never.
                auto c = i % 5 == 0 ? time::after(1h) : time::after(std::chrono::microseconds((i + g) % 3));
                if (i % 7 == 0) (void)c.try_recv();
                if (i % 11 == 0) {
                    time::Ticker tk(std::chrono::microseconds(1 + i % 2));
                    auto tc = tk.c();
                    (void)tc.try_recv();
                }
            }
            wg.done();
        });
    }
    wg.wait();
    // Firings already taken out of the heap may still be running; they free
    // their timers as they end. Wait (bounded) for that.
    for (int i = 0; i < 5000 && time::detail::live_timers() > base; ++i) time::sleep(1ms);
    BOOST_TEST(time::detail::live_timers() - base <= 0);
}

// ---------------------------------------------------------------- Duration.String, Since, Until

// Go 1.19's d.String() for each of these (printed by test/conformance/duration.go).
BOOST_AUTO_TEST_CASE(duration_to_string_is_gos_text) {
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    const std::pair<std::int64_t, const char*> cases[] = {
        {0, "0s"},
        {1, "1ns"},
        {999, "999ns"},
        {1000, "1\u00b5s"},
        {1500, "1.5\u00b5s"},
        {999999, "999.999\u00b5s"},
        {1000000, "1ms"},
        {1000001, "1.000001ms"},
        {1500000, "1.5ms"},
        {12345678, "12.345678ms"},
        {150000000, "150ms"},
        {999999999, "999.999999ms"},
        {1000000000, "1s"},
        {1000000001, "1.000000001s"},
        {1500000000, "1.5s"},
        {59000000000, "59s"},
        {60000000000, "1m0s"},
        {120000000000, "2m0s"},
        {90000000000, "1m30s"},
        {61100000000, "1m1.1s"},
        {3600000000000, "1h0m0s"},
        {3600000000001, "1h0m0.000000001s"},
        {3723500000000, "1h2m3.5s"},
        {86400000000000, "24h0m0s"},
        {363599000000000, "100h59m59s"},
        {-1, "-1ns"},
        {-1500000, "-1.5ms"},
        {-1500000000, "-1.5s"},
        {-120000000000, "-2m0s"},
        {-3601000000000, "-1h0m1s"},
        {kMax, "2562047h47m16.854775807s"},
        {kMin, "-2562047h47m16.854775808s"},
        {kMin + 1, "-2562047h47m16.854775807s"},
    };
    for (const auto& [ns, want] : cases)
        BOOST_TEST(time::to_string(time::Duration(ns)) == std::string(want), "for " << ns << " ns");
    // The micro sign is U+00B5 in UTF-8, not U+03BC (Greek mu).
    BOOST_TEST(time::to_string(time::Duration(1000)) == std::string("1\xc2\xb5s"));
    // Any std::chrono duration converts first (saturating, as to_duration).
    BOOST_TEST(time::to_string(1500ms) == "1.5s");
    BOOST_TEST(time::to_string(std::chrono::minutes(2)) == "2m0s");
    BOOST_TEST(time::to_string(std::chrono::duration<double>(0.25)) == "250ms");
    BOOST_TEST(time::to_string(std::chrono::hours::max()) == "2562047h47m16.854775807s");
}

GOCXX_TEST(since_and_until) {
    const time::Time start = time::now();
    time::sleep(20ms);
    const time::Duration s = time::since(start);
    BOOST_TEST((s >= 20ms));
    BOOST_TEST((s < 20ms + kSlack));
    const time::Time later = time::now() + 1h;
    const time::Duration u = time::until(later);
    BOOST_TEST((u <= 1h));
    BOOST_TEST((u > 1h - kSlack));
    BOOST_TEST((time::until(start) < time::Duration::zero()));
    BOOST_TEST((time::since(later) < time::Duration::zero()));
    // Go's Sub saturates rather than overflowing.
    BOOST_TEST((time::since(time::Time::min()) == time::Duration::max()));
    BOOST_TEST((time::until(time::Time::min()) == time::Duration::min()));
    BOOST_TEST((time::until(time::Time::max()) > 24h * 365 * 100));
    BOOST_TEST((time::sub(time::Time::max(), time::Time::min()) == time::Duration::max()));
    BOOST_TEST((time::sub(time::Time::min(), time::Time::max()) == time::Duration::min()));
    BOOST_TEST((time::sub(start + 5ms, start) == 5ms));
}

// ---------------------------------------------------------------- AfterFunc

// f runs once, after d, in another goroutine than the caller; c() is nil.
GOCXX_TEST(after_func_runs_f_after_d) {
    Channel<time::Time> ran(1);
    const time::Time start = time::now();
    time::Timer t = time::after_func(15ms, [ran] { ran.send(time::now()); });
    BOOST_TEST((t.c() == nullptr));
    const time::Time at = ran.recv();
    BOOST_TEST((at >= start + 15ms));
    BOOST_TEST((at < start + 15ms + kSlack));
    BOOST_TEST(!ran.try_recv().has_value());
    BOOST_TEST(!t.stop());  // it ran
    BOOST_TEST(!receives_within(ran, 20ms));  // once only
}

// Go: Stop before it fires keeps f from running and returns true.
GOCXX_TEST(after_func_stop_before_fire) {
    std::atomic<int> runs{0};
    time::Timer t = time::after_func(10ms, [&runs] { runs.fetch_add(1); });
    BOOST_TEST(t.stop());
    BOOST_TEST(!t.stop());  // already stopped
    time::Timer later(40ms);
    (void)later.c().recv();
    BOOST_TEST(runs.load() == 0);
}

// Go: Reset re-arms f, whether the timer was active (true), stopped (false)
// or had fired (false); after a reset of an active one f runs once, at the
// new time.
GOCXX_TEST(after_func_reset_rearms) {
    Channel<time::Time> ran(4);
    time::Timer t = time::after_func(1h, [ran] { ran.send(time::now()); });
    time::Time s = time::now();
    BOOST_TEST(t.reset(15ms));
    BOOST_TEST((ran.recv() >= s + 15ms));
    s = time::now();
    BOOST_TEST(!t.reset(10ms));  // fired: not active, and runs f again
    BOOST_TEST((ran.recv() >= s + 10ms));
    BOOST_TEST(!t.reset(1h));  // fired again: not active
    BOOST_TEST(t.stop());
    s = time::now();
    BOOST_TEST(!t.reset(5ms));  // stopped
    BOOST_TEST((ran.recv() >= s + 5ms));
    // Reset to a later time from an earlier one: not at the old deadline.
    time::Timer u = time::after_func(5ms, [ran] { ran.send(time::now()); });
    s = time::now();
    BOOST_TEST(u.reset(30ms));
    BOOST_TEST((ran.recv() >= s + 30ms));
    BOOST_TEST(!receives_within(ran, 20ms));
}

// f runs in its own goroutine: an f that blocks holds up neither the timers
// nor another f, and a reset while f runs starts a second one.
GOCXX_TEST(after_func_runs_in_its_own_goroutine) {
    Channel<Unit> block;
    Channel<int> ran(4);
    time::Timer a = time::after_func(1ms, [block, ran] {
        block.recv();
        ran.send(1);
    });
    time::Timer b = time::after_func(10ms, [ran] { ran.send(2); });
    BOOST_TEST(ran.recv() == 2);
    BOOST_TEST(!a.reset(1ms));  // a's first f is still blocked; a second one starts
    block.send({});
    block.send({});
    const int x = ran.recv(), y = ran.recv();
    BOOST_TEST((x == 1 && y == 1));
}

// Go: dropping the Timer does not stop it. f runs, and the timer is freed
// once it has fired; a stopped one is freed with its Timer.
GOCXX_TEST(after_func_dropped_still_fires_then_is_freed) {
    const long base = time::detail::live_timers();
    Channel<int> ran(16);
    for (int i = 0; i < 8; ++i) (void)time::after_func(std::chrono::milliseconds(1 + i), [ran, i] { ran.send(i); });
    {
        time::Timer kept = time::after_func(2ms, [ran] { ran.send(100); });
    }
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += ran.recv();
    BOOST_TEST(sum == 28 + 100);
    // The firing drops the heap's reference after starting f: wait (bounded).
    for (int i = 0; i < 5000 && time::detail::live_timers() > base; ++i) time::sleep(1ms);
    BOOST_TEST(time::detail::live_timers() - base == 0);
    {
        time::Timer t = time::after_func(1h, [] {});
        BOOST_TEST(time::detail::live_timers() - base == 1);
        BOOST_TEST(t.stop());
    }
    BOOST_TEST(time::detail::live_timers() - base == 0);
}

// Moves: the moved-to Timer is the timer; a moved-from one panics as a
// channel Timer's does. Assigning over an after_func Timer drops it, as
// destroying it does (Go: reassigning the variable leaves the timer be): f
// still runs.
GOCXX_TEST(after_func_moves) {
    Channel<int> ran(4);
    time::Timer a = time::after_func(1h, [ran] { ran.send(1); });
    time::Timer b(std::move(a));
    BOOST_CHECK_EXCEPTION(a.stop(), Panic, PanicIs{"time: stop() called on a moved-from Timer"});
    BOOST_CHECK_EXCEPTION(a.reset(1ms), Panic, PanicIs{"time: reset() called on a moved-from Timer"});
    BOOST_CHECK_EXCEPTION((void)a.c(), Panic, PanicIs{"time: c() called on a moved-from Timer"});
    BOOST_TEST(b.reset(5ms));
    BOOST_TEST(ran.recv() == 1);
    time::Timer c = time::after_func(5ms, [ran] { ran.send(2); });
    c = time::after_func(1h, [ran] { ran.send(3); });  // the 5 ms one still runs
    BOOST_TEST(ran.recv() == 2);
    BOOST_TEST(c.stop());  // the assigned one is the 1 h one
    c = time::Timer(1ms);  // an after_func Timer may become a channel one
    (void)c.c().recv();
    a = time::after_func(1ms, [ran] { ran.send(4); });  // a moved-from Timer is live again
    BOOST_TEST(ran.recv() == 4);
    BOOST_TEST(!receives_within(ran, 20ms));
}

// stop() racing with the firing: f runs exactly for the stops that returned
// false, never for those that returned true; every timer is freed.
GOCXX_TEST(after_func_stop_races_with_firing) {
    const long base = time::detail::live_timers();
    const long n = test::scaled(2000);
    Channel<Unit> ran(static_cast<std::size_t>(n));
    long not_stopped = 0;
    for (long i = 0; i < n; ++i) {
        time::Timer t = time::after_func(std::chrono::microseconds(i % 50), [ran] { ran.send({}); });
        if (i % 3) time::sleep(std::chrono::microseconds(i % 40));
        if (!t.stop()) ++not_stopped;
    }
    for (long i = 0; i < not_stopped; ++i) BOOST_REQUIRE(receives_within(ran, 5s));
    BOOST_TEST(!receives_within(ran, 20ms));
    for (int i = 0; i < 5000 && time::detail::live_timers() > base; ++i) time::sleep(1ms);
    BOOST_TEST(time::detail::live_timers() - base == 0);
}
