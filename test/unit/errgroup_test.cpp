// x/sync/errgroup: Group, with_context, set_limit, try_go, and exceptions.
#define BOOST_TEST_MODULE errgroup
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "helpers.hpp"

using namespace gocxx;
using gocxx::test::is_done;
using namespace std::chrono_literals;

namespace {

void raise_max(std::atomic<int>& max, int v) {
    int m = max.load();
    while (v > m && !max.compare_exchange_weak(m, v)) {
    }
}


}  // namespace

GOCXX_TEST(wait_nil_when_all_succeed) {
    errgroup::Group g;
    auto ran = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < 20; ++i) {
        if (i % 2 == 0)
            g.go([ran] { ran->fetch_add(1); });  // void
        else
            g.go([ran]() -> Error {  // Error, nil
                ran->fetch_add(1);
                return nullptr;
            });
    }
    Error err = g.wait();
    BOOST_TEST(!err);
    BOOST_TEST(ran->load() == 20);
    // An empty group waits for nothing.
    errgroup::Group empty;
    BOOST_TEST(!empty.wait());
}

// wait returns the first non-nil Error: the one that failed first in time.
GOCXX_TEST(wait_returns_first_error) {
    const Error first("first"), second("second");
    // The derived context is cancelled only once the first error is recorded
    // (a signal sent from inside the function would come before that).
    auto [g, ctx] = errgroup::with_context(context::background());
    g.go([first]() -> Error { return first; });
    g.go([second, ctx = ctx]() -> Error {
        ctx.done().recv();  // fail strictly after the first failure was recorded
        return second;
    });
    g.go([] {});
    Error err = g.wait();
    BOOST_TEST((err == first));
    BOOST_TEST(err.message() == "first");
}

// The error is returned after every function has finished, not at once.
GOCXX_TEST(wait_waits_for_all_after_an_error) {
    errgroup::Group g;
    auto finished = std::make_shared<std::atomic<int>>(0);
    Channel<Unit> failed;
    g.go([failed]() -> Error {
        failed.close();
        return Error("boom");
    });
    for (int i = 0; i < 5; ++i)
        g.go([failed, finished] {
            failed.recv();
            runtime::gosched();
            finished->fetch_add(1);
        });
    Error err = g.wait();
    BOOST_TEST(err.message() == "boom");
    BOOST_TEST(finished->load() == 5);
}

// A Group is a handle: copies share one group.
GOCXX_TEST(group_copies_share_state) {
    errgroup::Group g;
    errgroup::Group copy = g;
    auto ran = std::make_shared<std::atomic<int>>(0);
    copy.go([ran]() -> Error {
        ran->fetch_add(1);
        return Error("from copy");
    });
    g.go([ran] { ran->fetch_add(1); });
    Error err = g.wait();
    BOOST_TEST(err.message() == "from copy");
    BOOST_TEST(ran->load() == 2);
}

// Every method works on a const Group and through a by-value capture without
// `mutable`: goroutines started from inside a group's goroutine (through a
// copy) are waited for by wait() on the original, and wait() on a copy
// waits for all too.
GOCXX_TEST(group_by_value_capture_and_const) {
    auto [g, ctx] = errgroup::with_context(context::background());
    const errgroup::Group cg = g;
    cg.set_limit(-1);
    auto ran = std::make_shared<std::atomic<int>>(0);
    Channel<Unit> release;
    for (int i = 0; i < 4; ++i)
        g.go([g = g, ran, release] {  // not mutable: g is const in here
            g.go([ran, release] {
                release.recv();
                ran->fetch_add(1);
            });
            ran->fetch_add(1);
        });
    BOOST_TEST(cg.try_go([ran] { ran->fetch_add(1); }));
    const auto waiter = [cg] { return cg.wait(); };  // a copy's wait
    Channel<Error> waited(1);
    go([waiter, waited] { waited.send(waiter()); });
    BOOST_TEST(select(case_recv(waited), case_recv(time::after(20ms))) == 1);  // the inner ones wait on release
    release.close();
    Error err = waited.recv();
    BOOST_TEST(!err);
    BOOST_TEST(ran->load() == 9);
    BOOST_TEST(!g.wait());
    BOOST_TEST(is_done(ctx));  // wait() cancelled the derived context
    cg.go([]() -> Error { return Error("late"); });
    BOOST_TEST(cg.wait().message() == "late");
}

