#define BOOST_TEST_MODULE waitgroup
#include "fixture.hpp"
#include "helpers.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::scaled;
using gocxx::test::goroutines_drop_to;

namespace {


// Bounded poll on an atomic (not a sleep: it checks a condition).
bool eventually(const std::atomic<int>& a, int want) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (a.load() < want) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        runtime::gosched();
    }
    return true;
}

}  // namespace

GOCXX_TEST(add_done_wait) {
    const int n = 100;
    sync::WaitGroup wg;
    auto hits = std::make_shared<std::vector<std::atomic<int>>>(n);
    wg.add(n);
    for (int i = 0; i < n; ++i) {
        go([&wg, hits, i] {
            (*hits)[i].fetch_add(1);
            wg.done();
        });
    }
    wg.wait();
    int ok = 0;
    for (int i = 0; i < n; ++i) ok += (*hits)[i].load() == 1 ? 1 : 0;
    BOOST_TEST(ok == n);

    // add() in several steps, done() from a plain thread and a goroutine.
    wg.add(1);
    wg.add(2);
    std::thread t([&wg] { wg.done(); });
    go([&wg] {
        wg.done();
        wg.done();
    });
    wg.wait();
    t.join();
}

// Everything done() does happens before wait() returns.
GOCXX_TEST(wait_observes_writes_before_done) {
    const int n = 64;
    std::vector<long> slots(n, 0);  // plain memory, published by done/wait
    sync::WaitGroup wg;
    wg.add(n);
    for (int i = 0; i < n; ++i) {
        go([&slots, &wg, i] {
            slots[i] = static_cast<long>(i) * i;
            wg.done();
        });
    }
    wg.wait();
    long sum = 0;
    for (long v : slots) sum += v;
    BOOST_TEST(sum == (63L * 64 * 127) / 6);
}

GOCXX_TEST(wait_with_zero_counter_returns_at_once) {
    sync::WaitGroup wg;
    wg.wait();
    wg.wait();
    wg.add(3);
    wg.add(-3);
    wg.wait();
    wg.add(1);
    wg.done();
    wg.wait();
    BOOST_TEST(true);
}

// Waiters of both kinds, parked before the counter reaches zero, are all
// released by the one done() that reaches it, and not before.
GOCXX_TEST(many_waiters_all_released) {
    const int ng = 50, nt = 4;
    auto wg = std::make_shared<sync::WaitGroup>();
    auto arrived = std::make_shared<std::atomic<int>>(0);
    auto released = std::make_shared<std::atomic<bool>>(false);
    Channel<bool> report(ng + nt);  // true: woke after the release
    wg->add(1);
    for (int i = 0; i < ng; ++i) {
        go([wg, arrived, released, report] {
            arrived->fetch_add(1);
            wg->wait();
            report.send(released->load());
        });
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < nt; ++i) {
        threads.emplace_back([wg, arrived, released, report] {
            arrived->fetch_add(1);
            wg->wait();
            report.send(released->load());
        });
    }
    BOOST_TEST(eventually(*arrived, ng + nt));
    released->store(true);
    wg->done();
    int good = 0;
    for (int i = 0; i < ng + nt; ++i) good += report.recv() ? 1 : 0;
    BOOST_TEST(good == ng + nt);
    for (auto& t : threads) t.join();
    wg->wait();  // still zero
}

// After reaching zero the WaitGroup is reused, round after round (each round's
// add() comes after every wait() of the round before has returned, as Go asks).
GOCXX_TEST(reuse_after_zero) {
    sync::WaitGroup wg;
    const int rounds = static_cast<int>(scaled(200));
    std::atomic<int> total{0};
    int bad_rounds = 0;
    for (int r = 0; r < rounds; ++r) {
        const int n = 1 + r % 7;
        std::atomic<int> in_round{0};
        Channel<int> other_waiter(1);  // a second waiter in a goroutine
        wg.add(n);
        go([&wg, &in_round, other_waiter] {
            wg.wait();
            other_waiter.send(in_round.load());
        });
        for (int i = 0; i < n; ++i) {
            go([&wg, &in_round, &total] {
                in_round.fetch_add(1);
                total.fetch_add(1);
                wg.done();
            });
        }
        wg.wait();
        const int seen_by_other = other_waiter.recv();
        if (in_round.load() != n || seen_by_other != n) ++bad_rounds;
    }
    BOOST_TEST(bad_rounds == 0);
    int expect = 0;
    for (int r = 0; r < rounds; ++r) expect += 1 + r % 7;
    BOOST_TEST(total.load() == expect);
}

