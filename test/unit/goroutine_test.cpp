#define BOOST_TEST_MODULE goroutine
#include "fixture.hpp"
#include "helpers.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::scaled;
using gocxx::test::goroutines_drop_to;

#if defined(__SANITIZE_THREAD__)
#define GOCXX_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOCXX_TEST_TSAN 1
#endif
#endif

namespace {

// ThreadSanitizer registers every live fiber as a thread and dies past 8128
// of them, so the many-parked test keeps fewer alive at once under it.
#ifdef GOCXX_TEST_TSAN
constexpr long kMaxLiveGoroutines = 4000;
#else
constexpr long kMaxLiveGoroutines = 1'000'000;
#endif


// Sets gomaxprocs for the scope of a test and restores the previous value.
struct ProcsGuard {
    int old;
    explicit ProcsGuard(int n) : old(runtime::gomaxprocs(n)) {}
    ~ProcsGuard() { runtime::gomaxprocs(old); }
    ProcsGuard(const ProcsGuard&) = delete;
    ProcsGuard& operator=(const ProcsGuard&) = delete;
};

void send_value(int v, std::string s, Channel<Unit> gate, Channel<std::string> out) {
    gate.recv();  // run only after the caller has changed its variables
    out.send(std::to_string(v) + ":" + s);
}

}  // namespace

// go f(x, y): the arguments are copied when go() is called, as Go evaluates them.
GOCXX_TEST(go_copies_arguments_at_call_time) {
    int x = 1;
    std::string s = "old";
    Channel<Unit> gate;
    Channel<std::string> out;
    go(send_value, x, s, gate, out);
    go(&send_value, x + 10, s + "2", gate, out);
    x = 2;
    s = "new";
    gate.close();  // lets both go
    std::string a = out.recv();
    std::string b = out.recv();
    if (a > b) std::swap(a, b);
    BOOST_TEST(a == "11:old2");
    BOOST_TEST(b == "1:old");
}

// The callable itself is copied too: a lambda's by-value captures are frozen
// at go(), and the goroutine still runs after the caller's lambda is gone.
GOCXX_TEST(go_with_lambda) {
    Channel<int> out;
    Channel<Unit> gate;
    {
        int v = 7;
        auto f = [v, out, gate] {
            gate.recv();
            out.send(v * 6);
        };
        go(f);
        v = 100;  // does not reach the copy
    }
    gate.send(Unit{});
    BOOST_TEST(out.recv() == 42);

    // By-reference capture is the caller's business; it works while the
    // caller waits for the goroutine.
    int counter = 0;
    Channel<Unit> done;
    go([&counter, done] {
        counter += 5;
        done.close();
    });
    done.recv();
    BOOST_TEST(counter == 5);

    // Arguments forwarded to a lambda taking parameters.
    Channel<long> res(1);
    go([](int a, long b, Channel<long> c) { c.send(a * b); }, 6, 7L, res);
    BOOST_TEST(res.recv() == 42);
}

// std::ref(x) is how a goroutine shares an argument (go() copies the rest, and
// a T& parameter cannot bind to a copy: a static_assert says so, see
// test/compile_errors/go_reference_param.cpp). The reference_wrapper is kept,
// as std::thread keeps it, and binds to the T& parameter.
namespace {
void add_to(int& n, int by, Channel<Unit> done) {
    n += by;
    done.close();
}
struct Tally {
    int n = 0;
    void add(int by, Channel<Unit> done) {
        n += by;
        done.close();
    }
};
}  // namespace

GOCXX_TEST(go_with_std_ref_shares_the_argument) {
    int n = 1;
    Channel<Unit> done;
    go(add_to, std::ref(n), 41, done);
    done.recv();
    BOOST_TEST(n == 42);  // the caller's n, not a copy

    Tally t;
    Channel<Unit> done2;
    go(&Tally::add, std::ref(t), 5, done2);
    done2.recv();
    BOOST_TEST(t.n == 5);
}

