// Go's context package: background/todo, with_cancel, with_timeout,
// with_deadline, with_value, contexts in select; Go 1.20's causes and Go
// 1.21's without_cancel.
#define BOOST_TEST_MODULE context
#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "helpers.hpp"

using namespace gocxx;
using gocxx::test::is_done;
using namespace std::chrono_literals;

namespace {

constexpr auto kSlack = 500ms;

double ms(time::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }


inline const context::Key<std::string> user_key;
inline const context::Key<std::string> other_string_key;  // same type, a different key
inline const context::Key<int> int_key;

}  // namespace

// ---------------------------------------------------------------- background, todo

GOCXX_TEST(background_and_todo_are_never_done) {
    for (const context::Context& ctx : {context::background(), context::todo(), context::Context()}) {
        BOOST_TEST((ctx.done() == nullptr));
        BOOST_TEST(!ctx.err());
        BOOST_TEST((ctx.err() == nullptr));
        BOOST_TEST(!ctx.deadline().second);
        BOOST_TEST(!ctx.value(user_key).has_value());
        BOOST_TEST(!is_done(ctx));  // a nil channel is never ready
    }
}

// ---------------------------------------------------------------- with_cancel

GOCXX_TEST(with_cancel_closes_done_and_sets_canceled) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    BOOST_TEST((ctx.done() != nullptr));
    BOOST_TEST(!ctx.err());
    BOOST_TEST(!is_done(ctx));
    BOOST_TEST(!ctx.deadline().second);
    cancel();
    BOOST_TEST(is_done(ctx));
    auto [v, ok] = ctx.done().recv_ok();
    BOOST_TEST(!ok);  // closed, not sent on
    (void)v;
    Error err = ctx.err();
    BOOST_TEST(static_cast<bool>(err));
    BOOST_TEST((err == context::Canceled));
    BOOST_TEST(!(err == context::DeadlineExceeded));
    BOOST_TEST(err.message() == "context canceled");
    BOOST_TEST(context::Canceled.message() == "context canceled");
    BOOST_TEST(context::DeadlineExceeded.message() == "context deadline exceeded");
    // Idempotent: a second and third call change nothing.
    cancel();
    cancel();
    BOOST_TEST((ctx.err() == context::Canceled));
    BOOST_TEST(is_done(ctx));
}

// The same done channel every time (Go: Done returns the same channel).
GOCXX_TEST(with_cancel_done_is_stable) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    BOOST_TEST((ctx.done() == ctx.done()));
    context::Context copy = ctx;
    BOOST_TEST((copy.done() == ctx.done()));
    cancel();
    BOOST_TEST((copy.err() == context::Canceled));
}

// Cancelling a parent cancels every descendant, through value contexts too;
// cancelling a child leaves its parent and siblings alone.
GOCXX_TEST(cancel_propagates_down_not_up) {
    auto [root, cancel_root] = context::with_cancel(context::background());
    auto [a, cancel_a] = context::with_cancel(root);
    auto [b, cancel_b] = context::with_cancel(root);
    auto av = context::with_value(a, user_key, std::string("alice"));
    auto [a1, cancel_a1] = context::with_cancel(av);              // level 3, through a value
    auto [a2, cancel_a2] = context::with_timeout(av, 1h);         // a timer child
    auto b1v = context::with_value(b, int_key, 7);
    auto [b1, cancel_b1] = context::with_cancel(b1v);
    // A child cancelled: only its subtree.
    cancel_a();
    BOOST_TEST((a.err() == context::Canceled));
    BOOST_TEST((av.err() == context::Canceled));
    BOOST_TEST((a1.err() == context::Canceled));
    BOOST_TEST((a2.err() == context::Canceled));  // the parent's error, not DeadlineExceeded
    BOOST_TEST(is_done(a1));
    BOOST_TEST(is_done(a2));
    BOOST_TEST(!root.err());
    BOOST_TEST(!b.err());
    BOOST_TEST(!b1.err());
    BOOST_TEST(!is_done(root));
    BOOST_TEST(!is_done(b1));
    // Cancelling a leaf: not its parent.
    cancel_b1();
    BOOST_TEST(!b.err());
    BOOST_TEST(!is_done(b));
    // A new child of b after that, then the root: all go.
    auto [b2, cancel_b2] = context::with_cancel(b);
    cancel_root();
    for (const context::Context* c : {&root, &a, &b, &av, &a1, &a2, &b1v, &b1, &b2}) {
        BOOST_TEST((c->err() != nullptr));
        BOOST_TEST(is_done(*c));
    }
    BOOST_TEST((b2.err() == context::Canceled));
    cancel_a1();
    cancel_a2();
    cancel_b();
    cancel_b2();
}

