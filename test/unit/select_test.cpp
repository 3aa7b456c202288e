// gocxx::select: Go's select statement. Each GOCXX_TEST runs with 1, 2 and 4
// workers, from a goroutine and from a plain thread. Goroutines report
// through channels and atomics that the body checks after synchronising with
// them; only the body uses BOOST_* macros.
#define BOOST_TEST_MODULE select
#include "fixture.hpp"
#include "helpers.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace gocxx;
using gocxx::test::scaled;
using gocxx::test::panic_message;
using gocxx::test::goroutines_drop_to;
using gocxx::test::Counted;
using gocxx::test::sum_below;

namespace {


// A select over one receive case per channel of chs (in order), plus a
// default last when WithDefault. Records the channel index and value taken.
template <bool WithDefault, std::size_t N>
int select_recv_all(const std::array<Channel<int>, N>& chs, int& which, int& value, bool& ok) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        if constexpr (WithDefault) {
            return select(case_recv(chs[I],
                                    [&](int v, bool o) {
                                        which = static_cast<int>(I);
                                        value = v;
                                        ok = o;
                                    })...,
                          case_default([&] { which = -1; }));
        } else {
            return select(case_recv(chs[I], [&](int v, bool o) {
                which = static_cast<int>(I);
                value = v;
                ok = o;
            })...);
        }
    }(std::make_index_sequence<N>{});
}

// A select with a receive case on each of recv (indexes 0..N-1), then a send
// case of `v` on each of send (indexes N..2N-1).
template <std::size_t N>
int select_mixed(const std::array<Channel<int>, N>& recv, const std::array<Channel<int>, N>& send, int v,
                 int& got) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto on_recv = [&](int x) { got = x; };
        return select(case_recv(recv[I], on_recv)..., case_send(send[I], v)...);
    }(std::make_index_sequence<N>{});
}

}  // namespace

// ---------------------------------------------------------------------------
// Case forms

GOCXX_TEST(recv_callback_forms) {
    Channel<int> ch(4);
    ch.send(1);
    ch.send(2);
    ch.send(3);
    ch.send(4);
    int got = -1;
    BOOST_TEST(select(case_recv(ch, [&](int v) { got = v; })) == 0);  // case v := <-ch
    BOOST_TEST(got == 1);
    bool ok = false;
    BOOST_TEST(select(case_recv(ch, [&](int v, bool o) {  // case v, ok := <-ch
                   got = v;
                   ok = o;
               })) == 0);
    BOOST_TEST(got == 2);
    BOOST_TEST(ok);
    bool ran = false;
    BOOST_TEST(select(case_recv(ch, [&] { ran = true; })) == 0);  // case <-ch
    BOOST_TEST(ran);
    BOOST_TEST(ch.len() == 1u);
    BOOST_TEST(select(case_recv(ch)) == 0);  // case <-ch: with an empty body
    BOOST_TEST(ch.len() == 0u);

    // The same forms on a closed channel: T{} and ok == false.
    ch.close();
    got = -1;
    BOOST_TEST(select(case_recv(ch, [&](int v) { got = v; })) == 0);
    BOOST_TEST(got == 0);
    ok = true;
    got = -1;
    select(case_recv(ch, [&](int v, bool o) {
        got = v;
        ok = o;
    }));
    BOOST_TEST(got == 0);
    BOOST_TEST(!ok);
    ran = false;
    select(case_recv(ch, [&] { ran = true; }));
    BOOST_TEST(ran);
    BOOST_TEST(select(case_recv(ch)) == 0);

    // Non-trivial payloads and a RecvChannel as the case's channel.
    Channel<std::string> s(2);
    s.send("hello");
    RecvChannel<std::string> rs = s;
    std::string str;
    select(case_recv(rs, [&](std::string v, bool o) { str = o ? v : "closed"; }));
    BOOST_TEST(str == "hello");
    s.close();
    select(case_recv(rs, [&](const std::string& v, bool o) { str = o ? "open" : "[" + v + "]"; }));
    BOOST_TEST(str == "[]");
}

GOCXX_TEST(send_case_with_and_without_callback) {
    Channel<int> ch(3);
    BOOST_TEST(select(case_send(ch, 5)) == 0);  // case ch <- 5: (empty body)
    bool ran = false;
    BOOST_TEST(select(case_send(ch, 6, [&] { ran = true; })) == 0);
    BOOST_TEST(ran);
    int x = 7;
    select(case_send(ch, x));  // an lvalue is copied
    BOOST_TEST(x == 7);
    BOOST_TEST(ch.recv() == 5);
    BOOST_TEST(ch.recv() == 6);
    BOOST_TEST(ch.recv() == 7);
    // Through a SendChannel, with a value converted to T.
    Channel<long> lc(1);
    SendChannel<long> sl = lc;
    select(case_send(sl, 9));
    BOOST_TEST(lc.recv() == 9L);
    // Unbuffered: a send case completes with a receiver.
    Channel<int> u;
    Channel<int> res(1);
    go([u, res] { res.send(u.recv()); });
    ran = false;
    BOOST_TEST(select(case_send(u, 11, [&] { ran = true; })) == 0);
    BOOST_TEST(ran);
    BOOST_TEST(res.recv() == 11);
}

