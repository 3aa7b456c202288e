// Non-blocking send and receive: Go's select-with-default, gocxx's try_send / try_recv.
#include <memory>

#include "fmt.hpp"

using namespace gocxx;

struct payload {  // type payload struct {
    int n;        //     n int
};

// trySend(c, v) is c.try_send(v); tryRecv(c) is c.try_recv(), an optional.

int main() {
    return gocxx::run([] {
        Channel<int> u;                                            // u := make(chan int)
        fmt::Println("send, no receiver", u.try_send(1));          // fmt.Println("send, no receiver", trySend(u, 1))
        bool ok = u.try_recv().has_value();                        // _, ok := tryRecv(u)
        fmt::Println("recv, no sender", ok);

        // With a receiver waiting, a non-blocking send hands the value over.
        Channel<int> got;                                          // got := make(chan int)
        go([=] {                                                   // go func() {
            got.send(u.recv());                                    //     got <- <-u
        });
        while (!u.try_send(7)) {                                   // for !trySend(u, 7) {
            runtime::gosched();                                    //     runtime.Gosched()
        }
        fmt::Println("handed over", got.recv());

        // With a sender waiting, a non-blocking receive takes its value.
        go([u] {                                                   // go func() {
            u.send(8);                                             //     u <- 8
        });
        int v;                                                     // var v int
        for (;;) {                                                 // for {
            if (auto x = u.try_recv()) {                           //     if x, ok := tryRecv(u); ok {
                v = *x;                                            //         v = x
                break;                                             //         break
            }
            runtime::gosched();                                    //     runtime.Gosched()
        }
        fmt::Println("took", v);

        Channel<int> b(3);                                         // b := make(chan int, 3)
        int n = 0;                                                 // n := 0
        for (int i = 0; i < 5; i++) {                              // for i := 0; i < 5; i++ {
            if (b.try_send(i)) {                                   //     if trySend(b, i) {
                n++;                                               //         n++
            }
        }
        fmt::Println("buffered accepted", n);
        for (;;) {                                                 // for {
            auto x = b.try_recv();                                 //     x, ok := tryRecv(b)
            if (!x) {                                              //     if !ok {
                break;                                             //         break
            }
            fmt::Println("try_recv", *x);                          //     fmt.Println("try_recv", x)
        }
        ok = b.try_recv().has_value();                             // _, ok = tryRecv(b)
        fmt::Println("empty", ok);
        b.send(9);                                                 // b <- 9
        b.close();                                                 // close(b)
        auto x = b.try_recv();                                     // x, ok := tryRecv(b)
        fmt::Println("closed, buffered value", x.value_or(0), x.has_value());
        ok = b.try_recv().has_value();                             // _, ok = tryRecv(b)
        fmt::Println("closed and drained", ok);

        try {                                                      // func() { defer ... recover() ...
            b.try_send(1);                                         //     trySend(b, 1)
        } catch (const Panic& e) {
            fmt::Println("try_send on closed: panic:", e.what());
        }

        Channel<int> nilc = nullptr;                               // var nilc chan int
        fmt::Println("nil send", nilc.try_send(1));
        ok = nilc.try_recv().has_value();                          // _, ok = tryRecv(nilc)
        fmt::Println("nil recv", ok);

        // A failed non-blocking send leaves the value with the sender.
        Channel<std::unique_ptr<payload>> pc;                      // pc := make(chan *payload)
        auto p = std::make_unique<payload>(payload{42});           // p := &payload{n: 42}
        if (pc.try_send(std::move(p))) {                           // select { case pc <- p:
            fmt::Println("sent");
        } else {                                                   // default:
            fmt::Println("kept", p->n);
        }
    });
}
