// Channel<T>, SendChannel<T>, RecvChannel<T>: every channel row of
// the README's Go-to-C++ table. Each GOCXX_TEST runs with 1, 2 and 4 workers, from a
// goroutine and from a plain thread. Goroutines report through channels and
// atomics that the body checks after synchronising with them; only the body
// uses BOOST_* macros.
#define BOOST_TEST_MODULE chan
#include "fixture.hpp"
#include "helpers.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

using namespace gocxx;
using gocxx::test::scaled;
using gocxx::test::panic_message;
using gocxx::test::goroutines_drop_to;
using gocxx::test::Counted;
using gocxx::test::sum_below;

namespace {


// Functions taking directional channels, as Go's func f(out chan<- int).
void produce(SendChannel<int> out, int n) {
    for (int i = 0; i < n; ++i) out.send(i);
    out.close();
}
long consume(RecvChannel<int> in) {
    long s = 0;
    for (int v : in) s += v;
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// Unbuffered channels

GOCXX_TEST(unbuffered_send_blocks_without_receiver) {
    Channel<int> ch;
    Channel<Unit> done;
    auto sent = std::make_shared<std::atomic<bool>>(false);
    go([=] {
        ch.send(7);
        sent->store(true);
        done.close();
    });
    // No receiver yet: however long the sender runs, its send cannot return.
    for (int i = 0; i < 200; ++i) runtime::gosched();
    BOOST_TEST(!sent->load());
    BOOST_TEST(ch.len() == 0u);
    BOOST_TEST(ch.recv() == 7);
    done.recv();
    BOOST_TEST(sent->load());
}

GOCXX_TEST(unbuffered_send_completes_only_after_receiver_arrives) {
    // The receiver announces round i+1 *before* it calls recv. A send that
    // returned before its receiver arrived would see an older announcement.
    const long rounds = scaled(2000);
    Channel<long> ch;
    Channel<Unit> done;
    auto arrived = std::make_shared<std::atomic<long>>(0);
    auto early = std::make_shared<std::atomic<long>>(0);
    go([=] {
        for (long i = 0; i < rounds; ++i) {
            ch.send(i);
            if (arrived->load() < i + 1) early->fetch_add(1);
        }
        done.close();
    });
    long wrong = 0;
    for (long i = 0; i < rounds; ++i) {
        if (i % 64 == 0) {
            for (int k = 0; k < 4; ++k) runtime::gosched();  // let the sender run ahead if it could
        }
        arrived->store(i + 1);
        if (ch.recv() != i) ++wrong;
    }
    done.recv();
    BOOST_TEST(wrong == 0);
    BOOST_TEST(early->load() == 0);
}

GOCXX_TEST(zero_capacity_constructor_is_unbuffered) {
    Channel<int> a(0);
    Channel<int> b(0u);
    Channel<int> c(std::size_t{0});
    Channel<int> d(0LL);
    for (const Channel<int>& ch : {a, b, c, d}) {
        BOOST_TEST(!(ch == nullptr));
        BOOST_TEST(ch.cap() == 0u);
        BOOST_TEST(ch.len() == 0u);
        BOOST_TEST(!ch.try_send(1));  // no receiver waiting and no buffer
        BOOST_TEST(!ch.try_recv().has_value());
    }
    static_assert(std::is_constructible_v<Channel<int>, int>);
    static_assert(std::is_nothrow_constructible_v<Channel<int>, std::nullptr_t>);
    // A default-constructed channel is live and unbuffered too.
    Channel<int> e;
    BOOST_TEST(!(e == nullptr));
    BOOST_TEST(e.cap() == 0u);
    go([e] { e.send(5); });
    BOOST_TEST(a.cap() == 0u);
    BOOST_TEST(e.recv() == 5);
}

// ---------------------------------------------------------------------------
// Buffered channels

GOCXX_TEST(buffered_fifo_order) {
    Channel<int> ch(10);
    for (int i = 0; i < 10; ++i) BOOST_TEST(ch.try_send(i));
    BOOST_TEST(!ch.try_send(10));  // full
    BOOST_TEST(ch.len() == 10u);
    for (int i = 0; i < 10; ++i) BOOST_TEST(ch.recv() == i);
    BOOST_TEST(ch.len() == 0u);
    // Wrap the ring around a few times.
    int next_in = 0, next_out = 0, wrong = 0;
    for (int round = 0; round < 50; ++round) {
        for (int k = 0; k < 7; ++k) ch.send(next_in++);
        for (int k = 0; k < 7; ++k) {
            if (ch.recv() != next_out++) ++wrong;
        }
    }
    BOOST_TEST(wrong == 0);
}

GOCXX_TEST(buffered_fifo_with_blocked_senders) {
    // The sender outruns the buffer and parks; a receive then takes the head
    // and moves the parked sender's value to the tail: order must hold.
    const int n = static_cast<int>(scaled(1000));
    Channel<int> ch(2);
    go([=] {
        for (int i = 0; i < n; ++i) ch.send(i);
        ch.close();
    });
    for (int i = 0; i < 100; ++i) runtime::gosched();  // give it time to fill the buffer
    int expect = 0, wrong = 0;
    for (int v : ch) {
        if (v != expect) ++wrong;
        ++expect;
    }
    BOOST_TEST(wrong == 0);
    BOOST_TEST(expect == n);
}

GOCXX_TEST(capacity_sweep) {
    const long n = scaled(3000);
    for (int cap : {0, 1, 2, 10, 100}) {
        BOOST_TEST_CONTEXT("cap " << cap) {
            // One producer: order and sum.
            Channel<long> ch(cap);
            BOOST_TEST(ch.cap() == static_cast<std::size_t>(cap));
            go([=] {
                for (long i = 0; i < n; ++i) ch.send(i);
                ch.close();
            });
            long expect = 0, wrong = 0, sum = 0;
            for (long v : ch) {
                if (v != expect) ++wrong;
                ++expect;
                sum += v;
            }
            BOOST_TEST(wrong == 0);
            BOOST_TEST(expect == n);
            BOOST_TEST(sum == sum_below(n));

            // Four producers, three consumers: per-producer order, conservation.
            constexpr int kProducers = 4, kConsumers = 3;
            Channel<long> data(cap);
            Channel<Unit> produced(kProducers);
            Channel<long> sums(kConsumers);
            auto disorder = std::make_shared<std::atomic<long>>(0);
            for (int p = 0; p < kProducers; ++p) {
                go([=] {
                    for (long i = 0; i < n; ++i) data.send(p * n + i);
                    produced.send(Unit{});
                });
            }
            for (int c = 0; c < kConsumers; ++c) {
                go([=] {
                    std::vector<long> last(kProducers, -1);
                    long s = 0;
                    for (long v : data) {
                        const long p = v / n;
                        if (v <= last[static_cast<std::size_t>(p)]) disorder->fetch_add(1);
                        last[static_cast<std::size_t>(p)] = v;
                        s += v;
                    }
                    sums.send(s);
                });
            }
            for (int p = 0; p < kProducers; ++p) produced.recv();
            data.close();
            long total = 0;
            for (int c = 0; c < kConsumers; ++c) total += sums.recv();
            BOOST_TEST(total == sum_below(kProducers * n));
            BOOST_TEST(disorder->load() == 0);
        }
    }
}

GOCXX_TEST(len_and_cap) {
    Channel<int> ch(3);
    BOOST_TEST(ch.cap() == 3u);
    BOOST_TEST(ch.len() == 0u);
    ch.send(1);
    BOOST_TEST(ch.len() == 1u);
    ch.send(2);
    ch.send(3);
    BOOST_TEST(ch.len() == 3u);
    BOOST_TEST(ch.cap() == 3u);
    BOOST_TEST(ch.recv() == 1);
    BOOST_TEST(ch.len() == 2u);
    ch.close();  // len still counts what is buffered after close
    BOOST_TEST(ch.len() == 2u);
    BOOST_TEST(ch.cap() == 3u);
    ch.recv();
    ch.recv();
    BOOST_TEST(ch.len() == 0u);
    ch.recv();  // closed and drained
    BOOST_TEST(ch.len() == 0u);

    Channel<int> unbuf;
    BOOST_TEST(unbuf.len() == 0u);
    BOOST_TEST(unbuf.cap() == 0u);
    Channel<int> nil = nullptr;
    BOOST_TEST(nil.len() == 0u);
    BOOST_TEST(nil.cap() == 0u);
    Channel<std::string> big(1000);
    BOOST_TEST(big.cap() == 1000u);
}

// ---------------------------------------------------------------------------
// close

GOCXX_TEST(close_drains_buffer_then_zero_value) {
    Channel<int> ch(3);
    ch.send(1);
    ch.send(2);
    ch.send(3);
    ch.close();
    for (int i = 1; i <= 3; ++i) {
        auto [v, ok] = ch.recv_ok();
        BOOST_TEST(v == i);
        BOOST_TEST(ok);
    }
    for (int i = 0; i < 3; ++i) {
        auto [v, ok] = ch.recv_ok();
        BOOST_TEST(v == 0);
        BOOST_TEST(!ok);
    }
    BOOST_TEST(ch.recv() == 0);
    BOOST_TEST(!ch.try_recv().has_value());

    Channel<std::string> s(2);
    s.send("a");
    s.close();
    BOOST_TEST(s.recv() == "a");
    auto [v, ok] = s.recv_ok();
    BOOST_TEST(v == "");
    BOOST_TEST(!ok);

    // An unbuffered channel closed with nothing in flight.
    Channel<int> u;
    u.close();
    auto [uv, uok] = u.recv_ok();
    BOOST_TEST(uv == 0);
    BOOST_TEST(!uok);
}

GOCXX_TEST(close_wakes_blocked_receivers) {
    // More goroutines than one batch of unpark_chain (128), threads among them.
    constexpr int kGoroutines = 300, kThreads = 2;
    Channel<int> ch;
    Channel<Unit> started(kGoroutines + kThreads);
    Channel<int> results(kGoroutines + kThreads);  // 1: woke with ok == false and T{}
    for (int i = 0; i < kGoroutines; ++i) {
        go([=] {
            started.send(Unit{});
            auto [v, ok] = ch.recv_ok();
            results.send(!ok && v == 0 ? 1 : 0);
        });
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([=] {
            started.send(Unit{});
            auto [v, ok] = ch.recv_ok();
            results.send(!ok && v == 0 ? 1 : 0);
        });
    }
    for (int i = 0; i < kGoroutines + kThreads; ++i) started.recv();
    for (int i = 0; i < 100; ++i) runtime::gosched();  // most of them are parked by now
    ch.close();
    int good = 0;
    for (int i = 0; i < kGoroutines + kThreads; ++i) good += results.recv();
    for (auto& t : threads) t.join();
    BOOST_TEST(good == kGoroutines + kThreads);
}

GOCXX_TEST(close_panics_blocked_sender) {
    // Unbuffered: a goroutine and a plain thread block in send.
    {
        Channel<int> ch;
        Channel<std::string> msgs(2);
        Channel<Unit> started(2);
        auto sender = [=] {
            started.send(Unit{});
            msgs.send(panic_message([&] { ch.send(1); }));
        };
        go(sender);
        std::thread t(sender);
        started.recv();
        started.recv();
        for (int i = 0; i < 100; ++i) runtime::gosched();
        ch.close();
        BOOST_TEST(msgs.recv() == "send on closed channel");
        BOOST_TEST(msgs.recv() == "send on closed channel");
        t.join();
        auto [v, ok] = ch.recv_ok();  // the failed sends delivered nothing
        BOOST_TEST(v == 0);
        BOOST_TEST(!ok);
    }
    // Buffered and full: the blocked sender's value never enters the buffer.
    {
        Channel<int> ch(1);
        ch.send(1);
        Channel<std::string> msgs(1);
        Channel<Unit> started(1);
        go([=] {
            started.send(Unit{});
            msgs.send(panic_message([&] { ch.send(99); }));
        });
        started.recv();
        for (int i = 0; i < 100; ++i) runtime::gosched();
        ch.close();
        BOOST_TEST(msgs.recv() == "send on closed channel");
        auto [v1, ok1] = ch.recv_ok();
        BOOST_TEST(v1 == 1);
        BOOST_TEST(ok1);
        auto [v2, ok2] = ch.recv_ok();
        BOOST_TEST(v2 == 0);
        BOOST_TEST(!ok2);
    }
}

GOCXX_TEST(panic_messages) {
    Channel<int> closed(1);
    closed.close();
    BOOST_TEST(panic_message([&] { closed.send(1); }) == "send on closed channel");
    BOOST_TEST(panic_message([&] { closed.close(); }) == "close of closed channel");
    Channel<int> nil = nullptr;
    BOOST_TEST(panic_message([&] { nil.close(); }) == "close of nil channel");
    BOOST_TEST(panic_message([] { Channel<int> c(-1); }) == "makechan: size out of range");
    BOOST_TEST(panic_message([] { Channel<int> c(-1LL); }) == "makechan: size out of range");
    BOOST_TEST(panic_message([] { Channel<int> c(static_cast<short>(-5)); }) ==
               "makechan: size out of range");
    BOOST_TEST(panic_message([] { Channel<long> c(1LL << 60); }) == "makechan: size out of range");
    // Panic is a std::logic_error.
    bool logic_error = false;
    try {
        closed.close();
    } catch (const std::logic_error& e) {
        logic_error = std::string(e.what()) == "close of closed channel";
    }
    BOOST_TEST(logic_error);
    // A closed unbuffered channel panics the same way.
    Channel<int> u;
    u.close();
    BOOST_TEST(panic_message([&] { u.send(1); }) == "send on closed channel");
    int lvalue = 3;
    BOOST_TEST(panic_message([&] { u.send(lvalue); }) == "send on closed channel");
}

// ---------------------------------------------------------------------------
// nil channels and reference semantics

GOCXX_TEST(nil_channel) {
    Channel<int> ch = nullptr;
    BOOST_TEST((ch == nullptr));
    BOOST_TEST(!ch.try_send(1));
    int x = 4;
    BOOST_TEST(!ch.try_send(x));
    BOOST_TEST(!ch.try_send(std::move(x)));
    BOOST_TEST(!ch.try_recv().has_value());
    BOOST_TEST(ch.len() == 0u);
    BOOST_TEST(ch.cap() == 0u);
    Channel<int> other = nullptr;
    BOOST_TEST((ch == other));  // all nil channels are equal
    Channel<int> live;
    BOOST_TEST(!(live == nullptr));
    BOOST_TEST(!(live == ch));
    // Assigning nil to a live handle, as `c = nil` in Go.
    Channel<int> copy = live;
    copy = nullptr;
    BOOST_TEST((copy == nullptr));
    BOOST_TEST(!(live == nullptr));

    Channel<std::unique_ptr<int>> nil_ptr = nullptr;
    auto p = std::make_unique<int>(5);
    BOOST_TEST(!nil_ptr.try_send(std::move(p)));
    BOOST_TEST((p != nullptr));
    BOOST_TEST(*p == 5);
    BOOST_TEST(!nil_ptr.try_recv().has_value());
}

GOCXX_TEST(reference_semantics) {
    Channel<int> a(4);
    Channel<int> b = a;  // copy shares
    BOOST_TEST((a == b));
    b.send(1);
    BOOST_TEST(a.len() == 1u);
    BOOST_TEST(a.recv() == 1);
    Channel<int> c(4);
    BOOST_TEST(!(a == c));  // a different channel, same type and capacity
    BOOST_TEST((a != c));
    c = a;  // assignment shares too
    BOOST_TEST((c == a));
    c.send(2);
    BOOST_TEST(b.recv() == 2);
    b.close();
    BOOST_TEST(panic_message([&] { a.close(); }) == "close of closed channel");

    // The channel lives as long as any copy: the body drops its handle while
    // a goroutine still uses its own.
    Channel<int> results(1);
    {
        Channel<int> tmp;
        go([tmp, results] {
            results.send(tmp.recv() * 2);
        });
        tmp.send(21);
    }
    BOOST_TEST(results.recv() == 42);

    // Values of a channel type in containers and as payloads (chan chan int).
    Channel<Channel<int>> requests(1);
    go([requests] {
        for (Channel<int> reply : requests) reply.send(reply.cap() == 1 ? 11 : -1);
    });
    Channel<int> reply(1);
    requests.send(reply);
    BOOST_TEST(reply.recv() == 11);
    requests.close();
}

// ---------------------------------------------------------------------------
// range-for

GOCXX_TEST(range_until_close) {
    const int n = static_cast<int>(scaled(1000));
    for (int cap : {0, 5}) {
        Channel<int> ch(cap);
        go([=] {
            for (int i = 0; i < n; ++i) ch.send(i);
            ch.close();
        });
        long sum = 0;
        int count = 0;
        for (int v : ch) {
            sum += v;
            ++count;
        }
        BOOST_TEST(count == n);
        BOOST_TEST(sum == sum_below(n));
        // A second range over the closed, drained channel ends at once.
        int again = 0;
        for (int v : ch) again += v + 1;
        BOOST_TEST(again == 0);
    }
    // Move-only payload.
    Channel<std::unique_ptr<int>> up(3);
    go([up] {
        for (int i = 0; i < n; ++i) up.send(std::make_unique<int>(i));
        up.close();
    });
    long sum = 0;
    int count = 0, nulls = 0;
    for (std::unique_ptr<int> p : up) {
        if (!p) {
            ++nulls;
            continue;
        }
        sum += *p;
        ++count;
    }
    BOOST_TEST(nulls == 0);
    BOOST_TEST(count == n);
    BOOST_TEST(sum == sum_below(n));
    // Already closed with values buffered: range yields them, then stops.
    Channel<std::string> s(3);
    s.send("x");
    s.send("y");
    s.close();
    std::string joined;
    for (const std::string& v : s) joined += v;
    BOOST_TEST(joined == "xy");
}

// ---------------------------------------------------------------------------
// Non-blocking forms

GOCXX_TEST(try_send_and_try_recv) {
    Channel<int> ch(1);
    BOOST_TEST(!ch.try_recv().has_value());  // empty
    BOOST_TEST(ch.try_send(1));
    BOOST_TEST(!ch.try_send(2));  // full
    auto v = ch.try_recv();
    BOOST_TEST(v.has_value());
    BOOST_TEST(*v == 1);
    BOOST_TEST(!ch.try_recv().has_value());

    // A failed try_send of a moved value leaves it untouched.
    Channel<std::unique_ptr<int>> up(1);
    BOOST_TEST(up.try_send(std::make_unique<int>(1)));
    auto p = std::make_unique<int>(5);
    BOOST_TEST(!up.try_send(std::move(p)));
    BOOST_TEST((p != nullptr));
    BOOST_TEST(*p == 5);
    auto got = up.try_recv();
    BOOST_TEST((got.has_value() && *got != nullptr && **got == 1));
    BOOST_TEST(up.try_send(std::move(p)));  // now there is room: it is taken
    BOOST_TEST((p == nullptr));
    auto got2 = up.try_recv();
    BOOST_TEST((got2.has_value() && *got2 != nullptr && **got2 == 5));
    // A failed try_send of a moved string leaves it untouched as well.
    Channel<std::string> str;
    std::string s = "a string long enough to live on the heap, not in SSO";
    BOOST_TEST(!str.try_send(std::move(s)));
    BOOST_TEST(s == "a string long enough to live on the heap, not in SSO");

    // Unbuffered: try_send succeeds only with a receiver parked; try_recv
    // only with a sender parked. Bounded polling.
    Channel<int> u;
    Channel<int> got_back(1);
    go([=] { got_back.send(u.recv()); });
    bool sent = false;
    for (int i = 0; i < 1000000 && !sent; ++i) {
        sent = u.try_send(9);
        if (!sent) runtime::gosched();
    }
    BOOST_TEST(sent);
    BOOST_TEST(got_back.recv() == 9);
    go([=] { u.send(10); });
    std::optional<int> r;
    for (int i = 0; i < 1000000 && !r; ++i) {
        r = u.try_recv();
        if (!r) runtime::gosched();
    }
    BOOST_TEST((r.has_value() && *r == 10));

    // Closed: try_send panics (both overloads); try_recv drains then is empty.
    Channel<int> c(2);
    c.send(3);
    c.close();
    int lv = 1;
    BOOST_TEST(panic_message([&] { (void)c.try_send(lv); }) == "send on closed channel");
    BOOST_TEST(panic_message([&] { (void)c.try_send(1); }) == "send on closed channel");
    auto d = c.try_recv();
    BOOST_TEST((d.has_value() && *d == 3));
    BOOST_TEST(!c.try_recv().has_value());
    BOOST_TEST(!c.try_recv().has_value());
    Channel<std::unique_ptr<int>> cu(1);
    cu.close();
    auto q = std::make_unique<int>(8);
    BOOST_TEST(panic_message([&] { (void)cu.try_send(std::move(q)); }) == "send on closed channel");
    BOOST_TEST((q != nullptr));
}

// ---------------------------------------------------------------------------
// Directional channels

GOCXX_TEST(directional_channels) {
    Channel<int> ch(4);
    SendChannel<int> s = ch;  // implicit
    RecvChannel<int> r = ch;
    BOOST_TEST((s == SendChannel<int>(ch)));
    BOOST_TEST((r == RecvChannel<int>(ch)));
    BOOST_TEST(!(s == nullptr));
    BOOST_TEST(!(r == nullptr));
    s.send(1);
    BOOST_TEST(s.try_send(2));
    int lv = 3;
    s.send(lv);
    BOOST_TEST(s.len() == 3u);
    BOOST_TEST(r.len() == 3u);
    BOOST_TEST(s.cap() == 4u);
    BOOST_TEST(r.cap() == 4u);
    BOOST_TEST(r.recv() == 1);
    auto [v, ok] = r.recv_ok();
    BOOST_TEST(v == 2);
    BOOST_TEST(ok);
    auto t = r.try_recv();
    BOOST_TEST((t.has_value() && *t == 3));

    // Nil-able.
    SendChannel<int> sn = nullptr;
    RecvChannel<int> rn = nullptr;
    BOOST_TEST((sn == nullptr));
    BOOST_TEST((rn == nullptr));
    BOOST_TEST(!sn.try_send(1));
    BOOST_TEST(!rn.try_recv().has_value());
    BOOST_TEST(sn.len() == 0u);
    BOOST_TEST(rn.cap() == 0u);
    BOOST_TEST(panic_message([&] { sn.close(); }) == "close of nil channel");
    Channel<int> nil_ch = nullptr;
    SendChannel<int> from_nil = nil_ch;
    BOOST_TEST((from_nil == nullptr));
    BOOST_TEST(!(s == SendChannel<int>(Channel<int>(4))));

    // Passed to functions, also through go's argument copying.
    const int n = static_cast<int>(scaled(500));
    Channel<int> data;
    go(produce, data, n);
    BOOST_TEST(consume(data) == sum_below(n));
    Channel<int> data2(3);
    Channel<long> result(1);
    go([data2, result] { result.send(consume(data2)); });
    produce(data2, n);
    BOOST_TEST(result.recv() == sum_below(n));
    // Closing through the send half is seen by the receive half.
    Channel<int> c3(1);
    SendChannel<int> s3 = c3;
    RecvChannel<int> r3 = c3;
    s3.close();
    auto [v3, ok3] = r3.recv_ok();
    BOOST_TEST(!ok3);
    BOOST_TEST(v3 == 0);
}

// ---------------------------------------------------------------------------
// Payloads

GOCXX_TEST(move_only_payloads) {
    const int n = static_cast<int>(scaled(500));
    for (int cap : {0, 1, 8}) {
        Channel<std::unique_ptr<int>> ch(cap);
        Channel<long> result(1);
        go([=] {
            long s = 0;
            int bad = 0;
            for (int i = 0; i < n; ++i) {
                std::unique_ptr<int> p = ch.recv();
                if (!p || *p != i) ++bad;
                else s += *p;
            }
            auto [last, ok] = ch.recv_ok();
            result.send(bad == 0 && ok && last && *last == -1 ? s : -1);
        });
        for (int i = 0; i < n; ++i) {
            auto p = std::make_unique<int>(i);
            ch.send(std::move(p));
        }
        ch.send(std::make_unique<int>(-1));
        BOOST_TEST(result.recv() == sum_below(n));
    }
    // Through a parked sender into a full buffer.
    Channel<std::unique_ptr<std::string>> sc(1);
    go([sc] {
        sc.send(std::make_unique<std::string>("first"));
        sc.send(std::make_unique<std::string>("second"));
        sc.close();
    });
    std::string joined;
    for (auto p : sc) joined += p ? *p + ";" : "null;";
    BOOST_TEST(joined == "first;second;");
}

GOCXX_TEST(unit_as_signal) {
    static_assert(sizeof(Unit) == 1);
    Channel<Unit> sig;
    go([sig] { sig.send(Unit{}); });
    sig.recv();
    Channel<Unit> done;
    Channel<int> woke(4);
    for (int i = 0; i < 4; ++i) {
        go([=] {
            auto [u, ok] = done.recv_ok();
            (void)u;
            woke.send(ok ? 0 : 1);
        });
    }
    done.close();  // broadcast
    int n = 0;
    for (int i = 0; i < 4; ++i) n += woke.recv();
    BOOST_TEST(n == 4);
    // Buffered Unit: len and cap count signals, FIFO is trivially kept.
    Channel<Unit> b(3);
    BOOST_TEST(b.try_send(Unit{}));
    BOOST_TEST(b.try_send(Unit{}));
    BOOST_TEST(b.try_send(Unit{}));
    BOOST_TEST(!b.try_send(Unit{}));
    BOOST_TEST(b.len() == 3u);
    BOOST_TEST(b.cap() == 3u);
    BOOST_TEST(b.try_recv().has_value());
    BOOST_TEST(b.len() == 2u);
    b.close();
    BOOST_TEST(b.recv_ok().second);
    BOOST_TEST(b.recv_ok().second);
    BOOST_TEST(!b.recv_ok().second);
    // A huge Unit buffer costs nothing.
    Channel<Unit> huge(1LL << 40);
    BOOST_TEST(huge.cap() == (std::size_t(1) << 40));
}

GOCXX_TEST(unit_as_semaphore) {
    constexpr int kLimit = 3, kWorkers = 12;
    const int rounds = static_cast<int>(scaled(100));
    Channel<Unit> sem(kLimit);
    auto cur = std::make_shared<std::atomic<int>>(0);
    auto max_seen = std::make_shared<std::atomic<int>>(0);
    auto total = std::make_shared<std::atomic<long>>(0);
    sync::WaitGroup wg;
    for (int w = 0; w < kWorkers; ++w) {
        wg.go([=] {
            for (int r = 0; r < rounds; ++r) {
                sem.send(Unit{});  // acquire
                const int c = cur->fetch_add(1) + 1;
                int m = max_seen->load();
                while (c > m && !max_seen->compare_exchange_weak(m, c)) {
                }
                total->fetch_add(1);
                runtime::gosched();
                cur->fetch_sub(1);
                sem.recv();  // release
            }
        });
    }
    wg.wait();
    BOOST_TEST(max_seen->load() <= kLimit);
    BOOST_TEST(max_seen->load() >= 1);
    BOOST_TEST(total->load() == long(kWorkers) * rounds);
    BOOST_TEST(sem.len() == 0u);
}

GOCXX_TEST(payload_destructors) {
    const int base = runtime::num_goroutine();
    BOOST_TEST(Counted::live.load() == 0);
    {
        Channel<Counted> ch(10);
        for (int i = 0; i < 10; ++i) {
            if (i % 2 == 0) {
                ch.send(Counted(i));
            } else {
                Counted c(i);
                ch.send(c);
            }
        }
        BOOST_TEST(Counted::live.load() == 10);
        Counted extra(100);
        BOOST_TEST(!ch.try_send(std::move(extra)));  // full: untouched
        BOOST_TEST(extra.v == 100);
        for (int i = 0; i < 3; ++i) BOOST_TEST(ch.recv().v == i);
        BOOST_TEST(Counted::live.load() == 8);  // 7 buffered + extra
        // A goroutine's copy of the handle, dropped before it says so (moving
        // the captured copy out of the closure, so that the body's drop below
        // is certainly the last one), does not keep values alive.
        Channel<Unit> done;
        go([ch, done]() mutable {
            {
                Channel<Counted> mine = std::move(ch);
                Counted c = mine.recv();
                (void)c;
            }
            done.close();
        });
        done.recv();
        BOOST_TEST(Counted::live.load() == 7);  // 6 buffered + extra
        // Drop the channel with 6 values still buffered.
    }
    BOOST_TEST(goroutines_drop_to(base));
    BOOST_TEST(Counted::live.load() == 0);

    // Unbuffered hand-offs, blocked senders into a full buffer, closes with
    // values left, and the zero value returned after close.
    {
        const int n = static_cast<int>(scaled(200));
        Channel<Counted> u;
        Channel<Counted> b(2);
        Channel<std::string> msg(1);
        Channel<Unit> full;
        go([=] {
            for (int i = 0; i < n; ++i) u.send(Counted(i));
            for (int i = 0; i < 4; ++i) b.send(Counted(i));  // parks on 2 and 3 until received
            full.send(Unit{});  // b now holds 2 and 3: full
            msg.send(panic_message([&] { b.send(Counted(99)); }));
        });
        long s = 0;
        for (int i = 0; i < n; ++i) s += u.recv().v;
        BOOST_TEST(s == sum_below(n));
        BOOST_TEST(b.recv().v == 0);
        BOOST_TEST(b.recv().v == 1);
        full.recv();
        BOOST_TEST(b.len() == 2u);
        b.close();  // the send of 99 (parked or about to be) panics
        BOOST_TEST(msg.recv() == "send on closed channel");
        int drained = 0, count = 0;
        for (Counted c : b) {
            drained += c.v;
            ++count;
        }
        BOOST_TEST(count == 2);
        BOOST_TEST(drained == 5);  // 2 + 3, never 99
        auto [z, ok] = b.recv_ok();
        BOOST_TEST(!ok);
        BOOST_TEST(z.v == 0);
        // Closed with values left, then dropped.
        Channel<Counted> left(4);
        left.send(Counted(1));
        left.send(Counted(2));
        left.close();
        BOOST_TEST(left.recv().v == 1);
    }
    BOOST_TEST(goroutines_drop_to(base));
    BOOST_TEST(Counted::live.load() == 0);
}

// ---------------------------------------------------------------------------
// Goroutines and plain threads on one channel

GOCXX_TEST(threads_and_goroutines_meet) {
    // Note: std::thread::join blocks the OS thread, and in goroutine mode the
    // body runs on a worker. So a thread is joined only after it has said,
    // through a channel, that it no longer needs any goroutine to progress.
    const int n = static_cast<int>(scaled(1000));
    Channel<int> ch;
    Channel<long> res(8);
    // A std::thread sender, a goroutine receiver.
    std::thread t1([ch] {
        for (int i = 0; i < n; ++i) ch.send(i);
    });
    go([ch, res] {
        long s = 0;
        for (int i = 0; i < n; ++i) s += ch.recv();
        res.send(s);
    });
    BOOST_TEST(res.recv() == sum_below(n));
    t1.join();  // its last send completed: it is returning
    // A goroutine sender, a std::thread receiver.
    go([ch] {
        for (int i = 0; i < n; ++i) ch.send(i);
    });
    std::thread t2([ch, res] {
        long s = 0;
        for (int i = 0; i < n; ++i) s += ch.recv();
        res.send(s);
    });
    BOOST_TEST(res.recv() == sum_below(n));
    t2.join();
    // The body against both kinds.
    std::thread t3([ch] { ch.send(5); });
    BOOST_TEST(ch.recv() == 5);
    t3.join();
    std::thread t4([ch, res] { res.send(ch.recv()); });
    ch.send(6);
    BOOST_TEST(res.recv() == 6);
    t4.join();

    // Two threads and two goroutines on each side of one channel.
    for (int cap : {0, 3}) {
        Channel<int> mixed(cap);
        Channel<Unit> sent(4);
        std::vector<std::thread> threads;
        auto sender = [mixed, sent] {
            for (int i = 0; i < n; ++i) mixed.send(i);
            sent.send(Unit{});
        };
        auto receiver = [mixed, res] { res.send(consume(mixed)); };
        for (int k = 0; k < 2; ++k) {
            threads.emplace_back(sender);
            go(sender);
            threads.emplace_back(receiver);
            go(receiver);
        }
        for (int k = 0; k < 4; ++k) sent.recv();
        mixed.close();
        long total = 0;
        for (int k = 0; k < 4; ++k) total += res.recv();
        for (auto& t : threads) t.join();
        BOOST_TEST(total == 4 * sum_below(n));
    }
}

// ---------------------------------------------------------------------------
// A payload with no default constructor: no recv()/recv_ok() (they need T{}),
// but send, try_recv and range-for work.

namespace {
struct NoDefault {
    explicit NoDefault(int x) noexcept : v(x) {}
    int v;
};
}  // namespace

GOCXX_TEST(payload_without_default_constructor) {
    static_assert(!std::is_default_constructible_v<NoDefault>);
    Channel<NoDefault> ch(2);
    ch.send(NoDefault(1));
    const NoDefault two(2);
    BOOST_TEST(ch.try_send(two));
    auto a = ch.try_recv();
    BOOST_TEST((a.has_value() && a->v == 1));
    ch.close();
    int sum = 0;
    for (NoDefault v : ch) sum += v.v;
    BOOST_TEST(sum == 2);
    BOOST_TEST(!ch.try_recv().has_value());
    Channel<NoDefault> u;
    go([u] {
        for (int i = 1; i <= 3; ++i) u.send(NoDefault(i));
        u.close();
    });
    sum = 0;
    for (NoDefault v : u) sum += v.v;
    BOOST_TEST(sum == 6);
}

// ---------------------------------------------------------------------------
// Go's zero value of a channel type is the nil channel

namespace {
// A request that carries its own reply channel, as Go code often sends.
struct Request {
    int id = 0;
    SendChannel<int> reply;  // zero value: nil
};
}  // namespace

GOCXX_TEST(closed_channel_of_channels_yields_nil) {
    // recv(): Go's `c := <-cc` on a closed cc gives a nil chan.
    Channel<Channel<int>> cc(2);
    Channel<int> live(1);
    cc.send(live);
    cc.close();
    Channel<int> first = cc.recv();  // the buffered value drains first
    BOOST_TEST((first == live));
    Channel<int> z = cc.recv();
    BOOST_TEST((z == nullptr));
    BOOST_TEST(panic_message([&] { z.close(); }) == "close of nil channel");
    BOOST_TEST(!z.try_send(1));  // a nil channel is never ready
    BOOST_TEST(z.cap() == 0u);
    auto [z2, ok] = cc.recv_ok();
    BOOST_TEST(!ok);
    BOOST_TEST((z2 == nullptr));

    // select: the callback's value and into(v) get nil too; a nil channel's
    // case is then never ready.
    Channel<int> got = live;
    bool got_ok = true;
    BOOST_TEST(select(case_recv(cc, [&](Channel<int> c, bool o) {
                   got = c;
                   got_ok = o;
               })) == 0);
    BOOST_TEST((got == nullptr));
    BOOST_TEST(!got_ok);
    got = live;
    BOOST_TEST(select(case_recv(cc, [&](Channel<int> c) { got = c; })) == 0);
    BOOST_TEST((got == nullptr));
    got = live;
    got_ok = true;
    BOOST_TEST(select(case_recv(cc, into(got, got_ok))) == 0);
    BOOST_TEST((got == nullptr));
    BOOST_TEST(!got_ok);
    BOOST_TEST(select(case_recv(got, [] {}), case_send(got, 1), case_default()) == 2);

    // Directional element types: nil as well.
    Channel<SendChannel<int>> cs;
    Channel<RecvChannel<int>> cr;
    cs.close();
    cr.close();
    BOOST_TEST((cs.recv() == nullptr));
    BOOST_TEST((cr.recv() == nullptr));
    BOOST_TEST(panic_message([&] { cs.recv().close(); }) == "close of nil channel");
}

GOCXX_TEST(directional_channels_default_to_nil) {
    static_assert(std::is_nothrow_default_constructible_v<SendChannel<int>>);
    static_assert(std::is_nothrow_default_constructible_v<RecvChannel<int>>);
    SendChannel<int> s;
    RecvChannel<int> r;
    BOOST_TEST((s == nullptr));
    BOOST_TEST((r == nullptr));
    BOOST_TEST(panic_message([&] { s.close(); }) == "close of nil channel");
    BOOST_TEST(!r.try_recv().has_value());

    // A struct holding one travels through a channel by value, and the
    // closed channel's zero value holds nil.
    Channel<Request> requests;
    go([requests] {
        for (Request req : requests) req.reply.send(req.id * 10);
    });
    int sum = 0;
    for (int i = 1; i <= 3; ++i) {
        Channel<int> reply(1);
        requests.send(Request{i, reply});
        sum += reply.recv();
    }
    BOOST_TEST(sum == 60);
    requests.close();
    auto [req, ok] = requests.recv_ok();
    BOOST_TEST(!ok);
    BOOST_TEST(req.id == 0);
    BOOST_TEST((req.reply == nullptr));
}
