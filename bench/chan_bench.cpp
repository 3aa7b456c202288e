// Channel send+receive, crossbeam-channel's Go suite (benchmarks/go.go):
// seq, spsc, mpsc, mpmc over uint64 messages, for capacity 0, 1 and 1024.
// The main role runs as a goroutine (gocxx::run), the other parties are
// goroutines; each iteration moves kMsgs messages.
#include "common.hpp"

#include <algorithm>
#include <cstdlib>

using namespace gocxx;
using bench::kMsgs;
using bench::kThreads;
using bench::Msg;

// One goroutine sends a batch of `cap` messages, then receives them; repeated
// until kMsgs have gone through (only for cap > 0).
static void seq(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c(cap);
            Msg sum = 0;
            for (long i = 0; i < kMsgs; i += cap) {
                long n = std::min(cap, kMsgs - i);
                for (long j = 0; j < n; j++) c.send(Msg(i + j));
                for (long j = 0; j < n; j++) sum += c.recv();
            }
            if (sum != bench::sum_to(kMsgs)) std::abort();
        });
    });
}
GOCXX_BENCH(seq)->ArgName("cap")->Arg(1)->Arg(1024);

// One producer goroutine, the main goroutine receives.
static void spsc(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c(cap);
            Channel<bool> done;
            go([c, done] {
                for (long i = 0; i < kMsgs; i++) c.send(Msg(i));
                done.send(true);
            });
            Msg sum = 0;
            for (long i = 0; i < kMsgs; i++) sum += c.recv();
            done.recv();
            if (sum != bench::sum_to(kMsgs)) std::abort();
        });
    });
}
GOCXX_BENCH_CAPS(spsc);

// kThreads producer goroutines, the main goroutine receives.
static void mpsc(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c(cap);
            Channel<bool> done;
            for (int t = 0; t < kThreads; t++) {
                go([c, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) c.send(Msg(i));
                    done.send(true);
                });
            }
            for (long i = 0; i < kMsgs; i++) c.recv();
            for (int t = 0; t < kThreads; t++) done.recv();
        });
    });
}
GOCXX_BENCH_CAPS(mpsc);

// kThreads producers and kThreads consumers; the main goroutine waits.
static void mpmc(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c(cap);
            Channel<bool> done;
            for (int t = 0; t < kThreads; t++) {
                go([c, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) c.send(Msg(i));
                    done.send(true);
                });
            }
            for (int t = 0; t < kThreads; t++) {
                go([c, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) c.recv();
                    done.send(true);
                });
            }
            for (int t = 0; t < 2 * kThreads; t++) done.recv();
        });
    });
}
GOCXX_BENCH_CAPS(mpmc);

// Unbuffered ping-pong: ns per round trip (two hand-offs).
static void ping_pong(benchmark::State& state) {
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> ping, pong;
            go([ping, pong] {
                for (long i = 0; i < kMsgs; i++) pong.send(ping.recv() + 1);
            });
            Msg v = 0;
            for (long i = 0; i < kMsgs; i++) {
                ping.send(v);
                v = pong.recv();
            }
            if (v != Msg(kMsgs)) std::abort();
        });
    });
}
GOCXX_BENCH(ping_pong);

BENCHMARK_MAIN();