// A move-only argument and callable are moved into the goroutine.
GOCXX_TEST(go_with_move_only_arguments) {
    Channel<int> out;
    auto p = std::make_unique<int>(9);
    go([](std::unique_ptr<int> q, Channel<int> c) { c.send(*q); }, std::move(p), out);
    BOOST_TEST(out.recv() == 9);
    auto q = std::make_unique<int>(11);
    go([q = std::move(q), out]() { out.send(*q); });
    BOOST_TEST(out.recv() == 11);
}

// A closure larger than the in-stack slot (the runtime puts it on the heap).
GOCXX_TEST(go_with_large_closure) {
    struct Big {
        long v[512];
    } big{};
    for (int i = 0; i < 512; ++i) big.v[i] = i;
    Channel<long> out;
    go([big, out] {
        long s = 0;
        for (long x : big.v) s += x;
        out.send(s);
    });
    BOOST_TEST(out.recv() == 511L * 512 / 2);
}

GOCXX_TEST(many_goroutines_run_exactly_once) {
    const int n = static_cast<int>(scaled(10000));
    auto runs = std::make_shared<std::vector<std::atomic<int>>>(n);
    sync::WaitGroup wg;
    wg.add(n);
    for (int i = 0; i < n; ++i) {
        go([runs, i, &wg] {
            (*runs)[i].fetch_add(1, std::memory_order_relaxed);
            wg.done();
        });
    }
    wg.wait();
    int bad = 0;
    for (int i = 0; i < n; ++i)
        if ((*runs)[i].load() != 1) ++bad;
    BOOST_TEST(bad == 0);
}

// With one worker, two goroutines that each wait for the other's turn by
// spinning on gosched() only finish if gosched really lets the other run.
GOCXX_TEST(gosched_lets_another_goroutine_run_on_one_worker) {
    ProcsGuard procs(1);
    const int rounds = static_cast<int>(scaled(2000));
    auto turn = std::make_shared<std::atomic<int>>(0);
    Channel<bool> done(2);  // true: finished all rounds; false: gave up
    for (int me = 0; me < 2; ++me) {
        go([turn, done, me] {
            long spins = 0;
            for (int r = 0; r < rounds; ++r) {
                while (turn->load(std::memory_order_acquire) != me) {
                    if (++spins > 50'000'000) {
                        done.send(false);
                        return;
                    }
                    runtime::gosched();
                }
                turn->store(1 - me, std::memory_order_release);
            }
            done.send(true);
        });
    }
    BOOST_TEST(done.recv());
    BOOST_TEST(done.recv());
}

// gosched from a plain thread yields the thread and returns.
GOCXX_TEST(gosched_outside_goroutine_returns) {
    for (int i = 0; i < 100; ++i) runtime::gosched();
    BOOST_TEST(true);
}

// num_goroutine counts started, unfinished goroutines, parked ones included.
GOCXX_TEST(num_goroutine_counts) {
    const int base = runtime::num_goroutine();
    BOOST_TEST(base >= 0);
    const int n = 50;
    Channel<Unit> gate;
    sync::WaitGroup started;
    started.add(n);
    for (int i = 0; i < n; ++i) {
        go([gate, &started] {
            started.done();
            gate.recv();
        });
    }
    started.wait();
    // Only goroutines that existed before (e.g. a previous test's main
    // goroutine on its way out) may have left in between.
    const int during = runtime::num_goroutine();
    BOOST_TEST(during <= base + n);
    BOOST_TEST(during >= n);
    gate.close();
    BOOST_TEST(goroutines_drop_to(base));
}

// The exact count, from a plain thread with nothing else running.
BOOST_AUTO_TEST_CASE(num_goroutine_exact) {
    BOOST_TEST(goroutines_drop_to(0));
    BOOST_TEST(runtime::num_goroutine() == 0);
    Channel<Unit> gate;
    for (int i = 0; i < 10; ++i) go([gate] { gate.recv(); });
    BOOST_TEST(runtime::num_goroutine() == 10);
    gate.close();
    BOOST_TEST(goroutines_drop_to(0));
    BOOST_TEST(runtime::num_goroutine() == 0);
    int inside = -1;
    gocxx::run([&inside] { inside = runtime::num_goroutine(); });
    BOOST_TEST(inside == 1);  // the main goroutine itself
    BOOST_TEST(goroutines_drop_to(0));
}

