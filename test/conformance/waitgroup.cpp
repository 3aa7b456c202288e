// sync.WaitGroup: Add, Done, Wait; reuse; several waiters; defer wg.Done().
#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        sync::WaitGroup wg;                                   // var wg sync.WaitGroup
        sync::Mutex mu;                                       // var mu sync.Mutex
        std::vector<int> results;                             // results := []int{}
        for (int i = 1; i <= 10; i++) {                       // for i := 1; i <= 10; i++ {
            wg.add(1);                                        //     wg.Add(1)
            go([&](int i) {                                   //     go func(i int) {
                auto guard = defer([&] { wg.done(); });       //         defer wg.Done()
                mu.lock();                                    //         mu.Lock()
                results.push_back(i * i);                     //         results = append(results, i*i)
                mu.unlock();                                  //         mu.Unlock()
            }, i);                                            //     }(i)
        }
        wg.wait();                                            // wg.Wait()
        std::sort(results.begin(), results.end());            // sort.Ints(results)
        fmt::Println(results);                                // fmt.Println(results)

        // Add(n) once for a batch; the WaitGroup is reusable at zero.
        std::atomic<long> count{0};                           // var count int64
        wg.add(3);                                            // wg.Add(3)
        for (int i = 0; i < 3; i++) {                         // for i := 0; i < 3; i++ {
            go([&] {                                          //     go func() {
                count.fetch_add(1);                           //         atomic.AddInt64(&count, 1)
                wg.done();                                    //         wg.Done()
            });
        }
        wg.wait();                                            // wg.Wait()
        fmt::Println("batch done", count.load());
        wg.wait();                                            // wg.Wait()
        fmt::Println("wait at zero returns at once");

        // Several goroutines wait on the same WaitGroup.
        sync::WaitGroup gate;                                 // var gate sync.WaitGroup
        gate.add(1);                                          // gate.Add(1)
        sync::WaitGroup waiters;                              // var waiters sync.WaitGroup
        Channel<int> passed(5);                               // passed := make(chan int, 5)
        for (int i = 0; i < 5; i++) {                         // for i := 0; i < 5; i++ {
            waiters.add(1);                                   //     waiters.Add(1)
            go([&, passed](int i) {                           //     go func(i int) {
                auto guard = defer([&] { waiters.done(); });  //         defer waiters.Done()
                gate.wait();                                  //         gate.Wait()
                passed.send(i);                               //         passed <- i
            }, i);                                            //     }(i)
        }
        fmt::Println("passed before the gate opens", passed.len());
        gate.done();                                          // gate.Done()
        waiters.wait();                                       // waiters.Wait()
        fmt::Println("passed after", passed.len());

        // Go 1.25's wg.Go(f) is wg.Add(1); go func() { defer wg.Done(); f() }().
        std::atomic<long> total{0};                           // var total int64
        for (int i = 1; i <= 100; i++) {                      // for i := 1; i <= 100; i++ {
            long n = i;                                       //     n := int64(i)
            wg.go([&total, n] {                               //     wg.Add(1); go func() { defer wg.Done()
                total.fetch_add(n);                           //         atomic.AddInt64(&total, n)
            });                                               //     }()
        }
        wg.wait();                                            // wg.Wait()
        fmt::Println("total", total.load());

        // Nested: goroutines that start goroutines on the same WaitGroup.
        std::atomic<long> nested{0};                          // var nested int64
        for (int i = 0; i < 4; i++) {                         // for i := 0; i < 4; i++ {
            wg.add(1);                                        //     wg.Add(1)
            go([&] {                                          //     go func() {
                auto guard = defer([&] { wg.done(); });       //         defer wg.Done()
                for (int j = 0; j < 4; j++) {                 //         for j := 0; j < 4; j++ {
                    wg.add(1);                                //             wg.Add(1)
                    go([&] {                                  //             go func() {
                        auto inner = defer([&] { wg.done(); });  //             defer wg.Done()
                        nested.fetch_add(1);                  //                 atomic.AddInt64(&nested, 1)
                    });
                }
            });
        }
        wg.wait();                                            // wg.Wait()
        fmt::Println("nested", nested.load());
    });
}
