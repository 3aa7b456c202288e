// Shared by the benchmark programs: message counts and the ns-per-message
// report. Every workload moves a fixed number of uint64 messages per
// iteration (kMsgs) and is timed on the wall clock, since the work runs on
// the scheduler's worker threads, not on the benchmark's thread.
#pragma once
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <utility>

#include <gocxx/gocxx.hpp>

namespace bench {

using Msg = std::uint64_t;

inline constexpr long kMsgs = 100'000;  // messages per iteration
inline constexpr int kThreads = 4;      // producers, consumers, select channels

// Sum of 0..n-1: what a receiver of every message 0..n-1 adds up.
constexpr std::uint64_t sum_to(std::uint64_t n) { return n * (n - 1) / 2; }

// Runs body once per benchmark iteration and reports items (messages, round
// trips, goroutines) per second and the counter ns_per_msg.
template <class Body>
void measure(benchmark::State& state, long items_per_iter, Body&& body) {
    double ns = 0;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        body();
        ns += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
    }
    const double items = static_cast<double>(state.iterations()) * static_cast<double>(items_per_iter);
    state.SetItemsProcessed(static_cast<std::int64_t>(items));
    state.counters["ns_per_msg"] = ns / items;
}

// As Go's benchmarks do, the main role runs in a goroutine: gocxx::run.
template <class F>
void in_goroutine(F&& f) {
    gocxx::run(std::forward<F>(f));
}

}  // namespace bench

// Common registration: wall-clock time, short runs (each repetition ~0.3s).
#define GOCXX_BENCH(fn) BENCHMARK(fn)->UseRealTime()->MinTime(0.3)->Unit(benchmark::kMillisecond)
#define GOCXX_BENCH_CAPS(fn) GOCXX_BENCH(fn)->ArgName("cap")->Arg(0)->Arg(1)->Arg(1024)