// A child derived from an already-cancelled parent is born done.
GOCXX_TEST(child_of_cancelled_parent_is_done) {
    auto [p, cancel] = context::with_cancel(context::background());
    cancel();
    auto [c, cancel_c] = context::with_cancel(p);
    BOOST_TEST(is_done(c));
    BOOST_TEST((c.err() == context::Canceled));
    auto [t, cancel_t] = context::with_timeout(p, 1h);
    BOOST_TEST((t.err() == context::Canceled));
    cancel_c();
    cancel_t();
}

// Cancel from a goroutine, from a plain thread, and concurrently from many.
GOCXX_TEST(cancel_from_anywhere) {
    {
        auto [ctx, cancel] = context::with_cancel(context::background());
        go([cancel = cancel] { cancel(); });
        (void)ctx.done().recv();
        BOOST_TEST((ctx.err() == context::Canceled));
    }
    {
        auto [ctx, cancel] = context::with_cancel(context::background());
        std::thread t([cancel = cancel] { cancel(); });
        (void)ctx.done().recv();
        t.join();
        BOOST_TEST((ctx.err() == context::Canceled));
    }
    {
        auto [ctx, cancel] = context::with_cancel(context::background());
        std::vector<context::Context> kids;
        std::vector<context::CancelFunc> kid_cancels;
        for (int i = 0; i < 10; ++i) {
            auto [k, ck] = context::with_cancel(ctx);
            kids.push_back(k);
            kid_cancels.push_back(ck);
        }
        sync::WaitGroup wg;
        for (int i = 0; i < 10; ++i) {
            wg.go([cancel = cancel] { cancel(); });
            wg.go([ck = kid_cancels[static_cast<std::size_t>(i)]] { ck(); });
        }
        wg.wait();
        BOOST_TEST((ctx.err() == context::Canceled));
        for (auto& k : kids) BOOST_TEST((k.err() == context::Canceled));
    }
}

// ---------------------------------------------------------------- deadlines

GOCXX_TEST(with_timeout_expires_with_deadline_exceeded) {
    const auto start = time::now();
    auto [ctx, cancel] = context::with_timeout(context::background(), 20ms);
    auto [dl, ok] = ctx.deadline();
    BOOST_TEST(ok);
    BOOST_TEST((dl >= start + 20ms));
    BOOST_TEST((dl <= time::now() + 20ms));
    BOOST_TEST(!ctx.err());
    (void)ctx.done().recv();
    const auto took = time::now() - start;
    BOOST_TEST((took >= 20ms), "done after " << ms(took) << " ms");
    BOOST_TEST((took < 20ms + kSlack));
    BOOST_TEST((time::now() >= dl));
    Error err = ctx.err();
    BOOST_TEST((err == context::DeadlineExceeded));
    BOOST_TEST(err.message() == "context deadline exceeded");
    cancel();  // after the deadline: changes nothing
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
}

// Cancelled before the deadline: Canceled, and the deadline never overrides it.
GOCXX_TEST(with_timeout_cancelled_early) {
    auto [ctx, cancel] = context::with_timeout(context::background(), 20ms);
    cancel();
    BOOST_TEST((ctx.err() == context::Canceled));
    time::sleep(40ms);  // past the (released) deadline
    BOOST_TEST((ctx.err() == context::Canceled));
}

