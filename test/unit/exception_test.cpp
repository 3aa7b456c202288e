// Exception safety: exceptions thrown by user code (select callbacks, payload
// copy constructors, function objects, goroutine bodies in errgroup::Group
// and gocxx::run) leave channels consistent (no value lost, duplicated or
// half-inserted; the channel stays usable) and leak nothing (live-instance
// counts of the payloads return to their baseline). Each GOCXX_TEST runs
// with 1, 2 and 4 workers, from a goroutine and from a plain thread.
#define BOOST_TEST_MODULE exception
#include "fixture.hpp"
#include "helpers.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::Counted;
using gocxx::test::goroutines_drop_to;
using gocxx::test::panic_message;
using gocxx::test::scaled;

namespace {

// What a poisoned copy throws.
struct CopyError : std::runtime_error {
    CopyError() : std::runtime_error("copy failed") {}
};

// A payload that counts its live instances; copying a poisoned one throws
// (before anything is constructed). Moves never throw, as Channel requires.
struct Throwy {
    static inline std::atomic<long> live{0};
    int v = 0;
    bool poison = false;
    Throwy() noexcept { live.fetch_add(1); }
    explicit Throwy(int x, bool p = false) noexcept : v(x), poison(p) { live.fetch_add(1); }
    Throwy(const Throwy& o) : v(o.v), poison(o.poison) {
        if (poison) throw CopyError();
        live.fetch_add(1);
    }
    Throwy(Throwy&& o) noexcept : v(o.v), poison(o.poison) {
        o.v = -1;
        live.fetch_add(1);
    }
    Throwy& operator=(const Throwy&) = default;
    Throwy& operator=(Throwy&&) = default;
    ~Throwy() { live.fetch_sub(1); }
};
static_assert(std::is_nothrow_move_constructible_v<Throwy>);
static_assert(!std::is_nothrow_copy_constructible_v<Throwy>);

// What the user callbacks throw; carries a payload, so a leaked exception
// object shows in the live counts.
struct CallbackError : std::runtime_error {
    explicit CallbackError(int x) : std::runtime_error("callback"), v(x), payload(x) {}
    int v;
    Counted payload;
};

// Live counts settle once goroutines have finished and dropped their
// closures: polled, bounded (10 s), like goroutines_drop_to.
template <class Live>
bool live_back_to(const Live& live, long n) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (live.load() != n) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        runtime::gosched();
    }
    return true;
}

// The values a channel still holds, by receiving them all (it must be closed
// or hold only `n` values; try_recv never blocks).
std::vector<int> drain(const Channel<Throwy>& ch) {
    std::vector<int> out;
    while (auto v = ch.try_recv()) out.push_back(v->v);
    return out;
}

}  // namespace

// ---- payload copy constructors that throw ----------------------------------

// send(const T&), try_send(const T&) and case_send with a poisoned value
// throw the copy's exception before touching the channel: nothing inserted,
// FIFO order and len() unchanged, the channel usable, counts balanced. A full
// channel does not block first: the copy happens before the lock.
GOCXX_TEST(throwing_copy_leaves_buffered_channel_unchanged) {
    const long base = Throwy::live.load();
    {
        Channel<Throwy> ch(3);
        ch.send(Throwy(1));
        ch.send(Throwy(2));
        const Throwy bad(99, true);
        BOOST_CHECK_THROW(ch.send(bad), CopyError);
        BOOST_TEST(ch.len() == 2u);
        BOOST_CHECK_THROW((void)ch.try_send(bad), CopyError);
        BOOST_TEST(ch.len() == 2u);
        BOOST_CHECK_THROW(select(case_send(ch, bad)), CopyError);
        BOOST_CHECK_THROW(select(case_send(ch, bad), case_default()), CopyError);
        BOOST_TEST(ch.len() == 2u);
        BOOST_TEST(Throwy::live.load() == base + 3);  // two in the channel, bad
        ch.send(Throwy(3));                             // now full
        BOOST_CHECK_THROW(ch.send(bad), CopyError);     // throws, does not block
        BOOST_CHECK_THROW((void)ch.try_send(bad), CopyError);
        BOOST_TEST(ch.len() == 3u);
        BOOST_TEST(ch.recv().v == 1);
        BOOST_TEST(ch.try_send(Throwy(4)));
        ch.close();
        BOOST_CHECK_THROW(ch.send(bad), CopyError);  // the copy comes first, even when closed
        BOOST_TEST((drain(ch) == std::vector<int>{2, 3, 4}));
        BOOST_TEST(ch.try_recv().has_value() == false);
    }
    BOOST_TEST(Throwy::live.load() == base);
}

