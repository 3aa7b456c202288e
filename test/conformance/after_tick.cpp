// time.After and time.Tick in selects: ordering facts only.
#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        Channel<int> never;                                        // never := make(chan int)
        select(                                                    // select {
            case_recv(never, [&](int v) {                          // case v := <-never:
                fmt::Println("got", v);
            }),
            case_recv(time::after(20ms), [&] {                     // case <-time.After(20 * time.Millisecond):
                fmt::Println("timeout");
            }));

        Channel<int> ready(1);                                     // ready := make(chan int, 1)
        ready.send(1);                                             // ready <- 1
        select(                                                    // select {
            case_recv(ready, [&](int v) {                          // case v := <-ready:
                fmt::Println("ready", v);
            }),
            case_recv(time::after(1h), [&] {                       // case <-time.After(time.Hour):
                fmt::Println("timeout");
            }));

        time::Time t0 = time::now();                               // t0 := time.Now()
        time::Time t = time::after(10ms).recv();                   // t := <-time.After(10 * time.Millisecond)
        fmt::Println("after sends a time at least 10ms later", !(t < t0 + 10ms));

        auto tick = time::tick(10ms);                              // tick := time.Tick(10 * time.Millisecond)
        for (int i = 1; i <= 3; i++) {                             // for i := 1; i <= 3; i++ {
            tick.recv();                                           //     <-tick
            fmt::Println("tick", i);                               //     fmt.Println("tick", i)
        }
        time::Time a = tick.recv();                                // a := <-tick
        time::Time b = tick.recv();                                // b := <-tick
        fmt::Println("tick times increase", b > a);                // fmt.Println("tick times increase", b.After(a))

        // A short After fires before a slow ticker's first tick.
        auto slow = time::tick(500ms);                             // slow := time.Tick(500 * time.Millisecond)
        select(                                                    // select {
            case_recv(time::after(10ms), [&] {                     // case <-time.After(10 * time.Millisecond):
                fmt::Println("after first");
            }),
            case_recv(slow, [&] {                                  // case <-slow:
                fmt::Println("tick first");
            }));

        // An idle timeout in a receive loop.
        Channel<int> work;                                         // work := make(chan int)
        go([work] {                                                // go func() {
            for (int i = 1; i <= 3; i++) {                         //     for i := 1; i <= 3; i++ {
                work.send(i);                                      //         work <- i
            }
        });
        for (bool running = true; running;) {                      // for running := true; running; {
            select(                                                //     select {
                case_recv(work, [&](int v) {                       //     case v := <-work:
                    fmt::Println("work", v);
                }),
                case_recv(time::after(300ms), [&] {                //     case <-time.After(300 * time.Millisecond):
                    fmt::Println("idle");
                    running = false;                               //         running = false
                }));
        }
    });
}