// with_context: the derived ctx is cancelled at the first failure, so the
// others (waiting on ctx.done()) return; wait() returns the failure.
GOCXX_TEST(with_context_cancels_on_first_failure) {
    auto [g, ctx] = errgroup::with_context(context::background());
    BOOST_TEST(!is_done(ctx));
    auto saw_cancel = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < 5; ++i)
        g.go([ctx = ctx, saw_cancel]() -> Error {
            (void)ctx.done().recv();
            if (ctx.err() == context::Canceled) saw_cancel->fetch_add(1);
            return ctx.err();  // they fail too, but after the first
        });
    const Error boom("boom");
    g.go([boom]() -> Error { return boom; });
    Error err = g.wait();
    BOOST_TEST((err == boom));
    BOOST_TEST(saw_cancel->load() == 5);
    BOOST_TEST((ctx.err() == context::Canceled));
}

// Without a failure the derived ctx stays live until wait() returns.
GOCXX_TEST(with_context_cancelled_after_wait) {
    auto [g, ctx] = errgroup::with_context(context::background());
    Channel<bool> live_inside(1);
    g.go([ctx = ctx, live_inside] { live_inside.send(!is_done(ctx)); });
    BOOST_TEST(!g.wait());
    BOOST_TEST(live_inside.recv());
    BOOST_TEST(is_done(ctx));
    BOOST_TEST((ctx.err() == context::Canceled));
}

// The derived ctx is a child of the parent: the parent's cancel reaches it.
GOCXX_TEST(with_context_follows_parent) {
    auto [parent, cancel] = context::with_cancel(context::background());
    auto [g, ctx] = errgroup::with_context(parent);
    g.go([ctx = ctx]() -> Error {
        (void)ctx.done().recv();
        return ctx.err();
    });
    cancel();
    BOOST_TEST((g.wait() == context::Canceled));
    BOOST_TEST((ctx.err() == context::Canceled));
}

// An exception thrown in a function is rethrown by wait(), after all finish;
// it does not end the process.
GOCXX_TEST(exception_rethrown_by_wait) {
    errgroup::Group g;
    auto finished = std::make_shared<std::atomic<int>>(0);
    g.go([] { throw std::runtime_error("kaboom"); });
    for (int i = 0; i < 3; ++i) g.go([finished] { finished->fetch_add(1); });
    try {
        (void)g.wait();
        BOOST_TEST(false, "wait did not throw");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()) == "kaboom");
    }
    BOOST_TEST(finished->load() == 3);
}

// The first failure decides: an exception first is rethrown; an Error first is
// returned even if an exception comes later. The context is cancelled either way.
GOCXX_TEST(first_failure_decides_between_error_and_exception) {
    {
        auto [g, ctx] = errgroup::with_context(context::background());
        // The second fails only once the group has seen the first: its
        // context is cancelled when the exception is recorded (a defer in the
        // first would run during unwinding, before that).
        g.go([] { throw std::logic_error("first: exception"); });
        g.go([ctx = ctx]() -> Error {
            (void)ctx.done().recv();
            return Error("second: error");
        });
        BOOST_CHECK_THROW((void)g.wait(), std::logic_error);
        BOOST_TEST(is_done(ctx));
    }
    {
        auto [g, ctx] = errgroup::with_context(context::background());
        Channel<Unit> first;
        g.go([first]() -> Error {
            auto guard = defer([&] { first.close(); });
            return Error("first: error");
        });
        g.go([first, ctx = ctx] {
            first.recv();
            (void)ctx.done().recv();  // cancelled by the first failure
            throw std::logic_error("second: exception");
        });
        Error err;
        BOOST_CHECK_NO_THROW(err = g.wait());
        BOOST_TEST(err.message() == "first: error");
    }
}

// set_limit(n): at most n functions run at once.
GOCXX_TEST(set_limit_bounds_concurrency) {
    const int limit = 3;
    const int tasks = static_cast<int>(test::scaled(300));
    errgroup::Group g;
    g.set_limit(limit);
    auto running = std::make_shared<std::atomic<int>>(0);
    auto max = std::make_shared<std::atomic<int>>(0);
    auto done = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < tasks; ++i)
        g.go([running, max, done] {
            raise_max(*max, running->fetch_add(1) + 1);
            runtime::gosched();
            runtime::gosched();
            running->fetch_sub(1);
            done->fetch_add(1);
        });
    BOOST_TEST(!g.wait());
    BOOST_TEST(done->load() == tasks);
    BOOST_TEST(max->load() <= limit);
    BOOST_TEST(max->load() >= 1);
}