// The index form: into(v), into(v, ok), and a switch on what select returns.
GOCXX_TEST(index_form_into) {
    Channel<int> a(2), b(2);
    Channel<std::string> c(1);
    int v = -1;
    bool ok = false;
    a.send(1);
    BOOST_TEST(select(case_recv(a, into(v)), case_recv(b, into(v, ok)), case_default()) == 0);
    BOOST_TEST(v == 1);
    BOOST_TEST(!ok);  // into(v, ok) of the case not chosen: untouched
    b.send(2);
    BOOST_TEST(select(case_recv(a, into(v)), case_recv(b, into(v, ok)), case_default()) == 1);
    BOOST_TEST(v == 2);
    BOOST_TEST(ok);
    // Nothing ready: the default, and v and ok untouched.
    v = 42;
    BOOST_TEST(select(case_recv(a, into(v)), case_recv(b, into(v, ok)), case_default()) == 2);
    BOOST_TEST(v == 42);
    BOOST_TEST(ok);
    // Closed: the zero value and ok = false; into(v) alone writes the zero value.
    b.close();
    BOOST_TEST(select(case_recv(b, into(v, ok))) == 0);
    BOOST_TEST(v == 0);
    BOOST_TEST(!ok);
    v = 42;
    BOOST_TEST(select(case_recv(b, into(v))) == 0);
    BOOST_TEST(v == 0);
    // A non-trivial payload, a RecvChannel, and a variable of another type
    // that the value is assignable to.
    c.send("hi");
    RecvChannel<std::string> rc = c;
    std::string str = "x";
    BOOST_TEST(select(case_recv(rc, into(str, ok))) == 0);
    BOOST_TEST(str == "hi");
    BOOST_TEST(ok);
    Channel<int> small(1);
    small.send(7);
    long wide = 0;
    BOOST_TEST(select(case_recv(small, into(wide))) == 0);
    BOOST_TEST(wide == 7L);
    // Move-only.
    Channel<std::unique_ptr<int>> up(1);
    up.send(std::make_unique<int>(9));
    std::unique_ptr<int> p;
    BOOST_TEST(select(case_recv(up, into(p))) == 0);
    BOOST_TEST((p && *p == 9));
}

GOCXX_TEST(index_form_mixes_with_callbacks) {
    Channel<int> a(1), b(1), out(1);
    Channel<int> nil_ch = nullptr;
    out.send(-1);  // full: the send case is not ready until drained
    int v = -1, cb = -1;
    auto once = [&](int x) {
        return select(case_recv(a, into(v)), case_recv(b, [&](int y) { cb = y; }), case_send(out, x),
                      case_recv(nil_ch, into(v)));
    };
    a.send(10);
    BOOST_TEST(once(0) == 0);
    BOOST_TEST(v == 10);
    BOOST_TEST(cb == -1);
    b.send(20);
    BOOST_TEST(once(1) == 1);
    BOOST_TEST(cb == 20);
    BOOST_TEST(v == 10);
    BOOST_TEST(out.recv() == -1);
    BOOST_TEST(once(2) == 2);
    BOOST_TEST(out.recv() == 2);
    BOOST_TEST(v == 10);
    BOOST_TEST(cb == 20);
}

// The trap the index form avoids: a loop that must end when done closes.
GOCXX_TEST(index_form_returns_from_loop) {
    Channel<int> data;
    Channel<Unit> done;
    go([data, done] {
        for (int i = 1; i <= 5; ++i) data.send(i);
        done.close();
    });
    auto consume = [&]() -> int {
        int sum = 0, v = 0;
        for (int iter = 0; iter < 1000; ++iter) {  // bounded: returns after 6 rounds
            switch (select(case_recv(data, into(v)), case_recv(done))) {
                case 0: sum += v; continue;
                case 1: return sum;
            }
        }
        return -1;
    };
    BOOST_TEST(consume() == 15);
}

GOCXX_TEST(default_taken_when_nothing_ready) {
    Channel<int> empty(1);
    Channel<int> full(1);
    full.send(1);
    Channel<int> unbuf;
    bool def = false, other = false;
    int i = select(case_recv(empty, [&](int) { other = true; }), case_send(full, 2, [&] { other = true; }),
                   case_recv(unbuf, [&] { other = true; }), case_send(unbuf, 3, [&] { other = true; }),
                   case_default([&] { def = true; }));
    BOOST_TEST(i == 4);
    BOOST_TEST(def);
    BOOST_TEST(!other);
    BOOST_TEST(full.len() == 1u);  // the send case did not happen
    BOOST_TEST(empty.len() == 0u);
    // Default without a body, and default first.
    BOOST_TEST(select(case_recv(empty), case_default()) == 1);
    BOOST_TEST(select(case_default(), case_recv(empty)) == 0);
    // Only a default.
    def = false;
    BOOST_TEST(select(case_default([&] { def = true; })) == 0);
    BOOST_TEST(def);
    BOOST_TEST(select(case_default()) == 0);
    // A ready case wins over the default, every time.
    int defaults = 0;
    for (int k = 0; k < 200; ++k) {
        full.try_recv();
        full.send(k);
        if (select(case_default(), case_recv(full)) == 0) ++defaults;
    }
    BOOST_TEST(defaults == 0);
}

GOCXX_TEST(case_indexes_follow_argument_order) {
    Channel<int> a(1), b(1), c(1);
    auto run = [&] {
        return select(case_recv(a), case_default(), case_recv(b), case_send(c, 1));
    };
    BOOST_TEST(run() == 3);  // only the send on c is ready
    BOOST_TEST(c.recv() == 1);
    c.send(0);               // c full now: send not ready
    BOOST_TEST(run() == 1);  // nothing ready: the default's own index
    b.send(2);
    BOOST_TEST(run() == 2);
    a.send(3);
    BOOST_TEST(run() == 0);
    BOOST_TEST(run() == 1);
    // Without a default, the indexes are the same positions.
    BOOST_TEST(select(case_recv(a), case_recv(b), case_recv(c)) == 2);  // c holds 0
    b.send(4);
    BOOST_TEST(select(case_recv(a), case_recv(b), case_recv(c)) == 1);
    a.send(5);
    BOOST_TEST(select(case_recv(a), case_recv(b), case_recv(c)) == 0);
}

