// Go's sync package (Mutex, RWMutex, Once, Cond) and x/sync's weighted
// semaphore, each behaviour as Go documents it.
#define BOOST_TEST_MODULE sync
#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

// BOOST_CHECK_EXCEPTION predicate: a Panic with exactly Go's message.
struct PanicIs {
    std::string want;
    bool operator()(const Panic& p) const { return p.what() == want; }
};

// Raises *max to at least v.
void raise_max(std::atomic<int>& max, int v) {
    int m = max.load();
    while (v > m && !max.compare_exchange_weak(m, v)) {
    }
}

// Yields the caller (a goroutine or a plain thread) a few times, so that
// parties started just before get a chance to block. Never relied upon for
// correctness, only to make the interesting interleaving likely.
void yield_a_little() {
    for (int i = 0; i < 20; ++i) runtime::gosched();
}

}  // namespace

// ---------------------------------------------------------------- Mutex

// A plain (non-atomic) counter guarded by the Mutex, incremented by
// goroutines and plain threads together: no increment is lost (and TSan sees
// the mutex's happens-before edges).
GOCXX_TEST(mutex_excludes_goroutines_and_threads) {
    const long per = test::scaled(5000);
    const int goroutines = 8, threads = 2;
    auto mu = std::make_shared<sync::Mutex>();
    auto counter = std::make_shared<long>(0);
    auto inside = std::make_shared<std::atomic<int>>(0);
    auto overlap = std::make_shared<std::atomic<int>>(0);
    auto work = [=] {
        for (long i = 0; i < per; ++i) {
            mu->lock();
            if (inside->fetch_add(1) != 0) overlap->fetch_add(1);
            ++*counter;
            inside->fetch_sub(1);
            mu->unlock();
            if (i % 128 == 0) runtime::gosched();
        }
    };
    sync::WaitGroup wg;
    for (int g = 0; g < goroutines; ++g) wg.go(work);
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) ts.emplace_back(work);
    wg.wait();
    for (auto& t : ts) t.join();
    BOOST_TEST(overlap->load() == 0);
    mu->lock();
    BOOST_TEST(*counter == per * (goroutines + threads));
    mu->unlock();
}

GOCXX_TEST(mutex_try_lock) {
    sync::Mutex mu;
    BOOST_TEST(mu.try_lock());
    BOOST_TEST(!mu.try_lock());
    // Another goroutine sees it held too.
    Channel<bool> got(1);
    go([&mu, got] { got.send(mu.try_lock()); });
    BOOST_TEST(!got.recv());
    mu.unlock();
    BOOST_TEST(mu.try_lock());
    mu.unlock();
}

GOCXX_TEST(mutex_with_std_lock_guard_and_unique_lock) {
    sync::Mutex mu;
    {
        std::lock_guard<sync::Mutex> g(mu);
        BOOST_TEST(!mu.try_lock());
    }
    BOOST_TEST(mu.try_lock());
    mu.unlock();
    {
        std::unique_lock<sync::Mutex> ul(mu, std::try_to_lock);
        BOOST_TEST(ul.owns_lock());
        ul.unlock();
        BOOST_TEST(mu.try_lock());
        mu.unlock();
        ul.lock();
        BOOST_TEST(!mu.try_lock());
    }
    std::unique_lock<sync::Mutex> ul(mu, std::defer_lock);
    BOOST_TEST(ul.try_lock());
    // std::scoped_lock over two of them.
    sync::Mutex other;
    ul.unlock();
    {
        std::scoped_lock both(mu, other);
        BOOST_TEST(!mu.try_lock());
        BOOST_TEST(!other.try_lock());
    }
    BOOST_TEST(other.try_lock());
    other.unlock();
}