// On an unbuffered channel with a receiver waiting (parked or about to be),
// a throwing copy hands nothing over: the receiver gets exactly the values
// whose sends completed, in order.
GOCXX_TEST(throwing_copy_wakes_no_receiver) {
    const long base = Throwy::live.load();
    const int rounds = static_cast<int>(scaled(200));
    int bad_rounds = 0;
    for (int r = 0; r < rounds; ++r) {
        Channel<Throwy> ch;
        Channel<int> got(2);
        go([ch, got] {
            for (int i = 0; i < 2; ++i) {
                int v = -100;
                if (i == 0) {
                    v = ch.recv().v;
                } else {
                    select(case_recv(ch, [&](Throwy t) { v = t.v; }));
                }
                got.send(v);
            }
        });
        const Throwy bad(-7, true);
        int throws = 0;
        for (int k = 0; k < 3; ++k) {
            try {
                if (k == 0) ch.send(bad);
                else if (k == 1) (void)ch.try_send(bad);
                else select(case_send(ch, bad), case_default());
            } catch (const CopyError&) {
                ++throws;
            }
        }
        ch.send(Throwy(10 + r));
        const Throwy good(20 + r);
        ch.send(good);  // a copy that succeeds
        const int a = got.recv(), b = got.recv();
        if (throws != 3 || a != 10 + r || b != 20 + r || good.v != 20 + r) ++bad_rounds;
    }
    BOOST_TEST(bad_rounds == 0);
    BOOST_TEST(live_back_to(Throwy::live, base));
}

// A select whose send case's value fails to copy never runs: the other
// cases are untouched (the ready receive keeps its value).
GOCXX_TEST(throwing_copy_in_select_arguments_runs_no_case) {
    const long base = Throwy::live.load();
    {
        Channel<Throwy> a(1), b(1);
        a.send(Throwy(5));
        const Throwy bad(6, true);
        bool ran = false;
        BOOST_CHECK_THROW(select(case_recv(a, [&](Throwy) { ran = true; }), case_send(b, bad)), CopyError);
        BOOST_TEST(!ran);
        BOOST_TEST(a.len() == 1u);
        BOOST_TEST(b.len() == 0u);
        // Afterwards the same select, with a good value, works.
        int got = 0;
        const int i = select(case_recv(a, [&](Throwy t) { got = t.v; }), case_send(b, Throwy(7)));
        BOOST_TEST((i == 0 ? got == 5 && b.len() == 0u : b.recv().v == 7 && a.recv().v == 5));
    }
    BOOST_TEST(Throwy::live.load() == base);
}

// ---- user callbacks in select that throw -----------------------------------

