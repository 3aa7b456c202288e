// context.WithTimeout and WithDeadline: DeadlineExceeded, deadlines through the tree.
#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        context::Context bg = context::background();                  // bg := context.Background()
        auto [ctx, cancel] = context::with_timeout(bg, 100ms);        // ctx, cancel := context.WithTimeout(bg, 100*time.Millisecond)
        auto guard = defer([&cancel = cancel] { cancel(); });         // defer cancel()
        auto [dl, ok] = ctx.deadline();                               // dl, ok := ctx.Deadline()
        fmt::Println("has deadline", ok);
        fmt::Println("err before", ctx.err());
        ctx.done().recv();                                            // <-ctx.Done()
        fmt::Println("err after", ctx.err(), ctx.err() == context::DeadlineExceeded);
        fmt::Println("deadline passed", !(time::now() < dl));         // !time.Now().Before(dl)
        cancel();                                                     // cancel()
        fmt::Println("cancel after the deadline keeps", ctx.err());

        // Cancelled before its deadline.
        auto [c2, cancel2] = context::with_timeout(bg, 1h);           // c2, cancel2 := context.WithTimeout(bg, time.Hour)
        cancel2();                                                    // cancel2()
        c2.done().recv();                                             // <-c2.Done()
        fmt::Println("cancelled early", c2.err());

        // Work that never comes loses to the timeout.
        Channel<int> work;                                            // work := make(chan int)
        auto [c3, cancel3] = context::with_timeout(bg, 20ms);         // c3, cancel3 := context.WithTimeout(bg, 20*time.Millisecond)
        auto guard3 = defer([&cancel3 = cancel3] { cancel3(); });     // defer cancel3()
        select(                                                       // select {
            case_recv(work, [&](int v) {                              // case v := <-work:
                fmt::Println("work", v);
            }),
            case_recv(c3.done(), [&, &c3 = c3] {                      // case <-c3.Done():
                fmt::Println("gave up:", c3.err());
            }));

        // Ready work beats a long timeout.
        Channel<int> ready(1);                                        // ready := make(chan int, 1)
        ready.send(7);                                                // ready <- 7
        auto [c4, cancel4] = context::with_timeout(bg, 1h);           // c4, cancel4 := context.WithTimeout(bg, time.Hour)
        select(                                                       // select {
            case_recv(ready, [&](int v) {                             // case v := <-ready:
                fmt::Println("work", v);
            }),
            case_recv(c4.done(), [&, &c4 = c4] {                      // case <-c4.Done():
                fmt::Println("gave up:", c4.err());
            }));
        cancel4();                                                    // cancel4()

        // A child of a timed-out parent ends with the parent's error.
        auto [parent, pcancel] = context::with_timeout(bg, 20ms);     // parent, pcancel := context.WithTimeout(bg, 20*time.Millisecond)
        auto guard4 = defer([&pcancel = pcancel] { pcancel(); });     // defer pcancel()
        auto [child, ccancel] = context::with_cancel(parent);         // child, ccancel := context.WithCancel(parent)
        auto guard5 = defer([&ccancel = ccancel] { ccancel(); });     // defer ccancel()
        ok = child.deadline().second;                                 // _, ok = child.Deadline()
        fmt::Println("child inherits a deadline", ok);
        child.done().recv();                                          // <-child.Done()
        fmt::Println("child err", child.err());

        // A child keeps its parent's earlier deadline; a shorter one is its own.
        auto [p2, p2cancel] = context::with_timeout(bg, 1h);          // p2, p2cancel := context.WithTimeout(bg, time.Hour)
        auto guard6 = defer([&p2cancel = p2cancel] { p2cancel(); });
        auto [later, lcancel] = context::with_timeout(p2, 2h);        // later, lcancel := context.WithTimeout(p2, 2*time.Hour)
        auto guard7 = defer([&lcancel = lcancel] { lcancel(); });
        auto [sooner, scancel] = context::with_timeout(p2, 1min);     // sooner, scancel := context.WithTimeout(p2, time.Minute)
        auto guard8 = defer([&scancel = scancel] { scancel(); });
        time::Time d1 = p2.deadline().first;                          // d1, _ := p2.Deadline()
        time::Time d2 = later.deadline().first;                       // d2, _ := later.Deadline()
        time::Time d3 = sooner.deadline().first;                      // d3, _ := sooner.Deadline()
        fmt::Println("later child keeps parent's deadline", d1 == d2);
        fmt::Println("sooner child's deadline is earlier", d3 < d1);

        // A deadline already passed: done at once.
        auto [past, pastCancel] = context::with_deadline(bg, time::now() - 1s);  // context.WithDeadline(bg, time.Now().Add(-time.Second))
        auto guard9 = defer([&pastCancel = pastCancel] { pastCancel(); }); // defer pastCancel()
        fmt::Println("past deadline", past.err());
        select(                                                       // select {
            case_recv(past.done(), [&] {                              // case <-past.Done():
                fmt::Println("done at once");
            }),
            case_default([&] {                                        // default:
                fmt::Println("not done");
            }));

        // WithDeadline with a future time.
        auto [fut, futCancel] = context::with_deadline(bg, time::now() + 20ms);  // context.WithDeadline(bg, time.Now().Add(20*time.Millisecond))
        fut.done().recv();                                            // <-fut.Done()
        fmt::Println("future deadline", fut.err());
        futCancel();                                                  // futCancel()
    });
}
