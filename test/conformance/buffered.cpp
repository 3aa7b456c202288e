// make(chan T, n), len, cap, FIFO order; channel values are references.
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> ch(3);                                     // ch := make(chan int, 3)
        fmt::Println("len", ch.len(), "cap", ch.cap());
        ch.send(1);                                             // ch <- 1
        ch.send(2);                                             // ch <- 2
        ch.send(3);                                             // ch <- 3
        fmt::Println("len", ch.len(), "cap", ch.cap());
        select(                                                 // select {
            case_send(ch, 4, [&] {                              // case ch <- 4:
                fmt::Println("sent a 4th value");
            }),
            case_default([&] {                                  // default:
                fmt::Println("full");
            }));
        int a = ch.recv();                                      // (Go evaluates the operands left to right;
        int b = ch.recv();                                      //  C++ does not, so name them first)
        fmt::Println(a, b);                                     // fmt.Println(<-ch, <-ch)
        fmt::Println("len", ch.len());                          // fmt.Println("len", len(ch))

        // Copies share the channel.
        Channel<int> alias = ch;                                // alias := ch
        fmt::Println("same channel", alias == ch);              // fmt.Println("same channel", alias == ch)
        Channel<int> other(3);                                  // other := make(chan int, 3)
        fmt::Println("other channel", other == ch);
        alias.send(10);                                         // alias <- 10
        fmt::Println("len via original", ch.len());
        a = ch.recv();
        b = ch.recv();
        fmt::Println(a, b);                                     // fmt.Println(<-ch, <-ch)

        Channel<int> zero(0);                                   // zero := make(chan int, 0)
        fmt::Println("cap of make(chan int, 0)", zero.cap());

        // FIFO across a producer goroutine.
        Channel<int> q(5);                                      // q := make(chan int, 5)
        go([q] {                                                // go func() {
            for (int i = 0; i < 20; i++) {                      //     for i := 0; i < 20; i++ {
                q.send(i);                                      //         q <- i
            }
            q.close();                                          //     close(q)
        });                                                     // }()
        std::vector<int> got;                                   // got := []int{}
        for (int v : q) {                                       // for v := range q {
            got.push_back(v);                                   //     got = append(got, v)
        }
        fmt::Println(got);                                      // fmt.Println(got)

        // A sender blocks when the buffer is full until a receive makes room.
        Channel<std::string> bc(1);                             // b := make(chan string, 1)
        bc.send("first");                                       // b <- "first"
        Channel<bool> done;                                     // done := make(chan bool)
        go([=] {                                                // go func() {
            bc.send("second");                                  //     b <- "second"
            done.send(true);                                    //     done <- true
        });                                                     // }()
        select(                                                 // select {
            case_recv(done, [&] {                               // case <-done:
                fmt::Println("second send completed while full");
            }),
            case_default([&] {                                  // default:
                fmt::Println("second send waits");
            }));
        fmt::Println(bc.recv());                                // fmt.Println(<-b)
        done.recv();                                            // <-done
        fmt::Println(bc.recv());                                // fmt.Println(<-b)
    });
}