// Go: "A locked Mutex is not associated with a particular goroutine. It is
// allowed for one goroutine to lock a Mutex and then arrange for another
// goroutine to unlock it."
GOCXX_TEST(mutex_unlocked_by_another_goroutine) {
    sync::Mutex mu;
    mu.lock();
    Channel<Unit> unlocked;
    go([&mu, unlocked] {
        mu.unlock();
        unlocked.send({});
    });
    unlocked.recv();
    BOOST_TEST(mu.try_lock());
    // The other way round, with a waiter parked in between: a goroutine locks,
    // this flow unlocks; a third party waiting in lock() gets it.
    Channel<Unit> locked, third_in;
    mu.unlock();
    go([&mu, locked] {
        mu.lock();
        locked.send({});
    });
    locked.recv();
    go([&mu, third_in] {
        mu.lock();  // waits until the body unlocks the goroutine's lock
        third_in.send({});
    });
    yield_a_little();
    BOOST_TEST(!third_in.try_recv().has_value());
    mu.unlock();  // not the locker
    third_in.recv();
    mu.unlock();  // the third party's lock, again by someone else
    BOOST_TEST(mu.try_lock());
    mu.unlock();
}

// Unlock of an unlocked Mutex or RWMutex is a fatal error, as in Go:
// test/unit/exit_test.cpp runs it in a child process.

// Hogs take the mutex, yield while holding it, and release it, over and over.
// A waiter (the body) that joins must get the mutex within a bounded number of
// rounds counted from when it starts waiting: the FIFO hand-off lets no one
// barge past a queued waiter.
GOCXX_TEST(mutex_waiter_is_not_starved) {
    // Not scaled: the bound must cover the OS descheduling a plain-thread
    // waiter before it has queued (2 cores, sanitizers), during which the
    // hogs run on; once queued it is served within a few rounds.
    const long limit = 100000;
    constexpr long kNotWaiting = -1;
    auto mu = std::make_shared<sync::Mutex>();
    auto stop = std::make_shared<std::atomic<bool>>(false);
    auto exhausted = std::make_shared<std::atomic<bool>>(false);
    auto rounds = std::make_shared<std::atomic<long>>(0);
    auto waiting_from = std::make_shared<std::atomic<long>>(kNotWaiting);
    auto hog = [=] {
        for (;;) {
            const long from = waiting_from->load();
            if (from != kNotWaiting && rounds->load() - from > limit) {
                exhausted->store(true);  // the waiter is starved: give up so it gets in
                return;
            }
            mu->lock();
            rounds->fetch_add(1);
            const bool s = stop->load();
            runtime::gosched();  // hold it across a yield: others queue up
            mu->unlock();
            if (s) return;
        }
    };
    sync::WaitGroup wg;
    for (int i = 0; i < 3; ++i) wg.go(hog);
    std::thread thread_hog(hog);
    // Wait until the hogs are really going.
    for (int i = 0; i < 100000 && rounds->load() < 50; ++i) runtime::gosched();
    const long before = rounds->load();
    waiting_from->store(before);
    mu->lock();
    const long after = rounds->load();
    stop->store(true);
    mu->unlock();
    wg.wait();
    thread_hog.join();
    BOOST_TEST(!exhausted->load(), "the waiter did not get the mutex in " << limit << " rounds");
    BOOST_TEST_MESSAGE("the waiter waited " << after - before << " rounds of 4 hogs");
}

// Every one of many waiters queued on a held mutex gets it, each exactly once.
GOCXX_TEST(mutex_every_waiter_eventually_gets_it) {
    const int n = 50;
    sync::Mutex mu;
    std::vector<int> got;  // guarded by mu
    mu.lock();
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([&mu, &got, i] {
            mu.lock();
            got.push_back(i);
            mu.unlock();
        });
    yield_a_little();
    mu.unlock();
    wg.wait();
    mu.lock();
    BOOST_TEST(got.size() == static_cast<std::size_t>(n));
    std::vector<int> sorted = got;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < n && i < static_cast<int>(sorted.size()); ++i) BOOST_TEST(sorted[i] == i);
    mu.unlock();
}

// ---------------------------------------------------------------- RWMutex