GOCXX_TEST(gomaxprocs_returns_previous_and_queries) {
    const int p = runtime::gomaxprocs(0);
    BOOST_TEST(p >= 1);
    BOOST_TEST(runtime::gomaxprocs(-1) == p);  // n <= 0 only queries
    BOOST_TEST(runtime::gomaxprocs(0) == p);
    const int other = p == 3 ? 2 : 3;
    BOOST_TEST(runtime::gomaxprocs(other) == p);
    BOOST_TEST(runtime::gomaxprocs(0) == other);
    // Goroutines still run at the new setting.
    Channel<int> out;
    for (int i = 0; i < 8; ++i) go([out, i] { out.send(i); });
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += out.recv();
    BOOST_TEST(sum == 28);
    BOOST_TEST(runtime::gomaxprocs(p) == other);
    BOOST_TEST(runtime::gomaxprocs(0) == p);
}

// With one worker, a goroutine in time::sleep must not hold the worker: a
// second goroutine does its channel work meanwhile and reports first.
GOCXX_TEST(sleep_frees_the_worker) {
    ProcsGuard procs(1);
    Channel<int> order(2);
    Channel<Unit> sleeping(1);
    go([order, sleeping] {
        sleeping.send(Unit{});
        time::sleep(100ms);  // generous: the other side needs only a few channel operations
        order.send(1);
    });
    go([order, sleeping] {
        sleeping.recv();  // the sleeper is about to sleep (same worker: it is asleep once we run)
        Channel<int> ping, pong;
        go([ping, pong] {
            for (int i = 0; i < 10; ++i) pong.send(ping.recv() + 1);
        });
        int v = 0;
        for (int i = 0; i < 10; ++i) {
            ping.send(v);
            v = pong.recv();
        }
        order.send(v == 10 ? 2 : -1);
    });
    const int first = order.recv();
    const int second = order.recv();
    BOOST_TEST(first == 2);
    BOOST_TEST(second == 1);
}

// time::sleep sleeps at least d, in the body and in goroutines.
GOCXX_TEST(sleep_lower_bound) {
    auto t0 = std::chrono::steady_clock::now();
    time::sleep(5ms);
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 5ms));

    const std::chrono::microseconds ds[] = {1us, 100us, 1ms, 3ms, 7ms, 12ms};
    Channel<bool> ok;
    for (auto d : ds) {
        go([d, ok] {
            auto s = std::chrono::steady_clock::now();
            time::sleep(d);
            ok.send(std::chrono::steady_clock::now() - s >= d);
        });
    }
    int good = 0;
    for (std::size_t i = 0; i < std::size(ds); ++i) good += ok.recv() ? 1 : 0;
    BOOST_TEST(good == static_cast<int>(std::size(ds)));

    // Zero and negative durations return (no upper bound is asserted).
    time::sleep(0ms);
    time::sleep(-5ms);
    time::sleep(std::chrono::duration<double>(0.001));
}

// Many goroutines sleeping at once, with different deadlines, all wake.
GOCXX_TEST(many_sleepers_all_wake) {
    const int n = static_cast<int>(scaled(500));
    std::atomic<int> early{0};
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i) {
        wg.go([i, &early] {
            const auto d = std::chrono::microseconds(100 * (i % 20));
            auto s = std::chrono::steady_clock::now();
            time::sleep(d);
            if (std::chrono::steady_clock::now() - s < d) early.fetch_add(1);
        });
    }
    wg.wait();
    BOOST_TEST(early.load() == 0);
}

