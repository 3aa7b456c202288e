// Scheduler behaviour that the other tests do not reach: workers retiring and
// returning while goroutines run, idle workers sleeping, timers firing while
// every worker is idle.
#define BOOST_TEST_MODULE sched
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

namespace {
double process_cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}
}  // namespace

// Values flow through producers and consumers while gomaxprocs moves between 1
// and 4: retiring workers hand their queues over, returning workers pick work
// up, and nothing is lost or delivered twice.
BOOST_AUTO_TEST_CASE(gomaxprocs_changes_under_load) {
    const int old = runtime::gomaxprocs(2);
    const long per_producer = test::scaled(20000);
    const int producers = 4, consumers = 4;
    Channel<long> ch(16);
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(per_producer * producers));
    sync::WaitGroup prod, cons;
    for (int p = 0; p < producers; ++p)
        prod.go([ch, p] {
            for (long i = 0; i < per_producer; ++i) {
                ch.send(p * per_producer + i);
                if (i % 64 == 0) runtime::gosched();
            }
        });
    for (int c = 0; c < consumers; ++c)
        cons.go([ch, &seen] {
            for (long v : ch) seen[static_cast<std::size_t>(v)].fetch_add(1, std::memory_order_relaxed);
        });
    const int pattern[] = {1, 4, 2, 1, 3, 4, 1, 2};
    Channel<Unit> producers_done;
    go([&prod, producers_done] {
        prod.wait();
        producers_done.close();
    });
    for (int round = 0; round < 400; ++round) {
        runtime::gomaxprocs(pattern[round % 8]);
        if (select(case_recv(producers_done), case_default()) == 0) break;
        std::this_thread::yield();
    }
    runtime::gomaxprocs(2);
    producers_done.recv();
    ch.close();
    cons.wait();
    long missing = 0, duplicated = 0;
    for (auto& s : seen) {
        if (s.load() == 0) ++missing;
        if (s.load() > 1) ++duplicated;
    }
    BOOST_TEST(missing == 0);
    BOOST_TEST(duplicated == 0);
    runtime::gomaxprocs(old);
}

// After a burst of work the workers spin briefly, then sleep: a process with
// nothing to run uses (almost) no CPU. The sleep here is the measured idle
// interval, not synchronisation.
BOOST_AUTO_TEST_CASE(idle_workers_use_no_cpu) {
    runtime::gomaxprocs(4);
    Channel<int> ch;
    sync::WaitGroup wg;
    for (int i = 0; i < 8; ++i)
        wg.go([ch] {
            for (int k = 0; k < 1000; ++k) ch.send(k);
        });
    for (int i = 0; i < 8000; ++i) ch.recv();
    wg.wait();
    std::this_thread::sleep_for(50ms);  // let the spinners give up
    const double before = process_cpu_seconds();
    std::this_thread::sleep_for(300ms);
    const double used = process_cpu_seconds() - before;
    // One spinning worker would burn the whole 0.3 s; the sanitizers' own
    // background threads and a loaded machine get some slack.
    BOOST_TEST(used < 0.1, "idle process used " << used << " s of CPU in 0.3 s");
}

// Every worker idle and asleep: the timer waiter still wakes the sleepers on
// time, in deadline order. Deadlines are absolute and 40 ms apart, so a worker
// descheduled by a loaded machine does not reorder them.
GOCXX_TEST(timers_fire_in_deadline_order_with_idle_workers) {
    Channel<int> order(3);
    sync::WaitGroup wg;
    const auto start = time::now();
    const int delays_ms[] = {120, 40, 80};
    for (int i = 0; i < 3; ++i)
        wg.go([order, start, d = delays_ms[i]] {
            time::sleep(start + std::chrono::milliseconds(d) - time::now());
            order.send(d);
        });
    wg.wait();
    BOOST_TEST(order.recv() == 40);
    BOOST_TEST(order.recv() == 80);
    BOOST_TEST(order.recv() == 120);
}

// A sleeping goroutine frees its worker: with one worker, 50 goroutines that
// each sleep 20 ms finish together (one after another would take 1 s).
GOCXX_TEST(sleeping_goroutines_share_one_worker) {
    const auto start = time::now();
    sync::WaitGroup wg;
    for (int i = 0; i < 50; ++i) wg.go([] { time::sleep(20ms); });
    wg.wait();
    const auto took = time::now() - start;
    BOOST_TEST(took >= 20ms);
    BOOST_TEST(took < 50 * 20ms / 2, "took " << (std::chrono::duration<double, std::milli>(took).count()) << " ms");
}