// N readers are all inside at once: each takes the read lock and reports in;
// the body collects all N reports before any reader may leave.
GOCXX_TEST(rwmutex_readers_share) {
    const int n = 16;
    sync::RWMutex rw;
    Channel<Unit> in(n), release;
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([&rw, in, release] {
            rw.rlock();
            in.send({});
            release.recv();  // closed by the body once all are in
            rw.runlock();
        });
    for (int i = 0; i < n; ++i) in.recv();
    // All N hold the read lock now: a writer cannot get in, a reader can.
    BOOST_TEST(!rw.try_lock());
    BOOST_TEST(rw.try_rlock());
    rw.runlock();
    release.close();
    wg.wait();
    BOOST_TEST(rw.try_lock());
    rw.unlock();
}

// Writers exclude readers and each other; readers see consistent data.
GOCXX_TEST(rwmutex_writer_exclusion) {
    const long iters = test::scaled(5000);
    auto rw = std::make_shared<sync::RWMutex>();
    auto readers_in = std::make_shared<std::atomic<int>>(0);
    auto writers_in = std::make_shared<std::atomic<int>>(0);
    auto bad = std::make_shared<std::atomic<int>>(0);
    auto a = std::make_shared<long>(0), b = std::make_shared<long>(0);  // invariant a == b
    sync::WaitGroup wg;
    auto writer = [=] {
        for (long i = 0; i < iters; ++i) {
            rw->lock();
            if (writers_in->fetch_add(1) != 0 || readers_in->load() != 0) bad->fetch_add(1);
            ++*a;
            ++*b;
            writers_in->fetch_sub(1);
            rw->unlock();
            if (i % 64 == 0) runtime::gosched();
        }
    };
    auto reader = [=] {
        for (long i = 0; i < iters; ++i) {
            rw->rlock();
            readers_in->fetch_add(1);
            if (writers_in->load() != 0 || *a != *b) bad->fetch_add(1);
            readers_in->fetch_sub(1);
            rw->runlock();
            if (i % 64 == 0) runtime::gosched();
        }
    };
    for (int i = 0; i < 3; ++i) wg.go(writer);
    for (int i = 0; i < 5; ++i) wg.go(reader);
    std::thread tw(writer), tr(reader);
    wg.wait();
    tw.join();
    tr.join();
    BOOST_TEST(bad->load() == 0);
    rw->rlock();
    BOOST_TEST(*a == 4 * iters);
    BOOST_TEST(*b == 4 * iters);
    rw->runlock();
}

// Go: "If any goroutine calls Lock while the lock is already held by one or
// more readers, concurrent calls to RLock will block until the writer has
// acquired (and released) the lock."
GOCXX_TEST(rwmutex_waiting_writer_holds_back_new_readers) {
    sync::RWMutex rw;
    Channel<std::string> log(8);
    rw.rlock();  // R1 is the body
    Channel<Unit> w_done;
    go([&rw, log, w_done] {
        rw.lock();
        log.send("W locked");
        log.send("W unlocking");
        rw.unlock();
        w_done.close();
    });
    // Wait until W is queued: then try_rlock fails (R1 holding alone lets it succeed).
    bool writer_waiting = false;
    for (int i = 0; i < 1000000; ++i) {
        if (!rw.try_rlock()) {
            writer_waiting = true;
            break;
        }
        rw.runlock();
        runtime::gosched();
    }
    BOOST_REQUIRE(writer_waiting);
    BOOST_TEST(!rw.try_rlock());  // still: a new reader is held back
    Channel<Unit> r2_done;
    go([&rw, log, r2_done] {
        rw.rlock();
        log.send("R2 locked");
        rw.runlock();
        r2_done.close();
    });
    yield_a_little();
    BOOST_TEST(log.len() == 0u);  // neither W nor R2 is in while R1 holds
    log.send("R1 unlocking");
    rw.runlock();
    w_done.recv();
    r2_done.recv();
    BOOST_TEST(log.recv() == "R1 unlocking");
    BOOST_TEST(log.recv() == "W locked");
    BOOST_TEST(log.recv() == "W unlocking");
    BOOST_TEST(log.recv() == "R2 locked");
    BOOST_TEST(rw.try_lock());
    rw.unlock();
}