GOCXX_TEST(with_deadline_in_the_past_is_done_at_once) {
    const auto past = time::now() - 1s;
    auto [ctx, cancel] = context::with_deadline(context::background(), past);
    BOOST_TEST(is_done(ctx));
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
    auto [dl, ok] = ctx.deadline();
    BOOST_TEST(ok);
    BOOST_TEST((dl == past));
    cancel();
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
    auto [ctx0, cancel0] = context::with_timeout(context::background(), 0ms);
    BOOST_TEST((ctx0.err() == context::DeadlineExceeded));
    cancel0();
    auto [ctxn, canceln] = context::with_timeout(context::background(), -5s);
    BOOST_TEST((ctxn.err() == context::DeadlineExceeded));
    canceln();
}

// A child's later deadline is capped by the parent's: deadline() reports the
// parent's, and the child ends when the parent does, with DeadlineExceeded.
GOCXX_TEST(child_deadline_capped_by_parent) {
    const auto start = time::now();
    auto [parent, cancel_p] = context::with_timeout(context::background(), 20ms);
    auto [child, cancel_c] = context::with_timeout(parent, 1h);
    auto [pdl, pok] = parent.deadline();
    auto [cdl, cok] = child.deadline();
    BOOST_TEST(pok);
    BOOST_TEST(cok);
    BOOST_TEST((cdl == pdl));
    // An earlier child deadline is its own.
    auto [early, cancel_e] = context::with_timeout(parent, 5ms);
    auto [edl, eok] = early.deadline();
    BOOST_TEST(eok);
    BOOST_TEST((edl < pdl));
    (void)early.done().recv();
    BOOST_TEST((early.err() == context::DeadlineExceeded));
    BOOST_TEST(!parent.err());  // the child's deadline does not end the parent
    (void)child.done().recv();
    BOOST_TEST((time::now() >= start + 20ms));
    BOOST_TEST((child.err() == context::DeadlineExceeded));
    BOOST_TEST((parent.err() == context::DeadlineExceeded));
    // Through a value context, deadline() still finds it.
    auto v = context::with_value(child, int_key, 1);
    BOOST_TEST((v.deadline().first == pdl));
    cancel_e();
    cancel_c();
    cancel_p();
}

// Deadlines fire in order: a 10 ms context ends before a 200 ms one.
GOCXX_TEST(deadlines_in_order) {
    auto [slow, cancel_slow] = context::with_timeout(context::background(), 200ms);
    auto [fast, cancel_fast] = context::with_timeout(context::background(), 10ms);
    const int i = select(case_recv(slow.done()), case_recv(fast.done()));
    BOOST_TEST(i == 1);
    BOOST_TEST(!slow.err());
    cancel_slow();
    cancel_fast();
    BOOST_TEST((slow.err() == context::Canceled));
}

// ---------------------------------------------------------------- with_value

GOCXX_TEST(with_value_typed_keys) {
    auto base = context::background();
    auto c1 = context::with_value(base, user_key, std::string("alice"));
    auto c2 = context::with_value(c1, int_key, 42);
    auto c3 = context::with_value(c2, user_key, std::string("bob"));  // shadows alice
    BOOST_TEST(c1.value(user_key).value() == "alice");
    BOOST_TEST(!c1.value(int_key).has_value());
    BOOST_TEST(c2.value(user_key).value() == "alice");
    BOOST_TEST(c2.value(int_key).value() == 42);
    BOOST_TEST(c3.value(user_key).value() == "bob");  // the nearest wins
    BOOST_TEST(c3.value(int_key).value() == 42);
    // Same type, different key object: a different key.
    BOOST_TEST(!c3.value(other_string_key).has_value());
    auto c4 = context::with_value(c3, other_string_key, std::string("other"));
    BOOST_TEST(c4.value(other_string_key).value() == "other");
    BOOST_TEST(c4.value(user_key).value() == "bob");
    // Missing everywhere.
    BOOST_TEST(!base.value(user_key).has_value());
    // Local keys work too.
    const context::Key<int> local;
    auto c5 = context::with_value(c4, local, 9);
    BOOST_TEST(c5.value(local).value() == 9);
    BOOST_TEST(c5.value(int_key).value() == 42);
    // A value context has no done channel of its own over background.
    BOOST_TEST((c5.done() == nullptr));
    BOOST_TEST(!c5.deadline().second);
}