// A receive case's callback that throws has received its value (the value is
// gone from the channel, not lost elsewhere and not received twice): the next
// receive gets the next value. Applies to (T), (T, bool) and () callbacks.
GOCXX_TEST(recv_callback_exception_consumes_exactly_one_value) {
    const long base = Throwy::live.load();
    const long counted_base = Counted::live.load();
    {
        Channel<Throwy> ch(8);
        for (int v = 1; v <= 6; ++v) ch.send(Throwy(v));
        auto expect_throw = [&](auto&& do_select, int want) {
            try {
                do_select();
                BOOST_TEST(false, "callback did not throw");
            } catch (const CallbackError& e) {
                BOOST_TEST(e.v == want);
            }
        };
        expect_throw([&] { select(case_recv(ch, [](Throwy t) { throw CallbackError(t.v); })); }, 1);
        BOOST_TEST(ch.len() == 5u);
        BOOST_TEST(Throwy::live.load() == base + 5);
        expect_throw(
            [&] { select(case_recv(ch, [](Throwy t, bool) { throw CallbackError(t.v); }), case_default()); }, 2);
        expect_throw([&] { select(case_recv(ch, [] { throw CallbackError(0); })); }, 0);  // discards 3
        BOOST_TEST(ch.len() == 3u);
        BOOST_TEST(Throwy::live.load() == base + 3);
        BOOST_TEST(ch.recv().v == 4);
        // The closed case: the callback gets T{} and false, throws; the channel stays closed and drained.
        ch.close();
        BOOST_TEST(ch.recv().v == 5);
        BOOST_TEST(ch.recv().v == 6);
        expect_throw([&] {
            select(case_recv(ch, [](Throwy t, bool ok) { throw CallbackError(ok ? 1000 : t.v - 1); }));
        }, -1);
        auto [z, ok] = ch.recv_ok();
        BOOST_TEST(!ok);
        BOOST_TEST(z.v == 0);
    }
    BOOST_TEST(Throwy::live.load() == base);
    BOOST_TEST(Counted::live.load() == counted_base);  // the exception objects are gone
}

// Unbuffered, with a sender goroutine: the send the throwing callback
// received completes (the sender goes on), the next receive gets the next value.
GOCXX_TEST(recv_callback_exception_with_blocked_sender) {
    const long base = Throwy::live.load();
    const int rounds = static_cast<int>(scaled(300));
    int bad = 0;
    for (int r = 0; r < rounds; ++r) {
        Channel<Throwy> ch;
        Channel<int> sent(3);
        go([ch, sent] {
            for (int v = 10; v < 13; ++v) {
                ch.send(Throwy(v));
                sent.send(v);
            }
        });
        int caught = -1;
        try {
            select(case_recv(ch, [](Throwy t) { throw CallbackError(t.v); }));
        } catch (const CallbackError& e) {
            caught = e.v;
        }
        if (caught != 10 || sent.recv() != 10) ++bad;
        if (ch.recv().v != 11 || sent.recv() != 11) ++bad;
        int last = -1;
        select(case_recv(ch, [&](Throwy t) { last = t.v; }));
        if (last != 12 || sent.recv() != 12) ++bad;
    }
    BOOST_TEST(bad == 0);
    BOOST_TEST(live_back_to(Throwy::live, base));
}

// A select that parked on several channels and whose callback throws after
// waking has left no waiter behind on the other channels: an unbuffered
// try_send / try_recv there finds no partner (a stale waiter would take the
// value into a dead frame). Both the receive case and the send case fire,
// at random.
GOCXX_TEST(callback_exception_after_parking_leaves_no_stale_waiters) {
    const long base = Throwy::live.load();
    const int rounds = static_cast<int>(scaled(500));
    int bad = 0, recv_fired = 0, send_fired = 0;
    for (int r = 0; r < rounds; ++r) {
        Channel<Throwy> a, b, c;
        Channel<Unit> selecting;
        Channel<int> result(1);
        go([a, b, c, selecting, result] {
            selecting.close();
            int which = -1;
            try {
                select(case_recv(a, [](Throwy t) { throw CallbackError(t.v); }),
                       case_recv(b, [] { throw CallbackError(-2); }),
                       case_send(c, Throwy(77), [] { throw CallbackError(77); }));
            } catch (const CallbackError& e) {
                which = e.v;
            }
            result.send(which);
        });
        selecting.recv();
        int got_c = -1;
        // Make a or c ready (whichever this round picks); the select may
        // not have parked yet, either way exactly one case runs.
        if (r % 2 == 0) {
            a.send(Throwy(r));
        } else {
            got_c = c.recv().v;
        }
        const int which = result.recv();
        if (r % 2 == 0) {
            recv_fired += which == r;
            if (which != r) ++bad;
        } else {
            send_fired += which == 77;
            if (which != 77 || got_c != 77) ++bad;
        }
        // No partner left behind on any of the three channels.
        if (a.try_send(Throwy(1)) || b.try_send(Throwy(2)) || c.try_recv().has_value()) ++bad;
    }
    BOOST_TEST(bad == 0);
    BOOST_TEST(recv_fired + send_fired == rounds);
    BOOST_TEST(live_back_to(Throwy::live, base));
}