GOCXX_TEST(sleep_from_plain_thread) {
    bool ok = false;
    std::thread t([&ok] {
        auto s = std::chrono::steady_clock::now();
        time::sleep(3ms);
        ok = std::chrono::steady_clock::now() - s >= 3ms;
    });
    t.join();
    BOOST_TEST(ok);
}

// 100,000 goroutines parked on one channel at once; closing it wakes them all.
BOOST_AUTO_TEST_CASE(hundred_thousand_parked_goroutines) {
    ProcsGuard procs(2);
    BOOST_TEST(goroutines_drop_to(0));
    const int n = static_cast<int>(std::min(scaled(100000), kMaxLiveGoroutines));
    Channel<Unit> release;
    auto started = std::make_shared<std::atomic<int>>(0);
    auto finished = std::make_shared<std::atomic<int>>(0);
    sync::WaitGroup wg;
    wg.add(n);
    for (int i = 0; i < n; ++i) {
        go([release, started, finished, &wg] {
            started->fetch_add(1, std::memory_order_relaxed);
            auto [v, ok] = release.recv_ok();
            (void)v;
            if (!ok) finished->fetch_add(1, std::memory_order_relaxed);
            wg.done();
        });
    }
    BOOST_TEST(runtime::num_goroutine() == n);
    // Bounded wait until every goroutine has at least started (and so is
    // parked or about to park on `release`); none can pass it yet.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (started->load() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    BOOST_TEST(started->load() == n);
    BOOST_TEST(finished->load() == 0);
    release.close();
    wg.wait();
    BOOST_TEST(finished->load() == n);
    BOOST_TEST(goroutines_drop_to(0));
}

// Goroutines started from a thread that is not a goroutine nor the test body.
GOCXX_TEST(goroutines_started_from_plain_thread) {
    Channel<int> out(16);
    const int per = 100;
    std::thread t([out] {
        for (int i = 1; i <= per; ++i) go([out, i] { out.send(i); });
    });
    long sum = 0;
    for (int i = 0; i < per; ++i) sum += out.recv();
    t.join();
    BOOST_TEST(sum == per * (per + 1) / 2);
}

// gocxx::run rethrows what the main goroutine's function threw; returns 0 otherwise.
GOCXX_TEST(run_rethrows_exception) {
    BOOST_TEST(gocxx::run([] {}) == 0);
    try {
        gocxx::run([] { throw std::runtime_error("boom in main"); });
        BOOST_TEST(false, "run did not throw");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()) == "boom in main");
    }
    try {
        gocxx::run([] {
            Channel<int> c(1);
            c.close();
            c.send(1);
        });
        BOOST_TEST(false, "run did not throw");
    } catch (const Panic& p) {
        BOOST_TEST(std::string(p.what()) == "send on closed channel");
    }
    // A run whose main goroutine waits on its own goroutines.
    int got = 0;
    gocxx::run([&got] {
        Channel<int> c;
        go([c] { c.send(5); });
        got = c.recv();
    });
    BOOST_TEST(got == 5);
}

// Go's defer: runs at scope exit, in reverse order, and on an exception.
GOCXX_TEST(defer_runs_at_scope_exit) {
    std::string log;
    {
        auto a = gocxx::defer([&log] { log += "a"; });
        auto b = gocxx::defer([&log] { log += "b"; });
        log += "body;";
    }
    BOOST_TEST(log == "body;ba");

    log.clear();
    try {
        auto a = gocxx::defer([&log] { log += "deferred"; });
        throw std::runtime_error("x");
    } catch (const std::runtime_error&) {
        log += ";caught";
    }
    BOOST_TEST(log == "deferred;caught");

    // The wg.done() idiom in goroutines.
    sync::WaitGroup wg;
    std::atomic<int> n{0};
    wg.add(20);
    for (int i = 0; i < 20; ++i) {
        go([&wg, &n] {
            auto guard = gocxx::defer([&wg] { wg.done(); });
            n.fetch_add(1);
        });
    }
    wg.wait();
    BOOST_TEST(n.load() == 20);
}