// Values pass through cancel contexts; the cancel context's state through values.
GOCXX_TEST(with_value_through_cancel_contexts) {
    auto v = context::with_value(context::background(), user_key, std::string("carol"));
    auto [c, cancel] = context::with_cancel(v);
    auto w = context::with_value(c, int_key, 5);
    BOOST_TEST(w.value(user_key).value() == "carol");
    BOOST_TEST(w.value(int_key).value() == 5);
    BOOST_TEST((w.done() == c.done()));
    cancel();
    BOOST_TEST((w.err() == context::Canceled));
    BOOST_TEST(is_done(w));
    BOOST_TEST(w.value(user_key).value() == "carol");  // still there after cancel
}

// A value moved in and read from several goroutines.
GOCXX_TEST(with_value_read_concurrently) {
    auto ctx = context::with_value(context::background(), user_key, std::string(1000, 'x'));
    auto bad = std::make_shared<std::atomic<int>>(0);
    sync::WaitGroup wg;
    for (int i = 0; i < 16; ++i)
        wg.go([ctx, bad] {
            for (int k = 0; k < 100; ++k) {
                auto v = ctx.value(user_key);
                if (!v || v->size() != 1000) bad->fetch_add(1);
            }
        });
    wg.wait();
    BOOST_TEST(bad->load() == 0);
}

// ---------------------------------------------------------------- select

// The usual pattern: a worker selects on its work and ctx.done(); from a
// goroutine and a plain thread.
GOCXX_TEST(context_in_select_from_goroutines_and_threads) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    Channel<int> work;
    Channel<std::string> report(4);
    auto worker = [ctx = ctx, work, report](std::string who) {
        long handled = 0;
        for (;;) {
            bool stop = false;
            select(case_recv(work, [&](int) { ++handled; }), case_recv(ctx.done(), [&] { stop = true; }));
            if (stop) break;
        }
        report.send(who + ":" + (ctx.err() == context::Canceled ? "canceled" : "?"));
    };
    sync::WaitGroup wg;
    wg.go([worker] { worker("g"); });
    std::thread t(worker, std::string("t"));
    for (int i = 0; i < 100; ++i) work.send(i);  // both may take them
    cancel();
    wg.wait();
    t.join();
    std::vector<std::string> got{report.recv(), report.recv()};
    std::sort(got.begin(), got.end());
    BOOST_TEST(got[0] == "g:canceled");
    BOOST_TEST(got[1] == "t:canceled");
}

// A timeout context bounds a wait for a channel that never delivers.
GOCXX_TEST(timeout_context_bounds_a_select) {
    const auto s = time::now();
    auto [ctx, cancel] = context::with_timeout(context::background(), 15ms);
    Channel<int> never;
    const int i = select(case_recv(never), case_recv(ctx.done()));
    BOOST_TEST(i == 1);
    BOOST_TEST((time::now() >= s + 15ms));
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
    cancel();
}