// A send case's callback that throws runs after its value was delivered:
// delivered once, the channel usable.
GOCXX_TEST(send_callback_exception_delivers_once) {
    const long base = Throwy::live.load();
    {
        Channel<Throwy> ch(2);
        BOOST_CHECK_THROW(select(case_send(ch, Throwy(4), [] { throw CallbackError(4); })), CallbackError);
        BOOST_TEST(ch.len() == 1u);
        BOOST_CHECK_THROW(select(case_send(ch, Throwy(5), [] { throw CallbackError(5); }), case_default()),
                          CallbackError);
        // A default callback that throws: nothing sent.
        BOOST_CHECK_THROW(select(case_send(ch, Throwy(6)), case_default([] { throw CallbackError(6); })),
                          CallbackError);
        BOOST_TEST(ch.len() == 2u);
        ch.close();
        BOOST_TEST((drain(ch) == std::vector<int>{4, 5}));
    }
    BOOST_TEST(Throwy::live.load() == base);
}

// A select whose send case hits a closed channel throws Panic; a receive
// case polled first may run instead (Go's select is the same). Either way no
// value is lost or duplicated and nothing leaks.
GOCXX_TEST(panic_in_select_loses_nothing) {
    const long base = Throwy::live.load();
    {
        Channel<Throwy> a(64), closed(1);
        closed.close();
        for (int v = 0; v < 64; ++v) a.send(Throwy(v));
        int panics = 0, received = 0, next = 0, bad = 0;
        for (int i = 0; i < 64 * 4 && a.len() > 0; ++i) {
            try {
                select(case_recv(a,
                                 [&](Throwy t) {
                                     bad += t.v != next;
                                     ++next;
                                     ++received;
                                 }),
                       case_send(closed, Throwy(-1)));
            } catch (const Panic& p) {
                bad += std::string(p.what()) != "send on closed channel";
                ++panics;
            }
        }
        BOOST_TEST(bad == 0);
        BOOST_TEST(received + static_cast<int>(a.len()) == 64);
        BOOST_TEST(panics > 0);
        BOOST_TEST(received > 0);
        BOOST_TEST(panic_message([&] { select(case_send(closed, Throwy(1)), case_default()); }) ==
                   "send on closed channel");
    }
    BOOST_TEST(Throwy::live.load() == base);
}

// ---- function objects whose copy or move throws ----------------------------

namespace {
// A function object whose copy throws when armed (the closure of a lambda
// capturing a std::vector by value can throw std::bad_alloc the same way).
struct ThrowingCopyFn {
    static inline std::atomic<long> live{0};
    static inline std::atomic<int> calls{0};
    bool arm = true;
    ThrowingCopyFn() noexcept { live.fetch_add(1); }
    ThrowingCopyFn(const ThrowingCopyFn& o) : arm(o.arm) {
        if (arm) throw CopyError();
        live.fetch_add(1);
    }
    ThrowingCopyFn(ThrowingCopyFn&& o) noexcept : arm(o.arm) { live.fetch_add(1); }
    ~ThrowingCopyFn() { live.fetch_sub(1); }
    void operator()() const { calls.fetch_add(1); }
    void operator()(int) const { calls.fetch_add(1); }
};
// One whose move throws too (no noexcept move): go() moves it onto the
// goroutine's stack.
struct ThrowingMoveFn {
    static inline std::atomic<long> live{0};
    int moves_left;
    explicit ThrowingMoveFn(int n) noexcept : moves_left(n) { live.fetch_add(1); }
    ThrowingMoveFn(const ThrowingMoveFn& o) : moves_left(o.moves_left) { live.fetch_add(1); }
    ThrowingMoveFn(ThrowingMoveFn&& o) : moves_left(o.moves_left - 1) {
        if (moves_left < 0) throw CopyError();
        live.fetch_add(1);
    }
    ~ThrowingMoveFn() { live.fetch_sub(1); }
    void operator()() const { ThrowingCopyFn::calls.fetch_add(1000); }
};
}  // namespace