// Each case's body is its own (type-erased) record: the chosen one runs, with
// the default anywhere among the cases, and no other.
GOCXX_TEST(callbacks_follow_argument_order_around_the_default) {
    Channel<int> a(1), b(1);
    Channel<std::string> c(1);
    std::string ran;
    auto run = [&] {
        return select(case_recv(a, [&](int v) { ran = "a" + std::to_string(v); }),
                      case_default([&] { ran = "default"; }),
                      case_recv(b, [&](int v, bool ok) { ran = "b" + std::to_string(v) + (ok ? "+" : "-"); }),
                      case_send(c, "sent", [&] { ran = "c"; }));
    };
    BOOST_TEST(run() == 3);
    BOOST_TEST(ran == "c");
    BOOST_TEST(c.recv() == "sent");
    c.send("full");
    BOOST_TEST(run() == 1);
    BOOST_TEST(ran == "default");
    b.send(7);
    BOOST_TEST(run() == 2);
    BOOST_TEST(ran == "b7+");
    b.close();
    BOOST_TEST(run() == 2);
    BOOST_TEST(ran == "b0-");
    Channel<int> none = nullptr;
    a.send(9);
    BOOST_TEST(select(case_default([&] { ran = "first"; }), case_recv(a, [&](int v) { ran = std::to_string(v); }),
                      case_recv(none, [&] { ran = "nil"; })) == 1);
    BOOST_TEST(ran == "9");
    BOOST_TEST(select(case_default([&] { ran = "first"; }), case_recv(a, [&](int v) { ran = std::to_string(v); }),
                      case_recv(none, [&] { ran = "nil"; })) == 0);
    BOOST_TEST(ran == "first");
}

// ---------------------------------------------------------------------------
// nil and closed channels

GOCXX_TEST(nil_cases_never_ready) {
    Channel<int> nil = nullptr;
    SendChannel<int> snil = nullptr;
    RecvChannel<int> rnil = nullptr;
    bool other = false;
    for (int k = 0; k < 100; ++k) {
        int i = select(case_recv(nil, [&](int) { other = true; }), case_send(nil, 1, [&] { other = true; }),
                       case_send(snil, 2, [&] { other = true; }), case_recv(rnil, [&] { other = true; }),
                       case_default());
        if (i != 4) other = true;
    }
    BOOST_TEST(!other);
    // Mixed with a ready case (no default): the ready one, always.
    Channel<int> ready(1);
    int wrong = 0;
    for (int k = 0; k < 200; ++k) {
        ready.send(k);
        int got = -1;
        int i = select(case_recv(nil), case_send(nil, 5), case_recv(ready, [&](int v) { got = v; }),
                       case_recv(rnil));
        if (i != 2 || got != k) ++wrong;
    }
    BOOST_TEST(wrong == 0);
    // A nil case next to a closed channel's receive: the closed one.
    Channel<int> closed;
    closed.close();
    BOOST_TEST(select(case_recv(nil), case_recv(closed)) == 1);
}

GOCXX_TEST(closed_channel_recv_case_is_ready) {
    Channel<int> ch(2);
    ch.send(8);
    ch.close();
    int got = -1;
    bool ok = false;
    // Buffered values first, with ok == true.
    BOOST_TEST(select(case_recv(ch, [&](int v, bool o) { got = v, ok = o; }), case_default()) == 0);
    BOOST_TEST(got == 8);
    BOOST_TEST(ok);
    for (int k = 0; k < 10; ++k) {
        got = -1;
        ok = true;
        BOOST_TEST(select(case_recv(ch, [&](int v, bool o) { got = v, ok = o; }), case_default()) == 0);
        BOOST_TEST(got == 0);
        BOOST_TEST(!ok);
    }
    // A blocked select's receive cases woken by close.
    Channel<int> a, b;
    Channel<int> res(1);
    go([=] {
        int r = -1;
        int i = select(case_recv(a, [&](int v, bool o) { r = o ? 100 + v : 0; }),
                       case_recv(b, [&](int v, bool o) { r = o ? 200 + v : 1; }));
        res.send(i * 10 + r);
    });
    for (int k = 0; k < 50; ++k) runtime::gosched();
    b.close();
    BOOST_TEST(res.recv() == 11);  // case 1, ok == false
}

GOCXX_TEST(send_case_on_closed_channel_panics) {
    Channel<int> ch(1);
    ch.close();
    BOOST_TEST(panic_message([&] { select(case_send(ch, 1)); }) == "send on closed channel");
    BOOST_TEST(panic_message([&] { select(case_send(ch, 1), case_default()); }) == "send on closed channel");
    Channel<int> never;
    BOOST_TEST(panic_message([&] { select(case_recv(never), case_send(ch, 2), case_default()); }) ==
               "send on closed channel");
    // The select left no trace: `never` is still usable.
    BOOST_TEST(!never.try_send(1));
    // The callback of the panicking case does not run.
    bool ran = false;
    panic_message([&] { select(case_send(ch, 1, [&] { ran = true; })); });
    BOOST_TEST(!ran);
}

GOCXX_TEST(blocked_select_send_panics_when_closed) {
    for (int cap : {0, 1}) {
        Channel<int> ch(cap);
        if (cap == 1) ch.send(0);  // full
        Channel<int> other;        // never ready
        Channel<std::string> msgs(2);
        Channel<Unit> started(2);
        auto selector = [=] {
            started.send(Unit{});
            msgs.send(panic_message([&] { select(case_recv(other), case_send(ch, 1)); }));
        };
        go(selector);
        std::thread t(selector);
        started.recv();
        started.recv();
        for (int k = 0; k < 50; ++k) runtime::gosched();
        ch.close();
        BOOST_TEST(msgs.recv() == "send on closed channel");
        BOOST_TEST(msgs.recv() == "send on closed channel");
        t.join();
        // The failed sends left nothing in the channel, and no waiter on `other`.
        if (cap == 1) BOOST_TEST(ch.recv() == 0);
        BOOST_TEST(!ch.recv_ok().second);
        BOOST_TEST(!other.try_send(1));
    }
}

// ---------------------------------------------------------------------------
// Fairness

