// time.NewTimer and time.NewTicker: C, Stop, Reset.
//
// Only cases where Go 1.19 and Go 1.23+ (gocxx's model) agree: no Stop or
// Reset of a timer that fired but whose value was not received.
#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        time::Timer t(10ms);                                       // t := time.NewTimer(10 * time.Millisecond)
        t.c().recv();                                              // <-t.C
        fmt::Println("timer fired");
        fmt::Println("stop after receive", t.stop());              // fmt.Println("stop after receive", t.Stop())

        time::Timer t2(1h);                                        // t2 := time.NewTimer(time.Hour)
        fmt::Println("stop active", t2.stop());
        fmt::Println("stop again", t2.stop());
        fmt::Println("reset stopped", t2.reset(10ms));             // fmt.Println("reset stopped", t2.Reset(10*time.Millisecond))
        t2.c().recv();                                             // <-t2.C
        fmt::Println("reset timer fired");

        time::Timer t3(1h);                                        // t3 := time.NewTimer(time.Hour)
        fmt::Println("reset active", t3.reset(10ms));
        t3.c().recv();                                             // <-t3.C
        fmt::Println("fired after reset");

        // A stopped timer never fires.
        time::Timer t4(20ms);                                      // t4 := time.NewTimer(20 * time.Millisecond)
        t4.stop();                                                 // t4.Stop()
        select(                                                    // select {
            case_recv(t4.c(), [&] {                                // case <-t4.C:
                fmt::Println("stopped timer fired");
            }),
            case_recv(time::after(200ms), [&] {                    // case <-time.After(200 * time.Millisecond):
                fmt::Println("stopped timer stayed quiet");
            }));

        // A timer as a timeout that work beats.
        Channel<bool> done;                                        // done := make(chan bool)
        go([done] {                                                // go func() {
            done.send(true);                                       //     done <- true
        });
        time::Timer timeout(1h);                                   // timeout := time.NewTimer(time.Hour)
        select(                                                    // select {
            case_recv(done, [&] {                                  // case <-done:
                fmt::Println("work done, stop timeout", timeout.stop());
            }),
            case_recv(timeout.c(), [&] {                           // case <-timeout.C:
                fmt::Println("timed out");
            }));

        time::Ticker tk(10ms);                                     // tk := time.NewTicker(10 * time.Millisecond)
        for (int i = 1; i <= 3; i++) {                             // for i := 1; i <= 3; i++ {
            tk.c().recv();                                         //     <-tk.C
            fmt::Println("ticker", i);                             //     fmt.Println("ticker", i)
        }
        tk.reset(20ms);                                            // tk.Reset(20 * time.Millisecond)
        tk.c().recv();                                             // <-tk.C
        fmt::Println("tick after reset");
        tk.stop();                                                 // tk.Stop()
        select(case_recv(tk.c()), case_default());                 // select { case <-tk.C: default: } (Go 1.19's stale tick)
        select(                                                    // select {
            case_recv(tk.c(), [&] {                                // case <-tk.C:
                fmt::Println("tick after stop");
            }),
            case_recv(time::after(200ms), [&] {                    // case <-time.After(200 * time.Millisecond):
                fmt::Println("no tick after stop");
            }));

        // A ticker drives a loop until a deadline timer fires.
        time::Ticker tk2(5ms);                                     // tk2 := time.NewTicker(5 * time.Millisecond)
                                                                   // defer tk2.Stop() (the destructor stops it)
        time::Timer deadline(1h);                                  // deadline := time.NewTimer(time.Hour)
        int ticks = 0;                                             // ticks := 0
        while (ticks < 5) {                                        // for ticks < 5 {
            select(                                                //     select {
                case_recv(tk2.c(), [&] {                           //     case <-tk2.C:
                    ticks++;                                       //         ticks++
                }),
                case_recv(deadline.c(), [&] {                      //     case <-deadline.C:
                    fmt::Println("deadline");
                }));
        }
        fmt::Println("ticks", ticks, "deadline stopped", deadline.stop());
    });
}