// go(f) with a function object whose copy or move throws: the exception
// reaches the caller, no goroutine starts, nothing leaks.
GOCXX_TEST(go_with_throwing_function_object_starts_nothing) {
    const int base = runtime::num_goroutine();
    const long live0 = ThrowingCopyFn::live.load(), mlive0 = ThrowingMoveFn::live.load();
    const int calls0 = ThrowingCopyFn::calls.load();
    {
        const ThrowingCopyFn f;
        BOOST_CHECK_THROW(go(f), CopyError);
        BOOST_CHECK_THROW(go(f, 1), CopyError);  // with arguments: the copy into the closure
        for (int moves = 0; moves < 4; ++moves) {
            try {
                go(ThrowingMoveFn(moves));  // throws at one of the moves, or runs
            } catch (const CopyError&) {
            }
        }
    }
    BOOST_TEST(goroutines_drop_to(base));
    BOOST_TEST(live_back_to(ThrowingCopyFn::live, live0));
    BOOST_TEST(live_back_to(ThrowingMoveFn::live, mlive0));
    BOOST_TEST((ThrowingCopyFn::calls.load() - calls0) % 1000 == 0);  // f itself never ran
}

// ---- errgroup::Group --------------------------------------------------------

// Many functions throw: wait() rethrows the first (after all have finished,
// their defers run); the others' exception objects are destroyed.
GOCXX_TEST(errgroup_rethrows_one_exception_and_frees_the_rest) {
    const long base = Counted::live.load();
    const int n = 16;
    auto unwound = std::make_shared<std::atomic<int>>(0);
    {
        errgroup::Group g;
        for (int i = 0; i < n; ++i) {
            g.go([i, unwound, c = Counted(i)] {
                auto guard = defer([&] { unwound->fetch_add(1); });
                if (i % 3 != 1) throw CallbackError(i);
            });
        }
        int caught = -1;
        try {
            (void)g.wait();
        } catch (const CallbackError& e) {
            caught = e.v;
        }
        BOOST_TEST((caught >= 0 && caught % 3 != 1));
        BOOST_TEST(unwound->load() == n);
        // A second wait() rethrows the same exception again.
        BOOST_CHECK_THROW((void)g.wait(), CallbackError);
    }
    BOOST_TEST(live_back_to(Counted::live, base));
}

// With set_limit(1), a function that throws still frees its slot: later
// go() calls do not wait forever; try_go too.
GOCXX_TEST(errgroup_exception_releases_limit_slot) {
    errgroup::Group g;
    g.set_limit(1);
    auto ran = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < 8; ++i)
        g.go([ran, i] {
            ran->fetch_add(1);
            if (i % 2 == 0) throw std::runtime_error("odd one out");
        });
    BOOST_CHECK_THROW((void)g.wait(), std::runtime_error);
    BOOST_TEST(ran->load() == 8);
    BOOST_TEST(g.try_go([ran] { ran->fetch_add(1); }));
    BOOST_CHECK_THROW((void)g.wait(), std::runtime_error);  // still the first failure
    BOOST_TEST(ran->load() == 9);
}

// The first exception cancels the derived context (others waiting on it
// return), a Panic from a channel operation comes back as a Panic with Go's
// message, and functions started with try_go rethrow the same way.
GOCXX_TEST(errgroup_exception_cancels_context_and_keeps_panic_type) {
    {
        auto [g, ctx] = errgroup::with_context(context::background());
        g.go([ctx = ctx]() -> Error {
            (void)ctx.done().recv();
            return ctx.err();
        });
        g.go([] {
            Channel<int> ch;
            ch.close();
            ch.send(1);
        });
        try {
            (void)g.wait();
            BOOST_TEST(false, "wait did not throw");
        } catch (const Panic& p) {
            BOOST_TEST(std::string(p.what()) == "send on closed channel");
        }
        BOOST_TEST(gocxx::test::is_done(ctx));
    }
    {
        errgroup::Group g;
        BOOST_TEST(g.try_go([] { throw CallbackError(3); }));
        BOOST_CHECK_THROW((void)g.wait(), CallbackError);
    }
}