GOCXX_TEST(fairness_between_ready_cases) {
    const long n = scaled(10000);
    const long lo = n * 40 / 100, hi = n * 60 / 100;
    {
        // Two closed channels: always ready.
        Channel<int> a, b;
        a.close();
        b.close();
        long na = 0, nb = 0;
        for (long k = 0; k < n; ++k) {
            select(case_recv(a, [&] { ++na; }), case_recv(b, [&] { ++nb; }));
        }
        BOOST_TEST(na + nb == n);
        BOOST_TEST(na >= lo);
        BOOST_TEST(na <= hi);
    }
    {
        // Two buffered channels refilled by the callbacks.
        Channel<int> a(1), b(1);
        a.send(0);
        b.send(0);
        long na = 0, nb = 0;
        for (long k = 0; k < n; ++k) {
            select(case_recv(a, [&](int v) { a.send(v + 1), ++na; }), case_recv(b, [&](int v) { b.send(v + 1), ++nb; }));
        }
        BOOST_TEST(na + nb == n);
        BOOST_TEST(na >= lo);
        BOOST_TEST(na <= hi);
        BOOST_TEST(a.recv() == na);
        BOOST_TEST(b.recv() == nb);
    }
    {
        // A ready receive against a ready send.
        Channel<int> r(1), s(1);
        r.send(0);
        long nr = 0, ns = 0;
        for (long k = 0; k < n; ++k) {
            select(case_recv(r, [&](int) { r.send(0), ++nr; }), case_send(s, 1, [&] { s.recv(), ++ns; }));
        }
        BOOST_TEST(nr + ns == n);
        BOOST_TEST(nr >= lo);
        BOOST_TEST(nr <= hi);
    }
    {
        // Three ready cases, one of them a duplicate channel.
        Channel<int> a, b;
        a.close();
        b.close();
        long cnt[3] = {0, 0, 0};
        for (long k = 0; k < n; ++k) {
            ++cnt[select(case_recv(a), case_recv(b), case_recv(a))];
        }
        for (long c : cnt) {
            BOOST_TEST(c >= n * 25 / 100);
            BOOST_TEST(c <= n * 42 / 100);
        }
    }
}

// ---------------------------------------------------------------------------
// One channel on both sides, duplicates

GOCXX_TEST(send_and_recv_same_channel_with_partner) {
    const int n = static_cast<int>(scaled(2000));
    for (int cap : {0, 1, 4}) {
        BOOST_TEST_CONTEXT("cap " << cap) {
            Channel<int> ch(cap);
            Channel<std::array<long, 4>> res(1);  // sends, sent sum, receives, received sum
            auto party = [ch](int first) {
                std::array<long, 4> st{0, 0, 0, 0};
                for (int k = 0; k < n; ++k) {
                    const int v = first + k;
                    select(case_send(ch, v, [&] { ++st[0], st[1] += v; }),
                           case_recv(ch, [&](int x) { ++st[2], st[3] += x; }));
                }
                return st;
            };
            go([party, res] { res.send(party(1)); });
            const std::array<long, 4> me = party(1000000);
            const std::array<long, 4> other = res.recv();
            BOOST_TEST(me[0] + me[2] == n);
            BOOST_TEST(other[0] + other[2] == n);
            long left = 0, nleft = 0;
            while (auto v = ch.try_recv()) left += *v, ++nleft;
            BOOST_TEST(me[0] + other[0] == me[2] + other[2] + nleft);  // count conserved
            BOOST_TEST(me[1] + other[1] == me[3] + other[3] + left);    // values conserved
            if (cap == 0) {
                // Unbuffered: every select paired with the partner's.
                BOOST_TEST(me[0] == other[2]);
                BOOST_TEST(me[1] == other[3]);
                BOOST_TEST(other[0] == me[2]);
                BOOST_TEST(other[1] == me[3]);
            }
        }
    }
}

GOCXX_TEST(duplicate_channel_in_one_select) {
    // Ready: both cases get chosen.
    Channel<int> buf(1);
    long c0 = 0, c1 = 0;
    const long n = scaled(2000);
    for (long k = 0; k < n; ++k) {
        buf.send(static_cast<int>(k));
        select(case_recv(buf, [&](int) { ++c0; }), case_recv(buf, [&](int) { ++c1; }));
    }
    BOOST_TEST(c0 + c1 == n);
    BOOST_TEST(c0 > n / 4);
    BOOST_TEST(c1 > n / 4);
    BOOST_TEST(buf.len() == 0u);

    for (int round = 0; round < 20; ++round) {
        // Blocked on two receive cases of one channel: one sender wakes
        // exactly one case, and no stale waiter is left behind.
        Channel<int> ch;
        go([ch] { ch.send(1); });
        int fired = 0, got = 0;
        select(case_recv(ch, [&](int v) { ++fired, got = v; }), case_recv(ch, [&](int v) { ++fired, got = v; }));
        BOOST_TEST(fired == 1);
        BOOST_TEST(got == 1);
        BOOST_TEST(!ch.try_send(2));  // a stale receive waiter would take it

        // Blocked on two send cases of one channel.
        Channel<int> res(1);
        go([ch, res] { res.send(ch.recv()); });
        int i = select(case_send(ch, 10), case_send(ch, 11));
        BOOST_TEST(res.recv() == 10 + i);
        BOOST_TEST(!ch.try_recv().has_value());  // a stale send waiter would give one

        // Blocked on send and receive of one channel, closed by another party:
        // the receive case fires with ok == false (the send case must not).
        Channel<int> c2;
        Channel<int> r2(1);
        go([c2, r2] {
            int out = -1;
            try {
                int k = select(case_send(c2, 5), case_recv(c2, [&](int, bool ok) { out = ok ? 2 : 1; }),
                               case_recv(c2, [&](int, bool ok) { out = ok ? 4 : 3; }));
                r2.send(k * 10 + out);
            } catch (const Panic&) {
                r2.send(-2);  // the send case chosen: also Go-legal only if polled first
            }
        });
        for (int k = 0; k < 20; ++k) runtime::gosched();
        c2.close();
        const int r = r2.recv();
        BOOST_TEST((r == 11 || r == 23 || r == -2));
    }
}

// ---------------------------------------------------------------------------
// Many parties

