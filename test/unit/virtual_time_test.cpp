// Deterministic time: this executable runs with GOCXX_VIRTUAL_CLOCK=1 (see
// test/meson.build), so time stands still while any goroutine can run and
// jumps to the next timer once all are blocked (Go's testing/synctest). Every
// deadline below is met *exactly*, and hours pass in microseconds.
//
// Only goroutines take part (the body runs as gocxx::run's main goroutine): a
// plain thread busy outside gocxx would be invisible to the "all blocked" rule.
#define BOOST_TEST_MODULE virtual_time
#include <cstdlib>
#include <cstring>

#include "fixture.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

namespace {
struct VirtualClockRequired {
    VirtualClockRequired() {
        const char* e = std::getenv("GOCXX_VIRTUAL_CLOCK");
        if (!e || std::strcmp(e, "1") != 0) {
            std::fprintf(stderr, "virtual_time tests need GOCXX_VIRTUAL_CLOCK=1\n");
            std::abort();
        }
    }
} const required;

// Runs body as the main goroutine with 1, 2 and 4 workers.
#define VIRTUAL_TEST(name)                                                                       \
    static void name##_body();                                                                   \
    BOOST_DATA_TEST_CASE(name, boost::unit_test::data::make(::gocxx::test::kWorkerCounts), workers) { \
        ::gocxx::test::run_as(workers, ::gocxx::test::Caller::Goroutine, &name##_body);          \
    }                                                                                            \
    static void name##_body()

time::Duration since(time::Time t0) { return time::now() - t0; }
}  // namespace

VIRTUAL_TEST(time_stands_still_while_goroutines_run) {
    const auto t0 = time::now();
    long sum = 0;
    for (int i = 0; i < 100000; ++i) sum += i;  // real work, no virtual time
    Channel<int> ch;
    go([ch] { ch.send(1); });
    sum += ch.recv();
    BOOST_TEST(sum == 4999950001L);
    BOOST_TEST(since(t0).count() == 0);
}

VIRTUAL_TEST(sleep_takes_exactly_its_duration) {
    const auto t0 = time::now();
    time::sleep(1500ms);
    BOOST_TEST(since(t0) == time::Duration(1500ms));
    time::sleep(2h);
    BOOST_TEST(since(t0) == time::Duration(2h + 1500ms));
}

VIRTUAL_TEST(sleepers_wake_in_deadline_order_at_their_deadlines) {
    const auto t0 = time::now();
    Channel<std::pair<int, long>> woke(5);
    sync::WaitGroup wg;
    for (int d : {50, 10, 40, 20, 30})
        wg.go([woke, t0, d] {
            time::sleep(std::chrono::milliseconds(d));
            woke.send({d, static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(since(t0)).count())});
        });
    wg.wait();
    for (int want : {10, 20, 30, 40, 50}) {
        auto [d, at] = woke.recv();
        BOOST_TEST(d == want);
        BOOST_TEST(at == want);
    }
}

VIRTUAL_TEST(timer_fires_exactly_once_at_d) {
    const auto t0 = time::now();
    time::Timer t(250ms);
    const time::Time fired = t.c().recv();
    BOOST_TEST((fired - t0) == time::Duration(250ms));
    BOOST_TEST(since(t0) == time::Duration(250ms));
    time::sleep(1h);
    BOOST_TEST(!t.c().try_recv().has_value());
    BOOST_TEST(!t.stop());  // already received
}

VIRTUAL_TEST(stopped_timer_never_delivers) {
    time::Timer t(100ms);
    time::sleep(50ms);
    BOOST_TEST(t.stop());
    time::sleep(10h);
    BOOST_TEST(!t.c().try_recv().has_value());
}

VIRTUAL_TEST(stop_after_expiry_before_receive_drops_the_value) {
    time::Timer t(100ms);
    time::sleep(200ms);  // fired into the channel, not received
    BOOST_TEST(t.stop());  // Go 1.23: the value is not received after stop
    BOOST_TEST(!t.c().try_recv().has_value());
}

VIRTUAL_TEST(reset_moves_the_deadline_and_drops_stale_values) {
    const auto t0 = time::now();
    time::Timer t(100ms);
    time::sleep(150ms);       // the first arming fired, unreceived
    BOOST_TEST(t.reset(1s));  // active in Go 1.23's sense: its value was pending
    const time::Time fired = t.c().recv();
    BOOST_TEST((fired - t0) == time::Duration(1150ms));
    BOOST_TEST(!t.reset(50ms));  // expired and received
    BOOST_TEST((t.c().recv() - t0) == time::Duration(1200ms));
}

