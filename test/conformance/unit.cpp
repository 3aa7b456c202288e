// chan struct{} and struct{}{}: pure signals; close as a broadcast.
#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<Unit> done;                              // done := make(chan struct{})
        sync::WaitGroup wg;                              // var wg sync.WaitGroup
        Channel<int> woken(10);                          // woken := make(chan int, 10)
        for (int i = 0; i < 10; i++) {                   // for i := 0; i < 10; i++ {
            wg.add(1);                                   //     wg.Add(1)
            go([&wg, done, woken](int i) {               //     go func(i int) {
                auto guard = defer([&] { wg.done(); });  //         defer wg.Done()
                done.recv();                             //         <-done
                woken.send(i);                           //         woken <- i
            }, i);                                       //     }(i)
        }
        done.close();                                    // close(done)
        wg.wait();                                       // wg.Wait()
        fmt::Println("woken", woken.len());              // fmt.Println("woken", len(woken))

        Channel<Unit> sig(3);                            // sig := make(chan struct{}, 3)
        sig.send(Unit{});                                // sig <- struct{}{}
        sig.send({});                                    // sig <- struct{}{}
        fmt::Println("len", sig.len(), "cap", sig.cap());
        Unit u = sig.recv();                             // u := <-sig
        fmt::Println("equal", u == Unit{});              // fmt.Println("equal", u == struct{}{})

        Channel<Unit> ready;                             // ready := make(chan struct{})
        go([ready] {                                     // go func() {
            fmt::Println("worker ready");                //     fmt.Println("worker ready")
            ready.send({});                              //     ready <- struct{}{}
        });
        ready.recv();                                    // <-ready
        fmt::Println("main continues");

        auto [_, ok] = done.recv_ok();                   // _, ok := <-done
        fmt::Println("closed signal ok", ok);
    });
}