GOCXX_TEST(overlapping_selects_do_not_deadlock) {
    constexpr int kParties = 4;
    const int k_per = static_cast<int>(scaled(1000));
    for (int cap : {0, 2}) {
        BOOST_TEST_CONTEXT("cap " << cap) {
            Channel<int> a(cap), b(cap);
            Channel<Unit> done;
            Channel<Unit> finished(kParties);
            Channel<std::pair<long, long>> results(kParties);  // received count, received sum
            auto party = [=](int g) {
                int sent = 0;
                long rcount = 0, rsum = 0;
                auto on_recv = [&](int v) { ++rcount, rsum += v; };
                auto on_sent = [&] { ++sent; };
                while (sent < k_per) {
                    const int v = g * k_per + sent + 1;
                    switch (g) {
                    case 0:
                        select(case_send(a, v, on_sent), case_recv(b, on_recv), case_recv(a, on_recv),
                               case_send(b, v, on_sent));
                        break;
                    case 1:
                        select(case_recv(b, on_recv), case_send(b, v, on_sent), case_send(a, v, on_sent),
                               case_recv(a, on_recv));
                        break;
                    case 2:
                        select(case_send(b, v, on_sent), case_recv(a, on_recv), case_send(a, v, on_sent),
                               case_recv(b, on_recv));
                        break;
                    default:
                        select(case_recv(a, on_recv), case_recv(b, on_recv), case_send(b, v, on_sent),
                               case_send(a, v, on_sent));
                        break;
                    }
                }
                finished.send(Unit{});
                // Keep receiving until told to stop, so the others find partners.
                bool quit = false;
                while (!quit) {
                    select(case_recv(b, on_recv), case_recv(done, [&] { quit = true; }), case_recv(a, on_recv));
                }
                results.send({rcount, rsum});
            };
            for (int g = 0; g < kParties - 1; ++g) go(party, g);
            std::thread t(party, kParties - 1);  // one party is a plain thread
            for (int g = 0; g < kParties; ++g) finished.recv();
            done.close();
            long count = 0, sum = 0;
            for (int g = 0; g < kParties; ++g) {
                auto [c, s] = results.recv();
                count += c;
                sum += s;
            }
            t.join();
            for (Channel<int> ch : {a, b}) {
                while (auto v = ch.try_recv()) ++count, sum += *v;
            }
            const long total = long(kParties) * k_per;
            BOOST_TEST(count == total);
            BOOST_TEST(sum == total * (total + 1) / 2);
        }
    }
}

GOCXX_TEST(select_sender_with_plain_receivers) {
    const int n = static_cast<int>(scaled(2000));
    for (int cap : {0, 2}) {
        Channel<int> a(cap), b(cap);
        go([=] {
            for (int i = 0; i < n; ++i) select(case_send(a, i), case_send(b, i));
            a.close();
            b.close();
        });
        Channel<std::pair<long, long>> res(2);
        auto receiver = [res](Channel<int> ch) {
            long c = 0, s = 0;
            for (int v : ch) ++c, s += v;
            res.send({c, s});
        };
        go(receiver, a);
        std::thread t(receiver, b);
        auto [c1, s1] = res.recv();
        auto [c2, s2] = res.recv();
        t.join();
        BOOST_TEST(c1 + c2 == n);
        BOOST_TEST(s1 + s2 == sum_below(n));
    }
}

GOCXX_TEST(plain_senders_with_select_receiver) {
    const int n = static_cast<int>(scaled(2000));
    for (int cap : {0, 3}) {
        Channel<int> a(cap), b(cap);
        go([a] {
            for (int i = 0; i < n; ++i) a.send(i);
            a.close();
        });
        std::thread t([b] {
            for (int i = n; i < 2 * n; ++i) b.send(i);
            b.close();
        });
        // Go's idiom: set a closed channel's variable to nil to drop its case.
        RecvChannel<int> ra = a, rb = b;
        long count = 0, sum = 0;
        int rounds = 0;
        while (!(ra == nullptr && rb == nullptr) && rounds++ < 10 * n) {
            select(case_recv(ra, [&](int v, bool ok) { ok ? (void)(++count, sum += v) : (void)(ra = nullptr); }),
                   case_recv(rb, [&](int v, bool ok) { ok ? (void)(++count, sum += v) : (void)(rb = nullptr); }));
        }
        t.join();
        BOOST_TEST(count == 2 * n);
        BOOST_TEST(sum == sum_below(2 * n));
    }
}

GOCXX_TEST(blocked_select_woken_by_plain_thread) {
    const int rounds = static_cast<int>(scaled(200));
    int wrong = 0;
    for (int r = 0; r < rounds; ++r) {
        Channel<int> a, b;
        // The body selects; a plain thread sends.
        std::thread t([b, r] { b.send(r); });
        int got = -1;
        int i = select(case_recv(a, [&](int v) { got = v + 1000; }), case_recv(b, [&](int v) { got = v; }));
        if (i != 1 || got != r) ++wrong;
        t.join();
        // A goroutine selects; a plain thread sends.
        Channel<int> res(1);
        go([a, b, res] {
            int g = -1;
            int k = select(case_recv(b, [&](int v) { g = v; }), case_recv(a, [&](int v) { g = v; }));
            res.send(k == 1 ? g : -1);
        });
        std::thread t2([a, r] { a.send(r); });
        if (res.recv() != r) ++wrong;
        t2.join();
        // A plain thread selects on a send case; a goroutine receives.
        std::thread t3([a, b, res, r] {
            int k = select(case_recv(b), case_send(a, r + 1));
            res.send(k);
        });
        go([a, res] { res.send(a.recv()); });
        int x = res.recv(), y = res.recv();  // the select's index (1) and the value, in some order
        if (!((x == 1 && y == r + 1) || (y == 1 && x == r + 1))) ++wrong;
        t3.join();
    }
    BOOST_TEST(wrong == 0);
}

// ---------------------------------------------------------------------------
// Large selects (the runtime switches to heap arrays above 16 cases)