GOCXX_TEST(rwmutex_with_std_shared_lock) {
    sync::RWMutex rw;
    {
        std::shared_lock<sync::RWMutex> s1(rw);
        std::shared_lock<sync::RWMutex> s2(rw, std::try_to_lock);
        BOOST_TEST(s2.owns_lock());
        BOOST_TEST(!rw.try_lock());
    }
    {
        std::unique_lock<sync::RWMutex> u(rw);
        std::shared_lock<sync::RWMutex> s(rw, std::try_to_lock);
        BOOST_TEST(!s.owns_lock());
    }
    {
        std::lock_guard<sync::RWMutex> g(rw);
        BOOST_TEST(!rw.try_rlock());
    }
    BOOST_TEST(rw.try_lock_shared());
    rw.unlock_shared();
}

// A writer unlocked by a different goroutine than the locker (Go allows it),
// and readers queued behind it all get in together.
GOCXX_TEST(rwmutex_queued_readers_all_enter_after_writer) {
    const int n = 8;
    sync::RWMutex rw;
    rw.lock();
    Channel<Unit> in(n), release;
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([&rw, in, release] {
            rw.rlock();
            in.send({});
            release.recv();
            rw.runlock();
        });
    yield_a_little();
    BOOST_TEST(in.len() == 0u);
    Channel<Unit> unlocked;
    go([&rw, unlocked] {
        rw.unlock();
        unlocked.send({});
    });
    unlocked.recv();
    for (int i = 0; i < n; ++i) in.recv();  // all n inside at once
    release.close();
    wg.wait();
}

// Go's rw.RLocker(): lock()/unlock() are rlock()/runlock(): readers share
// it, a writer is kept out while it is held; it works with std::lock_guard
// and is the same object each time.
GOCXX_TEST(rwmutex_rlocker_is_the_read_side) {
    sync::RWMutex rw;
    sync::RLocker& r = rw.rlocker();
    BOOST_TEST((&r == &rw.rlocker()));
    r.lock();
    r.lock();  // readers share
    BOOST_TEST(!rw.try_lock());
    BOOST_TEST(rw.try_rlock());
    rw.runlock();
    r.unlock();
    BOOST_TEST(!rw.try_lock());  // one reader left
    r.unlock();
    BOOST_TEST(rw.try_lock());
    rw.unlock();
    {
        std::lock_guard<sync::RLocker> g(rw.rlocker());
        BOOST_TEST(!rw.try_lock());
        BOOST_TEST(rw.try_rlock());
        rw.runlock();
    }
    BOOST_TEST(rw.try_lock());
    // While a writer holds it, rlocker().lock() waits (in a goroutine).
    Channel<Unit> entered(1);
    sync::WaitGroup wg;
    wg.go([&rw, entered] {
        rw.rlocker().lock();
        entered.send({});
        rw.rlocker().unlock();
    });
    BOOST_TEST(select(case_recv(entered), case_recv(time::after(20ms))) == 1);
    rw.unlock();
    entered.recv();
    wg.wait();
}

// sync.NewCond(rw.RLocker()): readers wait holding the read side; the writer
// changes the state under the write side and broadcasts.
GOCXX_TEST(cond_over_rlocker) {
    const int n = 6;
    sync::RWMutex rw;
    sync::Cond cond(rw.rlocker());
    bool ready = false;
    Channel<int> seen(n);
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([&] {
            rw.rlocker().lock();
            while (!ready) cond.wait();
            seen.send(1);
            rw.rlocker().unlock();
        });
    rw.lock();
    ready = true;
    rw.unlock();
    cond.broadcast();
    wg.wait();
    BOOST_TEST(seen.len() == static_cast<std::size_t>(n));
    BOOST_TEST(rw.try_lock());  // every reader let go
    rw.unlock();
}

// ---------------------------------------------------------------- Once

