// runtime: NumGoroutine, GOMAXPROCS, Gosched.
#include <atomic>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        fmt::Println("goroutines at start", runtime::num_goroutine());
        Channel<Unit> block;                                    // block := make(chan struct{})
        sync::WaitGroup started;                                // var started sync.WaitGroup
        for (int i = 0; i < 10; i++) {                          // for i := 0; i < 10; i++ {
            started.add(1);                                     //     started.Add(1)
            go([&started, block] {                              //     go func() {
                started.done();                                 //         started.Done()
                block.recv();                                   //         <-block
            });
        }
        started.wait();                                         // started.Wait()
        fmt::Println("with 10 blocked", runtime::num_goroutine());
        block.close();                                          // close(block)
        while (runtime::num_goroutine() > 1) {                  // for runtime.NumGoroutine() > 1 {
            runtime::gosched();                                 //     runtime.Gosched()
        }
        fmt::Println("after they finish", runtime::num_goroutine());

        int procs = runtime::gomaxprocs(0);                     // procs := runtime.GOMAXPROCS(0)
        fmt::Println("gomaxprocs positive", procs > 0);
        int prev = runtime::gomaxprocs(2);                      // prev := runtime.GOMAXPROCS(2)
        fmt::Println("set returns the previous value", prev == procs);
        fmt::Println("now", runtime::gomaxprocs(0));
        fmt::Println("negative only queries", runtime::gomaxprocs(-1));

        // On one worker, Gosched lets another goroutine run.
        runtime::gomaxprocs(1);                                 // runtime.GOMAXPROCS(1)
        std::atomic<int> flag{0};                               // var flag int32
        go([&flag] {                                            // go func() {
            flag.store(1);                                      //     atomic.StoreInt32(&flag, 1)
        });
        while (flag.load() == 0) {                              // for atomic.LoadInt32(&flag) == 0 {
            runtime::gosched();                                 //     runtime.Gosched()
        }
        fmt::Println("gosched let the other goroutine run");

        // Many goroutines on one worker, taking turns.
        sync::WaitGroup wg;                                     // var wg sync.WaitGroup
        std::atomic<long> sum{0};                               // var sum int64
        for (int i = 1; i <= 100; i++) {                        // for i := 1; i <= 100; i++ {
            wg.add(1);                                          //     wg.Add(1)
            go([&](long i) {                                    //     go func(i int64) {
                auto guard = defer([&] { wg.done(); });         //         defer wg.Done()
                runtime::gosched();                             //         runtime.Gosched()
                sum.fetch_add(i);                               //         atomic.AddInt64(&sum, i)
            }, static_cast<long>(i));                           //     }(int64(i))
        }
        wg.wait();                                              // wg.Wait()
        fmt::Println("sum", sum.load());

        runtime::gomaxprocs(procs);                             // runtime.GOMAXPROCS(procs)
        fmt::Println("restored", runtime::gomaxprocs(0) == procs);
    });
}
