// The plain-thread baseline: spsc and mpmc over the same gocxx channels, with
// std::threads as every party (they block their threads instead of parking
// goroutines). kMsgs messages per iteration, capacity 0, 1 and 1024.
#include "common.hpp"

#include <cstdlib>
#include <thread>
#include <vector>

using namespace gocxx;
using bench::kMsgs;
using bench::kThreads;
using bench::Msg;

static void thread_spsc(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        Channel<Msg> c(cap);
        std::thread producer([c] {
            for (long i = 0; i < kMsgs; i++) c.send(Msg(i));
        });
        Msg sum = 0;
        for (long i = 0; i < kMsgs; i++) sum += c.recv();
        producer.join();
        if (sum != bench::sum_to(kMsgs)) std::abort();
    });
}
GOCXX_BENCH_CAPS(thread_spsc);

static void thread_mpmc(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        Channel<Msg> c(cap);
        std::vector<std::thread> parties;
        for (int t = 0; t < kThreads; t++) {
            parties.emplace_back([c] {
                for (long i = 0; i < kMsgs / kThreads; i++) c.send(Msg(i));
            });
        }
        for (int t = 0; t < kThreads; t++) {
            parties.emplace_back([c] {
                for (long i = 0; i < kMsgs / kThreads; i++) c.recv();
            });
        }
        for (auto& p : parties) p.join();
    });
}
GOCXX_BENCH_CAPS(thread_mpmc);

BENCHMARK_MAIN();