GOCXX_TEST(negative_counter_panics) {
    sync::WaitGroup wg;
    try {
        wg.add(-1);
        BOOST_TEST(false, "add(-1) on a zero counter did not throw");
    } catch (const Panic& p) {
        BOOST_TEST(std::string(p.what()) == "sync: negative WaitGroup counter");
    }
    BOOST_CHECK_THROW(wg.done(), Panic);
    BOOST_CHECK_THROW(wg.done(), std::logic_error);  // Panic is a logic_error

    // The counter is left as it was: 2 stays 2.
    wg.add(2);
    try {
        wg.add(-3);
        BOOST_TEST(false, "add(-3) on 2 did not throw");
    } catch (const Panic& p) {
        BOOST_TEST(std::string(p.what()) == "sync: negative WaitGroup counter");
    }
    Channel<Unit> done;
    go([&wg, done] {
        wg.wait();
        done.close();
    });
    wg.done();
    wg.done();
    done.recv();
    wg.wait();

    // A panic from done() in a goroutine can be caught there.
    Channel<std::string> msg(1);
    go([msg] {
        sync::WaitGroup local;
        try {
            local.done();
            msg.send("no panic");
        } catch (const Panic& p) {
            msg.send(p.what());
        }
    });
    BOOST_TEST(msg.recv() == "sync: negative WaitGroup counter");
}

GOCXX_TEST(waitgroup_go) {
    sync::WaitGroup wg;
    const int n = 200;
    auto hits = std::make_shared<std::vector<std::atomic<int>>>(n);
    for (int i = 0; i < n; ++i) wg.go([hits, i] { (*hits)[i].fetch_add(1); });
    wg.wait();
    int ok = 0;
    for (int i = 0; i < n; ++i) ok += (*hits)[i].load() == 1 ? 1 : 0;
    BOOST_TEST(ok == n);

    // A mutable, move-only callable; done() runs even though f blocks first.
    Channel<int> in, out(1);
    auto p = std::make_unique<int>(3);
    wg.go([p = std::move(p), in, out]() mutable {
        *p += in.recv();
        out.send(*p);
    });
    in.send(4);
    wg.wait();
    BOOST_TEST(out.recv() == 7);

    // wg.go nested: goroutines started with wg.go start more with wg.go.
    std::atomic<int> leaves{0};
    for (int i = 0; i < 10; ++i) {
        wg.go([&wg, &leaves] {
            for (int j = 0; j < 10; ++j) wg.go([&leaves] { leaves.fetch_add(1); });
        });
    }
    wg.wait();
    BOOST_TEST(leaves.load() == 100);
}

// The article's pattern: one goroutine per payment, at most `limit` in
// flight, enforced by a buffered channel used as a semaphore.
GOCXX_TEST(payments_with_channel_semaphore) {
    constexpr int limit = 10;
    const int payments = static_cast<int>(scaled(1000));
    auto processed = std::make_shared<std::vector<std::atomic<int>>>(payments);
    auto in_flight = std::make_shared<std::atomic<int>>(0);
    auto max_in_flight = std::make_shared<std::atomic<int>>(0);
    auto total = std::make_shared<std::atomic<long>>(0);
    Channel<Unit> sem(limit);
    sync::WaitGroup wg;
    for (int id = 0; id < payments; ++id) {
        wg.add(1);
        go([&wg, sem, processed, in_flight, max_in_flight, total](int payment) {
            auto guard = gocxx::defer([&wg] { wg.done(); });
            sem.send(Unit{});
            auto release = gocxx::defer([sem] { sem.recv(); });
            const int now = in_flight->fetch_add(1) + 1;
            int seen = max_in_flight->load();
            while (now > seen && !max_in_flight->compare_exchange_weak(seen, now)) {
            }
            runtime::gosched();  // "process" the payment: let others overlap
            (*processed)[payment].fetch_add(1);
            total->fetch_add(payment);
            in_flight->fetch_sub(1);
        }, id);
    }
    wg.wait();
    BOOST_TEST(max_in_flight->load() <= limit);
    BOOST_TEST(max_in_flight->load() >= 1);
    BOOST_TEST(in_flight->load() == 0);
    BOOST_TEST(sem.len() == 0u);
    int once = 0;
    for (int i = 0; i < payments; ++i) once += (*processed)[i].load() == 1 ? 1 : 0;
    BOOST_TEST(once == payments);
    BOOST_TEST(total->load() == static_cast<long>(payments) * (payments - 1) / 2);
}
