// select: receive with value, with ok, without a value, send; blocking; random choice.
#include <string>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> a(1);                                      // a := make(chan int, 1)
        Channel<std::string> b(1);                              // b := make(chan string, 1)
        Channel<Unit> done;                                     // done := make(chan struct{})
        Channel<int> out(1);                                    // out := make(chan int, 1)

        a.send(1);                                              // a <- 1
        select(                                                 // select {
            case_recv(a, [&](int v) {                           // case v := <-a:
                fmt::Println("a", v);
            }),
            case_recv(b, [&](std::string s) {                   // case s := <-b:
                fmt::Println("b", s);
            }));
        b.send("x");                                            // b <- "x"
        select(                                                 // select {
            case_recv(a, [&](int v) {                           // case v := <-a:
                fmt::Println("a", v);
            }),
            case_recv(b, [&](std::string s, bool ok) {          // case s, ok := <-b:
                fmt::Println("b", s, ok);
            }));
        done.close();                                           // close(done)
        select(                                                 // select {
            case_recv(done, [&] {                               // case <-done:
                fmt::Println("done is closed");
            }),
            case_recv(a, [&](int v) {                           // case v := <-a:
                fmt::Println("a", v);
            }));
        select(                                                 // select {
            case_send(out, 5, [&] {                             // case out <- 5:
                fmt::Println("sent 5");
            }),
            case_recv(a, [&](int v) {                           // case v := <-a:
                fmt::Println("a", v);
            }));
        fmt::Println("out has", out.recv());                    // fmt.Println("out has", <-out)

        // A closed channel's receive case is ready: zero value, ok == false.
        Channel<int> closed;                                    // closed := make(chan int)
        closed.close();                                         // close(closed)
        select(                                                 // select {
            case_recv(closed, [&](int v, bool ok) {             // case v, ok := <-closed:
                fmt::Println("closed", v, ok);
            }));

        // select blocks until some case is ready.
        Channel<int> late;                                      // late := make(chan int)
        go([late] {                                             // go func() {
            late.send(99);                                      //     late <- 99
        });
        select(                                                 // select {
            case_recv(late, [&](int v) {                        // case v := <-late:
                fmt::Println("late", v);
            }),
            case_recv(b, [&](std::string s) {                   // case s := <-b:
                fmt::Println("b", s);
            }));

        // A send case completes only when a receiver takes the value.
        Channel<int> sink;                                      // sink := make(chan int)
        Channel<int> got;                                       // got := make(chan int)
        go([=] {                                                // go func() {
            got.send(sink.recv());                              //     got <- <-sink
        });
        select(                                                 // select {
            case_send(sink, 3, [&] {                            // case sink <- 3:
                fmt::Println("sent to a receiver");
            }));
        fmt::Println("receiver got", got.recv());

        // Of several ready cases one is chosen at random.
        Channel<int> x(1);                                      // x := make(chan int, 1)
        Channel<int> y(1);                                      // y := make(chan int, 1)
        int nx = 0, ny = 0;                                     // nx, ny := 0, 0
        for (int i = 0; i < 1000; i++) {                        // for i := 0; i < 1000; i++ {
            if (x.len() == 0) {                                 //     if len(x) == 0 {
                x.send(0);                                      //         x <- 0
            }
            if (y.len() == 0) {                                 //     if len(y) == 0 {
                y.send(0);                                      //         y <- 0
            }
            select(                                             //     select {
                case_recv(x, [&] { nx++; }),                    //     case <-x: nx++
                case_recv(y, [&] { ny++; }));                   //     case <-y: ny++
        }
        fmt::Println("both chosen", nx > 0 && ny > 0, "roughly even", nx > 300 && ny > 300, "total", nx + ny);

        // A select loop with a quit channel.
        Channel<bool> quit;                                     // quit := make(chan bool)
        Channel<int> data;                                      // data := make(chan int)
        go([=] {                                                // go func() {
            for (int i = 0; i < 3; i++) {                       //     for i := 0; i < 3; i++ {
                data.send(i);                                   //         data <- i
            }
            quit.send(true);                                    //     quit <- true
        });
        for (bool running = true; running;) {                   // for running := true; running; {
            select(                                             //     select {
                case_recv(data, [&](int v) {                    //     case v := <-data:
                    fmt::Println("data", v);
                }),
                case_recv(quit, [&] {                           //     case <-quit:
                    fmt::Println("quit");
                    running = false;
                }));
        }

        // Several goroutines in select on the same channels.
        Channel<int> jobs;                                      // jobs := make(chan int)
        Channel<Unit> stop;                                     // stop := make(chan struct{})
        Channel<int> results;                                   // results := make(chan int)
        for (int w = 0; w < 4; w++) {                           // for w := 0; w < 4; w++ {
            go([=] {                                            //     go func() {
                for (bool more = true; more;) {                 //         for {
                    select(                                     //             select {
                        case_recv(jobs, [&](int j) {            //             case j := <-jobs:
                            results.send(j * 2);                //                 results <- j * 2
                        }),
                        case_recv(stop, [&] {                   //             case <-stop:
                            more = false;                       //                 return
                        }));
                }
            });
        }
        go([=] {                                                // go func() {
            for (int i = 1; i <= 50; i++) {                     //     for i := 1; i <= 50; i++ {
                jobs.send(i);                                   //         jobs <- i
            }
        });
        int sum = 0;                                            // sum := 0
        for (int i = 0; i < 50; i++) {                          // for i := 0; i < 50; i++ {
            sum += results.recv();                              //     sum += <-results
        }
        stop.close();                                           // close(stop)
        fmt::Println("sum", sum);

        // An empty select blocks forever.
        go([] {                                                 // go func() {
            select();                                           //     select {}
        });
        fmt::Println("end");
    });
}