// Many goroutines (and a couple of threads) wait on one ctx.done(): one
// cancel releases them all.
GOCXX_TEST(many_waiters_released_by_one_cancel) {
    const int n = static_cast<int>(test::scaled(1000));
    auto [ctx, cancel] = context::with_cancel(context::background());
    auto released = std::make_shared<std::atomic<int>>(0);
    Channel<Unit> started(n + 2);
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i)
        wg.go([ctx = ctx, released, started] {
            started.send({});
            (void)ctx.done().recv();
            if (ctx.err() == context::Canceled) released->fetch_add(1);
        });
    std::vector<std::thread> ts;
    for (int i = 0; i < 2; ++i)
        ts.emplace_back([ctx = ctx, released, started] {
            started.send({});
            select(case_recv(ctx.done()));
            if (ctx.err() == context::Canceled) released->fetch_add(1);
        });
    for (int i = 0; i < n + 2; ++i) started.recv();
    BOOST_TEST(released->load() == 0);
    cancel();
    wg.wait();
    for (auto& t : ts) t.join();
    BOOST_TEST(released->load() == n + 2);
}

// Many contexts with timeouts pending at once, most cancelled early: the
// cancelled ones release their timers, the rest expire on time.
GOCXX_TEST(many_timeout_contexts) {
    const int n = static_cast<int>(test::scaled(2000));
    std::vector<context::Context> ctxs;
    std::vector<context::CancelFunc> cancels;
    const auto s = time::now();
    for (int i = 0; i < n; ++i) {
        auto [c, f] = context::with_timeout(context::background(), (i % 4 == 0) ? 10ms : 1h);
        ctxs.push_back(c);
        cancels.push_back(f);
    }
    for (int i = 0; i < n; ++i)
        if (i % 4 != 0) cancels[static_cast<std::size_t>(i)]();
    int wrong = 0;
    for (int i = 0; i < n; ++i) {
        auto& c = ctxs[static_cast<std::size_t>(i)];
        (void)c.done().recv();
        if (i % 4 == 0 ? c.err() != context::DeadlineExceeded : c.err() != context::Canceled) ++wrong;
    }
    BOOST_TEST(wrong == 0);
    BOOST_TEST((time::now() >= s + 10ms));
    for (auto& f : cancels) f();
}

// ---------------------------------------------------------------- races

// A parent cancelled from another goroutine while children (plain, with a
// deadline, through a value) are being derived from it: every child ends up
// cancelled, none is left behind.
GOCXX_TEST(derive_while_parent_is_cancelled) {
    const int rounds = 300;  // not scaled: the race window is narrow
    int wrong = 0;
    for (int r = 0; r < rounds; ++r) {
        auto [parent, cancel] = context::with_cancel(context::background());
        Channel<Unit> go_now;
        Channel<Unit> done;
        go([cancel = cancel, go_now, done] {
            go_now.recv();
            cancel();
            done.close();
        });
        std::vector<context::Context> kids;
        std::vector<context::CancelFunc> cancels;
        go_now.send({});
        for (int k = 0; k < 20; ++k) {
            auto v = context::with_value(parent, int_key, k);
            auto [c, f] = (k % 2 == 0) ? context::with_timeout(v, 1h) : context::with_cancel(v);
            kids.push_back(c);
            cancels.push_back(f);
        }
        done.recv();
        for (auto& c : kids) {
            if (c.err() != context::Canceled) ++wrong;
            if (!is_done(c)) ++wrong;
        }
        for (auto& f : cancels) f();
    }
    BOOST_TEST(wrong == 0);
}

// ---------------------------------------------------------------- deep chains

namespace {
inline const context::Key<test::Counted> counted_key;

#ifdef GOCXX_SANITIZED
constexpr long kDeepest = 10000;
#else
constexpr long kDeepest = 100000;
#endif

// A chain `depth` deep below a with_cancel root: with_cancel, with_timeout
// (each sooner than the last, so each has its own deadline timer) and
// with_value (a Counted) in turn. Only the leaf and the root's cancel are
// kept (each context holds its parent).
std::pair<context::Context, context::CancelFunc> deep_chain(long depth) {
    auto [root, cancel] = context::with_cancel(context::background());
    context::Context c = root;
    for (long i = 1; i < depth; ++i) {
        switch (i % 3) {
            case 0: c = context::with_cancel(c).first; break;
            case 1: c = context::with_timeout(c, 1h + std::chrono::seconds(depth - i)).first; break;
            default: c = context::with_value(c, counted_key, test::Counted(static_cast<int>(i))); break;
        }
    }
    return {c, cancel};
}
}  // namespace