template <std::size_t N>
static void check_many_cases() {
    BOOST_TEST_CONTEXT(N << " cases") {
        // Buffered: exactly one ready at a time.
        std::array<Channel<int>, N> buf;
        for (auto& c : buf) c = Channel<int>(1);
        int which = -2, value = -2;
        bool ok = false;
        int wrong = 0;
        for (std::size_t k = 0; k < N; ++k) {
            buf[k].send(static_cast<int>(k) + 100);
            const int i = select_recv_all<true>(buf, which, value, ok);
            if (i != static_cast<int>(k) || which != i || value != i + 100 || !ok) ++wrong;
        }
        BOOST_TEST(wrong == 0);
        BOOST_TEST(select_recv_all<true>(buf, which, value, ok) == static_cast<int>(N));  // default
        BOOST_TEST(which == -1);

        // All closed: every case gets chosen sometimes.
        std::array<Channel<int>, N> closed;
        for (auto& c : closed) c.close();
        std::array<int, N> hits{};
        for (std::size_t k = 0; k < 40 * N; ++k) ++hits[static_cast<std::size_t>(select_recv_all<false>(closed, which, value, ok))];
        int never = 0;
        for (int h : hits) never += h == 0;
        BOOST_TEST(never == 0);

        // Unbuffered and blocked: each channel in turn wakes it, leaving no
        // stale waiter on the others.
        std::array<Channel<int>, N> unbuf;
        for (std::size_t k = 0; k < N; k += (N > 20 ? 7 : 3)) {
            Channel<int> target = unbuf[k];
            go([target, k] { target.send(static_cast<int>(k)); });
            const int i = select_recv_all<false>(unbuf, which, value, ok);
            BOOST_TEST(i == static_cast<int>(k));
            BOOST_TEST(value == static_cast<int>(k));
            int stale = 0;
            for (auto& c : unbuf) stale += c.try_send(-1) ? 1 : 0;
            BOOST_TEST(stale == 0);
        }
        // Blocked, then one channel closed.
        Channel<int> res(1);
        go([unbuf, res] {
            int w = -2, v = -2;
            bool o = true;
            int i = select_recv_all<false>(unbuf, w, v, o);
            res.send(i == w && !o && v == 0 ? i : -1);
        });
        for (int k = 0; k < 20; ++k) runtime::gosched();
        unbuf[N - 1].close();
        BOOST_TEST(res.recv() == static_cast<int>(N - 1));

        // Mixed send and receive cases (2N of them): send on the k-th channel.
        std::array<Channel<int>, N> rx, tx;
        for (std::size_t k = 0; k < N; k += 5) {
            Channel<int> target = tx[k];
            Channel<int> back(1);
            go([target, back] { back.send(target.recv()); });
            int got = -1;
            const int i = select_mixed(rx, tx, 77, got);
            BOOST_TEST(i == static_cast<int>(N + k));  // send cases come after the N receive cases
            BOOST_TEST(back.recv() == 77);
            int stale = 0;
            for (auto& c : rx) stale += c.try_send(-1) ? 1 : 0;
            for (auto& c : tx) stale += c.try_recv().has_value() ? 1 : 0;
            BOOST_TEST(stale == 0);
        }
    }
}

GOCXX_TEST(more_than_sixteen_cases) {
    check_many_cases<15>();
    check_many_cases<16>();
    check_many_cases<17>();
    check_many_cases<33>();
}

// ---------------------------------------------------------------------------
// Callbacks

GOCXX_TEST(callback_uses_the_same_channel) {
    Channel<int> ch(1);
    ch.send(1);
    select(case_recv(ch, [&](int v) { ch.send(v + 1); }));
    BOOST_TEST(ch.recv() == 2);
    int got = -1;
    select(case_send(ch, 5, [&] { got = ch.recv(); }));
    BOOST_TEST(got == 5);
    // A nested select on the same channel in the callback.
    ch.send(3);
    select(case_recv(ch, [&](int v) { select(case_send(ch, v * 2)); }), case_default());
    BOOST_TEST(ch.recv() == 6);
    // Closing the channel from its own case's callback.
    ch.send(4);
    select(case_recv(ch, [&](int) { ch.close(); }));
    BOOST_TEST(!ch.recv_ok().second);

    // Unbuffered, blocked: the callback then sends back on the same channel.
    Channel<int> u;
    Channel<int> res(1);
    go([u, res] {
        u.send(1);
        res.send(u.recv());
    });
    select(case_recv(u, [&](int v) { u.send(v * 10); }));
    BOOST_TEST(res.recv() == 10);
    // An exception from a callback propagates; the case still happened.
    Channel<int> e(1);
    e.send(1);
    BOOST_CHECK_THROW(select(case_recv(e, [](int) { throw std::runtime_error("cb"); })), std::runtime_error);
    BOOST_TEST(e.len() == 0u);
    BOOST_TEST(e.try_send(2));
}

// ---------------------------------------------------------------------------
// Payloads

GOCXX_TEST(select_move_only_and_destructors) {
    const int base = runtime::num_goroutine();
    Channel<std::unique_ptr<int>> up(1);
    BOOST_TEST(select(case_send(up, std::make_unique<int>(3))) == 0);
    std::unique_ptr<int> got;
    select(case_recv(up, [&](std::unique_ptr<int> p) { got = std::move(p); }));
    BOOST_TEST((got != nullptr && *got == 3));
    // Unbuffered, blocked select on both sides.
    Channel<std::unique_ptr<int>> u;
    go([u] { select(case_send(u, std::make_unique<int>(4))); });
    select(case_recv(u, [&](std::unique_ptr<int> p, bool ok) { got = ok ? std::move(p) : nullptr; }));
    BOOST_TEST((got != nullptr && *got == 4));

    BOOST_TEST(Counted::live.load() == 0);
    {
        Channel<Counted> full(1);
        full.send(Counted(1));
        Channel<Counted> empty(1);
        // Neither case proceeds: the send case's value is destroyed with it.
        BOOST_TEST(select(case_send(full, Counted(2)), case_recv(empty), case_default()) == 2);
        BOOST_TEST(Counted::live.load() == 1);
        // Receive with a body that ignores the value: destroyed too.
        BOOST_TEST(select(case_recv(full)) == 0);
        BOOST_TEST(Counted::live.load() == 0);
        // The send case proceeds; the other send case's value dies.
        BOOST_TEST(select(case_send(full, Counted(3)), case_send(Channel<Counted>(nullptr), Counted(4))) == 0);
        BOOST_TEST(Counted::live.load() == 1);
        int v = 0;
        select(case_recv(full, [&](Counted c) { v = c.v; }));
        BOOST_TEST(v == 3);
        BOOST_TEST(Counted::live.load() == 0);
        // Closed: the zero value is built and destroyed.
        full.close();
        bool okv = true;
        select(case_recv(full, [&](Counted c, bool ok) { v = c.v, okv = ok; }));
        BOOST_TEST(!okv);
        BOOST_TEST(Counted::live.load() == 0);
        // A send case that panics on a closed channel destroys its value.
        panic_message([&] { select(case_send(full, Counted(5))); });
        BOOST_TEST(Counted::live.load() == 0);
        // Blocked selects over unbuffered channels, both directions.
        Channel<Counted> cu;
        Channel<int> res(1);
        go([cu, res] {
            int x = 0;
            select(case_recv(cu, [&](Counted c) { x = c.v; }), case_send(cu, Counted(-7)));
            res.send(x);
        });
        int i = select(case_send(cu, Counted(6)), case_recv(cu, [&](Counted c) { v = c.v; }));
        const int x = res.recv();
        BOOST_TEST(((i == 0 && x == 6) || (i == 1 && v == -7 && x == 0)));
        empty.send(Counted(9));  // dropped with the channel
    }
    BOOST_TEST(goroutines_drop_to(base));
    BOOST_TEST(Counted::live.load() == 0);
}