GOCXX_TEST(once_runs_f_exactly_once_under_concurrency) {
    const int n = 64;
    auto once = std::make_shared<sync::Once>();
    auto calls = std::make_shared<std::atomic<int>>(0);
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([=] { once->call([&] { calls->fetch_add(1); }); });
    std::vector<std::thread> ts;
    for (int i = 0; i < 2; ++i)
        ts.emplace_back([=] { once->call([&] { calls->fetch_add(1); }); });
    wg.wait();
    for (auto& t : ts) t.join();
    once->call([&] { calls->fetch_add(1); });
    BOOST_TEST(calls->load() == 1);
}

// Go: "no call to Do returns until the one call to f returns".
GOCXX_TEST(once_later_callers_wait_for_the_first) {
    const int others = 8;
    sync::Once once;
    Channel<Unit> entered, gate;
    Channel<std::string> log(others + 2);
    sync::WaitGroup wg;
    int value = 0;  // written by f, read by every caller after call() returns
    wg.go([&] {
        once.call([&] {
            entered.send({});
            gate.recv();
            value = 42;
            log.send("first f returning");
        });
    });
    entered.recv();  // f is running, blocked on gate
    auto bad = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < others; ++i)
        wg.go([&once, log, bad, &value] {
            once.call([&] { bad->fetch_add(1); });
            if (value != 42) bad->fetch_add(1);
            log.send("other returned");
        });
    std::thread t([&once, log, bad, &value] {
        once.call([&] { bad->fetch_add(1); });
        if (value != 42) bad->fetch_add(1);
        log.send("other returned");
    });
    yield_a_little();
    BOOST_TEST(log.len() == 0u);  // nobody returned while f runs
    gate.close();
    wg.wait();
    t.join();
    BOOST_TEST(bad->load() == 0);
    BOOST_TEST(log.recv() == "first f returning");
    for (int i = 0; i < others + 1; ++i) BOOST_TEST(log.recv() == "other returned");
}

// Go: "if f panics, Do considers it to have returned; future calls of Do
// return without calling f". The exception reaches the first caller.
GOCXX_TEST(once_counts_as_done_when_f_throws) {
    sync::Once once;
    int calls = 0;
    BOOST_CHECK_THROW(once.call([&] {
        ++calls;
        throw std::runtime_error("boom");
    }),
                      std::runtime_error);
    once.call([&] { ++calls; });
    BOOST_TEST(calls == 1);
    // From another goroutine too, and it does not throw there.
    Channel<bool> ok;
    go([&once, &calls, ok] {
        bool threw = false;
        try {
            once.call([&] { ++calls; });
        } catch (...) {
            threw = true;
        }
        ok.send(!threw);
    });
    BOOST_TEST(ok.recv());
    BOOST_TEST(calls == 1);
    // The message reaches the first caller intact.
    sync::Once once2;
    try {
        once2.call([] { throw std::runtime_error("first caller sees this"); });
        BOOST_TEST(false, "no exception");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()) == "first caller sees this");
    }
}

// ---------------------------------------------------------------- Cond

// The classic producer/consumer queue with a Mutex and two Conds.
GOCXX_TEST(cond_producer_consumer_queue) {
    const long items = test::scaled(20000);
    const int producers = 3, consumers = 3;
    const std::size_t capacity = 8;
    struct Q {
        sync::Mutex mu;
        sync::Cond not_empty{mu}, not_full{mu};
        std::deque<long> q;
        bool closed = false;
    };
    auto q = std::make_shared<Q>();
    std::vector<std::atomic<int>> seen(static_cast<std::size_t>(items * producers));
    sync::WaitGroup prod, cons;
    for (int p = 0; p < producers; ++p)
        prod.go([q, p] {
            for (long i = 0; i < items; ++i) {
                q->mu.lock();
                while (q->q.size() >= capacity) q->not_full.wait();
                q->q.push_back(p * items + i);
                q->mu.unlock();
                q->not_empty.signal();
            }
        });
    auto consume = [q, &seen] {
        for (;;) {
            q->mu.lock();
            while (q->q.empty() && !q->closed) q->not_empty.wait();
            if (q->q.empty()) {
                q->mu.unlock();
                return;
            }
            long v = q->q.front();
            q->q.pop_front();
            q->mu.unlock();
            q->not_full.signal();
            seen[static_cast<std::size_t>(v)].fetch_add(1);
        }
    };
    for (int c = 0; c < consumers - 1; ++c) cons.go(consume);
    std::thread tc(consume);  // one consumer on a plain thread
    prod.wait();
    q->mu.lock();
    q->closed = true;
    q->mu.unlock();
    q->not_empty.broadcast();
    cons.wait();
    tc.join();
    long missing = 0, dup = 0;
    for (auto& s : seen) {
        if (s.load() == 0) ++missing;
        if (s.load() > 1) ++dup;
    }
    BOOST_TEST(missing == 0);
    BOOST_TEST(dup == 0);
}