// Cancelling the root of a chain 10,000 deep (100,000 in the release build)
// reaches the leaf; the chain then frees. Both were recursive and overflowed
// a goroutine's 256 KiB stack from about 3,000.
GOCXX_TEST(cancel_and_free_a_deep_chain) {
    const long live0 = test::Counted::live.load();
    for (long depth : {10000L, kDeepest}) {
        auto [leaf, cancel] = deep_chain(depth);
        BOOST_TEST(!is_done(leaf));
        BOOST_TEST((test::Counted::live.load() - live0) == depth / 3);
        cancel();
        BOOST_TEST(is_done(leaf));
        BOOST_TEST(leaf.err() == context::Canceled);
        BOOST_TEST(leaf.value(counted_key).has_value());
        leaf = context::background();  // the last handle of the chain below the root
        BOOST_TEST(test::Counted::live.load() == live0);
    }
}

// A chain of values nothing cancels, freed from the leaf (it holds the rest)
// and with the leaf dropped last after every other handle.
GOCXX_TEST(free_an_uncancelled_deep_chain) {
    const long live0 = test::Counted::live.load();
    for (long depth : {10000L, kDeepest}) {
        {
            context::Context c = context::background();
            for (long i = 0; i < depth; ++i) c = context::with_value(c, counted_key, test::Counted(1));
            BOOST_TEST((test::Counted::live.load() - live0) == depth);
        }  // the leaf goes, and the whole chain with it
        BOOST_TEST(test::Counted::live.load() == live0);

        auto [root, cancel] = context::with_cancel(context::background());
        std::vector<context::Context> all{root};
        for (long i = 1; i < depth; ++i) all.push_back(context::with_value(all.back(), counted_key, test::Counted(1)));
        for (auto& c : all) c = context::background();  // root first, the leaf last: it frees the chain
        BOOST_TEST(test::Counted::live.load() == live0);

        all.assign(1, root);
        for (long i = 1; i < depth; ++i) all.push_back(context::with_value(all.back(), counted_key, test::Counted(1)));
        while (!all.empty()) all.pop_back();  // the leaf first
        BOOST_TEST(test::Counted::live.load() == live0);
        BOOST_TEST(!is_done(root));
        cancel();
    }
}

// ---------------------------------------------------------------- causes (Go 1.20)

inline const Error kMyCause{"my cause"};
inline const Error kParentCause{"parent cause"};
inline const Error kTimeoutCause{"too slow"};

// cause is nil until done; then the Error given; err() stays Canceled.
GOCXX_TEST(with_cancel_cause_records_the_cause) {
    auto [ctx, cancel] = context::with_cancel_cause(context::background());
    BOOST_TEST(!context::cause(ctx));
    BOOST_TEST(!ctx.err());
    cancel(kMyCause);
    BOOST_TEST(is_done(ctx));
    BOOST_TEST((ctx.err() == context::Canceled));
    BOOST_TEST((context::cause(ctx) == kMyCause));
    cancel(Error("later"));  // only the first call counts
    BOOST_TEST((context::cause(ctx) == kMyCause));
    BOOST_TEST((ctx.err() == context::Canceled));
    // A value context below sees its cancel context's cause.
    BOOST_TEST((context::cause(context::with_value(ctx, int_key, 1)) == kMyCause));
}