// A goroutine woken by one that then keeps computing does not wait for it:
// ready() leaves the woken one in its worker's runnext (no wake), so the
// monitor must hand it to the idle worker. With two workers, B runs while A
// still spins (A gives up after 5 s, far beyond the monitor's polls).
BOOST_AUTO_TEST_CASE(woken_goroutine_runs_while_its_waker_computes) {
    test::run_as(2, test::Caller::Thread, [] {
        for (int round = 0; round < 10; ++round) {
            Channel<int> ch;
            std::atomic<bool> b_ran{false};
            sync::WaitGroup wg;
            wg.add(2);
            go([&] {  // B
                ch.recv();
                b_ran.store(true);
                wg.done();
            });
            // Start A once B is parked in its receive (polled, bounded), so
            // that A's send readies B onto A's own worker.
            for (int i = 0; i < 10000; ++i) {
                std::ostringstream os;
                runtime::dump_goroutines(os);
                if (os.str().find("[chan receive") != std::string::npos) break;
                std::this_thread::sleep_for(1ms);
            }
            go([&] {  // A: wakes B, then computes until B has run (bounded)
                // Compute 5 ms first: the other worker, woken for A, stops
                // spinning and sleeps, so only the runtime can get B to it.
                const auto warm = std::chrono::steady_clock::now() + 5ms;
                while (std::chrono::steady_clock::now() < warm) {
                }
                ch.send(1);
                const auto give_up = std::chrono::steady_clock::now() + 5s;
                while (!b_ran.load() && std::chrono::steady_clock::now() < give_up) {
                }
                if (!b_ran.load()) {  // where B is: in the failure's message
                    std::ostringstream os;
                    runtime::dump_goroutines(os);
                    BOOST_TEST(b_ran.load(), "B waited for A to stop computing; round " << round << "\n" << os.str());
                }
                wg.done();
            });
            wg.wait();
        }
    });
}

// Thieves leave alone the queue of a worker that keeps switching goroutines
// (may_steal_from), and the submitter wakes nobody for it. The other side:
// goroutines queued behind one that computes must still be taken by an idle
// worker (the monitor wakes one; it steals once the worker counts as stuck),
// here three of them, queued in the ring and runnext of A's worker by A.
BOOST_AUTO_TEST_CASE(goroutines_queued_behind_a_computing_one_are_stolen) {
    test::run_as(2, test::Caller::Thread, [] {
        for (int round = 0; round < 10; ++round) {
            std::atomic<int> ran{0};
            sync::WaitGroup wg;
            wg.add(1);
            go([&] {  // A: spawns three, then computes until all ran (bounded)
                // Let the other worker, woken for A, stop spinning and sleep.
                const auto warm = std::chrono::steady_clock::now() + 5ms;
                while (std::chrono::steady_clock::now() < warm) {
                }
                for (int i = 0; i < 3; ++i) go([&] { ran.fetch_add(1); });
                const auto give_up = std::chrono::steady_clock::now() + 5s;
                while (ran.load() < 3 && std::chrono::steady_clock::now() < give_up) {
                }
                BOOST_TEST(ran.load() == 3, "goroutines queued behind A waited for A to stop computing");
                wg.done();
            });
            wg.wait();
        }
    });
}

// 100,000 timers pending at once (issue: "100,000 pending timers are fine"):
// each fires exactly once, never before its deadline, and the heap drains.
BOOST_AUTO_TEST_CASE(hundred_thousand_pending_timers) {
    const int n = static_cast<int>(test::scaled(100000));
    const auto start = time::now();
    std::vector<RecvChannel<time::Time>> chans;
    std::vector<time::Time> deadlines;
    chans.reserve(static_cast<std::size_t>(n));
    deadlines.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto d = std::chrono::milliseconds(20 + i % 80);
        deadlines.push_back(time::now() + d);
        chans.push_back(time::after(d));
    }
    long early = 0, missing = 0;
    for (int i = 0; i < n; ++i) {
        auto [v, ok] = chans[static_cast<std::size_t>(i)].recv_ok();
        if (!ok) ++missing;
        if (v < deadlines[static_cast<std::size_t>(i)]) ++early;
    }
    long extra = 0;
    for (auto& c : chans)
        if (c.try_recv()) ++extra;
    BOOST_TEST(missing == 0);
    BOOST_TEST(early == 0);
    BOOST_TEST(extra == 0);
    BOOST_TEST((time::now() - start < std::chrono::seconds(30)));
}

// More goroutines in runtime::blocking than the old 256-worker ceiling, all
// waiting on one more goroutine that must still get a worker to release them
// (it used to hang for good). Each blocked call reads exactly one byte:
// every byte written is read once.
GOCXX_TEST(more_blocked_calls_than_the_old_worker_ceiling) {
    const int n = 300;
    int fds[2];
    BOOST_REQUIRE(::pipe2(fds, O_NONBLOCK) == 0);
    std::atomic<int> got{0}, blocked{0};
    std::atomic<long> written{0};
    sync::WaitGroup wg;
    wg.add(n + 1);
    for (int i = 0; i < n; ++i) {
        go([&] {
            runtime::blocking([&] {
                blocked.fetch_add(1);
                const auto cap = std::chrono::steady_clock::now() + 20s;
                char c;
                while (std::chrono::steady_clock::now() < cap) {
                    pollfd p{fds[0], POLLIN, 0};
                    ::poll(&p, 1, 1000);
                    if (::read(fds[0], &c, 1) == 1) {
                        got.fetch_add(1);
                        break;
                    }
                }
            });
            wg.done();
        });
    }
    go([&] {  // the releaser: it gets a worker only if the 300 got theirs
        const auto cap = std::chrono::steady_clock::now() + 20s;
        while (blocked.load() < n && std::chrono::steady_clock::now() < cap) runtime::gosched();
        const std::string bytes(static_cast<std::size_t>(n), 'x');
        written.store(::write(fds[1], bytes.data(), bytes.size()));
        wg.done();
    });
    wg.wait();
    BOOST_TEST(written.load() == n);
    BOOST_TEST(blocked.load() == n);
    BOOST_TEST(got.load() == n);
    ::close(fds[0]);
    ::close(fds[1]);
}