namespace {
// n goroutines each wait once on cond (no predicate loop: Go's Wait does not
// wake spuriously) and report on woke. Returns once all n are waiting.
struct CondWaiters {
    sync::Mutex mu;
    sync::Cond cond{mu};
    int waiting = 0;  // guarded by mu
    Channel<int> woke{64};
};
void start_cond_waiters(const std::shared_ptr<CondWaiters>& s, sync::WaitGroup& wg, int n) {
    for (int i = 0; i < n; ++i)
        wg.go([s, i] {
            s->mu.lock();
            ++s->waiting;
            s->cond.wait();  // returns holding mu
            --s->waiting;
            s->mu.unlock();
            s->woke.send(i);
        });
    // A waiter increments `waiting` and calls wait() under mu without
    // releasing it in between: once we see n under mu, all n are in wait().
    for (long i = 0;; ++i) {
        s->mu.lock();
        const int w = s->waiting;
        s->mu.unlock();
        if (w == n) break;
        BOOST_REQUIRE(i < 10000000);
        runtime::gosched();
    }
}
}  // namespace

GOCXX_TEST(cond_signal_wakes_exactly_one) {
    const int n = 3;
    auto s = std::make_shared<CondWaiters>();
    sync::WaitGroup wg;
    start_cond_waiters(s, wg, n);
    for (int k = 1; k <= n; ++k) {
        s->cond.signal();
        s->woke.recv();
        // No second waiter wakes from that one signal.
        const int idx = select(case_recv(s->woke), case_recv(time::after(20ms)));
        BOOST_TEST(idx == 1, "signal " << k << " woke more than one waiter");
        s->mu.lock();
        BOOST_TEST(s->waiting == n - k);
        s->mu.unlock();
    }
    wg.wait();
    s->cond.signal();  // no waiters: a no-op
}

GOCXX_TEST(cond_broadcast_wakes_all) {
    const int n = 20;
    auto s = std::make_shared<CondWaiters>();
    sync::WaitGroup wg;
    start_cond_waiters(s, wg, n);
    s->cond.broadcast();
    std::vector<bool> woken(n, false);
    for (int i = 0; i < n; ++i) woken[static_cast<std::size_t>(s->woke.recv())] = true;
    wg.wait();
    for (int i = 0; i < n; ++i) BOOST_TEST(woken[static_cast<std::size_t>(i)]);
    // A later broadcast wakes only the later waiters (and none is left behind).
    start_cond_waiters(s, wg, 3);
    s->cond.broadcast();
    for (int i = 0; i < 3; ++i) s->woke.recv();
    wg.wait();
}

// A signal sent while the waiter is between taking its ticket and parking is
// not lost: ping-pong many times through a Cond with a flag, from a goroutine
// and a plain thread.
GOCXX_TEST(cond_no_lost_signal) {
    const long rounds = test::scaled(5000);
    struct S {
        sync::Mutex mu;
        sync::Cond cond{mu};
        long turn = 0;  // even: ping's turn, odd: pong's
    };
    auto s = std::make_shared<S>();
    auto player = [s](long parity) {
        for (long i = 0; i < rounds; ++i) {
            s->mu.lock();
            while (s->turn % 2 != parity) s->cond.wait();
            ++s->turn;
            s->mu.unlock();
            s->cond.signal();  // only the other player can be waiting
        }
    };
    Channel<Unit> done;
    go([player, done] {
        player(0);
        done.close();
    });
    std::thread t(player, 1L);
    done.recv();
    t.join();
    s->mu.lock();
    BOOST_TEST(s->turn == 2 * rounds);
    s->mu.unlock();
}