// A nil cause (nullptr, or an empty Error) is Canceled.
GOCXX_TEST(with_cancel_cause_nil_is_canceled) {
    auto [a, cancel_a] = context::with_cancel_cause(context::background());
    cancel_a(nullptr);
    BOOST_TEST((a.err() == context::Canceled));
    BOOST_TEST((context::cause(a) == context::Canceled));
    auto [b, cancel_b] = context::with_cancel_cause(context::background());
    cancel_b(Error{});
    BOOST_TEST((context::cause(b) == context::Canceled));
    // A plain with_cancel's cause is its err.
    auto [c, cancel_c] = context::with_cancel(context::background());
    cancel_c();
    BOOST_TEST((context::cause(c) == context::Canceled));
    // Never-done contexts: nil.
    BOOST_TEST(!context::cause(context::background()));
    BOOST_TEST(!context::cause(context::todo()));
}

// Children cancelled through their parent get the parent's cause (Go's
// cancel(false, parent.Err(), Cause(parent))), derived before or after the
// cancel, with their own cause functions or not; their own later cancel
// changes nothing.
GOCXX_TEST(cause_flows_from_parent_to_children) {
    auto [parent, cancel] = context::with_cancel_cause(context::background());
    auto [child, cancel_child] = context::with_cancel_cause(parent);
    auto [timed, cancel_timed] = context::with_timeout_cause(child, 1h, kTimeoutCause);
    auto [plain, cancel_plain] = context::with_cancel(context::with_value(timed, int_key, 3));
    cancel(kParentCause);
    for (const context::Context& c : {parent, child, timed, plain}) {
        BOOST_TEST(is_done(c));
        BOOST_TEST((c.err() == context::Canceled));
        BOOST_TEST((context::cause(c) == kParentCause));
    }
    cancel_child(kMyCause);
    BOOST_TEST((context::cause(child) == kParentCause));
    auto [late, cancel_late] = context::with_cancel_cause(plain);
    BOOST_TEST((late.err() == context::Canceled));
    BOOST_TEST((context::cause(late) == kParentCause));
    // A child cancelled on its own leaves its parent as it was.
    auto [p2, cancel_p2] = context::with_cancel_cause(context::background());
    auto [c2, cancel_c2] = context::with_cancel_cause(p2);
    cancel_c2(kMyCause);
    BOOST_TEST((context::cause(c2) == kMyCause));
    BOOST_TEST(!context::cause(p2));
    BOOST_TEST(!is_done(p2));
    cancel_p2(kParentCause);
    BOOST_TEST((context::cause(c2) == kMyCause));
    cancel_timed();
    cancel_plain();
    cancel_late(nullptr);
}

// with_timeout_cause: the deadline gives err() DeadlineExceeded and cause()
// the given Error; cancel() first gives Canceled for both; a nil cause is
// DeadlineExceeded.
GOCXX_TEST(with_timeout_cause_deadline_and_cancel) {
    auto [ctx, cancel] = context::with_timeout_cause(context::background(), 20ms, kTimeoutCause);
    BOOST_TEST(ctx.deadline().second);
    BOOST_TEST(!context::cause(ctx));
    ctx.done().recv();
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
    BOOST_TEST((context::cause(ctx) == kTimeoutCause));
    cancel();  // after the deadline: changes nothing
    BOOST_TEST((ctx.err() == context::DeadlineExceeded));
    BOOST_TEST((context::cause(ctx) == kTimeoutCause));
    auto [child, cancel_child] = context::with_cancel(ctx);
    BOOST_TEST((context::cause(child) == kTimeoutCause));
    cancel_child();

    auto [c2, cancel2] = context::with_timeout_cause(context::background(), 1h, kTimeoutCause);
    cancel2();
    BOOST_TEST((c2.err() == context::Canceled));
    BOOST_TEST((context::cause(c2) == context::Canceled));

    auto [c3, cancel3] = context::with_timeout_cause(context::background(), 5ms, nullptr);
    c3.done().recv();
    BOOST_TEST((context::cause(c3) == context::DeadlineExceeded));
    cancel3();
    // A plain with_timeout's cause is DeadlineExceeded too.
    auto [c4, cancel4] = context::with_timeout(context::background(), 5ms);
    c4.done().recv();
    BOOST_TEST((context::cause(c4) == context::DeadlineExceeded));
    cancel4();
}

