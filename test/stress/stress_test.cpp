// Conservation stress: many goroutines and plain threads over shared
// channels; every value sent is received exactly once. Iteration counts are
// scaled down under the sanitizers and up by the stress_scale option.
#define BOOST_TEST_MODULE stress
#include "fixture.hpp"
#include "helpers.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

using namespace gocxx;
using namespace std::chrono_literals;
using gocxx::test::kStressScale;
using gocxx::test::scaled;
using gocxx::test::goroutines_drop_to;

namespace {


// What the receivers saw: one counter per value, and totals.
struct Ledger {
    explicit Ledger(int n) : seen(n) {}
    std::vector<std::atomic<int>> seen;
    std::atomic<long> sum{0};
    std::atomic<long> count{0};
    std::atomic<long> out_of_range{0};

    void record(int v) {
        if (v < 0 || v >= static_cast<int>(seen.size())) {
            out_of_range.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        seen[v].fetch_add(1, std::memory_order_relaxed);
        sum.fetch_add(v, std::memory_order_relaxed);
        count.fetch_add(1, std::memory_order_relaxed);
    }
    // Values seen other than exactly once.
    int wrong() const {
        int bad = 0;
        for (const auto& s : seen) bad += s.load() == 1 ? 0 : 1;
        return bad;
    }
};

// P producers (goroutines and threads) send disjoint ranges of 0..n-1 to one
// channel; C consumers (goroutines and threads) drain it until it is closed.
void mpmc_conservation(long cap) {
    const int base = runtime::num_goroutine();
    const int n = static_cast<int>(scaled(100000) * kStressScale);
    const int gprod = 6, tprod = 2, gcons = 6, tcons = 2;
    const int nprod = gprod + tprod;
    auto ledger = std::make_shared<Ledger>(n);
    Channel<int> ch(cap);
    auto sent = std::make_shared<std::atomic<long>>(0);

    auto produce = [ch, sent](int p) {
        for (int v = p; v < n; v += nprod) {
            ch.send(v);
            sent->fetch_add(1, std::memory_order_relaxed);
        }
    };
    auto consume = [ch, ledger] {
        for (int v : ch) ledger->record(v);
    };

    sync::WaitGroup producers, consumers;
    for (int p = 0; p < gprod; ++p) producers.go([produce, p] { produce(p); });
    for (int c = 0; c < gcons; ++c) consumers.go(consume);
    std::vector<std::thread> threads;
    for (int p = gprod; p < nprod; ++p) {
        producers.add(1);
        threads.emplace_back([produce, p, &producers] {
            produce(p);
            producers.done();
        });
    }
    for (int c = 0; c < tcons; ++c) {
        consumers.add(1);
        threads.emplace_back([consume, &consumers] {
            consume();
            consumers.done();
        });
    }
    producers.wait();
    ch.close();
    consumers.wait();
    for (auto& t : threads) t.join();

    BOOST_TEST(sent->load() == n);
    BOOST_TEST(ledger->count.load() == n);
    BOOST_TEST(ledger->out_of_range.load() == 0);
    BOOST_TEST(ledger->wrong() == 0);
    BOOST_TEST(ledger->sum.load() == static_cast<long>(n) * (n - 1) / 2);
    BOOST_TEST(ch.len() == 0u);
    BOOST_TEST(goroutines_drop_to(base));
}

}  // namespace

GOCXX_TEST(mpmc_conservation_unbuffered) { mpmc_conservation(0); }
GOCXX_TEST(mpmc_conservation_cap1) { mpmc_conservation(1); }
GOCXX_TEST(mpmc_conservation_cap64) { mpmc_conservation(64); }

// Receivers blocked in recv_ok when the channel closes: every value sent
// before the close is received once, then each receiver sees ok == false.
GOCXX_TEST(close_wakes_blocked_receivers_after_draining) {
    const int rounds = static_cast<int>(scaled(500) * kStressScale);
    int bad = 0;
    for (int r = 0; r < rounds; ++r) {
        const int nrecv = 8, nval = r % 10;
        Channel<int> ch(r % 3 == 0 ? 0 : r % 5);
        auto got = std::make_shared<std::atomic<int>>(0);
        auto closed_seen = std::make_shared<std::atomic<int>>(0);
        sync::WaitGroup wg;
        for (int i = 0; i < nrecv; ++i) {
            wg.go([ch, got, closed_seen] {
                for (;;) {
                    auto [v, ok] = ch.recv_ok();
                    if (!ok) {
                        closed_seen->fetch_add(1);
                        return;
                    }
                    got->fetch_add(v);
                }
            });
        }
        for (int v = 1; v <= nval; ++v) ch.send(v);
        ch.close();
        wg.wait();
        if (got->load() != nval * (nval + 1) / 2 || closed_seen->load() != nrecv) ++bad;
    }
    BOOST_TEST(bad == 0);
}

// Selects that mix sends and receives over shared channels:
//   senders (goroutines)   --select send--> a (unbuffered) | b (cap 4)
//   forwarders (goroutines) select { recv a | recv b | send c (pending) }
//   sinks (goroutines and threads) range over c (cap 2)
// a and b are closed once the senders finish, c once the forwarders do.
GOCXX_TEST(select_mixed_send_recv_conservation) {
    const int n = static_cast<int>(scaled(60000) * kStressScale);
    const int nsend = 6, nfwd = 6, gsink = 3, tsink = 2;
    auto ledger = std::make_shared<Ledger>(n);
    Channel<int> a, b(4), c(2);
    auto send_a = std::make_shared<std::atomic<long>>(0);
    auto send_b = std::make_shared<std::atomic<long>>(0);

    sync::WaitGroup senders, forwarders, sinks;
    for (int s = 0; s < nsend; ++s) {
        senders.go([a, b, send_a, send_b, s] {
            for (int v = s; v < n; v += nsend) {
                select(case_send(a, v, [&] { send_a->fetch_add(1, std::memory_order_relaxed); }),
                       case_send(b, v, [&] { send_b->fetch_add(1, std::memory_order_relaxed); }));
            }
        });
    }
    for (int f = 0; f < nfwd; ++f) {
        forwarders.go([a, b, c] {
            Channel<int> la = a, lb = b;
            Channel<int> nil = nullptr;
            std::deque<int> pending;
            while (la != nullptr || lb != nullptr || !pending.empty()) {
                const bool have = !pending.empty();
                select(case_recv(la,
                                 [&](int v, bool ok) {
                                     if (ok) pending.push_back(v);
                                     else la = nullptr;
                                 }),
                       case_recv(lb,
                                 [&](int v, bool ok) {
                                     if (ok) pending.push_back(v);
                                     else lb = nullptr;
                                 }),
                       case_send(have ? c : nil, have ? pending.front() : 0, [&] { pending.pop_front(); }));
            }
        });
    }
    auto sink = [c, ledger] {
        for (int v : c) ledger->record(v);
    };
    for (int i = 0; i < gsink; ++i) sinks.go(sink);
    std::vector<std::thread> threads;
    for (int i = 0; i < tsink; ++i) {
        sinks.add(1);
        threads.emplace_back([sink, &sinks] {
            sink();
            sinks.done();
        });
    }

    senders.wait();
    a.close();
    b.close();
    forwarders.wait();
    c.close();
    sinks.wait();
    for (auto& t : threads) t.join();

    BOOST_TEST(send_a->load() + send_b->load() == n);
    BOOST_TEST(ledger->count.load() == n);
    BOOST_TEST(ledger->out_of_range.load() == 0);
    BOOST_TEST(ledger->wrong() == 0);
    BOOST_TEST(ledger->sum.load() == static_cast<long>(n) * (n - 1) / 2);
}

// Plain-thread receivers and goroutine receivers in selects over the same
// channels, with a select-with-default poller thrown in; the senders are
// goroutines and threads doing plain sends.
GOCXX_TEST(select_receivers_mixed_with_plain_receivers) {
    const int n = static_cast<int>(scaled(50000) * kStressScale);
    auto ledger = std::make_shared<Ledger>(n);
    Channel<int> x, y(8);
    auto source = [x, y](int first, int step) {
        for (int v = first; v < n; v += step) (v % 2 ? x : y).send(v);
    };
    sync::WaitGroup senders, receivers;
    std::vector<std::thread> threads;
    const int gsend = 3, tsend = 1, step = gsend + tsend;
    for (int s = 0; s < gsend; ++s) senders.go([source, s] { source(s, step); });
    for (int s = gsend; s < step; ++s) {
        senders.add(1);
        threads.emplace_back([source, s, &senders] {
            source(s, step);
            senders.done();
        });
    }
    // Goroutine receivers: blocking select over both until both are closed.
    auto select_receiver = [x, y, ledger] {
        Channel<int> lx = x, ly = y;
        while (lx != nullptr || ly != nullptr) {
            select(case_recv(lx, [&](int v, bool ok) { ok ? ledger->record(v) : void(lx = nullptr); }),
                   case_recv(ly, [&](int v, bool ok) { ok ? ledger->record(v) : void(ly = nullptr); }));
        }
    };
    for (int i = 0; i < 4; ++i) receivers.go(select_receiver);
    // A polling goroutine: select with default, yielding when idle.
    receivers.go([x, y, ledger] {
        Channel<int> lx = x, ly = y;
        while (lx != nullptr || ly != nullptr) {
            select(case_recv(lx, [&](int v, bool ok) { ok ? ledger->record(v) : void(lx = nullptr); }),
                   case_recv(ly, [&](int v, bool ok) { ok ? ledger->record(v) : void(ly = nullptr); }),
                   case_default([] { runtime::gosched(); }));
        }
    });
    // Plain threads: one with select, one with plain recv_ok on x only.
    receivers.add(2);
    threads.emplace_back([select_receiver, &receivers] {
        select_receiver();
        receivers.done();
    });
    threads.emplace_back([x, ledger, &receivers] {
        for (int v : x) ledger->record(v);
        receivers.done();
    });

    senders.wait();
    x.close();
    y.close();
    receivers.wait();
    for (auto& t : threads) t.join();

    BOOST_TEST(ledger->count.load() == n);
    BOOST_TEST(ledger->out_of_range.load() == 0);
    BOOST_TEST(ledger->wrong() == 0);
    BOOST_TEST(ledger->sum.load() == static_cast<long>(n) * (n - 1) / 2);
}

// A chain of stages (goroutines, one plain thread in the middle) linked by
// unbuffered channels; each adds 1. Values come out in order, each + stages.
GOCXX_TEST(ping_pong_chain) {
    const int stages = 32;
    const int tokens = static_cast<int>(scaled(5000) * kStressScale);
    std::vector<Channel<long>> link(stages + 1);
    auto stage = [](Channel<long> in, Channel<long> out) {
        for (long v : in) out.send(v + 1);
        out.close();
    };
    std::thread middle;
    for (int i = 0; i < stages; ++i) {
        if (i == stages / 2) middle = std::thread(stage, link[i], link[i + 1]);
        else go(stage, link[i], link[i + 1]);
    }
    go([in = link[0]] {
        for (long t = 0; t < tokens; ++t) in.send(t * 1000);
        in.close();
    });
    int bad = 0;
    long count = 0;
    for (long v : link[stages]) {
        if (v != count * 1000 + stages) ++bad;
        ++count;
    }
    middle.join();
    BOOST_TEST(bad == 0);
    BOOST_TEST(count == tokens);

    // Two goroutines batting a ball back and forth; the body counts the hits.
    const int hits = static_cast<int>(scaled(50000) * kStressScale);
    Channel<int> ping, pong, result(1);
    go([ping, pong] {
        for (int i = 0; i < hits; ++i) pong.send(ping.recv() + 1);
    });
    go([ping, pong, result] {
        int v = 0;
        for (int i = 0; i < hits; ++i) {
            ping.send(v);
            v = pong.recv();
        }
        result.send(v);
    });
    BOOST_TEST(result.recv() == hits);

    // The body itself plays against a goroutine (thread vs goroutine when the
    // body runs on a plain thread).
    go([ping, pong] {
        for (int i = 0; i < hits / 4; ++i) pong.send(ping.recv() * 2 % 1000003);
    });
    long v = 1, expect = 1;
    for (int i = 0; i < hits / 4; ++i) {
        ping.send(static_cast<int>(v));
        v = pong.recv();
        expect = expect * 2 % 1000003;
    }
    BOOST_TEST(v == expect);
}

// Goroutines spawning goroutines while channels churn: a tree of fan-outs
// whose leaves report on one channel.
GOCXX_TEST(spawn_tree_fan_in) {
    const int depth = 10;  // 2^10 leaves
    Channel<int> leaves(16);
    struct Tree {
        static void grow(int d, int id, Channel<int> out) {
            if (d == 0) {
                out.send(id);
                return;
            }
            go(&Tree::grow, d - 1, id * 2, out);
            go(&Tree::grow, d - 1, id * 2 + 1, out);
        }
    };
    go(&Tree::grow, depth, 0, leaves);
    const int n = 1 << depth;
    std::vector<int> seen(n, 0);
    int out_of_range = 0;
    for (int i = 0; i < n; ++i) {
        const int id = leaves.recv();
        if (id < 0 || id >= n) ++out_of_range;
        else ++seen[id];
    }
    int wrong = 0;
    for (int s : seen) wrong += s == 1 ? 0 : 1;
    BOOST_TEST(out_of_range == 0);
    BOOST_TEST(wrong == 0);
}
