// A global whose constructor uses gocxx: goroutines, channels, select,
// timers, a context, a mutex, before main and before (in a static link,
// possibly) the library's own initialisers. Built against the static library
// too (CI's static build), where the order between files is the linker's.
#include <atomic>
#include <chrono>
#include <cstdio>

#include <gocxx/gocxx.hpp>

using namespace gocxx;
using namespace std::chrono_literals;

namespace {

struct Warmup {
    long sum = 0;
    int timer_fired = 0;
    bool ctx_expired = false;
    Warmup() {
        Channel<int> results(8);
        sync::WaitGroup wg;
        sync::Mutex mu;
        long locked_sum = 0;
        for (int i = 1; i <= 100; ++i) {
            wg.go([results, i, &mu, &locked_sum] {
                {
                    std::lock_guard<sync::Mutex> g(mu);
                    locked_sum += i;
                }
                results.send(i);
            });
        }
        go([results, &wg] {
            wg.wait();
            results.close();
        });
        for (int v : results) sum += v;
        sum += locked_sum;
        select(case_recv(time::after(1ms), [this] { ++timer_fired; }));
        auto [ctx, cancel] = context::with_timeout(context::background(), 2ms);
        ctx.done().recv();
        ctx_expired = ctx.err() == context::DeadlineExceeded;
        cancel();
    }
};
Warmup g_warmup;

}  // namespace

int main() {
    std::printf("sum %ld timer %d ctx %d\n", g_warmup.sum, g_warmup.timer_fired, g_warmup.ctx_expired ? 1 : 0);
    return gocxx::run([] {
        Channel<int> c;
        go([c] { c.send(42); });
        std::printf("main %d\n", c.recv());
    });
}