// with_deadline_cause: a deadline already past is done at once with the
// cause; a parent's sooner deadline wins (Go: WithCancel(parent)), and so
// does its cause.
GOCXX_TEST(with_deadline_cause_past_and_sooner_parent) {
    auto [past, cancel_past] = context::with_deadline_cause(context::background(), time::now() - 1s, kTimeoutCause);
    BOOST_TEST(is_done(past));
    BOOST_TEST((past.err() == context::DeadlineExceeded));
    BOOST_TEST((context::cause(past) == kTimeoutCause));
    cancel_past();

    auto [parent, cancel_parent] = context::with_timeout_cause(context::background(), 15ms, kParentCause);
    auto [child, cancel_child] = context::with_deadline_cause(parent, time::now() + 1h, kTimeoutCause);
    BOOST_TEST((child.deadline().first == parent.deadline().first));
    child.done().recv();
    BOOST_TEST((child.err() == context::DeadlineExceeded));
    BOOST_TEST((context::cause(child) == kParentCause));
    cancel_child();
    cancel_parent();
}

// The cause is set by a cancel from another goroutine and read once done()
// is closed (the done channel orders it).
GOCXX_TEST(cause_from_another_goroutine) {
    for (int i = 0; i < 50; ++i) {
        auto [ctx, cancel] = context::with_cancel_cause(context::background());
        auto [child, cancel_child] = context::with_cancel(ctx);
        const Error mine("goroutine " + std::to_string(i));
        go([cancel = cancel, mine] { cancel(mine); });
        child.done().recv();
        BOOST_TEST((context::cause(child) == mine));
        BOOST_TEST((child.err() == context::Canceled));
        cancel_child();
    }
}

// ---------------------------------------------------------------- without_cancel (Go 1.21)

// Never done, whatever its parent does; keeps the parent's values; no
// deadline; contexts derived from it are cancelled only by their own cancel.
GOCXX_TEST(without_cancel_is_never_done_but_keeps_values) {
    auto [parent, cancel] = context::with_timeout_cause(context::with_value(context::background(), user_key, std::string("ann")),
                                                        1h, kTimeoutCause);
    context::Context wc = context::without_cancel(context::with_value(parent, int_key, 7));
    auto [child, cancel_child] = context::with_cancel(wc);
    std::atomic<int> after_ran{0};
    auto stop = context::after_func(wc, [&after_ran] { after_ran.fetch_add(1); });
    BOOST_TEST((wc.done() == nullptr));
    BOOST_TEST(!wc.deadline().second);
    BOOST_TEST(parent.deadline().second);
    cancel();
    BOOST_TEST(is_done(parent));
    BOOST_TEST((wc.done() == nullptr));
    BOOST_TEST(!is_done(wc));
    BOOST_TEST(!wc.err());
    BOOST_TEST(!context::cause(wc));
    BOOST_TEST(!wc.deadline().second);
    BOOST_TEST((wc.value(user_key) == std::optional<std::string>("ann")));
    BOOST_TEST((wc.value(int_key) == std::optional<int>(7)));
    BOOST_TEST(!is_done(child));
    BOOST_TEST((child.value(user_key) == std::optional<std::string>("ann")));
    BOOST_TEST(!child.deadline().second);
    // Derived after the parent's cancel: still not done.
    auto [late, cancel_late] = context::with_timeout(context::without_cancel(parent), 1h);
    BOOST_TEST(!is_done(late));
    auto [d, has] = late.deadline();
    BOOST_TEST(has);
    BOOST_TEST((d > time::now() + 59min));
    cancel_child();
    BOOST_TEST((child.err() == context::Canceled));
    BOOST_TEST(!wc.err());
    cancel_late();
    BOOST_TEST(stop());  // never ran: the without_cancel context is never done
    BOOST_TEST(after_ran.load() == 0);
}
