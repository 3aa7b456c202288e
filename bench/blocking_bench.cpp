// Goroutines that block: the article's semaphore workload. N tasks, each a
// remote call stood in for by a sleep, at most `limit` in flight through a
// Channel<Unit> semaphore and a WaitGroup, the main role in gocxx::run.
// Reported: wall ms per run (manual time) and x_ideal, the ratio to the ideal
// ceil(N / limit) * d. Variants:
//   sleep_for      std::this_thread::sleep_for(d): a plain blocking call that
//                  holds its worker; the runtime's monitor must add workers
//   blocking       runtime::blocking(sleep_for(d)): hands the worker over at once
//   time_sleep     time::sleep(d): parks the goroutine (the timer heap)
// Args: tasks, sleep in us, limit. 1,000 x 10 ms / 100 (ideal 100 ms) is the
// article's; 2,000 x 1 ms / 100 (ideal 20 ms) stresses the hand-over.
//
//   ./build-bench/bench/blocking_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include "common.hpp"

#include <thread>

using namespace gocxx;
using namespace std::chrono;

enum class Call { sleep_for, blocking, time_sleep };

template <Call kind>
static void run_semaphore(benchmark::State& state) {
    const long n = state.range(0);
    const microseconds d(state.range(1));
    const int limit = static_cast<int>(state.range(2));
    auto call = [d] {
        if constexpr (kind == Call::sleep_for) std::this_thread::sleep_for(d);
        else if constexpr (kind == Call::blocking) runtime::blocking([d] { std::this_thread::sleep_for(d); });
        else time::sleep(d);
    };
    double total_s = 0;
    for (auto _ : state) {
        auto t0 = steady_clock::now();
        bench::in_goroutine([&] {
            Channel<Unit> sem(limit);  // sem := make(chan struct{}, limit)
            sync::WaitGroup wg;
            for (long i = 0; i < n; i++) {
                sem.send({});  // sem <- struct{}{}
                wg.add(1);
                go([&] {
                    call();
                    sem.recv();  // <-sem
                    wg.done();
                });
            }
            wg.wait();
        });
        const double s = duration<double>(steady_clock::now() - t0).count();
        state.SetIterationTime(s);
        total_s += s;
    }
    const double ideal_s = static_cast<double>((n + limit - 1) / limit) * duration<double>(d).count();
    state.counters["ideal_ms"] = ideal_s * 1e3;
    // Mean over this repetition's iterations; the aggregates give their median.
    state.counters["x_ideal"] = total_s / (static_cast<double>(state.iterations()) * ideal_s);
}

static void semaphore_sleep_for(benchmark::State& s) { run_semaphore<Call::sleep_for>(s); }
static void semaphore_blocking(benchmark::State& s) { run_semaphore<Call::blocking>(s); }
static void semaphore_time_sleep(benchmark::State& s) { run_semaphore<Call::time_sleep>(s); }

// Few iterations: each run takes 20-100 ms of sleeping, and the point is the
// wall time of a run, not a throughput.
#define BLOCKING_BENCH(fn)                                                                    \
    BENCHMARK(fn)                                                                             \
        ->UseManualTime()                                                                     \
        ->Unit(benchmark::kMillisecond)                                                       \
        ->Iterations(5)                                                                       \
        ->ArgNames({"tasks", "us", "limit"})                                                  \
        ->Args({1000, 10'000, 100})                                                           \
        ->Args({2000, 1'000, 100})

BLOCKING_BENCH(semaphore_sleep_for);
BLOCKING_BENCH(semaphore_blocking);
BLOCKING_BENCH(semaphore_time_sleep);

BENCHMARK_MAIN();