VIRTUAL_TEST(ticker_ticks_on_its_period_and_drops_for_slow_receivers) {
    const auto t0 = time::now();
    time::Ticker tk(100ms);
    for (int i = 1; i <= 3; ++i) BOOST_TEST((tk.c().recv() - t0) == time::Duration(i * 100ms));
    time::sleep(550ms);  // at 850 ms: the ticks of 400..800 came; the channel kept one
    BOOST_TEST(tk.c().len() == 1u);
    BOOST_TEST((tk.c().recv() - t0) == time::Duration(400ms));  // the first one the buffer took
    BOOST_TEST((tk.c().recv() - t0) == time::Duration(900ms));  // then back on the grid
    tk.reset(1s);
    BOOST_TEST((tk.c().recv() - t0) == time::Duration(1900ms));
    tk.stop();
    time::sleep(1h);
    BOOST_TEST(!tk.c().try_recv().has_value());
}

VIRTUAL_TEST(after_in_select_bounds_a_wait) {
    const auto t0 = time::now();
    Channel<int> never;
    const int i = select(case_recv(never, [](int) {}), case_recv(time::after(3s)));
    BOOST_TEST(i == 1);
    BOOST_TEST(since(t0) == time::Duration(3s));
}

VIRTUAL_TEST(context_deadlines_are_exact) {
    const auto t0 = time::now();
    auto [parent, cancel_parent] = context::with_timeout(context::background(), 2s);
    auto [child, cancel_child] = context::with_timeout(parent, 1h);  // the parent's deadline wins
    BOOST_TEST((child.deadline().first - t0) == time::Duration(2s));
    child.done().recv();
    BOOST_TEST(since(t0) == time::Duration(2s));
    BOOST_TEST((child.err() == context::DeadlineExceeded));
    BOOST_TEST((parent.err() == context::DeadlineExceeded));
    cancel_child();
    cancel_parent();
}

VIRTUAL_TEST(cancel_before_deadline_wins) {
    const auto t0 = time::now();
    auto [ctx, cancel] = context::with_timeout(context::background(), 10s);
    go([cancel = cancel] {
        time::sleep(3s);
        cancel();
    });
    ctx.done().recv();
    BOOST_TEST(since(t0) == time::Duration(3s));
    BOOST_TEST((ctx.err() == context::Canceled));
}

VIRTUAL_TEST(semaphore_acquire_times_out_exactly) {
    const auto t0 = time::now();
    sync::Semaphore sem(1);
    sem.acquire();
    auto [ctx, cancel] = context::with_timeout(context::background(), 750ms);
    const Error err = sem.acquire(ctx, 1);
    BOOST_TEST((err == context::DeadlineExceeded));
    BOOST_TEST(since(t0) == time::Duration(750ms));
    sem.release();
    BOOST_TEST(sem.try_acquire());  // left as it was
    sem.release();
    cancel();
}

// The article's job in virtual time: 1,000 calls of 10 s each, at most 100 in
// flight, take exactly 100 s, and max in flight is exactly the limit.
VIRTUAL_TEST(semaphore_job_takes_exactly_n_over_limit_calls) {
    const auto t0 = time::now();
    Channel<Unit> sem(100);
    sync::WaitGroup wg;
    std::atomic<int> in_flight{0}, max_in_flight{0};
    for (int i = 0; i < 1000; ++i) {
        sem.send({});
        wg.go([sem, &in_flight, &max_in_flight] {
            const int now = ++in_flight;
            int seen = max_in_flight.load();
            while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
            }
            time::sleep(10s);
            --in_flight;
            sem.recv();
        });
    }
    wg.wait();
    BOOST_TEST(since(t0) == time::Duration(100s));
    BOOST_TEST(max_in_flight.load() == 100);
}

VIRTUAL_TEST(errgroup_cancels_siblings_at_first_failure) {
    const auto t0 = time::now();
    auto [g, ctx] = errgroup::with_context(context::background());
    for (int i = 1; i <= 5; ++i)
        g.go([ctx = ctx, i]() -> Error {
            if (i == 3) {
                time::sleep(3s);
                return Error("payment 3 failed");
            }
            select(case_recv(ctx.done()), case_recv(time::after(std::chrono::seconds(100 * i))));
            return ctx.err();
        });
    const Error err = g.wait();
    BOOST_TEST(err.message() == "payment 3 failed");
    BOOST_TEST(since(t0) == time::Duration(3s));
}
