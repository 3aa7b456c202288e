// make(chan T): an unbuffered send completes only when a receiver takes the value.
#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> ch;                                          // ch := make(chan int)
        fmt::Println("len", ch.len(), "cap", ch.cap());           // fmt.Println("len", len(ch), "cap", cap(ch))

        Channel<bool> sent;                                       // sent := make(chan bool)
        go([=] {                                                  // go func() {
            ch.send(42);                                          //     ch <- 42
            sent.send(true);                                      //     sent <- true
        });                                                       // }()
        // No receiver yet: the sender cannot have finished.
        select(                                                   // select {
            case_recv(sent, [&] {                                 // case <-sent:
                fmt::Println("sent without a receiver");
            }),
            case_default([&] {                                    // default:
                fmt::Println("sender still blocked");
            }));
        int v = ch.recv();                                        // v := <-ch
        sent.recv();                                              // <-sent
        fmt::Println("received", v, "and the sender finished");

        // Ping-pong: each side prints before it hands the ball over.
        Channel<int> ping;                                        // ping := make(chan int)
        Channel<int> pong;                                        // pong := make(chan int)
        Channel<bool> finished;                                   // finished := make(chan bool)
        go([=] {                                                  // go func() {
            for (int n : ping) {                                  //     for n := range ping {
                fmt::Println("pong", n);                          //         fmt.Println("pong", n)
                pong.send(n + 1);                                 //         pong <- n + 1
            }
            finished.send(true);                                  //     finished <- true
        });                                                       // }()
        int n = 0;                                                // n := 0
        for (int i = 0; i < 3; i++) {                             // for i := 0; i < 3; i++ {
            fmt::Println("ping", n);                              //     fmt.Println("ping", n)
            ping.send(n);                                         //     ping <- n
            n = pong.recv();                                      //     n = <-pong
        }
        ping.close();                                             // close(ping)
        finished.recv();                                          // <-finished
        fmt::Println("final", n);                                 // fmt.Println("final", n)

        // Many senders, one receiver: every value arrives exactly once.
        Channel<int> c;                                           // c := make(chan int)
        for (int i = 1; i <= 100; i++) {                          // for i := 1; i <= 100; i++ {
            go([c](int i) { c.send(i); }, i);                     //     go func(i int) { c <- i }(i)
        }
        int sum = 0;                                              // sum := 0
        for (int i = 0; i < 100; i++) {                           // for i := 0; i < 100; i++ {
            sum += c.recv();                                      //     sum += <-c
        }
        fmt::Println("sum", sum);                                 // fmt.Println("sum", sum)
    });
}