// A function object whose copy throws, given to Group::go / try_go as an
// lvalue: the exception reaches the caller and the group stays usable:
// wait() still returns once the functions that did start finish, and the
// set_limit slot go() took is given back.
BOOST_AUTO_TEST_CASE(errgroup_throwing_function_copy_leaves_group_usable) {
    gocxx::test::run_as(2, gocxx::test::Caller::Thread, [] {
        errgroup::Group g;
        const ThrowingCopyFn f;
        BOOST_CHECK_THROW(g.go(f), CopyError);
        Channel<Unit> waited;
        go([g, waited]() mutable {
            try {
                (void)g.wait();
            } catch (...) {
            }
            waited.close();
        });
        bool returned = false;
        select(case_recv(waited, [&] { returned = true; }), case_recv(time::after(2s)));
        BOOST_TEST(returned, "Group::wait() blocks forever after go(f) threw copying f");
        // With a limit, the slot go() took for f is given back.
        errgroup::Group limited;
        limited.set_limit(1);
        BOOST_CHECK_THROW(limited.go(f), CopyError);
        BOOST_TEST(limited.try_go([] {}), "the set_limit slot taken for f is never released");
    });
}

// Same for sync::WaitGroup::go (Go 1.25's wg.Go).
BOOST_AUTO_TEST_CASE(waitgroup_go_throwing_function_copy_leaves_counter) {
    gocxx::test::run_as(2, gocxx::test::Caller::Thread, [] {
        auto wg = std::make_shared<sync::WaitGroup>();
        const ThrowingCopyFn f;
        BOOST_CHECK_THROW(wg->go(f), CopyError);
        Channel<Unit> waited;
        go([wg, waited] {
            wg->wait();
            waited.close();
        });
        bool returned = false;
        select(case_recv(waited, [&] { returned = true; }), case_recv(time::after(2s)));
        BOOST_TEST(returned, "WaitGroup::wait() blocks forever after go(f) threw copying f");
    });
}

// ---- gocxx::run --------------------------------------------------------------

// run() rethrows what the main goroutine threw, with its type and payload;
// the exception object is destroyed once caught; defers ran on the way out;
// goroutines the main goroutine started still finish.
GOCXX_TEST(run_rethrows_and_frees_the_exception) {
    const long base = Counted::live.load();
    const int gbase = runtime::num_goroutine();
    bool deferred = false;
    Channel<int> from_child(1);
    try {
        gocxx::run([&] {
            auto guard = defer([&] { deferred = true; });
            go([from_child, c = Counted(1)] { from_child.send(c.v); });
            throw CallbackError(42);
        });
        BOOST_TEST(false, "run did not throw");
    } catch (const CallbackError& e) {
        BOOST_TEST(e.v == 42);
        BOOST_TEST(e.payload.v == 42);
    }
    BOOST_TEST(deferred);
    BOOST_TEST(from_child.recv() == 1);
    BOOST_TEST(goroutines_drop_to(gbase));
    BOOST_TEST(live_back_to(Counted::live, base));
}

// A Panic from a channel operation in run()'s main goroutine, or a throwing
// payload copy there, comes back unchanged; channels it used stay usable.
GOCXX_TEST(run_rethrows_channel_panic_and_copy_error) {
    const long base = Throwy::live.load();
    Channel<Throwy> ch(2);
    BOOST_TEST(panic_message([&] {
                   gocxx::run([] {
                       Channel<int> c(1);
                       c.close();
                       c.send(1);
                   });
               }) == "send on closed channel");
    BOOST_CHECK_THROW(gocxx::run([ch] {
                          ch.send(Throwy(1));
                          const Throwy bad(2, true);
                          ch.send(bad);
                      }),
                      CopyError);
    BOOST_TEST(ch.len() == 1u);
    BOOST_TEST(ch.recv().v == 1);
    BOOST_TEST(Throwy::live.load() == base);
}

// ---- exception state and errno belong to the goroutine -------------------
//
// libstdc++ keeps the stack of caught exceptions and the uncaught count per
// thread; a goroutine that parks inside a catch block or in a destructor run
// by unwinding must find its own state when it resumes (perhaps on another
// worker), and must not lend it to the goroutines that ran meanwhile.