// Cond over an RWMutex's write side and over std::mutex (any Locker).
GOCXX_TEST(cond_over_other_lockers) {
    sync::RWMutex rw;
    sync::Cond c(rw);
    bool ready = false;
    Channel<Unit> done;
    go([&rw, &c, &ready, done] {
        rw.lock();
        while (!ready) c.wait();
        rw.unlock();
        done.close();
    });
    rw.lock();
    ready = true;
    rw.unlock();
    c.broadcast();
    done.recv();
}

// ---------------------------------------------------------------- Semaphore

// Weighted acquirers never hold more than the capacity between them.
GOCXX_TEST(semaphore_capacity_respected) {
    const int cap = 5;
    const long iters = test::scaled(2000);
    auto sem = std::make_shared<sync::Semaphore>(cap);
    auto held = std::make_shared<std::atomic<int>>(0);
    auto max = std::make_shared<std::atomic<int>>(0);
    auto over = std::make_shared<std::atomic<int>>(0);
    sync::WaitGroup wg;
    auto worker = [=](int w) {
        for (long i = 0; i < iters; ++i) {
            sem->acquire(w);
            const int h = held->fetch_add(w) + w;
            if (h > cap) over->fetch_add(1);
            raise_max(*max, h);
            runtime::gosched();
            held->fetch_sub(w);
            sem->release(w);
        }
    };
    for (int g = 0; g < 8; ++g) wg.go([worker, g] { worker(1 + g % 3); });
    std::thread t(worker, 2);
    wg.wait();
    t.join();
    BOOST_TEST(over->load() == 0);
    BOOST_TEST(max->load() <= cap);
    BOOST_TEST(max->load() >= 2);  // it did run concurrently
    BOOST_TEST(sem->try_acquire(cap));  // everything was given back
    sem->release(cap);
}

// FIFO: cap 10, 8 held; A asks 5 and waits; B asks 1, which is free, but must
// wait behind A.
GOCXX_TEST(semaphore_large_head_request_holds_back_smaller) {
    sync::Semaphore sem(10);
    sem.acquire(8);
    Channel<std::string> log(8);
    Channel<Unit> a_done, b_done;
    go([&sem, log, a_done] {
        sem.acquire(5);
        log.send("A acquired");
        a_done.close();
    });
    // Wait until A is queued: while it is, try_acquire(1) fails despite 2 free.
    bool a_queued = false;
    for (int i = 0; i < 1000000; ++i) {
        if (!sem.try_acquire(1)) {
            a_queued = true;
            break;
        }
        sem.release(1);
        runtime::gosched();
    }
    BOOST_REQUIRE(a_queued);
    go([&sem, log, b_done] {
        sem.acquire(1);
        log.send("B acquired");
        b_done.close();
    });
    yield_a_little();
    BOOST_TEST(log.len() == 0u);
    BOOST_TEST(!sem.try_acquire(1));
    // Release 3: 5 free, exactly A's request; B (1) must keep waiting.
    sem.release(3);
    a_done.recv();
    BOOST_TEST(log.recv() == "A acquired");
    yield_a_little();
    BOOST_TEST(log.len() == 0u);
    BOOST_TEST(!sem.try_acquire(1));  // 10 held
    sem.release(1);
    b_done.recv();
    BOOST_TEST(log.recv() == "B acquired");
    // 5 (body) + 5 (A) - 1 + 1 (B) held now.
    BOOST_TEST(!sem.try_acquire(1));
    sem.release(10);
    BOOST_TEST(sem.try_acquire(10));
    sem.release(10);
}

