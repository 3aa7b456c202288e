// Goroutine spawn and exit: the main goroutine starts kSpawn goroutines that
// each call wg.done(), then waits; ns per goroutine.
#include "common.hpp"

using namespace gocxx;

static constexpr long kSpawn = 10'000;

static void spawn(benchmark::State& state) {
    bench::measure(state, kSpawn, [&] {
        bench::in_goroutine([&] {
            sync::WaitGroup wg;
            for (long i = 0; i < kSpawn; i++) {
                wg.add(1);
                go([&wg] { wg.done(); });
            }
            wg.wait();
        });
    });
}
GOCXX_BENCH(spawn);

BENCHMARK_MAIN();