// go() waits while n run; try_go() refuses at the limit and accepts again
// once one has finished.
GOCXX_TEST(set_limit_go_waits_and_try_go_refuses) {
    errgroup::Group g;
    g.set_limit(2);
    Channel<Unit> gate1, gate2;
    g.go([gate1] { gate1.recv(); });
    g.go([gate2] { gate2.recv(); });
    auto third_ran = std::make_shared<std::atomic<bool>>(false);
    BOOST_TEST(!g.try_go([third_ran] { third_ran->store(true); }));
    // A go() from another goroutine waits until one of the two finishes.
    Channel<Unit> issued(1);
    Channel<Unit> gate3;
    sync::WaitGroup wg;
    wg.go([g, issued, gate3]() mutable {
        g.go([gate3] { gate3.recv(); });
        issued.send({});
    });
    BOOST_TEST(select(case_recv(issued), case_recv(time::after(30ms))) == 1);  // still waiting
    gate1.send({});  // first finishes: a slot frees up
    issued.recv();
    wg.wait();
    BOOST_TEST(!g.try_go([third_ran] { third_ran->store(true); }));  // 2 running again
    gate2.send({});
    // One slot is free once the second has finished: try_go eventually accepts.
    bool accepted = false;
    for (int i = 0; i < 1000000 && !accepted; ++i) {
        accepted = g.try_go([third_ran] { third_ran->store(true); });
        if (!accepted) runtime::gosched();
    }
    BOOST_TEST(accepted);
    gate3.send({});
    BOOST_TEST(!g.wait());
    BOOST_TEST(third_ran->load());
}

// try_go without a limit always runs f.
GOCXX_TEST(try_go_without_limit) {
    errgroup::Group g;
    auto n = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < 10; ++i) BOOST_TEST(g.try_go([n] { n->fetch_add(1); }));
    BOOST_TEST(!g.wait());
    BOOST_TEST(n->load() == 10);
}

// Go: "The limit must not be modified while any goroutines in the group are
// active" (it panics).
GOCXX_TEST(set_limit_while_active_panics) {
    errgroup::Group g;
    g.set_limit(2);
    Channel<Unit> gate;
    g.go([gate] { gate.recv(); });
    try {
        g.set_limit(5);
        BOOST_TEST(false, "set_limit did not throw");
    } catch (const Panic& p) {
        const std::string msg = p.what();
        BOOST_TEST(msg.rfind("errgroup: modify limit while", 0) == 0u, "message: " << msg);
    }
    gate.close();
    BOOST_TEST(!g.wait());
    // Idle again: the limit may change, and a negative one removes it.
    g.set_limit(1);
    g.set_limit(-1);
    auto n = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < 5; ++i) BOOST_TEST(g.try_go([n] { n->fetch_add(1); }));
    BOOST_TEST(!g.wait());
    BOOST_TEST(n->load() == 5);
}

// The payments pattern: 500 payments through an errgroup limited to 10;
// each processed exactly once, never more than 10 at a time.
GOCXX_TEST(payments_pattern) {
    const int payments = 500;
    auto [g, ctx] = errgroup::with_context(context::background());
    g.set_limit(10);
    auto processed = std::make_shared<std::vector<std::atomic<int>>>(payments);
    auto running = std::make_shared<std::atomic<int>>(0);
    auto max = std::make_shared<std::atomic<int>>(0);
    for (int p = 0; p < payments; ++p)
        g.go([p, ctx = ctx, processed, running, max]() -> Error {
            if (ctx.err()) return ctx.err();
            raise_max(*max, running->fetch_add(1) + 1);
            (*processed)[static_cast<std::size_t>(p)].fetch_add(1);
            if (p % 7 == 0) runtime::gosched();
            running->fetch_sub(1);
            return nullptr;
        });
    BOOST_TEST(!g.wait());
    int wrong = 0;
    for (auto& c : *processed)
        if (c.load() != 1) ++wrong;
    BOOST_TEST(wrong == 0);
    BOOST_TEST(max->load() <= 10);
    BOOST_TEST(max->load() >= 1);
}

// A failure in the payments pattern stops the rest: those that start after
// the cancellation see ctx.err() and skip their work.
GOCXX_TEST(payments_pattern_stops_on_failure) {
    const int payments = 200;
    auto [g, ctx] = errgroup::with_context(context::background());
    g.set_limit(4);
    auto processed = std::make_shared<std::atomic<int>>(0);
    const Error declined("payment declined");
    for (int p = 0; p < payments; ++p)
        g.go([p, ctx = ctx, processed, declined]() -> Error {
            if (ctx.err()) return ctx.err();
            if (p == 10) return declined;
            processed->fetch_add(1);
            return nullptr;
        });
    Error err = g.wait();
    BOOST_TEST((err == declined));
    BOOST_TEST(processed->load() < payments / 2);
    BOOST_TEST(processed->load() >= 1);
}
