// time.Sleep and time.Now: only ordering facts, never durations.
#include <string>
#include <utility>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        time::Time start = time::now();                              // start := time.Now()
        time::sleep(20ms);                                           // time.Sleep(20 * time.Millisecond)
        fmt::Println("slept at least 20ms", time::now() - start >= 20ms);
        time::sleep(0ms);                                            // time.Sleep(0)
        time::sleep(-1s);                                            // time.Sleep(-time.Second)
        fmt::Println("zero and negative sleeps return");

        // Goroutines wake in the order of their sleeps (wide margins).
        Channel<std::string> out(3);                                 // out := make(chan string, 3)
        std::vector<std::pair<std::string, time::Duration>> sleeps{  // for _, s := range []struct{...}{
            {"long", 600ms}, {"short", 10ms}, {"medium", 300ms}};
        for (const auto& s : sleeps) {
            go([out](std::string name, time::Duration d) {           //     go func(name string, d time.Duration) {
                time::sleep(d);                                      //         time.Sleep(d)
                out.send(name);                                      //         out <- name
            }, s.first, s.second);                                   //     }(s.name, s.d)
        }
        for (int i = 0; i < 3; i++) {                                // for i := 0; i < 3; i++ {
            fmt::Println(out.recv());                                //     fmt.Println(<-out)
        }

        // Many goroutines sleep at once.
        sync::WaitGroup wg;                                          // var wg sync.WaitGroup
        sync::Mutex mu;                                              // var mu sync.Mutex
        int woke = 0;                                                // woke := 0
        for (int i = 0; i < 1000; i++) {                             // for i := 0; i < 1000; i++ {
            wg.add(1);                                               //     wg.Add(1)
            go([&] {                                                 //     go func() {
                auto guard = defer([&] { wg.done(); });              //         defer wg.Done()
                time::sleep(50ms);                                   //         time.Sleep(50 * time.Millisecond)
                mu.lock();                                           //         mu.Lock()
                woke++;                                              //         woke++
                mu.unlock();                                         //         mu.Unlock()
            });
        }
        wg.wait();                                                   // wg.Wait()
        fmt::Println("sleepers woke", woke);

        time::Time t2 = time::now();                                 // t2 := time.Now()
        fmt::Println("time moves forward", !(t2 < start), t2 - start >= 50ms);
    });
}
