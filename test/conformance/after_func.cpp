// time.AfterFunc: f runs in its own goroutine; Stop keeps it from running;
// Reset re-arms it, also after it ran; C is nil. Wide margins only.
#include <string>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        Channel<std::string> ran(4);                                          // ran := make(chan string, 4)

        time::Timer t = time::after_func(10ms, [ran] { ran.send("first"); }); // t := time.AfterFunc(10*time.Millisecond, func() { ran <- "first" })
        fmt::Println("C is nil", t.c() == nullptr);                           // fmt.Println("C is nil", t.C == nil)
        fmt::Println(ran.recv());                                             // fmt.Println(<-ran)
        fmt::Println("stop after it ran", t.stop());
        fmt::Println("reset after it ran", t.reset(10ms));
        fmt::Println(ran.recv());

        time::Timer t2 = time::after_func(1h, [ran] { ran.send("never"); });
        fmt::Println("stop active", t2.stop());
        fmt::Println("stop again", t2.stop());
        fmt::Println("reset stopped", t2.reset(10ms));
        fmt::Println(ran.recv());

        time::Timer t3 = time::after_func(1h, [ran] { ran.send("reset active"); });
        fmt::Println("reset active", t3.reset(10ms));
        fmt::Println(ran.recv());

        // A stopped func never runs.
        time::Timer t4 = time::after_func(20ms, [ran] { ran.send("stopped func ran"); });
        t4.stop();
        select(                                                               // select {
            case_recv(ran, [&](std::string s) {                               // case s := <-ran:
                fmt::Println(s);
            }),
            case_recv(time::after(200ms), [&] {                               // case <-time.After(200 * time.Millisecond):
                fmt::Println("stopped func stayed quiet");
            }));

        // Nobody keeps the Timer: f still runs.
        time::after_func(10ms, [ran] { ran.send("dropped timer ran"); });     // time.AfterFunc(10*time.Millisecond, func() { ran <- "dropped timer ran" })
        fmt::Println(ran.recv());

        // f runs in its own goroutine: it may block without holding up others.
        Channel<Unit> block;                                                  // block := make(chan struct{})
        time::after_func(1ms, [ran, block] { block.recv(); ran.send("unblocked"); });
        time::after_func(10ms, [ran] { ran.send("second func not held up"); });
        fmt::Println(ran.recv());
        block.close();                                                        // close(block)
        fmt::Println(ran.recv());
    });
}