// ---------------------------------------------------------------------------
// Go's worker pool: workers select on jobs and a quit channel that is closed
// to stop them all; goroutine and thread workers mixed.

GOCXX_TEST(worker_pool_with_quit_broadcast) {
    constexpr int kGoroutines = 4, kThreads = 2;
    const int n = static_cast<int>(scaled(2000));
    Channel<int> jobs;  // unbuffered: a send returns only once a worker took it
    Channel<Unit> quit;
    Channel<std::pair<long, long>> results(kGoroutines + kThreads);
    auto worker = [=] {
        long c = 0, s = 0;
        for (bool running = true; running;) {
            select(case_recv(jobs, [&](int v) { ++c, s += v; }), case_recv(quit, [&] { running = false; }));
        }
        results.send({c, s});
    };
    for (int i = 0; i < kGoroutines; ++i) go(worker);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker);
    for (int i = 0; i < n; ++i) {
        // Alternate plain sends with select sends (with a never-ready case).
        if (i % 2) jobs.send(i);
        else select(case_send(jobs, i), case_recv(Channel<int>(nullptr)));
    }
    quit.close();
    long count = 0, sum = 0;
    for (int i = 0; i < kGoroutines + kThreads; ++i) {
        auto [c, s] = results.recv();
        count += c;
        sum += s;
    }
    for (auto& t : threads) t.join();
    BOOST_TEST(count == n);
    BOOST_TEST(sum == sum_below(n));
    BOOST_TEST(!jobs.try_send(-1));  // nobody left listening
}

// ---------------------------------------------------------------------------
// gocxx::Select: Go's reflect.Select, cases added at run time

GOCXX_TEST(dynamic_select_cases_and_values) {
    Channel<int> a(1);
    Channel<std::string> b(1);
    Channel<int> out(1);
    Select sel;
    BOOST_TEST(sel.recv(a) == 0);
    BOOST_TEST(sel.recv(RecvChannel<std::string>(b)) == 1);
    BOOST_TEST(sel.send(out, 7) == 2);
    BOOST_TEST(sel.default_() == 3);
    BOOST_TEST(sel.size() == 4);

    out.send(0);  // full: only the default is ready
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 3);
        BOOST_TEST(!v.is_valid());
        BOOST_TEST(!ok);
    }
    a.send(5);
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 0);
        BOOST_TEST(ok);
        BOOST_TEST(v.holds<int>());
        BOOST_TEST(!v.holds<std::string>());
        BOOST_TEST(v.get<int>() == 5);
        BOOST_TEST(panic_message([&v = v] { v.get<std::string>(); }).find("interface conversion") == 0);
    }
    b.send("hello");
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 1);
        BOOST_TEST(ok);
        BOOST_TEST(v.get<std::string>() == "hello");
    }
    BOOST_TEST(out.recv() == 0);
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 2);
        BOOST_TEST(!v.is_valid());
        BOOST_TEST(!ok);
        BOOST_TEST(panic_message([&v = v] { v.get<int>(); }) ==
                   "reflect: call of reflect.Value.Interface on zero Value");
    }
    BOOST_TEST(out.recv() == 7);
    // The send case keeps its value: each run sends it again.
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 2);
    }
    BOOST_TEST(out.recv() == 7);
    BOOST_TEST(panic_message([&] { sel.default_(); }) == "reflect.Select: multiple default cases");

    // Closed: ready, Go's zero value, ok false.
    b.close();
    out.send(1);  // the send case is not ready
    {
        auto [i, v, ok] = sel.run();
        BOOST_TEST(i == 1);
        BOOST_TEST(!ok);
        BOOST_TEST(v.get<std::string>() == "");
    }
    Channel<Channel<int>> cc;
    cc.close();
    Select s2;
    s2.recv(cc);
    auto [i2, v2, ok2] = s2.run();
    BOOST_TEST(i2 == 0);
    BOOST_TEST(!ok2);
    BOOST_TEST((v2.get<Channel<int>>() == nullptr));  // a channel's zero value is nil
}

GOCXX_TEST(dynamic_select_nil_disable_remove) {
    Channel<int> nil_ch = nullptr;
    Channel<int> a(4);
    Select sel;
    sel.recv(nil_ch);
    sel.send(nil_ch, 1);
    sel.recv(a);
    sel.default_();
    BOOST_TEST(sel.run().index == 3);  // nil cases never ready
    a.send(1);
    a.send(2);
    BOOST_TEST(sel.run().index == 2);
    sel.disable(2);                    // as if its channel were nil
    BOOST_TEST(sel.run().index == 3);
    BOOST_TEST(a.len() == 1u);
    // remove: later indexes drop by one, the default's too.
    Select r;
    Channel<int> x(1), y(1);
    r.recv(x);
    r.recv(y);
    r.default_();
    y.send(9);
    r.remove(0);
    BOOST_TEST(r.size() == 2);
    auto [i, v, ok] = r.run();
    BOOST_TEST(i == 0);
    BOOST_TEST(v.get<int>() == 9);
    BOOST_TEST(r.run().index == 1);
    r.remove(1);
    r.default_();  // the old default is gone: a new one may be added
    BOOST_TEST(r.run().index == 1);
    r.clear();
    BOOST_TEST(r.size() == 0);
    r.default_();
    BOOST_TEST(r.run().index == 0);  // only a default
    bool threw = false;
    try {
        r.remove(5);
    } catch (const std::out_of_range&) {
        threw = true;
    }
    BOOST_TEST(threw);
}

