// Goroutine spawn and exit: the main goroutine starts N goroutines that each
// call wg.done(), then waits; ns per goroutine. N = 10,000 is the headline
// figure; N = 1,000 stays within the runtime's pool of warm stacks.
#include "common.hpp"

using namespace gocxx;

static void spawn(benchmark::State& state) {
    const long n = state.range(0);
    bench::measure(state, n, [&] {
        bench::in_goroutine([&] {
            sync::WaitGroup wg;
            for (long i = 0; i < n; i++) {
                wg.add(1);
                go([&wg] { wg.done(); });
            }
            wg.wait();
        });
    });
}
GOCXX_BENCH(spawn)->ArgName("n")->Arg(10'000)->Arg(1'000);

BENCHMARK_MAIN();
