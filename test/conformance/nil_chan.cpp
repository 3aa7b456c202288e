// var ch chan T: the nil channel blocks forever and is never ready in a select.
#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> ch = nullptr;                                // var ch chan int
        fmt::Println("nil", ch == nullptr);                       // fmt.Println("nil", ch == nil)
        SendChannel<int> s = nullptr;                             // var s chan<- int
        RecvChannel<int> r = nullptr;                             // var r <-chan int
        fmt::Println("send-only nil", s == nullptr, "recv-only nil", r == nullptr);
        Channel<int> live;                                        // live := make(chan int)
        fmt::Println("make is nil", live == nullptr);
        fmt::Println("len", ch.len(), "cap", ch.cap());

        select(                                                   // select {
            case_recv(ch, [&](int v) {                            // case v := <-ch:
                fmt::Println("received from nil", v);
            }),
            case_send(ch, 1, [&] {                                // case ch <- 1:
                fmt::Println("sent to nil");
            }),
            case_default([&] {                                    // default:
                fmt::Println("default: nil cases never ready");
            }));

        Channel<int> ready(1);                                    // ready := make(chan int, 1)
        ready.send(7);                                            // ready <- 7
        select(                                                   // select {
            case_recv(ch, [&](int v) {                            // case v := <-ch:
                fmt::Println("received from nil", v);
            }),
            case_recv(ready, [&](int v) {                         // case v := <-ready:
                fmt::Println("ready case", v);
            }));

        // A goroutine blocked on a nil channel never proceeds.
        go([ch] {                                                 // go func() {
            ch.recv();                                            //     <-ch
            fmt::Println("never printed");
        });
        go([ch] {                                                 // go func() {
            ch.send(1);                                           //     ch <- 1
            fmt::Println("never printed");
        });

        // Merging with nil: a drained input is set to nil so its case is off.
        Channel<int> a;                                           // a := make(chan int)
        Channel<int> b;                                           // b := make(chan int)
        go([a] {                                                  // go func() {
            for (int i = 1; i <= 3; i++) {                        //     for i := 1; i <= 3; i++ {
                a.send(i);                                        //         a <- i
            }
            a.close();                                            //     close(a)
        });
        go([b] {                                                  // go func() {
            for (int i = 10; i <= 30; i += 10) {                  //     for i := 10; i <= 30; i += 10 {
                b.send(i);                                        //         b <- i
            }
            b.close();                                            //     close(b)
        });
        int sum = 0;                                              // sum := 0
        while (a != nullptr || b != nullptr) {                    // for a != nil || b != nil {
            select(                                               //     select {
                case_recv(a, [&](int v, bool ok) {                //     case v, ok := <-a:
                    if (!ok) {                                    //         if !ok {
                        a = nullptr;                              //             a = nil
                        return;                                   //             continue
                    }
                    sum += v;                                     //         sum += v
                }),
                case_recv(b, [&](int v, bool ok) {                //     case v, ok := <-b:
                    if (!ok) {
                        b = nullptr;                              //             b = nil
                        return;
                    }
                    sum += v;
                }));
        }
        fmt::Println("merged sum", sum);                          // fmt.Println("merged sum", sum)
    });
}
