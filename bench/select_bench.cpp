// select over 4 channels, crossbeam-channel's Go suite: select_rx (4
// producers, each on its own channel, one receiver selecting over all 4) and
// select_both (4 select-senders and 4 select-receivers over the same 4
// channels), for capacity 0, 1 and 1024; kMsgs messages per iteration.
#include "common.hpp"

#include <cstdlib>

using namespace gocxx;
using bench::kMsgs;
using bench::kThreads;
using bench::Msg;

static_assert(kThreads == 4, "the selects below are written for 4 channels");

static void select_rx(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c0(cap), c1(cap), c2(cap), c3(cap);
            Channel<bool> done;
            for (const Channel<Msg>& c : {c0, c1, c2, c3}) {
                go([c, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) c.send(Msg(i));
                    done.send(true);
                });
            }
            Msg sum = 0;
            auto add = [&](Msg v) { sum += v; };
            for (long i = 0; i < kMsgs; i++) {
                select(case_recv(c0, add), case_recv(c1, add), case_recv(c2, add), case_recv(c3, add));
            }
            for (int t = 0; t < kThreads; t++) done.recv();
            if (sum != kThreads * bench::sum_to(kMsgs / kThreads)) std::abort();
        });
    });
}
GOCXX_BENCH_CAPS(select_rx);

static void select_both(benchmark::State& state) {
    const long cap = state.range(0);
    bench::measure(state, kMsgs, [&] {
        bench::in_goroutine([&] {
            Channel<Msg> c0(cap), c1(cap), c2(cap), c3(cap);
            Channel<bool> done;
            for (int t = 0; t < kThreads; t++) {
                go([c0, c1, c2, c3, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) {
                        Msg m(i);
                        select(case_send(c0, m), case_send(c1, m), case_send(c2, m), case_send(c3, m));
                    }
                    done.send(true);
                });
            }
            for (int t = 0; t < kThreads; t++) {
                go([c0, c1, c2, c3, done] {
                    for (long i = 0; i < kMsgs / kThreads; i++) {
                        select(case_recv(c0), case_recv(c1), case_recv(c2), case_recv(c3));
                    }
                    done.send(true);
                });
            }
            for (int t = 0; t < 2 * kThreads; t++) done.recv();
        });
    });
}
GOCXX_BENCH_CAPS(select_both);

BENCHMARK_MAIN();