GOCXX_TEST(dynamic_select_send_on_closed_panics) {
    Channel<int> c(1);
    c.close();
    Select sel;
    sel.send(c, 1);
    BOOST_TEST(panic_message([&] { sel.run(); }) == "send on closed channel");
    // Also when it is woken by the close while blocked.
    Channel<int> u;
    Channel<Unit> started;
    Select s2;
    s2.send(u, 2);
    s2.recv(Channel<int>(nullptr));
    go([u, started] {
        started.recv();
        u.close();
    });
    started.close();
    BOOST_TEST(panic_message([&] { s2.run(); }) == "send on closed channel");
}

GOCXX_TEST(dynamic_select_blocks_until_ready) {
    Channel<int> a, b;
    Channel<std::string> c;
    Select sel;
    sel.recv(a);
    sel.recv(b);
    sel.recv(c);
    go([c] { c.send("late"); });
    auto [i, v, ok] = sel.run();
    BOOST_TEST(i == 2);
    BOOST_TEST(ok);
    BOOST_TEST(v.get<std::string>() == "late");
    // A send case completes with a receiver.
    Channel<int> got(1);
    go([b, got] { got.send(b.recv()); });
    Select s2;
    s2.recv(a);
    s2.send(b, 11);
    BOOST_TEST(s2.run().index == 1);
    BOOST_TEST(got.recv() == 11);
}

GOCXX_TEST(dynamic_select_choice_is_uniform) {
    constexpr int kChans = 4;
    std::vector<Channel<int>> chs;
    Select sel;
    for (int k = 0; k < kChans; ++k) {
        chs.emplace_back(1);
        sel.recv(chs.back());
    }
    int hits[kChans] = {};
    const int rounds = 4000;
    for (int r = 0; r < rounds; ++r) {
        for (auto& ch : chs)
            if (ch.len() == 0) ch.send(r);
        auto [i, v, ok] = sel.run();
        BOOST_TEST_REQUIRE((i >= 0 && i < kChans && ok));
        ++hits[i];
    }
    // Each expects 1000; below 800 has a chance far under 1e-9.
    for (int k = 0; k < kChans; ++k) BOOST_TEST(hits[k] > 800);
}

GOCXX_TEST(dynamic_select_payload_lifetimes) {
    using gocxx::test::Counted;
    const long live0 = Counted::live.load();
    {
        Channel<Counted> a(2), out(2);
        a.send(Counted(1));
        Select sel;
        sel.recv(a);
        sel.send(out, Counted(2));
        sel.default_();
        for (int k = 0; k < 20; ++k) sel.run();  // drains a, fills out, then defaults
        BOOST_TEST(out.len() == 2u);
        BOOST_TEST(out.recv().v == 2);
        a.close();
        auto [i, v, ok] = sel.run();  // a is closed: always ready now, as is out
        BOOST_TEST((i == 0 || i == 1));
        if (i == 0) BOOST_TEST((!ok && v.get<Counted>().v == 0));
    }
    BOOST_TEST(Counted::live.load() == live0);

    // A move-only send value is moved by the run that sends it; the case is
    // then never ready again.
    Channel<std::unique_ptr<int>> up(2);
    Select sel;
    sel.send(up, std::make_unique<int>(3));
    sel.default_();
    BOOST_TEST(sel.run().index == 0);
    BOOST_TEST(sel.run().index == 1);
    BOOST_TEST(up.len() == 1u);
    auto p = up.recv();
    BOOST_TEST((p && *p == 3));
    // A move-only received value moves out of the result.
    up.send(std::make_unique<int>(4));
    Select s2;
    s2.recv(up);
    auto [i, v, ok] = s2.run();
    std::unique_ptr<int> q = std::move(v.get<std::unique_ptr<int>>());
    BOOST_TEST((i == 0 && ok && q && *q == 4));
}

// Fan-in over 64 channels, two senders on each: every value sent is received
// exactly once, and the inputs are dropped from the Select as they close.
GOCXX_TEST(dynamic_select_fan_in_conservation) {
    constexpr int kChans = 64, kSendersPer = 2;
    const int per = static_cast<int>(scaled(500));  // values per sender
    const int per_chan = kSendersPer * per;
    std::vector<Channel<int>> chs;
    for (int k = 0; k < kChans; ++k) chs.emplace_back(k % 3);  // unbuffered and buffered
    for (int k = 0; k < kChans; ++k) {
        auto wg = std::make_shared<sync::WaitGroup>();
        const Channel<int> ch = chs[static_cast<std::size_t>(k)];
        for (int s = 0; s < kSendersPer; ++s) {
            wg->add(1);
            go([ch, wg, first = k * per_chan + s * per] {
                for (int j = 0; j < per; ++j) ch.send(first + j);
                wg->done();
            });
        }
        go([ch, wg] {
            wg->wait();
            ch.close();
        });
    }
    Select sel;
    std::vector<int> which;  // case index -> channel
    for (int k = 0; k < kChans; ++k) {
        sel.recv(chs[static_cast<std::size_t>(k)]);
        which.push_back(k);
    }
    std::vector<int> seen(static_cast<std::size_t>(kChans * per_chan), 0);
    long received = 0, bad = 0;
    const long total = static_cast<long>(kChans) * per_chan;
    for (long iter = 0; iter < total + kChans && sel.size() > 0; ++iter) {
        auto [i, v, ok] = sel.run();
        if (!ok) {
            sel.remove(i);
            which.erase(which.begin() + i);
            continue;
        }
        const int x = v.get<int>();
        if (x < 0 || x >= kChans * per_chan || x / per_chan != which[static_cast<std::size_t>(i)]) ++bad;
        else ++seen[static_cast<std::size_t>(x)];
        ++received;
    }
    BOOST_TEST(sel.size() == 0);
    BOOST_TEST(bad == 0);
    BOOST_TEST(received == total);
    long once = 0;
    for (int s : seen) once += s == 1;
    BOOST_TEST(once == total);
}