// acquire(ctx, n) returns Canceled once ctx is cancelled and leaves the
// semaphore as it was: the queue head goes, so the waiters behind it proceed.
GOCXX_TEST(semaphore_acquire_ctx_cancelled) {
    auto sem = std::make_shared<sync::Semaphore>(4);
    sem->acquire(3);
    auto [ctx, cancel] = context::with_cancel(context::background());
    Channel<Error> res(1);
    Channel<Unit> b_done;
    go([sem, ctx = ctx, res] { res.send(sem->acquire(ctx, 2)); });  // waits: 1 free
    bool queued = false;
    for (int i = 0; i < 1000000; ++i) {
        if (!sem->try_acquire(1)) {
            queued = true;
            break;
        }
        sem->release(1);
        runtime::gosched();
    }
    BOOST_REQUIRE(queued);
    // B (1) queues behind the head request; cancelling the head lets B in.
    go([sem, b_done] {
        sem->acquire(1);
        b_done.close();
    });
    cancel();
    Error err = res.recv();
    BOOST_TEST(static_cast<bool>(err));
    BOOST_TEST((err == context::Canceled));
    BOOST_TEST(err.message() == "context canceled");
    b_done.recv();
    sem->release(4);  // 3 + B's 1
    BOOST_TEST(sem->try_acquire(4));  // nothing leaked to the cancelled request
    sem->release(4);
    cancel();
}

GOCXX_TEST(semaphore_acquire_with_cancelled_ctx_fails_even_if_free) {
    sync::Semaphore sem(3);
    auto [ctx, cancel] = context::with_cancel(context::background());
    cancel();
    Error err = sem.acquire(ctx, 1);
    BOOST_TEST((err == context::Canceled));
    BOOST_TEST(sem.try_acquire(3));  // untouched
    sem.release(3);
    // A live ctx with free tokens succeeds at once.
    auto [ctx2, cancel2] = context::with_cancel(context::background());
    BOOST_TEST(!sem.acquire(ctx2, 2));
    BOOST_TEST(!sem.try_acquire(2));
    sem.release(2);
    cancel2();
}

// A request larger than the capacity can never succeed: it waits until the
// context is done and returns its error.
GOCXX_TEST(semaphore_request_over_capacity_waits_for_ctx) {
    sync::Semaphore sem(2);
    const auto start = time::now();
    auto [ctx, cancel] = context::with_timeout(context::background(), 20ms);
    Error err = sem.acquire(ctx, 3);
    const auto took = time::now() - start;
    BOOST_TEST((err == context::DeadlineExceeded));
    BOOST_TEST(err.message() == "context deadline exceeded");
    BOOST_TEST(took >= 20ms);
    BOOST_TEST(took < 20ms + 1000ms);
    cancel();
    // It did not hold up others meanwhile, and left nothing held.
    BOOST_TEST(sem.try_acquire(2));
    sem.release(2);
}

// While the over-capacity request waits, smaller requests still go through.
GOCXX_TEST(semaphore_request_over_capacity_does_not_block_others) {
    auto sem = std::make_shared<sync::Semaphore>(2);
    auto [ctx, cancel] = context::with_cancel(context::background());
    Channel<Error> res(1);
    go([sem, ctx = ctx, res] { res.send(sem->acquire(ctx, 3)); });
    yield_a_little();
    for (int i = 0; i < 10; ++i) {
        sem->acquire(2);
        sem->release(2);
    }
    BOOST_TEST(res.len() == 0u);
    cancel();
    BOOST_TEST((res.recv() == context::Canceled));
}

GOCXX_TEST(semaphore_release_more_than_held_panics) {
    sync::Semaphore sem(3);
    BOOST_CHECK_EXCEPTION(sem.release(1), Panic, PanicIs{"semaphore: released more than held"});
    sem.acquire(2);
    BOOST_CHECK_EXCEPTION(sem.release(3), Panic, PanicIs{"semaphore: released more than held"});
    sem.release(2);  // the failed release changed nothing
    BOOST_TEST(sem.try_acquire(3));
    sem.release(3);
}
