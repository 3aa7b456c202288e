// main returns while goroutines are parked on channels and others are still
// busy (looping with gosched): the process must exit with status 0 at once,
// as a Go program does when main returns.
//
//   prog_exit_clean        main is gocxx::run's main goroutine
//   prog_exit_clean plain  main is a plain thread that started goroutines
#include <atomic>
#include <cstdio>
#include <cstring>

#include <gocxx/gocxx.hpp>

using namespace gocxx;

namespace {

std::atomic<long> spins{0};

void start_goroutines(int parked, int busy) {
    Channel<int> ready(parked + busy);
    Channel<int> never;          // nobody ever sends or receives here
    Channel<int> full(1);
    full.send(0);                // a send on it blocks
    Channel<int> nil = nullptr;  // blocks forever
    for (int i = 0; i < parked; ++i) {
        switch (i % 4) {
            case 0: go([ready, never] { ready.send(0); never.recv(); }); break;
            case 1: go([ready, never] { ready.send(0); never.send(1); }); break;
            case 2: go([ready, full] { ready.send(0); full.send(2); }); break;
            default: go([ready, nil] { ready.send(0); nil.recv(); }); break;
        }
    }
    for (int i = 0; i < busy; ++i) {
        go([ready] {
            ready.send(1);
            for (;;) {
                spins.fetch_add(1, std::memory_order_relaxed);
                runtime::gosched();
            }
        });
    }
    int n = 0;
    for (int i = 0; i < parked + busy; ++i) n += ready.recv() >= 0 ? 1 : 0;
    // Wait (bounded) until the busy ones are visibly spinning.
    for (int i = 0; i < 100000 && spins.load() < 1000; ++i) runtime::gosched();
    std::printf("started %d\n", n);
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    runtime::gomaxprocs(2);
    if (argc > 1 && std::strcmp(argv[1], "plain") == 0) {
        start_goroutines(100, 4);
        std::printf("main done\n");
        return 0;
    }
    return gocxx::run([] {
        start_goroutines(100, 4);
        std::printf("main done\n");
    });
}