namespace {
// Parks every caller until all `n` have arrived, then lets them all go (so
// that each one is parked while the others throw, catch and park too).
struct Gate {
    explicit Gate(int n) : left(n) {}
    std::atomic<int> left;
    Channel<int> open{0};
    void arrive_and_wait() {
        if (left.fetch_sub(1) == 1) open.close();
        else open.recv();
    }
};
}  // namespace

GOCXX_TEST(caught_exception_survives_a_park) {
    const int n = static_cast<int>(scaled(200));
    const long base = Counted::live.load();
    Gate gate(n);
    std::atomic<int> bad{0};
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i) {
        wg.add(1);
        go([&, i] {
            try {
                throw CallbackError(i);
            } catch (const CallbackError& e) {
                gate.arrive_and_wait();  // parks while the others throw and catch
                if (e.v != i || std::uncaught_exceptions() != 0) bad.fetch_add(1);
                // current_exception() and `throw;` are this goroutine's own.
                try {
                    std::rethrow_exception(std::current_exception());
                } catch (const CallbackError& again) {
                    if (again.v != i) bad.fetch_add(1);
                } catch (...) {
                    bad.fetch_add(1);
                }
                try {
                    runtime::gosched();
                    throw;
                } catch (const CallbackError& again) {
                    if (again.v != i) bad.fetch_add(1);
                } catch (...) {
                    bad.fetch_add(1);
                }
            }
            if (std::current_exception()) bad.fetch_add(1);
            wg.done();
        });
    }
    wg.wait();
    BOOST_TEST(bad.load() == 0);
    // Every exception object was freed (each carries a Counted).
    BOOST_TEST(live_back_to(Counted::live, base));
}

GOCXX_TEST(uncaught_count_belongs_to_the_unwinding_goroutine) {
    const int n = static_cast<int>(scaled(100));
    Gate gate(2 * n);
    std::atomic<int> bad{0};
    sync::WaitGroup wg;
    struct ParksWhileUnwinding {
        Gate* gate;
        std::atomic<int>* bad;
        ~ParksWhileUnwinding() {
            if (std::uncaught_exceptions() != 1) bad->fetch_add(1);
            gate->arrive_and_wait();
            if (std::uncaught_exceptions() != 1) bad->fetch_add(1);
        }
    };
    for (int i = 0; i < n; ++i) {
        wg.add(2);
        go([&] {
            try {
                ParksWhileUnwinding p{&gate, &bad};
                throw std::runtime_error("unwinding");
            } catch (const std::runtime_error&) {
            }
            if (std::uncaught_exceptions() != 0) bad.fetch_add(1);
            wg.done();
        });
        go([&] {  // an unrelated goroutine: nothing is unwinding here
            gate.arrive_and_wait();
            if (std::uncaught_exceptions() != 0 || std::current_exception()) bad.fetch_add(1);
            wg.done();
        });
    }
    wg.wait();
    BOOST_TEST(bad.load() == 0);
}

// errno is read and written through these, never inlined: glibc declares
// __errno_location() const, so within one function the compiler may keep
// errno's address across a park, and after a move to another worker that is
// the old thread's errno (the README says so; the same trap as thread_local).
// (clang has no noipa; noinline keeps the call.)
#if defined(__clang__)
#define GOCXX_TEST_NOIPA [[gnu::noinline]]
#else
#define GOCXX_TEST_NOIPA [[gnu::noipa]]
#endif
GOCXX_TEST_NOIPA int get_errno() { return errno; }
GOCXX_TEST_NOIPA void set_errno(int v) { errno = v; }

GOCXX_TEST(errno_survives_a_park) {
    const int n = static_cast<int>(scaled(200));
    Gate gate(n);
    std::atomic<int> bad{0};
    sync::WaitGroup wg;
    for (int i = 0; i < n; ++i) {
        wg.add(1);
        go([&, i] {
            set_errno(1000 + i);
            gate.arrive_and_wait();
            if (get_errno() != 1000 + i) bad.fetch_add(1);
            set_errno(5000 + i);
            runtime::gosched();
            if (get_errno() != 5000 + i) bad.fetch_add(1);
            wg.done();
        });
    }
    wg.wait();
    BOOST_TEST(bad.load() == 0);
}
